"""Today's due list (SPEC §4.1): its items for the Today screen and `crmtui due`, and its rows
for `crmtui due --json` (services.due_sections reads each section)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from crmtui.db import Customer
from crmtui.db.rows import tuple_rows
from crmtui.i18n import _
from crmtui.rules import (
    DueItem,
    DueKind,
    due_sort_key,
    order_due_items,
)
from crmtui.services.context import Context
from crmtui.services.due_sections import (
    CHASED,
    CUSTOMER_COLUMNS,
    LINES,
    DueSection,
    greetings_due,
    wanted_kinds,
)


def due_list(
    ctx: Context,
    day: date | None = None,
    *,
    everyone: bool = False,
    kinds: set[DueKind] | None = None,
) -> list[DueItem]:
    """Everything due on `day` (default today) for the user, or for everyone a manager sees."""
    section = DueSection(ctx, day or ctx.today(), everyone)
    today, owners, nobody = section.day, section.owners(), ("", "")
    items: list[DueItem] = []
    append = items.append
    for kind in wanted_kinds(ctx, kinds):
        if kind is DueKind.GREETING:
            items += greetings_due(section)
            continue
        # section.item's work, inline: a long list makes thousands
        for cid, name, company, grade, owner_id, due, detail, ref_id, at_risk in LINES[kind](
            section
        ):
            owner, login = owners.get(owner_id, nobody)
            late = (today - due).days
            append(
                DueItem(
                    kind,
                    cid,
                    name,
                    company,
                    grade,
                    owner,
                    due,
                    late if late > 0 else 0,
                    detail,
                    ref_id,
                    at_risk,
                    login,
                )
            )
    return order_due_items(items)


DUE_COLUMNS = (
    ("kind", "text"),
    ("customer_id", "int"),
    ("customer", "text"),
    ("company", "text"),
    ("grade", "text?"),
    ("owner", "text"),
    ("due", "date"),
    ("overdue_days", "int"),
    ("detail", "text"),
    ("ref_id", "int?"),
)
"""The columns of a due row, as `DueItem.to_json` names them (output.json_row_format's kinds)."""


DueRow = tuple[str, int, str, str, str | None, str, date, int, str, int | None]
"""One row of the due list as `crmtui due --json` prints it (DUE_COLUMNS' values)."""


def due_rows(ctx: Context, day: date | None = None, *, everyone: bool = False) -> Iterator[DueRow]:
    """The due list as rows of DUE_COLUMNS' values, in the list's order, section by section:
    what `crmtui due --json` prints, without a DueItem per line (a manager's team has tens of
    thousands). Dates are dates and the grade a letter or None."""
    s = DueSection(ctx, day or ctx.today(), everyone)
    today = s.day
    names = {uid: shown for uid, (shown, _login) in s.owners().items()}
    for kind in wanted_kinds(ctx, None):
        if kind is DueKind.GREETING:
            for item in order_due_items(greetings_due(s)):
                yield (
                    kind.value,
                    item.customer_id,
                    item.customer,
                    item.company,
                    item.grade.value if item.grade is not None else None,
                    item.owner,
                    item.due,
                    item.overdue_days,
                    item.detail,
                    item.ref_id,
                )
            continue
        value = kind.value
        keyed: list[tuple[tuple[Any, ...], DueRow]] = []
        for cid, name, company, grade, owner_id, due, detail, ref_id, at_risk in LINES[kind](s):
            owner = names.get(owner_id, "")
            late = (today - due).days
            if late < 0:
                late = 0
            keyed.append(
                (
                    due_sort_key(
                        kind, grade, due, name, cid, ref_id, detail, owner, company, late, at_risk
                    ),
                    (value, cid, name, company, grade, owner, due, late, detail, ref_id),
                )
            )
        keyed.sort(key=_first)
        for _key, row in keyed:
            yield row


def _first(pair: tuple[tuple[Any, ...], DueRow]) -> tuple[Any, ...]:
    return pair[0]


def coming_up(
    ctx: Context, day: date | None = None, *, everyone: bool = False, limit: int = 5
) -> list[DueItem]:
    """The next follow-ups after `day`, for an empty day to show what comes next."""
    s = DueSection(ctx, day or ctx.today(), everyone)
    query = s.scoped(
        Customer.select(*CUSTOMER_COLUMNS, Customer.next_due, Customer.next_step)
        .where((Customer.next_due > s.day) & CHASED)
        .order_by(Customer.next_due, Customer.grade)
        .limit(limit)
    )
    return [
        s.item(DueKind.FOLLOW_UP, row, row[5], row[6] or _("cadence"))
        for row in tuple_rows(query, tuple[int, str, str, str, int, date, str])
    ]
