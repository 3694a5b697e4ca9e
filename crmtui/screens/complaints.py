"""Complaints (SPEC §4.5), where support staff work: the queue, most urgent first by the time
left to each complaint's running deadline, coloured by service-level state.

`a` acknowledge, `w` work, `p` wait for the customer (again: resume), `r` resolve, `c` close,
`R` reopen, `s` severity, `o` owner, `t` a note, `n` a new complaint, `enter` the complaint with
its timeline; the footer offers the moves the highlighted complaint can make. The queue holds the
open complaints and the resolved ones waiting to be closed. `/` filters: words match customer,
company, summary and category; `mine`, `unassigned`, `closed` (closed ones too),
`severity:high,critical`, `status:new`, `owner:sam`. Reps see the complaints on their own
customers. Drawn with the line API, so thousands of complaints move as quickly as a dozen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Static

from crmtui.i18n import N_, _
from crmtui.present.complaint import days_to_close, queue_detail
from crmtui.screens.complaint_actions import ComplaintActions
from crmtui.screens.paged import FILTER_DELAY
from crmtui.services.complaints import (
    HANDLER_ROLES,
    OPEN,
    SEVERITIES,
    STATUSES,
    QueueRow,
    complaint_queue,
)
from crmtui.widgets.complaint_list import ComplaintList
from crmtui.widgets.detail_line import DetailLine
from crmtui.widgets.filter_bar import FilterBar, FilterQuery, some_of
from crmtui.widgets.status import StatusLine

FILTER_KEYS = {"severity": some_of(SEVERITIES), "status": some_of(STATUSES), "owner": str.lower}
FLAGS = ("mine", "unassigned", "closed")
"""Filter words that narrow (or widen) what the service reads."""
SHOWN = (*OPEN, "resolved")
"""What the queue shows unless asked for more: the open complaints, and the resolved ones
waiting to be closed."""
FOOTER_DELAY = 0.15
"""Seconds the cursor rests before the footer shows the moves of the row under it."""


@dataclass(frozen=True)
class QueueQuery:
    """What the service is asked for; the rest of the filter applies to the rows read."""

    mine: bool = False
    unassigned: bool = False
    include_closed: bool = False
    severity: tuple[str, ...] = ()
    status: tuple[str, ...] = ()

    @classmethod
    def from_filter(cls, query: FilterQuery) -> QueueQuery:
        flags = {word.lower() for word in query.text.split()} & set(FLAGS)
        return cls(
            mine="mine" in flags,
            unassigned="unassigned" in flags,
            include_closed="closed" in flags,
            severity=tuple(query.values.get("severity", ())),
            status=tuple(query.values.get("status", ())),
        )


def search_words(query: FilterQuery) -> list[str]:
    return [word.casefold() for word in query.text.split() if word.lower() not in FLAGS]


def matches(row: QueueRow, words: list[str], owner: str | None) -> bool:
    if (
        owner is not None
        and owner not in (row.owner or "").lower()
        and owner not in (row.owner_name or "").lower()
    ):  # a login, or a name
        return False
    if words:
        haystack = " ".join((row.customer, row.company, row.summary, row.category)).casefold()
        return all(word in haystack for word in words)
    return True


class ComplaintsScreen(ComplaintActions):
    KEYS_SECTION = "complaints"
    HEADING = N_("Complaints")
    CSS_PATH = "complaints.tcss"
    AUTO_FOCUS = "ComplaintList"
    REFRESH_AFTER = timedelta(minutes=1)  # the time left moves with the clock
    HELP_WIDGETS = (ComplaintList,)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "n",
            "new",
            N_("New"),
            id="new-complaint",
            tooltip=N_("a new complaint: choose the customer by searching"),
        ),
        Binding(
            "slash",
            "filter",
            N_("Filter"),
            id="filter",
            tooltip=N_("words, or mine unassigned closed severity:high status:new owner:"),
        ),
        Binding(
            "a",
            "mine",
            N_("Mine/all"),
            id="scope",
            tooltip=N_("only those I handle, or everyone's"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[QueueRow] = []
        self.read: QueueQuery | None = None
        """What the rows were read for (None until the first read)."""
        self.shown_width = 0
        self._filter_timer: Timer | None = None
        self._footer_status: str | None = None
        self._select_next: int | None = None
        """A complaint to put the cursor on once the queue is read again (a new one)."""
        self._footer_timer: Timer | None = None

    def compose_body(self) -> ComposeResult:
        yield FilterBar(
            FILTER_KEYS,
            id="filter",
            placeholder=_(
                "customer, summary… or mine unassigned closed severity:high status:new owner:"
            ),
        )
        yield Static(_("Loading the complaints…"), id="summary")
        yield Static("", id="columns")
        yield ComplaintList(id="queue")
        yield DetailLine(id="detail")
        with Vertical(id="empty"):
            yield Static("", id="empty-text")

    @property
    def queue(self) -> ComplaintList:
        return self.query_one(ComplaintList)

    @property
    def filter_query(self) -> FilterQuery:
        return self.query_one(FilterBar).current

    # -- loading --------------------------------------------------------------------------------
    def load_data(self) -> None:
        query = self.filter_query
        if not query.ok:
            return
        asked = QueueQuery.from_filter(query)
        status = asked.status or (None if asked.include_closed else SHOWN)
        self.call_service(
            complaint_queue,
            self.ctx,
            mine=asked.mine,
            unassigned=asked.unassigned,
            include_closed=asked.include_closed,
            severity=asked.severity or None,
            status=status,
            done=lambda rows: self._loaded(asked, rows),
            group="load",
        )

    def _loaded(self, asked: QueueQuery, rows: list[QueueRow]) -> None:
        self.read = asked
        self.rows = rows
        self.show()
        self.query_one(StatusLine).refresh()

    @property
    def scope_label(self) -> str:  # type: ignore[override]
        if self.ctx.role not in HANDLER_ROLES:
            return ""
        return _("mine") if self.read is not None and self.read.mine else _("everyone")

    # -- drawing --------------------------------------------------------------------------------
    def show(self) -> None:
        if self.read is None:
            return
        queue = self.queue
        query = self.filter_query
        words = search_words(query)
        owner = query.values.get("owner")
        rows = [row for row in self.rows if matches(row, words, owner)]
        width = max(40, queue.size.width or self.app.size.width)
        self.shown_width = width
        current = queue.highlighted_item
        keep = self._select_next or (current.id if current else None)
        self._select_next = None
        queue.show_rows(
            rows,
            zone=self.ctx.zone,
            today=self.ctx.today(),
            width=width,
            keep=keep,
            now=self.ctx.now(),
        )
        self._refresh_footer()
        self.query_one("#columns", Static).update(queue.columns.header())
        self.query_one("#summary", Static).update(self._summary(rows, query))
        empty = not rows
        self.set_class(empty, "-empty")
        if empty:
            self.query_one("#empty-text", Static).update(self._empty_text())
        elif self.focused is None:
            queue.focus()

    def _summary(self, rows: list[QueueRow], query: FilterQuery) -> Text:
        running = [row for row in rows if row.sla.time_left is not None]
        states = [row.sla.state.value for row in running]
        text = Text()
        text.append(_("{n} open").format(n=len(running)), style="bold")
        if states.count("breached"):
            text.append(" · ")
            text.append(_("{n} late").format(n=states.count("breached")), style="bold red")
        if states.count("at_risk"):
            text.append(" · ")
            text.append(_("{n} at risk").format(n=states.count("at_risk")), style="yellow")
        stopped = [row.status for row in rows if row.sla.time_left is None]
        if stopped.count("resolved"):
            text.append(" · " + _("{n} resolved").format(n=stopped.count("resolved")))
            today, zone = self.ctx.today(), self.ctx.zone
            to_close = sum(1 for row in rows if days_to_close(row, today, zone) is not None)
            if to_close:
                text.append(" · ")
                text.append(_("{n} to close").format(n=to_close), style="bold")
        if stopped.count("closed"):
            text.append(" · " + _("{n} closed").format(n=stopped.count("closed")))
        if query.values or query.text:
            text.append(" · " + _("filter: {what}").format(what=query.describe()), style="italic")
        return text

    def _empty_text(self) -> Text:
        if self.rows:
            return Text(_("No complaint matches the filter. Press / then escape to clear it."))
        text = Text(_("No complaints here."), style="bold")
        if self.read is not None and not self.read.include_closed:
            text.append("\n\n" + _("Closed ones: press / and type closed."))
        text.append("\n" + _("A new complaint: press n."))
        return text

    def on_resize(self) -> None:
        queue = self.queue
        if self.read is not None and queue.size.width and queue.size.width != self.shown_width:
            self.show()

    # -- keys -----------------------------------------------------------------------------------
    def current_row(self) -> QueueRow | None:
        return self.queue.highlighted_item

    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    def action_mine(self) -> None:
        self.query_one(FilterBar).toggle_word("mine")

    @on(FilterBar.Changed)
    def _filtered(self, event: FilterBar.Changed) -> None:
        if not event.query.ok:
            return
        if QueueQuery.from_filter(event.query) == self.read:
            self.show()  # the same rows, another selection of them
            return
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self.reload)

    @on(FilterBar.Done)
    def _filter_done(self) -> None:
        self.queue.focus()

    @on(ComplaintList.Highlighted)
    def _highlighted(self) -> None:
        row = self.current_row()
        self.query_one(DetailLine).show(
            queue_detail(row, self.ctx.zone, self.ctx.now()) if row else None
        )
        # The footer offers the moves of the highlighted complaint's status. Rebuilding it
        # costs more than a cursor move, so it waits until the cursor rests (the keys
        # themselves always act on the row under the cursor).
        if self._footer_timer is not None:
            self._footer_timer.stop()
        self._footer_timer = self.set_timer(FOOTER_DELAY, self._refresh_footer)

    def _refresh_footer(self) -> None:
        row = self.current_row()
        status = row.status if row else None
        if status != self._footer_status:
            self._footer_status = status
            self.refresh_bindings()

    @on(ComplaintList.Selected)
    def _selected(self, event: ComplaintList.Selected) -> None:
        self.app.open_complaint(event.item.id)

    def action_new(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.complaint import NewComplaintDialog

        self.app.push_screen(NewComplaintDialog(), self._opened)

    def _opened(self, complaint) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.complaint import opened_message

        if complaint is None:
            return
        self.app.notify(opened_message(self.ctx, complaint), title=_("Saved"))
        self._select_next = complaint.id  # the cursor goes to it, and so do the keys offered
        self.reload()
