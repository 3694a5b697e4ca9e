"""Dates and times as users type them in forms and command-line flags.

Besides ISO dates and offsets, days are named as people say them, in English and Chinese:
weekdays (`fri`, `周五`: the next one, within seven days), days of a calendar week (`next mon`,
`下周一`, `下下周五`, `上周三`, `本周五`; weeks run Monday to Sunday), month and year ends
(`eom`, `月底`, `下月底`, `年底`) and spans (`in 3 days`, `3天后`, `两周后`, `2 weeks ago`).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from crmtui.patterns import lazy_pattern

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
_SPOKEN_DAYS = {"今日": 0, "明日": 1, "大后天": 3, "昨天": -1, "昨日": -1, "前天": -2, "大前天": -3}

_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS: dict[str, int] = {
    **{name: i for i, name in enumerate(_WEEKDAY_NAMES)},
    **{name[:3]: i for i, name in enumerate(_WEEKDAY_NAMES)},
    **{"周" + zh: i for i, zh in enumerate("一二三四五六日")},
    **{"星期" + zh: i for i, zh in enumerate("一二三四五六日")},
    **{"礼拜" + zh: i for i, zh in enumerate("一二三四五六日")},
    "周天": 6,
    "星期天": 6,
    "礼拜天": 6,
}

_ISO = lazy_pattern(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_RELATIVE_DAYS = lazy_pattern(r"([+-])(\d{1,5})([dwmy])")
_RELATIVE_TIME = lazy_pattern(r"([+-])(\d{1,5})(h|min)")
_CLOCK = lazy_pattern(r"(\d{1,2}):(\d{2})")
# a space between day and time, or none after a Chinese day (明天10:00, 下周一9:30)
_DAY_AND_CLOCK = lazy_pattern(r"(.+?)(?:\s+|(?<=[\u4e00-\u9fff]))(\d{1,2}:\d{2})")
_UNITS = {"d": "days", "w": "weeks", "m": "months", "y": "years"}
# Not calendar.month_name: it follows the process locale; these are catalogue messages.
_MONTH_NAMES = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


def _iso(text: str, year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise DateInputError(
            N_("{text} is not a date (there is no month {month})"), text=text, month=month
        )
    if year < 1:
        raise DateInputError(
            N_("{text} is not a date (there is no year {year})"), text=text, year=year
        )
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise DateInputError(
            N_("{text} is not a date ({name} {year} has {days} days)"),
            words=("name",),
            text=text,
            name=_MONTH_NAMES[month - 1],
            year=year,
            days=days,
        )
    return date(year, month, day)


def _recognised_date(raw: str, today: date) -> date | None:
    # None means the text has none of the accepted forms; a form with bad numbers raises.
    day = _any_date(raw, today)
    if day is not None and not EARLIEST <= day <= LATEST:
        raise DateInputError(
            N_("{text} is out of range: use a day from {first} to {last}"),
            text=raw,
            first=EARLIEST.isoformat(),
            last=LATEST.isoformat(),
        )
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
        return _offset(raw, today, int(amount) * (-1 if sign == "-" else 1), _UNITS[unit])
    return _spoken_date(raw, " ".join(word.split()), today)


def _offset(raw: str, today: date, amount: int, unit: str) -> date:
    try:
        step: dict[str, Any] = {unit: amount}
        return today + relativedelta(**step)
    except (OverflowError, ValueError):
        raise DateInputError(N_("'{text}' is too far from today"), text=raw) from None


# -- days as people say them --------------------------------------------------------------------

_WEEK_DAY_ZH = "一二三四五六日"
_WEEK_WORD = r"(?:周|星期|礼拜|个星期|个礼拜)"
# 本周五 / 这周五: this calendar week; 下周一, 下下周五: the next ones; 上周三: the last one.
_ZH_WEEK_DAY = lazy_pattern(
    rf"(本|这|这个|下|下个|下下|下下个|上|上个|上上|上上个)?{_WEEK_WORD}"
    rf"([{_WEEK_DAY_ZH}天])"
)
_ZH_WEEKS = {
    None: None,
    "本": 0,
    "这": 0,
    "这个": 0,
    "下": 1,
    "下个": 1,
    "下下": 2,
    "下下个": 2,
    "上": -1,
    "上个": -1,
    "上上": -2,
    "上上个": -2,
}
_EN_WEEK_DAY = lazy_pattern(r"(this|next|last) ([a-z]+)")
_EN_WEEKS = {"this": 0, "next": 1, "last": -1}
# 月底 / 本月底 / 下月底 / 下个月底 (月末 the same); 年底 / 今年底 / 明年底.
_ZH_MONTH_END = lazy_pattern(r"(本|这个|这|下|下个|上|上个)?月[底末]")
_ZH_MONTHS = {None: 0, "本": 0, "这个": 0, "这": 0, "下": 1, "下个": 1, "上": -1, "上个": -1}
_ZH_YEAR_END = lazy_pattern(r"(今|本|明|去)?年[底末]")
_ZH_YEARS = {None: 0, "今": 0, "本": 0, "明": 1, "去": -1}
_EN_MONTH_END = {
    "eom": 0,
    "end of month": 0,
    "end of the month": 0,
    "month end": 0,
    "end of next month": 1,
    "next month end": 1,
}
_EN_YEAR_END = {
    "eoy": 0,
    "end of year": 0,
    "end of the year": 0,
    "year end": 0,
    "end of next year": 1,
}
# 3天后, 两周后, 2个月以后, 十天前; in 3 days, 2 weeks ago.
_ZH_SPAN = lazy_pattern(
    r"([0-9]{1,5}|[零一二两三四五六七八九十百]{1,4})\s*"
    r"(天|日|周|星期|个星期|个礼拜|礼拜|个月|月|年)\s*(后|以后|之后|前|以前|之前)"
)
_ZH_SPAN_UNITS = {
    "天": "days",
    "日": "days",
    "周": "weeks",
    "星期": "weeks",
    "个星期": "weeks",
    "礼拜": "weeks",
    "个礼拜": "weeks",
    "个月": "months",
    "月": "months",
    "年": "years",
}
_EN_SPAN = lazy_pattern(
    r"(?:in (\d{1,5}) (day|week|month|year)s?|(\d{1,5}) (day|week|month|year)s?"
    r" (ago|later|from now))"
)
_ZH_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def chinese_number(text: str) -> int | None:
    """0–999 written in digits or Chinese numerals (三, 十五, 二十, 两百); None otherwise."""
    if text.isdigit():
        return int(text)
    total, current = 0, None
    for ch in text:
        if ch == "零" and total:  # 一百零五: a gap in the tens
            continue
        if ch in _ZH_DIGITS:
            if current is not None:
                return None  # two digits in a row (二三) is not a number people write
            current = _ZH_DIGITS[ch]
        elif ch in "十百":
            unit = 10 if ch == "十" else 100
            if unit == 10 and total % 100 >= 10:
                return None
            total += (1 if current is None else current) * unit
            current = None
        else:
            return None
    return total + (current or 0)


def _week_day(today: date, weeks: int, weekday: int) -> date:
    """Day `weekday` (0 = Monday) of the calendar week `weeks` from today's."""
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(weeks=weeks, days=weekday)


def _month_end(raw: str, today: date, months: int) -> date:
    first = _offset(raw, today.replace(day=1), months, "months")
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _year_end(raw: str, today: date, years: int) -> date:
    year = today.year + years
    if not 1 <= year <= 9999:
        raise DateInputError(N_("'{text}' is too far from today"), text=raw)
    return date(year, 12, 31)


def _spoken_date(raw: str, word: str, today: date) -> date | None:
    compact = word.replace(" ", "")
    if compact in _SPOKEN_DAYS:
        return today + timedelta(days=_SPOKEN_DAYS[compact])
    if m := _ZH_WEEK_DAY.fullmatch(compact):
        weekday = 6 if m.group(2) == "天" else _WEEK_DAY_ZH.index(m.group(2))
        weeks = _ZH_WEEKS[m.group(1)]
        if weeks is None:  # 个星期五 without 下/上 is not said; 周五 is handled with weekdays
            return None
        return _week_day(today, weeks, weekday)
    if (m := _EN_WEEK_DAY.fullmatch(word)) and m.group(2) in _WEEKDAYS:
        return _week_day(today, _EN_WEEKS[m.group(1)], _WEEKDAYS[m.group(2)])
    if m := _ZH_MONTH_END.fullmatch(compact):
        return _month_end(raw, today, _ZH_MONTHS[m.group(1)])
    if word in _EN_MONTH_END:
        return _month_end(raw, today, _EN_MONTH_END[word])
    if m := _ZH_YEAR_END.fullmatch(compact):
        return _year_end(raw, today, _ZH_YEARS[m.group(1)])
    if word in _EN_YEAR_END:
        return _year_end(raw, today, _EN_YEAR_END[word])
    if m := _ZH_SPAN.fullmatch(compact):
        amount = chinese_number(m.group(1))
        if amount is None:
            return None
        sign = -1 if m.group(3) in ("前", "以前", "之前") else 1
        return _offset(raw, today, sign * amount, _ZH_SPAN_UNITS[m.group(2)])
    if m := _EN_SPAN.fullmatch(word):
        if m.group(1):
            return _offset(raw, today, int(m.group(1)), m.group(2) + "s")
        sign = -1 if m.group(5) == "ago" else 1
        return _offset(raw, today, sign * int(m.group(3)), m.group(4) + "s")
    return None


def parse_date(text: str, today: date) -> date:
    """A date typed as ISO, a day word, a relative offset (+3d, -1m) or a weekday."""
    raw = text.strip()
    if not raw:
        raise DateInputError(
            N_("a date is required; use 2026-12-01, today, tomorrow, +3d, +2w, +1m or a weekday")
        )
    parsed = _recognised_date(raw, today)
    if parsed is None:
        raise DateInputError(
            N_(
                "'{text}' is not a date; use 2026-12-01, today, tomorrow, +3d, "
                "+2w, +1m or a weekday"
            ),
            text=raw,
        )
    return parsed


def _clock(text: str) -> time:
    match = _CLOCK.fullmatch(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise DateInputError(N_("{text} is not a time of day; use 00:00 to 23:59"), text=text)
    return time(int(match[1]), int(match[2]))


def parse_datetime(text: str, now: datetime) -> datetime:
    """A date and time typed as +2h, +30min, 14:00, '<date> 14:00' or a date (at 09:00)."""
    raw = text.strip()
    if not raw:
        raise DateInputError(
            N_(
                "a date or time is required; use 2026-12-01 14:00, tomorrow "
                "10:00, fri 15:30, 14:00, +2h, +30min or a date"
            )
        )
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
        raise DateInputError(
            N_(
                "'{text}' is not a date or time; use 2026-12-01 14:00, tomorrow "
                "10:00, fri 15:30, 14:00, +2h, +30min or a date"
            ),
            text=raw,
        )
    return datetime.combine(day, at, tzinfo=now.tzinfo)
