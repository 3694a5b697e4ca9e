"""Restoring the database from a backup file: checks first, a copy of what is replaced."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crmtui.db import LATEST_VERSION
from crmtui.errors import CrmError
from crmtui.services.customers import add_customer
from crmtui.services.maintenance import backup, restore
from tests.conftest import as_user, make_context

DATA = Path(__file__).resolve().parent.parent / "data"



@pytest.fixture
def backend() -> str:
    """Restoring replaces an SQLite file; on PostgreSQL it is refused (tested below)."""
    return "sqlite"

def names(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [r[0] for r in connection.execute("SELECT name FROM customer ORDER BY id")]


def test_restore_round_trip_keeps_a_copy_of_what_it_replaced(ctx, db_path, tmp_path):
    add_customer(ctx, {"name": "kept"})
    copy = backup(ctx, tmp_path / "backup.sqlite3")
    add_customer(ctx, {"name": "added after the backup"})
    reader = sqlite3.connect(db_path)  # another user with the database open
    ctx.store.close()
    result = restore(str(db_path), copy, login="boss")
    assert names(db_path) == ["kept"]
    assert reader.execute("SELECT count(*) FROM customer").fetchone() == (1,)
    reader.close()
    assert result.replaced_copy.parent == db_path.parent / "backups"
    assert names(result.replaced_copy) == ["kept", "added after the backup"]
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        actions = [r[0] for r in connection.execute("SELECT action FROM audit_log")]
    assert actions[-1] == "restore"
    assert db_path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("make, fragment", [
    (lambda p: p.write_text("name,phone\n"), "not an SQLite file"),
    (lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.commit(),
     "not a crmtui database"),
    (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000), "cannot be read"),
])
def test_a_file_that_is_not_a_crmtui_database_is_refused(ctx, db_path, tmp_path, make,
                                                          fragment):
    add_customer(ctx, {"name": "still here"})
    ctx.store.close()
    bad = tmp_path / "bad.sqlite3"
    make(bad)
    before = db_path.read_bytes()
    with pytest.raises(CrmError) as caught:
        restore(str(db_path), bad, login="boss")
    assert fragment in str(caught.value) and "nothing was restored" in str(caught.value)
    assert db_path.read_bytes() == before
    assert not (db_path.parent / "backups").exists()


def test_a_damaged_backup_fails_the_integrity_check(ctx, tmp_path):
    for n in range(300):
        add_customer(ctx, {"name": f"customer {n}", "notes": "x" * 200})
    copy = backup(ctx, tmp_path / "copy.sqlite3")
    data = bytearray(copy.read_bytes())
    with sqlite3.connect(copy) as connection:
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'customer_sort_name'").fetchone()[0]
    page = 4096 * (root - 1)
    data[page + 8:page + 200] = b"\xff" * 192  # an index page's cell pointers
    copy.write_bytes(bytes(data))
    with pytest.raises(CrmError, match="nothing was restored"):
        restore(str(ctx.store.path), copy, login="boss")


def test_a_backup_from_a_newer_crmtui_is_refused(ctx, db_path, tmp_path):
    copy = backup(ctx, tmp_path / "new.sqlite3")
    with sqlite3.connect(copy) as connection:
        connection.execute("UPDATE schema_version SET version = ?", (LATEST_VERSION + 1,))
    ctx.store.close()
    with pytest.raises(CrmError, match="newer crmtui"):
        restore(str(db_path), copy, login="boss")


def test_an_older_backup_is_restored_and_upgraded(ctx, db_path, tmp_path):
    old = tmp_path / "v1.sqlite3"
    with sqlite3.connect(old) as connection:
        connection.executescript((DATA / "schema_v1.sql").read_text())
    ctx.store.close()
    result = restore(str(db_path), old, login="boss")
    assert result.schema_version == 1
    assert any("upgraded the database from schema 1" in n for n in result.notices)
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT version FROM schema_version").fetchone() == (
            LATEST_VERSION,)


def test_only_a_manager_restores(rep_ctx, db_path, tmp_path):
    copy = backup(as_user(rep_ctx, "boss"), tmp_path / "copy.sqlite3")
    rep_ctx.store.close()
    with pytest.raises(CrmError, match="only a manager"):
        restore(str(db_path), copy, login="rita")


def test_a_database_too_damaged_to_open_is_replaced_and_kept_as_it_was(ctx, db_path,
                                                                      tmp_path):
    add_customer(ctx, {"name": "from the backup"})
    copy = backup(ctx, tmp_path / "copy.sqlite3")
    ctx.store.close()
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    db_path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    result = restore(str(db_path), copy, login="boss")
    assert names(db_path) == ["from the backup"]
    assert result.replaced_copy.name.endswith("-damaged.sqlite3")
    assert result.replaced_copy.read_bytes().startswith(b"SQLite format 3\x00\x00\x00")


def test_restoring_the_database_onto_itself_or_onto_postgresql_is_refused(ctx, db_path,
                                                                          clock):
    ctx.store.close()
    with pytest.raises(CrmError, match="is the database itself"):
        restore(str(db_path), db_path, login="boss")
    with pytest.raises(CrmError, match="pg_restore"):
        restore("postgresql://crm@localhost/crm", db_path, login="boss")
    make_context(db_path, clock).store.close()  # still opens
