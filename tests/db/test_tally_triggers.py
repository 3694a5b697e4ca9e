"""The customer tallies' triggers (schema 30) delete an emptied count only after counting a
customer out: the counts stay those from scratch, with no row left at 0, and an upgraded
database has the triggers a new one has, on SQLite and PostgreSQL."""

from __future__ import annotations

import random

from crmtui.db import Customer, SchemaVersion, database
from crmtui.db.figures import TALLIES, Tally, create_figures, figures_out_of_step
from crmtui.db.models import DueTally
from crmtui.db.upgrade_steps import MIGRATIONS
from crmtui.services.customers import add_customer
from crmtui.services.interactions import log_interaction


def _schema_29_change(self: Tally, row: str, sign: str, sqlite: bool) -> str:
    """The tallies' statement as schema 29 wrote it: an emptied count looked for every time."""
    return f"{self.upsert(row, sign, sqlite)}; {self.emptied(row)}"


def _triggers(backend: str) -> dict[str, str]:
    """The tallies' triggers (and on PostgreSQL their functions) as the database holds them."""
    names = [f"figures_{tally.table}" for tally in TALLIES]
    if backend == "sqlite":
        rows = database.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
    else:
        rows = database.execute_sql(
            "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal "
            "UNION ALL SELECT proname, prosrc FROM pg_proc WHERE proname LIKE 'figures_%%'"
        ).fetchall()
    return {name: sql for name, sql in rows if any(name.startswith(n) for n in names)}


def _shuffle_due_days(ctx, rng: random.Random, customers: list[int]) -> None:
    """Contacts that move the customers' due days among a few, so counts empty and fill."""
    for _ in range(30):
        number = rng.choice(customers)
        log_interaction(ctx, number, summary="called", next_on=f"+{rng.randrange(1, 4)}d")


def test_the_tallies_keep_no_count_at_zero_as_customers_move(backend, ctx):
    rng = random.Random(3)
    customers = [add_customer(ctx, {"name": f"客户{n}"}).id for n in range(5)]
    _shuffle_due_days(ctx, rng, customers)
    assert {table: rows for table, rows in figures_out_of_step(database.obj).items() if rows} == {}
    for tally in TALLIES:
        zero = database.execute_sql(f'SELECT count(*) FROM "{tally.table}" WHERE "customers" = 0')
        assert zero.fetchone()[0] == 0, tally.table
    days = {customer.next_due for customer in Customer.select(Customer.next_due)}
    assert len(days) >= 2  # (the contacts moved them apart)
    assert {row.next_due for row in DueTally.select(DueTally.next_due)} == days


def test_the_upgrade_to_30_gives_the_triggers_of_a_new_database(backend, ctx, monkeypatch):
    new = _triggers(backend)
    assert new and any("remaining" in sql for sql in new.values()) == (backend != "sqlite")
    with monkeypatch.context() as patched:  # the triggers as schema 29 made them
        patched.setattr(Tally, "change", _schema_29_change)
        for tally in TALLIES:
            for event in ("insert", "update", "delete"):
                database.execute_sql(
                    f'DROP TRIGGER IF EXISTS "figures_{tally.table}_{event}"'
                    + ("" if backend == "sqlite" else ' ON "customer"')
                )
        create_figures(database.obj)
    old = _triggers(backend)
    assert set(old) == set(new) and old != new
    SchemaVersion.update(version=29).execute()
    with database.atomic():
        MIGRATIONS[30](database.obj)
    assert _triggers(backend) == new
    customers = [add_customer(ctx, {"name": f"客户{n}"}).id for n in range(4)]
    _shuffle_due_days(ctx, random.Random(5), customers)
    assert {table: rows for table, rows in figures_out_of_step(database.obj).items() if rows} == {}
