"""`crmtui log`: an interaction with a customer, and what follows from it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmtui.commands._common import named_customer, open_context
from crmtui.i18n import _
from crmtui.output import emit_json, say

if TYPE_CHECKING:
    from argparse import Namespace

    from crmtui.commands._common import Parser, Subparsers


def register(subparsers: Subparsers, common: Parser) -> None:
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


def cmd_log(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.interactions import log_interaction

    ctx = open_context(args)
    customer = named_customer(ctx, args.customer)
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
