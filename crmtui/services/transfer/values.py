"""Cell values as spreadsheets and phones write them, turned into what the forms accept.

Dates arrive as 2026/12/1, 2026.12.1 or 2026年12月1日; amounts as ¥1.2万; birthdays as
1985-03-15, --03-15 (no year), 3月15日 or 农历三月十五 (lunar). Anything else is passed on
unchanged, so the form's own validation gives the same reason it gives in a form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from crmtui.i18n import _
from crmtui.patterns import lazy_pattern
from crmtui.services.validation import FieldError, parse_amount

_NUMERIC_DATE = lazy_pattern(r"(\d{4})\s*[/.年-]\s*(\d{1,2})\s*[/.月-]\s*(\d{1,2})\s*日?")
_COMPACT_DATE = lazy_pattern(r"(\d{4})(\d{2})(\d{2})")
_TIME_TAIL = lazy_pattern(r"[T\s]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$")


def date_text(text: str) -> str:
    """2026/12/1, 2026.12.1, 2026年12月1日, 20261201 or 2026-12-01 14:30 → 2026-12-1."""
    raw = _TIME_TAIL.sub("", text.strip())
    if m := _NUMERIC_DATE.fullmatch(raw) or _COMPACT_DATE.fullmatch(raw):
        return "-".join(m.groups())
    return text


def amount_text(text: str) -> str:
    """¥1.2万 → 12000 (the forms' own reading, `parse_amount`); anything else is left to the
    form's check, which gives its reason."""
    amount = parse_amount(text) if text.strip() else None
    return text if amount is None else str(amount)


@dataclass(frozen=True)
class CareSpec:
    """A yearly date read from a cell: kind, month and day, birth year if known, lunar or not."""

    kind: str
    month: int
    day: int
    year: int | None = None
    lunar: bool = False
    leap: bool = False

    def to_text(self) -> str:
        """The form this module reads back: 1985-03-15, --03-15, lunar leap --04-15."""
        day = f"{self.year:04d}-" if self.year else "--"
        day += f"{self.month:02d}-{self.day:02d}"
        if self.lunar:
            return ("lunar leap " if self.leap else "lunar ") + day
        return day


_LUNAR_PREFIX = lazy_pattern(r"^(lunar|农历|阴历|旧历)\s*[:：]?\s*", re.IGNORECASE)
_LEAP_PREFIX = lazy_pattern(r"^(leap|闰)\s*", re.IGNORECASE)
_MONTH_DAY = lazy_pattern(r"(?:(\d{4})\s*[-/.年]\s*|--\s*)?(\d{1,2})\s*[-/.月]?\s*(\d{1,2})\s*日?")
_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_CN_MONTHS = {"正": 1, "冬": 11, "腊": 12, "臘": 12}
_CN_LUNAR = lazy_pattern(
    r"(?:(\d{4})\s*年\s*)?(闰)?([正冬腊臘一二三四五六七八九十]{1,3})月"
    r"([初十廿卅一二三四五六七八九]{2,3})日?"
)


def _cn_number(text: str) -> int | None:
    """一 … 三十, 廿三, 卅 as used for lunar months and days."""
    if text.startswith("初"):
        return _CN_DIGITS.get(text[1:]) if len(text) == 2 else None
    if text == "卅":
        return 30
    if text.startswith("廿"):
        return 20 + (_CN_DIGITS.get(text[1:], 0) if len(text) > 1 else 0)
    if len(text) == 1:
        return _CN_DIGITS.get(text)
    if text[0] == "十":  # 十一 … 十九
        rest = _CN_DIGITS.get(text[1:])
        return 10 + rest if rest and rest < 10 else None
    if len(text) >= 2 and text[1] == "十":  # 二十, 二十三, 三十
        tens = _CN_DIGITS.get(text[0])
        ones = _CN_DIGITS.get(text[2:], 0) if len(text) == 3 else 0
        return tens * 10 + ones if tens and tens < 10 and ones < 10 else None
    return None


def parse_care_text(text: str, today: date, kind: str = "birthday") -> CareSpec | None:
    """A birthday or anniversary cell; None when empty; FieldError with the reason when wrong."""
    raw = text.strip()
    if not raw:
        return None
    rest = raw
    lunar = leap = False
    if m := _LUNAR_PREFIX.match(rest):
        lunar, rest = True, rest[m.end() :]
    if m := _LEAP_PREFIX.match(rest):
        leap, rest = True, rest[m.end() :]
    year = month = day = None
    if m := _CN_LUNAR.fullmatch(rest):
        year = int(m.group(1)) if m.group(1) else None
        leap = leap or bool(m.group(2))
        month = (
            _CN_MONTHS.get(m.group(3))
            if len(m.group(3)) == 1 and m.group(3) in _CN_MONTHS
            else _cn_number(m.group(3))
        )
        day = _cn_number(m.group(4))
        lunar = True
    elif m := _MONTH_DAY.fullmatch(date_text(rest).replace(" ", "")):
        year = int(m.group(1)) if m.group(1) else None
        month, day = int(m.group(2)), int(m.group(3))
    elif m := _COMPACT_DATE.fullmatch(rest):
        year, month, day = (int(g) for g in m.groups())
    if not month or not day:
        raise FieldError(
            _("'{text}' is not a date; use 1985-03-15, --03-15 (no year) or lunar 03-15").format(
                text=raw
            )
        )
    if year == 1604:  # Apple's placeholder year for a birthday without one
        year = None
    if leap and not lunar:
        raise FieldError(_("'{text}': only a lunar date has a leap month").format(text=raw))
    if lunar:
        if not (1 <= month <= 12 and 1 <= day <= 30):
            raise FieldError(_("'{text}' is not a lunar date").format(text=raw))
    else:
        try:
            date(2000, month, day)  # a leap year, so that Feb 29 is allowed
        except ValueError:
            raise FieldError(
                _("'{text}' is not a date ({month}/{day} does not exist)").format(
                    text=raw, month=month, day=day
                )
            ) from None
        if year is not None:
            try:
                born = date(year, month, day if (month, day) != (2, 29) else 28)
            except ValueError:
                born = None
            if born is None or not year >= 1900 or born > today:
                raise FieldError(
                    _("'{text}': the year must be between 1900 and this year").format(text=raw)
                )
    if lunar and year is not None and not 1900 <= year <= today.year:
        raise FieldError(
            _("'{text}': the year must be between 1900 and this year").format(text=raw)
        )
    return CareSpec(kind=kind, month=month, day=day, year=year, lunar=lunar, leap=leap)
