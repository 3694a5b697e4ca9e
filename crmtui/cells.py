"""Text fitted into terminal cells, where a wide (CJK) character counts two: shared by the
screens and the command line's plain tables. What they fit is stored text, so it comes out
without control characters too (`crmtui.plaintext`)."""

from __future__ import annotations

from rich.cells import cell_len as rich_cell_len, get_character_cell_size, set_cell_size

from crmtui.plaintext import strip_controls
from crmtui.present import Memo

ELLIPSIS = "…"

_CELLS: Memo[str, int] = Memo(get_character_cell_size)
"""Each character's cells, as rich counts them, looked up in C once known (rich sums a
generator over the characters of every text that is not all Latin)."""


def cell_len(text: str) -> int:
    """The terminal cells `text` takes, as rich's `cell_len` counts them."""
    if text.isascii() and text.isprintable():
        return len(text)
    if "\u200d" in text or "\ufe0f" in text:  # joined characters: rich's own rules
        return rich_cell_len(text)
    return sum(map(_CELLS.__getitem__, text))


def fit(text: str, width: int) -> str:
    """`text` cut or padded to exactly `width` terminal cells (a wide character counts two)."""
    text = " ".join(strip_controls(text or "").split())
    if width <= 0:
        return ""
    cells = cell_len(text)
    if cells <= width:
        return text + " " * (width - cells)
    # A wide character cut in half leaves a space; drop it so the ellipsis follows the text.
    return set_cell_size(set_cell_size(text, width - 1).rstrip() + ELLIPSIS, width)


def clip(text: str, width: int) -> str:
    """`text` cut to at most `width` cells, not padded."""
    text = " ".join(strip_controls(text or "").split())
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)).rstrip() + ELLIPSIS
