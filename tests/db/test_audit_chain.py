"""The audit log's hash chain on SQLite: an entry deleted or edited with sqlite3 — in the
middle, at the end, before further entries — is named by `db check`; the schema migration
chains the entries already there."""

from __future__ import annotations

import sqlite3

import pytest

from crmtui.db import LATEST_VERSION
from crmtui.db.upgrade_steps import MIGRATIONS, v8_audit_chain
from crmtui.services.customers import add_customer, delete_customer
from crmtui.services.maintenance import check_database
from crmtui.services.users import add_user, set_role
from tests.conftest import make_context


@pytest.fixture
def logged(db_path, clock):
    """A database with five audit entries (#1–#5), closed."""
    ctx = make_context(db_path, clock)
    for login in ("rita", "ray", "sam"):
        add_user(ctx, login)
    set_role(ctx, "sam", "manager")
    delete_customer(ctx, add_customer(ctx, {"name": "Gone"}).id)
    ctx.store.close()
    return db_path


def _sql(path, statement, *params):
    with sqlite3.connect(path) as connection:
        connection.execute(statement, params)


def problems(path, clock=None) -> list[str]:
    return check_database(path).problems


def test_an_untouched_log_passes_and_says_how_long_it_is(logged):
    report = check_database(logged)
    assert report.ok, report.problems
    assert "ok  audit log: 5 entries, hash chain intact" in report.lines
    assert any("roles are checked by crmtui" in line for line in report.lines)


def test_a_deleted_entry_is_named(logged):
    _sql(logged, "DELETE FROM audit_log WHERE id = 3")
    assert problems(logged) == ["audit entry #3 was deleted"]
    _sql(logged, "DELETE FROM audit_log WHERE id IN (2, 4)")
    assert problems(logged) == ["audit entries #2 to #4 were deleted"]


def test_the_first_entries_deleted_are_named(logged):
    _sql(logged, "DELETE FROM audit_log WHERE id <= 2")
    assert problems(logged) == ["audit entries #1 to #2 were deleted"]


def test_an_edited_entry_is_named(logged):
    _sql(logged, "UPDATE audit_log SET detail = 'nothing happened' WHERE id = 5")
    assert problems(logged) == ["audit entry #5 was changed after it was written"]
    _sql(logged, "UPDATE audit_log SET user_id = 2 WHERE id = 1")
    assert problems(logged) == ["audit entry #1 was changed after it was written",
                                "audit entry #5 was changed after it was written"]


def test_an_entry_written_around_crmtui_is_named(logged):
    _sql(logged, "INSERT INTO audit_log (id, at, user_id, action, entity, detail) "
                 "VALUES (6, '2026-11-23 10:00:00', 1, 'role', 'user', 'forged')")
    assert "audit entry #6 has no hash: it was written around crmtui" in problems(logged)


def test_the_newest_entries_deleted_stay_visible_after_more_are_written(logged, clock):
    _sql(logged, "DELETE FROM audit_log WHERE id >= 4")
    assert problems(logged) == ["audit entries #4 to #5 were deleted"]
    ctx = make_context(logged, clock)
    add_user(ctx, "late")  # the next entry follows the head, not the last row left
    ctx.store.close()
    assert problems(logged) == ["audit entries #4 to #5 were deleted"]
    with sqlite3.connect(logged) as connection:
        assert [r[0] for r in connection.execute("SELECT id FROM audit_log")] == [1, 2, 3, 6]


def test_deleting_the_whole_log_is_seen(logged):
    _sql(logged, "DELETE FROM audit_log")
    assert problems(logged) == ["audit entries #1 to #5 were deleted"]


def test_the_cli_check_exits_1_and_names_the_entry(logged):
    from crmtui.cli import main

    _sql(logged, "DELETE FROM audit_log WHERE id = 2")
    assert main(["--db", str(logged), "db", "check"], login="boss") == 1


CHAINED = next(version for version, step in MIGRATIONS.items() if step is v8_audit_chain)
"""The schema version that added the chain."""


def test_the_migration_chains_the_entries_already_there(db_path, clock):
    ctx = make_context(db_path, clock)
    add_user(ctx, "rita")
    add_user(ctx, "ray")
    ctx.store.close()
    with sqlite3.connect(db_path) as connection:  # the log as schema 7 left it
        connection.execute("ALTER TABLE audit_log DROP COLUMN hash")
        connection.execute("DELETE FROM setting WHERE key = 'audit_head'")
        connection.execute(f"UPDATE schema_version SET version = {CHAINED - 1}")
    ctx = make_context(db_path, clock)
    assert any(f"to {LATEST_VERSION}" in notice for notice in ctx.store.notices)
    add_user(ctx, "sam")
    ctx.store.close()
    report = check_database(db_path)
    assert report.ok, report.problems
    assert "ok  audit log: 3 entries, hash chain intact" in report.lines
    _sql(db_path, "UPDATE audit_log SET detail = 'added nobody' WHERE id = 1")
    assert problems(db_path) == ["audit entry #1 was changed after it was written"]
