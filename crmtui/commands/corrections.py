"""`crmtui edit KIND ID …` and `crmtui rm KIND ID`: correcting or removing an interaction, an
order, a promise, a care date or a survey (the ids are those `crmtui show` prints);
`crmtui history NAME`: who changed what on a customer; `crmtui undo`: the user's last change
from the command line, reversed (`--dry-run` shows it and changes nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from crmtui.commands._common import Parser, open_context
from crmtui.errors import InvalidInput
from crmtui.i18n import _
from crmtui.output import console, emit_json, say
from crmtui.rules import DIMENSIONS

if TYPE_CHECKING:
    from argparse import Namespace

    from crmtui.commands._common import Subparsers
    from crmtui.services.context import Context

# Handlers import their services as they run: registering these commands (`crmtui --help`
# registers every module) loads no storage.

KINDS = ("interaction", "order", "promise", "care", "survey")

Options: TypeAlias = "tuple[tuple[str, str, str | None, tuple[str, ...] | None], ...]"
"""A record's options: (option, field, help, choices)."""
"""services.corrections.KINDS, without importing the services to build the parser."""

INTERACTION_OPTIONS = (
    # (option, field, help, choices)
    ("--summary", "summary", None, None),
    (
        "--channel",
        "channel",
        None,
        ("phone", "email", "sms", "wechat", "visit", "meeting", "event", "other"),
    ),
    ("--outcome", "outcome", None, ("positive", "neutral", "negative", "no_answer")),
    ("--direction", "direction", None, ("out", "in")),
    ("--at", "at", "when it happened", None),
    ("--next", "next_on", "next step date (+3d, fri, 2026-12-01…; empty clears it)", None),
    ("--next-step", "next_step", "what the next step is", None),
    ("--contact", "contact", "the contact spoken to (empty: nobody named)", None),
)
ORDER_OPTIONS = (
    ("--amount", "amount", None, None),
    ("--product", "product", None, None),
    ("--quantity", "quantity", None, None),
    ("--date", "on", None, None),
    ("--gift", "gift", None, None),
    ("--note", "note", None, None),
    ("--cost", "cost", "what the sale cost (empty: unknown)", None),
)
PROMISE_OPTIONS = (
    ("--text", "text", "what was promised", None),
    ("--due", "due", None, None),
    ("--status", "status", None, ("open", "done", "broken")),
)
CARE_OPTIONS = (
    ("--kind", "kind", None, ("birthday", "anniversary", "other")),
    ("--year", "year", "year of birth, if known (empty clears it)", None),
    ("--note", "note", None, None),
)

METAVARS = {
    "on": "D",
    "due": "D",
    "next_on": "D",
    "at": "WHEN",
    "amount": "A",
    "cost": "A",
    "quantity": "N",
    "year": "YYYY",
}


def register(subparsers: Subparsers, common: Parser) -> None:
    top = subparsers.add_parser(
        "edit",
        parents=[common],
        help=_(
            "correct an interaction, order, promise, care date or survey by its id (ids: "
            "crmtui show)"
        ),
    )
    kinds = top.add_subparsers(dest="record", metavar="KIND", parser_class=Parser, required=True)

    def kind_parser(name: str, help_text: str, options: Options) -> Parser:
        p = kinds.add_parser(name, parents=[common], help=help_text)
        p.add_argument("id")
        for option, field, text, choices in options:
            p.add_argument(
                option,
                dest=field,
                choices=choices,
                metavar=None if choices else METAVARS.get(field, "TEXT"),
                help=_(text) if text else None,
            )
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=cmd_edit)
        return p

    p = kind_parser("interaction", _("correct a logged contact"), INTERACTION_OPTIONS)
    ask = p.add_mutually_exclusive_group()
    ask.add_argument(
        "--referral-ask",
        dest="referral_ask",
        action="store_const",
        const=True,
        help=_("a referral was asked for"),
    )
    ask.add_argument(
        "--no-referral-ask",
        dest="referral_ask",
        action="store_const",
        const=False,
        help=_("no referral was asked for"),
    )
    kind_parser("order", _("correct an order"), ORDER_OPTIONS)
    kind_parser("promise", _("correct a promise"), PROMISE_OPTIONS)
    p = kind_parser("care", _("correct a care date"), CARE_OPTIONS)
    p.add_argument("--date", metavar="MM-DD", help=_("month-day (lunar with --lunar)"))
    calendar = p.add_mutually_exclusive_group()
    calendar.add_argument(
        "--lunar",
        dest="lunar",
        action="store_const",
        const=True,
        help=_("a Chinese lunar date (农历)"),
    )
    calendar.add_argument(
        "--solar",
        dest="lunar",
        action="store_const",
        const=False,
        help=_("a solar (Gregorian) date"),
    )
    leap = p.add_mutually_exclusive_group()
    leap.add_argument(
        "--leap",
        dest="leap",
        action="store_const",
        const=True,
        help=_("in a lunar leap month (闰月)"),
    )
    leap.add_argument(
        "--no-leap", dest="leap", action="store_const", const=False, help=_("not in a leap month")
    )
    p = kind_parser("survey", _("correct a survey's scores, comment or time"), ())
    for dimension in DIMENSIONS:
        p.add_argument(f"--{dimension}", metavar="N", help=_("1–5 (empty removes the score)"))
    p.add_argument(
        "--score",
        action="append",
        default=[],
        metavar="NAME=N",
        help=_("a score 1–5 on a dimension set in the config file (repeat)"),
    )
    p.add_argument("--comment", metavar="TEXT", help=_("what the customer said"))
    p.add_argument("--at", metavar="WHEN", help=_("when it was given"))

    p = subparsers.add_parser(
        "rm",
        parents=[common],
        help=_(
            "remove an interaction, order, promise, care date or survey by its id (ids: "
            "crmtui show); crmtui undo brings it back"
        ),
    )
    p.add_argument("kind", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_rm)

    p = subparsers.add_parser(
        "history",
        parents=[common],
        help=_("who changed what on a customer, and when (newest first)"),
    )
    p.add_argument("customer", help=_("id or unambiguous name"))
    p.add_argument("--limit", type=int, default=100, metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_history)

    p = subparsers.add_parser(
        "undo", parents=[common], help=_("undo your last change made from the command line")
    )
    p.add_argument(
        "--dry-run", action="store_true", help=_("say what would be undone; change nothing")
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_undo)


def _ctx(args: Namespace) -> Context:
    return open_context(args)


OPTIONS = {
    "interaction": INTERACTION_OPTIONS,
    "order": ORDER_OPTIONS,
    "promise": PROMISE_OPTIONS,
    "care": CARE_OPTIONS,
    "survey": (),
}


def changes_of(args: Namespace) -> dict[str, Any]:
    """The fields the command line gives (None: not given)."""
    changes = {field: getattr(args, field) for _o, field, _h, _c in OPTIONS[args.record]}
    if args.record == "interaction":
        changes["referral_ask"] = args.referral_ask
    elif args.record == "care":
        changes["lunar"], changes["leap"] = args.lunar, args.leap
        if args.date is not None:
            parts = args.date.strip().lstrip("-").replace("/", "-").split("-")
            if len(parts) != 2:
                raise InvalidInput.one("date", _("'{text}' is not MM-DD").format(text=args.date))
            changes["month"], changes["day"] = parts
    elif args.record == "survey":
        changes.update({name: getattr(args, name) for name in DIMENSIONS})
        for given in args.score:
            name, equals, value = given.partition("=")
            if not equals or not name.strip():
                raise InvalidInput.one(
                    "score", _("'{text}' is not NAME=N, e.g. competitors=4").format(text=given)
                )
            changes[name.strip().lower()] = value.strip()
        changes["comment"], changes["at"] = args.comment, args.at
    return changes


def cmd_edit(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.labels import label
    from crmtui.services.corrections import edit_record

    changes = changes_of(args)
    ctx = _ctx(args)
    row = edit_record(ctx, args.record, args.id, changes)
    if args.json:
        emit_json(row.to_json())
    else:
        say(
            _("{record} #{id} saved").format(
                record=label("record", args.record).capitalize(), id=row.id
            )
        )
    return 0


def cmd_rm(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.corrections import remove_record

    ctx = _ctx(args)
    removed = remove_record(ctx, args.kind, args.id)
    if args.json:
        emit_json(removed.to_json())
    else:
        say(str(removed))
    return 0


def cmd_history(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.present.history import history_text
    from crmtui.services.customers import resolve_customer
    from crmtui.services.history import history_of

    ctx = _ctx(args)
    customer = resolve_customer(ctx, args.customer)
    entries = history_of(ctx, customer.id, limit=max(1, min(args.limit, 10_000)))
    if args.json:
        emit_json([entry.to_json() for entry in entries])
        return 0
    console().print(history_text(entries, ctx.zone, name=customer.name))
    return 0


def cmd_undo(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.present.history import undo_text
    from crmtui.services.undo import undo, undo_preview

    ctx = _ctx(args)
    if args.dry_run:
        plan = undo_preview(ctx)
        message = _("Would undo: {what}").format(what=undo_text(plan, ctx.zone, ctx.today()))
    else:
        plan = undo(ctx)
        message = _("Undone: {what}").format(what=undo_text(plan, ctx.zone, ctx.today()))
    if args.json:
        emit_json({**plan.to_json(), "undone": not args.dry_run})
    else:
        say(message)
    return 0
