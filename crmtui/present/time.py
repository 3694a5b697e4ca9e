"""Days, moments and lengths of time as people read them, always in the user's zone (the Context's
`zone`; stored moments are UTC). Plain strings, no rich: the command line's quick paths and the
services' stored notes use these too.

- `moment`: 2026-11-23 14:05, the full form (confirmations, facts, JSON-less lists)
- `local_day`: 2026-11-23, the day of a moment
- `short_moment`: 11-23 14:05 this year, the date alone before (11 cells, for tables)
- `compact_moment`: 11-23 14:05 this year, 2025-11-23 14:05 before (a deadline column)
- `short_day`: 11-23 near today, 2027-01-05 far from it
- `span`: 45m, 3h05, 4d
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from crmtui.i18n import _

MOMENT = "%Y-%m-%d %H:%M"
"""The one format of a full moment."""


def moment(value: datetime | None, zone: tzinfo | None) -> str:
    """A moment in the user's zone: 2026-11-23 14:05 ('' for None). `zone` None is the
    machine's, for the few places that have no user (a backup file's name)."""
    if value is None:
        return ""
    return value.astimezone(zone).strftime(MOMENT)


def local_day(value: datetime | None, zone: tzinfo) -> str:
    """The day of a moment in the user's zone: 2026-11-23 ('' for None)."""
    if value is None:
        return ""
    return value.astimezone(zone).date().isoformat()


def short_moment(value: datetime | None, zone: tzinfo, today: date) -> str:
    """A moment in 11 cells: MM-DD HH:MM this year, the date alone before."""
    if value is None:
        return ""
    local = value.astimezone(zone)
    return local.strftime("%m-%d %H:%M") if local.year == today.year else \
        local.date().isoformat()


def compact_moment(value: datetime | None, zone: tzinfo, today: date) -> str:
    """MM-DD HH:MM within this year, the full moment otherwise (never loses the time)."""
    if value is None:
        return ""
    local = value.astimezone(zone)
    return local.strftime("%m-%d %H:%M" if local.year == today.year else MOMENT)


def short_day(day: date | None, today: date) -> str:
    """MM-DD within this year and the next few months, the full date otherwise."""
    if day is None:
        return ""
    if day.year == today.year or abs((day - today).days) < 180:
        return day.strftime("%m-%d")
    return day.isoformat()


def span(delta: timedelta) -> str:
    """A short length of time: 45m, 3h05, 4d (a negative span reads the same as its size)."""
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes < 60:
        return _("{minutes}m").format(minutes=minutes)
    if minutes < 48 * 60:
        return _("{hours}h{minutes:02d}").format(hours=minutes // 60, minutes=minutes % 60)
    return _("{days}d").format(days=minutes // 1440)
