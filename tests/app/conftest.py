"""App tests: a demo database built for a fixed day, a clock after the demo's last contact of
that day, a steady cursor (for snapshots), and helpers to wait for the screen to settle."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Input, TextArea
from textual.worker import WorkerFailed

from crmtui.app import CrmApp
from crmtui.demo import build_demo
from crmtui.screens.base import CrmScreen
from tests.app.world import APP_NOW, World, build_world
from tests.conftest import TODAY, Clock, make_context

# APP_NOW: Monday 23 November 2026, 18:00 UTC. The demo's contacts of TODAY end before 17:30;
# the app's day starts after them.


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


@pytest.fixture(scope="session")
def _world_file(tmp_path_factory):
    """The hand-made world of tests/app/world.py, built once per test process through the
    services (a second or so); each test opens a copy of the file (milliseconds)."""
    path = tmp_path_factory.mktemp("world") / "world.sqlite3"
    clock = Clock()
    context = make_context(path, clock)
    try:
        made = build_world(context, clock)
    finally:
        context.store.close()
    return path, made


@pytest.fixture
def world(_world_file) -> World:
    """The ids of the hand-made world's customers and complaints (for snapshots):
    seventeen customers of `boss` and two reps, every value written out."""
    return _world_file[1]


@pytest.fixture
def world_ctx(_world_file, tmp_path, clock):
    """The manager `boss` in a copy of the hand-made world, the clock at APP_NOW. A test takes
    this or `ctx`, not both: the models are bound to one open store at a time."""
    built, _made = _world_file
    path = tmp_path / built.name
    shutil.copyfile(built, path)
    clock.now = APP_NOW
    context = make_context(path, clock)
    context.store.target = "world.sqlite3"  # what the status line shows, the same on every machine
    yield context
    context.store.close()


@pytest.fixture
def app(demo_ctx) -> CrmApp:
    return CrmApp(demo_ctx)


async def settle(pilot) -> None:
    """Let running workers finish and their results reach the screen (and any they start).

    Settled means: the screen on top has loaded once, and several pauses in a row found no
    worker running (a busy machine can deliver a screen's first load a pause late)."""
    app = pilot.app
    quiet = 0
    for _round in range(100):
        await pilot.pause()
        screen = app.screen
        if (any(not worker.is_finished for worker in app.workers)
                or (isinstance(screen, CrmScreen) and screen.is_active
                    and screen._reloaded_at is None)):
            quiet = 0
            try:
                await app.workers.wait_for_complete()
            except WorkerFailed:
                pass  # the screen handles it (that is what these tests check)
            continue
        quiet += 1
        if quiet >= 3:
            break


UNTIL_SECONDS = 20.0
"""How long `until` waits before it fails: far longer than any timer of the app (a debounce of
0.15 s, a change check of 0.1 s in tests), so a busy machine is slow, never wrong."""


async def until(pilot, condition: Callable[[], object], what: str = "", *,
                settled: bool = True, timeout: float = UNTIL_SECONDS) -> None:
    """Wait until `condition()` holds: for what a timer brings (the list a typed filter asks
    for, the footer once the cursor rests, the palette's hits after a pause in typing, a change
    made elsewhere), never for a fixed time.

    Between looks the app runs: with `settled`, its workers finish first (as after a key); without,
    nothing is awaited but the event loop (while a worker is held on purpose). Fails after
    `timeout` seconds, saying what it waited for and showing the screen."""
    deadline = time.monotonic() + timeout
    while True:
        if settled:
            await settle(pilot)
        if condition():
            if settled:  # and what the change started has finished too
                await settle(pilot)
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:g} s, in vain, for {what or 'the condition'}"
                                 f"; the screen:\n{screen_text(pilot.app)}")
        await pilot.pause(0.02)  # a look every 20 ms, while timers and workers run


def palette_hits(app) -> list[str]:
    """What the open command palette offers, top first, as plain text (first lines)."""
    if not CommandPalette.is_open(app):
        return []
    hits = app.screen.query_one(CommandList)
    return [str(hits.get_option_at_index(index).prompt).split("\n")[0]
            for index in range(hits.option_count)]


async def palette_finds(pilot, start: str, *, top: bool = False) -> None:
    """Wait until a hit of the palette (with `top`, its first) starts with `start`: it searches
    after a pause in typing, and until then shows the hits of what was typed before."""

    def found() -> bool:
        hits = palette_hits(pilot.app)
        return any(hit.startswith(start) for hit in (hits[:1] if top else hits))

    await until(pilot, found, f"the palette's {'top ' if top else ''}hit {start!r}…")


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def type_text(pilot, text: str) -> None:
    """Type into the focused input (inserted at the cursor as typing does, without a pause per
    key); anywhere else, press the keys one by one."""
    focused = pilot.app.focused
    if isinstance(focused, Input):
        focused.insert_text_at_cursor(text)
    elif isinstance(focused, TextArea):
        focused.insert(text)
    else:
        await pilot.press(*list(text))
    await settle(pilot)


def screen_text(app) -> str:
    """The screen as plain text, line by line."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


@dataclass(frozen=True)
class Queue:
    """The complaints `queue_ctx` adds to the demo's two, by what they are at APP_NOW."""

    at_risk: int
    """critical, new, boss's customer 邵霞, 10 minutes left to answer."""
    new: int
    """high, new, unassigned, boss's customer 秦俊."""
    working: int
    """normal, in progress, support's, on li.na's customer."""
    waiting: int
    """low, waiting for the customer, support's."""
    resolved: int
    """high, resolved by boss, waiting to be closed."""
    closed: int
    """normal, closed with satisfaction 4."""


def customer_of(owner: str, index: int = 0) -> int:
    from crmtui.db import Customer, User

    owner_id = User.get(User.login == owner).id
    return (Customer.select(Customer.id).where(Customer.owner == owner_id)
            .order_by(Customer.id).offset(index).first().id)


@pytest.fixture
def queue_ctx(demo_ctx, clock) -> Queue:
    """Complaints at every stage, made through the services at fixed times before APP_NOW
    (the demo's `support` handles some). The clock is left at APP_NOW."""
    from crmtui.services import complaints as k
    from tests.conftest import as_user

    support = as_user(demo_ctx, "support")
    ago = lambda **delta: APP_NOW - timedelta(**delta)  # noqa: E731

    clock.now = ago(hours=6)
    working = k.open_complaint(support, customer_of("li.na"), "normal", "Wrong colour delivered",
                               channel="wechat", category="quality",
                               description="Ordered grey, got blue.")
    clock.now = ago(hours=5, minutes=50)
    k.acknowledge(support, working.id, "tomorrow 10:00", note="called back")
    clock.now = ago(hours=5)
    k.start_work(support, working.id)

    waiting = k.open_complaint(support, customer_of("li.na", 1), "low", "Manual in English only")
    k.acknowledge(support, waiting.id, "+1d")
    k.start_work(support, waiting.id)
    clock.now = ago(hours=4)
    k.wait_for_customer(support, waiting.id, note="asked which language")

    clock.now = ago(hours=3)
    resolved = k.open_complaint(demo_ctx, customer_of("boss", 2), "high", "Invoice sent twice")
    k.acknowledge(demo_ctx, resolved.id, "+1h")
    k.start_work(demo_ctx, resolved.id)
    clock.now = ago(hours=2)
    k.resolve(demo_ctx, resolved.id, "credit note issued", "billing run repeated")

    closed = k.open_complaint(support, customer_of("li.na", 2), "normal", "Late delivery")
    k.acknowledge(support, closed.id, "+2h")
    k.start_work(support, closed.id)
    k.resolve(support, closed.id, "re-sent by express")
    k.close(support, closed.id, 4)

    clock.now = APP_NOW
    at_risk = k.open_complaint(demo_ctx, customer_of("boss"), "critical", "发货延迟一周",
                               channel="phone", category="delivery",
                               opened_at=ago(minutes=50))
    new = k.open_complaint(demo_ctx, customer_of("boss", 1), "high", "Invoice address wrong",
                           channel="email")
    return Queue(at_risk=at_risk.id, new=new.id, working=working.id, waiting=waiting.id,
                 resolved=resolved.id, closed=closed.id)
