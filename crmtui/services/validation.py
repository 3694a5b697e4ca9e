"""Turning typed text into clean values, one field at a time, with a reason when it is wrong.

Forms call `clean_field` as the user types; services call `clean_fields` before saving, so the
CLI, the TUI and imports accept and refuse exactly the same things.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from crmtui.config import parse_duration
from crmtui.errors import InvalidInput
from crmtui.i18n import _, explain
from crmtui.patterns import lazy_pattern
from crmtui.plaintext import strip_controls
from crmtui.rules import (
    MAX_MINUTES,
    AppointmentKind,
    Cadence,
    DateInputError,
    Grade,
    Need,
    Purpose,
    PurposeMet,
    parse_date,
)

CHANNELS = ("phone", "email", "sms", "wechat", "visit", "meeting", "event", "other")
OUTCOMES = ("positive", "neutral", "negative", "no_answer")
DIRECTIONS = ("out", "in")
STATUSES = ("existing", "intent", "potential", "terminated")
DEAL_STATUSES = ("won", "negotiating", "potential")
SOURCES = ("canvass", "marketing", "referral", "research", "agent", "records", "event")
CONTACT_ROLES = ("decision_maker", "influencer", "purchaser", "user", "other")
CARE_KINDS = ("birthday", "anniversary", "other")
APPOINTMENT_KINDS = tuple(kind.value for kind in AppointmentKind)
PURPOSES = tuple(purpose.value for purpose in Purpose)
REVIEW_ANSWERS = tuple(answer.value for answer in PurposeMet)
PAYMENT_METHODS = ("transfer", "cash", "card", "cheque", "wechat", "alipay", "other")

MAX_MONEY = Decimal("1000000000000")
_EMAIL = lazy_pattern(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;.]{2,}$")
_PHONE = lazy_pattern(r"^\+?[\d\s\-().]{5,30}(\s*(x|ext\.?)\s*\d{1,6})?$", re.IGNORECASE)
_NOT_DIGIT = lazy_pattern(r"\D")
_PHONE_SEPARATOR = lazy_pattern(r"[,;/]")
_TAG_SEPARATOR = lazy_pattern(r"[,;，]")
_NUMBER = lazy_pattern(r"[+-]?(\d+(\.\d*)?|\.\d+)")


class FieldError(ValueError):
    """The reason one field's text was refused."""


def clean_text(value: Any, *, limit: int, multiline: bool = False) -> str:
    """Typed or imported text as it is stored: without control and format characters (the rule
    of `crmtui.plaintext`: pasted escapes, NULs, bidi overrides), one-line text on one line with
    single spaces, no surrounding space; longer than `limit` is refused.

    Every write path cleans its free text here (the services' field tables, pin reasons,
    display names, imports, config text shown in the app), so stored text is only ever text.
    """
    if value is None or value == "":  # most cells of an imported sheet are empty
        return ""
    text = strip_controls(str(value), multiline=multiline)
    if not multiline:
        text = " ".join(text.split())
    text = text.strip()
    if len(text) > limit:
        raise FieldError(
            _("too long: {n} characters, at most {limit}").format(n=len(text), limit=limit)
        )
    return text


def required_text(limit: int, *, multiline: bool = False, why: str = "") -> Callable[..., str]:
    """A cleaner of text that must be given; `why` (an N_ msgid) says what is missing."""

    def clean(value: Any, today: date | None = None) -> str:
        text = clean_text(value, limit=limit, multiline=multiline)
        if not text:
            raise FieldError(_(why) if why else _("required"))
        return text

    return clean


def optional_text(limit: int, multiline: bool = False) -> Callable[..., str]:
    def clean(value: Any, today: date | None = None) -> str:
        return clean_text(value, limit=limit, multiline=multiline)

    return clean


def clean_email(value: Any, today: date | None = None) -> str:
    text = clean_text(value, limit=254)
    if text and not _EMAIL.match(text):
        raise FieldError(_("'{text}' is not an e-mail address").format(text=text))
    return text.lower()


def clean_phone(text: str) -> str:
    text = clean_text(text, limit=40)
    digits = _NOT_DIGIT.sub("", text)
    if not _PHONE.match(text) or not 5 <= len(digits) <= 20:
        raise FieldError(_("'{text}' is not a phone number").format(text=text))
    return text


def clean_phones(value: Any, today: date | None = None) -> str:
    """Comma- or semicolon-separated phone numbers, each checked."""
    if isinstance(value, (list, tuple)):
        parts = [str(v) for v in value]
    else:
        parts = _PHONE_SEPARATOR.split("" if value is None else str(value))
    phones = [clean_phone(p) for p in parts if p.strip()]
    return ", ".join(dict.fromkeys(phones))


def clean_tags(value: Any, today: date | None = None) -> str:
    parts = value if isinstance(value, (list, tuple)) else _TAG_SEPARATOR.split(str(value or ""))
    tags = [clean_text(p, limit=40).lower().replace(" ", "-") for p in parts]
    return ",".join(dict.fromkeys(t for t in tags if t))


def clean_date(value: Any, today: date) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = clean_text(value, limit=40)
    if not text:
        return None
    try:
        return parse_date(text, today)
    except DateInputError as error:
        raise FieldError(explain(error)) from None


# Amounts as people write them: ¥12,000, ￥8万, 1.2万元, 3亿, RMB 500, 8k.
_CURRENCY_PREFIX = lazy_pattern(r"^(?:¥|\$|rmb|cny|人民币)\s*", re.IGNORECASE)
_CURRENCY_SUFFIX = lazy_pattern(r"\s*(?:元|块|块钱|圆|rmb|cny)$", re.IGNORECASE)
_MULTIPLIERS = {
    "万": Decimal(10_000),
    "亿": Decimal(100_000_000),
    "千": Decimal(1_000),
    "k": Decimal(1_000),
}


def parse_amount(text: str) -> Decimal | None:
    """The number an amount means (¥1.2万 → 12000), unchecked; None when it is not one.

    Full-width digits and signs read as their ASCII forms (NFKC); thousands separators are
    dropped; one multiplier (千, 万, 亿, k) may follow the number, and a currency sign or word
    may come before it or after it. Import and every form read amounts here."""
    raw = unicodedata.normalize("NFKC", text).strip().replace("，", ",")
    raw = _CURRENCY_SUFFIX.sub("", _CURRENCY_PREFIX.sub("", raw))
    multiplier = Decimal(1)
    if raw[-1:].lower() in _MULTIPLIERS:
        multiplier = _MULTIPLIERS[raw[-1:].lower()]
        raw = raw[:-1].rstrip()
    raw = _CURRENCY_PREFIX.sub("", raw).replace(",", "").replace(" ", "")
    if not _NUMBER.fullmatch(raw):
        return None
    try:
        return Decimal(raw) * multiplier
    except InvalidOperation:
        return None


def clean_money(value: Any, today: date | None = None) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, (Decimal, int)):
        amount: Decimal | None = Decimal(value)
    else:
        text = clean_text(value, limit=40)
        if not text:
            return None
        amount = parse_amount(text)
    if amount is None or not amount.is_finite():
        raise FieldError(_("'{text}' is not an amount").format(text=value))
    if amount < 0:
        raise FieldError(_("must not be negative"))
    if amount >= MAX_MONEY:
        raise FieldError(_("too large"))
    if amount != amount.quantize(Decimal("0.01")):
        raise FieldError(_("at most two decimals"))
    return amount.quantize(Decimal("0.01"))


def clean_positive_money(value: Any, today: date | None = None) -> Decimal:
    amount = clean_money(value, today)
    if amount is None:
        raise FieldError(_("required"))
    if amount == 0:
        raise FieldError(_("must be more than zero"))
    return amount


def choice(
    options: tuple[str, ...], *, optional: bool = False
) -> Callable[[Any, date], str | None]:
    def clean(value: Any, today: date) -> str | None:
        text = clean_text(value, limit=40).lower()
        if not text and optional:
            return None
        if text not in options:
            raise FieldError(
                _("'{text}' is not one of {options}").format(text=text, options=", ".join(options))
            )
        return text

    return clean


def clean_int(low: int, high: int) -> Callable[..., int | None]:
    def clean(value: Any, today: date | None = None) -> int | None:
        if value is None or value == "":
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            raise FieldError(_("'{text}' is not a whole number").format(text=value)) from None
        if not low <= number <= high:
            raise FieldError(_("must be between {low} and {high}").format(low=low, high=high))
        return number

    return clean


CUSTOMER_FIELDS: dict[str, Callable[[Any, date], Any]] = {
    "name": required_text(200),
    "company": optional_text(200),
    "title": optional_text(100),
    "phones": clean_phones,
    "email": clean_email,
    "address": optional_text(500, multiline=True),
    "im_id": optional_text(100),
    "native_place": optional_text(100),
    "education": optional_text(100),
    "family": optional_text(2000, multiline=True),
    "personality": optional_text(2000, multiline=True),
    "notes": optional_text(10000, multiline=True),
    "tags": clean_tags,
    "goals": optional_text(2000, multiline=True),
    "opinions": optional_text(2000, multiline=True),
    "situation": optional_text(2000, multiline=True),
    "competitors": optional_text(2000, multiline=True),
    "membership": optional_text(50),
    "need": choice(tuple(n.value for n in Need)),
    "expected_close": clean_date,
    "expected_amount": clean_money,
    "cadence": choice(tuple(c.value for c in Cadence), optional=True),
    "status": choice(STATUSES),
    "deal_status": choice(DEAL_STATUSES),
    "source": choice(SOURCES, optional=True),
    "credit_limit": clean_money,
    "credit_rating": optional_text(16),
}


# The other forms' fields; the services clean with these tables too, so a form's message as you
# type is the one the save would give.
INTERACTION_FIELDS: dict[str, Callable[[Any, date], Any]] = {
    "summary": required_text(2000),
    "channel": choice(CHANNELS),
    "outcome": choice(OUTCOMES),
    "direction": choice(DIRECTIONS),
    "next_step": optional_text(500),
    "next_on": clean_date,
    "promise": optional_text(500),
    "promise_due": clean_date,
}

PROMISE_FIELDS: dict[str, Callable[[Any, date], Any]] = {
    "promise": required_text(500),
    "promise_due": clean_date,
}

ORDER_FIELDS: dict[str, Callable[[Any, date], Any]] = {
    "amount": clean_positive_money,
    "product": optional_text(200),
    "on": clean_date,
    "quantity": clean_int(1, 10_000_000),
    "gift": optional_text(200),
    "note": optional_text(2000, multiline=True),
    "cost": clean_money,
    "next_close": clean_date,
    "deliver_on": clean_date,
}


PAYMENT_FIELDS: dict[str, Callable[[Any, date], Any]] = {
    "amount": clean_positive_money,
    "on": clean_date,
    "method": choice(PAYMENT_METHODS),
    "note": optional_text(500),
}

INSTRUCTION_FIELDS: dict[str, Callable[[Any, date], Any]] = {
    "text": required_text(500),
    "due": clean_date,
    "note": optional_text(2000, multiline=True),
}


def clean_minutes(value: Any, today: date | None = None) -> int | None:
    """An appointment's length: whole minutes (60), or a length as durations are written
    (1h 30m, 90min, 1小时); from one minute to a day. None when not given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = clean_text(value, limit=40)
    if text.isascii() and text.lstrip("+-").isdigit():
        minutes = int(text)
    else:
        try:
            minutes = int(parse_duration(text).total_seconds() // 60)
        except ValueError:
            raise FieldError(
                _("'{text}' is not a length of time; use minutes (45) or 1h 30m").format(text=text)
            ) from None
    if minutes <= 0:
        raise FieldError(_("an appointment lasts at least a minute"))
    if minutes > MAX_MINUTES:
        raise FieldError(
            _("an appointment lasts at most a day ({n} minutes)").format(n=MAX_MINUTES)
        )
    return minutes


APPOINTMENT_FIELDS: dict[str, Callable[[Any, date], Any]] = {
    "minutes": clean_minutes,
    "kind": choice(APPOINTMENT_KINDS),
    "purpose": choice(PURPOSES, optional=True),
    "place": optional_text(300),
    "prep": optional_text(2000, multiline=True),
}

REVIEW_FIELDS: dict[str, Callable[[Any, date], Any]] = {
    "purpose_met": choice(REVIEW_ANSWERS, optional=True),
    "instructions_done": choice(REVIEW_ANSWERS, optional=True),
    "still_open": optional_text(2000, multiline=True),
}


def clean_field(
    name: str,
    value: Any,
    today: date,
    table: Mapping[str, Callable[[Any, date], Any]] = CUSTOMER_FIELDS,
) -> Any:
    """One field's clean value, or FieldError with the reason."""
    return table[name](value, today)


def collect_field(
    errors: dict[str, str], name: str, clean: Callable[..., Any], *args: Any, **kwargs: Any
) -> Any:
    """`clean(*args, **kwargs)`, or None with the refusal noted under `name` in `errors`: a
    form's fields are each checked, so that every refused one is named at once."""
    try:
        return clean(*args, **kwargs)
    except FieldError as error:
        errors[name] = str(error)
        return None


def one_field(name: str, clean: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`clean(*args, **kwargs)`, or InvalidInput naming `name`: a form or command of one field."""
    try:
        return clean(*args, **kwargs)
    except FieldError as error:
        raise InvalidInput.one(name, str(error)) from None


def checked_field(
    name: str,
    value: Any,
    today: date,
    table: Mapping[str, Callable[[Any, date], Any]] = CUSTOMER_FIELDS,
) -> tuple[bool, Any]:
    """One field as `clean_fields` checks it: (True, its clean value) or (False, why it is
    refused)."""
    if name not in table:
        return (False, _("unknown field"))
    try:
        return (True, clean_field(name, value, today, table))
    except FieldError as error:
        return (False, str(error))


def clean_fields(
    values: Mapping[str, Any],
    today: date,
    table: Mapping[str, Callable[[Any, date], Any]] = CUSTOMER_FIELDS,
) -> dict[str, Any]:
    """All fields at once; InvalidInput lists every refused field so a form can mark each."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in values.items():
        ok, result = checked_field(name, value, today, table)
        (cleaned if ok else errors)[name] = result
    if errors:
        raise InvalidInput(errors)
    return cleaned


def grade_value(value: Any) -> Grade:
    try:
        return Grade(str(value).strip().upper())
    except ValueError:
        raise InvalidInput.one(
            "grade", _("'{text}' is not a grade A–E").format(text=value)
        ) from None
