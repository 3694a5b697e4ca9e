"""What every screen shares: service calls in thread workers, and the status line and footer."""

from __future__ import annotations

from functools import partial
from typing import Any, Callable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from crmtui.i18n import _
from crmtui.widgets.footer import KeysFooter
from crmtui.widgets.localized import LocalizedBindings
from crmtui.widgets.status import StatusLine

Done = Callable[[Any], None]
Failed = Callable[[BaseException], bool | None]
"""Handles a failure; return False to let the app report it as well."""


class ServiceCalls:
    """Run a blocking service call in a thread worker; `done` or `failed` run on the UI thread.

    Calls in the same group replace each other (the older result is dropped), so a list that
    reloads as you type shows only the answer to the latest text. Failures nobody handles are
    reported by the app as one clear notice (CrmError) or logged (anything else).
    """

    def call_service(self, function: Callable[..., Any], *args: Any, done: Done | None = None,
                     failed: Failed | None = None, group: str = "service",
                     **kwargs: Any) -> Worker:
        callbacks = self.__dict__.setdefault("_service_callbacks", {})
        worker = self.run_worker(  # type: ignore[attr-defined]
            partial(function, *args, **kwargs), name=getattr(function, "__name__", "service"),
            group=group, description=group, exclusive=True, thread=True, exit_on_error=False)
        callbacks[worker] = (done, failed)
        return worker

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        callbacks = self.__dict__.get("_service_callbacks", {})
        if event.worker not in callbacks:
            return
        event.stop()
        if event.state == WorkerState.SUCCESS:
            done, _failed = callbacks.pop(event.worker)
            if done is not None:
                done(event.worker.result)
        elif event.state == WorkerState.ERROR:
            _done, failed = callbacks.pop(event.worker)
            error = event.worker.error
            if failed is None or failed(error) is False:
                self.app.report_error(error)  # type: ignore[attr-defined]
        elif event.state == WorkerState.CANCELLED:
            callbacks.pop(event.worker)


class CrmScreen(LocalizedBindings, ServiceCalls, Screen):
    """A screen with the status line on top and the footer of its keys below."""

    HEADING = ""
    """An English msgid (N_), shown translated."""

    def compose(self) -> ComposeResult:
        yield StatusLine(self.heading())
        yield from self.compose_body()
        yield KeysFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def heading(self) -> str:
        return _(self.HEADING) if self.HEADING else ""

    def set_heading(self, text: str) -> None:
        self.query_one(StatusLine).set_title(text)

    @property
    def ctx(self):
        return self.app.ctx  # type: ignore[attr-defined]
