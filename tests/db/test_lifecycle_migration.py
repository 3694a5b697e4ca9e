"""Upgrading a file from before lifecycles: what users typed is kept, the rest is derived."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone

from crmtui.db import LATEST_VERSION, Customer, CustomerChange, Setting
from crmtui.db.backups import latest_backup
from crmtui.db.figures import FIGURE_TABLES
from crmtui.db.migrations import RESCHEDULE_ALL
from crmtui.db.upgrade_lifecycle import v11_lifecycle
from crmtui.db.upgrade_steps import MIGRATIONS
from crmtui.services.customers import add_customer
from crmtui.services.grading import move_grades_if_due
from crmtui.services.interactions import log_interaction, record_order
from crmtui.services.maintenance import check_store
from tests.conftest import TODAY, make_context

DAY = timedelta(days=1)
LIFECYCLES = next(version for version, step in MIGRATIONS.items() if step is v11_lifecycle)
"""The schema version that added lifecycles."""
NEW_COLUMNS = {"customer": ("lifecycle", "lifecycle_reason", "value_class", "class_pinned",
                            "class_reason", "due_rule", "last_order_on", "regular_until",
                            "opportunity_since", "profit"),
               "sales_order": ("cost",)}


def at(clock, day: date) -> None:
    clock.now = datetime(day.year, day.month, day.day, 10, tzinfo=timezone.utc)


def _as_before_lifecycles(path) -> None:
    """The file as crmtui wrote it before lifecycles: no new tables, indexes or columns."""
    with sqlite3.connect(path) as connection:
        triggers = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'figures_%'"
        ).fetchall()
        for (name,) in triggers:  # the kept figures came later (schema 19 on)
            connection.execute(f'DROP TRIGGER "{name}"')
        for table in FIGURE_TABLES:
            connection.execute(f'DROP TABLE "{table}"')
        for name in ("customer_lifecycle_last_order_on", "customer_profit_desc"):
            connection.execute(f'DROP INDEX "{name}"')
        for table in ("win", "customer_change"):
            connection.execute(f'DROP TABLE "{table}"')
        for table, columns in NEW_COLUMNS.items():
            for column in columns:
                connection.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
        connection.execute("UPDATE customer SET followups = 9")  # as the old rule counted
        connection.execute("DELETE FROM setting")
        connection.execute(f"UPDATE schema_version SET version = {LIFECYCLES - 1}")


def _objects(path) -> set[tuple[str, str]]:
    with sqlite3.connect(path) as connection:
        return {(kind, name) for kind, name in connection.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}


def test_a_file_from_before_lifecycles_learns_them_from_what_is_stored(tmp_path, clock):
    path = tmp_path / "old.sqlite3"
    ctx = make_context(path, clock)
    at(clock, TODAY - 400 * DAY)
    typed = add_customer(ctx, {"name": "Typed", "status": "existing"}).id  # no order
    buyer = add_customer(ctx, {"name": "Buyer"}).id
    old = add_customer(ctx, {"name": "Old"}).id
    gone = add_customer(ctx, {"name": "Gone", "status": "intent"}).id
    at(clock, TODAY - 300 * DAY)
    record_order(ctx, old, amount="100")
    at(clock, TODAY - 60 * DAY)
    log_interaction(ctx, buyer, summary="before the sale")
    record_order(ctx, buyer, amount="900")
    for days, direction, outcome in ((50, "out", "neutral"), (40, "in", "neutral"),
                                     (30, "out", "no_answer"), (20, "out", "positive"),
                                     (10, "out", "neutral")):
        at(clock, TODAY - days * DAY)
        log_interaction(ctx, buyer, summary=f"T-{days}", direction=direction, outcome=outcome)
    clock.now = datetime(TODAY.year, TODAY.month, TODAY.day, 10, tzinfo=timezone.utc)
    ctx.store.close()
    _as_before_lifecycles(path)
    with sqlite3.connect(path) as connection:  # a user had typed terminated as the status
        connection.execute("UPDATE customer SET status = 'terminated' WHERE id = ?", (gone,))

    ctx = make_context(path, clock)
    assert any(f"from schema {LIFECYCLES - 1} to {LATEST_VERSION}" in note
               for note in ctx.store.notices)
    assert latest_backup(path) is not None
    rows = {c.name: c for c in Customer.select()}
    assert {name: (c.lifecycle, c.status) for name, c in rows.items()} == {
        "Typed": ("prospect", "existing"), "Buyer": ("customer", "existing"),
        "Old": ("customer", "existing"), "Gone": ("terminated", "terminated")}
    assert rows["Gone"].lifecycle_reason == "relationship status was terminated"
    [change] = CustomerChange.select()
    assert (change.customer_id, change.to_value, change.by_id) == (gone, "terminated", None)
    assert (rows["Buyer"].last_order_on, rows["Old"].last_order_on) == (
        TODAY - 60 * DAY, TODAY - 300 * DAY)
    assert rows["Buyer"].regular_until is None  # one buying day
    # the open opportunity since the sale: three answered calls out, the first not a follow-up
    assert rows["Buyer"].followups == 2 and rows["Typed"].followups == 0
    assert (rows["Buyer"].value_class, rows["Old"].value_class, rows["Typed"].value_class) == (
        "key", "ordinary", "none")  # 900 of 1000 hold 80%; 1000 is past 95%
    assert rows["Buyer"].profit == rows["Buyer"].revenue
    assert Setting.get_or_none(Setting.key == RESCHEDULE_ALL) is not None

    # the first command of the day lapses, and reschedules everyone with the user's settings
    move_grades_if_due(ctx)
    rows = {c.name: c for c in Customer.select()}
    assert rows["Old"].lifecycle == "lapsed"
    assert (rows["Buyer"].next_due, rows["Buyer"].due_rule) == (TODAY - 3 * DAY, "class")
    assert Setting.get_or_none(Setting.key == RESCHEDULE_ALL) is None
    assert check_store(ctx.store).ok
    ctx.store.close()
    fresh = tmp_path / "new.sqlite3"
    make_context(fresh, clock).store.close()
    assert _objects(path) == _objects(fresh)
