"""Care dates, solar and Chinese lunar (SPEC 2.6)."""

from __future__ import annotations

from calendar import isleap
from datetime import date, timedelta
from typing import NamedTuple

from lunardate import LunarDate

CARE_LEAD_DAYS = 3


class LunarDay(NamedTuple):
    """A date in the Chinese lunar calendar."""

    year: int
    month: int
    day: int
    leap: bool = False


class CareWindow(NamedTuple):
    """Keys of the care dates that may fall due: solar (month, day), lunar (month, day, leap)."""

    solar: frozenset[tuple[int, int]]
    lunar: frozenset[tuple[int, int, bool]]


def _solar_in_year(year: int, month: int, day: int) -> date:
    if (month, day) == (2, 29) and not isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def next_occurrence(month: int, day: int, today: date) -> date:
    """The first date on or after today with that month and day (Feb 29 → Feb 28 if needed)."""
    try:
        date(2000, month, day)  # a leap year, so that Feb 29 is valid
    except ValueError:
        raise ValueError(f"month {month} day {day} is not a calendar date") from None
    this_year = _solar_in_year(today.year, month, day)
    return this_year if this_year >= today else _solar_in_year(today.year + 1, month, day)


def solar_to_lunar(d: date) -> LunarDay:
    """The lunar date of a solar date."""
    lunar = LunarDate.from_solar_date(d.year, d.month, d.day)
    return LunarDay(lunar.year, lunar.month, lunar.day, lunar.is_leap_month)


def _last_of_lunar_month(d: date) -> bool:
    return solar_to_lunar(d + timedelta(days=1)).day == 1


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> date:
    """The solar date of a lunar date; a missing day 30 → 29, a missing leap month → regular."""
    if not (1 <= month <= 12 and 1 <= day <= 30):
        raise ValueError(f"lunar month {month} day {day} is not a lunar date")
    leap = leap and LunarDate.leap_month_for_year(year) == month
    solar: date = LunarDate(year, month, min(day, 29), leap).to_solar_date()
    if day == 30 and not _last_of_lunar_month(solar):
        solar += timedelta(days=1)
    return solar


def next_lunar_occurrence(
    lunar_month: int, lunar_day: int, today: date, leap: bool = False
) -> date:
    """The first solar date on or after today on which the lunar date falls."""
    # In January the lunar year of today is often still the previous one.
    lunar_year = solar_to_lunar(today).year
    this_year = lunar_to_solar(lunar_year, lunar_month, lunar_day, leap)
    if this_year >= today:
        return this_year
    return lunar_to_solar(lunar_year + 1, lunar_month, lunar_day, leap)


def care_due(occurrence: date, today: date, lead_days: int = CARE_LEAD_DAYS) -> bool:
    """True from lead_days before the occurrence until the day itself."""
    return today <= occurrence <= today + timedelta(days=lead_days)


def care_window(today: date, lead_days: int = CARE_LEAD_DAYS) -> CareWindow:
    """A superset of the keys whose next occurrence falls in [today, today + lead_days]."""
    solar: set[tuple[int, int]] = set()
    lunar: set[tuple[int, int, bool]] = set()
    for offset in range(lead_days + 1):
        d = today + timedelta(days=offset)
        solar.add((d.month, d.day))
        if (d.month, d.day) == (2, 28) and not isleap(d.year):
            solar.add((2, 29))
        ld = solar_to_lunar(d)
        # A leap-month date falls on the regular month in years without that leap month.
        if ld.leap or LunarDate.leap_month_for_year(ld.year) == ld.month:
            leaps = {ld.leap}
        else:
            leaps = {False, True}
        days = {ld.day, 30} if ld.day == 29 and _last_of_lunar_month(d) else {ld.day}
        lunar.update((ld.month, day, leap) for day in days for leap in leaps)
    return CareWindow(frozenset(solar), frozenset(lunar))
