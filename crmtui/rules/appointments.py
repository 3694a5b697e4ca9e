"""Appointments (拜访, 约见): a visit, call or meeting with a customer at a time of day, and when
two of one person's appointments clash.

Moments are aware datetimes and the rules compare instants, so an appointment made in
Asia/Shanghai and read in UTC is the same interval; a day's window is the day in the reader's
zone. An appointment is the half-open interval [start, start + minutes): one that ends at 10:00
and one that starts at 10:00 are back to back, not a clash.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import NamedTuple

from ._base import StrEnum


class AppointmentKind(StrEnum):
    VISIT = "visit"
    CALL = "call"
    MEETING = "meeting"


class Purpose(StrEnum):
    """Why a visit is made (拜访目的), the manuals' five."""

    REVENUE = "revenue"  # 销售额: an order, a price, a contract
    RETAIN = "retain"  # 维系: keep the customer
    RELATIONSHIP = "relationship"  # 关系: the relationship itself
    INFORMATION = "information"  # 信息: market and competitor information
    DEVELOP = "develop"  # 开发: develop the customer (new products, more of their needs)


class AppointmentStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"  # logged: the interaction that closed it is stored with it
    CANCELLED = "cancelled"


class PurposeMet(StrEnum):
    """The review after a visit: was its purpose met (目的是否达成)."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


DEFAULT_MINUTES = 60
MAX_MINUTES = 24 * 60
"""An appointment lasts from one minute to a day."""

OCCUPYING = (AppointmentStatus.PLANNED, AppointmentStatus.DONE)
"""Statuses that hold the time: a cancelled appointment frees it."""


class Slot(NamedTuple):
    """An appointment's time: `start` (aware) for `minutes`."""

    start: datetime
    minutes: int
    key: int | None = None
    """The appointment's id, so that moving one does not clash with itself."""

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)


def overlaps(a: Slot, b: Slot) -> bool:
    """Whether two appointments share a moment; back to back (one ends as the other starts)
    does not."""
    return a.start < b.end and b.start < a.end


def first_clash(slot: Slot, others: Iterable[Slot]) -> Slot | None:
    """The earliest of `others` that overlaps `slot` (itself, by key, excluded), or None."""
    clashes = [
        other
        for other in others
        if (slot.key is None or other.key != slot.key) and overlaps(slot, other)
    ]
    return min(clashes, key=lambda other: (other.start, other.key or 0), default=None)


def day_window(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The instants [start, end) of a calendar day in `zone`, in UTC: what a day's schedule
    reads (23 or 25 hours on the days clocks change)."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def is_missed(status: str, end: datetime, now: datetime) -> bool:
    """A planned appointment whose time is over and that was not logged."""
    return status == AppointmentStatus.PLANNED and end <= now


EARLY_LOG = timedelta(minutes=15)
"""A contact logged this long before an appointment's start still counts as holding it."""


def held_by(start: datetime, contact_at: datetime) -> bool:
    """Whether a contact logged at `contact_at` (on the appointment's day) is that appointment
    held: it began, or begins within a quarter of an hour. A morning call to confirm an
    afternoon visit is not the visit."""
    return contact_at >= start - EARLY_LOG


def minute_of(moment: datetime) -> datetime:
    """A moment to the minute: appointments are booked in minutes, so `+2h` typed at
    09:13:42 is 11:13."""
    return moment.replace(second=0, microsecond=0)


__all__ = [
    "AppointmentKind",
    "Purpose",
    "AppointmentStatus",
    "PurposeMet",
    "DEFAULT_MINUTES",
    "MAX_MINUTES",
    "OCCUPYING",
    "Slot",
    "overlaps",
    "first_clash",
    "day_window",
    "is_missed",
    "minute_of",
    "EARLY_LOG",
    "held_by",
]
