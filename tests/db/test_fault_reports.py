"""Faults that say what happened: a full disk names itself and where, a backup is whole or not
there at all, the corruption advice names only a backup that opens, and a file left by a crash
or an I/O error is checked as it is opened — with real SQLite files and real SQLite errors."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys

import pytest

from crmtui.db import Interaction, open_store
from crmtui.db import connection as storage
from crmtui.db.backups import backup_sqlite, latest_backup
from crmtui.db.files import suspect_marker
from crmtui.errors import StorageError
from crmtui.services.customers import add_customer
from crmtui.services.interactions import log_interaction
from crmtui.services.maintenance import backup
from tests.conftest import make_context


def _cap_size(ctx) -> None:
    """Make the file as full as it may get: SQLite then answers SQLITE_FULL, "database or disk
    is full", exactly as on a full disk."""
    pages = ctx.store.db.execute_sql("PRAGMA page_count").fetchone()[0]
    ctx.store.db.execute_sql(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_says_so_and_where_and_changes_nothing(db_path, clock):
    ctx = make_context(db_path, clock)
    zhang = add_customer(ctx, {"name": "张三"}).id
    _cap_size(ctx)
    with pytest.raises(StorageError) as caught:
        for _ in range(50):
            log_interaction(ctx, zhang, summary="x" * 1900)
    message = str(caught.value)
    assert message.startswith(f"the disk holding {db_path} is full (")
    assert message.endswith("nothing was changed, free some space and try again")
    assert "rollback" not in message
    saved = Interaction.select().count()
    ctx.store.db.execute_sql("PRAGMA max_page_count = 1073741823")
    assert Interaction.select().count() == saved  # the failed one is not half there
    assert suspect_marker(db_path).exists()  # the next open checks the file
    ctx.store.close()

    calls = []
    real = storage.quick_check
    storage.quick_check = lambda db: calls.append(1) or real(db)
    try:
        make_context(db_path, clock).store.close()
    finally:
        storage.quick_check = real
    assert calls == [1] and not suspect_marker(db_path).exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root")
def test_a_really_full_disk_from_the_command_line(tmp_path, clock):
    """A 820 KB tmpfs (a new database takes about 600 KB), filled by the database's own log: what a user on a full disk sees."""
    from tests.cli.conftest import Cli

    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=820k", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        cli = Cli(mount / "crm.sqlite3", tmp_path, clock=clock)  # in-process
        assert cli("add", "张三").code == 0
        failed = []
        for _ in range(150):  # until the disk is full, and once more
            result = cli("log", "1", "--summary", os.urandom(995).hex())
            if result.code != 0:
                failed.append(result)
                if len(failed) == 2:
                    break
        assert failed, "the file system never filled"
        for result in failed:
            *notes, last = result.err.splitlines()
            assert last.startswith(f"crmtui: the disk holding {mount / 'crm.sqlite3'} "
                                   "is full ("), result.err
            # after the first failure the log is left unmerged: the next open checks the file
            assert all("a quick check found it sound" in note for note in notes)
        refused = cli("db", "backup")
        assert refused.code == 1 and "no backup was written" in refused.err
        assert list((mount / "backups").iterdir()) == []  # no empty or partial backup left
        assert cli("due", "--json").code == 0  # reading goes on
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_backup_that_cannot_be_completed_leaves_no_file(db_path, clock, monkeypatch):
    ctx = make_context(db_path, clock)
    add_customer(ctx, {"name": "张三"})
    connect = sqlite3.connect

    def small_disk(*args, **kwargs):  # the copy's file system has room for one page
        connection = connect(*args, **kwargs)
        connection.execute("PRAGMA max_page_count = 1")
        return connection

    monkeypatch.setattr(sqlite3, "connect", small_disk)
    with pytest.raises(StorageError, match="no backup was written: the disk holding .* is full"):
        backup(ctx)
    monkeypatch.undo()
    folder = db_path.parent / "backups"
    assert list(folder.iterdir()) == []
    made = backup(ctx)
    assert made.parent == folder and [p.name for p in folder.iterdir()] == [made.name]
    with sqlite3.connect(made) as copy:
        assert copy.execute("SELECT name FROM customer").fetchall() == [("张三",)]
    ctx.store.close()


def test_the_corruption_advice_names_only_a_backup_that_opens(db_path, clock, capsys):
    ctx = make_context(db_path, clock)
    add_customer(ctx, {"name": "张三"})
    good = backup_sqlite(ctx.store.db, db_path, label="good")
    ctx.store.close()
    folder = good.parent
    empty = folder / "crm-20991231-235959.sqlite3"  # what a full disk used to leave
    empty.touch()
    damaged = folder / "crm-20991231-235958.sqlite3"
    damaged.write_bytes(good.read_bytes()[:4096] + os.urandom(4096))
    os.utime(empty, (2**31 - 10, 2**31 - 10))
    os.utime(damaged, (2**31 - 20, 2**31 - 20))
    assert latest_backup(db_path) == good
    data = bytearray(db_path.read_bytes())
    data[4096:4096 * 3] = os.urandom(4096 * 2)
    db_path.write_bytes(bytes(data))
    from crmtui.cli import main

    assert main(["--db", str(db_path), "due"], login="boss") == 1
    advice = capsys.readouterr().err
    assert f"db restore {good}" in advice
    assert str(empty) not in advice and str(damaged) not in advice


def _crash_while_writing(db_path) -> None:
    """A writer killed (kill -9) after committing, with the database open: its write-ahead log
    is left behind with no process holding it."""
    writer = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys\n"
         f"c = sqlite3.connect({str(db_path)!r})\n"
         "c.execute(\"UPDATE customer SET notes = 'written before the crash' WHERE id = 1\")\n"
         "c.commit()\n"
         "print('written', flush=True)\n"
         "sys.stdin.readline()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "written"
    writer.kill()
    writer.wait()
    assert os.path.getsize(f"{db_path}-wal") > 0


@pytest.fixture
def checks(monkeypatch):
    calls = []
    real = storage.quick_check
    monkeypatch.setattr(storage, "quick_check", lambda db: calls.append(1) or real(db))
    return calls


def test_a_normal_open_runs_no_check_and_one_after_a_crash_does(db_path, clock, checks):
    ctx = make_context(db_path, clock)
    add_customer(ctx, {"name": "张三"})
    ctx.store.close()
    make_context(db_path, clock).store.close()
    assert checks == []
    _crash_while_writing(db_path)
    ctx = make_context(db_path, clock)
    assert checks == [1]
    assert ctx.store.notices == [f"{db_path} was left by a session that did not finish (a crash "
                                 "or a disk error); a quick check found it sound"]
    from crmtui.db import Customer

    assert Customer.get().notes == "written before the crash"  # nothing committed was lost
    ctx.store.close()
    make_context(db_path, clock).store.close()  # closed cleanly: no log left, no check
    assert checks == [1]


def test_an_open_while_someone_else_has_it_open_runs_no_check(db_path, clock, checks):
    ctx = make_context(db_path, clock)
    add_customer(ctx, {"name": "张三"})
    ctx.store.close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys\n"
         f"c = sqlite3.connect({str(db_path)!r})\n"
         "c.execute(\"UPDATE customer SET notes = 'busy'\")\n"
         "c.commit()\n"
         "print('open', flush=True)\n"
         "sys.stdin.readline()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        assert os.path.getsize(f"{db_path}-wal") > 0
        make_context(db_path, clock).store.close()
        assert checks == []
    finally:
        holder.communicate("\n", timeout=10)


@pytest.mark.parametrize(("offset", "garbage"), [
    pytest.param(8, random.Random(7).randbytes(300), id="records"),  # the check reports it
    pytest.param(0, b"\xff" * 300, id="page-header"),  # the check itself cannot read the page
])
def test_damage_left_by_a_crash_is_found_as_the_file_opens(db_path, clock, offset, garbage):
    ctx = make_context(db_path, clock)
    for number in range(300):
        add_customer(ctx, {"name": f"Customer {number}", "notes": "n" * 300})
    ctx.store.close()
    with sqlite3.connect(db_path) as connection:  # a page holding customers' records
        pages = [row[0] for row in connection.execute(
            "SELECT pageno FROM dbstat WHERE name = 'customer' AND pagetype = 'leaf' "
            "ORDER BY pageno")]
    middle_page = pages[len(pages) // 2] - 1  # dbstat counts pages from 1
    _crash_while_writing(db_path)
    with open(db_path, "r+b") as handle:  # 300 bytes of garbage over the page
        handle.seek(middle_page * 4096 + offset)
        handle.write(garbage)
    with pytest.raises(StorageError, match="cannot be read as a database") as caught:
        open_store(db_path)
    assert "db check" in str(caught.value)
