"""One complaint: what it is about, its clocks, the timeline of who did what when, and the
customer's recent contacts. The queue's keys work here too; `enter` opens the customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from crmtui.i18n import N_, _
from crmtui.present.complaint import complaint_body, complaint_heading
from crmtui.screens.complaint_actions import ComplaintActions
from crmtui.services.complaints import complaint_detail
from crmtui.views.complaints import QueueRow


@dataclass(frozen=True)
class ComplaintView:
    """What the screen shows, read and formatted in a worker."""

    row: QueueRow
    header: Text
    body: Any


def load_complaint(ctx, complaint_id: int) -> ComplaintView:
    """Runs in a worker: the complaint, its timeline and the customer's recent contacts."""
    detail = complaint_detail(ctx, complaint_id)
    return ComplaintView(
        row=detail.row,
        header=complaint_heading(detail.row),
        body=complaint_body(detail, ctx.zone, ctx.today(), ctx.now()),
    )


class ComplaintScreen(ComplaintActions):
    KEYS_SECTION = "complaint"
    CSS_PATH = "complaint.tcss"
    AUTO_FOCUS = "#body"
    REFRESH_AFTER = timedelta(minutes=1)  # the time left moves with the clock

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="back"),
        Binding(
            "enter",
            "customer",
            N_("Customer"),
            id="complaint-customer",
            tooltip=N_("the customer's profile"),
        ),
        Binding("j", "scroll(1)", N_("Down"), show=False, id="scroll-down"),
        Binding("k", "scroll(-1)", N_("Up"), show=False, id="scroll-up"),
    ]

    def __init__(self, complaint_id: int) -> None:
        super().__init__()
        self.complaint_id = complaint_id
        self.view: ComplaintView | None = None

    def heading(self) -> str:
        return _("Complaint #{id}").format(id=self.complaint_id)

    def compose_body(self) -> ComposeResult:
        yield Static(_("Loading…"), id="header")
        with VerticalScroll(id="body"):
            yield Static("", id="detail")

    def load_data(self) -> None:
        self.call_service(
            load_complaint,
            self.ctx,
            self.complaint_id,
            done=self._loaded,
            failed=self._load_failed,
            group="load",
        )

    def _loaded(self, view: ComplaintView) -> None:
        self.view = view
        self.query_one("#header", Static).update(view.header)
        self.query_one("#detail", Static).update(view.body)
        self.refresh_bindings()

    def _load_failed(self, error: BaseException) -> bool:
        if self.view is None and self.app.screen is self:
            self.app.pop_screen()
        return False

    def current_row(self) -> QueueRow | None:
        return self.view.row if self.view else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "customer":
            return self.view is not None or None
        return super().check_action(action, parameters)

    def action_back(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()

    def action_customer(self) -> None:
        if self.view is not None:
            self.app.open_profile(self.view.row.customer_id)

    def action_scroll(self, step: int) -> None:
        body = self.query_one("#body", VerticalScroll)
        if step > 0:
            body.scroll_down(animate=False)
        else:
            body.scroll_up(animate=False)
