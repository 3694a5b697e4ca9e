"""The due list of the Today screen: one line per item under a heading per section, in the order
the rules give; the cursor skips the headings. Columns are cut to terminal cells, so Chinese
names line up with Latin ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Sequence

from rich.text import Text
from textual import _widget_navigation
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from crmtui.commands.core import SECTION_TITLES
from crmtui.i18n import _
from crmtui.rules import DueItem
from crmtui.widgets.grade import grade_style
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


class DueList(OptionList):
    """Due items grouped under section headings; `highlighted_item` is the one under the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", _("Down"), show=False, id="list-down"),
        Binding("up,k", "cursor_up", _("Up"), show=False, id="list-up"),
        Binding("home,g", "first", _("Top"), show=False, id="list-top"),
        Binding("end,G", "last", _("Bottom"), show=False, id="list-bottom"),
        Binding("enter", "select", _("Profile"), id="profile"),
    ]

    DEFAULT_CSS = """
    DueList {
        border: none;
        padding: 0;
        height: 1fr;
        max-height: 100%;
        background: $surface;
        &:focus { border: none; }
        & > .option-list--option-disabled {
            color: $text-accent;
            text-style: bold;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True, markup=False)
        self.items: list[DueItem | None] = []
        self.columns = DueColumns.for_width(80, owner=False)

    def show_items(self, items: Sequence[DueItem], *, today: date, owner: bool,
                   width: int, keep: tuple | None = None) -> None:
        """Replace the list (one rebuild, not row-by-row edits), keeping the cursor near `keep`."""
        previous = self.highlighted or 0
        self.columns = DueColumns.for_width(width, owner=owner)
        options: list[Option] = []
        rows: list[DueItem | None] = []
        sections: dict = {}
        for item in items:
            sections.setdefault(item.kind, []).append(item)
        for kind, section in sections.items():
            title = _(SECTION_TITLES[kind.value])
            options.append(Option(Text(f" {title} ({len(section)})"), disabled=True))
            rows.append(None)
            for item in section:
                options.append(Option(self.columns.line(item, today)))
                rows.append(item)
        self.items = rows
        self.set_options(options)
        target = None
        if keep is not None:
            target = next((i for i, row in enumerate(rows) if row and item_key(row) == keep),
                          None)
        if target is None and rows:
            target = min(previous, len(rows) - 1)
            target = _widget_navigation.find_next_enabled_no_wrap(
                self._options, anchor=target, direction=1, with_anchor=True)
            if target is None:
                target = _widget_navigation.find_last_enabled(self._options)
        self.highlighted = target
        self._reveal_heading()

    @property
    def highlighted_item(self) -> DueItem | None:
        if self.highlighted is None or self.highlighted >= len(self.items):
            return None
        return self.items[self.highlighted]

    def item_after(self, item: DueItem) -> tuple | None:
        """The key of the item that follows `item` (where the cursor goes once it leaves)."""
        keys = [item_key(row) for row in self.items if row is not None]
        try:
            index = keys.index(item_key(item))
        except ValueError:
            return None
        following = keys[index + 1:] or keys[:index][-1:]
        return following[0] if following else None

    def action_cursor_down(self) -> None:
        moved = _widget_navigation.find_next_enabled_no_wrap(
            self._options, anchor=self.highlighted, direction=1)
        if moved is not None:
            self.highlighted = moved

    def action_cursor_up(self) -> None:
        moved = _widget_navigation.find_next_enabled_no_wrap(
            self._options, anchor=self.highlighted, direction=-1)
        if moved is not None:
            self.highlighted = moved
            self._reveal_heading()

    def action_first(self) -> None:
        super().action_first()
        self.scroll_home(animate=False, immediate=True)

    def _reveal_heading(self) -> None:
        """Keep a section's heading in view when the cursor is on its first item."""
        index = self.highlighted
        if index is None or index == 0 or not self.is_mounted:
            return
        if self._options[index - 1].disabled:
            self._update_lines()
            try:
                y = self._index_to_line[index - 1]
            except KeyError:
                return
            self.scroll_to_region(Region(0, y, 1, 2), animate=False, force=True,
                                  immediate=True)
