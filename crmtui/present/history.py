"""A customer's history and undo as people read them, for `crmtui history`, `crmtui undo`, the
profile's History tab, the undo confirmation and Today's note on items a colleague settled.

Takes the service results of services.history (entries with decoded values) and the user's
zone and day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from rich.text import Text

from crmtui.i18n import _
from crmtui.labels import dimension_label, label
from crmtui.present.numbers import money
from crmtui.present.text import plain, safe
from crmtui.present.time import moment, short_moment

VALUE_KINDS = {
    "channel": "channel",
    "outcome": "outcome",
    "direction": "direction",
    "need": "need",
    "deal_status": "deal",
    "lifecycle": "lifecycle",
    "value_class": "tier",
    "source": "source",
    "cadence": "cadence",
    "severity": "severity",
    "purpose": "purpose",
    "purpose_met": "review_answer",
    "instructions_done": "review_answer",
}
"""The label kind of a field's values, where they are stored words."""
STATUS_KINDS = {
    "customer": "status",
    "promise": "promise",
    "complaint": "complaint_status",
    "appointment": "appointment_status",
}
COMPLAINT_FIELDS = {"promise": "promise_time"}
"""Complaint events by the field they change, where the kind is named otherwise."""
CUT = 60
"""Text values in a history line are cut to this many characters."""


def value_text(entity: str, name: str, value: Any, zone: tzinfo) -> str:
    """One stored value as shown: words for choices, money, moments in the user's zone."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return moment(value, zone)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, dict):
        if name == "scores":
            return scores_text(value)
        return record_text(entity, value, zone)
    if name == "status" and entity in STATUS_KINDS:
        return label(STATUS_KINDS[entity], value)
    if name in VALUE_KINDS:
        return label(VALUE_KINDS[name], value)
    text = safe(value)
    return text if len(text) <= CUT else text[: CUT - 1] + "…"


def scores_text(scores: dict[str, Any]) -> str:
    return " · ".join(f"{dimension_label(name)} {score}" for name, score in scores.items())


def record_text(entity: str, values: dict[str, Any], zone: tzinfo) -> str:
    """A record created or removed, in a few words."""

    def get(name: str) -> str:
        return value_text(entity, name, values.get(name), zone)

    if entity == "interaction":
        return get("summary")
    if entity in ("order", "win"):
        product = values.get("product")
        return get("amount") + (f" {get('product')}" if product else "")
    if entity == "promise":
        return f"{get('text')} ({get('due')})"
    if entity == "care":
        month, day = values.get("month"), values.get("day")
        when = f"{month:02d}-{day:02d}" if isinstance(month, int) and isinstance(day, int) else "?"
        return f"{label('care', values.get('kind'))} {when}"
    if entity == "survey":
        scores = {
            name: values[name]
            for name in ("product", "service", "responsiveness", "value", "overall")
            if isinstance(values.get(name), int)
        }
        return scores_text({**scores, **(values.get("scores") or {})})
    return ""


def field_name(entity: str, name: str) -> str:
    return label("field", COMPLAINT_FIELDS.get(name, name) if entity == "complaint" else name)


def move_text(move: Any, zone: tzinfo) -> str:
    """One field's move: 'quantity: 1 → 3', 'added: …', 'removed: …'."""
    if move.entity == "complaint":
        if move.field in ("opened", "note"):
            return label("field", "opened") if move.field == "opened" else ""
        return "{field}: {old} → {new}".format(
            field=field_name("complaint", move.field),
            old=value_text("complaint", move.field, move.old, zone),
            new=value_text("complaint", move.field, move.new, zone),
        )
    what = label("record", move.entity)
    if move.field == "" and move.old is None:
        return _("{record} #{id} added: {what}").format(
            record=what, id=move.entity_id, what=value_text(move.entity, "", move.new, zone)
        )
    if move.field == "":
        return _("{record} #{id} removed: {what}").format(
            record=what, id=move.entity_id, what=value_text(move.entity, "", move.old, zone)
        )
    field = field_name(move.entity, move.field)
    old = value_text(move.entity, move.field, move.old, zone)
    new = value_text(move.entity, move.field, move.new, zone)
    return f"{field}: {old} → {new}"


def entry_title(entry: Any) -> str:
    """What kind of change: 'log · interaction #12', 'edit · order #3', 'complaint #2'."""
    record = label("record", entry.entity)
    number = f" #{entry.entity_id}" if entry.entity_id is not None else ""
    action = label("action", entry.action)
    if entry.action == "complaint" or action == record:  # an order: "order #3", not twice
        return f"{record}{number}"
    return f"{action} · {record}{number}"


def entry_changes(entry: Any, zone: tzinfo) -> list[str]:
    """The entry's moves as lines, the records first, then the customer's fields; an undone
    change says so."""
    moves = sorted(entry.fields, key=lambda m: m.entity == "customer")
    lines = [text for text in (move_text(move, zone) for move in moves) if text]
    if entry.note:
        lines.append(safe(entry.note))
    if entry.undone_by is not None:
        lines.append(_("(undone)"))
    return lines


def who_text(entry: Any) -> str:
    if not entry.by:
        return _("someone")
    if entry.login and entry.login != entry.by:
        return f"{entry.by} ({entry.login})"
    shown: str = entry.by
    return shown


def history_text(entries: Sequence[Any], zone: tzinfo, *, name: str = "") -> Text:
    """The history as lines for the command line: a line per change, its moves indented."""
    text = Text()
    if not entries:
        text.append(_("No changes recorded for {name} yet.").format(name=safe(name)), style="dim")
        return text
    for index, entry in enumerate(entries):
        if index:
            text.append("\n")
        text.append(moment(entry.at, zone), style="dim")
        text.append("  ")
        text.append(plain(who_text(entry), "bold"))
        text.append("  ")
        text.append(plain(entry_title(entry)))
        if entry.origin == "cli":
            text.append("  " + _("(command line)"), style="dim")
        for line in entry_changes(entry, zone):
            text.append("\n    ")
            text.append(plain(line))
    return text


def history_rows(
    entries: Sequence[Any], zone: tzinfo, today: date
) -> list[tuple[str, str, str, str]]:
    """The profile's History tab: (when, who, what, changes)."""
    return [
        (
            short_moment(entry.at, zone, today),
            entry.by or _("someone"),
            entry_title(entry),
            "; ".join(entry_changes(entry, zone)),
        )
        for entry in entries
    ]


def when_text(at: datetime, zone: tzinfo, today: date) -> str:
    """10:42 today, else 11-20 10:42 (or the date in another year)."""
    local = at.astimezone(zone)
    if local.date() == today:
        return local.strftime("%H:%M")
    return short_moment(at, zone, today)


def undo_text(plan: Any, zone: tzinfo, today: date) -> str:
    """'log for 张三 at 10:42': what an undo reverses."""
    return _("{action} for {name} at {when}").format(
        action=label("action", plan.action),
        name=safe(plan.customer),
        when=when_text(plan.at, zone, today),
    )


def settled_text(settled: Any, zone: tzinfo, today: date) -> str:
    """'张三: logged by 王芳 10:42': why an item left the user's list."""
    return _("{name}: {done} by {who} {when}").format(
        name=safe(settled.customer),
        done=label("done", settled.action),
        who=safe(settled.by) or _("someone"),
        when=when_text(settled.at, zone, today),
    )
