"""The command line run in-process: `crmtui.cli.main(argv)` on a fixed clock in UTC, with its
output captured, so hundreds of commands take seconds (a process each would take minutes)."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import timezone

from crmtui.cli import build_parser, main
from crmtui.db.connection import Store


@dataclass
class Result:
    argv: list[str]
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def run_cli(argv: list[str], *, db, clock, login: str = "boss") -> Result:
    """One command, as `crmtui --db DB ARGV…` would run it for the OS login `login`."""
    return run_main(["--db", str(db), *argv], clock=clock, login=login)


@contextmanager
def closing_its_databases() -> Iterator[None]:
    """What a process does when it ends: close every database it opened. In-process, a command
    left open would be read again from its page cache, and keep its write-ahead log."""
    opened: list[Store] = []
    init = Store.__init__

    def remembered(store: Store, *args, **kwargs) -> None:
        init(store, *args, **kwargs)
        opened.append(store)

    Store.__init__ = remembered  # type: ignore[method-assign]
    try:
        yield
    finally:
        Store.__init__ = init  # type: ignore[method-assign]
        for store in opened:
            store.close()


def run_main(argv: list[str], *, clock, login: str = "boss") -> Result:
    """One command, as `crmtui ARGV…` would run it for the OS login `login`."""
    # a byte stream under the text, as a real standard output has (calendars write bytes)
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    err = io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), closing_its_databases():
        try:
            code = main(argv, login=login, clock=clock, zone=timezone.utc)
        except SystemExit as stop:  # usage errors, --help: as a process would end
            if stop.code is None or isinstance(stop.code, int):
                code = stop.code or 0
            else:
                print(stop.code, file=sys.stderr)
                code = 1
    out.flush()
    return Result(argv, code, raw.getvalue().decode("utf-8"), err.getvalue())


def leaf_commands() -> dict[tuple[str, ...], argparse.ArgumentParser]:
    """Every command the parser knows, by its words (("complaint", "ack"), ("due",)…)."""
    found: dict[tuple[str, ...], argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, words: tuple[str, ...]) -> None:
        subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subparsers:
            found[words] = parser
            return
        for name, sub in subparsers[0].choices.items():
            walk(sub, (*words, name))

    walk(build_parser(), ())
    return found


def takes_json(parser: argparse.ArgumentParser) -> bool:
    return any("--json" in action.option_strings for action in parser._actions)


def commands_by_module() -> dict[str, dict[tuple[str, ...], argparse.ArgumentParser]]:
    """The commands each module of `crmtui.cli.COMMAND_MODULES` adds, by module."""
    from crmtui.cli import COMMAND_MODULES

    every = leaf_commands()
    grouped: dict[str, dict[tuple[str, ...], argparse.ArgumentParser]] = {}
    for name in COMMAND_MODULES:
        module_words = set(_words_registered_by(name))
        grouped[name] = {words: parser for words, parser in every.items()
                         if words[0] in module_words}
    return grouped


def _words_registered_by(module_name: str) -> list[str]:
    import importlib

    from crmtui.cli import Parser, global_options

    parser = Parser(prog="crmtui")
    subparsers = parser.add_subparsers(dest="command", parser_class=Parser)
    importlib.import_module(module_name).register(subparsers, global_options())
    return list(subparsers.choices)
