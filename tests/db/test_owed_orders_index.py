"""Today's overdue payments read the owed orders' index (schema 29 adds the order's day to it),
not the order rows: an upgraded database has the index a new one has, on SQLite and PostgreSQL,
and the payments due are the same."""

from __future__ import annotations

import pytest

from crmtui.db import Customer, Order, SchemaVersion, database
from crmtui.db.upgrade_steps import MIGRATIONS
from crmtui.demo import build_demo
from crmtui.rules import DueKind
from crmtui.services.due import due_list
from crmtui.services.due_sections import DueSection
from crmtui.services.followthrough_due import payment_query
from tests.conftest import TODAY


def _index() -> str:
    [sql] = [index.sql for index in database.get_indexes("sales_order")
             if index.name == "sales_order_owing"]
    return sql


def _payments(ctx) -> list[tuple]:
    return [(item.customer_id, item.ref_id, item.due, item.detail)
            for item in due_list(ctx, TODAY, everyone=True, kinds={DueKind.PAYMENT})]


def test_the_upgrade_to_29_gives_the_index_of_a_new_database(backend, ctx):
    build_demo(ctx, 150, seed=4, today=TODAY)
    new, payments = _index(), _payments(ctx)
    assert '"on"' in new
    database.execute_sql('DROP INDEX "sales_order_owing"')  # as schema 17 to 28 made it
    database.execute_sql('CREATE INDEX "sales_order_owing" ON "sales_order" '
                         '("owed_since", "customer_id", "owed") WHERE ("owed" > 0)')
    SchemaVersion.update(version=28).execute()
    assert '"on"' not in _index()
    with database.atomic():
        MIGRATIONS[29](database.obj)
    assert _index() == new
    assert payments and _payments(ctx) == payments


def test_sqlite_reads_the_overdue_payments_from_the_index_alone(backend, ctx):
    if backend != "sqlite":
        pytest.skip("SQLite's query plan")
    from crmtui.db import Customer, Order
    from crmtui.services.due_sections import DueSection
    from crmtui.services.followthrough_due import payment_query

    section = DueSection(ctx, TODAY, True)
    query = payment_query(section, Customer.id, Customer.name, Order.id, Order.owed_since,
                          Order.owed, Order.on)
    sql, params = query.sql()
    plan = " ".join(str(row[-1]) for row in
                    database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall())
    assert "COVERING INDEX sales_order_owing" in plan, plan
