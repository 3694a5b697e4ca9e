"""Today's due list (SPEC §4.1): its items for the Today screen and `crmtui due`, and its rows
for `crmtui due --json` (services.due_sections reads each section)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from crmtui.db import Appointment, Customer
from crmtui.db.rows import tuple_rows
from crmtui.i18n import _
from crmtui.output import json_row_format, json_string
from crmtui.present import Memo
from crmtui.rules import (
    DueItem,
    DueKind,
    order_due_items,
    section_line_key,
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
    # section by section, each in its order: the list's order (sections come first in it)
    for kind in wanted_kinds(ctx, kinds):
        if kind is DueKind.GREETING:
            items += order_due_items(greetings_due(section))
            continue
        lines = LINES[kind](section)
        lines.sort(key=section_line_key(kind))
        # section.item's work, inline: a long list makes thousands
        for cid, name, company, grade, owner_id, due, detail, ref_id, at_risk in lines:
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
    return items


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


def due_json(ctx: Context, day: date | None = None, *, everyone: bool = False) -> Iterator[str]:
    """The due list's items as `crmtui due --json` writes each: the JSON object that
    `json_text(item.to_json())` gives, in the list's order, section by section, written
    straight from each section's lines (a manager's team has tens of thousands: no DueItem,
    no row per line)."""
    s = DueSection(ctx, day or ctx.today(), everyone)
    today = s.day
    owners: Memo[int, str] = Memo(lambda _unknown: '""')  # an owner not among the users: no name
    owners.update((uid, json_string(shown)) for uid, (shown, _login) in s.owners().items())
    late: Memo[date, str] = Memo(lambda due: str((today - due).days) if due < today else "0")
    read: dict[str, int | tuple[int, Mapping[Any, str]]] = {
        "customer_id": 0,
        "customer": 1,
        "company": 2,
        "grade": 3,
        "owner": (4, owners),
        "due": 5,
        "overdue_days": (5, late),
        "detail": 6,
        "ref_id": 7,
    }
    for kind in wanted_kinds(ctx, None):
        if kind is DueKind.GREETING:
            write_item = json_row_format(DUE_COLUMNS)
            for item in order_due_items(greetings_due(s)):
                yield write_item(
                    (
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
                )
            continue
        lines = LINES[kind](s)
        lines.sort(key=section_line_key(kind))
        yield from map(
            json_row_format(DUE_COLUMNS, fixed={"kind": kind.value}, read=read, width=9), lines
        )


def any_appointment_on(ctx: Context, day: date) -> bool:
    """Whether anyone has an appointment on `day` (in the user's zone), whatever its state: one
    look at the table, so that printing the list on a day without any need not load the
    schedule's services."""
    # on first use: `crmtui due --json` prints no schedule
    from crmtui.rules.appointments import day_window

    start, end = day_window(day, ctx.zone)
    query = Appointment.select(Appointment.id).where(
        (Appointment.starts_at >= start) & (Appointment.starts_at < end)
    )
    return bool(query.exists())


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
