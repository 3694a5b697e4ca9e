"""Charts drawn with block characters, as Rich renderables that fit the width they are given
(a panel's width at 80 columns or in a wide terminal): rows of text and bars, and a column chart.
Styles are plain Rich colours, so they read in a 16-colour terminal too."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from crmtui.present.numbers import bar

EIGHTHS = " ▁▂▃▄▅▆▇█"
"""A column's top cell, by how many eighths of it are filled."""


@dataclass(frozen=True)
class Bar:
    """A cell of BarRows drawn as a bar: `share` 0..1 of the bar column's width."""

    share: float | None
    style: str = ""


Cell = str | Text | Bar


class BarRows:
    """Rows of text cells and bars, one line each. Text columns are as wide as their widest
    cell; the bar columns share what is left, at most `max_bar` cells each. `right` lists the
    text columns aligned to the right (numbers)."""

    def __init__(
        self,
        rows: Iterable[Sequence[Cell]],
        *,
        header: Sequence[str] | None = None,
        right: Iterable[int] = (),
        max_bar: int = 40,
        min_bar: int = 4,
    ) -> None:
        self.rows = [list(row) for row in rows]
        self.header = list(header) if header is not None else None
        self.right = set(right)
        self.max_bar = max_bar
        self.min_bar = min_bar

    def _layout(self, width: int) -> tuple[list[int], set[int]]:
        columns = max((len(row) for row in self.rows), default=0)
        bars = {i for row in self.rows for i, cell in enumerate(row) if isinstance(cell, Bar)}
        widths = [0] * columns
        for row in self.rows + ([self.header] if self.header else []):
            for i, cell in enumerate(row):
                if i not in bars and i < columns:
                    widths[i] = max(widths[i], cell_len(_plain(cell)))
        if bars:
            room = width - sum(widths) - (columns - 1)
            each = max(self.min_bar, min(self.max_bar, room // len(bars)))
            for i in bars:
                widths[i] = each
        return widths, bars

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths, bars = self._layout(options.max_width)
        lines = []
        if self.header:
            header = Text(style="bold")
            for i, (title, width) in enumerate(zip(self.header, widths, strict=False)):
                if i:
                    header.append(" ")
                header.append(_padded(Text(title), width, i in self.right))
            lines.append(header)
        for row in self.rows:
            line = Text()
            for i, (cell, width) in enumerate(zip(row, widths, strict=False)):
                if i:
                    line.append(" ")
                if isinstance(cell, Bar):
                    drawn = bar(cell.share or 0.0, width)
                    line.append(drawn, style=cell.style)
                    line.append(" " * (width - cell_len(drawn)))
                else:
                    text = cell if isinstance(cell, Text) else Text(str(cell))
                    line.append(_padded(text, width, i in self.right))
            lines.append(line)
        for line in lines:
            line.no_wrap = True
            line.overflow = "ellipsis"
            line.truncate(options.max_width, overflow="ellipsis")
            yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widths, bars = self._layout(options.max_width)
        least = sum(w for i, w in enumerate(widths) if i not in bars) + len(widths) - 1
        return Measurement(
            min(least + self.min_bar * len(bars), options.max_width), options.max_width
        )


class ColumnChart:
    """Values 0..1 as columns rising from a baseline, `height` lines tall, with the scale on the
    left and a caption under the baseline. The first `highlight` columns take `style`, the rest
    `rest_style`, and the baseline marks where they end (┴), for terminals without colour."""

    def __init__(
        self,
        values: Sequence[float],
        *,
        height: int = 5,
        highlight: int = 0,
        style: str = "green",
        rest_style: str = "dim",
        caption: str = "",
    ) -> None:
        self.values = list(values)
        self.height = height
        self.highlight = highlight
        self.style = style
        self.rest_style = rest_style
        self.caption = caption

    AXIS = 5  # "100% ┤"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        count = len(self.values)
        if not count:
            return
        room = max(count, options.max_width - self.AXIS - 1)
        column = max(1, min(4, room // count))
        for level in range(self.height - 1, -1, -1):
            line = Text(no_wrap=True, overflow="crop")
            label = "100%" if level == self.height - 1 else ""
            line.append(f"{label:>4} " + ("┤" if label else "│"), style="dim")
            for index, value in enumerate(self.values):
                filled = round(max(0.0, min(1.0, value)) * self.height * 8) - level * 8
                glyph = EIGHTHS[max(0, min(8, filled))]
                line.append(
                    glyph * column, style=self.style if index < self.highlight else self.rest_style
                )
            yield line
        axis = ["─"] * (column * count)
        if 0 < self.highlight < count:
            axis[column * self.highlight - 1] = "┴"  # where the highlighted columns end
        yield Text(f"{'0%':>4} └" + "".join(axis), style="dim", no_wrap=True, overflow="crop")
        if self.caption:
            caption = Text(" " * (self.AXIS + 1), no_wrap=True, overflow="ellipsis")
            caption.append(self.caption, style="dim")
            yield caption

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(
            min(self.AXIS + 1 + len(self.values), options.max_width), options.max_width
        )


def _plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def _padded(text: Text, width: int, right: bool) -> Text:
    text = text.copy()
    text.truncate(width, overflow="ellipsis")
    gap = width - text.cell_len
    if gap > 0:
        if right:
            text = Text(" " * gap) + text
        else:
            text.append(" " * gap)
    return text


__all__ = ["Bar", "BarRows", "ColumnChart"]
