"""`crmtui contact …`, `crmtui plan …` and `crmtui target …`: the people at a customer, account
plans for key customers and the team's sales targets from a shell."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crmtui.commands._common import Parser, open_context
from crmtui.errors import NotFound
from crmtui.i18n import N_, _
from crmtui.labels import label
from crmtui.output import console, emit_json
from crmtui.present.numbers import money, percent

if TYPE_CHECKING:
    from argparse import Namespace
    from collections.abc import Callable

    from crmtui.commands._common import Handler, Subparsers
    from crmtui.db import Customer
    from crmtui.rules import TargetProgress
    from crmtui.services.context import Context
    from crmtui.services.plans import PlanStatus
    from crmtui.services.targets import TargetBoard

# Handlers import their services as they run: registering these commands (`crmtui --help`
# registers every module) loads no storage.

CONTACT_OPTIONS = (
    # (option, field, help)
    ("--role", "role", N_("decision_maker, influencer, purchaser, user or other")),
    ("--title", "title", None),
    ("--department", "department", None),
    ("--email", "email", None),
    ("--im", "im_id", N_("WeChat or other IM id")),
    ("--birthday", "birthday", N_("1985-03-15, or 03-15 without the year")),
    ("--notes", "notes", None),
)
PLAN_OPTIONS = (
    ("--products", "products", N_("what they buy or should")),
    ("--target-amount", "target_amount", N_("orders for the year")),
    ("--target-volume", "target_volume", N_("units for the year")),
    ("--target-price", "target_price", N_("the price aimed at")),
    ("--visit-every", "visit_every_days", N_("days between visits")),
    ("--services", "services", N_("services promised")),
    ("--strengths", "strengths", None),
    ("--weaknesses", "weaknesses", None),
    ("--opportunities", "opportunities", None),
    ("--threats", "threats", None),
    ("--review", "review_on", N_("the next review (default a quarter ahead)")),
)


def register(subparsers: Subparsers, common: Parser) -> None:
    top = subparsers.add_parser(
        "contact", parents=[common], help=_("the people at a customer (联系人) and their roles")
    )
    actions = top.add_subparsers(
        dest="action", metavar="ACTION", parser_class=Parser, required=True
    )

    def action(parent: Subparsers, name: str, handler: Handler, help_text: str) -> Parser:
        p = parent.add_parser(name, parents=[common], help=help_text)
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=handler)
        return p

    def contact_fields(p: Parser) -> None:
        p.add_argument(
            "--phone", action="append", metavar="P", help=_("repeat for several numbers")
        )
        for option, field, text in CONTACT_OPTIONS:
            p.add_argument(
                option,
                dest=field,
                metavar=field.upper().split("_")[0],
                help=_(text) if text else None,
            )

    p = action(actions, "add", cmd_contact_add, _("add a contact to a customer"))
    p.add_argument("customer", help=_("id or unambiguous name"))
    p.add_argument("name")
    contact_fields(p)
    p = action(
        actions,
        "edit",
        cmd_contact_edit,
        _("change a contact's fields (an empty value clears one)"),
    )
    p.add_argument("id")
    p.add_argument("--name")
    contact_fields(p)
    p = action(actions, "rm", cmd_contact_rm, _("remove a contact"))
    p.add_argument("id")
    p = action(actions, "list", cmd_contact_list, _("a customer's contacts, decision makers first"))
    p.add_argument("customer", help=_("id or unambiguous name"))

    top = subparsers.add_parser(
        "plan", parents=[common], help=_("account plans for key customers (重点客户计划)")
    )
    actions = top.add_subparsers(
        dest="action", metavar="ACTION", parser_class=Parser, required=True
    )
    p = action(
        actions,
        "set",
        cmd_plan_set,
        _("create a customer's plan or change its fields (an empty value clears one)"),
    )
    p.add_argument("customer", help=_("id or unambiguous name"))
    for option, field, text in PLAN_OPTIONS:
        p.add_argument(
            option, dest=field, metavar=field.split("_")[-1].upper(), help=_(text) if text else None
        )
    p.add_argument("--progress", metavar="TEXT", help=_("a progress line (after a visit, say)"))
    p = action(actions, "show", cmd_plan_show, _("a customer's plan and its year so far"))
    p.add_argument("customer", help=_("id or unambiguous name"))
    p = action(actions, "rm", cmd_plan_rm, _("remove a customer's plan"))
    p.add_argument("customer", help=_("id or unambiguous name"))

    top = subparsers.add_parser(
        "target", parents=[common], help=_("sales targets per rep (销售目标): set by managers")
    )
    actions = top.add_subparsers(
        dest="action", metavar="ACTION", parser_class=Parser, required=True
    )
    p = action(
        actions, "set", cmd_target_set, _("set a rep's target for a month, a quarter or a year")
    )
    p.add_argument("login")
    period_options(p, required=True)
    p.add_argument("--amount", metavar="A", help=_("orders to reach"))
    p.add_argument("--new-customers", metavar="N", help=_("prospects to win as customers"))
    p = action(actions, "rm", cmd_target_rm, _("remove a rep's target for a period"))
    p.add_argument("login")
    period_options(p, required=True)
    p = action(
        actions, "list", cmd_target_list, _("targets and results for a period (default this month)")
    )
    period_options(p, required=False)


def period_options(p: Parser, *, required: bool) -> None:
    """--month 2026-12, --quarter 2027-Q1 or --year 2027: one of them."""
    period = p.add_mutually_exclusive_group(required=required)
    period.add_argument("--month", metavar="YYYY-MM")
    period.add_argument("--quarter", metavar="YYYY-QN")
    period.add_argument("--year", metavar="YYYY")


def _ctx(args: Namespace) -> Context:
    return open_context(args)


def _customer(ctx: Context, reference: str) -> Customer:
    # when run: building the parser must not load what this command uses
    from crmtui.services.customers import resolve_customer

    return resolve_customer(ctx, reference)


# -- contacts -----------------------------------------------------------------------------------


def _contact_values(args: Namespace) -> dict[str, Any]:
    values = {field: getattr(args, field) for _o, field, _h in CONTACT_OPTIONS}
    if args.phone is not None:
        values["phones"] = ", ".join(args.phone)
    return values


def cmd_contact_add(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.contacts import add_contact, contact_json

    ctx = _ctx(args)
    customer = _customer(ctx, args.customer)
    contact = add_contact(ctx, customer.id, {"name": args.name, **_contact_values(args)})
    if args.json:
        emit_json(contact_json(contact))
    else:
        console().print(
            _("Contact #{id} {name} added to {customer}").format(
                id=contact.id, name=contact.name, customer=customer.name
            ),
            markup=False,
        )
    return 0


def cmd_contact_edit(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.contacts import contact_json, update_contact

    ctx = _ctx(args)
    contact = update_contact(ctx, args.id, {"name": args.name, **_contact_values(args)})
    if args.json:
        emit_json(contact_json(contact))
    else:
        console().print(
            _("Contact #{id} {name} saved").format(id=contact.id, name=contact.name), markup=False
        )
    return 0


def cmd_contact_rm(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.contacts import remove_contact

    ctx = _ctx(args)
    contact = remove_contact(ctx, args.id)
    if args.json:
        emit_json({"id": contact.id, "removed": True})
    else:
        console().print(
            _("Contact #{id} {name} removed").format(id=contact.id, name=contact.name), markup=False
        )
    return 0


def cmd_contact_list(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from rich.table import Table
    from rich.text import Text

    from crmtui.services.contacts import contact_json, contacts_of

    ctx = _ctx(args)
    customer = _customer(ctx, args.customer)
    contacts = contacts_of(ctx, customer.id)
    if args.json:
        emit_json([contact_json(c) for c in contacts])
        return 0
    out = console()
    if not contacts:
        out.print(_("{name} has no contacts yet").format(name=customer.name), markup=False)
        return 0
    table = Table(title=Text(customer.name), title_justify="left", show_edge=False)
    for column in ("#", _("Name"), _("Role"), _("Title"), _("Department"), _("Phone"), _("E-mail")):
        table.add_column(column, overflow="fold")
    for c in contacts:
        table.add_row(
            str(c.id),
            Text(c.name),
            label("contact_role", c.role),
            Text(c.title),
            Text(c.department),
            Text(", ".join(c.phones)),
            Text(c.email),
        )
    out.print(table)
    return 0


# -- plans --------------------------------------------------------------------------------------


def cmd_plan_set(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.plans import plan_status, set_plan

    ctx = _ctx(args)
    customer = _customer(ctx, args.customer)
    values = {field: getattr(args, field) for _o, field, _h in PLAN_OPTIONS}
    saved = set_plan(ctx, customer.id, values, progress=args.progress or "")
    if args.json:
        status = plan_status(ctx, customer.id)
        assert status is not None  # the plan was just saved
        emit_json(status.to_json())
    else:
        console().print(
            (
                _("Plan for {name} created; review on {day}")
                if saved.created
                else _("Plan for {name} saved; review on {day}")
            ).format(name=customer.name, day=saved.plan.review_on),
            markup=False,
        )
    return 0


def cmd_plan_show(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.plans import plan_status

    ctx = _ctx(args)
    customer = _customer(ctx, args.customer)
    status = plan_status(ctx, customer.id)
    if status is None:
        raise NotFound(
            _("{name} has no account plan; create one with `crmtui plan set`").format(
                name=customer.name
            )
        )
    if args.json:
        emit_json(status.to_json())
        return 0
    print_plan(status)
    return 0


def print_plan(status: PlanStatus) -> None:
    # when run: building the parser must not load what this command uses
    from rich.table import Table
    from rich.text import Text

    out = console()
    p, y = status.plan, status.progress
    out.print(
        Text.assemble(
            (_("Account plan"), "bold"), " · ", status.customer, f"  #{status.customer_id}"
        )
    )
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    target = money(p.target_amount) if p.target_amount is not None else ""
    year = (
        _("{ordered} of {target} ({share})").format(
            ordered=money(y.ordered), target=target, share=percent(y.share)
        )
        if target
        else money(y.ordered)
    )
    visits = (
        _("{visits} of {expected} expected (every {days} days)").format(
            visits=y.visits, expected=y.expected_visits, days=y.visit_every_days
        )
        if y.visit_every_days
        else str(y.visits)
    )
    for title, value in (
        (_("Review on"), p.review_on.isoformat()),
        (_("Products"), p.products),
        (_("Orders {year}").format(year=y.year), year),
        (_("Target volume"), "" if p.target_volume is None else f"{p.target_volume:,}"),
        (_("Target price"), money(p.target_price)),
        (_("Visits {year}").format(year=y.year), visits),
        (_("Services"), p.services),
        (_("Strengths"), p.strengths),
        (_("Weaknesses"), p.weaknesses),
        (_("Opportunities"), p.opportunities),
        (_("Threats"), p.threats),
    ):
        if value:
            grid.add_row(title, Text(value))
    out.print(grid)
    if status.notes:
        out.print(_("Progress"), style="bold underline")
        for note in status.notes:
            when = f"{note.on.isoformat()} {note.by}  " if note.on else ""
            out.print(Text(f"  {when}{note.text}"))


def cmd_plan_rm(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.plans import remove_plan

    ctx = _ctx(args)
    customer = _customer(ctx, args.customer)
    remove_plan(ctx, customer.id)
    if args.json:
        emit_json({"customer_id": customer.id, "removed": True})
    else:
        console().print(_("Plan for {name} removed").format(name=customer.name), markup=False)
    return 0


# -- targets ------------------------------------------------------------------------------------


def _period_text(args: Namespace) -> tuple[str, str] | None:
    for kind in ("month", "quarter", "year"):
        value = getattr(args, kind, None)
        if value is not None:
            return kind, value
    return None


def _required_period_text(args: Namespace) -> tuple[str, str]:
    """The period of a command whose parser requires one (`period_options(required=True)`)."""
    chosen = _period_text(args)
    assert chosen is not None  # argparse refused the command without one
    return chosen


def cmd_target_set(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.targets import set_target, target_json

    ctx = _ctx(args)
    kind, text = _required_period_text(args)
    target = set_target(
        ctx, args.login, text, kind=kind, amount=args.amount, new_customers=args.new_customers
    )
    if args.json:
        emit_json(target_json(target))
    else:
        console().print(
            _("Target for {login} in {period} saved").format(
                login=args.login, period=target.period
            ),
            markup=False,
        )
    return 0


def cmd_target_rm(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.targets import remove_target

    ctx = _ctx(args)
    kind, text = _required_period_text(args)
    target = remove_target(ctx, args.login, text, kind=kind)
    if args.json:
        emit_json({"login": args.login, "period": target.period, "removed": True})
    else:
        console().print(
            _("Target for {login} in {period} removed").format(
                login=args.login, period=target.period
            ),
            markup=False,
        )
    return 0


def cmd_target_list(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.targets import target_board

    ctx = _ctx(args)
    chosen = _period_text(args)
    board = target_board(ctx, chosen[1] if chosen else None, kind=chosen[0] if chosen else "month")
    if args.json:
        emit_json(board.to_json())
        return 0
    print_targets(board)
    return 0


def print_targets(board: TargetBoard) -> None:
    # when run: building the parser must not load what this command uses
    from rich.table import Table
    from rich.text import Text

    out = console()
    out.print(
        Text.assemble(
            (_("Targets"), "bold"),
            " · ",
            board.period.key,
            " · ",
            _("{start} – {end}, {n} days left").format(
                start=board.period.start, end=board.period.end, n=board.days_left
            ),
        )
    )
    if not board.rows:
        out.print(_("No targets for {period}.").format(period=board.period.key))
        return
    table = Table(show_edge=False)
    for title in (
        _("rep"),
        _("orders"),
        _("target"),
        _("share"),
        _("per day"),
        _("new"),
        _("target"),
        _("per day"),
    ):
        table.add_column(title, justify="left" if title == _("rep") else "right", no_wrap=True)
    for row in board.rows:
        amount, new = row.amount, row.new_customers
        table.add_row(
            Text(row.name),
            money(row.orders),
            money(amount.target) if amount else "–",
            percent(amount.share) if amount else "",
            _per_day(amount, money) if amount else "",
            str(row.won),
            str(int(new.target)) if new else "–",
            _per_day(new, lambda v: f"{v:.2f}") if new else "",
        )
    out.print(table)


def _per_day(progress: TargetProgress, shown: Callable[[Any], str]) -> str:
    if progress.per_day is None:
        return _("missed")
    if not progress.per_day:
        return _("reached")
    return shown(progress.per_day)
