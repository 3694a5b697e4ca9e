"""Appointments' clashes and days, with exact moments (time zones included) and hypothesis."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmtui.rules import (
    MAX_MINUTES,
    Slot,
    day_window,
    first_clash,
    held_by,
    is_missed,
    minute_of,
    overlaps,
    parse_datetime,
)

UTC = timezone.utc
SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")


def at(hour: int, minute: int = 0, day: int = 24, zone=UTC) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=zone)


@pytest.mark.parametrize(("a", "b", "clash"), [
    ((at(10), 60), (at(11), 30), False),  # back to back: ends as the other starts
    ((at(11), 30), (at(10), 60), False),  # the same, the other way round
    ((at(10), 60), (at(10, 59), 30), True),  # one minute shared
    ((at(10), 60), (at(9, 30), 31), True),
    ((at(10), 60), (at(9, 30), 30), False),  # ends at 10:00 sharp
    ((at(10), 60), (at(10), 60), True),  # the same time
    ((at(10), 120), (at(10, 30), 15), True),  # within
    ((at(10), 1), (at(10, 1), 1), False),
    ((at(23, 30), 60), (at(0, 15, day=25), 30), True),  # over midnight
])
def test_clash_or_not(a, b, clash):
    assert overlaps(Slot(*a), Slot(*b)) is clash
    assert overlaps(Slot(*b), Slot(*a)) is clash


def test_an_appointment_made_in_shanghai_is_the_same_moment_in_utc():
    """10:00 on 24 November typed in Asia/Shanghai (UTC+8) is 02:00 UTC: it clashes with a
    UTC appointment at 02:30 and is back to back with one ending at 02:00 UTC."""
    now_in_shanghai = datetime(2026, 11, 23, 18, 0, tzinfo=SHANGHAI)
    start = parse_datetime("tomorrow 10:00", now_in_shanghai)
    assert start.astimezone(UTC) == at(2)
    assert start.astimezone(UTC).strftime("%H:%M") == "02:00"
    shanghai = Slot(start, 60)
    assert overlaps(shanghai, Slot(at(2, 30), 30))
    assert not overlaps(shanghai, Slot(at(1), 60))
    assert not overlaps(shanghai, Slot(at(3), 60))


def test_a_shanghai_morning_is_the_previous_day_in_utc():
    start = datetime(2026, 11, 24, 7, 30, tzinfo=SHANGHAI)  # 23:30 UTC on the 23rd
    first, last = day_window(date(2026, 11, 23), UTC)
    assert first <= start < last
    first, last = day_window(date(2026, 11, 24), SHANGHAI)
    assert first <= start < last
    assert (first, last) == (at(16, day=23), at(16, day=24))


def test_day_windows_on_the_days_clocks_change():
    first, last = day_window(date(2026, 11, 1), NEW_YORK)  # clocks go back: 25 hours
    assert last - first == timedelta(hours=25)
    first, last = day_window(date(2026, 3, 8), NEW_YORK)  # clocks go forward: 23 hours
    assert last - first == timedelta(hours=23)
    assert first.tzinfo == UTC


def test_the_first_clash_is_the_earliest_and_never_itself():
    others = [Slot(at(11), 60, 3), Slot(at(10), 60, 2), Slot(at(13), 60, 4)]
    assert first_clash(Slot(at(10, 30), 60), others).key == 2
    assert first_clash(Slot(at(12), 60), others) is None  # back to back on both sides
    moving = Slot(at(10, 15), 30, 2)  # appointment 2 moved within its own time
    assert first_clash(moving, others) is None
    assert first_clash(Slot(at(10, 15), 60, 2), others).key == 3


def test_missed_is_a_planned_appointment_whose_time_is_over():
    end = at(11)
    assert is_missed("planned", end, at(11))
    assert not is_missed("planned", end, at(10, 59))
    assert not is_missed("done", end, at(12))
    assert not is_missed("cancelled", end, at(12))


@pytest.mark.parametrize(("logged", "held"), [
    (at(9, 0), False),  # a morning call before the 14:00 visit
    (at(13, 44), False),
    (at(13, 45), True),  # a quarter of an hour early counts
    (at(14, 0), True),
    (at(18, 30), True),  # logged in the evening
])
def test_a_contact_holds_the_appointment_once_it_begins(logged, held):
    assert held_by(at(14), logged) is held


def test_moments_are_booked_to_the_minute():
    assert minute_of(datetime(2026, 11, 24, 9, 13, 42, 5, tzinfo=UTC)) == at(9, 13)


zones = st.sampled_from([UTC, SHANGHAI, NEW_YORK, ZoneInfo("Asia/Kolkata")])
moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31),
                       timezones=st.just(UTC)).map(minute_of)
lengths = st.integers(min_value=1, max_value=MAX_MINUTES)
slots = st.builds(Slot, moments, lengths)


@given(slots, slots)
def test_clashing_is_symmetric(a, b):
    assert overlaps(a, b) == overlaps(b, a)


@given(slots, lengths)
def test_the_next_appointment_back_to_back_never_clashes(a, minutes):
    assert not overlaps(a, Slot(a.end, minutes))
    assert not overlaps(Slot(a.start - timedelta(minutes=minutes), minutes), a)


@given(slots, st.integers(min_value=0, max_value=MAX_MINUTES - 1), lengths)
def test_an_appointment_starting_within_another_clashes(a, into, minutes):
    start = a.start + timedelta(minutes=into % a.minutes)
    assert overlaps(a, Slot(start, minutes))


@given(slots, slots, zones, zones)
def test_the_zone_a_time_is_read_in_changes_nothing(a, b, zone_a, zone_b):
    seen = Slot(a.start.astimezone(zone_a), a.minutes)
    other = Slot(b.start.astimezone(zone_b), b.minutes)
    assert overlaps(seen, other) == overlaps(a, b)


@given(slots, slots, st.integers(min_value=-10_000, max_value=10_000))
def test_moving_both_by_the_same_time_keeps_the_answer(a, b, shift):
    step = timedelta(minutes=shift)
    assert overlaps(Slot(a.start + step, a.minutes), Slot(b.start + step, b.minutes)) == \
        overlaps(a, b)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), zones)
def test_days_follow_each_other_without_gap(day, zone):
    _first, last = day_window(day, zone)
    following, _ = day_window(day + timedelta(days=1), zone)
    assert last == following
    assert timedelta(hours=22) <= last - _first <= timedelta(hours=26)
