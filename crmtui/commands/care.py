"""Keeping in touch: holiday greetings, snoozing a follow-up, care dates and promises."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmtui.commands._common import named_customer, named_day, open_context
from crmtui.errors import InvalidInput
from crmtui.i18n import _
from crmtui.labels import label
from crmtui.output import console, emit_json, say
from crmtui.present.styles import grade_style
from crmtui.present.text import plain

if TYPE_CHECKING:
    from argparse import Namespace

    from crmtui.commands._common import Parser, Subparsers


def register(subparsers: Subparsers, common: Parser) -> None:
    p = subparsers.add_parser(
        "greetings",
        parents=[common],
        help=_("who to greet before the holidays coming up (节日问候)"),
    )
    p.add_argument("--date", metavar="D", help=_("the day to list (default today)"))
    p.add_argument("--all", action="store_true", help=_("everyone's customers (managers)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_greetings)

    p = subparsers.add_parser("snooze", parents=[common], help=_("move a follow-up to a later day"))
    p.add_argument("customer")
    p.add_argument("until", metavar="D")
    p.set_defaults(handler=cmd_snooze)

    p = subparsers.add_parser("care", parents=[common], help=_("add a birthday or other care date"))
    p.add_argument("customer")
    p.add_argument("date", metavar="MM-DD", help=_("month-day, e.g. 03-15 (lunar with --lunar)"))
    p.add_argument("--kind", default="birthday", choices=("birthday", "anniversary", "other"))
    p.add_argument("--year", help=_("year of birth, if known"))
    p.add_argument("--lunar", action="store_true", help=_("a Chinese lunar date (农历)"))
    p.add_argument("--leap", action="store_true", help=_("in a lunar leap month (闰月)"))
    p.add_argument("--note", default="")
    p.set_defaults(handler=cmd_care)

    p = subparsers.add_parser("promise", parents=[common], help=_("record or close a promise"))
    p.add_argument("customer", nargs="?", help=_("customer (to add a promise)"))
    p.add_argument("text", nargs="?")
    p.add_argument("--due", metavar="D")
    p.add_argument("--done", metavar="ID", type=int, help=_("mark promise ID kept"))
    p.add_argument("--broken", metavar="ID", type=int, help=_("mark promise ID broken"))
    p.set_defaults(handler=cmd_promise)


def cmd_greetings(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.rules import DueKind
    from crmtui.services.due import due_list
    from crmtui.services.greetings import upcoming_holidays

    ctx = open_context(args)
    day = named_day(ctx, args.date)
    everyone = args.all and ctx.role in ("manager", "support")
    items = due_list(ctx, day, everyone=everyone, kinds={DueKind.GREETING})
    if args.json:
        emit_json([item.to_json() for item in items])
        return 0
    out = console()
    if not ctx.config.greetings.holidays:
        out.print(
            _(
                "No holidays are set for greetings: add [greetings] holidays = "
                '["Spring Festival", "Mid-Autumn Festival"] to the config file.'
            ),
            markup=False,
        )
        return 0
    from crmtui.festivals import shown_name

    coming = upcoming_holidays(ctx, day)
    if not coming:
        out.print(
            _("No holiday for greetings within {n} days of {day}.").format(
                n=ctx.config.greetings.lead_days, day=day.isoformat()
            )
        )
        return 0
    from rich.table import Table
    from rich.text import Text

    for holiday in coming:
        section = [item for item in items if item.due == holiday.day]
        heading = Text()
        heading.append(plain(shown_name(holiday), "bold underline"))
        heading.append(f" {holiday.day.isoformat()} " + _("({n} to greet)").format(n=len(section)))
        out.print(heading)
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, width=16, overflow="ellipsis")
        table.add_column(no_wrap=True, width=20, overflow="ellipsis")
        table.add_column(width=1)
        if everyone:
            table.add_column(no_wrap=True, max_width=12, overflow="ellipsis")
        for item in section:
            grade = item.grade.value if item.grade else ""
            row = [plain(item.customer), plain(item.company), plain(grade, grade_style(grade))]
            if everyone:
                row.append(plain(item.owner))
            table.add_row(*row)
        out.print(table)
    return 0


def cmd_snooze(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.customers import snooze

    ctx = open_context(args)
    customer = snooze(ctx, named_customer(ctx, args.customer).id, args.until)
    say(_("{name}: next due {due}").format(name=customer.name, due=customer.next_due))
    return 0


def cmd_care(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.interactions import add_care_date

    ctx = open_context(args)
    customer = named_customer(ctx, args.customer)
    text = args.date.strip().lstrip("-")
    parts = text.replace("/", "-").split("-")
    if len(parts) != 2:
        raise InvalidInput.one("date", _("'{text}' is not MM-DD").format(text=args.date))
    care = add_care_date(
        ctx,
        customer.id,
        month=parts[0],
        day=parts[1],
        kind=args.kind,
        year=args.year,
        lunar=args.lunar,
        leap=args.leap,
        note=args.note,
    )
    say(_("Care date #{id} added for {name}").format(id=care.id, name=customer.name))
    return 0


def cmd_promise(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.interactions import add_promise, close_promise

    ctx = open_context(args)
    if args.done or args.broken:
        promise = close_promise(ctx, args.done or args.broken, "done" if args.done else "broken")
        say(
            _("Promise #{id} marked {status}").format(
                id=promise.id, status=label("promise", promise.status)
            )
        )
        return 0
    if not args.customer or not args.text:
        raise InvalidInput.one("promise", _("give a customer and what was promised, with --due"))
    customer = named_customer(ctx, args.customer)
    made = add_promise(ctx, customer.id, args.text, args.due)
    say(
        _("Promise #{id} for {name}, due {due}").format(
            id=made.id, name=customer.name, due=made.due
        )
    )
    return 0
