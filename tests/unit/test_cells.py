"""Cells as rich counts them, read quicker: `cells.cell_len` is rich's `cell_len` for any text,
and `fit` gives what rich's `set_cell_size` gave it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len as rich_cell_len
from rich.cells import set_cell_size

from crmtui.cells import ELLIPSIS, cell_len, clip, fit
from crmtui.plaintext import strip_controls
from tests.hostile import HOSTILE

SAMPLES = ["", "Ann", "张伟", "Müller · café", "ｆｕｌｌ", "👍🏽", "👨\u200d👩\u200d👧", "❤\ufe0f", "\x1b[1m",
           "\u0301e", HOSTILE, "\u3000 wide space", "a\u00adb"]
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
latin = st.text(alphabet=st.sampled_from("ab Z.9-\t~"), max_size=30)
"""Printable ASCII with spaces to cut at, which fit and clip cut without rich."""


def fit_by_rich(text: str, width: int) -> str:
    """`fit` as it was written on rich's functions alone."""
    text = " ".join(strip_controls(text or "").split())
    if width <= 0:
        return ""
    if rich_cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(set_cell_size(text, width - 1).rstrip() + ELLIPSIS, width)


@given(st.one_of(texts, st.sampled_from(SAMPLES), st.lists(st.sampled_from(SAMPLES)).map("".join)))
def test_cells_are_richs(text):
    assert cell_len(text) == rich_cell_len(text)


def clip_by_rich(text: str, width: int) -> str:
    """`clip` as it was written on rich's functions alone."""
    text = " ".join(strip_controls(text or "").split())
    if rich_cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)).rstrip() + ELLIPSIS


@given(st.one_of(texts, latin, st.sampled_from(SAMPLES)), st.integers(-1, 40))
def test_fit_is_what_rich_gave(text, width):
    assert fit(text, width) == fit_by_rich(text, width)


@given(st.one_of(texts, latin, st.sampled_from(SAMPLES)), st.integers(-1, 40))
def test_clip_is_what_rich_gave(text, width):
    assert clip(text, width) == clip_by_rich(text, width)
