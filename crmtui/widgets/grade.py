"""One colour per grade, the same everywhere (it mirrors the command line's GRADE_STYLES)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from crmtui.i18n import _
from crmtui.output import GRADE_STYLES


def grade_style(grade: str | None) -> str:
    """The grade's colour, the same as the command line's."""
    return GRADE_STYLES.get(grade or "", "")


def grade_text(grade: str | None, *, pinned: bool = False) -> Text:
    """The grade letter in its colour; a pinned grade carries a mark."""
    text = Text()
    text.append(grade or "-", style=grade_style(grade))
    if pinned:
        text.append("*", style="dim")
    return text


def grade_badge(grade: str | None, *, pinned: bool = False) -> Text:
    """A block badge for headers: the letter on its colour."""
    text = Text()
    text.append(f" {grade or '-'} ", style=f"reverse {grade_style(grade)}".strip())
    if pinned:
        text.append(" " + _("pinned"), style="dim")
    return text


class GradeBadge(Static):
    """The grade letter on its colour, with a pinned mark."""

    DEFAULT_CSS = """
    GradeBadge {
        width: auto;
        height: 1;
    }
    """

    grade: reactive[str] = reactive("", layout=True)
    pinned: reactive[bool] = reactive(False, layout=True)

    def render(self) -> Text:
        return grade_badge(self.grade or None, pinned=self.pinned)
