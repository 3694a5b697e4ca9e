"""`crmtui complaint …`: complaint intake, the workflow and the queue from a shell."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmtui.commands._common import Parser, open_context
from crmtui.i18n import _
from crmtui.labels import label
from crmtui.output import console, emit_json, say
from crmtui.present.text import plain
from crmtui.present.time import compact_moment, moment

if TYPE_CHECKING:
    from argparse import Namespace

    from crmtui.commands._common import Handler, Subparsers
    from crmtui.services.context import Context
    from crmtui.views.complaints import ComplaintState

TABLE_ROWS = 100  # a longer table is neither readable nor quick to draw


def register(subparsers: Subparsers, common: Parser) -> None:
    top = subparsers.add_parser(
        "complaint", parents=[common], help=_("complaints (投诉): queue, service levels, workflow")
    )
    actions = top.add_subparsers(
        dest="action", metavar="ACTION", parser_class=Parser, required=True
    )

    def action(name: str, handler: Handler, help_text: str, *, json_flag: bool = True) -> Parser:
        p = actions.add_parser(name, parents=[common], help=help_text)
        if json_flag:
            p.add_argument("--json", action="store_true")
        p.set_defaults(handler=handler)
        return p

    p = action("add", cmd_add, _("open a complaint for a customer"))
    p.add_argument("customer", help=_("id or unambiguous name"))
    p.add_argument(
        "--severity", required=True, metavar="S", help=_("critical, high, normal or low")
    )
    p.add_argument("--summary", required=True, metavar="TEXT")
    p.add_argument(
        "--channel",
        default="phone",
        metavar="C",
        help=_("phone, email, sms, wechat, visit, meeting, event or other"),
    )
    p.add_argument("--category", default="", metavar="TEXT", help=_("e.g. delivery, quality"))
    p.add_argument("--description", default="", metavar="TEXT")
    p.add_argument("--owner", metavar="LOGIN", help=_("support person or manager handling it"))
    p.add_argument("--at", metavar="WHEN", help=_("when it was received (default now)"))

    p = action("list", cmd_list, _("the queue, most urgent first"))
    p.add_argument("--all", action="store_true", help=_("include resolved and closed complaints"))
    p.add_argument("--mine", action="store_true", help=_("only those I handle"))
    p.add_argument("--unassigned", action="store_true", help=_("only those nobody handles yet"))
    p.add_argument("--severity", metavar="S", help=_("one or more, comma-separated"))
    p.add_argument("--status", metavar="S", help=_("one or more, comma-separated"))
    p.add_argument("--customer", metavar="CUSTOMER", help=_("only this customer's"))
    p.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help=_("at most N, the most urgent (default: all with --json, {n} in the table)").format(
            n=TABLE_ROWS
        ),
    )

    p = action("ack", cmd_ack, _("acknowledge: record the time promised to the customer"))
    p.add_argument("id")
    p.add_argument(
        "--promise",
        required=True,
        metavar="WHEN",
        help=_("when the customer hears back: +4h, tomorrow 10:00, 2026-12-01 14:00"),
    )
    p.add_argument("--note", default="", metavar="TEXT")

    p = action("work", cmd_work, _("start work (or resume after waiting for the customer)"))
    p.add_argument("id")
    p.add_argument("--note", default="", metavar="TEXT")

    p = action("wait", cmd_wait, _("wait for the customer (pauses the resolution clock)"))
    p.add_argument("id")
    p.add_argument("--note", default="", metavar="TEXT")

    p = action("resolve", cmd_resolve, _("resolve with a resolution note and root cause"))
    p.add_argument("id")
    p.add_argument("--note", required=True, metavar="TEXT", help=_("how it was resolved"))
    p.add_argument("--cause", default="", metavar="TEXT", help=_("root cause"))

    p = action("close", cmd_close, _("close a resolved complaint"))
    p.add_argument("id")
    p.add_argument("--satisfaction", metavar="N", help=_("the customer's satisfaction, 1–5"))
    p.add_argument("--note", default="", metavar="TEXT")

    p = action("reopen", cmd_reopen, _("reopen a resolved or closed complaint"))
    p.add_argument("id")
    p.add_argument("--note", default="", metavar="TEXT")

    p = action("show", cmd_show, _("a complaint with its timeline and the customer's contacts"))
    p.add_argument("id")

    p = action("severity", cmd_severity, _("change the severity (deadlines follow)"))
    p.add_argument("id")
    p.add_argument("severity", metavar="S")
    p.add_argument("--note", default="", metavar="TEXT")

    p = action("assign", cmd_assign, _("give it to a support person or manager ('-' for nobody)"))
    p.add_argument("id")
    p.add_argument("login")

    p = action("note", cmd_note, _("add a note to the timeline"))
    p.add_argument("id")
    p.add_argument("text")


def _ctx(args: Namespace) -> Context:
    return open_context(args)


# -- queue --------------------------------------------------------------------------------------


def cmd_list(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.complaints import complaint_queue

    ctx = _ctx(args)
    customer_id = None
    if args.customer:
        from crmtui.services.customers import resolve_customer

        customer_id = resolve_customer(ctx, args.customer).id
    rows = complaint_queue(
        ctx,
        include_closed=args.all,
        mine=args.mine,
        unassigned=args.unassigned,
        severity=args.severity,
        status=args.status,
        customer_id=customer_id,
    )
    limit = max(0, args.limit) if args.limit is not None else None
    if args.json:
        emit_json([row.to_json() for row in rows[:limit]])
        return 0
    if not rows:
        console().print(_("no complaints"))
        return 0
    from rich.table import Table

    from crmtui.present.complaint import severity_text, sla_text

    shown = rows[: TABLE_ROWS if limit is None else limit]

    table = Table(show_edge=False)
    table.add_column("#", no_wrap=True)
    table.add_column(_("Severity"))
    table.add_column(_("Status"), min_width=12)
    table.add_column(_("Customer"), min_width=8)
    table.add_column(_("Summary"), min_width=10)
    table.add_column(_("Owner"))
    wide = console().width >= 100  # on 80 columns the deadline gives way (`show` has it)
    today = ctx.today()
    if wide:
        table.add_column(_("Deadline"), no_wrap=True)
    table.add_column(_("Left"), no_wrap=True, min_width=10)
    for row in shown:
        deadline = [compact_moment(row.sla.deadline, ctx.zone, today)] if wide else []
        table.add_row(
            str(row.id),
            severity_text(row.severity),
            plain(label("complaint_status", row.status)),
            plain(row.customer),
            plain(row.summary),
            plain(row.owner or "-"),
            *deadline,
            sla_text(row.sla),
        )
    console().print(table)
    if len(rows) > len(shown):
        console().print(
            _("… and {n} more (--limit N shows more, --json all)").format(n=len(rows) - len(shown))
        )
    return 0


# -- actions ------------------------------------------------------------------------------------


def _done(args: Namespace, ctx: Context, complaint: ComplaintState, message: str) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.complaints import complaint_row

    if args.json:
        emit_json(complaint_row(ctx, complaint.id).to_json())
    else:
        say(message)
    return 0


def cmd_add(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.complaints import open_complaint
    from crmtui.services.customers import resolve_customer

    ctx = _ctx(args)
    customer = resolve_customer(ctx, args.customer)
    complaint = open_complaint(
        ctx,
        customer.id,
        args.severity,
        args.summary,
        channel=args.channel,
        category=args.category,
        description=args.description,
        owner=args.owner,
        opened_at=args.at,
    )
    return _done(
        args,
        ctx,
        complaint,
        _(
            "Complaint #{id} for {name}: {severity}, respond by {respond}, resolve by {resolve}"
        ).format(
            id=complaint.id,
            name=customer.name,
            severity=label("severity", complaint.severity),
            respond=moment(complaint.respond_by, ctx.zone),
            resolve=moment(complaint.resolve_by, ctx.zone),
        ),
    )


def cmd_ack(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.complaints import acknowledge

    ctx = _ctx(args)
    complaint = acknowledge(ctx, args.id, args.promise, note=args.note)
    return _done(
        args,
        ctx,
        complaint,
        _("Complaint #{id} acknowledged; the customer was promised {when}").format(
            id=complaint.id, when=moment(complaint.promised_at, ctx.zone)
        ),
    )


def cmd_work(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.complaints import start_work

    ctx = _ctx(args)
    complaint = start_work(ctx, args.id, note=args.note)
    return _done(
        args,
        ctx,
        complaint,
        _("Complaint #{id} in progress, resolve by {when}").format(
            id=complaint.id, when=moment(complaint.resolve_by, ctx.zone)
        ),
    )


def cmd_wait(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.complaints import wait_for_customer

    ctx = _ctx(args)
    complaint = wait_for_customer(ctx, args.id, note=args.note)
    return _done(
        args,
        ctx,
        complaint,
        _("Complaint #{id} is waiting for the customer; the resolution clock is paused").format(
            id=complaint.id
        ),
    )


def cmd_resolve(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.complaints import resolve

    ctx = _ctx(args)
    complaint = resolve(ctx, args.id, args.note, args.cause)
    return _done(args, ctx, complaint, _("Complaint #{id} resolved").format(id=complaint.id))


def cmd_close(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.complaints import close

    ctx = _ctx(args)
    complaint = close(ctx, args.id, args.satisfaction, note=args.note)
    message = _("Complaint #{id} closed").format(id=complaint.id)
    if complaint.satisfaction is not None:
        message += " " + _("(satisfaction {score}/5)").format(score=complaint.satisfaction)
    return _done(args, ctx, complaint, message)


def cmd_reopen(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.complaints import reopen

    ctx = _ctx(args)
    complaint = reopen(ctx, args.id, note=args.note)
    return _done(
        args,
        ctx,
        complaint,
        _("Complaint #{id} reopened; it is still due by {when}").format(
            id=complaint.id, when=moment(complaint.resolve_by, ctx.zone)
        ),
    )


def cmd_severity(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.complaints import set_severity

    ctx = _ctx(args)
    complaint = set_severity(ctx, args.id, args.severity, note=args.note)
    return _done(
        args,
        ctx,
        complaint,
        _("Complaint #{id} is {severity}: respond by {respond}, resolve by {resolve}").format(
            id=complaint.id,
            severity=label("severity", complaint.severity),
            respond=moment(complaint.respond_by, ctx.zone),
            resolve=moment(complaint.resolve_by, ctx.zone),
        ),
    )


def cmd_assign(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.complaints import assign

    ctx = _ctx(args)
    complaint = assign(ctx, args.id, args.login)
    owner = complaint.owner if complaint.owner is not None else _("nobody")
    return _done(
        args,
        ctx,
        complaint,
        _("Complaint #{id} is handled by {owner}").format(id=complaint.id, owner=owner),
    )


def cmd_note(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.complaints import add_note

    ctx = _ctx(args)
    event = add_note(ctx, args.id, args.text)
    if args.json:
        emit_json({"complaint_id": event.complaint_id, "at": event.at, "note": event.note})
    else:
        say(_("Note added to complaint #{id}").format(id=event.complaint_id))
    return 0


# -- detail -------------------------------------------------------------------------------------


def cmd_show(args: Namespace) -> int:
    """The complaint as its screen shows it (`present.complaint`)."""
    # when run: building the parser must not load what this command uses
    from crmtui.present.complaint import complaint_body, complaint_heading
    from crmtui.services.complaints import complaint_detail

    ctx = _ctx(args)
    detail = complaint_detail(ctx, args.id)
    if args.json:
        emit_json(detail.to_json(ctx))
        return 0
    out = console()
    out.print(complaint_heading(detail.row))
    out.print(complaint_body(detail, ctx.zone, ctx.today(), ctx.now()))
    return 0
