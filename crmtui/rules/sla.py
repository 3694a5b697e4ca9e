"""Complaint statuses and service levels (SPEC 2.5)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from types import MappingProxyType

from ._base import StrEnum, Value


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class SlaState(StrEnum):
    OK = "ok"
    AT_RISK = "at_risk"
    BREACHED = "breached"


class ComplaintStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    WAITING_CUSTOMER = "waiting_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"


_S = ComplaintStatus
TRANSITIONS: Mapping[ComplaintStatus, frozenset[ComplaintStatus]] = MappingProxyType(
    {
        _S.NEW: frozenset({_S.ACKNOWLEDGED}),
        _S.ACKNOWLEDGED: frozenset({_S.IN_PROGRESS}),
        _S.IN_PROGRESS: frozenset({_S.WAITING_CUSTOMER, _S.RESOLVED}),
        _S.WAITING_CUSTOMER: frozenset({_S.IN_PROGRESS}),
        _S.RESOLVED: frozenset({_S.CLOSED, _S.REOPENED}),
        _S.CLOSED: frozenset({_S.REOPENED}),
        _S.REOPENED: frozenset({_S.IN_PROGRESS}),
    }
)

OPEN_STATUSES: frozenset[ComplaintStatus] = frozenset(ComplaintStatus) - {_S.RESOLVED, _S.CLOSED}


def can_transition(old: ComplaintStatus | str, new: ComplaintStatus | str) -> bool:
    """True when a complaint may move from old to new."""
    return ComplaintStatus(new) in TRANSITIONS[ComplaintStatus(old)]


class BusinessHours(Value):
    """Working time: weekdays (0 = Monday) from start to end."""

    __slots__ = ("weekdays", "start", "end")
    weekdays: frozenset[int]
    start: time
    end: time

    def __init__(
        self,
        weekdays: Iterable[int] = frozenset(range(5)),
        start: time = time(9),
        end: time = time(18),
    ) -> None:
        weekdays = frozenset(weekdays)
        # Without at least one open slot add_service_time would never finish.
        if not weekdays or not weekdays <= set(range(7)):
            raise ValueError("business hours need weekdays between 0 (Monday) and 6 (Sunday)")
        if start >= end:
            raise ValueError("business hours must end after they start")
        super().__init__(weekdays=weekdays, start=start, end=end)


class SlaPolicy(Value):
    """Response and resolution targets per severity, in calendar or business time."""

    __slots__ = ("respond", "resolve", "business_hours", "holidays")
    respond: Mapping[Severity, timedelta]
    resolve: Mapping[Severity, timedelta]
    business_hours: BusinessHours | None
    holidays: frozenset[date]

    def __init__(
        self,
        respond: Mapping[Severity, timedelta],
        resolve: Mapping[Severity, timedelta],
        business_hours: BusinessHours | None = None,
        holidays: Iterable[date] = frozenset(),
    ) -> None:
        targets = {}
        for name, given in (("respond", respond), ("resolve", resolve)):
            # Configs arrive with string keys; a str enum does not hash like its value.
            by_severity = {Severity(k): v for k, v in given.items()}
            if set(by_severity) != set(Severity):
                raise ValueError(f"the {name} targets need every severity")
            targets[name] = MappingProxyType(by_severity)
        super().__init__(**targets, business_hours=business_hours, holidays=frozenset(holidays))


DEFAULT_POLICY = SlaPolicy(
    respond={
        Severity.CRITICAL: timedelta(hours=1),
        Severity.HIGH: timedelta(hours=4),
        Severity.NORMAL: timedelta(hours=24),
        Severity.LOW: timedelta(hours=72),
    },
    resolve={
        Severity.CRITICAL: timedelta(hours=24),
        Severity.HIGH: timedelta(days=3),
        Severity.NORMAL: timedelta(days=7),
        Severity.LOW: timedelta(days=14),
    },
)


def add_service_time(start: datetime, duration: timedelta, policy: SlaPolicy) -> datetime:
    """start plus duration, counting only business hours when the policy has them."""
    hours = policy.business_hours
    if hours is None or not duration:
        return start + duration
    if duration < timedelta(0):
        raise ValueError("a service time cannot be negative")
    tz, remaining, current = start.tzinfo, duration, start
    while True:
        day = current.date()
        if day.weekday() in hours.weekdays and day not in policy.holidays:
            opens = datetime.combine(day, hours.start, tzinfo=tz)
            closes = datetime.combine(day, hours.end, tzinfo=tz)
            if current < closes:
                begin = max(current, opens)
                if remaining <= closes - begin:
                    return begin + remaining
                remaining -= closes - begin
        current = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)


def service_time_between(start: datetime, end: datetime, policy: SlaPolicy) -> timedelta:
    """The service time from start to end (zero when end is not later): calendar time, or only
    the business hours in between when the policy has them, counted in start's zone."""
    if end <= start:
        return timedelta(0)
    hours = policy.business_hours
    if hours is None:
        return end - start
    tz = start.tzinfo
    if tz is not None:
        end = end.astimezone(tz)
    total, day = timedelta(0), start.date()
    while day <= end.date():
        if day.weekday() in hours.weekdays and day not in policy.holidays:
            opens = max(start, datetime.combine(day, hours.start, tzinfo=tz))
            closes = min(end, datetime.combine(day, hours.end, tzinfo=tz))
            if closes > opens:
                total += closes - opens
        day += timedelta(days=1)
    return total


def resume_deadline(
    deadline: datetime, waiting_since: datetime, resumed_at: datetime, policy: SlaPolicy
) -> datetime:
    """The resolution deadline after the clock was paused from waiting_since to resumed_at:
    moved by the service time paused (so business hours count only the working time lost)."""
    paused = service_time_between(waiting_since, resumed_at, policy)
    return add_service_time(deadline, paused, policy)


def sla_deadlines(
    opened_at: datetime, severity: Severity | str, policy: SlaPolicy = DEFAULT_POLICY
) -> tuple[datetime, datetime]:
    """(respond_by, resolve_by) for a complaint opened at opened_at."""
    severity = Severity(severity)
    return (
        add_service_time(opened_at, policy.respond[severity], policy),
        add_service_time(opened_at, policy.resolve[severity], policy),
    )


def sla_state(now: datetime, opened_at: datetime, deadline: datetime) -> SlaState:
    """Breached after the deadline; at risk once a quarter of the window or less remains."""
    if now > deadline:
        return SlaState.BREACHED
    if (deadline - now) * 4 <= deadline - opened_at:
        return SlaState.AT_RISK
    return SlaState.OK


def time_left(now: datetime, deadline: datetime) -> timedelta:
    """Time until the deadline, negative when overdue."""
    return deadline - now
