"""The manager's instructions and what customers owe, as the command line and the app show
them (written once here)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, tzinfo
from typing import TYPE_CHECKING

from crmtui.i18n import _
from crmtui.labels import label
from crmtui.present.text import plain
from crmtui.present.time import days_span, short_day

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

    from crmtui.services.instructions import InstructionRow

STATE_STYLES = {"open": "", "late": "bold red", "done": "green"}


def instruction_state_text(row: InstructionRow, today: date) -> str:
    """'late by 3d', 'done 11-20', 'open' …: where an instruction stands, in words."""
    state = row.state.value
    if state == "late":
        return _("late by {span}").format(span=days_span(row.overdue_days))
    if state == "done":
        words = _("done {day}").format(day=short_day(row.done_on, today))
        if row.overdue_days:
            words += " (" + _("{span} late").format(span=days_span(row.overdue_days)) + ")"
        return words
    return label("instruction", state)


def instruction_table(
    rows: Iterable[InstructionRow], zone: tzinfo, today: date, *, recipient: bool = True
) -> Table:
    """The instructions as a table: id, due day, state, customer, (to whom), what, who gave it,
    and the note of those done."""
    # on first use: rich loads only once something is printed or drawn
    from rich.table import Table

    table = Table(show_edge=False)
    table.add_column("#", justify="right")
    table.add_column(_("Due"), no_wrap=True)
    table.add_column(_("State"), no_wrap=True)
    table.add_column(_("Customer"), overflow="ellipsis", max_width=18)
    if recipient:
        table.add_column(_("To"), overflow="ellipsis", max_width=12)
    table.add_column(_("Instruction"), overflow="fold")
    table.add_column(_("From"), overflow="ellipsis", max_width=12)
    table.add_column(_("Note"), overflow="fold")
    for row in rows:
        cells: list[str | Text] = [
            str(row.id),
            short_day(row.due, today),
            plain(instruction_state_text(row, today), STATE_STYLES[row.state.value]),
            plain(row.customer),
        ]
        if recipient:
            cells.append(plain(row.to))
        cells += [plain(row.text), plain(row.by), plain(row.note)]
        table.add_row(*cells)
    return table
