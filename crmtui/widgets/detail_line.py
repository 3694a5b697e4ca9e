"""The line under a list that shows the highlighted row whole: the columns above cut long text
(a summary, the reason an item is due) to fit 80 columns; here it wraps, up to four lines."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from crmtui.present.text import plain


def row_text(cells) -> Text:
    """A table row's cells uncut, one after another (stored text shown as text)."""
    text = Text()
    for cell in cells:
        part = cell if isinstance(cell, Text) else plain(cell)
        if not part.plain.strip():
            continue
        if text.plain:
            text.append(" · ")
        text.append_text(part)
    return text


class DetailLine(Static):
    DEFAULT_CSS = """
    DetailLine {
        height: auto;
        max-height: 4;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    DetailLine.-empty {
        display: none;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False, classes="-empty")

    def show(self, detail: Text | str | None) -> None:
        """The highlighted row's whole text (stored text shown as text), or nothing."""
        if detail is None or (isinstance(detail, str) and not detail):
            self.update("")
            self.add_class("-empty")
            return
        showing, height = not self.has_class("-empty"), self.size.height
        self.update(
            plain(detail, multiline=True) if isinstance(detail, str) else detail, layout=False
        )
        self.remove_class("-empty")
        # the screen's layout is worked out again only when the number of lines changes: every
        # cursor move shows a new row here, and most rows take as many lines as the last
        if showing and self._lines() != height:
            self.refresh(layout=True)

    def _lines(self) -> int:
        """The lines the text now shown takes at the line's width (at most max-height)."""
        lines = self.get_content_height(self.size, self.app.size, self.content_size.width)
        limit = self.styles.max_height
        return min(lines, int(limit.value)) if limit is not None else lines
