"""Public holidays for greetings (节日问候), from the `holidays` library, which knows each year's
dates of the lunar ones (Spring Festival, Mid-Autumn) and the country's official names.

A configured name matches a holiday by its English name ("Mid-Autumn Festival"), by the name in
brackets ("Spring Festival" for "Chinese New Year (Spring Festival)") or by its Chinese name
(中秋节, 春节), in any case. A holiday's greeting day is its first day that year; days "observed"
or "substituted" in lieu of another are not holidays of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from crmtui.i18n import current_language
from crmtui.patterns import lazy_pattern

_BRACKETS = lazy_pattern(r"\s*[(（]([^)）]*)[)）]\s*")
_IN_LIEU = ("observed", "substituted", "补假", "调休", "休息日")


@dataclass(frozen=True)
class Holiday:
    key: str
    """The library's English name: what a logged greeting is stored under."""
    day: date
    """The first day of the holiday in its year."""
    names: frozenset[str]
    """What a config file may call it (folded to lower case)."""
    chinese: str


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


@lru_cache(maxsize=16)
def holidays_of(country: str, year: int) -> tuple[Holiday, ...]:
    """Each holiday of `country` in `year` once, on its first day."""
    # on first use: holidays is heavy and only this path needs it
    import holidays as library

    english = library.country_holidays(country, years=year, language="en_US")
    chinese: Mapping[date, str]
    try:
        chinese = library.country_holidays(country, years=year, language="zh_CN")
    except (NotImplementedError, ValueError):
        chinese = {}
    found: dict[str, Holiday] = {}
    for day, name in sorted(english.items()):
        parts = name.split("; ")  # two holidays on one day are joined with "; "
        locals_ = chinese.get(day, "").split("; ") if chinese else []
        if len(locals_) != len(parts):
            locals_ = [""] * len(parts)
        for part, local in zip(parts, locals_, strict=True):
            if any(word in part for word in _IN_LIEU) or part in found:
                continue
            names = {_fold(part), _fold(_BRACKETS.sub(" ", part))}
            names.update(_fold(alias) for alias in _BRACKETS.findall(part))
            if local:
                names.add(_fold(local))
            found[part] = Holiday(key=part, day=day, names=frozenset(names), chinese=local)
    return tuple(found.values())


def known_names(country: str, year: int) -> list[str]:
    """The English names a config file may use (for a message about an unknown one)."""
    return [holiday.key for holiday in holidays_of(country, year)]


def find(country: str, year: int, name: str) -> Holiday | None:
    folded = _fold(name)
    return next((h for h in holidays_of(country, year) if folded in h.names), None)


def upcoming(country: str, names: tuple[str, ...], today: date, lead_days: int) -> list[Holiday]:
    """The configured holidays whose first day falls from today to today + lead_days."""
    last = today + timedelta(days=lead_days)
    found = []
    for year in sorted({today.year, last.year}):
        for name in names:
            holiday = find(country, year, name)
            if holiday is not None and today <= holiday.day <= last and holiday not in found:
                found.append(holiday)
    return sorted(found, key=lambda h: h.day)


def shown_name(holiday: Holiday) -> str:
    """The holiday's name in the interface language."""
    if current_language() == "zh" and holiday.chinese:
        return holiday.chinese
    return holiday.key
