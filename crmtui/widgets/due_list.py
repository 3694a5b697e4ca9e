"""The due list of the Today screen: one line per item under a heading per section, in the order
the rules give; the cursor skips the headings. Columns are cut to terminal cells, so Chinese
names line up with Latin ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Sequence

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from crmtui.i18n import N_, _
from crmtui.labels import label
from crmtui.rules import DueItem
from crmtui.widgets.grade import grade_style
from crmtui.widgets.localized import LocalizedBindings
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


class DueList(LocalizedBindings, ScrollView, can_focus=True):
    """Due items under section headings; the cursor skips the headings.

    Drawn with Textual's line API: a repaint renders only the lines on screen, so a manager's
    list of thousands of items costs no more per key than a rep's dozen.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", N_("Down"), show=False, id="list-down"),
        Binding("up,k", "cursor_up", N_("Up"), show=False, id="list-up"),
        Binding("home,g", "first", N_("Top"), show=False, id="list-top"),
        Binding("end,G", "last", N_("Bottom"), show=False, id="list-bottom"),
        Binding("pagedown", "page_down", N_("Page down"), show=False, id="list-page-down"),
        Binding("pageup", "page_up", N_("Page up"), show=False, id="list-page-up"),
        Binding("enter", "select", N_("Profile"), id="profile"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "due-list--heading", "due-list--cursor", "due-list--cursor-blurred",
    }

    DEFAULT_CSS = """
    DueList {
        height: 1fr;
        background: $surface;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    DueList > .due-list--heading {
        color: $text-accent;
        text-style: bold;
    }
    DueList > .due-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    DueList > .due-list--cursor-blurred {
        background: $block-cursor-blurred-background;
    }
    """

    class Highlighted(Message):
        def __init__(self, due_list: "DueList", item: DueItem | None) -> None:
            super().__init__()
            self.due_list = due_list
            self.item = item

        @property
        def control(self) -> "DueList":
            return self.due_list

    class Selected(Message):
        def __init__(self, due_list: "DueList", item: DueItem) -> None:
            super().__init__()
            self.due_list = due_list
            self.item = item

        @property
        def control(self) -> "DueList":
            return self.due_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[DueItem | None] = []
        """One entry per line: the item, or None for a section heading."""
        self.headings: dict[int, str] = {}
        self.columns = DueColumns.for_width(80, owner=False)
        self.today: date | None = None
        self.cursor: int | None = None
        self._lines: dict[int, Strip] = {}

    # -- content --------------------------------------------------------------------------------
    def show_items(self, items: Sequence[DueItem], *, today: date, owner: bool,
                   width: int, keep: tuple | None = None) -> None:
        """Replace the list (one rebuild, not row-by-row edits), keeping the cursor near `keep`."""
        previous = self.cursor or 0
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
        self.items, self.headings = rows, headings
        self._lines.clear()
        self.virtual_size = Size(width, len(rows))
        target = None
        if keep is not None:
            target = next((i for i, row in enumerate(rows) if row and item_key(row) == keep),
                          None)
        if target is None and rows:
            target = self._next_item(min(previous, len(rows) - 1), 1, include=True)
            if target is None:
                target = self._next_item(len(rows) - 1, -1, include=True)
        self.cursor = target
        self.refresh()
        self._reveal_cursor()
        self.post_message(self.Highlighted(self, self.highlighted_item))

    @property
    def highlighted_item(self) -> DueItem | None:
        if self.cursor is None or self.cursor >= len(self.items):
            return None
        return self.items[self.cursor]

    def item_after(self, item: DueItem) -> tuple | None:
        """The key of the item that follows `item` (where the cursor goes once it leaves)."""
        keys = [item_key(row) for row in self.items if row is not None]
        try:
            index = keys.index(item_key(item))
        except ValueError:
            return None
        following = keys[index + 1:] or keys[:index][-1:]
        return following[0] if following else None

    # -- drawing --------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self.items):
            return Strip.blank(width, base)
        strip = self._lines.get(index)
        if strip is None:
            if self.items[index] is None:
                text = Text()
                text.append(self.headings[index],
                            style=self.get_component_rich_style("due-list--heading"))
            else:
                text = self.columns.line(self.items[index], self.today)
            strip = Strip(list(text.render(self.app.console)), text.cell_len)
            self._lines[index] = strip
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style(
                "due-list--cursor" if self.has_focus else "due-list--cursor-blurred")
        return strip.apply_style(style).crop_extend(0, width, style)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    def _on_focus(self, event) -> None:
        super()._on_focus(event)
        self._refresh_cursor()

    def _on_blur(self, event) -> None:
        super()._on_blur(event)
        self._refresh_cursor()

    def _refresh_cursor(self) -> None:
        if self.cursor is not None:
            self.refresh_line(self.cursor)

    # -- moving ---------------------------------------------------------------------------------
    def _next_item(self, start: int, step: int, *, include: bool = False) -> int | None:
        index = start if include else start + step
        while 0 <= index < len(self.items):
            if self.items[index] is not None:
                return index
            index += step
        return None

    def move_to(self, index: int | None) -> None:
        if index is None or index == self.cursor:
            return
        old, self.cursor = self.cursor, index
        if old is not None:
            self.refresh_line(old)
        self.refresh_line(index)
        self._reveal_cursor()
        self.post_message(self.Highlighted(self, self.highlighted_item))

    def _reveal_cursor(self) -> None:
        """Scroll the cursor into view, with its section's heading when it is the first item."""
        if self.cursor is None or not self.is_mounted:
            return
        top = self.cursor - 1 if self.cursor > 0 and self.items[self.cursor - 1] is None \
            else self.cursor
        self.scroll_to_region(Region(0, top, 1, self.cursor - top + 1), animate=False,
                              force=True, immediate=True)

    def action_cursor_down(self) -> None:
        if self.cursor is not None:
            self.move_to(self._next_item(self.cursor, 1))

    def action_cursor_up(self) -> None:
        if self.cursor is not None:
            self.move_to(self._next_item(self.cursor, -1))

    def action_first(self) -> None:
        self.move_to(self._next_item(0, 1, include=True))
        self.scroll_home(animate=False, immediate=True)

    def action_last(self) -> None:
        self.move_to(self._next_item(len(self.items) - 1, -1, include=True))

    def action_page_down(self) -> None:
        if self.cursor is not None:
            page = max(1, self.scrollable_content_region.height - 1)
            target = min(len(self.items) - 1, self.cursor + page)
            self.move_to(self._next_item(target, 1, include=True)
                         or self._next_item(target, -1, include=True))

    def action_page_up(self) -> None:
        if self.cursor is not None:
            page = max(1, self.scrollable_content_region.height - 1)
            target = max(0, self.cursor - page)
            self.move_to(self._next_item(target, -1, include=True)
                         or self._next_item(target, 1, include=True))

    def action_select(self) -> None:
        item = self.highlighted_item
        if item is not None:
            self.post_message(self.Selected(self, item))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = offset.y + self.scroll_offset.y
        if index < len(self.items) and self.items[index] is not None:
            if index == self.cursor:
                self.action_select()
            else:
                self.move_to(index)
