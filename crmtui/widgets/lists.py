"""Lists that move the way keyboard people expect (k9s, lazygit, mutt): arrows and j/k, g/G for
top and bottom, page keys. Tables are filled a page at a time and say when the cursor nears the
end, so a screen can fetch the next page instead of loading a whole table."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from crmtui.i18n import N_
from crmtui.present.text import safe

PAGE_SIZE = 100
"""Rows fetched per query in long lists."""


def _as_text(cell: Any) -> Any:
    """A string cell as plain text: DataTable reads strings as markup, and cells hold names,
    summaries and other stored text. One line, as DataTable draws a string in a row."""
    if not isinstance(cell, str):
        return cell
    return Text(safe(cell), end="", no_wrap=True)


class NavTable(DataTable):
    """A row-cursor table with j/k, and g/G (or home/end) to the first and last row. String
    cells are shown as plain text, never as markup."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", N_("Down"), show=False, id="list-down"),
        Binding("k", "cursor_up", N_("Up"), show=False, id="list-up"),
        Binding("g,home", "scroll_top", N_("Top"), show=False, id="list-top"),
        Binding("G,end", "scroll_bottom", N_("Bottom"), show=False, id="list-bottom"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            id=id,
            classes=classes,
            cursor_type="row",
            zebra_stripes=False,
            cursor_foreground_priority="renderable",
        )

    def add_row(self, *cells: Any, **options: Any) -> RowKey:
        return super().add_row(*(_as_text(cell) for cell in cells), **options)

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: Any,
        *,
        update_width: bool = False,
    ) -> None:
        super().update_cell(row_key, column_key, _as_text(value), update_width=update_width)

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor, if any."""
        if not self.row_count:
            return None
        row_key, _column = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0))
        return row_key.value


class ListTable(NavTable):
    """A paged list: NearEnd when the cursor reaches the last rows loaded."""

    class NearEnd(Message):
        """The cursor is within a few rows of the end of what is loaded."""

        def __init__(self, table: ListTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> ListTable:
            return self.table

    class ToEnd(Message):
        """G (or end) on a list not read to its end: the screen reads the rest."""

        def __init__(self, table: ListTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> ListTable:
            return self.table

    def action_scroll_bottom(self) -> None:
        super().action_scroll_bottom()
        self.post_message(self.ToEnd(self))

    def watch_cursor_coordinate(self, old, new) -> None:
        super().watch_cursor_coordinate(old, new)
        if new.row > old.row and new.row >= self.row_count - 5:
            self.post_message(self.NearEnd(self))


class ProfileRows(ListTable):
    """A paged list of customers (or their records): enter opens the profile."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", N_("Profile"), id="profile"),
    ]
