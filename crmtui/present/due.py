"""The due list as lines of text, the same on the command line (`crmtui due`) and on Today: one
line per item under a heading per section, columns cut to terminal cells so Chinese names line
up with Latin ones. The items' words (`detail`) are the services' (they are part of the JSON)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from crmtui.cells import fit
from crmtui.i18n import _, pgettext
from crmtui.labels import label
from crmtui.present.styles import OVERDUE_MARK, grade_style, overdue_style
from crmtui.present.text import safe
from crmtui.present.time import days_span, short_day
from crmtui.rules import DueItem, DueKind, Value

if TYPE_CHECKING:
    from rich.text import Text


def sections(items: Iterable[DueItem]) -> dict[DueKind, list[DueItem]]:
    """The items by kind, in the order the rules gave them."""
    found: dict[DueKind, list[DueItem]] = {}
    for item in items:
        found.setdefault(item.kind, []).append(item)
    return found


def coming_up_line(item: DueItem, today: date) -> Text:
    """A follow-up after the day shown, for a day with nothing due: when, who, why."""
    from rich.text import Text  # here: plain lines for a pipe need no rich

    grade = item.grade.value if item.grade else "-"
    text = Text("  " + fit(short_day(item.due, today), 5) + "  ")
    text.append(fit(item.customer, 16) + "  ")
    text.append(grade, style=grade_style(grade))
    text.append("  " + fit(item.company, 20) + "  ", style="dim")
    text.append(safe(item.detail))
    return text


def item_detail(item: DueItem, today: date, *, owner: bool = True) -> Text:
    """One due item whole, for the line under the list: who, why in full, when, whose."""
    from rich.text import Text  # here: plain lines for a pipe need no rich

    text = Text()
    text.append(safe(item.customer), style="bold")
    if item.company:
        text.append(" · " + safe(item.company))
    if item.grade is not None:
        text.append(" · ")
        text.append(
            _("grade {grade}").format(grade=item.grade.value), style=grade_style(item.grade.value)
        )
    text.append(" · " + label("due_section", item.kind) + " · ")
    due = pgettext("due item", "due {day}").format(day=item.due.isoformat())
    if item.overdue_days:
        due += " (" + _("{span} late").format(span=days_span(item.overdue_days)) + ")"
    text.append(due, style="bold" if item.overdue_days else "")
    text.append("\n" + safe(item.detail))
    if owner and item.owner:
        text.append(" · " + _("owner {name}").format(name=safe(item.owner)), style="dim")
    return text


def section_heading(kind: DueKind, count: int) -> str:
    """'Follow-ups due (12)'."""
    return f"{label('due_section', kind)} ({count})"


class DueColumns(Value):
    """Cell widths of the due list's columns for one terminal width."""

    __slots__ = ("customer", "company", "due", "why", "owner")
    customer: int
    company: int
    due: int
    why: int
    owner: int

    GAP: ClassVar[int] = 2

    def __init__(self, customer: int, company: int, due: int, why: int, owner: int) -> None:
        super().__init__(customer=customer, company=company, due=due, why=why, owner=owner)

    @classmethod
    def for_width(cls, width: int, *, owner: bool) -> DueColumns:
        wide = width >= 110
        customer = 18 if wide else 14
        company = 24 if wide else 16
        owner_width = (12 if wide else 9) if owner else 0
        fixed = customer + company + 1 + 6 + owner_width
        gaps = cls.GAP * (5 if owner else 4) + 1
        why = max(12, width - fixed - gaps)
        return cls(customer=customer, company=company, due=6, why=why, owner=owner_width)

    @property
    def width(self) -> int:
        """The cells every line takes: the terminal's width, or more when it is too narrow for
        the columns' least widths."""
        return (
            1
            + self.customer
            + self.company
            + 1
            + self.due
            + self.why
            + self.GAP * 4
            + (self.GAP + self.owner if self.owner else 0)
        )

    def header(self) -> Text:
        from rich.text import Text  # here: plain lines for a pipe need no rich

        text = Text(" ")
        text.append(fit(_("Customer"), self.customer) + "  ")
        text.append(fit(_("Company"), self.company) + "  ")
        text.append("G  ")
        text.append(fit(_("Due"), self.due) + "  ")
        text.append(fit(_("Why"), self.why))
        if self.owner:
            text.append("  " + fit(_("Owner"), self.owner))
        return text

    def pieces(self, item: DueItem, today: date) -> list[tuple[str, str]]:
        """A line's (text, style) pieces: `line` is them in a Text, `plain_line` their text."""
        grade = item.grade.value if item.grade is not None else "-"
        day = short_day(item.due, today)
        if len(day) > 5:  # a day of another year: its year, rather than a cut "2025-…"
            day = str(item.due.year)
        day += OVERDUE_MARK if item.overdue_days else ""
        pieces = [
            (" " + fit(item.customer, self.customer) + "  ", ""),
            (fit(item.company, self.company) + "  ", "dim"),
            (grade, grade_style(grade)),
            ("  ", ""),
            (fit(day, self.due) + "  ", overdue_style(bool(item.overdue_days))),
            (fit(item.detail, self.why), ""),
        ]
        if self.owner:
            pieces.append(("  " + fit(item.owner, self.owner), "dim"))
        return pieces

    def line(self, item: DueItem, today: date) -> Text:
        from rich.text import Text  # here: plain lines for a pipe need no rich

        return Text.assemble(*self.pieces(item, today))

    def plain_line(self, item: DueItem, today: date) -> str:
        """The line's text alone, for output that is not a terminal (no styles to write)."""
        return "".join([text for text, _style in self.pieces(item, today)])
