"""The colours that carry meaning, the same on the command line and in the app: one per grade,
per service-level state and per severity. Plain Rich colours, so they read in a 16-colour
terminal too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmtui.i18n import _

if TYPE_CHECKING:
    from rich.text import Text

GRADE_STYLES = {"A": "bold red", "B": "dark_orange", "C": "yellow", "D": "cyan", "E": "grey50"}
SLA_STYLES = {"ok": "green", "at_risk": "yellow", "breached": "bold red"}
"""A complaint clock's state: within target, at risk (≤ 25% of the window left), late."""
SEVERITY_STYLES = {"critical": "bold red", "high": "dark_orange"}


def grade_style(grade: str | None) -> str:
    """The grade's colour ('' for none or an unknown letter)."""
    return GRADE_STYLES.get(grade or "", "")


def grade_text(grade: str | None, *, pinned: bool = False) -> Text:
    """The grade letter in its colour ('-' for none); a pinned grade carries a mark."""
    from rich.text import Text  # here: the command line imports the styles without rich

    text = Text()
    text.append(grade or "-", style=grade_style(grade))
    if pinned:
        text.append("*", style="dim")
    return text


def grade_badge(grade: str | None, *, pinned: bool = False) -> Text:
    """A block badge for headers: the letter on its colour."""
    from rich.text import Text

    text = Text()
    text.append(f" {grade or '-'} ", style=f"reverse {grade_style(grade)}".strip())
    if pinned:
        text.append(" " + _("pinned"), style="dim")
    return text


def severity_style(severity: str) -> str:
    return SEVERITY_STYLES.get(severity, "")
