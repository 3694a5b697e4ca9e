"""The `crmtui` command. Without a subcommand it opens the terminal app.

Subcommands print with rich (or JSON with --json) and never import textual, so a shell login
banner (`crmtui due --brief`) stays fast. Every error a user can cause ends in one line on
stderr and exit code 1; usage errors exit 2; anything unexpected is logged in full to the log
file and reported in one line.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmtui import __version__
from crmtui.commands._common import Parser, claimed_user, database_target, open_context
from crmtui.errors import CrmError
from crmtui.i18n import LANGUAGES, N_, _, choose_language, set_language
from crmtui.loading import loaded
from crmtui.plaintext import strip_controls

if TYPE_CHECKING:
    from crmtui.commands._common import Subparsers
    from crmtui.config import Config

__all__ = [
    "COMMAND_HOMES",
    "COMMAND_MODULES",
    "Parser",
    "build_parser",
    "claimed_user",
    "database_target",
    "global_options",
    "main",
    "open_context",
]

# Modules that add subcommands; each has register(subparsers, common).
COMMAND_MODULES = (
    "crmtui.commands.due",
    "crmtui.commands.customers",
    "crmtui.commands.interactions",
    "crmtui.commands.orders",
    "crmtui.commands.care",
    "crmtui.commands.demo",
    "crmtui.commands.database",
    "crmtui.commands.complaints",
    "crmtui.commands.users",
    "crmtui.commands.transfer",
    "crmtui.commands.stats",
    "crmtui.commands.accounts",
    "crmtui.commands.appointments",
    "crmtui.commands.corrections",
    "crmtui.commands.followthrough",
)
# Which module adds each command, so that running one imports only its module (a command not
# listed here still works: every module is then imported to find it).
COMMAND_HOMES = {
    "due": "crmtui.commands.due",
    **dict.fromkeys(
        ("add", "show", "grade", "status", "class", "assign", "find"), "crmtui.commands.customers"
    ),
    "log": "crmtui.commands.interactions",
    "order": "crmtui.commands.orders",
    **dict.fromkeys(("greetings", "snooze", "care", "promise"), "crmtui.commands.care"),
    "demo": "crmtui.commands.demo",
    "db": "crmtui.commands.database",
    "complaint": "crmtui.commands.complaints",
    **dict.fromkeys(("user", "audit", "delete"), "crmtui.commands.users"),
    **dict.fromkeys(("import", "export", "merge"), "crmtui.commands.transfer"),
    **dict.fromkeys(("stats", "report", "survey"), "crmtui.commands.stats"),
    **dict.fromkeys(("contact", "plan", "target"), "crmtui.commands.accounts"),
    **dict.fromkeys(("appointment", "agenda"), "crmtui.commands.appointments"),
    **dict.fromkeys(("edit", "rm", "history", "undo"), "crmtui.commands.corrections"),
    **dict.fromkeys(("instruct", "instruction", "pay", "deliver"), "crmtui.commands.followthrough"),
}


# argparse's own words (it looks them up with gettext; see _translate_argparse)
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("not allowed with argument %s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("one of the arguments %s is required"),
)


def global_options() -> Parser:
    """Options accepted before or after the subcommand (SUPPRESS keeps the outer value)."""
    common = Parser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help=_("database file or postgresql:// URL (env CRMTUI_DB)"),
    )
    common.add_argument(
        "--user",
        metavar="LOGIN",
        default=argparse.SUPPRESS,
        help=_("act as this user (default: the OS login)"),
    )
    common.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=argparse.SUPPRESS,
        help=_("interface language (default: the config file's lang, else the locale)"),
    )
    common.add_argument(
        "--config",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help=_("config file (default: the user's config.toml)"),
    )
    return common


class _Skipped:
    """Stands in for the parsers of commands not being run: building every subcommand's
    arguments costs more than running `crmtui due`, so only the one asked for is built."""

    def __getattr__(self, name: str) -> Callable[..., _Skipped]:
        return lambda *args, **kwargs: self


class _OnlyCommand:
    def __init__(self, subparsers: Subparsers, wanted: str) -> None:
        self._subparsers = subparsers
        self._wanted = wanted

    def add_parser(self, name: str, **kwargs: Any) -> Parser | _Skipped:
        if name == self._wanted:
            return self._subparsers.add_parser(name, **kwargs)
        return _Skipped()


_VALUE_OPTIONS = ("--db", "--user", "--lang", "--config")
PATH_ERRORS = frozenset(
    (
        errno.ENAMETOOLONG,
        errno.ENOENT,
        errno.ENOTDIR,
        errno.EISDIR,
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
        errno.EEXIST,
        errno.ELOOP,
    )
)
"""What an OSError says about a path the user named, rather than about the machine."""


def requested_command(argv: Sequence[str]) -> str | None:
    """The subcommand named on the command line, if any (the first word not an option)."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in _VALUE_OPTIONS:
            skip = True
        elif not token.startswith("-"):
            return token
    return None


def asks_for_help(argv: Sequence[str]) -> bool:
    """Whether the command line asks for help (-h, --help or an abbreviation of it)."""
    for token in argv:
        if token == "--":
            return False
        if token == "-h" or (len(token) > 2 and "--help".startswith(token)):
            return True
    return False


def build_parser(command: str | None = None, *, commands: bool = True) -> Parser:
    """The parser; with `command`, only that subcommand's arguments are built; without
    `commands`, none (the app's own start, which names no command and asks for no help)."""
    import importlib  # the command modules are imported by name, only the one asked for

    common = global_options()
    parser = Parser(
        prog="crmtui",
        parents=[common],
        description=_("A keyboard-driven CRM for the terminal. Without a command, opens the app."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"crmtui {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help=_("open the app on a throw-away database filled with demo data"),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    target = _OnlyCommand(subparsers, command) if command else subparsers
    home = COMMAND_HOMES.get(command) if command else None
    for name in (home,) if home else COMMAND_MODULES if commands else ():
        importlib.import_module(name).register(target, common)
    if command and command not in subparsers.choices:  # unknown: list every command
        return build_parser()
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    login: str | None = None,
    clock: Callable[[], datetime] | None = None,
    zone: tzinfo | None = None,
) -> int:
    """Run the command line; the exit code. `login` is who runs it, for tests; by default the OS
    login of the process (its user id: nothing on the command line or in the environment can
    change it). `clock` and `zone` replace the real clock and the machine's time zone (tests run
    commands in-process on a fixed day)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    early_config = set_language_early(argv)
    command = requested_command(argv)
    parser = build_parser(command, commands=command is not None or asks_for_help(argv))
    if any("\x00" in arg for arg in argv):  # no real command line can hold one; main(argv) can
        parser.error(_("an argument holds a NUL character"))
    args = parser.parse_args(argv)
    args.early_config = early_config
    args.run_by = login  # not "login": subcommands have a positional of that name
    args.clock, args.zone, args.context = clock, zone, None
    for name, default in (("db", None), ("user", None), ("lang", None), ("config", None)):
        if not hasattr(args, name):
            setattr(args, name, default)
    return _run(args, early_config)


def _run(args: argparse.Namespace, early_config: Config | None) -> int:
    try:
        if args.config and early_config is None:  # a file named must be there and be good
            from crmtui.config import load_config  # the settings load only when a file is named

            args.early_config = load_config(Path(args.config))
        _skip_server_drivers(args)
        handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", None) or _run_app
        if handler is not _run_app and not getattr(args, "says_when_loaded", False):
            loaded()  # (the app and `crmtui due` say so themselves, after their imports)
        return handler(args) or 0
    except CrmError as error:
        if _saved(args):  # refused after a change committed: say both
            _fail(_("saved: {what}; then: {error}").format(what=_saved(args), error=error))
        else:
            _fail(str(error))
        return 1
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as error:
        if error.errno not in PATH_ERRORS or error.filename is None:
            return _unexpected(error, args)  # a full disk, a device error: said there
        # a file named on the command line that cannot be (too long a name, no such folder…)
        reason = _("cannot use {path}: {reason}").format(path=error.filename, reason=error.strerror)
        _fail(
            _("saved: {what}; then: {error}").format(what=_saved(args), error=reason)
            if _saved(args)
            else reason
        )
        return 1
    except KeyboardInterrupt:
        if _saved(args):
            _fail(_("saved: {what}; interrupted after it").format(what=_saved(args)))
        return 130
    except Exception as error:  # anything unexpected: one line for the user, details in the log
        return _unexpected(error, args)
    finally:
        _close_store(args)
        output = sys.modules.get("crmtui.output")  # not imported for nothing on the lean path
        if output is not None:
            output.forget_console()


def _close_store(args: argparse.Namespace) -> None:
    """Close the database the command opened, as the end of a process would: `main()` may be
    called again in the same process (scripts, tests), which must not read stale pages."""
    context = getattr(args, "context", None)
    if context is not None:
        try:
            context.store.close()
        except Exception as error:  # the command's own outcome is what the user reads
            # on failure only: the crash log's writer loads when something breaks
            from crmtui.crashlog import write_log

            write_log(error)


def _saved(args: argparse.Namespace) -> str:
    """What the command's context committed, in words ("" when nothing was saved)."""
    context = getattr(args, "context", None)
    return ", ".join(context.saved) if context is not None else ""


def set_language_early(argv: list[str]) -> Config | None:
    """Choose the language before the parser is built, so that help and usage errors speak it
    too: --lang, else the config file's lang, else the locale. Returns the config read for it
    (None when --lang decided or the file is bad), for the command to use."""
    flag = _option_value(argv, "--lang")
    flag = flag if flag in LANGUAGES else None  # a wrong one is the parser's to report
    configured: str | None = None
    loaded: Config | None = None
    if flag is None:
        from crmtui.config import load_config  # the settings load only when --lang is not given

        config = _option_value(argv, "--config")
        try:
            loaded = load_config(Path(config) if config else None)
            configured = loaded.lang
        except CrmError:
            pass  # reported in full when the command opens its context
    set_language(choose_language(flag, configured, os.environ))
    _translate_argparse()
    return loaded


def _option_value(argv: list[str], name: str) -> str | None:
    """The value given to option `name` (as `name VALUE` or `name=VALUE`), if any."""
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == name and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith(name + "="):
            return arg.partition("=")[2]
    return None


def _translate_argparse() -> None:
    # argparse looks its words up with gettext.gettext under its own domain, for which no
    # Chinese catalogue is installed; give it ours.
    argparse._ = _  # type: ignore[attr-defined]


def _fail(message: str) -> None:
    # One line, whatever the message quotes (typed text may hold line breaks or escapes).
    line = strip_controls(str(message))
    sys.stderr.write(f"crmtui: {line}\n")  # the program's name is not translated


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _unexpected(error: Exception, args: argparse.Namespace) -> int:
    # on failure only: what explains an unexpected error loads when one happens
    import sqlite3

    import peewee

    from crmtui.crashlog import write_log
    from crmtui.db.connection import (
        corrupt_error,
        disk_full_error,
        is_corruption,
        is_io_error,
        mark_suspect,
    )

    target = database_target(args)
    database_errors = (peewee.DatabaseError, sqlite3.DatabaseError)  # raw ones come from fetching
    if isinstance(error, database_errors) and "://" not in target and is_io_error(error):
        mark_suspect(Path(target))  # the next open checks the file
    full = disk_full_error(error, target)
    if full is not None:
        _fail(str(full))
        return 1
    if isinstance(error, database_errors) and is_corruption(error) and "://" not in target:
        # damage found after opening (in a page the opening checks did not read)
        _fail(str(corrupt_error(Path(target), error)))
        return 1

    logged = write_log(error)
    where = " " + _("(details in {path})").format(path=logged) if logged else ""
    saved = _saved(args)
    if saved:  # the change is in: reporting a failure would make the user save it again
        _fail(
            _("saved: {what}; the confirmation could not be printed: {kind}: {error}").format(
                what=saved, kind=error.__class__.__name__, error=error
            )
            + where
        )
        return 0
    if isinstance(error, database_errors):
        first = str(error).splitlines()[0] if str(error) else repr(error)
        _fail(_("database error: {error}; nothing was changed").format(error=first) + where)
    else:
        _fail(
            _("unexpected error: {kind}: {error}").format(
                kind=error.__class__.__name__, error=error
            )
            + where
        )
    return 1


def _skip_server_drivers(args: argparse.Namespace) -> None:
    """peewee imports every database driver installed; a session on an SQLite file never uses
    the PostgreSQL ones, and psycopg2 alone costs about a fifth of `crmtui due`'s start-up."""
    if "peewee" in sys.modules:  # too late to matter (and never in a process already using it)
        return
    target = database_target(args)
    if "://" not in target or target.startswith("sqlite"):
        for name in ("psycopg2", "psycopg"):
            # makes `import psycopg2` fail fast in peewee (None is how sys.modules says so)
            sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def _run_app(args: argparse.Namespace) -> int:
    """The terminal app, on the configured database or (--demo) a throw-away demo one."""
    # only for the app: the commands never load the app's modules
    from crmtui.services.worklist import read_today_early

    if args.demo:
        from crmtui.commands.demo import demo_database

        loaded()  # (building the demo is work, not loading)
        args.db = demo_database(args)
    ctx = open_context(args)
    ctx.origin = "app"
    # Textual takes longer to import than Today's list takes to read: do both at once.
    early = read_today_early(ctx)
    from crmtui.app import run_app

    loaded()
    return run_app(ctx, early)
