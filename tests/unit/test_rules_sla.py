from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmtui.rules import (
    DEFAULT_POLICY,
    OPEN_STATUSES,
    TRANSITIONS,
    BusinessHours,
    ComplaintStatus as S,
    Severity,
    SlaPolicy,
    SlaState,
    add_service_time,
    can_transition,
    sla_deadlines,
    sla_state,
    time_left,
)

OPENED = datetime(2026, 11, 23, 10, 0)  # a Monday
H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("severity", "respond", "resolve"),
    [
        (Severity.CRITICAL, OPENED + H, OPENED + 24 * H),
        (Severity.HIGH, OPENED + 4 * H, OPENED + timedelta(days=3)),
        ("normal", OPENED + 24 * H, OPENED + timedelta(days=7)),
        ("low", OPENED + 72 * H, OPENED + timedelta(days=14)),
    ],
)
def test_default_deadlines(severity, respond, resolve):
    assert sla_deadlines(OPENED, severity) == (respond, resolve)


def test_aware_calendar_time():
    opened = datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    respond, _ = sla_deadlines(opened, "critical")
    assert respond == opened + H and respond.tzinfo is opened.tzinfo


def test_state_boundaries():
    deadline = OPENED + 4 * H
    assert sla_state(OPENED, OPENED, deadline) is SlaState.OK
    assert sla_state(deadline - H - timedelta(seconds=1), OPENED, deadline) is SlaState.OK
    assert sla_state(deadline - H, OPENED, deadline) is SlaState.AT_RISK  # exactly 25% left
    assert sla_state(deadline, OPENED, deadline) is SlaState.AT_RISK
    assert sla_state(deadline + timedelta(seconds=1), OPENED, deadline) is SlaState.BREACHED
    assert time_left(deadline + H, deadline) == -H
    assert time_left(OPENED, deadline) == 4 * H


BUSINESS = SlaPolicy(
    respond={"critical": H, "high": 4 * H, "normal": 8 * H, "low": 24 * H},
    resolve={s: 9 * H * 3 for s in Severity},
    business_hours=BusinessHours(frozenset(range(5)), time(9), time(18)),
    holidays=frozenset({date(2026, 12, 1)}),
)
FRIDAY = datetime(2026, 11, 27, 16, 0)


def test_business_hours_across_weekend():
    assert add_service_time(FRIDAY, 4 * H, BUSINESS) == datetime(2026, 11, 30, 11, 0)
    assert add_service_time(FRIDAY, 2 * H, BUSINESS) == datetime(2026, 11, 27, 18, 0)
    saturday = datetime(2026, 11, 28, 12, 0)
    assert add_service_time(saturday, H, BUSINESS) == datetime(2026, 11, 30, 10, 0)
    early = datetime(2026, 11, 23, 7, 0)
    assert add_service_time(early, H, BUSINESS) == datetime(2026, 11, 23, 10, 0)
    late = datetime(2026, 11, 23, 20, 0)
    assert add_service_time(late, H, BUSINESS) == datetime(2026, 11, 24, 10, 0)


def test_business_hours_skip_holiday():
    monday = datetime(2026, 11, 30, 17, 0)
    # One hour Monday, Tuesday 2026-12-01 is a holiday, three hours Wednesday.
    assert add_service_time(monday, 4 * H, BUSINESS) == datetime(2026, 12, 2, 12, 0)
    respond, resolve = sla_deadlines(FRIDAY, "low", BUSINESS)
    assert respond == datetime(2026, 12, 3, 13, 0)  # 24 h = Fri 2 + Mon 9 + Wed 9 + Thu 4
    assert resolve == datetime(2026, 12, 3, 16, 0)  # 27 h


def test_business_hours_keep_tz():
    tz = timezone(timedelta(hours=8))
    start = FRIDAY.replace(tzinfo=tz)
    assert add_service_time(start, 4 * H, BUSINESS) == datetime(2026, 11, 30, 11, 0, tzinfo=tz)


def test_invalid_policies():
    with pytest.raises(ValueError):
        BusinessHours(frozenset(), time(9), time(18))
    with pytest.raises(ValueError):
        BusinessHours(frozenset({0}), time(18), time(9))
    with pytest.raises(ValueError):
        SlaPolicy(respond={"critical": H}, resolve=DEFAULT_POLICY.resolve)


def test_transitions_table():
    assert dict(TRANSITIONS) == {
        S.NEW: {S.ACKNOWLEDGED},
        S.ACKNOWLEDGED: {S.IN_PROGRESS},
        S.IN_PROGRESS: {S.WAITING_CUSTOMER, S.RESOLVED},
        S.WAITING_CUSTOMER: {S.IN_PROGRESS},
        S.RESOLVED: {S.CLOSED, S.REOPENED},
        S.CLOSED: {S.REOPENED},
        S.REOPENED: {S.IN_PROGRESS},
    }
    assert can_transition("new", "acknowledged")
    assert not can_transition("new", "in_progress")
    assert not can_transition(S.CLOSED, S.IN_PROGRESS)
    assert can_transition(S.CLOSED, S.REOPENED)
    assert OPEN_STATUSES == set(S) - {S.RESOLVED, S.CLOSED}
    with pytest.raises(ValueError):
        can_transition("new", "done")


starts = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1))
durations = st.integers(min_value=0, max_value=200 * 60).map(lambda m: timedelta(minutes=m))


@given(start=starts, duration=durations)
def test_business_time_never_earlier_than_calendar(start, duration):
    end = add_service_time(start, duration, BUSINESS)
    assert end >= start + duration
    if duration:
        assert end.weekday() < 5 and end.date() not in BUSINESS.holidays
        assert time(9) < end.time() <= time(18)
