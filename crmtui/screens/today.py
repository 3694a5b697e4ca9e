"""Today (SPEC §4.1), the screen that opens: the day's schedule (appointments in time order, with
their purpose and preparation), then the due list in its sections, worked from the keyboard.

`l` logs a contact and the item leaves the list at once; `s` snoozes; `enter` opens the profile;
`a` switches between my items and everyone's (managers); `/` filters in place. `t` turns to
tomorrow (the evening's plan) and back; `b` books an appointment with the customer under the
cursor, `m` moves the appointment under the cursor and `d` cancels it (asked first). The footer
is full at 80 columns, so `b` and `t` are named beside the summary line and the schedule's keys
in its heading. An empty day says so and shows what comes next. When an item leaves because a
colleague settled it, a line says who did what ("张三: logged by 王芳 10:42") for a while.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from crmtui.i18n import N_, _
from crmtui.labels import weekday_name
from crmtui.present.due import coming_up_line, item_detail
from crmtui.present.schedule import appointment_detail
from crmtui.rules import DueItem, DueKind
from crmtui.screens.base import CrmScreen
from crmtui.screens.today_rows import FILTER_KEYS, Row, matches
from crmtui.services.access import can_log_item
from crmtui.services.appointment_views import AppointmentView
from crmtui.services.context import Context
from crmtui.services.worklist import TodayList, snooze_refusal, today_list
from crmtui.widgets.detail_line import DetailLine
from crmtui.widgets.due_list import DueList, item_key
from crmtui.widgets.filter_bar import FilterBar, FilterQuery
from crmtui.widgets.localized import own_bindings_of_key

if TYPE_CHECKING:  # loaded on first use, not at the app's start
    from crmtui.screens.dialogs.appointment import Booked
    from crmtui.screens.dialogs.log import Logged
    from crmtui.services.history import Settled
    from crmtui.views.payments import RecordedPayment

SETTLED_SHOWN = timedelta(minutes=15)
"""How long a line says why an item left (a colleague's log, snooze…)."""


class TodayScreen(CrmScreen):
    KEYS_SECTION = "today"
    HEADING = N_("Today")
    CSS_PATH = "today.tcss"
    AUTO_FOCUS = "DueList"
    REFRESH_AFTER = timedelta(minutes=1)  # complaint clocks move; so does the day

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "l", "log", N_("Log"), id="log", tooltip=N_("log a contact; the item leaves the list")
        ),
        Binding("s", "snooze", N_("Snooze"), id="snooze", tooltip=N_("move it to a later day")),
        Binding(
            "f",
            "report_done",
            N_("Done"),
            id="report-done",
            tooltip=N_("report the manager's instruction carried out, with a note"),
        ),
        Binding(
            "dollar_sign",
            "pay",
            N_("Payment"),
            id="payment",
            tooltip=N_("record a payment on the overdue order"),
        ),
        Binding(
            "m",
            "move_appointment",
            N_("Move"),
            id="move-appointment",
            tooltip=N_("move the appointment under the cursor to another time"),
        ),
        Binding(
            "d",
            "cancel_appointment",
            N_("Cancel appointment"),
            id="cancel-appointment",
            tooltip=N_("cancel the appointment under the cursor (asks first)"),
        ),
        Binding(
            "a",
            "toggle_scope",
            N_("Mine/all"),
            id="scope",
            tooltip=N_("my items or everyone's (managers)"),
        ),
        Binding(
            "slash",
            "filter",
            N_("Filter"),
            id="filter",
            tooltip=N_("words, or grade:A kind:promise owner:"),
        ),
        Binding("r", "reload", N_("Reload"), id="reload", show=False),
        Binding(
            "t",
            "toggle_day",
            N_("Tomorrow"),
            id="tomorrow",
            show=False,
            tooltip=N_("tomorrow's schedule and due list (the evening's plan), and back"),
        ),
        Binding(
            "b",
            "book",
            N_("Book"),
            id="book",
            show=False,
            tooltip=N_("book a visit, call or meeting with the customer at a time"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: TodayList | None = None
        self.items: list[DueItem] = []
        self.appointments: list[AppointmentView] = []
        self.tomorrow = False
        """The evening view: tomorrow's schedule and due list."""
        self.shown_width = 0
        self.shown_scope: bool | None = None
        self._had_item: tuple[object, ...] | None = None
        """What decides the keys offered on the highlighted row, as the footer shows them."""
        self._loaded_at: datetime | None = None
        self.settled: list[Settled] = []
        """services.history.Settled: why items left the list (recent ones are shown)."""

    def compose_body(self) -> ComposeResult:
        yield FilterBar(
            FILTER_KEYS,
            placeholder=_("name, company, reason… or grade:A kind:promise"),
            id="filter",
        )
        with Horizontal(id="summary-row"):
            yield Static(_("Loading the due list…"), id="summary")
            yield Static("", id="hints")
        yield Static("", id="settled")
        yield Static("", id="columns")
        yield DueList(id="due")
        yield DetailLine(id="detail")
        with Vertical(id="empty"):
            yield Static("", id="empty-text")

    # -- loading --------------------------------------------------------------------------------
    def load_data(self) -> None:
        early = self.app.take_early_today()
        if early is not None and not self.tomorrow:  # read while the app was starting
            self.call_service(early.result, done=self._loaded, group="load")
            return
        day = self.ctx.today() + timedelta(days=1) if self.tomorrow else None
        self.call_service(
            today_list, self.ctx, self.app.everyone, day, done=self._loaded, group="load"
        )

    def action_reload(self) -> None:
        self.reload()

    def _loaded(self, data: TodayList) -> None:
        first = self.data is None
        same_list = self.shown_scope == self.app.everyone
        if self.data is not None and same_list and self._loaded_at is not None:
            self._ask_why_gone(self.data, data)
        self._loaded_at = self.ctx.now()
        # the same list read again (someone saved): the cursor stays on its item
        current = self.current_item() if same_list else None
        self.shown_scope = self.app.everyone
        self.data = data
        self.items = list(data.items)
        self.appointments = list(data.schedule)
        self.show(keep=item_key(current) if current else None)
        if first and data.moved:
            self.app.notify(_("The calendar moved {n} grades today.").format(n=data.moved))

    def _ask_why_gone(self, before: TodayList, now: TodayList) -> None:
        """The customers whose items left since the last read: who settled them?"""
        # on first use: kept out of the app's start-up imports
        from crmtui.services.history import settled_by_others

        still = {item.customer_id for item in now.items}
        gone = list(
            dict.fromkeys(
                item.customer_id for item in before.items if item.customer_id not in still
            )
        )
        if gone:
            self.call_service(
                settled_by_others,
                self.ctx,
                gone,
                self._loaded_at,
                done=self._show_settled,
                group="settled",
            )

    def _show_settled(self, found: list[Settled]) -> None:
        known = {(s.customer_id, s.at) for s in self.settled}
        self.settled = [s for s in found if (s.customer_id, s.at) not in known] + self.settled
        self._draw_settled()

    def _draw_settled(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.present.history import settled_text

        line = self.query_one("#settled", Static)
        recent = [s for s in self.settled if self.ctx.now() - s.at <= SETTLED_SHOWN][:3]
        self.settled = recent
        line.display = bool(recent)
        if recent and self.data is not None:
            text = Text(_("Left the list:") + " ", style="bold")
            text.append(" · ".join(settled_text(s, self.ctx.zone, self.data.day) for s in recent))
            line.update(text)

    # -- drawing --------------------------------------------------------------------------------
    def show(self, keep: Hashable | None = None) -> None:
        data = self.data
        if data is None:
            return
        due = self.query_one(DueList)
        query = self.query_one(FilterBar).current
        items = [item for item in self.items if matches(item, query)]
        appointments = [view for view in self.appointments if matches(view, query)]
        owner = self.app.everyone
        width = max(40, due.size.width or self.app.size.width)
        self.shown_width = width
        keys = _("l log · m move · d cancel") if self.ctx.role in ("rep", "manager") else ""
        due.show_items(
            items,
            today=data.day,
            owner=owner,
            width=width,
            keep=keep,
            schedule=appointments,
            zone=self.ctx.zone,
            schedule_keys=keys,
        )
        self.query_one("#columns", Static).update(due.columns.header())
        summary = Text()
        if self.tomorrow:
            summary.append(_("Tomorrow") + " ", style="bold reverse")
            summary.append(" ")
        summary.append(f"{weekday_name(data.day)} {data.day.isoformat()}", style="bold")
        summary.append(" · " + (data.brief if self.items else _("nothing due")))
        total, shown = len(self.items) + len(self.appointments), len(items) + len(appointments)
        if query.values or query.text:
            summary.append(
                " · " + _("showing {n} of {total}").format(n=shown, total=total), style="italic"
            )
        self.query_one("#summary", Static).update(summary)
        self._show_hints()
        self._draw_settled()
        empty = not items and not appointments
        self.set_class(empty, "-empty")
        if empty:
            self.query_one("#empty-text", Static).update(self._empty_text(query, data))
        elif self.focused is None:
            due.focus()

    def _show_hints(self) -> None:
        """The keys the footer has no room for (the schedule's heading names its own)."""
        rows = self.items or self.appointments
        hints = [_("b book")] if rows and self.ctx.role in ("rep", "manager") else []
        hints.append(_("t today") if self.tomorrow else _("t tomorrow"))
        self.query_one("#hints", Static).update(Text(" · ".join(hints), style="dim"))

    def _empty_text(self, query: FilterQuery, data: TodayList) -> Text:
        if self.items or self.appointments:
            return Text(_("No item matches the filter. Press escape in the filter to clear it."))
        text = Text()
        text.append(
            _("Nothing is due tomorrow.") if self.tomorrow else _("Nothing is due today."),
            style="bold",
        )
        if not data.coming:
            text.append("\n\n" + _("Nothing is planned yet either: press 2 for your customers."))
            return text
        text.append("\n\n" + _("Coming up:") + "\n")
        for item in data.coming:
            text.append_text(coming_up_line(item, data.day))
            text.append("\n")
        return text

    def on_resize(self) -> None:
        due = self.query_one(DueList)
        if self.data is not None and due.size.width and due.size.width != self.shown_width:
            item = due.highlighted_item
            self.show(keep=item_key(item) if item else None)

    # -- keys -----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_scope":
            return self.app.can_see_everyone
        item = self.current_item()
        if action == "log":
            if item is None:
                return None
            if isinstance(item, AppointmentView):
                return self._may_change(item)
            # support logs only about a complaint: not offered elsewhere
            return can_log_item(self.ctx, item)
        if action == "snooze":
            if item is None:
                return None
            # not offered; on a due item the key still says why (on_key)
            return not (isinstance(item, AppointmentView) or snooze_refusal(item.kind))
        if action == "book":
            return item is not None and self.ctx.role in ("rep", "manager")
        if action in ("move_appointment", "cancel_appointment"):
            return isinstance(item, AppointmentView) and self._may_change(item)
        if action in ("report_done", "pay"):  # offered on the items they act on
            kind = DueKind.INSTRUCTION if action == "report_done" else DueKind.PAYMENT
            return isinstance(item, DueItem) and item.kind is kind
        return True

    def on_key(self, event: events.Key) -> None:
        """`s` on an item that cannot be snoozed is left out of the footer, but still answers
        with the reason."""
        item = self.current_item()
        if not isinstance(item, DueItem) or not snooze_refusal(item.kind):
            return
        if any(binding.action == "snooze" for binding in own_bindings_of_key(self, event.key)):
            event.stop()
            event.prevent_default()
            self.action_snooze()

    def _may_change(self, view: AppointmentView) -> bool:
        """A planned appointment on the user's own schedule (a manager: anyone's)."""
        return view.status == "planned" and (
            view.user == self.ctx.user.login or self.ctx.is_manager
        )

    def current_item(self) -> Row | None:
        item: Row | None = self.query_one(DueList).highlighted_item
        return item

    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    @on(FilterBar.Changed)
    def _filtered(self, event: FilterBar.Changed) -> None:
        self.show()

    @on(FilterBar.Done)
    def _filter_done(self) -> None:
        self.query_one(DueList).focus()

    def _detail(self, item: Row | None) -> Text | None:
        """The highlighted row whole, for the line under the list."""
        if item is None or self.data is None:
            return None
        if isinstance(item, AppointmentView):
            return appointment_detail(item, self.ctx.zone, owner=self.app.everyone)
        return item_detail(item, self.data.day, owner=self.app.everyone)

    @on(DueList.Highlighted)
    def _highlighted(self) -> None:
        item = self.current_item()
        self.query_one(DetailLine).show(self._detail(item))
        # The footer is rebuilt on refresh_bindings; do it only when the keys offered change:
        # a due item's kind and whether it may be logged, or an appointment's status.
        shown: tuple[object, ...] | None
        if item is None:
            shown = None
        elif isinstance(item, AppointmentView):
            shown = ("appointment", item.status, self._may_change(item))
        else:
            shown = (item.kind, can_log_item(self.ctx, item))
        if shown != self._had_item:
            self._had_item = shown
            self.refresh_bindings()

    @on(DueList.Selected)
    def _selected(self, event: DueList.Selected) -> None:
        item = event.item
        if item.kind is DueKind.COMPLAINT and item.ref_id is not None:
            self.app.open_complaint(item.ref_id)
        else:
            self.app.open_profile(item.customer_id)

    def action_toggle_scope(self) -> None:
        self.app.toggle_scope()
        self.reload()

    def action_log(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.log import LogDialog, LogTarget

        item = self.current_item()
        if item is None:
            return
        target = (
            LogTarget.for_appointment(item)
            if isinstance(item, AppointmentView)
            else LogTarget.from_item(item)
        )
        self.app.push_screen(LogDialog(target), lambda logged: self._after_log(item, logged))

    def _after_log(self, item: Row, logged: Logged | None) -> None:
        if logged is None:
            return
        customer = logged.result.customer
        self.app.notify(
            _("Logged for {name}; next due {due}.").format(
                name=customer.name, due=customer.next_due.isoformat()
            ),
            title=_("Saved"),
        )
        if logged.settled:
            self._drop(item)
        self.reload()

    # -- the day and its appointments -------------------------------------------------------------
    def action_toggle_day(self) -> None:
        self.tomorrow = not self.tomorrow
        self.data = None
        self.query_one("#summary", Static).update(_("Loading the due list…"))
        self.reload()

    def action_book(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.appointment import BookDialog

        item = self.current_item()
        if item is None or not self.check_action("book", ()):
            return
        day_word = _("tomorrow") + " " if self.tomorrow else ""
        self.app.push_screen(
            BookDialog(item.customer_id, item.customer, day_word=day_word), self._after_booking
        )

    def _after_booking(self, row: Booked | None) -> None:
        if row is None:
            return
        when = row.starts_at.astimezone(self.ctx.zone)
        self.app.notify(
            _("Booked for {day} {time}.").format(
                day=f"{weekday_name(when.date())} {when.date().isoformat()}",
                time=when.strftime("%H:%M"),
            ),
            title=_("Saved"),
        )
        self.reload()

    def action_move_appointment(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.appointment import MoveDialog

        item = self.current_item()
        if not isinstance(item, AppointmentView) or not self.check_action("move_appointment", ()):
            return
        self.app.push_screen(MoveDialog(item), self._after_booking)

    def action_cancel_appointment(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.appointment import CancelAppointmentDialog

        item = self.current_item()
        if not isinstance(item, AppointmentView) or not self.check_action("cancel_appointment", ()):
            return

        def cancelled(row: Booked | None) -> None:
            if row is not None:
                self.app.notify(_("Appointment cancelled."), title=_("Saved"))
                self._drop(item)
                self.reload()

        self.app.push_screen(CancelAppointmentDialog(item), cancelled)

    def action_snooze(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.small import SnoozeDialog

        item = self.current_item()
        if not isinstance(item, DueItem):
            return
        refusal = snooze_refusal(item.kind)
        if refusal:
            self.app.notify(refusal, title=_("Cannot snooze"), severity="warning")
            return
        self.app.push_screen(SnoozeDialog(item), lambda done: self._after_snooze(item, done))

    def _after_snooze(self, item: DueItem, done: object) -> None:
        if done is None:
            return
        self.app.notify(_("{name} snoozed.").format(name=item.customer), title=_("Saved"))
        self._drop(item)
        self.reload()

    def _drop(self, item: Row) -> None:
        """Take the item off the list now; the reload that follows confirms it."""
        due = self.query_one(DueList)
        following = due.item_after(item)
        self.items = [other for other in self.items if item_key(other) != item_key(item)]
        self.appointments = [
            other for other in self.appointments if item_key(other) != item_key(item)
        ]
        self.show(keep=following)

    def action_report_done(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.followthrough import ReportDoneDialog

        item = self.current_item()
        if (
            not isinstance(item, DueItem)
            or item.kind is not DueKind.INSTRUCTION
            or item.ref_id is None
        ):
            return
        text = item.detail.split(" · ")[0]
        self.app.push_screen(
            ReportDoneDialog(item.ref_id, item.customer, text),
            lambda done: self._after_done(item, done),
        )

    def _after_done(self, item: DueItem, done: object) -> None:
        if done is None:
            return
        self.app.notify(_("Instruction reported done."), title=_("Saved"))
        self._drop(item)
        self.reload()

    def action_pay(self) -> None:
        item = self.current_item()
        if not isinstance(item, DueItem) or item.kind is not DueKind.PAYMENT:
            return
        order_id = item.ref_id
        if order_id is None:
            return
        self.call_service(
            order_owed,
            self.ctx,
            order_id,
            done=lambda facts: self._pay(item, order_id, facts),
        )

    def _pay(self, item: DueItem, order_id: int, facts: tuple[Decimal, date]) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.followthrough import PaymentDialog

        owed, ordered_on = facts
        self.app.push_screen(
            PaymentDialog(order_id, item.customer, owed, ordered_on),
            lambda paid: self._after_paid(item, paid),
        )

    def _after_paid(self, item: DueItem, paid: RecordedPayment | None) -> None:
        if paid is None:
            return
        self.app.notify(_("Payment recorded."), title=_("Saved"))
        if not paid.order_owed:
            self._drop(item)
        self.reload()


def order_owed(ctx: Context, order_id: int) -> tuple[Decimal, date]:
    """(owed, order day) of an order, read in a worker."""
    # on first use: kept out of the app's start-up imports
    from crmtui.services.receivables import order_facts

    return order_facts(ctx, order_id)
