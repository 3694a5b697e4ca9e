"""Team administration: `crmtui user add|list|role|remove`, `crmtui audit`, `crmtui delete`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmtui.commands._common import open_context
from crmtui.errors import CrmError
from crmtui.i18n import _
from crmtui.labels import label
from crmtui.output import console, emit_json, say
from crmtui.present.text import plain
from crmtui.present.time import local_day, moment

if TYPE_CHECKING:
    from argparse import Namespace

    from crmtui.commands._common import Parser, Subparsers
    from crmtui.services.context import Context

# Handlers import their services as they run: registering these commands (`crmtui --help`
# registers every module) loads no storage.

ROLE_CHOICES = ("rep", "support", "manager")


def register(subparsers: Subparsers, common: Parser) -> None:
    user = subparsers.add_parser(
        "user", parents=[common], help=_("add users, change roles, deactivate (managers)")
    )
    actions = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)

    p = actions.add_parser("add", parents=[common], help=_("add a user (or bring one back)"))
    p.add_argument("login", help=_("their OS login"))
    p.add_argument("--name", default="", help=_("display name"))
    p.add_argument("--role", choices=ROLE_CHOICES, default="rep")
    p.set_defaults(handler=cmd_user_add)

    p = actions.add_parser("list", parents=[common], help=_("everyone, with what they own"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_user_list)

    p = actions.add_parser("role", parents=[common], help=_("change a user's role"))
    p.add_argument("login")
    p.add_argument("role", choices=ROLE_CHOICES)
    p.add_argument(
        "--to",
        metavar="LOGIN",
        help=_("who takes over their customers (when a rep becomes support)"),
    )
    p.set_defaults(handler=cmd_user_role)

    p = actions.add_parser(
        "remove",
        parents=[common],
        help=_("deactivate a user; their customers must go to someone else"),
    )
    p.add_argument("login")
    p.add_argument("--to", metavar="LOGIN", help=_("who takes over their customers"))
    p.set_defaults(handler=cmd_user_remove)

    p = subparsers.add_parser(
        "audit", parents=[common], help=_("the audit log: exports, deletions, reassignments, roles")
    )
    p.add_argument("--limit", type=int, default=50, metavar="N")
    p.add_argument("--action", metavar="A", help=_("only this action (delete, reassign, role…)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_audit)

    p = subparsers.add_parser(
        "delete", parents=[common], help=_("delete a customer and its history (audited)")
    )
    p.add_argument("customer", help=_("id or unambiguous name"))
    p.add_argument("--yes", action="store_true", help=_("confirm the deletion"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_delete)


def _ctx(args: Namespace) -> Context:
    return open_context(args)


def cmd_user_add(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.users import add_user

    ctx = _ctx(args)
    user = add_user(ctx, args.login, name=args.name, role=args.role)
    say(
        _("{login} can use the database as {role}").format(
            login=user.login, role=label("role", user.role)
        )
    )
    if ctx.store.team is not None:
        console().print(
            _(
                "On this PostgreSQL database {login} connects as the database role "
                "{login}: by peer authentication on the server's socket, or remotely "
                "with a password (ALTER ROLE … PASSWORD) or GSSAPI."
            ).format(login=user.login),
            markup=False,
            soft_wrap=True,
        )
    return 0


def cmd_user_list(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.users import list_users

    ctx = _ctx(args)
    members = list_users(ctx)
    if args.json:
        emit_json([m.to_json() for m in members])
        return 0
    from rich.table import Table

    table = Table(show_edge=False)
    for column in (
        _("Login"),
        _("Name"),
        _("Role"),
        _("Customers"),
        _("Open complaints"),
        _("Since"),
    ):
        table.add_column(column)
    for m in members:
        style = "" if m.active else "dim"
        role = (
            label("role", m.role)
            if m.active
            else _("{role}, deactivated").format(role=label("role", m.role))
        )
        table.add_row(
            plain(m.login),
            plain(m.name),
            role,
            str(m.customers),
            str(m.open_complaints),
            local_day(m.created_at, ctx.zone),
            style=style,
        )
    console().print(table)
    return 0


def cmd_user_role(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.users import set_role

    user = set_role(_ctx(args), args.login, args.role, to=args.to)
    say(_("{login} is now {role}").format(login=user.login, role=label("role", user.role)))
    return 0


def cmd_user_remove(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.users import deactivate_user

    done = deactivate_user(_ctx(args), args.login, to=args.to)
    text = _("{login} is deactivated").format(login=done.login)
    if done.to:
        text += "; " + _("{n} customers and {c} open complaints went to {to}").format(
            n=done.customers_moved, c=done.complaints_moved, to=done.to
        )
    elif done.complaints_moved:
        text += "; " + _("{c} open complaints went back to the queue").format(
            c=done.complaints_moved
        )
    say(text)
    return 0


def cmd_audit(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.audit import audit_entries, entry_json

    ctx = _ctx(args)
    entries = audit_entries(ctx, limit=max(1, min(args.limit, 100_000)), action=args.action)
    if args.json:
        emit_json([entry_json(e) for e in entries])
        return 0
    if not entries:
        say(
            _("the audit log has no entries")
            if not args.action
            else _("no '{action}' entries").format(action=args.action)
        )
        return 0
    from rich.table import Table

    table = Table(show_edge=False)
    for column in (_("When"), _("Who"), _("Action"), _("Record"), _("Detail")):
        table.add_column(column)
    for e in entries:
        record = f"{e.entity} #{e.entity_id}" if e.entity_id is not None else e.entity
        table.add_row(
            moment(e.at, ctx.zone),
            plain(e.user.login if e.user is not None else ""),
            plain(e.action),
            plain(record),
            plain(e.detail),
        )
    console().print(table)
    return 0


def cmd_delete(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.customers import delete_customer, deletion_preview, resolve_customer

    ctx = _ctx(args)
    customer = resolve_customer(ctx, args.customer)
    if not args.yes:
        raise CrmError(
            _("this would delete {what}; add --yes to delete").format(
                what=deletion_preview(ctx, customer.id)
            )
        )
    removed = delete_customer(ctx, customer.id)
    if args.json:
        emit_json(
            {
                "id": removed.customer_id,
                "name": removed.name,
                "interactions": removed.interactions,
                "orders": removed.orders,
                "complaints": removed.complaints,
            }
        )
    else:
        say(_("Deleted {what}").format(what=removed))
    return 0
