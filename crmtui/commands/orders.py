"""`crmtui order`: an order, and the win it may be."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmtui.commands._common import named_customer, open_context
from crmtui.errors import CrmError
from crmtui.i18n import _
from crmtui.output import emit_json, say
from crmtui.present.numbers import money

if TYPE_CHECKING:
    from argparse import Namespace

    from crmtui.commands._common import Parser, Subparsers


def register(subparsers: Subparsers, common: Parser) -> None:
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


def cmd_order(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.interactions import record_order

    ctx = open_context(args)
    customer = named_customer(ctx, args.customer)
    from crmtui.db import Customer, Win
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
