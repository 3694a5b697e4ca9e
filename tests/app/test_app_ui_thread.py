"""No database query runs on the thread of the event loop: screens read view objects the services
built in a worker, and the change probe asks in a worker too. A query on the UI thread freezes
the screen while it waits (on PostgreSQL, for a network round trip).

Every statement the store runs is recorded with its thread; each journey drives the app as a
user does and then asserts that none ran on the event loop's thread."""

from __future__ import annotations

import threading
import traceback
from dataclasses import dataclass, field

import pytest
from textual.widgets import Input, TabbedContent

from crmtui.screens.base import CrmScreen
from crmtui.screens.complaints import ComplaintsScreen
from crmtui.screens.customers import CustomersScreen
from crmtui.screens.dashboard import DashboardScreen, Figure
from crmtui.screens.dialogs.log import LogDialog
from crmtui.screens.interactions import InteractionsScreen
from crmtui.screens.profile import ProfileScreen
from crmtui.screens.today import TodayScreen
from tests.app.conftest import customer_of, palette_finds, press, settle, type_text, until


@dataclass
class UiThreadQueries:
    """The statements run on the event loop's thread, each with where in crmtui it was asked."""

    ui_thread: int
    seen: list[str] = field(default_factory=list)
    total: int = 0
    recording: bool = False
    """Set while the app runs (a test's own reads and writes before it are not the app's)."""

    def start(self) -> None:
        self.recording = True

    def report(self) -> str:
        """Each place that asked once, with how often."""
        places: dict[str, int] = {}
        for seen in self.seen:
            places[seen] = places.get(seen, 0) + 1
        return "\n\n".join(f"{count}× {seen}" for seen, count in places.items())


def _where() -> str:
    frames = [
        f"{frame.filename.split('crmtui/', 1)[-1]}:{frame.lineno} {frame.name}"
        for frame in traceback.extract_stack()[:-2]
        if "/crmtui/" in frame.filename and "/tests/" not in frame.filename
    ]
    return "\n  ".join(frames[-6:])


@pytest.fixture
def queries(demo_ctx, monkeypatch) -> UiThreadQueries:
    """Record every statement the store runs; those on this thread (the one the test's event
    loop, and so the app, runs on) with the crmtui frames that asked."""
    db = demo_ctx.store.db
    record = UiThreadQueries(threading.get_ident())
    execute_sql = db.execute_sql

    def recording(sql, params=None, *args, **kwargs):
        if not record.recording:
            return execute_sql(sql, params, *args, **kwargs)
        record.total += 1
        if threading.get_ident() == record.ui_thread:
            record.seen.append(f"{sql[:60]}\n  {_where()}")
        return execute_sql(sql, params, *args, **kwargs)

    monkeypatch.setattr(db, "execute_sql", recording)
    # the change probe asks often, so a journey sees it ask several times
    monkeypatch.setattr(CrmScreen, "CHANGE_CHECK_SECONDS", 0.05)
    return record


def assert_none_on_ui_thread(queries: UiThreadQueries) -> None:
    queries.recording = False
    assert queries.total > 0, "nothing was read: the recorder is not in the store's path"
    assert not queries.seen, (
        f"{len(queries.seen)} queries ran on the UI thread:\n{queries.report()}"
    )


async def wait_for_change_checks(pilot) -> None:
    """Let the change probe ask a few times on the screen on top."""
    await pilot.pause(0.2)
    await settle(pilot)


async def test_today(app, queries):
    queries.start()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        await press(pilot, "down", "down", "t", "t")
        await wait_for_change_checks(pilot)
    assert_none_on_ui_thread(queries)


async def test_a_profile_on_every_tab(app, queries, demo_ctx):
    customer_id = customer_of("boss")
    queries.start()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_profile(customer_id)
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen), "the profile")
        tabs = app.screen.query_one(TabbedContent)
        seen = {tabs.active}
        for _tab in range(12):
            await press(pilot, "right_square_bracket")
            await press(pilot, "down")
            seen.add(tabs.active)
        assert len(seen) == tabs.tab_count
        await wait_for_change_checks(pilot)
    assert_none_on_ui_thread(queries)


async def test_customers(app, queries):
    queries.start()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        assert isinstance(app.screen, CustomersScreen)
        await press(pilot, "down", "down", "pagedown", "G", "g")
        await press(pilot, "slash")
        await type_text(pilot, "li")
        await press(pilot, "escape")
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen), "the profile")
        await press(pilot, "escape")
        await wait_for_change_checks(pilot)
    assert_none_on_ui_thread(queries)


async def test_interactions(app, queries):
    queries.start()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        assert isinstance(app.screen, InteractionsScreen)
        await press(pilot, "down", "down", "pagedown", "G", "g")
        await press(pilot, "enter")
        await settle(pilot)
        await press(pilot, "escape")
        await wait_for_change_checks(pilot)
    assert_none_on_ui_thread(queries)


async def test_complaints(app, queries, queue_ctx):
    queries.start()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "4")
        assert isinstance(app.screen, ComplaintsScreen)
        await press(pilot, "down", "enter")
        await settle(pilot)
        await wait_for_change_checks(pilot)
        await press(pilot, "escape")
        await wait_for_change_checks(pilot)
    assert_none_on_ui_thread(queries)


async def test_the_dashboard_and_the_team(app, queries):
    queries.start()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "5")
        assert isinstance(app.screen, DashboardScreen)
        await until(pilot, lambda: app.screen.figures is not None, "the figures")
        await press(pilot, "a")
        await until(
            pilot,
            lambda: app.screen.figures is not None and not app.screen.refreshing,
            "the team's figures",
        )
        for figure in ("reps", "matrix", "targets"):
            app.screen.query_one(f"#{figure}", Figure).focus()
            await press(pilot, "enter")
            await until(pilot, lambda: getattr(app.screen, "data", None) is not None, figure)
            await press(pilot, "down", "enter")
            await settle(pilot)
            while not isinstance(app.screen, DashboardScreen):
                await press(pilot, "escape")
        await wait_for_change_checks(pilot)
    assert_none_on_ui_thread(queries)


async def test_the_palette(app, queries, demo_ctx):
    from crmtui.db import Customer

    name = Customer.get_by_id(customer_of("boss")).name
    queries.start()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        await type_text(pilot, name.split()[-1].lower())
        await palette_finds(pilot, f"customer: {name}")
        await press(pilot, "down", "enter")
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen), "the profile")
    assert_none_on_ui_thread(queries)


async def test_a_log_form_saved(app, queries, demo_ctx):
    from crmtui.db import Interaction

    before = Interaction.select().count()
    queries.start()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        assert isinstance(app.screen, LogDialog)
        await pilot.press(*"called about the price list")
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, LogDialog), "the form to close")
        await wait_for_change_checks(pilot)
    assert_none_on_ui_thread(queries)
    assert Interaction.select().count() == before + 1


async def test_a_customer_edited_and_saved(app, queries, demo_ctx):
    from crmtui.db import Customer
    from crmtui.screens.dialogs.customer import CustomerForm

    queries.start()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "2", "e")
        await until(pilot, lambda: isinstance(app.screen, CustomerForm), "the customer form")
        form = app.screen
        await until(pilot, lambda: form.stored is not None, "the stored customer")
        customer_id = form.customer_id
        form.query_one("#field-title", Input).value = "buyer"
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, CustomerForm), "the form to close")
        await wait_for_change_checks(pilot)
    assert_none_on_ui_thread(queries)
    assert Customer.get_by_id(customer_id).title == "buyer"
