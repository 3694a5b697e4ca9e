"""After the sale: the customer lifecycle, lapsing, maintenance visits by value class, the
follow-up schedule that folds them together, and the follow-ups a win took (SPEC 2.3, 2.10).

Decisions recorded here:

- **Usual gap** between orders is the *median* of the gaps, in days, between consecutive
  distinct order days: one burst of orders in a week or one long pause does not move it, and
  twice the median is always a whole number of days (for an even number of gaps the median is
  the mean of the two middle ones, so twice it is their sum). Several orders on one day count
  as one buying day. A customer with one buying day has no usual gap.
- **Lapsed**: the last order is older than the larger of twice the usual gap and `lapse_days`
  (default 180), "older than" meaning strictly more days have passed. The two halves are
  stored apart (`regular_until` = last order + twice the usual gap), so the team's
  `lapse_days` is read when the rule is applied, not when the orders were written.
- **Maintenance** applies to lifecycle `customer` only: prospects have not bought, a lapsed
  customer is won back rather than maintained, and a terminated one is chased by nobody.
- **The schedule**: an explicit next step wins over every cadence. Otherwise the earliest of
  the grade's cadence (the prospect cadence) and the value class's maintenance cadence; on a
  tie the maintenance rule is named, since the customer is one being maintained. An account
  plan's visit cycle, when set, is the team's written agreement for that customer and wins
  over both cadences (a rep chasing a new deal with that customer sets explicit next steps).
  A lapsed customer not contacted since the day they lapsed is due that day, for a win-back
  call; afterwards their grade's cadence paces the win-back calls.
- **A win's follow-ups** are the outbound, answered contacts since its opportunity opened,
  less the first one (the first contact is not a follow-up, as the manuals count: 2% of sales
  close at first contact, 3% after the first follow-up…). Inbound and no-answer contacts do not
  count; a win opens the next opportunity at the moment it closes, so the count starts again:
  a contact at that very moment belongs to the sale, those after it to the next opportunity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from itertools import pairwise
from types import MappingProxyType
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from ._base import StrEnum, Value
from .cadence import Cadence, cadence_step
from .value import Tier

LAPSE_DAYS = 180


class Lifecycle(StrEnum):
    PROSPECT = "prospect"
    """No order yet."""
    CUSTOMER = "customer"
    """Has bought (已成交) and has not lapsed."""
    LAPSED = "lapsed"
    """Has stopped buying (流失客户): to be won back (挽回)."""
    TERMINATED = "terminated"
    """Set by hand with a reason (已终止合作): on no chase list."""


CHASED = frozenset({Lifecycle.PROSPECT, Lifecycle.CUSTOMER, Lifecycle.LAPSED})
"""Lifecycles whose customers appear on chase lists (follow-ups, referral asks, greetings…)."""


class DueRule(StrEnum):
    """What made a customer's next follow-up due: shown on the due list's item."""

    FIRST_CONTACT = "first_contact"
    NEXT_STEP = "next_step"
    GRADE = "grade"
    """The prospect cadence of the grade (or the customer's own cadence)."""
    VALUE_CLASS = "class"
    """The maintenance cadence of the value class."""
    PLAN = "plan"
    """The account plan's visit cycle."""
    WIN_BACK = "win_back"
    """The day the customer lapsed."""


class MaintenanceSource(StrEnum):
    VALUE_CLASS = "class"
    PLAN = "plan"


DEFAULT_MAINTENANCE: Mapping[Tier, Cadence] = MappingProxyType(
    {
        Tier.KEY: Cadence.WEEKLY,
        Tier.IMPORTANT: Cadence.HALF_MONTHLY,
        Tier.ORDINARY: Cadence.MONTHLY,
        Tier.NONE: Cadence.QUARTERLY,
    }
)


# -- lapsing --------------------------------------------------------------------------------------


def buying_days(order_days: Iterable[date]) -> list[date]:
    """The distinct days with an order, in order."""
    return sorted(set(order_days))


def twice_usual_gap(order_days: Iterable[date]) -> int | None:
    """Twice the median gap in days between consecutive buying days; None with fewer than
    two buying days."""
    days = buying_days(order_days)
    gaps = sorted((later - earlier).days for earlier, later in pairwise(days))
    if not gaps:
        return None
    middle = len(gaps) // 2
    return 2 * gaps[middle] if len(gaps) % 2 else gaps[middle - 1] + gaps[middle]


def usual_gap(order_days: Iterable[date]) -> float | None:
    """The median gap in days between consecutive buying days (None with fewer than two)."""
    twice = twice_usual_gap(order_days)
    return None if twice is None else twice / 2


def regular_until(order_days: Iterable[date]) -> date | None:
    """The last buying day plus twice the usual gap: until then the customer's own rhythm says
    they are still buying. None with fewer than two buying days."""
    days = buying_days(order_days)
    twice = twice_usual_gap(days)
    return None if twice is None else days[-1] + timedelta(days=twice)


def is_lapsed(
    last_order: date | None, regular: date | None, today: date, lapse_days: int = LAPSE_DAYS
) -> bool:
    """True when the last order is older than both `lapse_days` and twice the usual gap
    (`regular` = last order + twice the usual gap, None without a usual gap)."""
    if last_order is None:
        return False
    return (today - last_order).days > lapse_days and (regular is None or today > regular)


def lapses_on(last_order: date, regular: date | None, lapse_days: int = LAPSE_DAYS) -> date:
    """The first day on which a customer with no further order counts as lapsed."""
    by_days = last_order + timedelta(days=lapse_days + 1)
    return by_days if regular is None else max(by_days, regular + timedelta(days=1))


def lifecycle_for(
    order_days: Iterable[date],
    today: date,
    *,
    terminated: bool = False,
    lapse_days: int = LAPSE_DAYS,
) -> Lifecycle:
    """The lifecycle on `today` from the customer's order days (orders after today do not
    count yet) and whether they were terminated by hand."""
    if terminated:
        return Lifecycle.TERMINATED
    days = [day for day in buying_days(order_days) if day <= today]
    if not days:
        return Lifecycle.PROSPECT
    if is_lapsed(days[-1], regular_until(days), today, lapse_days):
        return Lifecycle.LAPSED
    return Lifecycle.CUSTOMER


# -- maintenance ----------------------------------------------------------------------------------


def maintenance_cadence(
    value_class: Tier | str, overrides: Mapping[Tier, Cadence] | Mapping[str, str] | None = None
) -> Cadence:
    """The visiting cadence of a value class, from the team's overrides when it has one."""
    value_class = Tier(value_class)
    for key, value in (overrides or {}).items():
        if Tier(key) is value_class:
            return Cadence(value)
    return DEFAULT_MAINTENANCE[value_class]


class Maintenance(Value):
    """How often a customer is visited to keep them, and what says so."""

    __slots__ = ("source", "value_class", "cadence", "every_days")
    source: MaintenanceSource
    value_class: Tier
    cadence: Cadence | None
    """The class's cadence (source class)."""
    every_days: int | None
    """The account plan's visit cycle (source plan)."""

    def __init__(
        self,
        source: MaintenanceSource,
        value_class: Tier,
        cadence: Cadence | None = None,
        every_days: int | None = None,
    ) -> None:
        if source is MaintenanceSource.PLAN:
            if not every_days or every_days < 1:
                raise ValueError("an account plan's visit cycle is at least one day")
        elif cadence is None:
            raise ValueError("a class's maintenance needs its cadence")
        super().__init__(
            source=source, value_class=value_class, cadence=cadence, every_days=every_days
        )

    @property
    def step(self) -> relativedelta:
        if self.source is MaintenanceSource.PLAN:
            assert self.every_days is not None  # __init__ holds it
            return relativedelta(days=self.every_days)
        assert self.cadence is not None  # __init__ holds it
        return cadence_step(self.cadence)


def maintenance_for(
    lifecycle: Lifecycle | str,
    value_class: Tier | str,
    *,
    plan_every_days: int | None = None,
    overrides: Mapping[Tier, Cadence] | Mapping[str, str] | None = None,
) -> Maintenance | None:
    """The maintenance of a customer: the plan's visit cycle when one is set, else the value
    class's cadence; None unless the lifecycle is `customer`."""
    if Lifecycle(lifecycle) is not Lifecycle.CUSTOMER:
        return None
    value_class = Tier(value_class)
    if plan_every_days:
        return Maintenance(MaintenanceSource.PLAN, value_class, every_days=plan_every_days)
    return Maintenance(
        MaintenanceSource.VALUE_CLASS,
        value_class,
        cadence=maintenance_cadence(value_class, overrides),
    )


# -- the schedule ---------------------------------------------------------------------------------


class Schedule(NamedTuple):
    """A customer's next follow-up and why."""

    next_due: date
    cadence_due: date
    """When the cadences alone make the customer due, ignoring explicit next steps and the
    lapse day (for "at risk of being dropped")."""
    rule: DueRule


def _workday(day: date) -> date:
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def schedule(
    *,
    created_on: date,
    last_touch: date | None,
    grade_cadence: Cadence | str,
    explicit: date | None = None,
    maintenance: Maintenance | None = None,
    lapsed_on: date | None = None,
    workdays_only: bool = False,
) -> Schedule:
    """The next follow-up date of a customer and the rule that set it (see the module notes).

    `last_touch` is the day of the last contact (None: never contacted, due on creation);
    `explicit` an explicit next step (ignored when a later contact has overtaken it);
    `maintenance` from `maintenance_for`; `lapsed_on` the day a lapsed customer lapsed.
    """
    if explicit is not None and last_touch is not None and explicit <= last_touch:
        explicit = None  # an old next step that a later contact has overtaken
    if last_touch is None:
        if explicit is not None:
            return Schedule(explicit, created_on, DueRule.NEXT_STEP)
        return Schedule(created_on, created_on, DueRule.FIRST_CONTACT)
    if maintenance is not None and maintenance.source is MaintenanceSource.PLAN:
        due, rule = last_touch + maintenance.step, DueRule.PLAN
    else:
        due, rule = last_touch + cadence_step(grade_cadence), DueRule.GRADE
        if maintenance is not None:
            kept = last_touch + maintenance.step
            if kept <= due:
                due, rule = kept, DueRule.VALUE_CLASS
    cadence_due = due
    if workdays_only:
        due = _workday(due)
    if lapsed_on is not None and last_touch < lapsed_on and lapsed_on < due:
        due, rule = lapsed_on, DueRule.WIN_BACK
    if explicit is not None:
        due, rule = explicit, DueRule.NEXT_STEP
    return Schedule(due, cadence_due, rule)


# -- wins -----------------------------------------------------------------------------------------


def counts_as_followup(direction: str, outcome: str) -> bool:
    """An outbound contact that was answered: what a follow-up (跟踪) is."""
    return direction == "out" and outcome != "no_answer"


def opportunity_followups(
    contacts: Iterable[tuple[datetime, str, str]], opened: datetime | None, closed: datetime
) -> int:
    """The follow-ups an opportunity took: of the contacts (at, direction, outcome) after
    `opened` (the previous win; None: from the first contact) up to and including `closed`,
    the outbound answered ones after the first of them."""
    counted = sum(
        1
        for at, direction, outcome in contacts
        if (opened is None or at > opened)
        and at <= closed
        and counts_as_followup(direction, outcome)
    )
    return max(0, counted - 1)
