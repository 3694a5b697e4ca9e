"""`crmtui db check|backup|restore|migrate`: look after the database file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from crmtui.commands._common import claimed_user, database_target, open_context
from crmtui.i18n import _
from crmtui.labels import label
from crmtui.output import console, emit_json, say

if TYPE_CHECKING:
    from argparse import Namespace

    from crmtui.commands._common import Parser, Subparsers

# Handlers import their services as they run: registering these commands (`crmtui --help`
# registers every module) loads no storage.


def register(subparsers: Subparsers, common: Parser) -> None:
    db = subparsers.add_parser("db", parents=[common], help=_("check, back up, restore or migrate"))
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    p = actions.add_parser(
        "check", parents=[common], help=_("integrity, schema version and derived columns")
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_check)
    p = actions.add_parser("backup", parents=[common], help=_("a consistent copy of the database"))
    p.add_argument("-o", "--output", metavar="FILE")
    p.set_defaults(handler=cmd_backup)
    p = actions.add_parser(
        "restore",
        parents=[common],
        help=_("replace the database with a backup file"),
        description=_(
            "Check FILE (a crmtui database this version can open, passing SQLite's "
            "integrity check), keep a copy of the current database in backups/, then "
            "replace it with FILE. SQLite only; managers."
        ),
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_restore)
    p = actions.add_parser("migrate", parents=[common], help=_("upgrade to this version's schema"))
    p.set_defaults(handler=cmd_migrate)
    p = actions.add_parser(
        "setup-roles",
        parents=[common],
        help=_("PostgreSQL: have the server enforce the roles (the tables' owner)"),
        description=_(
            "Make every user of this PostgreSQL database their own database role in a "
            "group for their role, with row-level security, matching grants and an "
            "audit log written by triggers. Run it connected as the role that owns "
            "the tables, which needs CREATEROLE. Running it again brings the roles "
            "and policies up to date."
        ),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_setup_roles)


def _target(args: Namespace) -> str:
    return database_target(args)


def cmd_check(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.maintenance import check_database

    report = check_database(_target(args))
    if args.json:
        emit_json(report.to_json())
    else:
        out = console()
        for line in report.lines:
            say(line)
        out.print(_("OK") if report.ok else "[red]" + _("problems found") + "[/]")
    return 0 if report.ok else 1


def cmd_backup(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.maintenance import backup

    ctx = open_context(args, create=False)
    path = backup(ctx, Path(args.output) if args.output else None)
    say(_("Backup written to {path}").format(path=path))
    return 0


def cmd_restore(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.config import load_config
    from crmtui.services.maintenance import restore

    config = load_config(Path(args.config) if args.config else None)
    result = restore(
        _target(args), Path(args.file), login=args.run_by, as_user=claimed_user(args), config=config
    )
    if args.json:
        emit_json(
            {
                "restored_from": str(result.restored_from),
                "replaced_copy": str(result.replaced_copy) if result.replaced_copy else None,
                "schema_version": result.schema_version,
                "notices": result.notices,
            }
        )
        return 0
    out = console()
    out.print(
        _("Restored {target} from {file}").format(target=_target(args), file=args.file),
        markup=False,
        soft_wrap=True,
    )
    if result.replaced_copy:
        out.print(
            _("The database it replaced is kept at {path}").format(path=result.replaced_copy),
            markup=False,
            soft_wrap=True,
        )
    for notice in result.notices:
        out.print(notice, markup=False, soft_wrap=True)
    return 0


def cmd_migrate(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.db import LATEST_VERSION, open_store

    store = open_store(_target(args), create=False)
    for notice in store.notices:
        say(notice)
    say(_("Schema version {v}: up to date").format(v=LATEST_VERSION))
    store.close()
    return 0


def cmd_setup_roles(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.users import set_up_roles

    ctx = open_context(args, create=False)
    report = set_up_roles(ctx)
    if args.json:
        emit_json(report.to_json())
        return 0

    def said(text: str) -> None:
        say(text, soft_wrap=True)

    said(
        _("The server now enforces the roles on {target}; the tables' owner is {owner}.").format(
            target=ctx.store.target, owner=report.owner
        )
    )
    said(
        _(
            "Group roles: {groups}, all members of {team} (name it in pg_hba.conf as +{team})."
        ).format(groups=", ".join(report.groups.values()), team=report.team_group)
    )
    for login, role in report.members.items():
        said("  " + _("{login}: {role}").format(login=login, role=label("role", role)))
    people = [name for name in report.created_roles if name in report.members]
    if people:
        said(
            _(
                "New login roles: {logins}. They connect by peer authentication on the server's "
                "socket; for remote access give each a password (ALTER ROLE … PASSWORD) or use "
                "GSSAPI."
            ).format(logins=", ".join(people))
        )
    return 0
