"""App tests: a demo database built for a fixed day, a clock after the demo's last contact of
that day, a steady cursor (for snapshots), and helpers to wait for the screen to settle."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from textual.widgets import Input
from textual.worker import WorkerFailed

from crmtui.app import CrmApp
from crmtui.demo import build_demo
from tests.conftest import TODAY

# The demo's contacts of TODAY end before 17:30; the app's day starts after them.
APP_NOW = datetime(2026, 11, 23, 18, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch):
    monkeypatch.setattr(Input.cursor_blink, "_default", False)


@pytest.fixture
def demo_ctx(ctx, clock):
    """The manager `boss` on 120 demo customers (ids and names fixed by the seed); boss has a
    promise, follow-ups, referral asks and a plan review due."""
    build_demo(ctx, 120, seed=1, today=TODAY)
    clock.now = APP_NOW
    ctx.store.target = "demo.sqlite3"  # what the status line shows, the same on every machine
    return ctx


@pytest.fixture
def app(demo_ctx) -> CrmApp:
    return CrmApp(demo_ctx)


async def settle(pilot) -> None:
    """Let running workers finish and their results reach the screen (and any they start)."""
    app = pilot.app
    await pilot.pause()
    for _round in range(10):
        if all(worker.is_finished for worker in app.workers):
            break
        try:
            await app.workers.wait_for_complete()
        except WorkerFailed:
            pass  # the screen handles it (that is what these tests check)
        await pilot.pause()


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def type_text(pilot, text: str) -> None:
    """Type into the focused input (inserted at the cursor as typing does, without a pause per
    key); anywhere else, press the keys one by one."""
    focused = pilot.app.focused
    if isinstance(focused, Input):
        focused.insert_text_at_cursor(text)
    else:
        await pilot.press(*list(text))
    await settle(pilot)


def screen_text(app) -> str:
    """The screen as plain text, line by line."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)
