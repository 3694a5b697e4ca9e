"""The due list of the Today screen: one line per item under a heading per section, in the order
the rules give; the cursor skips the headings. The lines are `crmtui.present.due`'s, the same as
`crmtui due` prints."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Sequence

from rich.text import Text
from textual.binding import Binding, BindingType

from crmtui.i18n import N_
from crmtui.present.due import DueColumns, section_heading, sections
from crmtui.rules import DueItem
from crmtui.widgets.line_list import LineList


def item_key(item: DueItem) -> tuple:
    return (item.kind.value, item.customer_id, item.ref_id)


class DueList(LineList[DueItem]):
    """Due items under section headings; the cursor skips the headings.

    Drawn with the line API (LineList), so a manager's list of thousands of items costs no
    more per key than a rep's dozen.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", N_("Profile"), id="profile",
                tooltip=N_("the customer's profile (on a complaint: the complaint)")),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"due-list--heading"}

    DEFAULT_CSS = """
    DueList > .due-list--heading {
        color: $text-accent;
        text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.headings: dict[int, str] = {}
        self.columns = DueColumns.for_width(80, owner=False)
        self.today: date | None = None

    def show_items(self, items: Sequence[DueItem], *, today: date, owner: bool,
                   width: int, keep: tuple | None = None) -> None:
        """Replace the list, keeping the cursor on the item keyed `keep` (or near it)."""
        self.columns = DueColumns.for_width(width, owner=owner)
        self.today = today
        rows: list[DueItem | None] = []
        headings: dict[int, str] = {}
        for kind, section in sections(items).items():
            headings[len(rows)] = " " + section_heading(kind, len(section))
            rows.append(None)
            rows.extend(section)
        self.headings = headings
        self.set_items(rows, width=width, keep=keep)

    def row_key(self, item: DueItem) -> tuple:
        return item_key(item)

    def item_after(self, item: DueItem) -> tuple | None:
        return self.key_after(item)

    def line_text(self, index: int) -> Text:
        item = self.items[index]
        if item is None:
            text = Text()
            text.append(self.headings[index],
                        style=self.get_component_rich_style("due-list--heading"))
            return text
        return self.columns.line(item, self.today)

    def reveal_from(self, cursor: int) -> int:
        # the first item of a section scrolls into view with its heading
        return cursor - 1 if cursor > 0 and self.items[cursor - 1] is None else cursor
