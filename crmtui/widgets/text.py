"""Cell-aware text helpers shared by the screens: wide (CJK) text fitted into columns."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from rich.cells import cell_len, set_cell_size

ELLIPSIS = "…"


def fit(text: str, width: int) -> str:
    """`text` cut or padded to exactly `width` terminal cells (a wide character counts two)."""
    text = " ".join((text or "").split())
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    # A wide character cut in half leaves a space; drop it so the ellipsis follows the text.
    return set_cell_size(set_cell_size(text, width - 1).rstrip() + ELLIPSIS, width)


def clip(text: str, width: int) -> str:
    """`text` cut to at most `width` cells, not padded."""
    text = " ".join((text or "").split())
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)).rstrip() + ELLIPSIS


def short_day(day: date | None, today: date) -> str:
    """MM-DD within this year and the next few months, the full date otherwise."""
    if day is None:
        return ""
    if day.year == today.year or abs((day - today).days) < 180:
        return day.strftime("%m-%d")
    return day.isoformat()


def local_moment(moment: datetime | None, zone: tzinfo) -> str:
    if moment is None:
        return ""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def short_moment(moment: datetime | None, zone: tzinfo, today: date) -> str:
    """A local time in 11 cells: MM-DD HH:MM this year, the date alone before."""
    if moment is None:
        return ""
    local = moment.astimezone(zone)
    return local.strftime("%m-%d %H:%M") if local.year == today.year else \
        local.date().isoformat()
