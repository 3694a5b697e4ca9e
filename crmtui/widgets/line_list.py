"""A keyboard list drawn with Textual's line API: a repaint renders only the lines on screen, so
a list of thousands of rows costs no more per key than a dozen. The cursor moves the way keyboard
people expect (arrows and j/k, g/G, page keys) and skips lines that are not rows (headings)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from crmtui.i18n import N_

Row = TypeVar("Row")


class LineList(ScrollView, Generic[Row], can_focus=True):
    """One line per entry of `items`; None entries are not selectable (headings, say).

    Subclasses draw a line with `line_text` and name a row with `row_key` (to keep the cursor
    on the same row when the list is replaced).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", N_("Down"), show=False, id="list-down"),
        Binding("up,k", "cursor_up", N_("Up"), show=False, id="list-up"),
        Binding("home,g", "first", N_("Top"), show=False, id="list-top"),
        Binding("end,G", "last", N_("Bottom"), show=False, id="list-bottom"),
        Binding("pagedown", "page_down", N_("Page down"), show=False, id="list-page-down"),
        Binding("pageup", "page_up", N_("Page up"), show=False, id="list-page-up"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"line-list--cursor", "line-list--cursor-blurred"}

    DEFAULT_CSS = """
    LineList {
        height: 1fr;
        background: $surface;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    LineList > .line-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    LineList > .line-list--cursor-blurred {
        background: $block-cursor-blurred-background;
    }
    """

    class _ItemMessage(Message):
        def __init__(self, line_list: LineList, item: Any) -> None:
            super().__init__()
            self.line_list = line_list
            self.item = item

        @property
        def control(self) -> LineList:
            return self.line_list

    class Highlighted(_ItemMessage):
        """The cursor moved (item None: the list is empty)."""

    class Selected(_ItemMessage):
        """Enter (or a click) on a row."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[Row | None] = []
        self.cursor: int | None = None
        self._lines: dict[int, tuple[int, Strip]] = {}
        """Each drawn line and the width it was cut to."""

    # -- what subclasses give -------------------------------------------------------------------
    def line_text(self, index: int) -> Text:
        raise NotImplementedError

    def row_key(self, item: Row) -> Hashable:
        return id(item)

    # -- content --------------------------------------------------------------------------------
    def set_items(
        self, items: Sequence[Row | None], *, width: int, keep: Hashable | None = None
    ) -> None:
        """Replace the list (one rebuild, not line-by-line edits); the cursor goes to the row
        keyed `keep` if it is still there, else stays near where it was."""
        previous = self.cursor or 0
        self.items = list(items)
        self._lines.clear()
        self.virtual_size = Size(width, len(self.items))
        target = None
        if keep is not None:
            target = next(
                (
                    i
                    for i, row in enumerate(self.items)
                    if row is not None and self.row_key(row) == keep
                ),
                None,
            )
        if target is None and self.items:
            target = self._nearest(min(previous, len(self.items) - 1), 1)
        self.cursor = target
        self.refresh()
        self._reveal_cursor()
        self.post_message(self.Highlighted(self, self.highlighted_item))

    @property
    def highlighted_item(self) -> Row | None:
        if self.cursor is None or self.cursor >= len(self.items):
            return None
        return self.items[self.cursor]

    def key_after(self, item: Row) -> Hashable | None:
        """The key of the row that follows `item` (where the cursor goes once it leaves)."""
        keys = [self.row_key(row) for row in self.items if row is not None]
        try:
            index = keys.index(self.row_key(item))
        except ValueError:
            return None
        following = keys[index + 1 :] or keys[:index][-1:]
        return following[0] if following else None

    # -- drawing --------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self.items):
            return Strip.blank(width, base)
        cut_to, strip = self._lines.get(index, (-1, None))
        if strip is None or cut_to != width:
            text = self.line_text(index)
            if text.cell_len > width:  # a scroll bar took the last cells
                # padding past the edge is not text cut off; text is, and says so
                padding = min(len(text.plain) - len(text.plain.rstrip(" ")), text.cell_len - width)
                if padding:
                    text.right_crop(padding)
                text.truncate(width, overflow="ellipsis")
            strip = Strip(list(text.render(self.app.console)), text.cell_len)
            self._lines[index] = (width, strip)
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style(
                "line-list--cursor" if self.has_focus else "line-list--cursor-blurred"
            )
        return strip.apply_style(style).crop_extend(0, width, style)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    # Widget's own focus handlers still run (Textual calls each class's handler); both repaint
    # before the next frame, so the cursor line is drawn as the new focus state wants.
    def on_focus(self) -> None:
        self._refresh_cursor()

    def on_blur(self) -> None:
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

    def _nearest(self, index: int, step: int) -> int | None:
        """The row at index, else the nearest one going `step`, else going back."""
        found = self._next_item(index, step, include=True)
        return found if found is not None else self._next_item(index, -step, include=True)

    def move_to(self, index: int | None) -> None:
        if index is None or index == self.cursor:
            return
        old, self.cursor = self.cursor, index
        if old is not None:
            self.refresh_line(old)
        self.refresh_line(index)
        self._reveal_cursor()
        self.post_message(self.Highlighted(self, self.highlighted_item))

    def reveal_from(self, cursor: int) -> int:
        """The first line to keep in view with the cursor's line (a heading above it, say)."""
        return cursor

    def _reveal_cursor(self) -> None:
        if self.cursor is None or not self.is_mounted:
            return
        top = self.reveal_from(self.cursor)
        self.scroll_to_region(
            Region(0, top, 1, self.cursor - top + 1), animate=False, force=True, immediate=True
        )

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
            self.move_to(self._nearest(min(len(self.items) - 1, self.cursor + page), 1))

    def action_page_up(self) -> None:
        if self.cursor is not None:
            page = max(1, self.scrollable_content_region.height - 1)
            self.move_to(self._nearest(max(0, self.cursor - page), -1))

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
