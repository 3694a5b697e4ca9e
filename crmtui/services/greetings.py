"""Holiday greetings (节日问候): in the days before a configured holiday (Spring Festival,
Mid-Autumn…), the customers of the chosen grades or value classes who were not greeted for it
yet.

Off unless the config file lists holidays; then the due list asks the holidays library (through
crmtui.festivals) which of them come up within the lead days, and runs one query only when one
does. Logging a contact from a greeting item, or `crmtui log --greeting`, records the greeting
for every holiday coming up, so the customer leaves those lists.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from peewee import Expression

from crmtui import festivals
from crmtui.config import Greetings
from crmtui.db import Customer, HolidayGreeting
from crmtui.db.rows import tuple_rows
from crmtui.i18n import _
from crmtui.present.time import days_span
from crmtui.rules import DueItem, DueKind, Grade, Lifecycle
from crmtui.services.context import Context

if TYPE_CHECKING:
    from crmtui.services.due_sections import DueSection


def upcoming_holidays(ctx: Context, day: date) -> list[festivals.Holiday]:
    """The configured holidays whose first day is within the lead days of `day`."""
    greetings: Greetings = ctx.config.greetings
    if not greetings.holidays:
        return []
    return festivals.upcoming(greetings.country, greetings.holidays, day, greetings.lead_days)


def _who(greetings: Greetings) -> Expression:
    """The customers the greetings are for: of the chosen grades or value classes (the stored
    class: by the figures, or as pinned by hand). Terminated customers are greeted by nobody."""
    grades = {g.value for g in greetings.grades}
    tiers = {t.value for t in greetings.tiers}
    if not grades and not tiers:
        wanted = Customer.grade != Grade.E.value
    elif grades and tiers:
        wanted = Customer.grade.in_(sorted(grades)) | Customer.value_class.in_(sorted(tiers))
    elif grades:
        wanted = Customer.grade.in_(sorted(grades))
    else:
        wanted = Customer.value_class.in_(sorted(tiers))
    return wanted & (Customer.lifecycle != Lifecycle.TERMINATED.value)


def greeting_items(section: DueSection) -> list[DueItem]:
    """The due list's greeting section (section: crmtui.services.due_sections.DueSection)."""
    holidays = upcoming_holidays(section.ctx, section.day)
    if not holidays:
        return []
    who = _who(section.ctx.config.greetings)
    items: list[DueItem] = []
    for holiday in holidays:
        greeted = HolidayGreeting.select(HolidayGreeting.customer).where(
            (HolidayGreeting.holiday == holiday.key) & (HolidayGreeting.day == holiday.day)
        )
        query = section.scoped(
            Customer.select(
                Customer.id, Customer.name, Customer.company, Customer.grade, Customer.owner
            ).where(who & Customer.id.not_in(greeted))
        )
        days = (holiday.day - section.day).days
        when = _("today") if days == 0 else _("in {span}").format(span=days_span(days))
        detail = f"{festivals.shown_name(holiday)} · {when}"
        items += [
            section.item(DueKind.GREETING, row, holiday.day, detail)
            for row in tuple_rows(query, tuple[int, str, str, str, int])
        ]
    return items


def record_greetings(ctx: Context, customer_id: int, day: date) -> int:
    """Inside a write: the customer was greeted for every holiday coming up. How many."""
    recorded = 0
    for holiday in upcoming_holidays(ctx, day):
        exists = (
            HolidayGreeting.select()
            .where(
                (HolidayGreeting.customer == customer_id)
                & (HolidayGreeting.holiday == holiday.key)
                & (HolidayGreeting.day == holiday.day)
            )
            .exists()
        )
        if not exists:
            HolidayGreeting.create(
                customer=customer_id,
                holiday=holiday.key,
                day=holiday.day,
                at=ctx.now(),
                by=ctx.user.id,
            )
            recorded += 1
    return recorded
