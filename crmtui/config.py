"""User and team settings from a TOML file, validated once at start-up.

Example ``config.toml``::

    lang = "zh"
    workdays_only = true        # cadence dates falling on a weekend move to Monday
    care_lead_days = 3          # care dates show on the due list this many days ahead

    [cadence]                   # grade -> daily | weekly | half_monthly | monthly | yearly
    B = "half_monthly"

    [playbook]                  # one line shown when logging an interaction with this grade
    A = "Confirm the decision maker and the date"

    [sla.respond]               # first-response targets per severity
    critical = "30min"
    [sla.resolve]
    low = "10d"
    [sla.business_hours]
    days = ["mon", "tue", "wed", "thu", "fri"]
    start = "09:00"
    end = "18:00"
    [sla]
    holidays = ["2026-10-01", "2026-10-02"]

    [survey]                    # satisfaction dimensions, 1–5 each; the CSI is over these
    dimensions = ["product", "service", "delivery", "competitors", "overall"]
    [survey.labels]             # how a dimension of the team's own is shown
    delivery = "交货准时 On-time delivery"

    [keys]                      # binding id -> keys, e.g. remap logging to "L"
    log = "L"

    [maintenance]               # visiting the customers who bought (客户维护), a team setting
    key = "weekly"              # value class -> cadence: key weekly, important half_monthly,
    important = "half_monthly"  # ordinary monthly, none quarterly by default
    lapse_days = 180            # lapsed: no order for longer than this and twice their usual gap
    key_by = "revenue"          # or "profit": rank key customers by gross profit (orders' cost)

    [receivables]               # payments (回款)
    terms_days = 30             # days to pay from delivery (from the order before delivery)

    [revenue]                   # what revenue and the 80/20 tiers count, a team setting:
    counts = "orders"           # the orders booked, or "payments" received

    [greetings]                 # a greeting list before these holidays (off when empty)
    holidays = ["Spring Festival", "Mid-Autumn Festival"]   # or 春节, 中秋节; any the
    lead_days = 7               # `holidays` library knows for the country
    grades = ["A", "B"]         # customers of these grades…
    tiers = ["key"]             # …or of these 80/20 tiers (key, important, ordinary, none);
    country = "CN"              # with neither, every customer except grade E
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from crmtui.errors import CrmError
from crmtui.i18n import _
from crmtui.locations import config_file
from crmtui.patterns import lazy_pattern
from crmtui.plaintext import strip_controls
from crmtui.rules import (
    DEFAULT_POLICY,
    DIMENSIONS,
    LAPSE_DAYS,
    PAYMENT_TERMS_DAYS,
    BusinessHours,
    Cadence,
    Grade,
    Severity,
    SlaPolicy,
    Tier,
)

_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_DURATION = lazy_pattern(r"^(?:\s*\d+\s*(?:min|m|h|d|w|分钟|分|小时|天|周)\s*)+$")
_DURATION_PART = lazy_pattern(r"(\d+)\s*(min|m|h|d|w|分钟|分|小时|天|周)")
_DURATION_UNITS = {
    "min": 60,
    "m": 60,
    "h": 3600,
    "d": 86400,
    "w": 7 * 86400,
    "分钟": 60,
    "分": 60,
    "小时": 3600,
    "天": 86400,
    "周": 7 * 86400,
}


# The sections of the settings are named tuples: cheaper to define at every start than dataclasses.
class SurveySettings(NamedTuple):
    """The satisfaction dimensions the team asks about (由顾客来确定测评指标): any of the five
    of SPEC 2.8, `competitors` (compared with competitors), or its own, in the order asked."""

    dimensions: tuple[str, ...] = DIMENSIONS
    labels: Mapping[str, str] = {}
    """How each of the team's own dimensions is shown (the known ones are translated)."""


_DIMENSION_NAME = lazy_pattern(r"^[a-z][a-z0-9_]{0,31}$")


class Greetings(NamedTuple):
    """Holiday greetings (节日问候): which holidays, how early, for which customers."""

    holidays: tuple[str, ...] = ()
    """Holiday names as the config file gives them; empty turns greetings off."""
    lead_days: int = 7
    grades: frozenset[Grade] = frozenset()
    tiers: frozenset[Tier] = frozenset()
    """Customers of these grades or tiers get greetings; with neither, all but grade E."""
    country: str = "CN"


KEY_BY = ("revenue", "profit")


class Maintenance(NamedTuple):
    """Maintenance visits by value class, lapsing and how key customers are ranked.

    Read when a customer is written and by the daily catch-up, so it is a team setting: every
    user of one database should have the same one.
    """

    cadence: Mapping[Tier, Cadence] = {}
    """The team's value class -> cadence overrides; classes not listed use the spec's."""
    lapse_days: int = LAPSE_DAYS
    key_by: str = "revenue"
    """Rank customers into value classes by `revenue`, or by gross `profit` (orders' cost)."""


REVENUE_COUNTS = ("orders", "payments")


class Receivables(NamedTuple):
    """Payment terms and what revenue counts (team settings, like `Maintenance`)."""

    terms_days: int = PAYMENT_TERMS_DAYS
    """Days a customer has to pay, from delivery (from the order before it is delivered)."""
    revenue_counts: str = "orders"
    """`[revenue] counts`: revenue and the 80/20 tiers count orders, or payments received."""


class Config(NamedTuple):
    """Settings; every field has a working default so no file is needed (a named tuple, like its
    sections: the dataclasses module and what it imports cost a command line's start about 8% of
    its instructions). Derive settings with `config._replace(...)`."""

    lang: str | None = None
    """Interface language (en or zh); None follows the locale."""
    cadence: Mapping[Grade, Cadence] = {}
    """The team's grade -> cadence overrides; grades not listed use the spec's defaults."""
    workdays_only: bool = False
    care_lead_days: int = 3
    playbook: Mapping[Grade, str] = {}
    survey: SurveySettings = SurveySettings()
    sla: SlaPolicy = DEFAULT_POLICY
    keys: Mapping[str, str] = {}
    """Binding id -> comma-separated keys, applied with App.set_keymap."""
    greetings: Greetings = Greetings()
    maintenance: Maintenance = Maintenance()
    receivables: Receivables = Receivables()
    source: Path | None = None

    def with_lang(self, lang: str | None) -> Config:
        return self._replace(lang=lang) if lang else self


def load_config(path: Path | None = None) -> Config:
    """Read the TOML file at `path`, which must exist; without one, the user's config file,
    where an absent file means the defaults."""
    given = path is not None
    path = path or config_file()
    try:
        if not path.exists():
            if given:
                raise CrmError(_("there is no config file {path}").format(path=path))
            return Config()
    except OSError as error:  # e.g. a directory on the way that the user may not enter
        raise CrmError(
            _("cannot read the config file {path}: {strerror}").format(
                path=path, strerror=error.strerror
            )
        ) from None
    if sys.version_info >= (3, 11):  # read only when there is a file: most runs have none
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found]  # installed on Python 3.10 only
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CrmError(
            _("cannot read the config file {path}: {error}").format(path=path, error=error)
        ) from None
    try:
        return _parse(raw, path)
    except (ValueError, TypeError, KeyError) as error:
        raise CrmError(_("config file {path}: {error}").format(path=path, error=error)) from None


def _parse(raw: Mapping[str, Any], path: Path) -> Config:
    lang = raw.get("lang")
    if lang is not None and lang not in ("en", "zh"):
        raise ValueError(_("lang must be 'en' or 'zh', not {lang!r}").format(lang=lang))
    cadence = {Grade(g.upper()): Cadence(c) for g, c in raw.get("cadence", {}).items()}
    # shown in the app: the same rule as stored text (no control characters)
    playbook = {
        Grade(g.upper()): " ".join(strip_controls(str(text)).split())
        for g, text in raw.get("playbook", {}).items()
    }
    lead = int(raw.get("care_lead_days", 3))
    if not 0 <= lead <= 60:
        raise ValueError(_("care_lead_days must be between 0 and 60"))
    keys = {str(k): str(v) for k, v in raw.get("keys", {}).items()}
    return Config(
        lang=lang,
        cadence=cadence,
        workdays_only=bool(raw.get("workdays_only", False)),
        care_lead_days=lead,
        playbook=playbook,
        survey=_parse_survey(raw.get("survey", {})),
        sla=_parse_sla(raw.get("sla", {})),
        keys=keys,
        greetings=_parse_greetings(raw.get("greetings", {})),
        maintenance=_parse_maintenance(raw.get("maintenance", {})),
        receivables=_parse_receivables(raw.get("receivables", {}), raw.get("revenue", {})),
        source=path,
    )


def _parse_maintenance(raw: Mapping[str, Any]) -> Maintenance:
    classes = {tier.value for tier in Tier}
    unknown = set(raw) - classes - {"lapse_days", "key_by"}
    if unknown:
        raise ValueError(
            _("[maintenance] has no setting {names}").format(names=", ".join(sorted(unknown)))
        )
    cadence = {}
    for name in sorted(classes & set(raw)):
        try:
            cadence[Tier(name)] = Cadence(str(raw[name]))
        except ValueError:
            raise ValueError(
                _("maintenance.{name} must be one of {cadences}, not {value!r}").format(
                    name=name, cadences=", ".join(c.value for c in Cadence), value=raw[name]
                )
            ) from None
    lapse_days = raw.get("lapse_days", LAPSE_DAYS)
    if (
        isinstance(lapse_days, bool)
        or not isinstance(lapse_days, int)
        or not 1 <= lapse_days <= 3650
    ):
        raise ValueError(_("maintenance.lapse_days must be a number of days from 1 to 3650"))
    key_by = raw.get("key_by", "revenue")
    if key_by not in KEY_BY:
        raise ValueError(
            _("maintenance.key_by must be 'revenue' or 'profit', not {value!r}").format(
                value=key_by
            )
        )
    return Maintenance(cadence=cadence, lapse_days=lapse_days, key_by=key_by)


def _parse_receivables(raw: Mapping[str, Any], revenue: Mapping[str, Any]) -> Receivables:
    for section, given, known in (
        ("receivables", raw, {"terms_days"}),
        ("revenue", revenue, {"counts"}),
    ):
        unknown = set(given) - known
        if unknown:
            raise ValueError(
                _("[{section}] has no setting {names}").format(
                    section=section, names=", ".join(sorted(unknown))
                )
            )
    terms = raw.get("terms_days", PAYMENT_TERMS_DAYS)
    if isinstance(terms, bool) or not isinstance(terms, int) or not 0 <= terms <= 3650:
        raise ValueError(_("receivables.terms_days must be a number of days from 0 to 3650"))
    counts = revenue.get("counts", "orders")
    if counts not in REVENUE_COUNTS:
        raise ValueError(
            _("revenue.counts must be 'orders' or 'payments', not {value!r}").format(value=counts)
        )
    return Receivables(terms_days=terms, revenue_counts=counts)


def _parse_survey(raw: Mapping[str, Any]) -> SurveySettings:
    unknown = set(raw) - {"dimensions", "labels"}
    if unknown:
        raise ValueError(
            _("[survey] has no setting {names}").format(names=", ".join(sorted(unknown)))
        )
    names = tuple(str(name).strip().lower() for name in raw.get("dimensions", DIMENSIONS))
    wrong = [name for name in names if not _DIMENSION_NAME.match(name)]
    if wrong:
        raise ValueError(
            _("survey.dimensions: {names} must be lower-case words (letters, digits, _)").format(
                names=", ".join(wrong)
            )
        )
    if not names:
        raise ValueError(_("survey.dimensions needs at least one dimension"))
    if len(set(names)) != len(names):
        raise ValueError(_("survey.dimensions names a dimension twice"))
    labels = {
        str(k).strip().lower(): " ".join("".join(ch for ch in str(v) if ch.isprintable()).split())
        for k, v in raw.get("labels", {}).items()
    }
    strays = sorted(set(labels) - set(names))
    if strays:
        raise ValueError(
            _("survey.labels: {names} not among survey.dimensions").format(names=", ".join(strays))
        )
    return SurveySettings(dimensions=names, labels=labels)


def _parse_greetings(raw: Mapping[str, Any]) -> Greetings:
    unknown = set(raw) - {"holidays", "lead_days", "grades", "tiers", "country"}
    if unknown:
        raise ValueError(
            _("[greetings] has no setting {names}").format(names=", ".join(sorted(unknown)))
        )
    names = tuple(" ".join(strip_controls(str(name)).split()) for name in raw.get("holidays", []))
    lead = int(raw.get("lead_days", 7))
    if not 0 <= lead <= 60:
        raise ValueError(_("greetings.lead_days must be between 0 and 60"))
    greetings = Greetings(
        holidays=names,
        lead_days=lead,
        grades=frozenset(Grade(str(g).upper()) for g in raw.get("grades", [])),
        tiers=frozenset(Tier(str(t).lower()) for t in raw.get("tiers", [])),
        country=str(raw.get("country", "CN")).upper(),
    )
    if names:
        _check_holidays(greetings)
    return greetings


def _check_holidays(greetings: Greetings) -> None:
    """Every configured holiday must be one the holidays library knows for the country."""
    from datetime import date as day

    from crmtui import festivals  # the holidays library: only when greetings name holidays

    year = day.today().year  # names, not dates: any year will do
    try:
        festivals.holidays_of(greetings.country, year)
    except NotImplementedError:
        raise ValueError(
            _("greetings.country: no holidays known for {country}").format(
                country=greetings.country
            )
        ) from None
    missing = [
        name
        for name in greetings.holidays
        if festivals.find(greetings.country, year, name) is None
        and festivals.find(greetings.country, year + 1, name) is None
    ]
    if missing:
        raise ValueError(
            _("greetings.holidays: {names} not known for {country}; use one of {known}").format(
                names=", ".join(missing),
                country=greetings.country,
                known=", ".join(festivals.known_names(greetings.country, year)),
            )
        )


def _parse_sla(raw: Mapping[str, Any]) -> SlaPolicy:
    respond = dict(DEFAULT_POLICY.respond)
    resolve = dict(DEFAULT_POLICY.resolve)
    for severity, text in raw.get("respond", {}).items():
        respond[Severity(severity)] = parse_duration(text)
    for severity, text in raw.get("resolve", {}).items():
        resolve[Severity(severity)] = parse_duration(text)
    hours = None
    if "business_hours" in raw:
        bh = raw["business_hours"]
        days = bh.get("days", ["mon", "tue", "wed", "thu", "fri"])
        hours = BusinessHours(
            weekdays=frozenset(_WEEKDAYS[d.lower()[:3]] for d in days),
            start=time.fromisoformat(bh.get("start", "09:00")),
            end=time.fromisoformat(bh.get("end", "18:00")),
        )
        if hours.start >= hours.end:
            raise ValueError(_("sla.business_hours start must come before end"))
    holidays = frozenset(date.fromisoformat(str(d)) for d in raw.get("holidays", []))
    return SlaPolicy(respond=respond, resolve=resolve, business_hours=hours, holidays=holidays)


def parse_duration(text: str) -> timedelta:
    """'90min', '4h', '3d', '2w', and lengths as crmtui shows them ('1d 5h', '1天5小时')."""
    if not _DURATION.match(str(text)):
        raise ValueError(
            _("{text!r} is not a duration; use e.g. 30min, 4h, 3d or 2w").format(text=text)
        )
    return timedelta(
        seconds=sum(int(n) * _DURATION_UNITS[unit] for n, unit in _DURATION_PART.findall(str(text)))
    )
