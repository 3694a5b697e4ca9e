"""The Dashboard (SPEC §4.4): where the pipeline stands, who is slipping, which customers matter.

Panels of figures from `services.stats.dashboard`, read in a thread worker (the figures already
shown stay while new ones are read): customers per grade, movement over the period, grade × rep
with overdue follow-ups, follow-up stages beside the manuals' reference and the customers at
risk of being dropped, revenue 80/20, conversion by source, CSI per quarter and complaint
service levels. One column at 80 columns, two side by side in a wide terminal.

Keys: the arrows (or tab, j/k) move between figures; `enter` on promoted, demoted, new, at
risk or the 80/20 opens the customers behind it; `p` cycles the period 7/30/90 days; `a`
switches a manager between their own customers and the team's; `r` reads the figures again
(as does coming back to the screen).
"""

from __future__ import annotations

from time import perf_counter
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import DescendantFocus
from textual.widgets import Static

from crmtui.i18n import N_, _
from crmtui.present.dashboard import (
    Panel,
    dashboard_heading,
    dashboard_panels,
    movement_figures,
)
from crmtui.screens.base import CrmScreen
from crmtui.services.stats import Dashboard, dashboard
from crmtui.vocab import DEMOTED, NEW, PERIODS, PROMOTED, REPS, TARGETS, TEAM_FIGURES

if TYPE_CHECKING:  # the team's tables load on first use
    from crmtui.screens.team import TeamTableScreen

WIDE = 110
"""From this many columns the panels stand in two columns."""
MOVEMENT = (PROMOTED, DEMOTED, NEW)
"""The movement panel's figures."""
LAYOUT = {
    "pipeline": ("grades", "movement", "matrix", "forecast", "wins", "stages", "at-risk"),
    "value": (
        "targets",
        "reps",
        "receivables",
        "instructions",
        "keeping",
        "pareto",
        "conversion",
        "csi",
        "sla",
        "causes",
    ),
}
"""Where each panel of `present.dashboard` stands: two columns in a wide terminal, one under
the other at 80 columns. The movement panel holds the figures of `movement_figures`."""
DEFAULT_PERIOD = 30


class Figure(Static, can_focus=True):
    """One figure of the dashboard, a stop for the arrow keys. `behind` names the customers
    `enter` opens (one of vocab.BEHIND_FIGURES), or None."""

    def __init__(
        self,
        title: str = "",
        *,
        behind: str | None = None,
        id: str | None = None,
        classes: str = "panel",
    ) -> None:
        super().__init__("", id=id, classes=classes)
        self.border_title = title
        self.behind = behind


class Panels(VerticalScroll, can_focus=False, inherit_bindings=False):
    """The scrolling column of panels; the screen's keys move and page it."""


class DashboardScreen(CrmScreen):
    KEYS_SECTION = "dashboard"
    HEADING = N_("Dashboard")
    WATCH_CHANGES = False  # read afresh when shown and on `r`
    CSS_PATH = "dashboard.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open_figure",
            N_("Open"),
            id="open-figure",
            tooltip=N_(
                "what is behind the figure: the customers promoted, demoted, new, at "
                "risk or key; the targets, each rep, grade × rep"
            ),
        ),
        Binding(
            "z",
            "period",
            N_("Period"),
            id="dashboard-period",
            tooltip=N_("movement and service levels over 7, 30 or 90 days"),
        ),
        Binding(
            "a",
            "toggle_scope",
            N_("Mine/team"),
            id="scope",
            tooltip=N_("my customers or the team's (managers)"),
        ),
        Binding("r", "reload", N_("Refresh"), id="reload", tooltip=N_("read the figures again")),
        Binding("tab,down,right,j", "next_figure", N_("Next figure"), id="figure-next", show=False),
        Binding(
            "shift+tab,up,left,k",
            "previous_figure",
            N_("Previous figure"),
            id="figure-previous",
            show=False,
        ),
        Binding("pagedown", "page(1)", N_("Page down"), id="dashboard-page-down", show=False),
        Binding("pageup", "page(-1)", N_("Page up"), id="dashboard-page-up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.period = DEFAULT_PERIOD
        self.figures: Dashboard | None = None
        self.refreshing = False
        self.failed = False
        self.paint_times: list[float] = []
        """Milliseconds from starting a read to the figures painted, one per read."""

    def compose_body(self) -> ComposeResult:
        yield Static(_("Reading the figures…"), id="summary")
        with Panels(id="panels"), Vertical(id="columns"):
            for column, keys in LAYOUT.items():
                with Vertical(classes="column", id=column):
                    for key in keys:
                        if key == "movement":
                            with Vertical(id="movement", classes="panel"):
                                with Horizontal():
                                    for figure in MOVEMENT:
                                        yield Figure(behind=figure, id=figure, classes="number")
                        else:
                            yield Figure(id=key)

    # -- loading --------------------------------------------------------------------------------
    @property
    def everyone(self) -> bool:
        return self.ctx.role == "manager" and self.app.everyone

    def action_reload(self) -> None:
        self.reload()

    def load_data(self) -> None:
        self.refreshing = True
        self.failed = False
        self._summary()
        started = perf_counter()
        self.call_service(
            dashboard,
            self.ctx,
            self.period,
            everyone=self.everyone,
            done=lambda figures: self._loaded(figures, started),
            failed=self._failed,
            group="load",
        )

    def _loaded(self, figures: Dashboard, started: float) -> None:
        self.figures = figures
        self.refreshing = False
        self.show(figures)
        self.call_after_refresh(self._painted, started)

    def _painted(self, started: float) -> None:
        self.paint_times.append((perf_counter() - started) * 1000)

    def _failed(self, error: BaseException) -> bool:
        self.refreshing = False
        self.failed = True
        self._summary()
        return False  # the app reports it

    # -- drawing --------------------------------------------------------------------------------
    def _summary(self) -> None:
        figures = self.figures
        if figures is None:
            text = Text(
                _("Reading the figures…")
                if not self.failed
                else _("The figures could not be read; r tries again.")
            )
        else:
            text = dashboard_heading(figures)
            if self.refreshing:
                text.append(" · " + _("refreshing…"), style="italic")
            elif self.failed:
                text.append(" · " + _("not refreshed"), style="italic")
        self.query_one("#summary", Static).update(text)

    def show(self, d: Dashboard) -> None:
        self.add_class("-loaded")
        self._summary()
        shown = set()
        for panel in dashboard_panels(d, interactive=True):
            shown.add(panel.key)
            if panel.key == "movement":
                self.query_one("#movement").border_title = panel.title
            else:
                self._figure(panel)
        for figure in self.query(Figure):  # a figure this view has not (reps: managers')
            if figure.id and figure.id not in MOVEMENT:
                figure.display = figure.id in shown
        for number in movement_figures(d):
            self._figure(number)
        if self.focused is None:
            self.query_one("#grades", Figure).focus(scroll_visible=False)
        self.refresh_bindings()

    def _figure(self, panel: Panel) -> None:
        figure = self.query_one(f"#{panel.key}", Figure)
        figure.update(panel.body)
        figure.border_title = panel.title
        figure.behind = panel.behind

    # -- keys -----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_scope":
            return self.ctx.role == "manager"  # reps see themselves, support the whole team
        if action == "open_figure":
            return self.current_behind() is not None or None
        return True

    def current_behind(self) -> str | None:
        focused = self.focused
        if self.figures is None or not isinstance(focused, Figure):
            return None
        return focused.behind

    @on(DescendantFocus)
    def _focus_moved(self) -> None:
        self.refresh_bindings()  # enter opens something on some figures only

    def action_next_figure(self) -> None:
        self.focus_next(Figure)

    def action_previous_figure(self) -> None:
        self.focus_previous(Figure)

    def action_page(self, direction: int) -> None:
        panels = self.query_one(Panels)
        if direction > 0:
            panels.scroll_page_down()
        else:
            panels.scroll_page_up()

    def action_period(self) -> None:
        self.period = PERIODS[(PERIODS.index(self.period) + 1) % len(PERIODS)]
        self.reload()

    def action_toggle_scope(self) -> None:
        self.app.toggle_scope()
        self.reload()

    def action_open_figure(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.figure_customers import FigureCustomersScreen

        behind = self.current_behind()
        if behind is None or self.figures is None:
            return
        if behind in TEAM_FIGURES:
            self.app.push_screen(team_screen(behind, self.figures))
            return
        self.app.push_screen(FigureCustomersScreen(self.figures, behind))


def team_screen(figure: str, figures: Dashboard) -> TeamTableScreen[Any]:
    """The table behind a team figure: targets, each rep side by side, grade × rep."""
    # on first use: kept out of the app's start-up imports
    from crmtui.screens.team import GradeRepScreen, RepsScreen, TargetsScreen

    if figure == TARGETS:
        return TargetsScreen()
    if figure == REPS:
        return RepsScreen()
    return GradeRepScreen(figures.reps)
