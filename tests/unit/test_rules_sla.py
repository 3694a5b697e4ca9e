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
    resume_deadline,
    service_time_between,
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


def test_service_time_between_in_calendar_time():
    assert service_time_between(OPENED, OPENED + 5 * H, DEFAULT_POLICY) == 5 * H
    assert service_time_between(OPENED, OPENED, DEFAULT_POLICY) == timedelta(0)
    assert service_time_between(OPENED + H, OPENED, DEFAULT_POLICY) == timedelta(0)


def test_service_time_between_counts_only_business_hours():
    monday = datetime(2026, 11, 30, 10, 0)
    assert service_time_between(FRIDAY, monday, BUSINESS) == 3 * H  # Fri 16-18, Mon 9-10
    saturday, sunday = datetime(2026, 11, 28, 9), datetime(2026, 11, 29, 20)
    assert service_time_between(saturday, sunday, BUSINESS) == timedelta(0)
    # Monday 17:00 to Wednesday 10:00 over the Tuesday 2026-12-01 holiday: 1 h + 1 h.
    assert service_time_between(datetime(2026, 11, 30, 17), datetime(2026, 12, 2, 10),
                                BUSINESS) == 2 * H
    evening = datetime(2026, 11, 23, 18, 30)
    assert service_time_between(evening, datetime(2026, 11, 24, 8, 59), BUSINESS) == timedelta(0)


def test_service_time_between_converts_end_to_start_zone():
    tz = timezone(timedelta(hours=8))
    start = datetime(2026, 11, 23, 9, 0, tzinfo=tz)
    end = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)  # 11:00 at +08:00
    assert service_time_between(start, end, BUSINESS) == 2 * H


def test_pause_moves_the_deadline_by_calendar_time():
    deadline = OPENED + 24 * H
    paused_from = OPENED + 2 * H
    assert resume_deadline(deadline, paused_from, paused_from + 90 * timedelta(minutes=1),
                           DEFAULT_POLICY) == deadline + timedelta(minutes=90)
    assert resume_deadline(deadline, paused_from, paused_from, DEFAULT_POLICY) == deadline


def test_pause_over_a_weekend_moves_the_deadline_by_the_working_time_lost():
    deadline = datetime(2026, 11, 27, 17, 30)  # Friday
    paused_from, resumed = datetime(2026, 11, 27, 17, 0), datetime(2026, 11, 30, 10, 0)
    # 2 business hours paused (Fri 17-18, Mon 9-10): Fri 17:30 + 2 h = Mon 10:30.
    assert resume_deadline(deadline, paused_from, resumed, BUSINESS) == \
        datetime(2026, 11, 30, 10, 30)
    # A pause over the weekend alone loses no working time.
    assert resume_deadline(deadline, datetime(2026, 11, 28, 9), datetime(2026, 11, 29, 23),
                           BUSINESS) == deadline


def test_pause_over_a_holiday_skips_it():
    deadline = datetime(2026, 11, 30, 17, 0)  # Monday; Tuesday is a holiday
    moved = resume_deadline(deadline, datetime(2026, 11, 30, 16, 0),
                            datetime(2026, 11, 30, 18, 0), BUSINESS)
    assert moved == datetime(2026, 12, 2, 10, 0)  # 2 h: Monday 17-18, Wednesday 9-10


@given(start=starts, duration=durations)
def test_service_time_between_undoes_add_service_time(start, duration):
    for policy in (DEFAULT_POLICY, BUSINESS):
        end = add_service_time(start, duration, policy)
        assert service_time_between(start, end, policy) == duration
        assert service_time_between(start, end, policy) <= end - start


@given(deadline=starts, since=starts, paused=durations)
def test_a_pause_never_brings_the_deadline_forward(deadline, since, paused):
    for policy in (DEFAULT_POLICY, BUSINESS):
        assert resume_deadline(deadline, since, since + paused, policy) >= deadline
