"""The team's figures as tables to move through, opened from the dashboard with `enter`: the
targets of a month, quarter or year (a rep their own, a manager everyone's), each rep side by
side (managers) and the grade × rep figure. `enter` on a rep opens their customers (on a grade's
column: at that grade; on overdue: the overdue ones), `>` sorts by the column under the cursor
(again: by name), `z` moves between this month, quarter and year, `escape` goes back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from crmtui.i18n import N_, _
from crmtui.present.accounts import (
    TARGET_COLUMNS,
    Column,
    comparison_heading,
    rep_columns,
    targets_heading,
    targets_summary,
)
from crmtui.present.text import plain
from crmtui.screens.base import CrmScreen
from crmtui.screens.figure_customers import CustomerRowsScreen
from crmtui.services.figures.grades import RepFigures
from crmtui.services.reps import RepComparison, RepRow, rep_comparison, rep_customers
from crmtui.services.targets import TargetBoard, TargetRow, target_board
from crmtui.widgets.lists import NavTable

PERIOD_KINDS = ("month", "quarter", "year")
WIDE = 110
"""From this many columns the rep comparison shows the customers per grade."""
GRADES = "ABCDE"

Data = TypeVar("Data")
"""What a team table is read from: a target board, the reps compared, the grade × rep rows."""


class RepLine(Protocol):
    """A row of a team table: one rep."""

    @property
    def login(self) -> str: ...


def _cell_width(cell: Any) -> int:
    return cell.cell_len if isinstance(cell, Text) else cell_len(str(cell))


class TeamTable(NavTable):
    """A table with a cell cursor: the column under it says what `enter` and `>` mean."""

    def __init__(self) -> None:
        super().__init__(id="team-table")
        self.cursor_type = "cell"


class TeamTableScreen(CrmScreen, Generic[Data]):
    """A table of one row per rep; subclasses read it (`read`) and describe its columns."""

    KEYS_SECTION = "team"

    CSS_PATH = "team.tcss"
    AUTO_FOCUS = "#team-table"
    WATCH_CHANGES = False  # read when opened, on `z` and on `r`
    SORTABLE: ClassVar[bool] = False
    PERIODS: ClassVar[bool] = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="back"),
        Binding(
            "greater_than_sign",
            "sort",
            N_("Sort"),
            id="sort",
            tooltip=N_("by the column under the cursor; again: by name"),
        ),
        Binding(
            "z", "period", N_("Period"), id="team-period", tooltip=N_("this month, quarter or year")
        ),
        Binding("r", "reload", N_("Refresh"), id="reload", show=False),
    ]

    def __init__(self, kind: str = "month") -> None:
        super().__init__()
        self.kind = kind
        self.sort = "name"
        self.data: Data | None = None
        self.logins: list[str] = []
        self.columns: list[Column] = []

    def compose_body(self) -> ComposeResult:
        yield Static(_("Reading the figures…"), id="summary")
        yield TeamTable()
        yield Static("", id="keys-hint")

    # -- reading --------------------------------------------------------------------------------
    def read(self) -> Callable[[], Data]:
        raise NotImplementedError

    def load_data(self) -> None:
        self.call_service(self.read(), done=self._loaded, group="load")

    def action_reload(self) -> None:
        self.reload()

    def _loaded(self, data: Data) -> None:
        self.data = data
        self.show()

    # -- drawing --------------------------------------------------------------------------------
    def table_columns(self) -> list[Column]:
        raise NotImplementedError

    def table_rows(self, data: Data) -> Sequence[RepLine]:
        raise NotImplementedError

    def summary(self, data: Data) -> Text:
        raise NotImplementedError

    def hint(self) -> str:
        parts = [_("enter: the rep's customers")]
        if self.SORTABLE:
            parts.append(_("> sort by the column"))
        if self.PERIODS:
            parts.append(_("z month, quarter, year"))
        return " · ".join(parts)

    @staticmethod
    def _cell(column: Column, row: Any) -> Any:
        cell = column.cell(row)
        if column.right:
            cell = cell if isinstance(cell, Text) else Text(str(cell))
            cell.justify = "right"
        return cell

    def show(self) -> None:
        """The table of the data read (call once it is read)."""
        data = self.data
        if data is None:
            return
        table = self.query_one(TeamTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        self.columns = self.table_columns()
        rows = list(self.table_rows(data))
        self.logins = [row.login for row in rows]
        cells = [[self._cell(column, row) for column in self.columns] for row in rows]
        for index, column in enumerate(self.columns):
            heading = column.heading if column.heading in GRADES else _(column.heading)
            if column.key == self.sort and self.SORTABLE and column.key != "name":
                heading += " ▼"
            # widths measured here, not left to the table's later pass, so the first paint is
            # already the final one
            width = max([cell_len(heading), *(_cell_width(row[index]) for row in cells)])
            table.add_column(
                Text(heading, justify="right" if column.right else "left"),
                key=column.key,
                width=width,
            )
        for row, row_cells in zip(rows, cells, strict=False):
            table.add_row(*row_cells, key=row.login)
        if rows:
            table.move_cursor(
                row=min(cursor.row, len(rows) - 1), column=min(cursor.column, len(self.columns) - 1)
            )
        self.query_one("#summary", Static).update(self.summary(data))
        self.query_one("#keys-hint", Static).update(self.hint() if rows else "")
        self.refresh_bindings()

    # -- keys -----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sort":
            return self.SORTABLE
        if action == "period":
            return self.PERIODS
        return True

    def current_column(self) -> Column | None:
        table = self.query_one(TeamTable)
        if not self.columns or not table.row_count:
            return None
        return self.columns[min(table.cursor_column, len(self.columns) - 1)]

    def action_sort(self) -> None:
        column = self.current_column()
        if column is None:
            return
        self.sort = "name" if column.key == self.sort else column.key
        self.show()

    def action_period(self) -> None:
        self.kind = PERIOD_KINDS[(PERIOD_KINDS.index(self.kind) + 1) % len(PERIOD_KINDS)]
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(DataTable.CellSelected)
    def _open_rep(self, event: DataTable.CellSelected) -> None:
        login = event.cell_key.row_key.value
        column = event.cell_key.column_key.value or ""
        if not login:
            return
        grade = column if column in GRADES or column == "overdue" else None
        self.app.push_screen(RepCustomersScreen(login, self.rep_name(login), grade))

    def rep_name(self, login: str) -> str:
        return login


class TargetsScreen(TeamTableScreen[TargetBoard]):
    """Targets against results: orders and new customers, what each day left needs."""

    HEADING = N_("Targets")

    def read(self) -> Callable[[], TargetBoard]:
        return lambda: target_board(self.ctx, kind=self.kind)

    def table_columns(self) -> list[Column]:
        return TARGET_COLUMNS

    def table_rows(self, data: TargetBoard) -> list[TargetRow]:
        return data.rows

    def summary(self, data: TargetBoard) -> Text:
        board = data
        text = targets_heading(board)
        if board.rows:
            text.append(" · ")
            text.append_text(targets_summary(board))
        else:
            text.append(" · " + _("No targets for {period}.").format(period=board.period.key))
        return text

    def rep_name(self, login: str) -> str:
        rows = self.data.rows if self.data else []
        return next((row.name for row in rows if row.login == login), login)


class RepsScreen(TeamTableScreen[RepComparison]):
    """Each rep side by side (managers)."""

    HEADING = N_("Reps side by side")
    SORTABLE = True

    def read(self) -> Callable[[], RepComparison]:
        return lambda: rep_comparison(self.ctx, kind=self.kind)

    def table_columns(self) -> list[Column]:
        return rep_columns(self.app.size.width >= WIDE)

    def table_rows(self, data: RepComparison) -> list[RepRow]:
        return data.sorted(self.sort)

    def summary(self, data: RepComparison) -> Text:
        return comparison_heading(data, self.sort)

    def rep_name(self, login: str) -> str:
        rows = self.data.rows if self.data else []
        return next((row.name for row in rows if row.login == login), login)

    def on_resize(self) -> None:
        self.show()


MATRIX_COLUMNS: list[Column] = [
    Column("name", N_("rep"), lambda r: plain(r.name), right=False),
    *(
        Column(letter, letter, (lambda g: lambda r: f"{r.grades.get(g, 0):,}")(letter))
        for letter in GRADES
    ),
    Column("all", N_("all"), lambda r: f"{r.customers:,}"),
    Column(
        "overdue",
        N_("overdue"),
        lambda r: Text(f"{r.overdue:,}", style="bold red" if r.overdue else ""),
    ),
]


class GradeRepScreen(TeamTableScreen[list[RepFigures]]):
    """The grade × rep figure of the dashboard, drillable: `enter` on a count opens those
    customers."""

    HEADING = N_("Grade × rep")
    PERIODS = False

    def __init__(self, reps: list[RepFigures]) -> None:
        super().__init__()
        self.reps = reps

    def read(self) -> Callable[[], list[RepFigures]]:
        return lambda: self.reps

    def table_columns(self) -> list[Column]:
        return MATRIX_COLUMNS

    def table_rows(self, data: list[RepFigures]) -> list[RepFigures]:
        return data

    def summary(self, data: list[RepFigures]) -> Text:
        return Text(_("Customers per grade and rep, with their overdue follow-ups"))

    def rep_name(self, login: str) -> str:
        return next((row.name for row in self.data or () if row.login == login), login)


class RepCustomersScreen(CustomerRowsScreen):
    """A rep's customers (at a grade, or overdue), the most pressing next due first."""

    def __init__(self, login: str, name: str, grade: str | None = None) -> None:
        super().__init__()
        self.login = login
        self.rep = name
        self.grade = grade

    def heading(self) -> str:
        if self.grade == "overdue":
            return _("{rep} · overdue").format(rep=self.rep)
        if self.grade:
            return _("{rep} · grade {grade}").format(rep=self.rep, grade=self.grade)
        return _("{rep} · customers").format(rep=self.rep)

    def load_data(self) -> None:
        self.call_service(
            rep_customers,
            self.ctx,
            self.login,
            grade=self.grade,
            limit=1000,
            done=self._loaded,
            group="load",
        )

    def whose(self) -> str:
        return self.rep

    def shows_owner(self) -> bool:
        return False  # all this rep's


__all__ = ["TargetsScreen", "RepsScreen", "GradeRepScreen", "RepCustomersScreen"]
