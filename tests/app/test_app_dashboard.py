"""The Dashboard screen on the small world of tests/dashboard_world.py: the figures it shows are
the service's, the period and team/mine switches, the customers behind a figure and on to a
profile, what a rep and support see, and the figures staying on screen while new ones are read."""

from __future__ import annotations

import io
import re
import threading

import pytest
from rich.console import Console

from crmtui.app import CrmApp
from crmtui.errors import StorageError
from crmtui.screens.dashboard import DashboardScreen, Figure
from crmtui.screens.figure_customers import FigureCustomersScreen
from crmtui.screens.help import HelpScreen, known_binding_ids
from crmtui.screens.profile import ProfileScreen
from crmtui.services import stats
from crmtui.services.stats import DEMOTED, PROMOTED, dashboard, moved_customer_ids, scope_for
from crmtui.widgets.lists import ProfileRows
from tests.app.conftest import palette_finds, press, screen_text, settle, until
from tests.conftest import as_user
from tests.dashboard_world import build_world


@pytest.fixture
def world(ctx, rep_ctx, clock):
    return build_world(ctx, rep_ctx, clock)


def figure_text(app, name: str) -> str:
    """What a figure shows, as plain text at the width it has on screen."""
    figure = app.screen.query_one(f"#{name}", Figure)
    console = Console(width=figure.content_size.width, file=io.StringIO(), color_system=None,
                      legacy_windows=False)
    with console.capture() as capture:
        console.print(figure.content)
    return "\n".join(line.rstrip() for line in capture.get().splitlines())


def shown_grades(app) -> dict[str, int]:
    rows = re.findall(r"^([A-E]) .*?(\d+) +(?:[\d.]+%|–)$", figure_text(app, "grades"),
                      re.MULTILINE)
    return {letter: int(count) for letter, count in rows}


def movement_numbers(app) -> tuple[int, int, int]:
    return tuple(int(re.search(r"\d+", figure_text(app, name)).group())
                 for name in ("promoted", "demoted", "new"))


def matrix_rows(app) -> dict[str, list[int]]:
    rows = {}
    for line in figure_text(app, "matrix").splitlines():
        match = re.match(r"^(\S.*?)\s+((?:\d+\s+){6}\d+)$", line)
        if match:
            rows[match.group(1)] = [int(n) for n in match.group(2).split()]
    return rows


async def open_dashboard(pilot) -> DashboardScreen:
    await settle(pilot)
    await press(pilot, "5")
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


async def test_the_dashboard_shows_the_services_figures(ctx, world):
    app = CrmApp(ctx)
    async with app.run_test(size=(100, 50)) as pilot:
        screen = await open_dashboard(pilot)
        figures = dashboard(ctx, 30)
        assert screen.figures == figures and not figures.team
        # boss's own customers: Ada Ivy A, Ben B, Cai C, Dan D, Eve E
        assert shown_grades(app) == figures.grades == {"A": 2, "B": 1, "C": 1, "D": 1, "E": 1}
        # Ben C→B and Ivy D→A up; Cai C→A→C nowhere; Ivy is new
        assert movement_numbers(app) == (2, 0, 1)
        assert matrix_rows(app) == {"boss": [2, 1, 1, 1, 1, 6, 5]}
        stages = figure_text(app, "stages")
        for stage in figures.open_stages:
            assert re.search(rf"^{re.escape(stage.stage)} +{stage.customers} ", stages, re.M)
        assert re.search(r"^first +3 .* 60\.0%$", stages, re.M)  # Ada Dan Ivy of 5 open
        wins = figure_text(app, "wins")  # Ada's sale closed her opportunity at first contact
        assert re.search(r"^first +1 .* 100\.0% .* 2%$", wins, re.M)
        assert re.search(r"^4-11 +0 .* 80%$", wins, re.M)
        keeping = figure_text(app, "keeping")
        assert "retention: of 0 buyers" in keeping and "0 lapsed, to win back" in keeping
        at_risk = figure_text(app, "at-risk")
        assert [r.customer for r in figures.at_risk] == ["Ada", "Cai", "Ivy"]
        assert all(name in at_risk for name in ("Ada", "Cai", "Ivy"))
        assert "3 key customers of 5 with revenue (60.0%) hold 80.0% of 1,000.00" in \
            figure_text(app, "pareto")
        conversion = figure_text(app, "conversion")
        assert re.search(r"^canvass .* 100\.0% 2/2$", conversion, re.M)
        assert re.search(r"^referral .* 100\.0% 2/2$", conversion, re.M)
        assert re.search(r"^event .* 0\.0% 0/1$", conversion, re.M)
        assert [line.split()[0] for line in figure_text(app, "csi").splitlines()] == \
            [row.quarter for row in figures.csi]
        assert re.search(r"^all +0 +– +–$", figure_text(app, "sla"), re.M)
        assert "Movement · last 30 days" in screen_text(app)


async def test_the_period_cycles_through_7_30_and_90_days(ctx, world):
    app = CrmApp(ctx)
    async with app.run_test(size=(100, 50)) as pilot:
        screen = await open_dashboard(pilot)
        seen = []
        for _period in range(3):
            await press(pilot, "z")
            figures = dashboard(ctx, screen.period)
            assert screen.figures == figures
            assert movement_numbers(app) == (figures.movement.promotions,
                                             figures.movement.demotions, figures.movement.new)
            assert f"last {screen.period} days" in screen_text(app)
            seen.append(screen.period)
        assert seen == [90, 7, 30]


async def test_enter_on_a_movement_figure_lists_its_customers_then_a_profile(ctx, world):
    app = CrmApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dashboard(pilot)
        assert app.focused.id == "grades"
        await press(pilot, "enter")  # nothing behind the grades
        assert isinstance(app.screen, DashboardScreen)
        await press(pilot, "down")
        assert app.focused.id == "promoted"
        await press(pilot, "enter")
        assert isinstance(app.screen, FigureCustomersScreen)
        promoted = moved_customer_ids(scope_for(ctx), 30, PROMOTED)
        table = app.screen.query_one(ProfileRows)
        assert [int(key.value) for key in table.rows] == promoted == [2, 9]
        text = screen_text(app)
        assert "Promoted · 30 days" in text and "2 customers" in text
        assert "Ben" in text and "Ivy" in text and "Cai" not in text
        await press(pilot, "down", "enter")
        assert isinstance(app.screen, ProfileScreen) and app.screen.customer_id == 9
        await press(pilot, "escape")
        assert isinstance(app.screen, FigureCustomersScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)
        assert app.focused.id == "promoted"


async def test_enter_on_the_80_20_lists_the_key_customers(ctx, world):
    app = CrmApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_dashboard(pilot)
        screen.query_one("#pareto", Figure).focus()
        await press(pilot, "enter")
        assert isinstance(app.screen, FigureCustomersScreen)
        text = screen_text(app)
        assert "Key customers (80/20)" in text and "3 customers" in text
        assert [name in text for name in ("Ada", "Ben", "Cai", "Dan")] == [True] * 3 + [False]


async def test_arrows_and_tab_move_between_figures(ctx, world):
    app = CrmApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dashboard(pilot)
        order = []
        for _step in range(17):
            order.append(app.focused.id)
            await press(pilot, "tab")
        assert order == ["grades", "promoted", "demoted", "new", "matrix", "forecast", "wins",
                         "stages", "at-risk", "targets", "receivables", "keeping", "pareto",
                         "conversion", "csi", "sla", "causes"]  # each rep side by side: the
        # team's view; the manager's instructions: when there are some
        assert app.focused.id == "grades"  # round again
        await press(pilot, "up")
        assert app.focused.id == "causes"
        assert "Complaints by category and root cause" in screen_text(app)  # scrolled into view
        await press(pilot, "k", "k", "j")
        assert app.focused.id == "sla"


async def test_a_manager_switches_between_mine_and_the_team(ctx, world):
    app = CrmApp(ctx)
    async with app.run_test(size=(100, 50)) as pilot:
        screen = await open_dashboard(pilot)
        await press(pilot, "a")
        team = dashboard(ctx, 30, everyone=True)
        assert screen.figures == team and team.team
        assert shown_grades(app) == {"A": 3, "B": 2, "C": 1, "D": 1, "E": 2}
        assert matrix_rows(app) == {"boss": [2, 1, 1, 1, 1, 6, 5],
                                    "Rita Rep": [1, 1, 0, 0, 1, 3, 1]}  # Gus terminated
        assert "the team" in screen_text(app)
        await press(pilot, "down", "right", "enter")  # demoted, the team's: Gus
        assert [r.customer for r in stats.customers_behind(ctx, team, DEMOTED)[0]] == ["Gus"]
        assert "Gus" in screen_text(app)
        await press(pilot, "escape", "a")
        assert screen.figures == dashboard(ctx, 30) and not screen.figures.team
        assert "my customers" in screen_text(app)


async def test_a_rep_sees_only_their_own_and_has_no_team_switch(ctx, world):
    rita = world["rita"]
    app = CrmApp(rita)
    async with app.run_test(size=(100, 50)) as pilot:
        screen = await open_dashboard(pilot)
        assert screen.figures == dashboard(rita, 30) and not screen.figures.team
        assert shown_grades(app) == {"A": 1, "B": 1, "C": 0, "D": 0, "E": 1}
        assert matrix_rows(app) == {"Rita Rep": [1, 1, 0, 0, 1, 3, 1]}
        assert "boss" not in figure_text(app, "matrix")
        assert "No revenue recorded yet." in figure_text(app, "pareto")
        assert "Mine/team" not in screen_text(app)
        await press(pilot, "a")
        assert not screen.figures.team and not app.everyone


async def test_support_sees_the_team(ctx, world):
    app = CrmApp(as_user(ctx, "sam"))
    async with app.run_test(size=(100, 50)) as pilot:
        screen = await open_dashboard(pilot)
        assert screen.figures.team
        assert shown_grades(app) == {"A": 3, "B": 2, "C": 1, "D": 1, "E": 2}
        assert "Mine/team" not in screen_text(app)


async def test_the_figures_stay_on_screen_while_new_ones_are_read(ctx, world, monkeypatch):
    app = CrmApp(ctx)
    release = threading.Event()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_dashboard(pilot)
        before = shown_grades(app)

        def slow_dashboard(*args, **kwargs):
            release.wait(10)
            return dashboard(*args, **kwargs)

        monkeypatch.setattr("crmtui.screens.dashboard.dashboard", slow_dashboard)
        await pilot.press("z")
        # the worker is held: look without waiting for it
        await until(pilot, lambda: "refreshing…" in screen_text(app), "“refreshing…” painted",
                    settled=False)
        assert "refreshing…" in screen_text(app)  # the UI thread is free: it painted
        assert shown_grades(app) == before and screen.figures.period == 30
        await press(pilot, "down")
        assert app.focused.id == "promoted"  # and keys still work
        release.set()
        await settle(pilot)
        assert screen.figures.period == 90 and "refreshing…" not in screen_text(app)
        assert screen.paint_times and all(ms > 0 for ms in screen.paint_times)


async def test_a_failed_read_keeps_the_figures_and_says_so(ctx, world, monkeypatch):
    app = CrmApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_dashboard(pilot)

        def broken(*args, **kwargs):
            raise StorageError("the database is locked by another program")

        monkeypatch.setattr("crmtui.screens.dashboard.dashboard", broken)
        await press(pilot, "r")
        assert "not refreshed" in screen_text(app)
        assert screen.figures is not None and not screen.refreshing
        assert shown_grades(app) == {"A": 2, "B": 1, "C": 1, "D": 1, "E": 1}
        assert any("locked" in n.message for n in app._notifications)


async def test_the_keys_are_in_help_remappable_and_in_the_palette(ctx, world):
    assert {"dashboard-period", "open-figure", "figure-next", "figure-previous"} <= \
        known_binding_ids()
    ctx.config = ctx.config._replace(keys={"dashboard-period": "P"})
    app = CrmApp(ctx)
    async with app.run_test(size=(100, 50)) as pilot:
        screen = await open_dashboard(pilot)
        await press(pilot, "z")
        assert screen.period == 30
        await press(pilot, "P")
        assert screen.period == 90
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one("#keys-dashboard").content
        console = Console(width=100, file=io.StringIO(), color_system=None)
        with console.capture() as capture:
            console.print(text)
        help_text = capture.get()
        section = help_text[help_text.index("Dashboard  (this screen)"):]
        for line in ("P  ", "Period", "Open the highlighted row", "Reload", "the next figure",
                     "Mine or everyone's"):
            assert line in section
        await press(pilot, "escape", "ctrl+p")
        await pilot.press(*"dashb")
        await palette_finds(pilot, "view: Dashboard")
        assert "view: Dashboard" in screen_text(app)
