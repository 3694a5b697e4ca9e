"""Days, moments and lengths of time as people read them, always in the user's zone (the Context's
`zone`; stored moments are UTC). Plain strings, no rich: the command line's quick paths and the
services' stored notes use these too.

- `moment`: 2026-11-23 14:05, the full form (confirmations, facts, JSON-less lists)
- `local_day`: 2026-11-23, the day of a moment
- `short_moment`: 11-23 14:05 this year, the date alone before (11 cells, for tables)
- `compact_moment`: 11-23 14:05 this year, 2025-11-23 14:05 before (a deadline column)
- `short_day`: 11-23 near today, 2027-01-05 far from it
- `span`: 45m, 3h 5m, 1d 5h (the one style of a length of time); `days_span`: 5d
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from crmtui.i18n import N_, _, pgettext

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
    return local.strftime("%m-%d %H:%M") if local.year == today.year else local.date().isoformat()


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


_UNITS = (N_("{n}d"), N_("{n}h"), N_("{n}m"))  # days, hours, minutes: 1天, 5小时, 20分钟


def span(delta: timedelta, *, parts: int = 2) -> str:
    """A length of time in one style everywhere: its largest unit and the next, `1d 5h`,
    `5h 20m`, `45m` (`1天5小时`, `5小时20分钟`, `45分钟`). A negative length reads as its size;
    `parts=1` keeps the largest unit only, for narrow columns."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    amounts = (days, *divmod(rest, 60))
    first = next((i for i, n in enumerate(amounts) if n), len(amounts) - 1)
    shown = [
        _(_UNITS[i]).format(n=amounts[i])
        for i in range(first, min(first + parts, len(amounts)))
        if amounts[i] or i == first
    ]
    return (
        pgettext("duration", "{larger} {smaller}").format(larger=shown[0], smaller=shown[1])
        if len(shown) > 1
        else shown[0]
    )


def days_span(n: int) -> str:
    """A number of days in the same style: 5d, 5天."""
    return span(timedelta(days=n))
