"""`crmtui due`: the day's due list for a shell, a script (--json) or a login banner
(--brief)."""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING

from crmtui.commands._common import named_day, open_context
from crmtui.i18n import _
from crmtui.loading import loaded
from crmtui.plaintext import strip_controls

if TYPE_CHECKING:
    from argparse import Namespace
    from collections.abc import Sequence
    from datetime import date

    from rich.console import Console

    from crmtui.commands._common import Parser, Subparsers
    from crmtui.present.due import DueColumns
    from crmtui.present.schedule import ShownAppointment
    from crmtui.rules import DueItem
    from crmtui.services.context import Context


def register(subparsers: Subparsers, common: Parser) -> None:
    p = subparsers.add_parser("due", parents=[common], help=_("today's due list"))
    p.add_argument("--date", metavar="D", help=_("the day to list (default today)"))
    p.add_argument("--all", action="store_true", help=_("everyone's items (managers)"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--brief", action="store_true", help=_("one line, for a login banner"))
    p.set_defaults(handler=cmd_due, says_when_loaded=True)


def cmd_due(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.grading import move_grades_if_due

    if args.brief:  # counts only: a login banner should not build the list
        from crmtui.services.due_brief import count_due
    elif args.json:
        from crmtui.output import emit_json_objects
        from crmtui.services.due import due_json
    else:
        from crmtui.services.due import due_list
    loaded()
    ctx = open_context(args)
    day = named_day(ctx, args.date)
    move_grades_if_due(ctx)
    everyone = args.all and ctx.role in ("manager", "support")
    if args.brief:
        print(str(count_due(ctx, day, everyone=everyone)))
    elif args.json:  # item by item as it is read: a manager's team has tens of thousands
        emit_json_objects(due_json(ctx, day, everyone=everyone))
    else:
        print_due(ctx, due_list(ctx, day, everyone=everyone), day, everyone)
    return 0


def print_due(ctx: Context, items: list[DueItem], day: date, everyone: bool) -> None:
    """The day's appointments, then the due list as Today draws it (`present.due`): aligned
    lines under section headings, the reason cut to the terminal's width (plain lines: a long
    list prints several times faster than through a rich Table)."""
    # when run: building the parser must not load what this command uses
    from crmtui.output import plain_width
    from crmtui.present.due import DueColumns

    title = _("Due on {day}").format(day=day.isoformat())
    views = _schedule(ctx, day, everyone)
    width = plain_width()
    if items and width is not None:  # no styles to write: no rich at all, when every line fits
        columns = DueColumns.for_width(width, owner=everyone)
        agenda = _plain_agenda(ctx, day, views, width, everyone)
        if columns.width <= width and agenda is not None:
            _write_plain(sys.stdout, title, columns, items, day, agenda)
            return
    from rich.text import Text

    from crmtui.output import console
    from crmtui.present.due import coming_up_line

    out = console()
    if views:
        _print_schedule(ctx, day, views, everyone, out)
    if not items:
        from crmtui.services.due import coming_up

        out.print(Text.assemble((title, "bold"), ": " + _("nothing due. Coming up:")))
        for item in coming_up(ctx, day, everyone=everyone):
            out.print(coming_up_line(item, day))
        return
    columns = DueColumns.for_width(out.width, owner=everyone)
    if out.color_system is None and columns.width <= out.width:
        # not a terminal: no styles to write, and every line fits, so the lines are written as
        # they are (rich's layout of a team's list takes several times longer than making it)
        _write_plain(out.file, title, columns, items, day)
    else:
        _print_styled(out, title, columns, items, day)


def _schedule(ctx: Context, day: date, everyone: bool) -> Sequence[ShownAppointment]:
    """The day's appointments Today shows above the due list."""
    # when run, and the schedule's reading on a day with appointments only
    from crmtui.services.due import any_appointment_on

    if not any_appointment_on(ctx, day):
        return []
    from crmtui.services.appointment_views import schedule

    return schedule(ctx, day, everyone=everyone)


def _plain_agenda(
    ctx: Context, day: date, views: Sequence[ShownAppointment], width: int, everyone: bool
) -> list[str] | None:
    """The schedule's lines above the due list as `_print_schedule` prints them with no styles
    (none on a day without appointments); None when a line is wider than `width`, which rich
    would wrap."""
    if not views:
        return []
    # when run: on a day with appointments only
    from crmtui.cells import cell_len
    from crmtui.present.schedule import agenda_plain, schedule_title

    lines = agenda_plain(views, ctx.zone, width, owner=everyone)
    if any(cell_len(line) > width for line in lines):
        return None
    return [schedule_title(day, len(views)), "\n".join(lines).rstrip(), ""]


def _print_styled(
    out: Console, title: str, columns: DueColumns, items: list[DueItem], day: date
) -> None:
    """The due list's title, headings and lines, styled by rich."""
    # when run: building the parser must not load what this command uses
    from rich.text import Text

    from crmtui.present.due import section_heading, sections

    out.print(Text(title, style="bold"))
    for kind, section in sections(items).items():
        out.print()
        out.print(Text(section_heading(kind, len(section)), style="bold underline"))
        lines = Text(no_wrap=True, overflow="crop")
        for item in section:
            lines.append_text(columns.line(item, day))
            lines.append("\n")
        lines.rstrip()
        if columns.width <= out.width:  # lines cut to the width: no wrapping to work out
            # (said here: printing joins the Text into one that forgets its own no_wrap)
            out.print(lines, no_wrap=True, overflow="crop")
        else:  # a terminal too narrow for the columns: their lines wrap
            out.print(lines)


def _write_plain(
    file: IO[str],
    title: str,
    columns: DueColumns,
    items: list[DueItem],
    day: date,
    agenda: list[str] | None = None,
) -> None:
    """The due list as `print_due` prints it, for output with no styles: the same text (after
    the schedule's lines, `_plain_agenda`, when given)."""
    # when run: building the parser must not load what this command uses
    from crmtui.present.due import section_heading, sections

    text = [*(agenda or []), title]
    for kind, section in sections(items).items():
        lines = "\n".join([columns.plain_line(item, day) for item in section])
        text += ["", section_heading(kind, len(section)), lines.rstrip()]
    written = "\n".join(text) + "\n"
    file.write(strip_controls(written, multiline=True))
    file.flush()


def _print_schedule(
    ctx: Context, day: date, views: Sequence[ShownAppointment], everyone: bool, out: Console
) -> None:
    """The day's appointments above the due list, as Today shows them."""
    # when run: plain output need not load rich
    from rich.text import Text

    from crmtui.present.schedule import agenda_lines, schedule_title

    out.print(Text(schedule_title(day, len(views)), style="bold"))
    lines = Text(no_wrap=True, overflow="crop")
    for line in agenda_lines(views, ctx.zone, out.width, owner=everyone):
        lines.append_text(line)
        lines.append("\n")
    lines.rstrip()
    out.print(lines)
    out.print()
