"""`crmtui db check|backup|restore|migrate`: look after the database file."""

from __future__ import annotations

from crmtui.i18n import _
from crmtui.output import console, emit_json, say


def register(subparsers, common) -> None:
    db = subparsers.add_parser("db", parents=[common],
                               help=_("check, back up, restore or migrate"))
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    p = actions.add_parser("check", parents=[common],
                           help=_("integrity, schema version and derived columns"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_check)
    p = actions.add_parser("backup", parents=[common], help=_("a consistent copy of the database"))
    p.add_argument("-o", "--output", metavar="FILE")
    p.set_defaults(handler=cmd_backup)
    p = actions.add_parser(
        "restore", parents=[common], help=_("replace the database with a backup file"),
        description=_("Check FILE (a crmtui database this version can open, passing SQLite's "
                      "integrity check), keep a copy of the current database in backups/, then "
                      "replace it with FILE. SQLite only; managers."))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_restore)
    p = actions.add_parser("migrate", parents=[common], help=_("upgrade to this version's schema"))
    p.set_defaults(handler=cmd_migrate)


def _target(args):
    from crmtui.cli import database_target

    return database_target(args)


def cmd_check(args) -> int:
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


def cmd_backup(args) -> int:
    from pathlib import Path

    from crmtui.cli import open_context
    from crmtui.services.maintenance import backup

    ctx = open_context(args, create=False)
    path = backup(ctx, Path(args.output) if args.output else None)
    say(_("Backup written to {path}").format(path=path))
    return 0


def cmd_restore(args) -> int:
    from pathlib import Path

    from crmtui.config import load_config
    from crmtui.services.maintenance import restore

    config = load_config(Path(args.config) if args.config else None)
    result = restore(_target(args), Path(args.file), login=args.user, config=config)
    if args.json:
        emit_json({"restored_from": str(result.restored_from),
                   "replaced_copy": str(result.replaced_copy) if result.replaced_copy else None,
                   "schema_version": result.schema_version, "notices": result.notices})
        return 0
    out = console()
    out.print(_("Restored {target} from {file}").format(target=_target(args), file=args.file),
              markup=False, soft_wrap=True)
    if result.replaced_copy:
        out.print(_("The database it replaced is kept at {path}").format(
            path=result.replaced_copy), markup=False, soft_wrap=True)
    for notice in result.notices:
        out.print(notice, markup=False, soft_wrap=True)
    return 0


def cmd_migrate(args) -> int:
    from crmtui.db import LATEST_VERSION, open_store

    store = open_store(_target(args), create=False)
    for notice in store.notices:
        say(notice)
    say(_("Schema version {v}: up to date").format(v=LATEST_VERSION))
    store.close()
    return 0
