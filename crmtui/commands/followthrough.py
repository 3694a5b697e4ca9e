"""Following work through from the shell: the manager's instructions (instruct, instruction),
deliveries (deliver) and payments (pay)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crmtui.commands._common import Parser, open_context
from crmtui.i18n import _
from crmtui.output import console, emit_json, say

if TYPE_CHECKING:
    from argparse import Namespace

    from crmtui.commands._common import Subparsers
    from crmtui.services.context import Context

# Handlers import their services as they run: registering these commands (`crmtui --help`
# registers every module) loads no storage.


def register(subparsers: Subparsers, common: Parser) -> None:
    p = subparsers.add_parser(
        "instruct",
        parents=[common],
        help=_("give a rep an instruction about a customer (上级指令; managers)"),
    )
    p.add_argument("login", metavar="LOGIN", help=_("the rep who owns the customer"))
    p.add_argument("customer", help=_("id or unambiguous name"))
    p.add_argument("text", help=_("what to do"))
    p.add_argument("--due", required=True, metavar="D", help=_("by when (fri, +3d, 2026-12-01…)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_instruct)

    p = subparsers.add_parser(
        "instruction",
        parents=[common],
        help=_("list the manager's instructions, or report one done"),
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=Parser, required=True)
    q = actions.add_parser(
        "list", parents=[common], help=_("open instructions (a rep's own; a manager's team's)")
    )
    which = q.add_mutually_exclusive_group()
    which.add_argument(
        "--open",
        dest="which",
        action="store_const",
        const="open",
        help=_("not yet reported done (the default)"),
    )
    which.add_argument(
        "--late", dest="which", action="store_const", const="late", help=_("open past their day")
    )
    which.add_argument(
        "--all", dest="which", action="store_const", const="all", help=_("done ones too")
    )
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_instruction_list, which="open")
    q = actions.add_parser(
        "done", parents=[common], help=_("report an instruction carried out, with a note")
    )
    q.add_argument("id", metavar="ID")
    q.add_argument("--note", default="", metavar="N", help=_("what was done"))
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_instruction_done)
    q = actions.add_parser("cancel", parents=[common], help=_("withdraw an instruction (managers)"))
    q.add_argument("id", metavar="ID")
    q.set_defaults(handler=cmd_instruction_cancel)

    p = subparsers.add_parser(
        "pay", parents=[common], help=_("record a payment against an order (回款)")
    )
    p.add_argument("order", metavar="ORDER", help=_("the order's id"))
    p.add_argument("amount", metavar="AMOUNT")
    p.add_argument("--date", metavar="D", help=_("when it was received (default today)"))
    p.add_argument(
        "--method",
        default="transfer",
        metavar="M",
        help=_("transfer, cash, card, cheque, wechat, alipay or other"),
    )
    p.add_argument("--note", default="", metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_pay)

    p = subparsers.add_parser(
        "deliver",
        parents=[common],
        help=_("record an order delivered (in full or in part) or returned"),
    )
    p.add_argument("order", metavar="ORDER", help=_("the order's id"))
    p.add_argument("--date", metavar="D", help=_("when (default today)"))
    how = p.add_mutually_exclusive_group()
    how.add_argument("--partly", action="store_true", help=_("a part of it was delivered"))
    how.add_argument("--returned", action="store_true", help=_("the customer sent it back"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_deliver)


def _ctx(args: Namespace) -> Context:
    return open_context(args)


def cmd_instruct(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.customers import resolve_customer
    from crmtui.services.instructions import give_instruction

    ctx = _ctx(args)
    from crmtui.services.access import require_manager

    require_manager(ctx, _("give instructions"))  # before the customer is looked up
    customer = resolve_customer(ctx, args.customer)
    instruction = give_instruction(ctx, args.login, customer.id, args.text, args.due)
    if args.json:
        emit_json(
            {
                "id": instruction.id,
                "customer_id": customer.id,
                "to": args.login.strip(),
                "text": instruction.text,
                "due": instruction.due,
            }
        )
    else:
        say(
            _("Instruction #{id} to {login} about {name}, due {due}").format(
                id=instruction.id, login=args.login.strip(), name=customer.name, due=instruction.due
            )
        )
    return 0


def cmd_instruction_list(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.present.followthrough import instruction_table
    from crmtui.services.instructions import list_instructions

    ctx = _ctx(args)
    rows = list_instructions(ctx, args.which)
    if args.json:
        emit_json([row.to_json() for row in rows])
        return 0
    out = console()
    if not rows:
        out.print(
            {
                "open": _("No open instructions."),
                "late": _("No late instructions."),
                "all": _("No instructions."),
            }[args.which],
            markup=False,
        )
        return 0
    out.print(instruction_table(rows, ctx.zone, ctx.today(), recipient=ctx.is_manager))
    return 0


def cmd_instruction_done(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.instructions import report_done

    ctx = _ctx(args)
    instruction = report_done(ctx, args.id, args.note)
    if args.json:
        emit_json(
            {
                "id": instruction.id,
                "customer_id": instruction.customer_id,
                "done_at": instruction.done_at,
                "note": instruction.note,
                "overdue_days": max(0, (instruction.done_on - instruction.due).days)
                if instruction.done_on is not None  # set by report_done
                else 0,
            }
        )
    else:
        say(_("Instruction #{id} reported done").format(id=instruction.id))
    return 0


def cmd_instruction_cancel(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.instructions import cancel_instruction

    ctx = _ctx(args)
    instruction = cancel_instruction(ctx, args.id)
    say(_("Instruction #{id} withdrawn").format(id=instruction.id))
    return 0


def _balance_json(ctx: Context, customer_id: int) -> dict[str, Any]:
    # when run: building the parser must not load what this command uses
    from crmtui.db import Customer
    from crmtui.services.receivables import balance_of

    return balance_of(ctx, Customer.get_by_id(customer_id)).to_json()


def cmd_pay(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.present.numbers import money
    from crmtui.services.receivables import record_payment

    ctx = _ctx(args)
    payment = record_payment(
        ctx, args.order, args.amount, on=args.date, method=args.method, note=args.note
    )
    if args.json:
        emit_json(
            {
                "id": payment.id,
                "order_id": payment.order_id,
                "customer_id": payment.customer_id,
                "amount": payment.amount,
                "on": payment.on,
                "method": payment.method,
                "paid": payment.order_paid,
                "owed": payment.order_owed,
                "balance": _balance_json(ctx, payment.customer_id),
            }
        )
    else:
        say(
            _("Payment #{id}: {amount} on order #{order}; {owed} still owed on it").format(
                id=payment.id,
                amount=money(payment.amount),
                order=payment.order_id,
                owed=money(payment.order_owed),
            )
        )
    return 0


def cmd_deliver(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.labels import label
    from crmtui.services.receivables import deliver

    ctx = _ctx(args)
    order = deliver(ctx, args.order, on=args.date, partly=args.partly, returned=args.returned)
    if args.json:
        emit_json(
            {
                "id": order.id,
                "customer_id": order.customer_id,
                "delivery": order.delivery,
                "delivered_on": order.delivered_on,
                "owed": order.owed,
                "owed_since": order.owed_since,
            }
        )
    else:
        say(_("Order #{id}: {state}").format(id=order.id, state=label("delivery", order.delivery)))
    return 0
