from calendar import isleap, monthrange
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lunardate import LunarDate

from crmtui.rules import (
    CARE_LEAD_DAYS,
    LunarDay,
    care_due,
    care_window,
    lunar_to_solar,
    next_lunar_occurrence,
    next_occurrence,
    solar_to_lunar,
)


@pytest.mark.parametrize(
    ("month", "day", "today", "expected"),
    [
        (2, 29, date(2026, 1, 10), date(2026, 2, 28)),
        (2, 29, date(2026, 3, 1), date(2027, 2, 28)),
        (2, 29, date(2027, 3, 1), date(2028, 2, 29)),
        (2, 29, date(2028, 2, 29), date(2028, 2, 29)),
        (11, 23, date(2026, 11, 23), date(2026, 11, 23)),  # today counts
        (11, 22, date(2026, 11, 23), date(2027, 11, 22)),
        (12, 31, date(2026, 12, 31), date(2026, 12, 31)),
        (1, 1, date(2026, 12, 31), date(2027, 1, 1)),
    ],
)
def test_next_occurrence(month, day, today, expected):
    assert next_occurrence(month, day, today) == expected


@pytest.mark.parametrize(("month", "day"), [(13, 1), (0, 5), (2, 30), (4, 31), (1, 0)])
def test_next_occurrence_invalid(month, day):
    with pytest.raises(ValueError):
        next_occurrence(month, day, date(2026, 1, 1))


def test_spring_festival():
    assert next_lunar_occurrence(1, 1, date(2026, 1, 1)) == date(2026, 2, 17)
    assert next_lunar_occurrence(1, 1, date(2026, 2, 17)) == date(2026, 2, 17)
    assert next_lunar_occurrence(1, 1, date(2026, 2, 18)) == date(2027, 2, 6)


def test_january_before_spring_festival():
    # 2026-01-10 is still lunar 2025-11-22: lunar 12/1 falls this month, not in 2027.
    assert solar_to_lunar(date(2026, 1, 10)) == LunarDay(2025, 11, 22, False)
    assert next_lunar_occurrence(12, 1, date(2026, 1, 10)) == date(2026, 1, 19)
    assert next_lunar_occurrence(11, 22, date(2026, 1, 10)) == date(2026, 1, 10)


def test_lunar_day_30_falls_back():
    # Lunar month 2 has 29 days in 2026 and 30 in 2027.
    assert lunar_to_solar(2026, 2, 30) == lunar_to_solar(2026, 2, 29) == date(2026, 4, 16)
    assert lunar_to_solar(2027, 2, 30) == date(2027, 4, 6)
    assert next_lunar_occurrence(2, 30, date(2026, 3, 1)) == date(2026, 4, 16)
    assert next_lunar_occurrence(2, 30, date(2026, 4, 17)) == date(2027, 4, 6)
    # 除夕 of a 29-day twelfth month is its 29th.
    assert next_lunar_occurrence(12, 30, date(2026, 12, 1)) == date(2027, 2, 5)


def test_leap_month():
    assert LunarDate.leap_month_for_year(2025) == 6
    assert LunarDate.leap_month_for_year(2026) is None
    assert lunar_to_solar(2025, 6, 10, leap=True) == date(2025, 8, 3)
    assert lunar_to_solar(2025, 6, 10) == date(2025, 7, 4)
    assert lunar_to_solar(2026, 6, 10, leap=True) == date(2026, 7, 23)
    assert lunar_to_solar(2026, 6, 10) == date(2026, 7, 23)
    assert next_lunar_occurrence(6, 10, date(2025, 7, 5), leap=True) == date(2025, 8, 3)
    assert next_lunar_occurrence(6, 10, date(2025, 8, 4), leap=True) == date(2026, 7, 23)
    assert next_lunar_occurrence(6, 10, date(2025, 7, 5)) == date(2026, 7, 23)
    # The leap sixth month of 2025 has 29 days.
    assert lunar_to_solar(2025, 6, 30, leap=True) == date(2025, 8, 22)
    # 2023 has a leap second month.
    assert lunar_to_solar(2023, 2, 15, leap=True) == date(2023, 4, 5)
    assert solar_to_lunar(date(2023, 4, 5)) == LunarDay(2023, 2, 15, True)


def test_lunar_invalid():
    for month, day in ((13, 1), (0, 1), (1, 31), (1, 0)):
        with pytest.raises(ValueError):
            lunar_to_solar(2026, month, day)


def test_care_due():
    occurrence = date(2026, 11, 26)
    assert CARE_LEAD_DAYS == 3
    assert not care_due(occurrence, date(2026, 11, 22))
    assert care_due(occurrence, date(2026, 11, 23))
    assert care_due(occurrence, occurrence)
    assert not care_due(occurrence, date(2026, 11, 27))
    assert care_due(occurrence, date(2026, 11, 19), lead_days=7)


SOLAR_KEYS = [(m, d) for m in range(1, 13) for d in range(1, monthrange(2000, m)[1] + 1)]
LUNAR_KEYS = [(m, d, leap) for m in range(1, 13) for d in range(1, 31) for leap in (False, True)]
WINDOW_DAYS = sorted(
    {date(2027, 2, 25), date(2028, 2, 26), date(2026, 12, 30), date(2026, 2, 14),
     date(2026, 4, 14), date(2027, 2, 3), date(2025, 7, 22), date(2025, 8, 20),
     date(2025, 8, 22), date(2023, 5, 17), date(2028, 7, 27)}
    | {date(2025, 1, 1) + timedelta(days=n) for n in range(0, 1100, 23)}
)


@pytest.mark.parametrize("today", WINDOW_DAYS, ids=str)
def test_care_window_is_a_superset(today):
    window = care_window(today)
    last = today + timedelta(days=CARE_LEAD_DAYS)
    for month, day in SOLAR_KEYS:
        if next_occurrence(month, day, today) <= last:
            assert (month, day) in window.solar
    for month, day, leap in LUNAR_KEYS:
        if next_lunar_occurrence(month, day, today, leap) <= last:
            assert (month, day, leap) in window.lunar


def test_care_window_special_keys():
    assert (2, 29) in care_window(date(2027, 2, 26)).solar
    assert (2, 29) not in care_window(date(2028, 2, 25)).solar
    # 2026-04-16 is lunar 2/29, the last day of a 29-day month; 2026 has no leap month 2.
    lunar = care_window(date(2026, 4, 14)).lunar
    assert {(2, 29, False), (2, 30, False), (2, 30, True), (2, 27, True)} <= lunar
    # In 2025 the regular sixth month has a leap one after it: leap keys do not fall on it.
    assert (6, 10, True) not in care_window(date(2025, 7, 3)).lunar
    assert (6, 10, True) in care_window(date(2025, 8, 1)).lunar


days = st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31))
solar_keys = st.sampled_from(SOLAR_KEYS)
lunar_keys = st.sampled_from(LUNAR_KEYS)


@given(today=days, key=solar_keys)
def test_next_occurrence_property(today, key):
    month, day = key
    found = next_occurrence(month, day, today)
    assert today <= found < today + timedelta(days=366)
    expected = (2, 28) if key == (2, 29) and not isleap(found.year) else key
    assert (found.month, found.day) == expected


@given(today=days, key=lunar_keys)
def test_next_lunar_occurrence_property(today, key):
    month, day, leap = key
    found = next_lunar_occurrence(month, day, today, leap)
    assert today <= found < today + timedelta(days=400)
    lunar = solar_to_lunar(found)
    assert lunar.month == month and lunar.day in (day, 29)
    if not leap:
        assert not lunar.leap
