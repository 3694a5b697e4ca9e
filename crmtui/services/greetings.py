"""Holiday greetings (节日问候): in the days before a configured holiday (Spring Festival,
Mid-Autumn…), the customers of the chosen grades or 80/20 tiers who were not greeted for it yet.

Off unless the config file lists holidays; then the due list asks the holidays library (through
crmtui.festivals) which of them come up within the lead days, and runs one query only when one
does. Logging a contact from a greeting item, or `crmtui log --greeting`, records the greeting
for every holiday coming up, so the customer leaves those lists.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from peewee import fn

from crmtui import festivals
from crmtui.config import Greetings
from crmtui.db import Customer, HolidayGreeting
from crmtui.i18n import _
from crmtui.present.time import days_span
from crmtui.rules import DueItem, DueKind, Grade, Tier, tier_at
from crmtui.services.context import Context

def upcoming_holidays(ctx: Context, day: date) -> list[festivals.Holiday]:
    """The configured holidays whose first day is within the lead days of `day`."""
    greetings: Greetings = ctx.config.greetings
    if not greetings.holidays:
        return []
    return festivals.upcoming(greetings.country, greetings.holidays, day, greetings.lead_days)


def _tier_bounds() -> tuple[tuple | None, tuple | None]:
    """The (revenue, id) of the last key customer and of the last important one, in the
    team-wide revenue ranking (revenue descending, then id), as the profile ranks them."""
    total = Customer.revenue.python_value(
        Customer.select(fn.SUM(Customer.revenue)).scalar() or 0) or Decimal(0)
    if total <= 0:
        return None, None
    key = important = None
    ahead = Decimal(0)
    ranked = (Customer.select(Customer.id, Customer.revenue).where(Customer.revenue > 0)
              .order_by(Customer.revenue.desc(), Customer.id).tuples())
    for customer_id, revenue in ranked:  # stops at the first ordinary customer
        tier = tier_at(ahead, revenue, total)
        if tier is Tier.KEY:
            key = (revenue, customer_id)
        elif tier is Tier.IMPORTANT:
            important = (revenue, customer_id)
        else:
            break
        ahead += revenue
    return key, important or key


def _upto(bound: tuple | None):
    """Ranked at or before `bound` (nothing when there is none)."""
    if bound is None:
        return Customer.id < 0
    revenue, customer_id = bound
    return (Customer.revenue > revenue) | ((Customer.revenue == revenue)
                                           & (Customer.id <= customer_id))


def _who(greetings: Greetings):
    """The customers the greetings are for: of the chosen grades or tiers."""
    grades = {g.value for g in greetings.grades}
    tiers = greetings.tiers
    if not grades and not tiers:
        return Customer.grade != Grade.E.value
    condition = Customer.grade.in_(sorted(grades)) if grades else None
    parts = []
    if tiers & {Tier.KEY, Tier.IMPORTANT, Tier.ORDINARY}:
        key, important = _tier_bounds()
        if Tier.KEY in tiers:
            parts.append(_upto(key))
        if Tier.IMPORTANT in tiers:
            parts.append(_upto(important) & ~_upto(key))
        if Tier.ORDINARY in tiers:
            parts.append((Customer.revenue > 0) & ~_upto(important))
    if Tier.NONE in tiers:
        parts.append(Customer.revenue <= 0)
    for part in parts:
        condition = part if condition is None else (condition | part)
    return condition


def greeting_items(section) -> list[DueItem]:
    """The due list's greeting section (section: crmtui.services.due's shared state)."""
    holidays = upcoming_holidays(section.ctx, section.day)
    if not holidays:
        return []
    who = _who(section.ctx.config.greetings)
    items = []
    for holiday in holidays:
        greeted = HolidayGreeting.select(HolidayGreeting.customer).where(
            (HolidayGreeting.holiday == holiday.key) & (HolidayGreeting.day == holiday.day))
        query = section.scoped(
            Customer.select(Customer.id, Customer.name, Customer.company, Customer.grade,
                            Customer.owner)
            .where(who & Customer.id.not_in(greeted)))
        days = (holiday.day - section.day).days
        when = _("today") if days == 0 else _("in {span}").format(span=days_span(days))
        detail = f"{festivals.shown_name(holiday)} · {when}"
        items += [section.item(DueKind.GREETING, row, holiday.day, detail)
                  for row in query.tuples()]
    return items


def record_greetings(ctx: Context, customer_id: int, day: date) -> int:
    """Inside a write: the customer was greeted for every holiday coming up. How many."""
    recorded = 0
    for holiday in upcoming_holidays(ctx, day):
        exists = HolidayGreeting.select().where(
            (HolidayGreeting.customer == customer_id) & (HolidayGreeting.holiday == holiday.key)
            & (HolidayGreeting.day == holiday.day)).exists()
        if not exists:
            HolidayGreeting.create(customer=customer_id, holiday=holiday.key, day=holiday.day,
                                   at=ctx.now(), by=ctx.user.id)
            recorded += 1
    return recorded
