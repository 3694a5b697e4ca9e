"""Daily work from the shell: due, add, log, show, grade, order, find, snooze, care, promise,
demo."""

from __future__ import annotations

import argparse
import sys

from crmtui.commands._common import open_context
from crmtui.i18n import _, explain
from crmtui.labels import label
from crmtui.output import console, emit_json, say
from crmtui.present.numbers import money
from crmtui.present.styles import grade_style
from crmtui.present.text import plain


def register(subparsers, common) -> None:
    p = subparsers.add_parser("due", parents=[common], help=_("today's due list"))
    p.add_argument("--date", metavar="D", help=_("the day to list (default today)"))
    p.add_argument("--all", action="store_true", help=_("everyone's items (managers)"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--brief", action="store_true", help=_("one line, for a login banner"))
    p.set_defaults(handler=cmd_due)

    p = subparsers.add_parser("add", parents=[common], help=_("add a customer"))
    p.add_argument("name")
    p.add_argument("--company", default="")
    p.add_argument("--title", default="")
    p.add_argument("--phone", action="append", default=[], help=_("repeat for several numbers"))
    p.add_argument("--email", default="")
    p.add_argument("--need", choices=("clear", "potential", "none"), default="potential")
    p.add_argument("--close", metavar="D", help=_("expected close date"))
    p.add_argument("--amount", metavar="A", help=_("expected amount"))
    p.add_argument(
        "--source",
        choices=("canvass", "marketing", "referral", "research", "agent", "records", "event"),
    )
    p.add_argument("--status", choices=("existing", "intent", "potential", "terminated"))
    p.add_argument("--tags", default="", help=_("comma-separated"))
    p.add_argument("--notes", default="")
    p.add_argument("--owner", metavar="LOGIN", help=_("owning rep (managers)"))
    p.add_argument("--referred-by", metavar="CUSTOMER", help=_("who referred this customer"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_add)

    p = subparsers.add_parser("log", parents=[common], help=_("log an interaction"))
    p.add_argument("customer", help=_("id or unambiguous name"))
    p.add_argument("--summary", required=True)
    p.add_argument(
        "--channel",
        default="phone",
        choices=("phone", "email", "sms", "wechat", "visit", "meeting", "event", "other"),
    )
    p.add_argument(
        "--outcome", default="neutral", choices=("positive", "neutral", "negative", "no_answer")
    )
    p.add_argument("--direction", default="out", choices=("out", "in"))
    p.add_argument("--next", metavar="D", help=_("next step date (+3d, fri, 2026-12-01…)"))
    p.add_argument("--next-step", default="", metavar="TEXT", help=_("what the next step is"))
    p.add_argument("--promise", default="", metavar="TEXT", help=_("what was promised"))
    p.add_argument("--promise-due", metavar="D")
    p.add_argument("--at", metavar="WHEN", help=_("when it happened (default now)"))
    p.add_argument("--referral-ask", action="store_true", help=_("a referral was asked for"))
    p.add_argument(
        "--greeting",
        action="store_true",
        help=_("it was a holiday greeting: the customer leaves the greeting list"),
    )
    p.add_argument("--contact", metavar="NAME", help=_("the contact spoken to (联系人)"))
    p.add_argument(
        "--plan-progress",
        default="",
        metavar="TEXT",
        help=_("a progress line for the customer's account plan"),
    )
    p.add_argument(
        "--appointment",
        metavar="ID",
        help=_(
            "the appointment this closes (default: your open one with the "
            "customer that day, once it has begun)"
        ),
    )
    p.add_argument(
        "--purpose-met",
        choices=("yes", "partly", "no"),
        help=_("after a visit: was its purpose met"),
    )
    p.add_argument(
        "--instructions-done",
        choices=("yes", "partly", "no"),
        help=_("after a visit: were the manager's instructions for this customer carried out"),
    )
    p.add_argument(
        "--still-open", default="", metavar="TEXT", help=_("after a visit: what is still open")
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_log)

    p = subparsers.add_parser(
        "greetings",
        parents=[common],
        help=_("who to greet before the holidays coming up (节日问候)"),
    )
    p.add_argument("--date", metavar="D", help=_("the day to list (default today)"))
    p.add_argument("--all", action="store_true", help=_("everyone's customers (managers)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_greetings)

    p = subparsers.add_parser("show", parents=[common], help=_("a customer's profile"))
    p.add_argument("customer")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = subparsers.add_parser(
        "grade", parents=[common], help=_("change need / expected close, or pin a grade")
    )
    p.add_argument("customer")
    p.add_argument("--need", choices=("clear", "potential", "none"))
    p.add_argument("--close", metavar="D", help=_("expected close date ('none' clears it)"))
    p.add_argument("--pin", metavar="G", help=_("pin grade A–E (needs --reason)"))
    p.add_argument("--unpin", action="store_true", help=_("let the rules grade again"))
    p.add_argument("--reason", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_grade)

    p = subparsers.add_parser("order", parents=[common], help=_("record an order"))
    p.add_argument("customer")
    p.add_argument("--amount", required=True, metavar="A")
    p.add_argument("--product", default="")
    p.add_argument("--quantity", default="1")
    p.add_argument("--date", metavar="D")
    p.add_argument("--gift", default="")
    p.add_argument("--note", default="")
    p.add_argument("--cost", metavar="A", help=_("what the sale cost (for ranking by profit)"))
    p.add_argument(
        "--next-close",
        metavar="D",
        help=_("the next opportunity's expected close (otherwise the need becomes potential)"),
    )
    p.add_argument("--deliver-on", metavar="D", help=_("the planned delivery day"))
    p.add_argument(
        "--over-limit",
        "--yes",
        dest="over_limit",
        action="store_true",
        help=_("record it even past the customer's credit limit"),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_order)

    p = subparsers.add_parser(
        "status",
        parents=[common],
        help=_("terminate a customer (已终止合作), or make them active again, with a reason"),
    )
    p.add_argument("customer")
    p.add_argument("lifecycle", choices=("terminated", "active"))
    p.add_argument("--reason", default="", help=_("why (required, kept in the history)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_status)

    p = subparsers.add_parser(
        "class", parents=[common], help=_("set a customer's value class by judgement, or --unpin")
    )
    p.add_argument("customer")
    p.add_argument(
        "value_class",
        nargs="?",
        metavar="CLASS",
        choices=("key", "important", "ordinary", "none"),
        help=_("key, important, ordinary or none"),
    )
    p.add_argument("--reason", default="", help=_("why (required to pin a class)"))
    p.add_argument(
        "--unpin", action="store_true", help=_("let the figures (80/20) decide the class again")
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_class)

    p = subparsers.add_parser(
        "assign", parents=[common], help=_("give a customer to another owner (managers; audited)")
    )
    p.add_argument("customer", help=_("id or unambiguous name"))
    p.add_argument("login", metavar="LOGIN", help=_("the new owner: a login, or a user's name"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_assign)

    p = subparsers.add_parser(
        "find", parents=[common], help=_("search customers by name, company, phone, e-mail, pinyin")
    )
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--format",
        choices=("table", "mutt"),
        default="table",
        help=_(
            "mutt: e-mail addresses as mutt's query_command and aerc's address-book-cmd read them"
        ),
    )
    p.set_defaults(handler=cmd_find)

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

    p = subparsers.add_parser(
        "demo", parents=[common], help=_("fill an empty database with demo data")
    )
    p.add_argument("--customers", type=int, default=200, metavar="N")
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(handler=cmd_demo)


def _ctx(args):
    return open_context(args)


def _day(ctx, text: str | None):
    if not text:
        return ctx.today()
    from crmtui.errors import InvalidInput
    from crmtui.rules import DateInputError, parse_date

    try:
        return parse_date(text, ctx.today())
    except DateInputError as error:
        raise InvalidInput.one("date", explain(error)) from None


def _customer(ctx, reference: str):
    from crmtui.services.customers import resolve_customer

    return resolve_customer(ctx, reference)


# -- due ----------------------------------------------------------------------------------------


def cmd_due(args) -> int:
    from crmtui.services.due import DUE_COLUMNS, count_due, due_list, due_rows
    from crmtui.services.grading import move_grades_if_due

    ctx = _ctx(args)
    day = _day(ctx, args.date)
    move_grades_if_due(ctx)
    everyone = args.all and ctx.role in ("manager", "support")
    if args.brief:  # counts only: a login banner should not build the list
        print(str(count_due(ctx, day, everyone=everyone)))
    elif args.json:  # row by row as it is read: a manager's team has tens of thousands
        from crmtui.output import emit_json_rows

        emit_json_rows(DUE_COLUMNS, due_rows(ctx, day, everyone=everyone))
    else:
        print_due(ctx, due_list(ctx, day, everyone=everyone), day, everyone)
    return 0


def print_due(ctx, items, day, everyone: bool) -> None:
    """The due list as Today draws it (`present.due`): aligned lines under section headings,
    the reason cut to the terminal's width (plain lines: a long list prints several times
    faster than through a rich Table)."""
    from rich.text import Text

    from crmtui.present.due import DueColumns, coming_up_line, section_heading, sections

    out = console()
    _print_schedule(ctx, day, everyone, out)
    title = _("Due on {day}").format(day=day.isoformat())
    if not items:
        from crmtui.services.due import coming_up

        out.print(Text.assemble((title, "bold"), ": " + _("nothing due. Coming up:")))
        for item in coming_up(ctx, day, everyone=everyone):
            out.print(coming_up_line(item, day))
        return
    out.print(Text(title, style="bold"))
    columns = DueColumns.for_width(out.width, owner=everyone)
    for kind, section in sections(items).items():
        out.print()
        out.print(Text(section_heading(kind, len(section)), style="bold underline"))
        lines = Text(no_wrap=True, overflow="crop")
        for item in section:
            lines.append_text(columns.line(item, day))
            lines.append("\n")
        lines.rstrip()
        out.print(lines)


def _print_schedule(ctx, day, everyone: bool, out) -> None:
    """The day's appointments above the due list, as Today shows them (nothing when none)."""
    from rich.text import Text

    from crmtui.present.schedule import agenda_lines, schedule_title
    from crmtui.services.appointments import schedule

    views = schedule(ctx, day, everyone=everyone)
    if not views:
        return
    out.print(Text(schedule_title(day, len(views)), style="bold"))
    lines = Text(no_wrap=True, overflow="crop")
    for line in agenda_lines(views, ctx.zone, out.width, owner=everyone):
        lines.append_text(line)
        lines.append("\n")
    lines.rstrip()
    out.print(lines)
    out.print()


def cmd_greetings(args) -> int:
    from crmtui.rules import DueKind
    from crmtui.services.due import due_list
    from crmtui.services.greetings import upcoming_holidays

    ctx = _ctx(args)
    day = _day(ctx, args.date)
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


# -- customers ----------------------------------------------------------------------------------


def cmd_add(args) -> int:
    from crmtui.services.customers import add_customer

    ctx = _ctx(args)
    values = {
        "name": args.name,
        "company": args.company,
        "title": args.title,
        "phones": ", ".join(args.phone),
        "email": args.email,
        "need": args.need,
        "tags": args.tags,
        "notes": args.notes,
    }
    if args.close:
        values["expected_close"] = args.close
    if args.amount:
        values["expected_amount"] = args.amount
    if args.source:
        values["source"] = args.source
    if args.status:
        values["status"] = args.status
    referred_by = _customer(ctx, args.referred_by).id if args.referred_by else None
    customer = add_customer(ctx, values, owner=args.owner, referred_by=referred_by)
    if args.json:
        emit_json({"id": customer.id, "grade": customer.grade, "next_due": customer.next_due})
    else:
        print(customer.id)
    return 0


def cmd_log(args) -> int:
    from crmtui.services.interactions import log_interaction

    ctx = _ctx(args)
    customer = _customer(ctx, args.customer)
    fields = dict(
        summary=args.summary,
        channel=args.channel,
        outcome=args.outcome,
        direction=args.direction,
        next_step=args.next_step,
        next_on=args.next,
        promise=args.promise,
        promise_due=args.promise_due,
        at=args.at,
        referral_ask=args.referral_ask,
        contact=args.contact,
        plan_progress=args.plan_progress,
        appointment=args.appointment,
        purpose_met=args.purpose_met,
        instructions_done=args.instructions_done,
        still_open=args.still_open,
    )
    if args.greeting:
        from crmtui.rules import DueKind
        from crmtui.services.worklist import log_due_item

        result = log_due_item(ctx, DueKind.GREETING, customer.id, **fields)
    else:
        result = log_interaction(ctx, customer.id, **fields)
    c = result.customer
    if args.json:
        emit_json(
            {
                "id": result.interaction.id,
                "customer_id": c.id,
                "grade": c.grade,
                "followups": c.followups,
                "next_due": c.next_due,
                "contact": result.interaction.contact_name or None,
                "promise_id": result.promise.id if result.promise else None,
                "appointment_id": result.appointment.id if result.appointment else None,
            }
        )
    else:
        say(
            _("Logged #{id} for {name}: grade {grade}, follow-ups {n}, next due {due}").format(
                id=result.interaction.id, name=c.name, grade=c.grade, n=c.followups, due=c.next_due
            )
        )
        if result.appointment is not None:
            say(_("Appointment #{id} held and closed.").format(id=result.appointment.id))
    return 0


SHOWN_INTERACTIONS = 15
"""Interactions `crmtui show` lists (--json has them all)."""
SHOWN_APPOINTMENTS = 5
"""Appointments `crmtui show` lists, the latest first (--json has them all)."""


def cmd_show(args) -> int:
    """The profile as the app shows it (`present.profile`): the header, the overview, then the
    latest appointments, the complaints, the latest interactions, orders, promises, care dates
    and surveys, each with the ids `crmtui edit`, `crmtui rm`, the appointment and complaint
    commands take."""
    from crmtui.present.profile import (
        profile_header,
        profile_overview,
        profile_sections,
        section_table,
    )
    from crmtui.services.grading import move_grades_if_due
    from crmtui.services.profile import customer_profile, profile_json

    ctx = _ctx(args)
    move_grades_if_due(ctx)  # the lifecycle and class shown are today's
    profile = customer_profile(ctx, _customer(ctx, args.customer).id)
    if args.json:
        emit_json(profile_json(ctx, profile))
        return 0
    today = ctx.today()
    out = console()
    out.print(profile_header(profile))
    out.print()
    out.print(profile_overview(profile, ctx.zone, today))
    sections = profile_sections(profile, ctx.zone, today)
    for key, title, limit in (
        ("schedule", _("Schedule"), SHOWN_APPOINTMENTS),
        ("complaints", _("Complaints"), None),
        ("timeline", _("Interactions"), SHOWN_INTERACTIONS),
        ("orders", _("Orders"), None),
        ("promises", _("Promises"), None),
        ("care", _("Care dates"), None),
        ("surveys", _("Surveys"), None),
    ):
        if sections[key].rows:
            out.print()
            out.print(section_table(sections[key], title=title, limit=limit, ids=True))
    return 0


def cmd_status(args) -> int:
    from crmtui.services.lifecycle import set_lifecycle

    ctx = _ctx(args)
    customer = set_lifecycle(
        ctx, _customer(ctx, args.customer).id, args.lifecycle, reason=args.reason
    )
    if args.json:
        emit_json(
            {
                "id": customer.id,
                "lifecycle": customer.lifecycle,
                "lifecycle_reason": customer.lifecycle_reason,
                "status": customer.status,
                "next_due": customer.next_due,
            }
        )
    else:
        say(
            _("{name}: {lifecycle}, next due {due}").format(
                name=customer.name,
                lifecycle=label("lifecycle", customer.lifecycle),
                due=customer.next_due,
            )
        )
    return 0


def cmd_class(args) -> int:
    from crmtui.errors import InvalidInput
    from crmtui.services.lifecycle import set_value_class

    ctx = _ctx(args)
    if args.unpin == bool(args.value_class):
        raise InvalidInput.one(
            "class", _("give a class (key, important, ordinary or none) with --reason, or --unpin")
        )
    customer = set_value_class(
        ctx,
        _customer(ctx, args.customer).id,
        args.value_class,
        reason=args.reason,
        unpin=args.unpin,
    )
    if args.json:
        emit_json(
            {
                "id": customer.id,
                "value_class": {
                    "class": customer.value_class,
                    "pinned": customer.class_pinned,
                    "reason": customer.class_reason,
                },
                "next_due": customer.next_due,
            }
        )
    else:
        say(
            _("{name}: value class {tier}{pinned}, next due {due}").format(
                name=customer.name,
                tier=label("tier", customer.value_class),
                pinned=" (" + _("pinned") + ")" if customer.class_pinned else "",
                due=customer.next_due,
            )
        )
    return 0


def cmd_grade(args) -> int:
    from crmtui.services.customers import regrade

    ctx = _ctx(args)
    customer = _customer(ctx, args.customer)
    clear = bool(args.close and args.close.strip().lower() in ("none", "-", "unknown"))
    customer = regrade(
        ctx,
        customer.id,
        need=args.need,
        expected_close=None if clear else args.close,
        clear_close=clear,
        pin=args.pin,
        unpin=args.unpin,
        reason=args.reason,
    )
    if args.json:
        emit_json(
            {
                "id": customer.id,
                "grade": customer.grade,
                "pinned": customer.grade_pinned,
                "next_due": customer.next_due,
            }
        )
    else:
        say(
            _("{name}: grade {grade}{pinned}, next due {due}").format(
                name=customer.name,
                grade=customer.grade,
                pinned=" (" + _("pinned") + ")" if customer.grade_pinned else "",
                due=customer.next_due,
            )
        )
    return 0


def cmd_order(args) -> int:
    from crmtui.services.interactions import record_order

    ctx = _ctx(args)
    customer = _customer(ctx, args.customer)
    from crmtui.db import Customer, Win
    from crmtui.errors import CrmError
    from crmtui.services.receivables import OverCreditLimit

    try:
        order = record_order(
            ctx,
            customer.id,
            amount=args.amount,
            product=args.product,
            on=args.date,
            quantity=args.quantity,
            gift=args.gift,
            note=args.note,
            cost=args.cost,
            next_close=args.next_close,
            deliver_on=args.deliver_on,
            over_limit=args.over_limit,
        )
    except OverCreditLimit as refusal:
        raise CrmError(
            _("{refusal}; nothing was recorded: add --over-limit to record it anyway").format(
                refusal=refusal
            )
        ) from None
    win = Win.get_or_none(Win.order == order.id)
    after = Customer.get_by_id(customer.id)
    if args.json:
        emit_json(
            {
                "id": order.id,
                "customer_id": customer.id,
                "amount": order.amount,
                "on": order.on,
                "cost": order.cost,
                "win": {"date": win.on, "amount": win.amount, "followups": win.followups}
                if win
                else None,
                "need": after.need,
                "expected_close": after.expected_close,
                "grade": after.grade,
                "lifecycle": after.lifecycle,
                "value_class": after.value_class,
                "next_due": after.next_due,
                "deliver_on": order.deliver_on,
                "owed": order.owed,
            }
        )
    else:
        say(
            _("Order #{id}: {amount} for {name} on {day}").format(
                id=order.id, amount=money(order.amount), name=customer.name, day=order.on
            )
        )
        if win is not None:
            say(
                (
                    _("A win after {n} follow-up; grade {grade}, next due {due}")
                    if win.followups == 1
                    else _("A win after {n} follow-ups; grade {grade}, next due {due}")
                ).format(n=win.followups, grade=after.grade, due=after.next_due)
            )
    return 0


def cmd_assign(args) -> int:
    from crmtui.present.text import user_text
    from crmtui.services.customers import reassign

    ctx = _ctx(args)
    customer = reassign(ctx, _customer(ctx, args.customer).id, args.login)
    if args.json:
        emit_json({"id": customer.id, "owner": customer.owner.login, "version": customer.version})
    else:
        say(_("{name}: owner {owner}").format(name=customer.name, owner=user_text(customer.owner)))
    return 0


def cmd_find(args) -> int:
    from crmtui.services.customers import find_customers

    ctx = _ctx(args)
    if args.format == "mutt":
        return _print_mail_addresses(ctx, " ".join(args.query), max(1, min(args.limit, 1000)))
    rows = find_customers(ctx, " ".join(args.query), limit=max(1, min(args.limit, 1000)))
    if args.json:
        emit_json(
            [
                {
                    "id": c.id,
                    "name": c.name,
                    "company": c.company,
                    "grade": c.grade,
                    "phones": c.phone_list,
                    "email": c.email,
                    "owner": c.owner.login,
                    "next_due": c.next_due,
                }
                for c in rows
            ]
        )
        return 0
    if not rows:
        console().print(_("no customer matches"))
        return 0
    from rich.table import Table

    table = Table(show_edge=False)
    for column in ("#", _("Customer"), _("Company"), "G", _("Phone"), _("E-mail"), _("Next due")):
        table.add_column(column)
    for c in rows:
        table.add_row(
            str(c.id),
            plain(c.name),
            plain(c.company),
            plain(c.grade, grade_style(c.grade)),
            plain(c.phone_list[0] if c.phone_list else ""),
            plain(c.email),
            str(c.next_due),
        )
    console().print(table)
    return 0


def _print_mail_addresses(ctx, query: str, limit: int) -> int:
    from crmtui.services.transfer.mailquery import mail_addresses, mutt_lines

    found = mail_addresses(ctx, query, limit=limit)
    header = (
        _("crmtui: {n} addresses for '{query}'").format(n=len(found), query=query)
        if found
        else _("crmtui: no e-mail address for '{query}'").format(query=query)
    )
    sys.stdout.write("".join(line + "\n" for line in mutt_lines(header, found)))
    return 0


def cmd_snooze(args) -> int:
    from crmtui.services.customers import snooze

    ctx = _ctx(args)
    customer = snooze(ctx, _customer(ctx, args.customer).id, args.until)
    say(_("{name}: next due {due}").format(name=customer.name, due=customer.next_due))
    return 0


def cmd_care(args) -> int:
    from crmtui.errors import InvalidInput
    from crmtui.services.interactions import add_care_date

    ctx = _ctx(args)
    customer = _customer(ctx, args.customer)
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


def cmd_promise(args) -> int:
    from crmtui.errors import InvalidInput
    from crmtui.services.interactions import add_promise, close_promise

    ctx = _ctx(args)
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
    customer = _customer(ctx, args.customer)
    promise = add_promise(ctx, customer.id, args.text, args.due)
    say(
        _("Promise #{id} for {name}, due {due}").format(
            id=promise.id, name=customer.name, due=promise.due
        )
    )
    return 0


# -- demo ---------------------------------------------------------------------------------------


def cmd_demo(args) -> int:
    import time

    from crmtui.demo import build_demo

    ctx = _ctx(args)
    started = time.perf_counter()
    summary = build_demo(ctx, args.customers, seed=args.seed)
    elapsed = time.perf_counter() - started
    say(
        _(
            "Demo data in {target}: {customers} customers, {interactions} interactions, {orders} "
            "orders, {complaints} complaints, {care} care dates, {promises} promises "
            "({seconds:.1f} s)"
        ).format(
            target=ctx.store.target,
            customers=summary.customers,
            interactions=summary.interactions,
            orders=summary.orders,
            complaints=summary.complaints,
            care=summary.care_dates,
            promises=summary.promises,
            seconds=elapsed,
        )
    )
    return 0


def demo_database(args) -> str:
    """A throw-away database with demo data, removed when the process ends."""
    import atexit
    import shutil
    import tempfile
    from pathlib import Path

    from crmtui.demo import build_demo

    folder = Path(tempfile.mkdtemp(prefix="crmtui-demo-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "demo.sqlite3"
    demo_args = argparse.Namespace(**{**vars(args), "db": str(path)})
    ctx = open_context(demo_args)
    build_demo(ctx, 200)
    ctx.store.close()
    args.run_by = ctx.user.login  # its manager, who asked for it (under --user's name too)
    return str(path)
