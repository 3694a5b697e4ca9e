"""Opening, creating, upgrading and refusing database files — with real SQLite files."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from crmtui.db import LATEST_VERSION, Customer, open_store
from crmtui.db.backups import latest_backup
from crmtui.errors import StorageError
from crmtui.services.customers import add_customer, find_customers
from tests.conftest import make_context

V1_SCHEMA = Path(__file__).parent.parent / "data" / "schema_v1.sql"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_wal_are_private(db_path, clock):
    ctx = make_context(db_path, clock)
    add_customer(ctx, {"name": "x"})
    assert mode(db_path) == 0o600
    for suffix in ("-wal", "-shm"):
        companion = db_path.with_name(db_path.name + suffix)
        assert companion.exists() and mode(companion) == 0o600, suffix
    pragmas = {name: ctx.store.db.execute_sql(f"PRAGMA {name}").fetchone()[0]
               for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")}
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "synchronous": 1,
                       "busy_timeout": 5000}
    ctx.store.close()


@pytest.fixture
def umask_022():
    old = os.umask(0o022)  # the usual umask, which would leave files group-read-only
    yield
    os.umask(old)


def test_a_group_shared_directory_gives_group_access(tmp_path, clock, umask_022):
    shared = tmp_path / "team"
    shared.mkdir()
    shared.chmod(0o2770)
    path = shared / "crm.sqlite3"
    ctx = make_context(path, clock)
    add_customer(ctx, {"name": "x"})
    for name in ("crm.sqlite3", "crm.sqlite3-wal", "crm.sqlite3-shm"):
        assert mode(shared / name) == 0o660, name
    from crmtui.services.maintenance import backup

    copy = backup(ctx)
    assert copy.parent == shared / "backups"
    assert mode(copy) == 0o660
    assert mode(copy.parent) == 0o2770  # the team can read it; new files keep the group
    ctx.store.close()


def test_backups_of_a_private_database_are_private(tmp_path, clock, umask_022):
    from crmtui.services.maintenance import backup

    ctx = make_context(tmp_path / "crm.sqlite3", clock)
    copy = backup(ctx)
    assert (mode(copy), mode(copy.parent)) == (0o600, 0o700)
    # a world-writable directory (like /tmp) is not a team's shared directory
    public = tmp_path / "public"
    public.mkdir()
    public.chmod(0o1777)
    assert mode(backup(ctx, public / "copy.sqlite3")) == 0o600
    ctx.store.close()


def test_the_busy_timeout_can_be_set_and_a_bad_one_is_refused(db_path, monkeypatch):
    monkeypatch.setenv("CRMTUI_BUSY_TIMEOUT", "0.5")
    store = open_store(db_path)
    assert store.db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 500
    assert store.busy_timeout == 0.5
    store.close()
    monkeypatch.setenv("CRMTUI_BUSY_TIMEOUT", "soon")
    with pytest.raises(StorageError, match="CRMTUI_BUSY_TIMEOUT must be a number of seconds"):
        open_store(db_path)


def test_an_unreachable_server_gives_one_clear_message_without_the_password():
    with pytest.raises(StorageError) as caught:
        open_store("postgresql://crm:s3cret@127.0.0.1:1/crm")
    message = str(caught.value)
    assert message.startswith("cannot connect to postgresql://crm:***@127.0.0.1:1/crm")
    assert "s3cret" not in message


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("my notes, not a database\n" * 10)
    with pytest.raises(StorageError, match="not a crmtui database"):
        open_store(path)
    assert path.read_text().startswith("my notes")


def test_an_sqlite_file_of_another_program_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE photos (id INTEGER)")
    with pytest.raises(StorageError, match="not a crmtui database"):
        open_store(path)


def test_a_corrupt_file_is_refused_with_a_pointer_to_check_and_backups(db_path, clock):
    ctx = make_context(db_path, clock)
    for i in range(50):
        add_customer(ctx, {"name": f"customer {i}", "notes": "x" * 500})
    from crmtui.services.maintenance import backup

    saved = backup(ctx)
    ctx.store.close()
    data = bytearray(db_path.read_bytes())
    data[100:4096 * 3] = os.urandom(4096 * 3 - 100)
    db_path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    with pytest.raises(StorageError) as caught:
        open_store(db_path)
    message = str(caught.value)
    assert "db check" in message and str(saved) in message
    assert latest_backup(db_path) == saved


def test_a_newer_schema_is_refused_and_untouched(db_path, clock):
    make_context(db_path, clock).store.close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE schema_version SET version = 99")
    before = db_path.read_bytes()
    with pytest.raises(StorageError, match="newer crmtui"):
        open_store(db_path)
    assert db_path.read_bytes() == before


def test_an_older_schema_is_upgraded_after_a_backup(db_path, clock):
    with sqlite3.connect(db_path) as connection:
        connection.executescript(V1_SCHEMA.read_text())
        connection.execute(
            "INSERT INTO user (login, display_name, role, active, created_at) "
            "VALUES ('boss', 'Boss', 'manager', 1, '2026-01-01 00:00:00')")
        columns = {"name": "'张三'", "company": "'重庆华信'", "phones": "'13812345678'",
                   "owner_id": "1", "next_due": "'2026-11-23'", "cadence_due": "'2026-11-23'",
                   "created_at": "'2026-01-01 00:00:00'", "created_on": "'2026-01-01'",
                   "updated_at": "'2026-01-01 00:00:00'"}
        defaults = {"title": "''", "email": "''", "address": "''", "im_id": "''",
                    "native_place": "''", "education": "''", "family": "''",
                    "personality": "''", "notes": "''", "tags": "''", "goals": "''",
                    "opinions": "''", "situation": "''", "competitors": "''",
                    "membership": "''", "need": "'potential'", "grade": "'D'",
                    "grade_pinned": "0", "pin_reason": "''", "next_step": "''",
                    "followups": "0", "status": "'potential'", "deal_status": "'potential'",
                    "source": "''", "revenue": "0", "search_doc": "''", "credit_rating": "''",
                    "version": "1"}
        columns.update(defaults)
        connection.execute(f"INSERT INTO customer ({', '.join(columns)}) "
                           f"VALUES ({', '.join(columns.values())})")
    ctx = make_context(db_path, clock)
    assert any("upgraded the database from schema 1" in n for n in ctx.store.notices)
    backup = latest_backup(db_path)
    assert backup is not None and mode(backup) == 0o600
    with sqlite3.connect(backup) as connection:
        assert connection.execute("SELECT version FROM schema_version").fetchone() == (1,)
    assert [c.name for c in find_customers(ctx, "zs")] == ["张三"]
    assert [c.name for c in find_customers(ctx, "5678")] == ["张三"]
    from crmtui.db import SchemaVersion

    assert SchemaVersion.get().version == LATEST_VERSION
    ctx.store.close()


def test_a_read_only_file_opens_for_reading_with_a_notice(db_path, clock):
    ctx = make_context(db_path, clock)
    add_customer(ctx, {"name": "kept"})
    ctx.store.close()
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    db_path.chmod(0o400)
    if os.access(db_path, os.W_OK):
        pytest.skip("running as a user who can write read-only files (root)")
    readonly = make_context(db_path, clock)
    assert readonly.store.readonly
    assert [c.name for c in Customer.select()] == ["kept"]
    with pytest.raises(StorageError, match="read-only"):
        add_customer(readonly, {"name": "lost?"})
    readonly.store.close()


def test_a_read_only_store_refuses_writes_even_as_root(db_path, clock):
    ctx = make_context(db_path, clock)
    ctx.store.readonly = True
    with pytest.raises(StorageError, match="read-only"):
        add_customer(ctx, {"name": "nope"})
    ctx.store.close()


def test_an_unwritable_location_gives_one_clear_message(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StorageError, match="cannot create the database"):
        open_store(blocker / "sub" / "crm.sqlite3")


def test_a_directory_is_not_a_database(tmp_path):
    with pytest.raises(StorageError, match="is a directory"):
        open_store(tmp_path)


def _schema(path: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(path) as connection:
        return {(kind, name) for kind, name in connection.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}


def test_an_upgraded_file_has_the_same_schema_as_a_new_one(tmp_path, clock):
    old = tmp_path / "old.sqlite3"
    with sqlite3.connect(old) as connection:
        connection.executescript(V1_SCHEMA.read_text())
    make_context(old, clock).store.close()
    new = tmp_path / "new.sqlite3"
    make_context(new, clock).store.close()
    assert _schema(old) == _schema(new)


DASHBOARD_INDEXES = {
    "customer_grade_followups_status_cadence_due": "grade, followups, status, cadence_due",
    "customer_revenue_desc_id": "revenue DESC, id",
    "customer_owner_id_revenue_desc_id": "owner_id, revenue DESC, id",
    "grade_change_moves": "on, customer_id, from_grade, to_grade, prev_on, next_on) "
                          "WHERE (from_grade IS NOT NULL",
    "grade_change_added": "on, customer_id) WHERE (from_grade IS NULL",
}


def _indexes(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as connection:
        return {name: sql for name, sql in connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}


def test_schema_4_gets_the_dashboard_indexes_and_drops_the_ones_they_cover(db_path, clock):
    make_context(db_path, clock).store.close()
    with sqlite3.connect(db_path) as connection:  # the file as schema 4 left it
        for name in DASHBOARD_INDEXES:
            connection.execute(f'DROP INDEX "{name}"')
        connection.execute('CREATE INDEX "customer_grade" ON "customer" ("grade")')
        connection.execute('CREATE INDEX "grade_change_on" ON "grade_change" ("on")')
        connection.execute("UPDATE schema_version SET version = 4")
    ctx = make_context(db_path, clock)
    assert any(f"from schema 4 to {LATEST_VERSION}" in notice for notice in ctx.store.notices)
    ctx.store.close()
    indexes = _indexes(db_path)
    assert "customer_grade" not in indexes and "grade_change_on" not in indexes
    for name, columns in DASHBOARD_INDEXES.items():
        listed = indexes[name].split("(", 1)[1].rstrip(")").replace('"', "")
        assert listed == columns, name
    assert latest_backup(db_path) is not None


def test_schema_5_gets_the_holiday_greetings_table(db_path, clock):
    make_context(db_path, clock).store.close()
    with sqlite3.connect(db_path) as connection:  # the file as schema 5 left it
        connection.execute('DROP TABLE "holiday_greeting"')
        connection.execute("UPDATE schema_version SET version = 5")
    ctx = make_context(db_path, clock)
    assert any(f"from schema 5 to {LATEST_VERSION}" in notice for notice in ctx.store.notices)
    ctx.store.close()
    indexes = _indexes(db_path)
    assert "UNIQUE" in indexes["holiday_greeting_customer_id_holiday_day"]
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT version FROM schema_version").fetchone() == (
            LATEST_VERSION,)


def test_only_errors_that_mean_someone_else_is_writing_are_retried():
    import peewee

    from crmtui.db.failures import is_retryable

    class DriverError(Exception):
        def __init__(self, message, pgcode):
            super().__init__(message)
            self.pgcode = pgcode

    assert is_retryable(peewee.OperationalError("database is locked"))
    assert is_retryable(DriverError("could not serialize access", "40001"))
    assert is_retryable(peewee.OperationalError(DriverError("deadlock detected", "40P01")))
    assert is_retryable(DriverError("canceling statement due to lock timeout", "55P03"))
    assert not is_retryable(peewee.OperationalError("disk I/O error"))
    assert not is_retryable(DriverError("duplicate key value", "23505"))
    assert not is_retryable(peewee.IntegrityError("UNIQUE constraint failed: user.login"))


def test_schema_6_search_documents_learn_where_the_name_ends(db_path, clock):
    ctx = make_context(db_path, clock)
    zhongshan = add_customer(ctx, {"name": "Bob Lee", "company": "中山贸易"}).id
    zhang = add_customer(ctx, {"name": "张三", "company": "Acme"}).id
    ctx.store.close()
    with sqlite3.connect(db_path) as connection:  # documents as schema 6 wrote them: no marker
        for customer_id, doc in connection.execute("SELECT id, search_doc FROM customer"):
            connection.execute("UPDATE customer SET search_doc = ? WHERE id = ?",
                               (doc.replace(" · ", " "), customer_id))
        connection.execute("UPDATE schema_version SET version = 6")
    ctx = make_context(db_path, clock)
    assert any(f"from schema 6 to {LATEST_VERSION}" in notice for notice in ctx.store.notices)
    docs = dict(Customer.select(Customer.id, Customer.search_doc).tuples())
    assert docs[zhang].startswith("张三 ") and " · " in docs[zhang]
    # the index was rebuilt from the new documents, and a name match comes first
    assert [c.id for c in find_customers(ctx, "zs")] == [zhang, zhongshan]
    assert [c.id for c in find_customers(ctx, "acme")] == [zhang]
    ctx.store.close()
    with sqlite3.connect(db_path) as connection:  # raises if the index and documents differ
        connection.execute(
            "INSERT INTO customer_fts(customer_fts, rank) VALUES ('integrity-check', 1)")
