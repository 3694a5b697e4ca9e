"""The command line under random arguments (hypothesis): every subcommand the parser knows gets
dates, ids, amounts, huge and negative numbers, empty strings, unicode, markup and control
characters in every argument. Every run ends in exit 0, 1 or 2 with one clear line and never a
traceback, and a refused command leaves the database as it was (every table's rows)."""

from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.inprocess import commands_by_module, run_cli
from tests.conftest import TODAY, make_context
from tests.hostile import build_hostile, forbidden_in

GROUPS = commands_by_module()
GLOBAL_OPTIONS = {"help", "db", "user", "lang", "config", "version", "demo"}
EXAMPLES = int(os.environ.get("CRMTUI_FUZZ_EXAMPLES", "80"))
"""Command lines per module of commands: enough to reach every argument of every command with
the values below, while the whole test stays within seconds (CRMTUI_FUZZ_EXAMPLES=2000 for a
deeper search)."""

NASTY = (
    "", " ", "0", "1", "-1", "2", "3", "7", "99999999999999999999", "-99999999999999999999",
    "9223372036854775808", "1e309", "NaN", "inf", "-0", "0.001", "12.345", "1,000", "￥1.2万",
    "0001-01-01", "9999-12-31", "0000-00-00", "2026-02-30", "2026-13-01", "+99999d", "-99999d",
    "+99999m", "+99999y", "-99999min", "+99999h", "99:99", "24:00", "today", "tomorrow", "fri",
    "0001-01-01 00:00", "9999-12-31 23:59", "#1", "#", "1 2", "none", "-", "--", "high",
    "critical", "A", "Z", "rep", "support", "manager", "boss", "nobody", "daily", "weekly", "csv",
    "json", "html", "[/]", "[bold]x", "[link=http://x]y[/link]", "\x1b]0;t\x07", "a\nb",
    "\u202eevil", "张三", "😀", "x" * 300, "/", ".", "/nonexistent/dir/file.csv",
)


IDS = st.one_of(st.integers(min_value=-10, max_value=40).map(str),
                st.sampled_from(("99999999999999999999", "9223372036854775808", "-1", "0", "#1",
                                 "#99999999999999999999", "１２", "1.5", "1e3")))
DATES = st.one_of(st.dates().map(lambda day: day.isoformat()),
                  st.sampled_from(("0001-01-01", "9999-12-31", "+99999d", "-99999d", "+99999y",
                                   "+1000y", "-2000y", "today", "fri", "2026-02-29",
                                   "0001-01-01 00:00", "9999-12-31 23:59", "+99999h",
                                   "-99999min", "24:00")))
AMOUNTS = st.one_of(st.decimals(allow_nan=True, allow_infinity=True).map(str),
                    st.integers(min_value=-(10 ** 25), max_value=10 ** 25).map(str))
KINDS = (
    (("customer", "keep", "other", "id", "done", "broken", "referred_by", "appointment"), IDS),
    (("date", "close", "next", "at", "due", "until", "promise_due", "promise"), DATES),
    (("amount", "quantity", "satisfaction", "limit", "customers", "seed", "year", "product",
      "service", "responsiveness", "value", "overall", "period", "minutes"), AMOUNTS),
)
"""Values shaped like what an argument takes, by its name: ids, dates and numbers, including
ones out of every range."""


def values(dest: str) -> st.SearchStrategy[str]:
    shaped = next((strategy for names, strategy in KINDS if dest in names), None)
    anything = st.one_of(st.sampled_from(NASTY), st.text(max_size=12))
    return anything if shaped is None else st.one_of(shaped, shaped, anything)


@st.composite
def command_lines(draw, commands: dict[tuple[str, ...], argparse.ArgumentParser]) -> list[str]:
    """A command of the group with random values for some of its arguments (each positional
    always, each option sometimes; a choice now and then from its own choices)."""
    words = draw(st.sampled_from(sorted(commands)))
    argv = list(words)
    for action in commands[words]._actions:
        if action.dest in GLOBAL_OPTIONS or isinstance(action, argparse._SubParsersAction):
            continue
        if action.option_strings and not action.required and not draw(st.booleans()):
            continue
        if action.nargs == 0:  # a flag
            argv.append(action.option_strings[0])
            continue
        if action.choices and draw(st.booleans()):
            value = str(draw(st.sampled_from(list(action.choices))))
        else:
            value = draw(values(action.dest))
        if action.option_strings:
            argv.append(f"{action.option_strings[0]}={value}")  # values may start with -
        elif value.startswith("-"):
            argv += ["--", value] if "--" not in argv else [value]
        else:
            argv.append(value)
    return argv


def fingerprint(path) -> str:
    """Every row of every table, hashed: equal when nothing was changed."""
    digest = hashlib.sha256()
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            digest.update(table.encode())
            rows = sorted(repr(row) for row in connection.execute(f'SELECT * FROM "{table}"'))
            digest.update("\n".join(rows).encode())
    finally:
        connection.close()
    return digest.hexdigest()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The hostile database, made once; each test works on a copy."""
    from tests.conftest import Clock

    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "original.sqlite3"
    ctx = make_context(path, Clock())
    build_hostile(ctx, ctx.clock, TODAY)
    ctx.store.close()
    return path


@pytest.mark.parametrize("module", sorted(GROUPS))
def test_random_arguments_end_in_one_clear_line_and_refusals_change_nothing(
        module, world, tmp_path, clock, monkeypatch):
    import shutil

    db = tmp_path / "crm.sqlite3"
    shutil.copy(world, db)
    monkeypatch.chdir(tmp_path)  # files a command writes (backups, exports) land here
    runs = []

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(argv=command_lines(GROUPS[module]))
    def run(argv):
        before = fingerprint(db)
        result = run_cli(argv, db=db, clock=clock)
        runs.append(result.code)
        shown = " ".join(repr(a) for a in argv)
        assert result.code in (0, 1, 2), f"{shown}: exit {result.code}\n{result.err}"
        assert "Traceback" not in result.out + result.err, f"{shown}: {result.err}"
        assert "unexpected error" not in result.err, f"{shown}: {result.err}"
        assert not forbidden_in(result.err), f"{shown}: {result.err!r}"
        lines = result.err.strip().splitlines()
        if result.code == 1 and (lines or not result.out):  # or problems found (db check)
            assert len(lines) == 1 and lines[0].startswith("crmtui: "), f"{shown}: {lines}"
        if result.code == 2:
            assert lines and lines[-1].startswith("crmtui: "), f"{shown}: {lines}"
        if result.code:
            assert fingerprint(db) == before, f"{shown}: refused, yet the database changed"

    run()
    print(f"fuzz {module}: {len(runs)} runs, exits {sorted(set(runs))}")
