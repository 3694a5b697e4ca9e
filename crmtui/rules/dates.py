"""Dates and times as users type them in forms and command-line flags."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from ._base import N_, Explained


class DateInputError(ValueError):
    """Text that is not a date or time; the message is one sentence for the user.

    `explained` holds it as a catalogue template and values, for the interface's language.
    """

    def __init__(self, template: str, *, words: tuple[str, ...] = (), **values: object) -> None:
        self.explained = Explained(template, words=words, **values)
        super().__init__(str(self.explained))


EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)
"""Days a user may type: beyond them lies no customer's date, only typing slips (0001-01-01,
+999y) and moments that no time zone conversion can hold."""

_DAY_WORDS = {"today": 0, "tomorrow": 1, "yesterday": -1, "今天": 0, "明天": 1, "后天": 2}

_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS: dict[str, int] = {
    **{name: i for i, name in enumerate(_WEEKDAY_NAMES)},
    **{name[:3]: i for i, name in enumerate(_WEEKDAY_NAMES)},
    **{"周" + zh: i for i, zh in enumerate("一二三四五六日")},
    **{"星期" + zh: i for i, zh in enumerate("一二三四五六日")},
    "周天": 6,
    "星期天": 6,
}

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_RELATIVE_DAYS = re.compile(r"([+-])(\d{1,5})([dwmy])")
_RELATIVE_TIME = re.compile(r"([+-])(\d{1,5})(h|min)")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_DAY_AND_CLOCK = re.compile(r"(.+?)\s+(\d{1,2}:\d{2})")
_UNITS = {"d": "days", "w": "weeks", "m": "months", "y": "years"}
# Not calendar.month_name: it follows the process locale; these are catalogue messages.
_MONTH_NAMES = (
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"),
    N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
)


def _iso(text: str, year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise DateInputError(N_("{text} is not a date (there is no month {month})"),
                             text=text, month=month)
    if year < 1:
        raise DateInputError(N_("{text} is not a date (there is no year {year})"),
                             text=text, year=year)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise DateInputError(N_("{text} is not a date ({name} {year} has {days} days)"),
                             words=("name",), text=text, name=_MONTH_NAMES[month - 1],
                             year=year, days=days)
    return date(year, month, day)


def _recognised_date(raw: str, today: date) -> date | None:
    # None means the text has none of the accepted forms; a form with bad numbers raises.
    day = _any_date(raw, today)
    if day is not None and not EARLIEST <= day <= LATEST:
        raise DateInputError(N_("{text} is out of range: use a day from {first} to {last}"),
                             text=raw, first=EARLIEST.isoformat(), last=LATEST.isoformat())
    return day


def _any_date(raw: str, today: date) -> date | None:
    word = raw.lower()
    if m := _ISO.fullmatch(word):
        return _iso(raw, *map(int, m.groups()))
    if word in _DAY_WORDS:
        return today + timedelta(days=_DAY_WORDS[word])
    if word in _WEEKDAYS:
        return today + timedelta(days=(_WEEKDAYS[word] - today.weekday() - 1) % 7 + 1)
    if m := _RELATIVE_DAYS.fullmatch(word):
        sign, amount, unit = m.groups()
        step = relativedelta(**{_UNITS[unit]: int(amount) * (-1 if sign == "-" else 1)})
        try:
            return today + step
        except (OverflowError, ValueError):
            raise DateInputError(N_("'{text}' is too far from today"), text=raw) from None
    return None


def parse_date(text: str, today: date) -> date:
    """A date typed as ISO, a day word, a relative offset (+3d, -1m) or a weekday."""
    raw = text.strip()
    if not raw:
        raise DateInputError(N_("a date is required; use 2026-12-01, today, tomorrow, +3d, +2w, "
                                "+1m or a weekday"))
    parsed = _recognised_date(raw, today)
    if parsed is None:
        raise DateInputError(N_("'{text}' is not a date; use 2026-12-01, today, tomorrow, +3d, "
                                "+2w, +1m or a weekday"), text=raw)
    return parsed


def _clock(text: str) -> time:
    hour, minute = map(int, _CLOCK.fullmatch(text).groups())
    if hour > 23 or minute > 59:
        raise DateInputError(N_("{text} is not a time of day; use 00:00 to 23:59"), text=text)
    return time(hour, minute)


def parse_datetime(text: str, now: datetime) -> datetime:
    """A date and time typed as +2h, +30min, 14:00, '<date> 14:00' or a date (at 09:00)."""
    raw = text.strip()
    if not raw:
        raise DateInputError(N_("a date or time is required; use 2026-12-01 14:00, tomorrow "
                                "10:00, fri 15:30, 14:00, +2h, +30min or a date"))
    if m := _RELATIVE_TIME.fullmatch(raw.lower()):
        sign, amount, unit = m.groups()
        step = timedelta(**{"hours" if unit == "h" else "minutes": int(amount)})
        try:
            return now - step if sign == "-" else now + step
        except OverflowError:
            raise DateInputError(N_("'{text}' is too far from now"), text=raw) from None
    day: date | None
    if _CLOCK.fullmatch(raw):
        day, at = now.date(), _clock(raw)
    elif m := _DAY_AND_CLOCK.fullmatch(raw):
        day, at = _recognised_date(m.group(1), now.date()), _clock(m.group(2))
    else:
        day, at = _recognised_date(raw, now.date()), time(9)
    if day is None:
        raise DateInputError(N_("'{text}' is not a date or time; use 2026-12-01 14:00, tomorrow "
                                "10:00, fri 15:30, 14:00, +2h, +30min or a date"), text=raw)
    return datetime.combine(day, at, tzinfo=now.tzinfo)
