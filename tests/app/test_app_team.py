"""The team's figures on the dashboard: the Targets view (a rep their own, a manager everyone's),
each rep side by side (managers: sortable, `enter` opens that rep's customers) and the grade ×
rep figure drilled the same way; snapshots at 80×24 and 120×40 in both languages."""

from __future__ import annotations


import pytest

from crmtui.app import CrmApp
from crmtui.db import Customer, User
from crmtui.screens.base import CrmScreen
from crmtui.screens.dashboard import DashboardScreen, Figure
from crmtui.screens.team import GradeRepScreen, RepCustomersScreen, RepsScreen, TargetsScreen
from crmtui.widgets.lists import ProfileRows
from tests.app.conftest import press, screen_text, settle
from tests.conftest import as_user

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("zh", id="zh")]


@pytest.fixture(autouse=True)
def _no_change_checks(monkeypatch):
    monkeypatch.setattr(CrmScreen, "CHANGE_CHECK_SECONDS", 3600.0)


def in_language(ctx, lang: str):
    ctx.config = ctx.config._replace(lang=lang)
    return ctx


async def open_figure(pilot, figure: str) -> None:
    """From the dashboard (the team's view for a manager), `enter` on a figure."""
    app = pilot.app
    await press(pilot, "5")
    assert isinstance(app.screen, DashboardScreen)
    if app.ctx.role == "manager" and not app.everyone:
        await press(pilot, "a")
    for _round in range(50):  # the figures read (the team's, after `a`)
        if app.screen.figures is not None and not app.screen.refreshing:
            break
        await settle(pilot)
    app.screen.query_one(f"#{figure}", Figure).focus()
    await press(pilot, "enter")
    for _round in range(50):  # the table read and painted
        if getattr(app.screen, "data", None) is not None:
            break
        await settle(pilot)
    await settle(pilot)


def opens(figure: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await open_figure(pilot, figure)
    return run_before


def table_logins(app) -> list[str]:
    return list(app.screen.logins)


async def test_a_manager_sorts_the_reps_and_opens_one_reps_customers(demo_ctx):
    app = CrmApp(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_figure(pilot, "reps")
        screen = app.screen
        assert isinstance(screen, RepsScreen)
        reps = {u.login for u in User.select().where(User.role != "support")
                if Customer.select().where(Customer.owner == u.id).exists()}
        assert set(table_logins(app)) == reps
        by_name = table_logins(app)
        table = screen.query_one("#team-table")
        column = [c.key for c in screen.columns].index("customers")
        table.move_cursor(column=column)
        await press(pilot, "greater_than_sign")
        counts = [row.customers for row in screen.data.sorted("customers")]
        assert counts == sorted(counts, reverse=True)
        assert table_logins(app) == [row.login for row in screen.data.sorted("customers")]
        assert "▼" in screen_text(app)
        await press(pilot, "greater_than_sign")  # again: by name
        assert table_logins(app) == by_name
        assert screen.data.period.kind.value == "month"
        await press(pilot, "z")
        assert screen.data.period.kind.value == "quarter"

        table.move_cursor(row=table_logins(app).index("li.na"), column=0)
        await press(pilot, "enter")
        assert isinstance(app.screen, RepCustomersScreen)
        li = User.get(User.login == "li.na")
        rows = app.screen.query_one(ProfileRows)
        assert rows.row_count == Customer.select().where(Customer.owner == li.id).count()
        await press(pilot, "escape")
        assert isinstance(app.screen, RepsScreen)


async def test_the_grade_rep_figure_opens_a_reps_customers_at_a_grade(demo_ctx):
    app = CrmApp(demo_ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_figure(pilot, "matrix")
        screen = app.screen
        assert isinstance(screen, GradeRepScreen)
        table = screen.query_one("#team-table")
        table.move_cursor(row=table_logins(app).index("wang.fang"),
                          column=[c.key for c in screen.columns].index("D"))
        await press(pilot, "enter")
        assert isinstance(app.screen, RepCustomersScreen)
        owner = User.get(User.login == "wang.fang")
        expected = Customer.select().where((Customer.owner == owner.id)
                                           & (Customer.grade == "D")).count()
        assert app.screen.query_one(ProfileRows).row_count == expected
        assert "grade D" in screen_text(app)


async def test_a_rep_sees_their_own_target_and_no_comparison(demo_ctx):
    app = CrmApp(as_user(demo_ctx, "li.na"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "5")
        dashboard = app.screen
        assert not dashboard.query_one("#reps", Figure).display  # managers only
        await open_figure(pilot, "targets")
        assert isinstance(app.screen, TargetsScreen)
        assert table_logins(app) == ["li.na"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_targets_view(snap_compare, world_ctx, size, lang):
    assert snap_compare(CrmApp(in_language(world_ctx, lang)), terminal_size=size,
                        run_before=opens("targets"))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_rep_comparison(snap_compare, world_ctx, size, lang):
    assert snap_compare(CrmApp(in_language(world_ctx, lang)), terminal_size=size,
                        run_before=opens("reps"))
