"""The command line: output, JSON contracts, exit codes, one-line errors — in-process on the
test's clock, and three smoke tests as a process of its own (`cli_process`): `due`, a JSON
command read through the environment, an error's exit."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest


def assert_one_clear_line(result, *fragments):
    assert result.code == 1, result
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("crmtui: ")
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in lines[0]


def test_add_log_show_and_due_round_trip(cli, clock):
    added = cli("add", "张三", "--company", "重庆华信", "--phone", "138 1234 5678",
                "--need", "clear", "--close", "+20d", "--json")
    assert added.code == 0, added.err
    customer_id = added.json()["id"]
    assert added.json()["grade"] == "A"
    due = cli("due", "--json").json()
    assert [(i["kind"], i["customer_id"], i["grade"]) for i in due] == [
        ("follow_up", customer_id, "A")]
    assert set(due[0]) >= {"kind", "customer_id", "customer", "grade", "owner", "due",
                           "overdue_days", "detail"}
    logged = cli("log", "zs", "--summary", "called", "--outcome", "positive", "--next", "+3d",
                 "--json")
    assert logged.code == 0, logged.err
    assert logged.json()["next_due"] == (clock.now.date() + timedelta(days=3)).isoformat()
    shown = cli("show", str(customer_id), "--json").json()
    assert shown["followups"] == 0
    assert [i["summary"] for i in shown["interactions"]] == ["called"]
    assert [i["kind"] for i in cli("due", "--json").json()] == ["referral"]
    text = cli("show", "张三")
    assert text.code == 0 and "张三" in text.out and "called" in text.out


def test_brief_is_one_line(cli_process):
    cli = cli_process
    cli("add", "A one", "--json")
    cli("add", "B two", "--json")
    result = cli("due", "--brief")
    assert (result.code, result.out) == (0, "2 due\n")


def test_due_table_lines_up_wide_names_and_prints_names_as_typed(cli):
    cli("add", "张三丰", "--company", "重庆华信科技有限公司华信分公司", "--json")
    cli("add", "[red]Bracket[/]", "--company", "Acme", "--json")
    result = cli("due")
    assert result.code == 0, result.err
    lines = [line for line in result.out.splitlines() if "张三丰" in line or "Bracket" in line]
    assert len(lines) == 2
    assert "[red]Bracket[/]" in result.out  # shown as typed, not read as markup
    # the grade letter sits in the same terminal column whatever the width of the names
    from rich.cells import cell_len
    columns = {cell_len(line[:line.index(" D ")]) for line in lines}
    assert len(columns) == 1
    assert all(cell_len(line) <= 120 for line in result.out.splitlines())


def test_find_by_pinyin_and_phone(cli):
    cli("add", "李四", "--phone", "+86 139 0000 1111")
    cli("add", "Li Lei", "--email", "lilei@example.com")
    names = [c["name"] for c in cli("find", "ls", "--json").json()]
    assert names == ["李四"]
    assert [c["name"] for c in cli("find", "1111", "--json").json()] == ["李四"]
    assert sorted(c["name"] for c in cli("find", "li", "--json").json()) == ["Li Lei", "李四"]


def test_grade_pin_and_order(cli):
    customer_id = cli("add", "Pin me", "--json").json()["id"]
    pinned = cli("grade", str(customer_id), "--pin", "B", "--reason", "strategic", "--json")
    assert pinned.json()["grade"] == "B" and pinned.json()["pinned"] is True
    assert cli("order", str(customer_id), "--amount", "1,250.50", "--product", "kit").code == 0
    shown = cli("show", str(customer_id), "--json").json()
    assert shown["revenue"] == "1250.50"
    assert shown["tier"] == "key"
    assert shown["grade_history"][0]["reason"] == "pinned: strategic"


@pytest.mark.parametrize("args, fragments", [
    (("show", "999"), ("no customer with id 999",)),
    (("log", "nobody", "--summary", "x"), ("no customer matches 'nobody'",)),
    (("add", "X", "--close", "2026-02-30"), ("February 2026 has 28 days",)),
    (("add", "X", "--email", "nope"), ("not an e-mail address",)),
    (("due", "--date", "someday"), ("is not a date",)),
    (("grade", "1", "--pin", "B"), ("reason",)),
])
def test_bad_input_gets_one_clear_line_and_changes_nothing(cli, args, fragments):
    cli("add", "Existing", "--json")
    before = cli("show", "1", "--json").out
    result = cli(*args)
    assert_one_clear_line(result, *fragments)
    assert cli("show", "1", "--json").out == before


def test_order_with_an_amount_that_is_not_a_number(cli):
    cli("add", "Buyer")
    assert_one_clear_line(cli("order", "1", "--amount", "lots"), "not an amount")
    assert cli("show", "1", "--json").json()["orders"] == []


def test_usage_errors_exit_2(cli):
    result = cli("log", "1")
    assert result.code == 2
    assert "--summary" in result.err and "Traceback" not in result.err
    assert cli("frobnicate").code == 2


def test_a_file_that_is_not_a_database(cli_process, tmp_path):
    cli = cli_process
    bogus = tmp_path / "bogus.db"
    bogus.write_text("hello")
    cli.db = bogus
    assert_one_clear_line(cli("due"), "not a crmtui database")
    assert bogus.read_text() == "hello"


def test_an_unwritable_db_path(cli, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    cli.db = blocker / "crm.sqlite3"
    assert_one_clear_line(cli("due"), "cannot create the database")


def test_a_newer_database(cli):
    cli("add", "x")
    with sqlite3.connect(cli.db) as connection:
        connection.execute("UPDATE schema_version SET version = 42")
    assert_one_clear_line(cli("due"), "newer crmtui")


def test_crmtui_db_environment_variable_is_used(cli_process):
    cli = cli_process
    cli.env["CRMTUI_DB"] = str(cli.db)
    assert cli("add", "from env", db=False).code == 0
    assert cli("find", "env", "--json").json()[0]["name"] == "from env"


def test_db_check_backup_and_migrate(cli, tmp_path):
    cli("add", "x")
    check = cli("db", "check")
    assert check.code == 0 and "OK" in check.out
    target = tmp_path / "copy.sqlite3"
    assert cli("db", "backup", "-o", str(target)).code == 0
    with sqlite3.connect(target) as connection:
        assert connection.execute("SELECT name FROM customer").fetchall() == [("x",)]
    assert cli("db", "migrate").code == 0
    assert_one_clear_line(cli("db", "backup", "-o", str(target)), "already exists")


def test_demo_fills_an_empty_database_once(cli):
    first = cli("demo", "--customers", "60")
    assert first.code == 0, first.err
    assert "60 customers" in first.out
    assert len(cli("find", "a", "--json").json()) > 0
    assert_one_clear_line(cli("demo"), "already holds 60 customers")
    assert cli("db", "check").code == 0


def test_main_closes_the_database_it_opened_as_a_process_would(tmp_path, clock, capsys):
    """A script may call `main()` more than once in one process: each call leaves no connection
    behind (SQLite removes the write-ahead log when the last one closes)."""
    from datetime import timezone

    from crmtui.cli import main

    db = tmp_path / "crm.sqlite3"
    run = ["--db", str(db)]
    assert main([*run, "add", "Closing Test"], login="boss", clock=clock, zone=timezone.utc) == 0
    assert main([*run, "log", "Closing Test", "--summary", "rang"], login="boss", clock=clock,
                zone=timezone.utc) == 0
    assert db.exists()
    assert not db.with_name(db.name + "-wal").exists()
    assert "Closing Test" in capsys.readouterr().out
