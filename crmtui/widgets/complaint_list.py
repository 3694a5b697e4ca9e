"""The complaints queue as a line-API list: one line per complaint, the time left to its running
deadline coloured by service-level state, then severity, status, customer, owner, the time
promised to the customer and the summary (words and colours of `crmtui.present.complaint`, the
command line's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from crmtui.cells import fit
from crmtui.i18n import N_, _, pgettext
from crmtui.present.complaint import (
    days_to_close,
    promise_passed,
    severity_word,
    sla_style,
    sla_words,
    status_word,
)
from crmtui.present.styles import OVERDUE_MARK, overdue_style, severity_style
from crmtui.present.time import short_moment
from crmtui.views.complaints import QueueRow
from crmtui.widgets.line_list import LineList


@dataclass(frozen=True)
class ComplaintColumns:
    """Cell widths of the queue's columns for one terminal width."""

    wide: bool
    id: int
    left: int
    severity: int
    status: int
    customer: int
    owner: int
    promised: int
    summary: int

    @classmethod
    def for_width(cls, width: int) -> ComplaintColumns:
        wide = width >= 110
        if wide:
            fixed = dict(id=5, left=14, severity=8, status=12, customer=16, owner=10, promised=12)
        else:
            fixed = dict(id=4, left=11, severity=4, status=8, customer=10, owner=7, promised=12)
        gaps = (2 if wide else 1) * len(fixed) + 1
        summary = max(8, width - sum(fixed.values()) - gaps)
        return cls(wide=wide, summary=summary, **fixed)

    @property
    def gap(self) -> str:
        return "  " if self.wide else " "

    def header(self) -> Text:
        cells = [
            ("#", self.id, True),
            (_("Left"), self.left, False),
            (_("Sev") if not self.wide else _("Severity"), self.severity, False),
            (_("Status"), self.status, False),
            (_("Customer"), self.customer, False),
            (_("Owner"), self.owner, False),
            (_("Promised"), self.promised, False),
            (_("Summary"), self.summary, False),
        ]
        text = Text(" ")
        for index, (heading, width, right) in enumerate(cells):
            if index:
                text.append(self.gap)
            text.append(heading.rjust(width) if right else fit(heading, width))
        return text

    def line(self, row: QueueRow, zone: tzinfo, today: date, now: datetime | None = None) -> Text:
        """One complaint; with `now`, a passed promise and a complaint to close are marked."""
        closed = row.sla.time_left is None
        # a stopped clock's row is dimmed, all but the clock, whose colour says late
        rest = "dim" if closed else ""
        text = Text(" ")
        gap = self.gap
        text.append(str(row.id).rjust(self.id), style="dim")
        text.append(gap)
        text.append(fit(sla_words(row.sla, self.left), self.left), style=sla_style(row.sla))
        text.append(gap)
        text.append(
            fit(severity_word(row.severity, short=not self.wide), self.severity),
            style=f"{rest} {severity_style(row.severity)}".strip(),
        )
        text.append(gap, style=rest)
        nudge = now is not None and days_to_close(row, today, zone) is not None
        status = status_word(row.status, short=not self.wide)
        if nudge:  # resolved days ago: to close (short: close!, to fit the column)
            status = pgettext("queue", "close") + "!" if not self.wide else status + "!"
        text.append(fit(status, self.status), style="bold" if nudge else rest)
        text.append(gap)
        text.append(fit(row.customer, self.customer), style=rest)
        text.append(gap)
        text.append(
            fit(row.owner or "-", self.owner), style="dim" if closed or not row.owner else ""
        )
        text.append(gap)
        passed = now is not None and promise_passed(row, now)
        promised = short_moment(row.promised_at, zone, today) + (OVERDUE_MARK if passed else "")
        text.append(fit(promised, self.promised), style=overdue_style() if passed else rest)
        text.append(gap)
        text.append(fit(row.summary, self.summary), style=rest)
        return text


class ComplaintList(LineList[QueueRow]):
    """The queue, most urgent first (the service's order); enter opens the complaint."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select",
            N_("Open"),
            id="complaint-open",
            tooltip=N_("the complaint, its timeline and the customer's contacts"),
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = ComplaintColumns.for_width(80)
        self.zone: tzinfo | None = None
        self.today: date | None = None
        self.now: datetime | None = None

    def show_rows(
        self,
        rows: list[QueueRow],
        *,
        zone: tzinfo,
        today: date,
        width: int,
        keep: int | None = None,
        now: datetime | None = None,
    ) -> None:
        """Replace the rows, keeping the cursor on complaint `keep` (or near it)."""
        self.columns = ComplaintColumns.for_width(width)
        self.zone, self.today, self.now = zone, today, now
        self.set_items(rows, width=width, keep=keep)

    def row_key(self, item: QueueRow) -> int:
        return item.id

    def line_text(self, index: int) -> Text:
        row = self.items[index]
        assert row is not None and self.zone is not None and self.today is not None  # set together
        return self.columns.line(row, self.zone, self.today, self.now)
