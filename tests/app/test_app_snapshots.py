"""SVG snapshots of the main screens at 80×24 and 120×40 (`pytest --snapshot-update` after a
deliberate change of the look). The hand-made world of tests/app/world.py, a fixed clock, no
blink."""

from __future__ import annotations

import pytest

from crmtui.app import CrmApp
from crmtui.screens.base import CrmScreen
from crmtui.services.customers import add_customer
from crmtui.services.interactions import log_interaction
from tests.app.conftest import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture(autouse=True)
def _no_change_checks(monkeypatch):
    """A picture of a screen as it loaded: no check for other users' saves while it is taken
    (the app's own first reads may commit, and a reload would race the picture)."""
    monkeypatch.setattr(CrmScreen, "CHANGE_CHECK_SECONDS", 3600.0)


def steps(*keys: str, then=None):
    """A run_before that lets the app load, presses keys, and waits for what they start."""
    async def run_before(pilot) -> None:
        await settle(pilot)
        if then is not None:
            then(pilot.app)
            await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
    return run_before


@pytest.fixture
def app(world_ctx) -> CrmApp:
    return CrmApp(world_ctx)


@pytest.mark.parametrize("size", SIZES)
def test_today(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=steps())


def test_today_everyone(snap_compare, app):
    assert snap_compare(app, terminal_size=(120, 40), run_before=steps("a"))


def test_today_empty_shows_what_comes_next(snap_compare, ctx):
    customer = add_customer(ctx, {"name": "王小明", "company": "重庆华信科技有限公司"})
    log_interaction(ctx, customer.id, summary="intro", next_on="+4d", next_step="demo")
    ctx.store.target = "crm.sqlite3"
    assert snap_compare(CrmApp(ctx), terminal_size=(80, 24), run_before=steps())


@pytest.mark.parametrize("size", SIZES)
def test_profile(snap_compare, app, world, size):
    customer_id = world["邵霞"]
    assert snap_compare(app, terminal_size=size, run_before=steps(
        then=lambda app: app.open_profile(customer_id)))


def test_profile_timeline(snap_compare, app, world):
    customer_id = world["邵霞"]
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps(
        "right_square_bracket", "right_square_bracket",
        then=lambda app: app.open_profile(customer_id)))


@pytest.mark.parametrize("size", SIZES)
def test_customers(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=steps("2"))


def test_interactions(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps("3"))


def test_log_dialog(snap_compare, app):
    """The log form on 钟娟's late promise (below the schedule's three appointments and the
    complaint at risk): it offers to mark the promise kept."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps(
        "j", "j", "j", "j", "l", "q", "u", "o", "t", "e", "tab", "tab", "tab", "tab", "f", "r", "i"))


def test_customer_form_with_a_bad_email(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps(
        "2", "n", "Z", "o", "e", "tab", "tab", "tab", "tab", "z", "o", "e", "@"))


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=steps("5"))


def test_dashboard_team_90_days(snap_compare, app):
    assert snap_compare(app, terminal_size=(120, 40), run_before=steps("5", "a", "z", "z"))


def test_dashboard_customers_behind_a_figure(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps("5", "a", "down", "enter"))


def test_help(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps("question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_complaints(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=steps("4"))


def test_complaint_detail(snap_compare, app, world):
    assert snap_compare(app, terminal_size=(120, 40), run_before=steps(
        then=lambda app: app.open_complaint(world.complaints.working)))


def test_acknowledge_refuses_a_past_time(snap_compare, app):
    """On the third row of the queue: 秦俊's new complaint."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps(
        "4", "j", "j", "A", "1", "0", ":", "0", "0"))
