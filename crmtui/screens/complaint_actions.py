"""The keys that work a complaint, shared by the queue and the complaint's own screen.

Moves that ask something (acknowledge, resolve, close, reopen, severity, owner, a note) first
read the complaint again, so the dialog shows it as it is now and a move the workflow refuses is
refused at once with the service's own sentence. Every action passes the version it read; a
change by someone else in between is reported with who and when, and the screen reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType

from crmtui.cells import clip
from crmtui.errors import Conflict
from crmtui.i18n import N_, _
from crmtui.labels import label
from crmtui.present.text import plain
from crmtui.present.time import moment
from crmtui.rules import ComplaintStatus, can_transition
from crmtui.screens.base import CrmScreen
from crmtui.services.complaints import (
    HANDLER_ROLES,
    OPEN,
    QueueRow,
    complaint_row,
    handlers,
    move_refusal,
    resume,
    severity_refusal,
    start_work,
    wait_for_customer,
)
from crmtui.widgets.localized import own_bindings_of_key

_S = ComplaintStatus

HANDLER_ACTIONS = frozenset(
    {"acknowledge", "work", "wait", "resolve", "close", "reopen", "severity", "owner"}
)
"""What only support staff and managers may do (a rep may add a note)."""

MOVES = {
    "acknowledge": _S.ACKNOWLEDGED,
    "work": _S.IN_PROGRESS,
    "wait": _S.WAITING_CUSTOMER,
    "resolve": _S.RESOLVED,
    "close": _S.CLOSED,
    "reopen": _S.REOPENED,
}
"""The actions that move a complaint along the workflow, and where to."""


Refusal = Callable[[QueueRow], "str | None"]
"""Why a complaint (read again) cannot take an action now, in the service's words; or None."""


def _move(target: ComplaintStatus) -> Refusal:
    return lambda row: move_refusal(row.id, row.status, target)


def _nothing(row: QueueRow) -> None:
    return None


def can_now(action: str, status: str) -> bool:
    """Whether a complaint in `status` can take the action (so the footer offers its key)."""
    if action == "wait" and status == _S.WAITING_CUSTOMER.value:
        return True  # the same key resumes
    if action in MOVES:
        return can_transition(status, MOVES[action])
    if action == "severity":
        return status in OPEN  # as severity_refusal says
    return True


def handler_choices(ctx) -> list[tuple[Text, str]]:
    """(label, login) of whom a complaint can be given to (runs in a worker)."""
    choices = []
    for user in handlers(ctx):
        label = user.login
        if user.display_name and user.display_name != user.login:
            label += f" · {user.display_name}"
        if user.role == "manager":
            label += " (" + _("manager") + ")"
        choices.append((plain(clip(label, 30)), user.login))
    return choices


class ComplaintActions(CrmScreen):
    """Subclasses give `current_row()`; after a change the screen reloads."""

    COMPACT_FOOTER = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "A",
            "acknowledge",
            N_("Ack"),
            id="complaint-ack",
            tooltip=N_("acknowledge: record the time promised to the customer"),
        ),
        Binding(
            "w",
            "work",
            N_("Work"),
            id="complaint-work",
            tooltip=N_("start work (or resume after waiting for the customer)"),
        ),
        Binding(
            "W",
            "wait",
            N_("Wait"),
            id="complaint-wait",
            tooltip=N_("waiting for the customer: the resolution clock pauses; again to resume"),
        ),
        Binding(
            "F",
            "resolve",
            N_("Resolve"),
            id="complaint-resolve",
            tooltip=N_("resolution and root cause"),
        ),
        Binding(
            "C",
            "close",
            N_("Close"),
            id="complaint-close",
            tooltip=N_("close a resolved complaint, with the customer's satisfaction 1–5"),
        ),
        Binding(
            "Z",
            "reopen",
            N_("Reopen"),
            id="complaint-reopen",
            tooltip=N_("a resolution that did not hold; the deadlines stay"),
        ),
        Binding(
            "exclamation_mark",
            "severity",
            N_("Severity"),
            id="complaint-severity",
            tooltip=N_("re-judge the severity; the deadlines follow"),
        ),
        Binding(
            "O",
            "owner",
            N_("Owner"),
            id="complaint-owner",
            tooltip=N_("give it to a support person or manager"),
        ),
        Binding(
            "N", "note", N_("Note"), id="complaint-note", tooltip=N_("add a note to the timeline")
        ),
        Binding(
            "S",
            "survey",
            N_("Survey"),
            id="survey",
            tooltip=N_(
                "a satisfaction survey after the closed complaint, with the customer's comment"
            ),
        ),
    ]

    scope_label = ""
    """What the status line says the screen shows (the queue: mine or everyone's)."""

    def current_row(self) -> QueueRow | None:
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in HANDLER_ACTIONS and self.ctx.role not in HANDLER_ROLES:
            return False
        if action in HANDLER_ACTIONS or action == "note":
            row = self.current_row()
            if row is None:
                return None
            # a move this complaint cannot make now stays out of the footer (see on_key)
            return can_now(action, row.status)
        if action == "survey":
            row = self.current_row()
            return row is not None and row.status == _S.CLOSED.value
        return True

    def on_key(self, event: events.Key) -> None:
        """The key of a move left out of the footer still answers: the action reads the
        complaint again and says why not (or, if it changed meanwhile, goes ahead)."""
        if self.ctx.role not in HANDLER_ROLES or self.current_row() is None:
            return
        for binding in own_bindings_of_key(self, event.key):
            if binding.action in HANDLER_ACTIONS and not self.check_action(binding.action, ()):
                event.stop()
                event.prevent_default()
                getattr(self, f"action_{binding.action}")()
                return

    # -- the moves ------------------------------------------------------------------------------
    def action_acknowledge(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.complaint import AcknowledgeDialog

        self._with_dialog(
            _move(_S.ACKNOWLEDGED),
            AcknowledgeDialog,
            lambda c: _("#{id} acknowledged; the customer was promised {when}.").format(
                id=c.id, when=moment(c.promised_at, self.ctx.zone)
            ),
        )

    def action_work(self) -> None:
        self._now(
            start_work,
            lambda c: _("#{id} in progress; resolve by {when}.").format(
                id=c.id, when=moment(c.resolve_by, self.ctx.zone)
            ),
        )

    def action_wait(self) -> None:
        row = self.current_row()
        if row is not None and row.status == _S.WAITING_CUSTOMER.value:
            self._now(
                resume,
                lambda c: _("#{id} in progress again; resolve by {when}.").format(
                    id=c.id, when=moment(c.resolve_by, self.ctx.zone)
                ),
            )
        else:
            self._now(
                wait_for_customer,
                lambda c: _(
                    "#{id} is waiting for the customer; the resolution clock is paused."
                ).format(id=c.id),
            )

    def action_resolve(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.complaint import ResolveDialog

        self._with_dialog(
            _move(_S.RESOLVED), ResolveDialog, lambda c: _("#{id} resolved.").format(id=c.id)
        )

    def action_close(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.complaint import CloseDialog

        def said(c) -> str:
            if c.satisfaction is None:
                return _("#{id} closed.").format(id=c.id)
            return _("#{id} closed; satisfaction {score}/5.").format(id=c.id, score=c.satisfaction)

        self._with_dialog(_move(_S.CLOSED), CloseDialog, said)

    def action_reopen(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.complaint import ReopenDialog

        self._with_dialog(
            _move(_S.REOPENED),
            ReopenDialog,
            lambda c: _("#{id} reopened; it is still due by {when}.").format(
                id=c.id, when=moment(c.resolve_by, self.ctx.zone)
            ),
        )

    def action_severity(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.complaint import SeverityDialog

        self._with_dialog(
            lambda row: severity_refusal(row.id, row.status),
            SeverityDialog,
            lambda c: _("#{id} is {severity}: respond by {respond}, resolve by {resolve}.").format(
                id=c.id,
                severity=label("severity", c.severity),
                respond=moment(c.respond_by, self.ctx.zone),
                resolve=moment(c.resolve_by, self.ctx.zone),
            ),
        )

    def action_owner(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.complaint import OwnerDialog

        row = self.current_row()
        if row is None:
            return
        self.call_service(
            handler_choices,
            self.ctx,
            done=lambda choices: self._with_dialog(
                _nothing,
                lambda fresh: OwnerDialog(fresh, choices),
                lambda c: _("#{id} is handled by {owner}.").format(
                    id=c.id, owner=c.owner or _("nobody")
                ),
            ),
            group="action",
        )

    def action_note(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.complaint import NoteDialog

        self._with_dialog(
            _nothing,
            NoteDialog,
            lambda event: _("Note added to #{id}.").format(id=event.complaint_id),
        )

    def action_survey(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.accounts import SurveyDialog

        row = self.current_row()
        if row is None or row.status != _S.CLOSED.value:
            return
        self.app.push_screen(
            SurveyDialog(row.customer_id, row.customer, row.id),
            lambda survey: (
                self._changed(_("Survey recorded after #{id}.").format(id=row.id))
                if survey
                else None
            ),
        )

    # -- how they run ---------------------------------------------------------------------------
    def _now(self, service: Callable[..., Any], said: Callable[[Any], str]) -> None:
        """A move that asks nothing: straight to the service, with the version shown."""
        row = self.current_row()
        if row is None:
            return
        self.call_service(
            service,
            self.ctx,
            row.id,
            expected_version=row.version,
            done=lambda complaint: self._changed(said(complaint)),
            failed=self._refused,
            group="action",
        )

    def _with_dialog(
        self, refusal_of: Refusal, dialog: Callable[[QueueRow], Any], said: Callable[[Any], str]
    ) -> None:
        """Read the complaint again; refuse what it cannot take now, else ask."""
        row = self.current_row()
        if row is None:
            return

        def ask(fresh: QueueRow) -> None:
            refusal = refusal_of(fresh)
            if refusal:
                self.app.notify(refusal, title=_("Not done"), severity="error", timeout=8)
                if fresh.version != row.version:
                    self.reload()
                return
            self.app.push_screen(
                dialog(fresh), lambda done: self._changed(said(done)) if done else None
            )

        self.call_service(complaint_row, self.ctx, row.id, done=ask, group="action")

    def _changed(self, message: str) -> None:
        self.app.notify(message, title=_("Saved"))
        self.reload()

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, Conflict):
            self.app.notify(
                str(error), title=_("Changed meanwhile"), severity="warning", timeout=10
            )
            self.reload()
            return True
        return False  # the app reports it: the service's sentence
