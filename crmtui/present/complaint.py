"""A complaint as people read it, on the command line (`crmtui complaint show|list`) and in the
app (the queue, the complaint's screen, the dialogs that act on it): its words for status and
severity, its clock, its heading, its facts and its timeline.

Functions take what the services return (a `QueueRow`, a `ComplaintDetail`) and the user's zone;
nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from crmtui.i18n import NC_, _, pgettext
from crmtui.labels import label, term
from crmtui.present.styles import (
    AT_RISK_MARK,
    OVERDUE_MARK,
    SEVERITY_STYLES,
    SLA_STYLES,
    overdue_style,
)
from crmtui.present.text import plain
from crmtui.present.time import days_span, moment, short_moment, span

# The queue's words: shorter than the domain's labels, to fit its columns.
STATUS_WORDS = {
    "new": NC_("queue", "new"),
    "acknowledged": NC_("queue", "acknowledged"),
    "in_progress": NC_("queue", "in progress"),
    "waiting_customer": NC_("queue", "waiting"),
    "resolved": NC_("queue", "resolved"),
    "closed": NC_("queue", "closed"),
    "reopened": NC_("queue", "reopened"),
}
STATUS_SHORT = {
    **STATUS_WORDS,
    "acknowledged": NC_("queue", "acked"),
    "in_progress": NC_("queue", "working"),
}
SEVERITY_SHORT = {
    "critical": NC_("queue", "crit"),
    "high": NC_("queue", "high"),
    "normal": NC_("queue", "norm"),
    "low": NC_("queue", "low"),
}


def status_word(status: str, *, short: bool = False) -> str:
    """A complaint's status as the queue shows it, in the interface language."""
    word = (STATUS_SHORT if short else STATUS_WORDS).get(status)
    return pgettext("queue", word) if word else status


def severity_word(severity: str, *, short: bool = False) -> str:
    word = SEVERITY_SHORT.get(severity) if short else None
    return pgettext("queue", word) if word else label("severity", severity)


def severity_text(severity: str, *, short: bool = False) -> Text:
    return Text(severity_word(severity, short=short), style=SEVERITY_STYLES.get(severity, ""))


# -- the clock ------------------------------------------------------------------------------------


def sla_words(sla: Any, width: int | None = None) -> str:
    """The time left to the running deadline of a clock (`views.complaints.SlaClock`), or how
    late it is, in a few words: 3h 5m left, 45m late, paused 2d; once stopped, late or in time.
    Within `width` cells, the time in its largest unit alone when both do not fit."""
    if sla.time_left is None:  # resolved or closed: was it in time?
        return _("late") if sla.state.value == "breached" else _("in time")
    if sla.paused:  # waiting for the customer: the time left stands still
        template = _("paused {span}")
    elif sla.time_left.total_seconds() < 0:
        template = _("{span} late")
    else:
        template = _("{span} left")
    if sla.state.value == "at_risk" and not sla.paused:
        template = AT_RISK_MARK + template  # at risk without its colour, too
    words = template.format(span=span(sla.time_left))
    if width is not None and cell_len(words) > width:
        words = template.format(span=span(sla.time_left, parts=1))
    return words


def sla_style(sla: Any) -> str:
    """Its state's colour. Once the clock has stopped, only a late one keeps a colour, not
    bold; not dimmed, since a dimmed red is blended towards the background and a 16-colour
    terminal then shows it as the yellow of at risk."""
    if sla.time_left is None:
        return (
            SLA_STYLES["breached"].replace("bold", "").strip()
            if sla.state.value == "breached"
            else ""
        )
    return SLA_STYLES[sla.state.value]


def sla_text(sla: Any) -> Text:
    return Text(sla_words(sla), style=sla_style(sla))


# -- what needs doing ----------------------------------------------------------------------------

CLOSE_AFTER_DAYS = 3
"""A resolved complaint still open this many days after its resolution is nudged to close
(ask the customer, record the satisfaction)."""


def promise_passed(row: Any, now: datetime) -> bool:
    """Whether the time promised to the customer has passed and the complaint is still open."""
    return row.promised_at is not None and row.sla.time_left is not None and row.promised_at < now


def days_to_close(row: Any, today: date, zone: tzinfo) -> int | None:
    """Days since a resolved complaint was resolved, once it should be closed; else None."""
    if row.status != "resolved" or row.resolved_at is None:
        return None
    days = (today - row.resolved_at.astimezone(zone).date()).days
    return days if days >= CLOSE_AFTER_DAYS else None


# -- one complaint --------------------------------------------------------------------------------


def _heading_line(row: Any) -> Text:
    """'#12 张三 · 重庆华信 · high · in progress · 3h05 left'."""
    text = Text()
    text.append(f"#{row.id} ", style="bold")
    text.append(plain(row.customer, "bold"))
    if row.company:
        text.append(" · ")
        text.append(plain(row.company))
    text.append(" · ")
    text.append_text(severity_text(row.severity))
    text.append(" · " + status_word(row.status) + " · ")
    text.append_text(sla_text(row.sla))
    return text


def complaint_heading(row: Any) -> Text:
    """'#12 张三 · 重庆华信 · high · in progress · 3h05 left' and the summary below."""
    text = _heading_line(row)
    text.append("\n")
    text.append(plain(row.summary))
    return text


def queue_detail(row: Any, zone: tzinfo, now: datetime | None = None) -> Text:
    """One queue row whole, for the line under the queue: the heading, who handles it, what
    the customer was promised (and whether that time has passed), a nudge to close a complaint
    resolved days ago, and the summary uncut."""
    text = _heading_line(row)
    text.append(" · " + _("owner {name}").format(name=row.owner_name or row.owner or _("nobody")))
    if row.promised_at is not None:
        text.append(" · " + _("promised {when}").format(when=moment(row.promised_at, zone)))
        if now is not None and promise_passed(row, now):
            text.append(
                " " + _("(passed: tell the customer where it stands)"), style=overdue_style()
            )
    if now is not None:
        days = days_to_close(row, now.astimezone(zone).date(), zone)
        if days is not None:
            text.append(
                " · "
                + _("resolved {span} ago: close it with the customer's satisfaction").format(
                    span=days_span(days)
                ),
                style="bold",
            )
    text.append("\n")
    text.append(plain(row.summary))
    return text


def complaint_facts(
    detail: Any, zone: tzinfo, now: datetime | None = None
) -> list[tuple[str, str]]:
    """(heading, text) of what a complaint's detail (`services.complaints.ComplaintDetail`)
    shows, times in the user's zone; facts not known yet are left out. With `now`, a time
    promised to the customer that has passed says so."""
    row, complaint = detail.row, detail.complaint
    promised = moment(row.promised_at, zone)
    if promised and now is not None and promise_passed(row, now):
        promised += OVERDUE_MARK + " " + _("(passed: tell the customer where it stands)")
    resolve_by = moment(row.resolve_by, zone)
    if complaint.paused_seconds:
        resolve_by += " · " + _("moved by {span} waiting for the customer").format(
            span=span(timedelta(seconds=complaint.paused_seconds))
        )
    facts = [
        (
            _("Customer"),
            f"{row.customer} #{row.customer_id}" + (f" · {row.company}" if row.company else ""),
        ),
        (_("Owner"), row.owner_name or row.owner or _("nobody")),
        (
            _("Channel"),
            label("channel", row.channel) + (f" · {row.category}" if row.category else ""),
        ),
        (
            _("Opened"),
            moment(row.opened_at, zone)
            + " · "
            + _("by {login}").format(login=complaint.created_by),
        ),
        (_("Respond by"), moment(row.respond_by, zone)),
        (_("Acknowledged"), moment(row.acknowledged_at, zone)),
        (_("Promised"), promised),
        (_("Resolve by"), resolve_by),
        (_("Waiting since"), moment(row.waiting_since, zone)),
        (_("Resolved"), moment(row.resolved_at, zone)),
        (_("Description"), complaint.description),
        (_("Resolution"), complaint.resolution),
        (_("Root cause"), complaint.root_cause),
        (_("Satisfaction"), f"{complaint.satisfaction}/5" if complaint.satisfaction else ""),
    ]
    return [(heading, text) for heading, text in facts if text]


def event_text(event: Any, zone: tzinfo) -> str:
    """One timeline entry (`views.complaints.TimelineEvent`) in words, times in the user's zone."""

    def noted(text: str) -> str:
        return _("{what}: {note}").format(what=text, note=event.note) if event.note else text

    if event.kind == "opened":
        return noted(_("opened"))
    if event.kind == "status":
        return noted(
            f"{term('complaint_status', event.from_value)} → "
            f"{term('complaint_status', event.to_value)}"
        )
    if event.kind == "promise":
        try:
            when = moment(datetime.fromisoformat(event.to_value), zone)
        except ValueError:
            when = event.to_value
        return _("promised the customer an answer by {when}").format(when=when)
    if event.kind == "owner":
        return _("owner {old} → {new}").format(
            old=event.from_value or _("nobody"), new=event.to_value or _("nobody")
        )
    if event.kind == "severity":
        return noted(
            _("severity {old} → {new}").format(
                old=term("severity", event.from_value), new=term("severity", event.to_value)
            )
        )
    note: str = event.note
    return note


def facts_table(detail: Any, zone: tzinfo, now: datetime | None = None) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for heading, text in complaint_facts(detail, zone, now):
        grid.add_row(heading, plain(text, multiline=True))
    return grid


def _table() -> Table:
    return Table(box=None, show_edge=False, pad_edge=False, expand=True, header_style="bold dim")


def timeline_table(events: Iterable[Any], zone: tzinfo, today: date) -> Table:
    """Who did what when, oldest first."""
    table = _table()
    table.add_column(_("When"), no_wrap=True, width=11)
    table.add_column(_("By"), no_wrap=True, max_width=12)
    table.add_column(_("What"), overflow="fold", ratio=1)
    for event in events:
        table.add_row(
            short_moment(event.at, zone, today),
            plain(event.by),
            plain(event_text(event, zone), multiline=True),
        )
    return table


def contacts_table(interactions: list[Any], zone: tzinfo, today: date) -> RenderableType:
    """The customer's recent contacts, newest first."""
    if not interactions:
        return Text(_("No contacts with the customer yet."), style="dim")
    table = _table()
    table.add_column(_("When"), no_wrap=True, width=11)
    table.add_column(_("Channel"), no_wrap=True, width=7)
    table.add_column(_("Outcome"), no_wrap=True, width=9)
    table.add_column(_("By"), no_wrap=True, max_width=10)
    table.add_column(_("Summary"), overflow="fold", ratio=1)
    for i in interactions:
        table.add_row(
            short_moment(i.at, zone, today),
            plain(label("channel", i.channel)),
            plain(label("outcome", i.outcome)),
            plain(i.by),
            plain(i.summary),
        )
    return table


def complaint_body(detail: Any, zone: tzinfo, today: date, now: datetime | None = None) -> Group:
    """Everything under the heading: the facts, the timeline and the customer's contacts."""
    return Group(
        facts_table(detail, zone, now),
        Text("\n" + _("Timeline"), style="bold underline"),
        timeline_table(detail.events, zone, today),
        plain(
            "\n" + _("Recent contacts with {name}").format(name=detail.row.customer),
            "bold underline",
            multiline=True,
        ),
        contacts_table(detail.interactions, zone, today),
    )
