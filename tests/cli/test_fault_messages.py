"""Out-of-range ids and dates, a missing config file and the crash log, through `main(argv)`:
one clear line, exit 1, nothing changed."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from contextlib import closing

import pytest

from crmtui.cli import main

TOO_BIG = "99999999999999999999"


@pytest.fixture
def east_of_utc():
    """A zone east of UTC, where midnight of 1 January of year 1 is still year 0 in UTC."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def run(tmp_path, capsys, east_of_utc):
    db = tmp_path / "crm.sqlite3"

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db), *args], login="boss")
        out, err = capsys.readouterr()
        return code, out, err

    assert run("add", "张三", "--need", "clear", "--close", "+5d")[0] == 0
    assert run("complaint", "add", "1", "--severity", "high", "--summary", "late")[0] == 0
    run.db = db
    return run


def _contents(db) -> list:
    with closing(sqlite3.connect(db)) as connection:  # closed: an open one keeps the -wal of the
        # commands run in this process, which the next one would take for a crashed session
        return [connection.execute(f"SELECT * FROM {table}").fetchall()
                for table in ("customer", "interaction", "sales_order", "complaint",
                              "commitment", "care_date", "audit_log")]


@pytest.mark.parametrize("number", [TOO_BIG, "9223372036854775808", "2147483648", "²", "٣"])
def test_ids_beyond_any_record_name_no_record(run, number):
    before = _contents(run.db)
    for args, expected in [
        (("show", number), f"no customer with id {number}"),
        (("log", number, "--summary", "x"), f"no customer with id {number}"),
        (("order", number, "--amount", "5"), f"no customer with id {number}"),
        (("delete", number, "--yes"), f"no customer with id {number}"),
        (("complaint", "show", number), f"no complaint with id {number}"),
        (("complaint", "ack", number, "--promise", "+4h"), f"no complaint with id {number}"),
        (("merge", "1", number), f"no customer with id {number}"),
    ]:
        code, out, err = run(*args)
        assert (code, out) == (1, ""), (args, err)
        assert err == f"crmtui: {expected}\n", args
    assert _contents(run.db) == before


def test_a_promise_id_beyond_any_record_names_no_promise(run):
    code, _out, err = run("promise", "--done", TOO_BIG)
    assert (code, err) == (1, f"crmtui: no promise with id {TOO_BIG}\n")


@pytest.mark.parametrize("when", ["0001-01-01", "0001-01-01 00:00", "1899-12-31",
                                  "3000-01-01", "9999-12-31 23:59"])
def test_dates_out_of_range_are_one_clear_line(run, when):
    before = _contents(run.db)
    day = when.split()[0]
    for args in (("log", "1", "--summary", "x", "--at", when),
                 ("complaint", "ack", "1", "--promise", when),
                 ("survey", "1", "--overall", "4", "--at", when),
                 ("snooze", "1", day),
                 ("add", "New", "--close", day)):
        code, out, err = run(*args)
        assert (code, out) == (1, ""), (args, err)
        assert err.count("\n") == 1 and "unexpected" not in err, (args, err)
        assert f"{day} is out of range: use a day from 1900-01-01 to 2999-12-31" in err, args
    assert _contents(run.db) == before


def test_a_config_file_given_and_missing_is_an_error(run, tmp_path):
    missing = tmp_path / "nowhere" / "config.toml"
    for args in (("due",), ("db", "check")):
        code, out, err = run("--config", str(missing), *args)
        assert (code, out, err) == (1, "", f"crmtui: there is no config file {missing}\n"), args
    code, out, err = run("--config", str(missing), "--lang", "zh", "due")
    assert (code, out, err) == (1, "", f"crmtui: 配置文件 {missing} 不存在\n")


def test_a_home_folder_of_a_login_the_system_does_not_know_is_refused(run, capsys):
    before = _contents(run.db)
    for args, path in [(("export", "--format=csv", "~no-such-login/out.csv"), "~no-such-login/out.csv"),
                       (("export", "--format=vdir", "~no-such-login"), "~no-such-login"),
                       (("db", "backup", "-o", "~no-such-login/copy.sqlite3"), "~no-such-login/copy.sqlite3")]:
        code, out, err = run(*args)
        assert (code, err) == (1, f"crmtui: {path}: there is no such user's home folder\n"), args
    assert main(["--db", "~no-such-login/crm.sqlite3", "due"], login="boss") == 1
    assert capsys.readouterr().err == ("crmtui: ~no-such-login/crm.sqlite3: there is no such "
                                       "user's home folder\n")
    assert _contents(run.db) == before


def test_the_crash_log_is_private(run, monkeypatch, tmp_path):
    from crmtui.commands import due
    from crmtui.locations import log_file

    log = log_file()
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("an older crmtui's entry\n")
    log.chmod(0o644)

    def broken(args):
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr(due, "cmd_due", broken)
    code, _out, err = run("due")
    assert code == 1 and f"(details in {log})" in err
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert "RuntimeError: something nobody expected" in log.read_text()
    log.unlink()
    run("due")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
