"""What every command module shares: the parser class whose errors are one line, and the
acting user's context on the database the options name."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias

from crmtui.errors import InvalidInput
from crmtui.i18n import _, explain
from crmtui.plaintext import strip_controls

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from crmtui.db import Customer
    from crmtui.services.context import Context


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one clear line, exit 2
        self.print_usage(sys.stderr)
        line = strip_controls(_("error: {message}").format(message=message))  # quotes typing
        self.exit(2, "crmtui: " + line + "\n")

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        # Before Python 3.12 argparse drops a bare "--" given as an option's value
        # (`--limit=--`) and hands the command an empty list, unconverted. Read it as the text
        # it is, so that the option's type refuses it in one line like any other bad value.
        if arg_strings == ["--"] and action.option_strings and action.nargs is None:
            return self._get_value(action, "--")
        return super()._get_values(action, arg_strings)


Subparsers: TypeAlias = "argparse._SubParsersAction[Parser]"
"""What a command module's `register` adds its commands to."""
Handler: TypeAlias = "Callable[[argparse.Namespace], int]"
"""A command's function: the parsed options in, the exit status out."""


def database_target(args: argparse.Namespace) -> str:
    """The database the options name: --db, else CRMTUI_DB, else the default file."""
    from crmtui.locations import default_database  # platformdirs: only once a path is needed

    return getattr(args, "db", None) or os.environ.get("CRMTUI_DB") or str(default_database())


def claimed_user(args: argparse.Namespace) -> str | None:
    """The login the command line asks to act as: --user, else CRMTUI_USER (both only a claim,
    honoured for a manager; see services.context.acting_login)."""
    return (getattr(args, "user", None) or os.environ.get("CRMTUI_USER", "")).strip() or None


def open_context(args: argparse.Namespace, *, create: bool = True) -> Context:
    """The acting user on the database the options name."""
    # storage loads only once a command opens it: parsing and usage errors stay quick
    from crmtui.config import load_config
    from crmtui.services.context import open_context as open_ctx

    config = getattr(args, "early_config", None) or load_config(
        Path(args.config) if args.config else None
    )
    config = config.with_lang(args.lang)
    extra = {"clock": args.clock} if getattr(args, "clock", None) is not None else {}
    ctx = open_ctx(
        database_target(args),
        login=getattr(args, "run_by", None),
        as_user=claimed_user(args),
        config=config,
        create=create,
        zone=getattr(args, "zone", None),
        **extra,
    )
    ctx.origin = "cli"  # its own undo (the app's context says "app")
    args.context = ctx  # what it saves is told even if the command fails after
    for notice in ctx.store.notices:  # read-only, upgraded…: on stderr, so JSON stays clean
        sys.stderr.write("crmtui: " + _("note: {notice}").format(notice=notice) + "\n")
    return ctx


def named_day(ctx: Context, text: str | None) -> date:
    """The day an option names (+3d, fri, 2026-12-01…), or today when it names none."""
    if not text:
        return ctx.today()
    from crmtui.rules import DateInputError, parse_date  # when run: parsing must not load the rules

    try:
        return parse_date(text, ctx.today())
    except DateInputError as error:
        raise InvalidInput.one("date", explain(error)) from None


def named_customer(ctx: Context, reference: str) -> Customer:
    """The customer an id or an unambiguous name refers to."""
    from crmtui.services.customers import resolve_customer  # when run, as open_context

    return resolve_customer(ctx, reference)
