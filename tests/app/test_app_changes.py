"""An open screen notices what others commit, on SQLite and PostgreSQL, through a probe that asks
on a thread of its own: the screen reloads once per change, and a slow probe holds up neither
the screen nor the next look (one look at a time, never a pile of them)."""

from __future__ import annotations

import asyncio
import threading

import pytest

from crmtui.app import CrmApp
from crmtui.screens.base import CrmScreen
from crmtui.screens.customers import CustomersScreen
from crmtui.services.changes import ChangeWatch
from crmtui.services.customers import add_customer
from tests.app.conftest import press, screen_text, settle, until
from tests.conftest import BACKENDS


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture(autouse=True)
def _quick_looks(monkeypatch):
    monkeypatch.setattr(CrmScreen, "CHANGE_CHECK_SECONDS", 0.05)


async def in_another_connection(function, *args):
    """Another user's save: a thread of its own has its own database connection."""

    def run():
        from crmtui.db import database

        try:
            return function(*args)
        finally:
            database.close()

    return await asyncio.to_thread(run)


async def test_a_commit_elsewhere_reloads_the_open_list_once(ctx, backend):
    add_customer(ctx, {"name": "Anna First"})
    app = CrmApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        screen = app.screen
        assert isinstance(screen, CustomersScreen)
        loads: list[str] = []
        load = screen.load_data
        screen.load_data = lambda: (loads.append("customers"), load())[-1]

        await in_another_connection(add_customer, ctx, {"name": "Zeta Newcomer"})
        await until(pilot, lambda: "Zeta Newcomer" in screen_text(app), "the new customer")
        if backend == "sqlite":  # PostgreSQL's probe also answers yes to other databases' writes
            await pilot.pause(0.3)  # several looks later: nothing more changed, nothing more read
            await settle(pilot)
            assert loads == ["customers"]


async def test_a_slow_probe_neither_holds_up_the_screen_nor_stacks(ctx, monkeypatch):
    add_customer(ctx, {"name": "Anna First"})
    app = CrmApp(ctx)
    asking = threading.Event()
    answer = threading.Event()
    asks: list[str] = []
    at_once = [0, 0]  # now, most
    ask = ChangeWatch.changed

    def slow_changed(watch: ChangeWatch) -> bool:
        asks.append(threading.current_thread().name)
        at_once[0] += 1
        at_once[1] = max(at_once)
        asking.set()
        answer.wait(30)
        at_once[0] -= 1
        return ask(watch)

    looks: list[bool] = []
    look = CrmScreen._check_for_changes

    def counted_look(screen: CrmScreen, shown_again: bool = False) -> None:
        if isinstance(screen, CustomersScreen) and asking.is_set():
            looks.append(True)
        look(screen, shown_again)

    monkeypatch.setattr(CrmScreen, "_check_for_changes", counted_look)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        monkeypatch.setattr(ChangeWatch, "changed", slow_changed)
        # the timer's looks come while the first is held: they wait for it
        await until(pilot, lambda: asking.is_set() and len(looks) >= 5, "five looks",
                    settled=False)
        assert len(asks) == 1 and asks[0].startswith("change-probe")
        # and the screen answers keys meanwhile
        await pilot.press("slash")
        await pilot.press(*"zzz")
        await until(pilot, lambda: "zzz" in screen_text(app), "the typed filter",
                    settled=False)
        answer.set()
        await until(pilot, lambda: len(asks) >= 3, "looks again once answered", settled=False)
    assert at_once[1] == 1
