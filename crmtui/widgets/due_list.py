"""The due list of the Today screen: one line per item under a heading per section, in the order
the rules give; the cursor skips the headings. Columns are cut to terminal cells, so Chinese
names line up with Latin ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Sequence

from rich.text import Text
from textual.binding import Binding, BindingType

from crmtui.i18n import N_, _
from crmtui.labels import label
from crmtui.rules import DueItem
from crmtui.widgets.grade import grade_style
from crmtui.widgets.line_list import LineList
from crmtui.widgets.text import fit, short_day


@dataclass(frozen=True)
class DueColumns:
    """Cell widths of the due list's columns for one terminal width."""

    customer: int
    company: int
    due: int
    why: int
    owner: int

    GAP: ClassVar[int] = 2

    @classmethod
    def for_width(cls, width: int, *, owner: bool) -> "DueColumns":
        wide = width >= 110
        customer = 18 if wide else 14
        company = 24 if wide else 16
        owner_width = (12 if wide else 9) if owner else 0
        fixed = customer + company + 1 + 5 + owner_width
        gaps = cls.GAP * (5 if owner else 4) + 1
        why = max(12, width - fixed - gaps)
        return cls(customer=customer, company=company, due=5, why=why, owner=owner_width)

    def header(self) -> Text:
        text = Text(" ")
        text.append(fit(_("Customer"), self.customer) + "  ")
        text.append(fit(_("Company"), self.company) + "  ")
        text.append("G  ")
        text.append(fit(_("Due"), self.due) + "  ")
        text.append(fit(_("Why"), self.why))
        if self.owner:
            text.append("  " + fit(_("Owner"), self.owner))
        return text

    def line(self, item: DueItem, today: date) -> Text:
        text = Text(" ")
        text.append(fit(item.customer, self.customer) + "  ")
        text.append(fit(item.company, self.company) + "  ", style="dim")
        grade = item.grade.value if item.grade is not None else "-"
        text.append(grade, style=grade_style(grade))
        text.append("  ")
        text.append(fit(short_day(item.due, today), self.due) + "  ",
                    style="bold red" if item.overdue_days else "")
        text.append(fit(item.detail, self.why))
        if self.owner:
            text.append("  " + fit(item.owner, self.owner), style="dim")
        return text


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
        sections: dict = {}
        for item in items:
            sections.setdefault(item.kind, []).append(item)
        rows: list[DueItem | None] = []
        headings: dict[int, str] = {}
        for kind, section in sections.items():
            headings[len(rows)] = f" {label('due_section', kind)} ({len(section)})"
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
