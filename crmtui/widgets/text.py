"""Cell-aware text helpers shared by the screens: wide (CJK) text fitted into columns."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from crmtui.cells import ELLIPSIS, clip, fit
from crmtui.output import local_time as local_moment

__all__ = ["ELLIPSIS", "clip", "fit", "local_moment", "short_day", "short_moment"]


def short_day(day: date | None, today: date) -> str:
    """MM-DD within this year and the next few months, the full date otherwise."""
    if day is None:
        return ""
    if day.year == today.year or abs((day - today).days) < 180:
        return day.strftime("%m-%d")
    return day.isoformat()


def short_moment(moment: datetime | None, zone: tzinfo, today: date) -> str:
    """A local time in 11 cells: MM-DD HH:MM this year, the date alone before."""
    if moment is None:
        return ""
    local = moment.astimezone(zone)
    return local.strftime("%m-%d %H:%M") if local.year == today.year else \
        local.date().isoformat()
