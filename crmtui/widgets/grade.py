"""The grade badge of a header: the letter on its colour, with a pinned mark (the colours are
`crmtui.present.styles`', the same on the command line)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from crmtui.present.styles import grade_badge


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
