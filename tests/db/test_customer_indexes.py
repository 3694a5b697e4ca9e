"""The customer's indexes: schema 28 drops four that no query needs and indexes only the
customers someone referred (every index costs each contact logged); an upgraded database has
the same indexes as a new one, on SQLite and PostgreSQL, and referrals are still found."""

from __future__ import annotations

import pytest

from crmtui.db import Customer, SchemaVersion, database
from crmtui.db.upgrade_steps import MIGRATIONS
from crmtui.services.customers import add_customer, delete_customer

DROPPED = {
    "customer_name": '("name")',
    "customer_cadence_due": '("cadence_due")',
    "customer_source_deal_status": '("source", "deal_status")',
    "customer_updated_by_id": '("updated_by_id")',
}


def _indexes() -> dict[str, str]:
    return {index.name: index.sql for index in database.get_indexes("customer")}


def _as_schema_27() -> None:
    """The customer's indexes as schema 27 left them."""
    database.execute_sql('DROP INDEX "customer_referred_by_id"')
    database.execute_sql(
        'CREATE INDEX "customer_referred_by_id" ON "customer" ("referred_by_id")'
    )
    for name, columns in DROPPED.items():
        database.execute_sql(f'CREATE INDEX "{name}" ON "customer" {columns}')
    SchemaVersion.update(version=27).execute()


def test_a_new_database_indexes_only_the_referred_customers(backend, ctx):
    indexes = _indexes()
    assert not set(DROPPED) & set(indexes)
    assert "IS NOT NULL" in indexes["customer_referred_by_id"].upper()


def test_the_upgrade_to_28_leaves_the_indexes_of_a_new_database(backend, ctx):
    new = _indexes()
    _as_schema_27()
    assert set(DROPPED) <= set(_indexes())
    with database.atomic():
        MIGRATIONS[28](database.obj)
    assert _indexes() == new


def test_referrals_are_found_and_let_go_with_the_partial_index(backend, ctx):
    referrer = add_customer(ctx, {"name": "王芳"})
    referred = [
        add_customer(ctx, {"name": f"客户{n}"}, referred_by=referrer.id).id for n in range(3)
    ]
    add_customer(ctx, {"name": "nobody's"})
    found = Customer.select(Customer.id).where(Customer.referred_by == referrer.id)
    assert sorted(c.id for c in found) == sorted(referred)
    delete_customer(ctx, referrer.id)  # ON DELETE SET NULL finds them
    assert Customer.select().where(Customer.referred_by.is_null(False)).count() == 0
    assert Customer.select().where(Customer.id.in_(referred)).count() == 3


def test_sqlite_reads_a_referrers_referrals_from_the_partial_index(backend, ctx):
    if backend != "sqlite":
        pytest.skip("SQLite's query plan")
    plan = database.execute_sql(
        'EXPLAIN QUERY PLAN SELECT "id" FROM "customer" WHERE "referred_by_id" = ?', (1,)
    ).fetchall()
    assert "customer_referred_by_id" in " ".join(str(row[-1]) for row in plan)
