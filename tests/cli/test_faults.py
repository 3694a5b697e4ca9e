"""A read-only, a corrupt and a locked database, met from the command line: a clear message,
and nothing changed. In-process, but for the read-only file: that needs a process of another
OS user (as root, who may write anything)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import peewee
import pytest

import crmtui
from tests.cli.test_commands import assert_one_clear_line


def python_for(user: str) -> tuple[str, dict] | None:
    """A Python that `user` can run with crmtui importable, and the environment it needs."""
    source = str(Path(crmtui.__file__).resolve().parent.parent)
    packages = str(Path(peewee.__file__).resolve().parent)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    paths = {"PYTHONPATH": os.pathsep.join([source, packages])}
    candidates = [(sys.executable, {}), (f"/usr/bin/{version}", paths),
                  (f"/usr/local/bin/{version}", paths)]
    for executable, extra in candidates:
        if not Path(executable).exists():
            continue
        done = subprocess.run(["runuser", "-u", user, "--", executable, "-c", "import crmtui"],
                              capture_output=True, env={**os.environ, **extra}, cwd="/")
        if done.returncode == 0:
            return executable, extra
    return None


@pytest.fixture
def shelf():
    """A directory everyone may read and no one but root may write."""
    folder = Path(tempfile.mkdtemp(prefix="crmtui-readonly-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def test_a_read_only_database_opens_for_reading_with_a_notice(cli, shelf):
    cli("add", "张三", "--need", "clear", "--close", "+5d")
    cli("user", "add", "nobody", "--role", "manager")
    copy = shelf / "crm.sqlite3"
    shutil.copy(cli.db, copy)
    assert not Path(f"{cli.db}-wal").exists()
    copy.chmod(0o644)
    if os.geteuid() == 0:  # root may write anything: run as an unprivileged user instead
        found = python_for("nobody")
        if found is None:
            pytest.skip("no Python that the user nobody can run with crmtui importable")
        executable, extra = found
        prefix = ["runuser", "-u", "nobody", "--", executable]
    else:
        shelf.chmod(0o555)
        copy.chmod(0o444)
        prefix, extra = [sys.executable], {}
    env = {**cli.env, **extra, "CRMTUI_USER": "nobody", "CRMTUI_DATA_DIR": str(shelf / "data"),
           "CRMTUI_CONFIG": str(shelf / "none")}
    before = copy.read_bytes()

    def run(*args):
        return subprocess.run([*prefix, "-m", "crmtui", "--db", str(copy), *args],
                              capture_output=True, text=True, env=env, cwd="/", timeout=60)

    shown = run("find", "zs", "--json")
    assert shown.returncode == 0, shown.stderr
    assert '"张三"' in shown.stdout
    assert shown.stderr == f"crmtui: note: {copy} is read-only: you can look but not change " \
                           "anything\n"
    refused = run("add", "李四")
    assert refused.returncode == 1 and refused.stdout == ""
    assert "Traceback" not in refused.stderr
    assert refused.stderr.splitlines()[-1] == \
        "crmtui: the database is open read-only; nothing was changed"
    assert copy.read_bytes() == before
    assert sorted(p.name for p in shelf.iterdir()) == ["crm.sqlite3"]


def test_a_corrupt_database_points_to_db_check_and_the_latest_backup(cli):
    assert cli("demo", "--customers", "40").code == 0
    assert cli("db", "backup").code == 0
    backups = sorted((cli.db.parent / "backups").iterdir())
    assert len(backups) == 1
    data = bytearray(cli.db.read_bytes())
    data[4096:4096 * 4] = os.urandom(4096 * 3)
    cli.db.write_bytes(bytes(data))
    result = cli("due")
    assert_one_clear_line(result, "cannot be read as a database",
                          f"crmtui --db {cli.db} db check", str(backups[0]))
    check = cli("db", "check")
    assert check.code == 1 and "BAD" in check.out and "Traceback" not in check.err


def test_a_locked_database_gives_one_clear_line_and_changes_nothing(cli):
    cli("add", "Locked out")
    holder = sqlite3.connect(cli.db, isolation_level=None)  # another program's lock
    holder.execute("BEGIN EXCLUSIVE")
    try:
        cli.env["CRMTUI_BUSY_TIMEOUT"] = "0.2"  # three waits of 0.2 s, then give up
        result = cli("log", "1", "--summary", "will it wait?")
        assert_one_clear_line(result, "the database stayed busy", "nothing was changed")
        # reading goes on (the day's grade move, a write, waits for another time)
        due = cli("due", "--json")
        assert (due.code, [i["customer"] for i in due.json()]) == (0, ["Locked out"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with sqlite3.connect(cli.db) as connection:
        assert connection.execute("SELECT count(*) FROM interaction").fetchone() == (0,)
    assert cli("log", "1", "--summary", "now it works").code == 0
