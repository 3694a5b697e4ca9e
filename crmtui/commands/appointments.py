"""`crmtui appointment …` and `crmtui agenda`: visits, calls and meetings at a time of day, and
the day's schedule (拜访计划) from a shell."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmtui.commands._common import Parser, named_customer, named_day, open_context
from crmtui.i18n import _
from crmtui.output import console, emit_json, say
from crmtui.services.validation import APPOINTMENT_KINDS, PURPOSES

if TYPE_CHECKING:
    from argparse import Namespace

    from rich.text import Text

    from crmtui.commands._common import Handler, Subparsers
    from crmtui.services.appointment_views import AppointmentView
    from crmtui.services.context import Context

# Handlers import their services as they run: registering these commands (`crmtui --help`
# registers every module) loads no storage.


def register(subparsers: Subparsers, common: Parser) -> None:
    top = subparsers.add_parser(
        "appointment", parents=[common], help=_("visits, calls and meetings at a time (拜访计划)")
    )
    actions = top.add_subparsers(
        dest="action", metavar="ACTION", parser_class=Parser, required=True
    )

    def action(name: str, handler: Handler, help_text: str) -> Parser:
        p = actions.add_parser(name, parents=[common], help=help_text)
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=handler)
        return p

    p = action("add", cmd_add, _("book a visit, call or meeting with a customer"))
    p.add_argument("customer", help=_("id or unambiguous name"))
    p.add_argument(
        "--at",
        required=True,
        metavar="WHEN",
        help=_("when: 'tomorrow 10:00', 'fri 15:30', '2026-12-01 09:30', +2h"),
    )
    p.add_argument("--minutes", metavar="N", help=_("how long (default 60; 90 or 1h 30m)"))
    p.add_argument("--kind", choices=APPOINTMENT_KINDS, default="visit")
    p.add_argument(
        "--purpose",
        choices=PURPOSES,
        help=_("why: revenue, retain, relationship, information or develop"),
    )
    p.add_argument("--place", default="", metavar="TEXT", help=_("where"))
    p.add_argument("--prep", default="", metavar="TEXT", help=_("what to prepare"))
    p.add_argument("--contact", metavar="NAME", help=_("the contact to meet (联系人)"))
    p.add_argument(
        "--past", action="store_true", help=_("record one already held, to log what happened")
    )

    p = action("list", cmd_list, _("a day's appointments with their ids (default today)"))
    p.add_argument("--date", metavar="D", help=_("the day to list (default today)"))

    p = action("move", cmd_move, _("move a planned appointment to another time"))
    p.add_argument("id")
    p.add_argument("--at", required=True, metavar="WHEN", help=_("the new time"))
    p.add_argument("--minutes", metavar="N", help=_("a new length"))

    p = action("cancel", cmd_cancel, _("cancel a planned appointment"))
    p.add_argument("id")

    p = subparsers.add_parser(
        "agenda",
        parents=[common],
        help=_("the day's schedule: appointments with their purpose and preparation"),
    )
    p.add_argument(
        "--date", metavar="D", help=_("the day (default today; tomorrow for the evening's plan)")
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_agenda)


def _ctx(args: Namespace) -> Context:
    return open_context(args)


def _confirm(ctx: Context, verb: str, view: AppointmentView) -> None:
    """The appointment in one line, in the user's zone: '#12: visit with 张三, Tue 2026-11-24
    10:00–11:00'."""
    # when run: building the parser must not load what this command uses
    from crmtui.labels import label, weekday_name
    from crmtui.present.schedule import time_range

    local = view.starts_at.astimezone(ctx.zone)
    say(
        verb.format(
            id=view.id,
            kind=label("appointment_kind", view.kind),
            name=view.customer,
            day=f"{weekday_name(local.date())} {local.date().isoformat()}",
            time=time_range(view, ctx.zone),
        )
    )


def cmd_add(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.appointments import add_appointment

    ctx = _ctx(args)
    customer = named_customer(ctx, args.customer)
    row = add_appointment(
        ctx,
        customer.id,
        at=args.at,
        minutes=args.minutes,
        kind=args.kind,
        purpose=args.purpose,
        place=args.place,
        prep=args.prep,
        contact=args.contact,
        past=args.past,
    )
    if args.json:
        emit_json(row)
    else:
        _confirm(ctx, _("Appointment #{id}: {kind} with {name}, {day} {time}"), row)
    return 0


def cmd_move(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.appointments import move_appointment

    ctx = _ctx(args)
    row = move_appointment(ctx, args.id, at=args.at, minutes=args.minutes)
    if args.json:
        emit_json(row)
    else:
        _confirm(ctx, _("Appointment #{id} moved: {kind} with {name}, {day} {time}"), row)
    return 0


def cmd_cancel(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.appointments import cancel_appointment

    ctx = _ctx(args)
    row = cancel_appointment(ctx, args.id)
    if args.json:
        emit_json(row)
    else:
        _confirm(ctx, _("Appointment #{id} cancelled: {kind} with {name}, {day} {time}"), row)
    return 0


def cmd_list(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.present.schedule import empty_schedule, list_lines, schedule_title
    from crmtui.services.appointment_views import schedule

    ctx = _ctx(args)
    day = named_day(ctx, args.date)
    views = schedule(ctx, day, cancelled=True)
    if args.json:
        emit_json([view.to_json() for view in views])
        return 0
    _print(
        views and schedule_title(day, len(views)) or empty_schedule(day),
        list_lines(views, ctx.zone, console().width),
    )
    return 0


def cmd_agenda(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.present.schedule import agenda_lines, empty_schedule, schedule_title
    from crmtui.services.appointment_views import schedule

    ctx = _ctx(args)
    day = named_day(ctx, args.date)
    views = schedule(ctx, day)
    if args.json:
        emit_json([view.to_json() for view in views])
        return 0
    _print(
        views and schedule_title(day, len(views)) or empty_schedule(day),
        agenda_lines(views, ctx.zone, console().width),
    )
    return 0


def _print(title: str, lines: list[Text]) -> None:
    # when run: building the parser must not load what this command uses
    from rich.text import Text

    out = console()
    out.print(Text(title, style="bold"))
    if lines:
        body = Text(no_wrap=True, overflow="crop")
        for line in lines:
            body.append_text(line)
            body.append("\n")
        body.rstrip()
        out.print(body)
