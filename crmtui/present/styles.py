"""The colours that carry meaning, the same on the command line and in the app: one per grade,
per service-level state and per severity. Plain ANSI colours, so a 16-colour terminal keeps
them apart (the app maps them to truecolor with ANSI_THEME, chosen so that each still falls on
its own colour of the 16 when a terminal has no more). Colour never carries meaning alone: a
grade is its letter, a late clock says late and an at-risk one is marked !, an overdue day is
marked !; with NO_COLOR the colours give way to bold and reverse (`without_colour`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmtui.i18n import _

if TYPE_CHECKING:
    from rich.terminal_theme import TerminalTheme
    from rich.text import Text

GRADE_STYLES = {
    "A": "bold red",
    "B": "bright_yellow",
    "C": "yellow",
    "D": "cyan",
    "E": "bright_black",
}
SLA_STYLES = {"ok": "green", "at_risk": "yellow", "breached": "bold red"}
"""A complaint clock's state: within target, at risk (≤ 25% of the window left), late."""
SEVERITY_STYLES = {"critical": "bold red", "high": "bright_yellow"}

AT_RISK_MARK = "!"
"""Before the time left of a clock at risk, so the state reads without its colour."""
OVERDUE_MARK = "!"
"""After a day that has passed (a follow-up or a next due late), for the same reason."""


DAY_STYLES = {"overdue": "bold red"}
"""A day that has passed: a follow-up, a next due, a promise."""

SCHEDULE_STYLES = {"missed": "bold red", "done": "green", "purpose": "cyan"}
"""An appointment: missed (its time over, not logged), done (logged), and its purpose."""

_COLOURED = (
    dict(GRADE_STYLES),
    dict(SLA_STYLES),
    dict(SEVERITY_STYLES),
    dict(DAY_STYLES),
    dict(SCHEDULE_STYLES),
)
_UNCOLOURED = (
    {"A": "bold reverse", "B": "bold", "C": "", "D": "", "E": ""},
    {"ok": "", "at_risk": "bold", "breached": "bold reverse"},
    {"critical": "bold reverse", "high": "bold"},
    {"overdue": "bold"},
    {"missed": "bold reverse", "done": "bold", "purpose": ""},
)


def use_colour(colour: bool) -> None:
    """With NO_COLOR (colour False) the meaning styles become bold and reverse, which read on
    any terminal; the marks and words carry the rest."""
    for styles, chosen in zip(
        (GRADE_STYLES, SLA_STYLES, SEVERITY_STYLES, DAY_STYLES, SCHEDULE_STYLES),
        _COLOURED if colour else _UNCOLOURED,
        strict=True,
    ):
        styles.clear()
        styles.update(chosen)


def overdue_style(overdue: bool = True) -> str:
    """The style of a day that has passed ('' for one that has not)."""
    return DAY_STYLES["overdue"] if overdue else ""


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
    # on first use: rich loads only once something is printed or drawn
    from rich.text import Text

    text = Text()
    text.append(f" {grade or '-'} ", style=f"reverse {grade_style(grade)}".strip())
    if pinned:
        text.append(" " + _("pinned"), style="dim")
    return text


def severity_style(severity: str) -> str:
    return SEVERITY_STYLES.get(severity, "")


def ansi_theme() -> TerminalTheme:
    """How the app shows the ANSI colours above in truecolor: each near one of the 16, so a
    16-colour terminal (TERM=linux) still shows red, yellow and bright yellow apart (Textual's
    default maps yellow to orange, which such a terminal shows as red)."""
    # on first use: rich loads only once something is printed or drawn
    from rich.terminal_theme import TerminalTheme

    return TerminalTheme(
        (28, 28, 28),
        (208, 208, 208),
        [
            (38, 38, 38),
            (255, 95, 95),
            (95, 215, 95),
            (215, 175, 0),
            (95, 135, 215),
            (215, 95, 215),
            (95, 215, 215),
            (208, 208, 208),
        ],
        [
            (138, 138, 138),
            (255, 95, 95),
            (135, 255, 135),
            (255, 215, 95),
            (135, 175, 255),
            (255, 135, 255),
            (135, 255, 255),
            (255, 255, 255),
        ],
    )
