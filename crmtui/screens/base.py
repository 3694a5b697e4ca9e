"""What every screen shares: service calls in thread workers, and the status line and footer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from crmtui.i18n import _
from crmtui.services.changes import ChangeWatch
from crmtui.widgets.footer import KeysFooter
from crmtui.widgets.status import StatusLine

if TYPE_CHECKING:  # the app imports the screens
    from textual import getters

    from crmtui.app import CrmApp
    from crmtui.services.context import Context

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], bool | None]
"""Handles a failure; return False to let the app report it as well."""


class ServiceCalls:
    """Run a blocking service call in a thread worker; `done` or `failed` run on the UI thread.

    Calls in the same group replace each other (the older result is dropped), so a list that
    reloads as you type shows only the answer to the latest text. Failures nobody handles are
    reported by the app as one clear notice (CrmError) or logged (anything else).
    """

    def call_service(
        self,
        function: Callable[..., Any],
        *args: Any,
        done: Done | None = None,
        failed: Failed | None = None,
        group: str = "service",
        **kwargs: Any,
    ) -> Worker:
        callbacks = self.__dict__.setdefault("_service_callbacks", {})
        worker = self.run_worker(  # type: ignore[attr-defined]
            partial(function, *args, **kwargs),
            name=getattr(function, "__name__", "service"),
            group=group,
            description=group,
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )
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


class CrmScreen(ServiceCalls, Screen):
    """A screen with the status line on top and the footer of its keys below.

    It loads with `reload()` when first shown, and notices changes made by others: every
    CHANGE_CHECK_SECONDS while it is on top, and whenever it is shown again, it asks a
    ChangeWatch (a probe that reads no table) and reloads only when someone committed since.
    A screen whose rows hold clocks (time left, what is due today) also reloads once its
    data is REFRESH_AFTER old by the Context's clock.
    """

    if TYPE_CHECKING:  # what `self.app` is, for the type checker (the app's own attributes)
        app = getters.app(CrmApp)

    HEADING = ""
    """An English msgid (N_), shown translated."""
    KEYS_SECTION: ClassVar[str] = "everywhere"
    """The section of the key table (crmtui.keys) `?` opens at."""
    FOOTER_FIRST: ClassVar[tuple[str, ...]] = ()
    """Binding ids the footer shows before the others (the screen's most used keys), where
    the order of the bindings (the focused list's, the screen's, the app's) is not right."""
    COMPACT_FOOTER: ClassVar[bool] = False
    """Less space between keys, for screens with many."""
    CHANGE_CHECK_SECONDS: ClassVar[float] = 3.0
    REFRESH_AFTER: ClassVar[timedelta | None] = None
    WATCH_CHANGES: ClassVar[bool] = True
    """False for a screen read afresh whenever it is shown (the dashboard's figures), rather
    than whenever someone saves."""

    _change_watch: ChangeWatch | None = None
    _reloaded_at: datetime | None = None
    _asking: bool = False
    """A look for changes is on its way: the timer's next look waits for it, never stacks."""
    _missed_change: bool = False
    """A change was noticed while another screen was on top: reload when shown again."""

    def load_data(self) -> None:
        """Read the screen's data (in a worker) and show it; screens give this."""

    def reload(self) -> None:
        """Read the data again. What was committed until now is then shown, so the change
        watch starts afresh (a screen's own save is not noticed a second time): the watch
        marks where the database is (on the probe's thread) before the data is read."""
        self._reloaded_at = self.ctx.now()
        self._missed_change = False
        if not self.WATCH_CHANGES:
            self.load_data()
            return
        self.run_worker(
            self._mark_then_load(), group="change-mark", exclusive=True, exit_on_error=False
        )

    async def _mark_then_load(self) -> None:
        try:
            await asyncio.wrap_future(self.app.change_probe.ask(self._mark_where_the_data_is))
        except Exception:  # the data is read all the same; the next look tells what changed
            log.warning("marking where the database is failed", exc_info=True)
        self.load_data()

    def _mark_where_the_data_is(self) -> None:
        """On the probe's thread: start the watch, or move its mark to now."""
        if self._change_watch is None:
            self._change_watch = ChangeWatch(self.ctx)
        else:
            self._change_watch.changed()

    def on_mount(self) -> None:
        if self.WATCH_CHANGES:
            self.set_interval(self.CHANGE_CHECK_SECONDS, self._check_for_changes)

    def on_screen_resume(self) -> None:
        if self._reloaded_at is None or not self.WATCH_CHANGES or self._missed_change:
            self.reload()
        else:
            self._check_for_changes(shown_again=True)

    def _check_for_changes(self, shown_again: bool = False) -> None:
        if self._change_watch is None or self._reloaded_at is None or self._asking:
            return
        if not (shown_again or self.is_active):
            return  # under a dialog or another screen: checked when shown again
        if (
            self.REFRESH_AFTER is not None
            and self.ctx.now() - self._reloaded_at >= self.REFRESH_AFTER
        ):
            self.reload()
            return
        self._asking = True
        self.run_worker(
            self._look_for_changes(self._change_watch),
            group="change-probe",
            exit_on_error=False,
        )

    async def _look_for_changes(self, watch: ChangeWatch) -> None:
        try:
            changed = await asyncio.wrap_future(self.app.change_probe.ask(watch.changed))
        except Exception:  # asked again at the next look
            log.warning("looking for changes failed", exc_info=True)
            changed = False
        finally:
            self._asking = False
        if not changed:
            return
        if self.is_active:
            self.reload()
        else:  # a dialog or another screen opened meanwhile
            self._missed_change = True

    def compose(self) -> ComposeResult:
        yield StatusLine(self.heading())
        yield from self.compose_body()
        yield KeysFooter(compact=self.COMPACT_FOOTER)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def heading(self) -> str:
        return _(self.HEADING) if self.HEADING else ""

    def set_heading(self, text: str) -> None:
        self.query_one(StatusLine).set_title(text)

    @property
    def ctx(self) -> Context:
        return self.app.ctx
