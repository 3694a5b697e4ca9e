"""The customers behind a dashboard figure (promoted, demoted, new, at risk, key customers), for
the same people, day and period as the figure: `enter` opens a profile, `escape` goes back."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from crmtui.cells import clip
from crmtui.i18n import N_, _
from crmtui.present.numbers import money
from crmtui.present.styles import grade_text
from crmtui.screens.base import CrmScreen
from crmtui.services.stats import (
    AT_RISK,
    DEMOTED,
    KEY_CUSTOMERS,
    NEW,
    PROMOTED,
    CustomerRow,
    Dashboard,
    customers_behind,
)
from crmtui.widgets.detail_line import DetailLine, row_text
from crmtui.widgets.lists import ProfileRows

LIMIT = 1000
"""Customers listed at most (a figure can stand for thousands)."""


def figure_title(figures: Dashboard, figure: str) -> str:
    days = figures.period
    return {
        PROMOTED: _("Promoted · {n} days").format(n=days),
        DEMOTED: _("Demoted · {n} days").format(n=days),
        NEW: _("New · {n} days").format(n=days),
        AT_RISK: _("At risk of being dropped"),
        KEY_CUSTOMERS: _("Key customers (80/20)"),
    }[figure]


class CustomerRowsScreen(CrmScreen):
    """Customers one per row, read by a subclass's `load_data` (into `_loaded`), which also
    says whose they are: `enter` opens a profile, `escape` goes back."""

    KEYS_SECTION = "lists"
    CSS_PATH = "figure_customers.tcss"
    AUTO_FOCUS = "#list"
    WATCH_CHANGES = False  # the customers behind the figures as the dashboard read them

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.customer_of: dict[str, int] = {}
        self.whole: dict[str, Text] = {}

    def compose_body(self) -> ComposeResult:
        yield Static(_("Reading the customers…"), id="summary")
        yield ProfileRows(id="list")
        yield DetailLine(id="detail")

    def _loaded(self, found: tuple[list[CustomerRow], int]) -> None:
        rows, total = found
        table = self.query_one(ProfileRows)
        keep = table.current_key
        table.clear(columns=True)
        wide = (table.size.width or self.app.size.width) >= 110
        name, company, owner, revenue = (20, 28, 12, 14) if wide else (14, 14, 9, 11)
        if not self.shows_owner():
            company, owner = company + owner, 0
        columns = [
            (_("Name"), name),
            (_("Company"), company),
            ("G", 2),
            *([(_("Owner"), owner)] if owner else []),
            (_("Next due"), 10),
            (_("Revenue"), revenue),
        ]
        for label, width in columns:
            table.add_column(label, width=width)
        self.customer_of = {}
        self.whole = {}
        for row in rows:
            key = str(row.customer_id)
            self.customer_of[key] = row.customer_id
            self.whole[key] = row_text(
                (
                    row.customer,
                    row.company,
                    grade_text(row.grade),
                    row.owner,
                    row.next_due.isoformat(),
                    money(row.revenue) if row.revenue else "",
                )
            )
            cells = [clip(row.customer, name), clip(row.company, company), grade_text(row.grade)]
            if owner:
                cells.append(clip(row.owner, owner))
            cells += [
                row.next_due.isoformat(),
                (money(row.revenue) if row.revenue else "").rjust(revenue),
            ]
            table.add_row(*cells, key=key)
        if keep is not None and keep in self.customer_of:
            table.move_cursor(row=table.get_row_index(keep))
        text = Text()
        text.append(
            (_("{n:,} customer") if total == 1 else _("{n:,} customers")).format(n=total),
            style="bold",
        )
        if total > len(rows):
            text.append(" · " + _("the first {n:,} shown").format(n=len(rows)))
        if not total:
            text.append(" · " + _("nobody behind this figure now"), style="italic")
        text.append(" · " + self.whose())
        self.query_one("#summary", Static).update(text)
        self._show_detail()

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        key = self.query_one(ProfileRows).current_key
        self.query_one(DetailLine).show(self.whole.get(key) if key is not None else None)

    def shows_owner(self) -> bool:
        """The owner column, unless every customer listed has the same (the viewer's own)."""
        raise NotImplementedError

    def whose(self) -> str:
        """Whose customers they are, for the summary line."""
        raise NotImplementedError

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        customer_id = self.customer_of.get(key) if key is not None else None
        if customer_id is not None:
            self.app.open_profile(customer_id)

    def action_back(self) -> None:
        self.app.pop_screen()


class FigureCustomersScreen(CustomerRowsScreen):
    """The customers behind one figure of the dashboard."""

    def __init__(self, figures: Dashboard, figure: str) -> None:
        super().__init__()
        self.figures = figures
        self.figure = figure

    def heading(self) -> str:
        return figure_title(self.figures, self.figure)

    def load_data(self) -> None:
        self.call_service(
            customers_behind,
            self.ctx,
            self.figures,
            self.figure,
            limit=LIMIT,
            done=self._loaded,
            group="load",
        )

    def shows_owner(self) -> bool:
        return self.figures.team

    def whose(self) -> str:
        return _("the team") if self.figures.team else _("my customers")
