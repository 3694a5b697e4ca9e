"""Customers from the shell: add, show, grade, status, class, assign, find."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from crmtui.commands._common import named_customer, open_context
from crmtui.errors import InvalidInput
from crmtui.i18n import _
from crmtui.labels import label
from crmtui.output import console, emit_json, say
from crmtui.present.styles import grade_style
from crmtui.present.text import plain, user_text

if TYPE_CHECKING:
    from argparse import Namespace

    from crmtui.commands._common import Parser, Subparsers
    from crmtui.services.context import Context


def register(subparsers: Subparsers, common: Parser) -> None:
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


def cmd_add(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.customers import add_customer

    ctx = open_context(args)
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
    referred_by = named_customer(ctx, args.referred_by).id if args.referred_by else None
    customer = add_customer(ctx, values, owner=args.owner, referred_by=referred_by)
    if args.json:
        emit_json({"id": customer.id, "grade": customer.grade, "next_due": customer.next_due})
    else:
        print(customer.id)
    return 0


SHOWN_INTERACTIONS = 15
"""Interactions `crmtui show` lists (--json has them all)."""

SHOWN_APPOINTMENTS = 5
"""Appointments `crmtui show` lists, the latest first (--json has them all)."""


def cmd_show(args: Namespace) -> int:
    """The profile as the app shows it (`present.profile`): the header, the overview, then the
    latest appointments, the complaints, the latest interactions, orders, promises, care dates
    and surveys, each with the ids `crmtui edit`, `crmtui rm`, the appointment and complaint
    commands take."""
    # when run: building the parser must not load what this command uses
    from crmtui.services.grading import move_grades_if_due
    from crmtui.services.profile import customer_profile, profile_json

    ctx = open_context(args)
    move_grades_if_due(ctx)  # the lifecycle and class shown are today's
    profile = customer_profile(ctx, named_customer(ctx, args.customer).id)
    if args.json:
        emit_json(profile_json(ctx, profile))
        return 0
    from crmtui.present.profile import (  # rich: not for JSON
        profile_header,
        profile_overview,
        profile_sections,
        section_table,
    )

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


def cmd_grade(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.customers import regrade

    ctx = open_context(args)
    named = named_customer(ctx, args.customer)
    clear = bool(args.close and args.close.strip().lower() in ("none", "-", "unknown"))
    customer = regrade(
        ctx,
        named.id,
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


def cmd_status(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.lifecycle import set_lifecycle

    ctx = open_context(args)
    customer = set_lifecycle(
        ctx, named_customer(ctx, args.customer).id, args.lifecycle, reason=args.reason
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


def cmd_class(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.lifecycle import set_value_class

    ctx = open_context(args)
    if args.unpin == bool(args.value_class):
        raise InvalidInput.one(
            "class", _("give a class (key, important, ordinary or none) with --reason, or --unpin")
        )
    customer = set_value_class(
        ctx,
        named_customer(ctx, args.customer).id,
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


def cmd_assign(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.customers import reassign

    ctx = open_context(args)
    customer = reassign(ctx, named_customer(ctx, args.customer).id, args.login)
    if args.json:
        emit_json({"id": customer.id, "owner": customer.owner.login, "version": customer.version})
    else:
        say(_("{name}: owner {owner}").format(name=customer.name, owner=user_text(customer.owner)))
    return 0


def cmd_find(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.customers import find_customers

    ctx = open_context(args)
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
                    "phones": list(c.phones),
                    "email": c.email,
                    "owner": c.owner,
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
            plain(c.phones[0] if c.phones else ""),
            plain(c.email),
            str(c.next_due),
        )
    console().print(table)
    return 0


def _print_mail_addresses(ctx: Context, query: str, limit: int) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.transfer.mailquery import mail_addresses, mutt_lines

    found = mail_addresses(ctx, query, limit=limit)
    header = (
        _("crmtui: {n} addresses for '{query}'").format(n=len(found), query=query)
        if found
        else _("crmtui: no e-mail address for '{query}'").format(query=query)
    )
    sys.stdout.write("".join(line + "\n" for line in mutt_lines(header, found)))
    return 0
