"""The domain's words as people read them (SPEC §2): stored values stay English in the database
and in JSON, which are contracts; only what is shown goes through here.

`label("need", "potential")` is "potential" in English and 潜在需求 in Chinese: each kind of
value is a gettext context (its name with spaces for underscores), so the same English word can
read differently by what it describes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from enum import Enum
from typing import Any, Literal, overload

from crmtui.i18n import N_, NC_, _, current_language, pgettext

LABELS: Mapping[str, Mapping[str, str]] = {
    "need": {
        "clear": NC_("need", "clear"),
        "potential": NC_("need", "potential"),
        "none": NC_("need", "none"),
    },
    "status": {
        "existing": NC_("status", "existing"),
        "intent": NC_("status", "intent"),
        "potential": NC_("status", "potential"),
        "terminated": NC_("status", "terminated"),
    },
    "deal": {
        "won": NC_("deal", "won"),
        "negotiating": NC_("deal", "negotiating"),
        "potential": NC_("deal", "potential"),
    },
    "source": {
        "canvass": NC_("source", "canvass"),
        "marketing": NC_("source", "marketing"),
        "referral": NC_("source", "referral"),
        "research": NC_("source", "research"),
        "agent": NC_("source", "agent"),
        "records": NC_("source", "records"),
        "event": NC_("source", "event"),
    },
    "cadence": {
        "daily": NC_("cadence", "daily"),
        "weekly": NC_("cadence", "weekly"),
        "half_monthly": NC_("cadence", "half-monthly"),
        "monthly": NC_("cadence", "monthly"),
        "quarterly": NC_("cadence", "quarterly"),
        "yearly": NC_("cadence", "yearly"),
    },
    "lifecycle": {
        "prospect": NC_("lifecycle", "prospect"),
        "customer": NC_("lifecycle", "customer"),
        "lapsed": NC_("lifecycle", "lapsed"),
        "terminated": NC_("lifecycle", "terminated"),
    },
    "visits": {  # a maintenance cadence, as visits
        "daily": NC_("visits", "daily visit"),
        "weekly": NC_("visits", "weekly visit"),
        "half_monthly": NC_("visits", "half-monthly visit"),
        "monthly": NC_("visits", "monthly visit"),
        "quarterly": NC_("visits", "quarterly visit"),
        "yearly": NC_("visits", "yearly visit"),
    },
    "bucket": {
        "urgent": NC_("bucket", "urgent"),
        "soon": NC_("bucket", "soon"),
        "later": NC_("bucket", "later"),
        "slow": NC_("bucket", "slow"),
    },
    "tier": {
        "key": NC_("tier", "key"),
        "important": NC_("tier", "important"),
        "ordinary": NC_("tier", "ordinary"),
        "none": NC_("tier", "none"),
    },
    "channel": {
        "phone": NC_("channel", "phone"),
        "email": NC_("channel", "email"),
        "sms": NC_("channel", "sms"),
        "wechat": NC_("channel", "wechat"),
        "visit": NC_("channel", "visit"),
        "meeting": NC_("channel", "meeting"),
        "event": NC_("channel", "event"),
        "other": NC_("channel", "other"),
    },
    "outcome": {
        "positive": NC_("outcome", "positive"),
        "neutral": NC_("outcome", "neutral"),
        "negative": NC_("outcome", "negative"),
        "no_answer": NC_("outcome", "no answer"),
    },
    "direction": {
        "out": NC_("direction", "out"),
        "in": NC_("direction", "in"),
    },
    "role": {
        "rep": NC_("role", "rep"),
        "support": NC_("role", "support"),
        "manager": NC_("role", "manager"),
    },
    "contact_role": {
        "decision_maker": NC_("contact role", "decision maker"),
        "influencer": NC_("contact role", "influencer"),
        "purchaser": NC_("contact role", "purchaser"),
        "user": NC_("contact role", "user"),
        "other": NC_("contact role", "other"),
    },
    "severity": {
        "critical": NC_("severity", "critical"),
        "high": NC_("severity", "high"),
        "normal": NC_("severity", "normal"),
        "low": NC_("severity", "low"),
    },
    "complaint_status": {
        "new": NC_("complaint status", "new"),
        "acknowledged": NC_("complaint status", "acknowledged"),
        "in_progress": NC_("complaint status", "in progress"),
        "waiting_customer": NC_("complaint status", "waiting customer"),
        "resolved": NC_("complaint status", "resolved"),
        "closed": NC_("complaint status", "closed"),
        "reopened": NC_("complaint status", "reopened"),
    },
    "clock": {  # the complaint clock that runs
        "respond": NC_("clock", "respond"),
        "resolve": NC_("clock", "resolve"),
    },
    "service_level": {
        "ok": NC_("service level", "ok"),
        "at_risk": NC_("service level", "at risk"),
        "breached": NC_("service level", "breached"),
    },
    "promise": {
        "open": NC_("promise", "open"),
        "done": NC_("promise", "done"),
        "broken": NC_("promise", "broken"),
    },
    "appointment_kind": {
        "visit": NC_("appointment kind", "visit"),
        "call": NC_("appointment kind", "call"),
        "meeting": NC_("appointment kind", "meeting"),
    },
    "purpose": {  # why a visit is made (拜访目的)
        "revenue": NC_("purpose", "revenue"),
        "retain": NC_("purpose", "retention"),
        "relationship": NC_("purpose", "relationship"),
        "information": NC_("purpose", "information"),
        "develop": NC_("purpose", "development"),
    },
    "appointment_status": {
        "planned": NC_("appointment status", "planned"),
        "done": NC_("appointment status", "done"),
        "cancelled": NC_("appointment status", "cancelled"),
        "missed": NC_("appointment status", "missed"),
    },
    "review_answer": {  # was the purpose met, were the instructions carried out
        "yes": NC_("review answer", "yes"),
        "partly": NC_("review answer", "partly"),
        "no": NC_("review answer", "no"),
    },
    "instruction": {
        "open": NC_("instruction", "open"),
        "late": NC_("instruction", "late"),
        "done": NC_("instruction", "done"),
    },
    "delivery": {
        "ordered": NC_("delivery", "ordered"),
        "delivered": NC_("delivery", "delivered"),
        "partly_delivered": NC_("delivery", "partly delivered"),
        "returned": NC_("delivery", "returned"),
    },
    "payment_method": {
        "transfer": NC_("payment method", "bank transfer"),
        "cash": NC_("payment method", "cash"),
        "card": NC_("payment method", "card"),
        "cheque": NC_("payment method", "cheque"),
        "wechat": NC_("payment method", "WeChat Pay"),
        "alipay": NC_("payment method", "Alipay"),
        "other": NC_("payment method", "other"),
    },
    "care": {
        "birthday": NC_("care", "birthday"),
        "anniversary": NC_("care", "anniversary"),
        "other": NC_("care", "other"),
    },
    "due": {  # a due item's kind in a line of text
        "complaint": NC_("due", "complaint"),
        "instruction": NC_("due", "instruction"),
        "delivery": NC_("due", "delivery"),
        "payment": NC_("due", "payment"),
        "promise": NC_("due", "promise"),
        "follow_up": NC_("due", "follow-up"),
        "win_back": NC_("due", "win back"),
        "care": NC_("due", "care"),
        "greeting": NC_("due", "greeting"),
        "referral": NC_("due", "referral"),
        "dropped": NC_("due", "dropped"),
        "review": NC_("due", "review"),
    },
    "due_section": {  # the heading of a due item's section
        "complaint": NC_("due section", "Complaints at risk"),
        "instruction": NC_("due section", "Manager's instructions"),
        "promise": NC_("due section", "Promises due"),
        "delivery": NC_("due section", "Deliveries due"),
        "payment": NC_("due section", "Payments overdue"),
        "follow_up": NC_("due section", "Follow-ups due"),
        "win_back": NC_("due section", "Win back"),
        "care": NC_("due section", "Care dates"),
        "greeting": NC_("due section", "Holiday greetings"),
        "referral": NC_("due section", "Ask for a referral"),
        "dropped": NC_("due section", "At risk of being dropped"),
        "review": NC_("due section", "Account plan reviews"),
    },
    "records": {  # what a merge moves or drops
        "interactions": NC_("records", "interactions"),
        "promises": NC_("records", "promises"),
        "orders": NC_("records", "orders"),
        "complaints": NC_("records", "complaints"),
        "surveys": NC_("records", "surveys"),
        "grade_history": NC_("records", "grade history"),
        "referrals": NC_("records", "referrals"),
        "care_dates": NC_("records", "care dates"),
        "contacts": NC_("records", "contacts"),
        "account_plan": NC_("records", "account plan"),
        "wins": NC_("records", "wins"),
        "lifecycle_history": NC_("records", "lifecycle and class history"),
        "appointments": NC_("records", "appointments"),
        "instructions": NC_("records", "instructions"),
        "payments": NC_("records", "payments"),
    },
    "delimiter": {
        ",": NC_("delimiter", "comma-separated"),
        ";": NC_("delimiter", "semicolon-separated"),
        "\t": NC_("delimiter", "tab-separated"),
    },
    "dimension": {  # satisfaction dimensions (顾客满意度)
        "product": NC_("dimension", "product"),
        "service": NC_("dimension", "service"),
        "responsiveness": NC_("dimension", "responsiveness"),
        "value": NC_("dimension", "value"),
        "overall": NC_("dimension", "overall"),
        "competitors": NC_("dimension", "compared with competitors"),
    },
    "period_kind": {
        "month": NC_("period kind", "month"),
        "quarter": NC_("period kind", "quarter"),
        "year": NC_("period kind", "year"),
    },
    "record": {  # what `crmtui edit`, `rm` and the history name
        "customer": NC_("record", "customer"),
        "interaction": NC_("record", "interaction"),
        "order": NC_("record", "order"),
        "promise": NC_("record", "promise"),
        "care": NC_("record", "care date"),
        "survey": NC_("record", "survey"),
        "win": NC_("record", "win"),
        "complaint": NC_("record", "complaint"),
        "appointment": NC_("record", "appointment"),
    },
    "action": {  # a change in the history and in undo (services.journal.ACTIONS)
        "log": NC_("action", "log"),
        "promise": NC_("action", "promise"),
        "promise_done": NC_("action", "promise kept"),
        "promise_broken": NC_("action", "promise broken"),
        "promise_snooze": NC_("action", "promise moved"),
        "order": NC_("action", "order"),
        "care": NC_("action", "care date"),
        "survey": NC_("action", "survey"),
        "snooze": NC_("action", "snooze"),
        "regrade": NC_("action", "regrade"),
        "pin": NC_("action", "pin"),
        "edit": NC_("action", "edit"),
        "delete": NC_("action", "delete"),
        "status": NC_("action", "status"),
        "class": NC_("action", "value class"),
        "reassign": NC_("action", "reassign"),
        "undo": NC_("action", "undo"),
    },
    "done": {  # a change someone else made, on Today ("张三: logged by 王芳 10:42")
        "log": NC_("done", "logged"),
        "promise": NC_("done", "promise made"),
        "promise_done": NC_("done", "promise kept"),
        "promise_broken": NC_("done", "promise broken"),
        "promise_snooze": NC_("done", "promise moved"),
        "order": NC_("done", "order recorded"),
        "care": NC_("done", "care date added"),
        "survey": NC_("done", "surveyed"),
        "snooze": NC_("done", "snoozed"),
        "regrade": NC_("done", "regraded"),
        "pin": NC_("done", "grade pinned"),
        "edit": NC_("done", "edited"),
        "delete": NC_("done", "record removed"),
        "status": NC_("done", "status changed"),
        "class": NC_("done", "value class set"),
        "reassign": NC_("done", "reassigned"),
        "undo": NC_("done", "change undone"),
    },
    "field": {  # a field in the history
        "summary": NC_("field", "summary"),
        "channel": NC_("field", "channel"),
        "outcome": NC_("field", "outcome"),
        "direction": NC_("field", "direction"),
        "next_step": NC_("field", "next step"),
        "next_on": NC_("field", "next step date"),
        "next_step_on": NC_("field", "next step date"),
        "at": NC_("field", "when"),
        "contact": NC_("field", "contact"),
        "contact_name": NC_("field", "contact"),
        "referral_ask": NC_("field", "referral asked"),
        "amount": NC_("field", "amount"),
        "product": NC_("field", "product"),
        "on": NC_("field", "date"),
        "quantity": NC_("field", "quantity"),
        "gift": NC_("field", "gift"),
        "note": NC_("field", "note"),
        "cost": NC_("field", "cost"),
        "text": NC_("field", "promise"),
        "due": NC_("field", "due"),
        "status": NC_("field", "status"),
        "closed_at": NC_("field", "closed"),
        "interaction": NC_("field", "contact logged"),
        "purpose_met": NC_("field", "purpose met"),
        "instructions_done": NC_("field", "instructions carried out"),
        "still_open": NC_("field", "still open"),
        "kind": NC_("field", "kind"),
        "month": NC_("field", "month"),
        "day": NC_("field", "day"),
        "year": NC_("field", "year"),
        "lunar": NC_("field", "lunar"),
        "leap": NC_("field", "leap month"),
        "greeted_on": NC_("field", "greeted"),
        "comment": NC_("field", "comment"),
        "scores": NC_("field", "scores"),
        "name": NC_("field", "name"),
        "company": NC_("field", "company"),
        "title": NC_("field", "title"),
        "phones": NC_("field", "phones"),
        "email": NC_("field", "e-mail"),
        "address": NC_("field", "address"),
        "tags": NC_("field", "tags"),
        "notes": NC_("field", "notes"),
        "need": NC_("field", "need"),
        "expected_close": NC_("field", "expected close"),
        "expected_amount": NC_("field", "expected amount"),
        "grade": NC_("field", "grade"),
        "grade_pinned": NC_("field", "grade pinned"),
        "pin_reason": NC_("field", "pin reason"),
        "cadence": NC_("field", "cadence"),
        "owner": NC_("field", "owner"),
        "lifecycle": NC_("field", "lifecycle"),
        "lifecycle_reason": NC_("field", "why terminated"),
        "value_class": NC_("field", "value class"),
        "class_pinned": NC_("field", "class pinned"),
        "class_reason": NC_("field", "class reason"),
        "deal_status": NC_("field", "deal"),
        "source": NC_("field", "source"),
        "referral_moment_on": NC_("field", "referral moment"),
        "referral_asked_on": NC_("field", "referral asked"),
        "opportunity_since": NC_("field", "opportunity since"),
        "severity": NC_("field", "severity"),
        "promise_time": NC_("field", "promised time"),
        "opened": NC_("field", "opened"),
    },
    "stage": {  # follow-up stages; the numbers read the same in both languages
        "first": NC_("stage", "first"),
    },
}


def label(kind: str, value: Any) -> str:
    """The shown word for a stored value of `kind` (the value itself when it has none)."""
    if isinstance(value, Enum):
        value = value.value
    if value is None or value == "":
        return ""
    english = LABELS[kind].get(value)
    if english is None:
        return str(value)
    return pgettext(kind.replace("_", " "), english)  # the kind is the message's context


def maintenance_words(value_class: Any, cadence: Any = None, every_days: int | None = None) -> str:
    """What sets a customer's maintenance visits, as the due list and the profile say it:
    "key customer · weekly visit", or "account plan · every 14 days"."""
    if every_days:
        return _("account plan · every {n} days").format(n=every_days)
    return _("{tier} customer · {visits}").format(
        tier=label("tier", value_class), visits=label("visits", cadence)
    )


def dimension_label(name: str, labels: Mapping[str, str] | None = None) -> str:
    """A satisfaction dimension as shown: the team's own label from the config file, else the
    known dimension's word, else its name."""
    if labels and labels.get(name):
        return labels[name]
    if name in LABELS["dimension"]:
        return label("dimension", name)
    return name.replace("_", " ")


def term(kind: str, value: Any) -> str:
    """The stored value itself in English, where messages name values as the command line
    takes them (in_progress); its label in another language."""
    if current_language() == "en":
        return str(value.value if isinstance(value, Enum) else value)
    return label(kind, value)


def labelled(kind: str, values: Iterable[str]) -> list[tuple[str, str]]:
    """(shown word, stored value) pairs, e.g. for a select."""
    return [(label(kind, value), value) for value in values]


# -- lunar dates --------------------------------------------------------------------------------

_LUNAR_MONTHS = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊")
_DIGITS = "一二三四五六七八九十"


def lunar_day_name(day: int) -> str:
    """初一 … 初十, 十一 … 十九, 二十, 廿一 … 廿九, 三十."""
    if day <= 10:
        return "初" + _DIGITS[day - 1]
    if day < 20:
        return "十" + _DIGITS[day - 11]
    if day == 20:
        return "二十"
    if day < 30:
        return "廿" + _DIGITS[day - 21]
    return "三十"


def lunar_text(month: int, day: int, leap: bool = False) -> str:
    """A lunar month and day: 农历八月十五 / 农历闰四月初一 in Chinese, lunar 8/15 in English."""
    if current_language() == "zh":
        return (
            "农历" + ("闰" if leap else "") + _LUNAR_MONTHS[month - 1] + "月" + lunar_day_name(day)
        )
    if leap:
        return _("lunar leap {month}/{day}").format(month=month, day=day)
    return _("lunar {month}/{day}").format(month=month, day=day)


_WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def weekday_name(day: date) -> str:
    """The short weekday name in the interface language (not the process locale's)."""
    return _(_WEEKDAYS[day.weekday()])


# -- text stored in English ---------------------------------------------------------------------
# Grade-history reasons are written in English whatever the writer's language (the history is
# shared by a team); they are shown translated when they are one of these messages. A group
# named `why` must itself be one of them; other groups (a typed reason) are shown as typed.

STORED = (
    N_("no need"),
    N_("potential need"),
    N_("clear need, no close estimate"),
    N_("clear need, close date slipped ({day})"),
    N_("clear need, close {day} within 1 month"),
    N_("clear need, close {day} within {months} months"),
    N_("clear need, close {day} more than 6 months away"),
    N_("new customer: {why}"),
    N_("pinned: {reason}"),
    N_("merged with #{id}"),
    N_("imported grade"),
    N_("pinned on import ({reason}); the rules give {grade}: {why}"),
    N_("imported: {why}"),
    N_("{reason}: {why}"),
    # lifecycle and value class history
    N_("sale closed: {why}"),
    N_("next opportunity: {why}"),
    N_("order on {day}"),
    N_("no order since {day}"),
    N_("lapse days changed"),
    N_("unpinned"),
    N_("relationship status was terminated"),
    N_("orders corrected"),
    N_("undone"),
)


def _pattern(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    position = 0
    for match in re.finditer(r"\{(\w+)\}", template):
        parts.append(re.escape(template[position : match.start()]))
        parts.append(f"(?P<{match.group(1)}>.+?)")
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts), re.DOTALL)


_STORED_PATTERNS: list[tuple[str, re.Pattern[str]]] | None = None


def _matched(text: str) -> tuple[str, dict[str, str]] | None:
    global _STORED_PATTERNS
    if _STORED_PATTERNS is None:
        _STORED_PATTERNS = [(template, _pattern(template)) for template in STORED]
    for template, pattern in _STORED_PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        values = match.groupdict()
        if "why" in values:
            why = stored_text(values["why"], strict=True)
            if why is None:
                continue
            values["why"] = why
        return template, values
    return None


@overload
def stored_text(text: str, *, strict: Literal[False] = False) -> str: ...
@overload
def stored_text(text: str, *, strict: bool) -> str | None: ...
def stored_text(text: str, *, strict: bool = False) -> str | None:
    """English text stored by crmtui (a grade-history reason) in the interface language; text
    it did not write comes back as it is (None with strict)."""
    if current_language() == "en" or not text:
        return text
    found = _matched(text)
    if found is None:
        return None if strict else text
    template, values = found
    return _(template).format(**values)
