"""Follow-up cadences, next due dates and time-window buckets (SPEC 2.2)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType

from dateutil.relativedelta import relativedelta

from ._base import StrEnum
from .grades import Grade


class Cadence(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    HALF_MONTHLY = "half_monthly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    """Not a grade's default: the maintenance cadence of a customer of no value class."""
    YEARLY = "yearly"


class Bucket(StrEnum):
    URGENT = "urgent"
    SOON = "soon"
    LATER = "later"
    SLOW = "slow"


DEFAULT_CADENCE: Mapping[Grade, Cadence] = MappingProxyType(
    {
        Grade.A: Cadence.DAILY,
        Grade.B: Cadence.WEEKLY,
        Grade.C: Cadence.HALF_MONTHLY,
        Grade.D: Cadence.MONTHLY,
        Grade.E: Cadence.YEARLY,
    }
)

_STEPS: Mapping[Cadence, relativedelta] = MappingProxyType(
    {
        Cadence.DAILY: relativedelta(days=1),
        Cadence.WEEKLY: relativedelta(days=7),
        Cadence.HALF_MONTHLY: relativedelta(days=15),
        Cadence.MONTHLY: relativedelta(months=1),
        Cadence.QUARTERLY: relativedelta(months=3),
        Cadence.YEARLY: relativedelta(years=1),
    }
)


def default_cadence(
    grade: Grade | str, overrides: Mapping[Grade, Cadence] | Mapping[str, str] | None = None
) -> Cadence:
    """The cadence for a grade, from the team's overrides when it has one."""
    grade = Grade(grade)
    for key, value in (overrides or {}).items():
        if Grade(key) is grade:
            return Cadence(value)
    return DEFAULT_CADENCE[grade]


def cadence_step(cadence: Cadence | str) -> relativedelta:
    """The interval one cadence adds."""
    return _STEPS[Cadence(cadence)]


def next_due(
    last_touch: date,
    cadence: Cadence | str,
    *,
    explicit: date | None = None,
    workdays_only: bool = False,
) -> date:
    """The next follow-up date after an interaction on last_touch."""
    if explicit is not None:
        if explicit <= last_touch:
            raise ValueError("the next step must come after the interaction")
        return explicit
    due = last_touch + cadence_step(cadence)
    if workdays_only and due.weekday() >= 5:
        due += timedelta(days=7 - due.weekday())
    return due


def customer_due(
    created_on: date,
    last_touch: date | None,
    cadence: Cadence | str,
    *,
    explicit: date | None = None,
    workdays_only: bool = False,
) -> date:
    """The stored next-due date of a customer; never contacted means due on creation."""
    if last_touch is None:
        return explicit if explicit is not None else created_on
    return next_due(last_touch, cadence, explicit=explicit, workdays_only=workdays_only)


def cadence_due(created_on: date, last_touch: date | None, cadence: Cadence | str) -> date:
    """When the cadence alone makes the customer due, ignoring explicit next steps."""
    if last_touch is None:
        return created_on
    return last_touch + cadence_step(cadence)


def bucket_for(due: date, today: date) -> Bucket:
    """The time window of the next action (处理时间段)."""
    if due <= today + timedelta(days=7):
        return Bucket.URGENT
    if due <= today + relativedelta(months=1):
        return Bucket.SOON
    if due <= today + relativedelta(months=3):
        return Bucket.LATER
    return Bucket.SLOW
