"""The due list in one line (`crmtui due --brief`, the Today screen's summary): counted from SQL
aggregates over each section's conditions, without building the list."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from peewee import SQL, Case, fn

from crmtui.db import CareDate, Commitment, Customer
from crmtui.i18n import _
from crmtui.rules import (
    DueItem,
    DueKind,
    Lifecycle,
)
from crmtui.services.context import Context
from crmtui.services.due_sections import (
    DueSection,
    care_dates,
    complaint_clocks,
    dropped_query,
    due_query,
    greetings_due,
    promise_query,
    referral_query,
    review_query,
    wanted_kinds,
)
from crmtui.services.followthrough_due import (
    delivery_query,
    instruction_query,
    payment_query,
)


class Brief(NamedTuple):
    """The due list's counts (a named tuple: cheaper to define than a dataclass, which a login
    banner would pay for at every start)."""

    due: int
    overdue_promises: int
    complaints_at_risk: int
    win_back: int = 0
    """Lapsed customers to call back (counted apart from `due`)."""

    def __str__(self) -> str:
        if not (self.due or self.overdue_promises or self.complaints_at_risk or self.win_back):
            return _("nothing due")
        parts = [_("{n} due").format(n=self.due)]
        if self.win_back:
            parts.append(_("{n} to win back").format(n=self.win_back))
        if self.overdue_promises:
            parts.append(
                (
                    _("{n} overdue promise")
                    if self.overdue_promises == 1
                    else _("{n} overdue promises")
                ).format(n=self.overdue_promises)
            )
        if self.complaints_at_risk:
            parts.append(
                (
                    _("{n} complaint at risk")
                    if self.complaints_at_risk == 1
                    else _("{n} complaints at risk")
                ).format(n=self.complaints_at_risk)
            )
        # Translators: what joins the parts of the one-line summary ("3 due, 1 overdue promise")
        return _(", ").join(parts)


def brief(items: list[DueItem]) -> Brief:
    """The one-line summary of a due list already built (the Today screen has its items)."""
    promises = sum(1 for i in items if i.kind == DueKind.PROMISE and i.overdue_days > 0)
    complaints = sum(1 for i in items if i.kind == DueKind.COMPLAINT)
    win_back = sum(1 for i in items if i.kind == DueKind.WIN_BACK)
    return Brief(
        due=len(items) - promises - complaints - win_back,
        overdue_promises=promises,
        complaints_at_risk=complaints,
        win_back=win_back,
    )


def count_due(ctx: Context, day: date | None = None, *, everyone: bool = False) -> Brief:
    """`brief(due_list(...))` without building the list: counts from SQL aggregates over the
    same conditions, with only the complaints' clocks and the care dates' calendars read row by
    row (few rows: those are computed, not stored). For `crmtui due --brief`, a login banner."""
    s = DueSection(ctx, day or ctx.today(), everyone)
    wanted = set(wanted_kinds(ctx, None))
    due = overdue_promises = complaints = win_back = 0
    if DueKind.COMPLAINT in wanted:
        complaints = sum(1 for _row in complaint_clocks(s))
    if DueKind.PROMISE in wanted:
        promises, overdue_promises = s.count(
            promise_query(
                s, fn.COUNT(Commitment.id), fn.SUM(Case(None, [(Commitment.due < s.day, 1)], 0))
            )
        )
        due += promises - overdue_promises
    if DueKind.FOLLOW_UP in wanted:
        lapsed = Customer.lifecycle == Lifecycle.LAPSED.value
        total, win_back = s.count(
            due_query(s, fn.COUNT(Customer.id), fn.SUM(Case(None, [(lapsed, 1)], 0)))
        )
        due += total - win_back
    if wanted & {DueKind.INSTRUCTION, DueKind.DELIVERY, DueKind.PAYMENT}:
        for kind, query in (
            (DueKind.INSTRUCTION, instruction_query),
            (DueKind.DELIVERY, delivery_query),
            (DueKind.PAYMENT, payment_query),
        ):
            if kind in wanted:
                due += s.count(query(s, fn.COUNT(SQL("*"))))[0]
    if DueKind.CARE in wanted:
        due += sum(1 for _row in care_dates(s, CareDate.id))
    if DueKind.GREETING in wanted:
        due += len(greetings_due(s))
    for kind, customer_query in (
        (DueKind.REFERRAL, referral_query),
        (DueKind.DROPPED, dropped_query),
        (DueKind.REVIEW, review_query),
    ):
        if kind in wanted:
            due += s.count(customer_query(s, fn.COUNT(SQL("*"))))[0]
    return Brief(
        due=due, overdue_promises=overdue_promises, complaints_at_risk=complaints, win_back=win_back
    )
