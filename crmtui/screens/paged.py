"""The base of the long lists (Customers, Interactions): a filter bar, a summary line and a table
filled one SQL page at a time; the next page is fetched when the cursor nears the end."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import DataTable, Static

from crmtui.i18n import N_, _
from crmtui.screens.base import CrmScreen
from crmtui.widgets.detail_line import DetailLine
from crmtui.widgets.filter_bar import FilterBar, FilterQuery, KeyParser
from crmtui.widgets.lists import PAGE_SIZE, ListTable, ProfileRows

FILTER_DELAY = 0.15
"""Seconds of quiet typing before a filter runs its query."""

TO_END_AT_MOST = 100_000
"""Rows G reads at most to reach the end of a list."""

RELOAD_AT_MOST = 5 * PAGE_SIZE
"""Rows read again when the list reloads (someone changed something): the pages the user
scrolled through, up to this many, so the cursor stays where it was."""


@dataclass(frozen=True)
class Row:
    key: str
    customer_id: int
    cells: tuple
    customer: str = ""
    """The customer's name, uncut."""
    can_log: bool = True
    """Whether the user may log a contact with the row's customer."""
    detail: Text | str = ""
    """The row whole (a Text or a string), for the line under the list."""


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    offset: int
    total: int | None = None
    """The number of matching rows, when the query knows it."""
    limit: int = PAGE_SIZE
    """How many rows were asked for."""

    @property
    def last(self) -> bool:
        return len(self.rows) < self.limit


class PagedScreen(CrmScreen):
    """Subclasses give FILTER_KEYS, `columns(width)` and `fetch` (run in a worker)."""

    CSS_PATH = "paged.tcss"
    FILTER_KEYS: ClassVar[Mapping[str, KeyParser]] = {}
    FILTER_HINT: ClassVar[str] = ""
    COUNT_TEXT: ClassVar[str] = N_("{n:,} rows")
    COUNT_ONE: ClassVar[str] = N_("{n:,} row")
    """FILTER_HINT and COUNT_TEXT (COUNT_ONE for one) are English msgids (N_), shown
    translated."""
    AUTO_FOCUS = "#list"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", N_("Filter"), id="filter", tooltip=N_("filter in place")),
        Binding(
            "a",
            "toggle_scope",
            N_("Mine/all"),
            id="scope",
            tooltip=N_("my customers or everyone's (managers)"),
        ),
        Binding("r", "reload", N_("Reload"), id="reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.loaded = 0
        self.total: int | None = None
        self.complete = False
        self.fetching_more = False
        self.customer_of: dict[str, int] = {}
        self.name_of: dict[str, str] = {}
        self.can_log_at: dict[str, bool] = {}
        self.detail_of: dict[str, Text | str | None] = {}
        self._filter_timer: Timer | None = None

    def filter_keys(self) -> Mapping[str, KeyParser]:
        """The filter's `key:value` words and how each value is read."""
        return self.FILTER_KEYS

    def compose_body(self) -> ComposeResult:
        yield FilterBar(
            self.filter_keys(),
            placeholder=_(self.FILTER_HINT) if self.FILTER_HINT else "",
            id="filter",
        )
        yield Static(_("Loading…"), id="summary")
        yield ProfileRows(id="list")
        yield DetailLine(id="detail")

    # -- what subclasses give -------------------------------------------------------------------
    def columns(self, width: int) -> list[tuple[str, int]]:
        raise NotImplementedError

    def fetch(self, query: FilterQuery, offset: int, width: int, limit: int = PAGE_SIZE) -> Page:
        """Read `limit` rows from `offset` (runs in a worker thread; services only)."""
        raise NotImplementedError

    def describe(self) -> str:
        return ""

    # -- loading --------------------------------------------------------------------------------
    @property
    def filter_query(self) -> FilterQuery:
        return self.query_one(FilterBar).current

    @property
    def table(self) -> ListTable:
        return self.query_one("#list", ListTable)

    def action_reload(self) -> None:
        self.reload()

    def load_data(self) -> None:
        query = self.filter_query
        if not query.ok:
            return
        limit = min(max(PAGE_SIZE, self.loaded), RELOAD_AT_MOST)
        # The columns are laid out for the width the rows were cut for, whatever it is by then.
        width = self._width()
        self.call_service(
            self.fetch,
            query,
            0,
            width,
            limit,
            done=partial(self._first_page, width=width),
            group="load",
        )

    def _width(self) -> int:
        return max(60, self.table.size.width or self.app.size.width)

    def _first_page(self, page: Page, width: int) -> None:
        table = self.table
        keep = table.current_key
        table.clear(columns=True)
        for label, column_width in self.columns(width):
            table.add_column(label, width=column_width)
        self.customer_of = {}
        self.name_of = {}
        self.can_log_at = {}
        self.detail_of = {}
        self.loaded = 0
        self.total = page.total
        self.complete = False
        self._append(page)
        if keep is not None and keep in self.customer_of:
            table.move_cursor(row=table.get_row_index(keep))
        self._summary()
        self._show_detail()
        self.refresh_bindings()  # the keys offered depend on a row being under the cursor

    def _append(self, page: Page) -> None:
        table = self.table
        for row in page.rows:
            if row.key in self.customer_of:
                continue  # a row that moved pages while new rows arrived
            self.customer_of[row.key] = row.customer_id
            self.name_of[row.key] = row.customer
            self.can_log_at[row.key] = row.can_log
            self.detail_of[row.key] = row.detail
            table.add_row(*row.cells, key=row.key)
        self.loaded = page.offset + len(page.rows)
        self.complete = page.last or (self.total is not None and self.loaded >= self.total)

    @on(ListTable.NearEnd)
    def _near_end(self) -> None:
        if self.complete or self.fetching_more or not self.filter_query.ok:
            return
        self.fetching_more = True
        self.call_service(
            self.fetch,
            self.filter_query,
            self.loaded,
            self._width(),
            done=self._more,
            failed=self._more_failed,
            group="more",
        )

    @on(ListTable.ToEnd)
    def _to_end(self) -> None:
        """G goes to the last row of the list, not of what is read so far: the rest is read
        in one query, then the cursor goes to its end."""
        if self.complete or not self.filter_query.ok:
            return
        self.fetching_more = True
        rest = (self.total - self.loaded) if self.total is not None else TO_END_AT_MOST
        self.call_service(
            self.fetch,
            self.filter_query,
            self.loaded,
            self._width(),
            limit=max(1, min(rest, TO_END_AT_MOST)),
            done=self._at_end,
            failed=self._more_failed,
            group="more",
        )

    def _at_end(self, page: Page) -> None:
        self._more(page)
        table = self.table
        if table.row_count:
            table.move_cursor(row=table.row_count - 1)

    def _more(self, page: Page) -> None:
        self.fetching_more = False
        self._append(page)
        self._summary()

    def _more_failed(self, error: BaseException) -> bool:
        self.fetching_more = False
        return False

    def _summary(self) -> None:
        text = Text()
        if self.total is not None:
            count = self.COUNT_ONE if self.total == 1 else self.COUNT_TEXT
            text.append(_(count).format(n=self.total), style="bold")
        else:
            text.append(
                _("{n:,} shown").format(n=self.loaded) + ("" if self.complete else "+"),
                style="bold",
            )
        described = self.describe()
        if described:
            text.append(" · " + described)
        query = self.filter_query
        if query.values or query.text:
            text.append(" · " + _("filter: {what}").format(what=query.describe()), style="italic")
        if not self.loaded:
            text.append(" · " + _("nothing matches"), style="italic")
        self.query_one("#summary", Static).update(text)

    # -- keys -----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_scope":
            return self.app.can_see_everyone
        return True

    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    def action_toggle_scope(self) -> None:
        self.app.toggle_scope()
        self.reload()

    @on(FilterBar.Changed)
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        if event.query.ok:
            self._filter_timer = self.set_timer(FILTER_DELAY, self.reload)

    @on(FilterBar.Done)
    def _filter_done(self) -> None:
        self.table.focus()

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        key = self.table.current_key
        self.query_one(DetailLine).show(self.detail_of.get(key) if key is not None else None)

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        customer_id = self.customer_of.get(key) if key is not None else None
        if customer_id is not None:
            self.app.open_profile(customer_id)

    def current_customer(self) -> int | None:
        key = self.table.current_key
        return self.customer_of.get(key) if key is not None else None
