"""Text fitted into terminal cells, where a wide (CJK) character counts two: shared by the
screens and the command line's plain tables. What they fit is stored text, so it comes out
without control characters too (`crmtui.plaintext`)."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

from crmtui.plaintext import strip_controls

ELLIPSIS = "…"


def fit(text: str, width: int) -> str:
    """`text` cut or padded to exactly `width` terminal cells (a wide character counts two)."""
    text = " ".join(strip_controls(text or "").split())
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    # A wide character cut in half leaves a space; drop it so the ellipsis follows the text.
    return set_cell_size(set_cell_size(text, width - 1).rstrip() + ELLIPSIS, width)


def clip(text: str, width: int) -> str:
    """`text` cut to at most `width` cells, not padded."""
    text = " ".join(strip_controls(text or "").split())
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)).rstrip() + ELLIPSIS
