"""Stored text is only ever text, on the command line: every command (found in the parser, so a
new one is covered too), in text and in JSON, on a database whose every text field holds markup,
escape sequences, bidi controls and very long words (tests/hostile.py). No run may crash, report
an unexpected error, or print a control character; markup shows as typed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.inprocess import leaf_commands, run_cli, takes_json
from tests.conftest import TODAY, make_context
from tests.hostile import BIDI, HOSTILE, MARKUP, TYPED, build_hostile, forbidden_in

CSV = ("name,company,phone,notes,tags,pin reason,grade\n"
       "\"[/] imported \x1b]52;c;eA==\x07\",\"[bold]co\u202e\",138 0000 0001,"
       "\"[link=http://x]y[/link]\x9b\",\"[/],x\",\"\x1b]0;t\x07why\",A\n")
VCARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:[/] vcard \x1b]0;t\x07\r\nORG:[bold]org\u202e\r\n"
         "TEL:139 0000 0002\r\nNOTE:[link=http://x]y[/link]\r\nEND:VCARD\r\n")


@pytest.fixture
def hostile_db(tmp_path, clock, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    path = tmp_path / "hostile.sqlite3"
    ctx = make_context(path, clock)
    world = build_hostile(ctx, clock, TODAY)
    ctx.store.close()
    return path, world


def recipes(world, tmp_path: Path) -> list[list[str]]:
    """The command lines to run, in order: reading first, then writing, destroying last."""
    c, other = str(world.customer), str(world.other)
    k = {state: [str(n) for n in numbers] for state, numbers in world.complaints.items()}
    csv_file, vcard_file = tmp_path / "in.csv", tmp_path / "in.vcf"
    csv_file.write_text(CSV, encoding="utf-8")
    vcard_file.write_text(VCARD, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    reading = [
        ["due"], ["due", "--all"], ["due", "--brief"], ["due", "--date", "+30d", "--all"],
        ["greetings", "--all"], ["show", c], ["show", other], ["find", "closer"],
        ["find", "a"], ["complaint", "list", "--all"], ["complaint", "list"],
        *[["complaint", "show", n] for numbers in k.values() for n in numbers[:1]],
        ["user", "list"], ["audit"], ["stats"], ["stats", "--all", "--period", "90"],
        ["stats", "--all", "--period", "7"], ["report", "daily"], ["report", "daily", "--all"],
        ["report", "weekly", "--all"], ["db", "check"],
        ["instruction", "list"], ["instruction", "list", "--all"],
        ["export", "--format", "json"], ["export", "--format", "csv", "--all"],
        ["export", "--format", "vcf", "--all"], ["export", "--format", "ics", "--all"],
        ["merge", c, other, "--dry-run"], ["delete", other],
        ["agenda"], ["agenda", "--date", "tomorrow"], ["appointment", "list"],
    ]
    writing = [
        ["add", TYPED, "--company", TYPED, "--notes", TYPED, "--tags", "[/],x"],
        ["log", c, "--summary", TYPED, "--next-step", TYPED, "--promise", TYPED,
         "--promise-due", "+2d"],
        ["log", c, "--summary", TYPED, "--greeting"],
        ["grade", c, "--pin", "B", "--reason", TYPED], ["grade", c, "--unpin"],
        ["order", c, "--amount", "500", "--product", "[/] closer", "--note", TYPED],
        ["snooze", c, "+3d"], ["care", c, "03-15", "--note", TYPED],
        ["promise", c, TYPED, "--due", "+1d"], ["promise", "--done", "1"],
        ["promise", "--broken", "2"],
        ["appointment", "add", c, "--at", "tomorrow 09:00", "--place", TYPED, "--prep", TYPED],
        ["appointment", "move", "1", "--at", "tomorrow 12:00"],
        ["appointment", "cancel", "2"],
        ["log", c, "--summary", TYPED, "--purpose-met", "partly", "--still-open", TYPED],
        ["survey", c, "--overall", "5", "--product", "4"],
        *[["edit", kind, str(number), *options] for kind, number, options in (
            ("interaction", world.records["interaction"], ["--summary", TYPED, "--next-step",
                                                           TYPED]),
            ("order", world.records["order"], ["--product", TYPED, "--note", TYPED]),
            ("promise", world.records["promise"], ["--text", TYPED]),
            ("care", world.records["care"], ["--note", TYPED]),
            ("survey", world.records["survey"], ["--comment", TYPED]))],
        ["show", c],
        ["complaint", "add", c, "--severity", "high", "--summary", TYPED, "--category",
         "[/]", "--description", TYPED],
        ["complaint", "ack", k["new"][0], "--promise", "+4h", "--note", TYPED],
        ["complaint", "work", k["acknowledged"][0], "--note", TYPED],
        ["complaint", "wait", k["in_progress"][0], "--note", TYPED],
        ["complaint", "work", k["waiting_customer"][0]],
        ["complaint", "resolve", k["in_progress"][1], "--note", TYPED, "--cause", TYPED],
        ["complaint", "close", k["resolved"][0], "--satisfaction", "5", "--note", TYPED],
        ["complaint", "reopen", k["closed"][0], "--note", TYPED],
        ["complaint", "severity", k["new"][1], "low", "--note", TYPED],
        ["complaint", "assign", k["acknowledged"][1], "support"],
        ["complaint", "note", k["closed"][1], TYPED],
        ["instruct", "boss", c, TYPED, "--due", "+2d"],
        ["instruction", "done", "1", "--note", TYPED], ["instruction", "cancel", "2"],
        ["pay", "1", "10", "--note", TYPED], ["deliver", "1", "--partly"],
        ["user", "add", "newbie", "--name", MARKUP + BIDI], ["user", "role", "newbie", "support"],
        ["user", "remove", "newbie"],
        ["import", str(csv_file), "--dry-run"], ["import", str(csv_file)],
        ["import", str(vcard_file)],
        ["export", "--format", "csv", "-o", str(out / "c.csv")],
        ["report", "weekly", "--all", "--format", "html", "-o", str(out / "r.html")],
        ["report", "daily", "--format", "svg", "-o", str(out / "r.svg")],
        ["db", "backup", "-o", str(out / "backup.sqlite3")],
    ]
    destroying = [
        *[["rm", kind, str(number)] for kind, number in world.records.items()],
        ["merge", c, other], ["delete", str(world.customer + 2), "--yes"], ["db", "migrate"],
        ["db", "restore", str(out / "backup.sqlite3")],
        ["demo", "--customers", "3", "--db", str(tmp_path / "demo.sqlite3")],
    ]
    return reading + writing + destroying


def check(result) -> None:
    shown = " ".join(result.argv[2:])
    assert result.code in (0, 1, 2), f"{shown}: exit {result.code}\n{result.err}"
    assert "unexpected error" not in result.err, f"{shown}: {result.err}"
    assert "Traceback" not in result.out + result.err, f"{shown}: {result.err}"
    bad = forbidden_in(result.out + result.err)
    assert not bad, f"{shown}: printed {bad}\n{result.out[:2000]}"
    lines = result.err.strip().splitlines()
    if result.code == 1 and (lines or not result.out):  # one clear line (or a report of
        # problems found, as `db check` prints)
        assert len(lines) == 1 and lines[0].startswith("crmtui: "), f"{shown}: {result.err}"
    elif result.code == 2:  # argparse's usage, then one line
        assert lines[-1].startswith("crmtui: "), f"{shown}: {result.err}"


def test_every_command_prints_stored_text_as_text(hostile_db, clock, tmp_path):
    db, world = hostile_db
    commands = leaf_commands()
    lines = recipes(world, tmp_path)
    covered = {words for words in commands if any(
        line[:len(words)] == list(words) for line in lines)}
    # a command added later without a recipe still runs, with what its parser asks for
    for words, parser in commands.items():
        if words not in covered:
            lines.append([*words, *required_arguments(parser, world)])
    runs = 0
    for line in lines:
        words = next(w for w in commands if line[:len(w)] == list(w))
        variants = [line]
        if takes_json(commands[words]) and "--json" not in line:
            variants.append([*line, "--json"])
        for argv in variants:
            result = run_cli(argv, db=db, clock=clock)
            runs += 1
            check(result)
            if "--json" in argv and result.out.startswith(("[", "{")):
                json.loads(result.out)  # valid JSON, control characters escaped
    assert runs >= 2 * len(commands)
    print(f"hostile text: {len(commands)} commands, {runs} runs")


def test_markup_in_stored_text_shows_literally(hostile_db, clock):
    db, world = hostile_db
    for argv in (["show", str(world.customer)], ["find", "closer"],
                 ["complaint", "show", str(world.complaints["in_progress"][0])],
                 ["complaint", "list", "--all"], ["due", "--all"]):
        result = run_cli(argv, db=db, clock=clock)
        assert result.code == 0, result.err
        assert "[/] closer" in result.out or "[/]" in result.out, argv
    shown = run_cli(["show", str(world.customer)], db=db, clock=clock).out
    assert "[link=http://x]y[/link]" in shown


def test_a_name_holding_markup_does_not_turn_a_saved_order_into_an_error(tmp_path, clock):
    """The finding that made users order twice: the order was saved, then the confirmation
    failed on the customer's name and the command exited 1."""
    db = tmp_path / "crm.sqlite3"
    added = run_cli(["add", "[/] closer"], db=db, clock=clock)
    assert added.code == 0, added.err
    ordered = run_cli(["order", added.out.strip(), "--amount", "500"], db=db, clock=clock)
    assert ordered.code == 0 and not ordered.err, ordered.err
    assert "[/] closer" in ordered.out
    orders = run_cli(["show", added.out.strip(), "--json"], db=db, clock=clock).json()["orders"]
    assert len(orders) == 1


def required_arguments(parser, world) -> list[str]:
    """Values for what a command requires, by the argument's name (for commands without a
    recipe above): an id of the hostile customer, a date, an amount, or hostile text."""
    values = []
    for action in parser._actions:
        if not action.required or action.dest in ("help",):
            continue
        if action.choices:
            value = str(next(iter(action.choices)))
        elif any(word in action.dest for word in ("customer", "id", "keep", "other")):
            value = str(world.customer)
        elif any(word in action.dest for word in ("date", "due", "until", "at", "when")):
            value = "+1d"
        elif any(word in action.dest for word in ("amount", "limit", "count")):
            value = "1"
        else:
            value = HOSTILE[:200]
        values += [action.option_strings[0], value] if action.option_strings else [value]
    return values

