"""Text fitted into terminal cells, where a wide (CJK) character counts two: shared by the
screens and the command line's plain tables. What they fit is stored text, so it comes out
without control characters too (`crmtui.plaintext`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmtui.plaintext import strip_controls
from crmtui.present import Memo

if TYPE_CHECKING:
    from types import ModuleType

ELLIPSIS = "…"


def _rich_cells() -> ModuleType:
    """rich's cell rules, loaded for the first text that is not all printable ASCII (a plain
    `crmtui due` into a pipe need not load rich for a list of Latin names)."""
    from rich import cells

    return cells


_CELLS: Memo[str, int] = Memo(lambda character: _rich_cells().get_character_cell_size(character))
"""Each character's cells, as rich counts them, looked up in C once known (rich sums a
generator over the characters of every text that is not all Latin)."""


def cell_len(text: str) -> int:
    """The terminal cells `text` takes, as rich's `cell_len` counts them."""
    if text.isascii() and text.isprintable():
        return len(text)
    if "\u200d" in text or "\ufe0f" in text:  # joined characters: rich's own rules
        length: int = _rich_cells().cell_len(text)
        return length
    return sum(map(_CELLS.__getitem__, text))


def fit(text: str, width: int) -> str:
    """`text` cut or padded to exactly `width` terminal cells (a wide character counts two)."""
    text = " ".join(strip_controls(text or "").split())
    if width <= 0:
        return ""
    cells = cell_len(text)
    if cells <= width:
        return text + " " * (width - cells)
    if text.isascii() and text.isprintable():  # a cell a character: cut by slicing
        cut = text[: width - 1].rstrip()
        return cut + ELLIPSIS + " " * (width - 1 - len(cut))
    rich = _rich_cells()
    # A wide character cut in half leaves a space; drop it so the ellipsis follows the text.
    cut = rich.set_cell_size(text, width - 1).rstrip()
    fitted: str = rich.set_cell_size(cut + ELLIPSIS, width)
    return fitted


def clip(text: str, width: int) -> str:
    """`text` cut to at most `width` cells, not padded."""
    text = " ".join(strip_controls(text or "").split())
    if cell_len(text) <= width:
        return text
    if text.isascii() and text.isprintable():
        return text[: max(0, width - 1)].rstrip() + ELLIPSIS
    cut: str = _rich_cells().set_cell_size(text, max(0, width - 1))
    return cut.rstrip() + ELLIPSIS
