"""The same storage promises on SQLite and on PostgreSQL: schema creation and upgrades, refusing
what is not ours, exact money, UTC timestamps, dates, bulk inserts and search."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from crmtui.db import (
    LATEST_VERSION,
    MODELS,
    Customer,
    Interaction,
    SchemaVersion,
    User,
    open_store,
)
from crmtui.db.bulk import bulk_insert, reset_sequences
from crmtui.db.figures import FIGURE_TABLES
from crmtui.errors import StorageError
from crmtui.services.customers import add_customer, find_customers, search_ids
from crmtui.services.interactions import log_interaction, record_order
from tests.conftest import NOW, TODAY, make_context


def reopen(ctx, db_target, clock):
    ctx.store.close()
    return make_context(db_target, clock)


def test_a_new_database_gets_the_latest_schema_once(ctx, db_target, clock):
    add_customer(ctx, {"name": "kept"})
    again = reopen(ctx, db_target, clock)
    assert SchemaVersion.select().count() == 1
    assert SchemaVersion.get().version == LATEST_VERSION
    assert [c.name for c in Customer.select()] == ["kept"]
    again.store.close()


def test_a_newer_schema_is_refused(ctx, db_target, clock):
    SchemaVersion.update(version=LATEST_VERSION + 1).execute()
    ctx.store.close()
    with pytest.raises(StorageError, match="newer crmtui"):
        open_store(db_target)


def test_a_database_of_another_program_is_refused(ctx, db_target):
    ctx.store.db.execute_sql("CREATE TABLE photos (id INTEGER)")
    # the tables the figures' triggers write go last: the triggers go with their tables
    kept = [model for model in MODELS if model._meta.table_name in FIGURE_TABLES]
    ctx.store.db.drop_tables([model for model in MODELS if model not in kept])
    ctx.store.db.drop_tables(kept)
    ctx.store.close()
    with pytest.raises(StorageError, match="not a crmtui database"):
        open_store(db_target)


def test_an_older_schema_is_upgraded_and_search_rebuilt(ctx, db_target, clock):
    customer = add_customer(ctx, {"name": "张三", "phones": "138 1234 5678"})
    if ctx.store.is_sqlite:  # schema 1 had no search index
        for trigger in ("insert", "delete", "update"):
            ctx.store.db.execute_sql(f"DROP TRIGGER customer_fts_{trigger}")
        ctx.store.db.execute_sql("DROP TABLE customer_fts")
    Customer.update(search_doc="").where(Customer.id == customer.id).execute()
    SchemaVersion.update(version=1).execute()
    again = reopen(ctx, db_target, clock)
    assert SchemaVersion.get().version == LATEST_VERSION
    assert [c.name for c in find_customers(again, "zs")] == ["张三"]
    assert [c.name for c in find_customers(again, "5678")] == ["张三"]
    again.store.close()


def test_money_is_exact_timestamps_are_utc_and_dates_stay_dates(ctx):
    customer = add_customer(ctx, {"name": "Buyer", "expected_amount": "0.10"})
    for amount in ("0.10", "0.20", "1234567890.99"):
        record_order(ctx, customer.id, amount=amount)
    east = timezone(timedelta(hours=8))
    log_interaction(
        ctx, customer.id, summary="late call", at=datetime(2026, 11, 23, 1, 30, tzinfo=east)
    )
    stored = Customer.get_by_id(customer.id)
    assert stored.revenue == Decimal("1234567891.29")
    assert stored.expected_amount == Decimal("0.10")
    assert stored.last_contact_at == datetime(2026, 11, 22, 17, 30, tzinfo=timezone.utc)
    assert stored.last_contact_at.tzinfo == timezone.utc
    assert stored.last_contact_on == date(2026, 11, 22)  # the context's zone is UTC
    assert isinstance(stored.next_due, date) and not isinstance(stored.next_due, datetime)
    assert stored.created_at == NOW
    late = Interaction.select().where(
        Interaction.at > datetime(2026, 11, 22, 17, 0, tzinfo=timezone.utc)
    )
    assert [i.summary for i in late] == ["late call"]


def test_bulk_inserts_with_ids_then_normal_inserts_continue_after_them(ctx):
    owner = User.get(User.login == "boss")
    fields = [
        Customer.id,
        Customer.name,
        Customer.owner,
        Customer.next_due,
        Customer.cadence_due,
        Customer.created_at,
        Customer.created_on,
        Customer.updated_at,
        Customer.search_doc,
    ]
    rows = [
        (i, f"bulk {i}", owner.id, TODAY, TODAY, NOW, TODAY, NOW, f"bulk {i}")
        for i in range(1, 2501)
    ]
    assert bulk_insert(Customer, fields, rows) == 2500
    reset_sequences([Customer])
    assert add_customer(ctx, {"name": "after"}).id == 2501
    assert Customer.get_by_id(7).grade == "D"  # a Python-side default was filled in
    assert search_ids(ctx, "bulk 2499") == [2499]


def test_search_matches_the_start_of_words_on_every_backend(ctx):
    lee = add_customer(
        ctx, {"name": "Li Lei", "email": "lilei@example.com", "company": "Acme Trading"}
    )
    add_customer(ctx, {"name": "Zhang", "company": "Other"})
    assert search_ids(ctx, "exam") == [lee.id]
    assert search_ids(ctx, "acme tr") == [lee.id]
    assert search_ids(ctx, "xample") == []  # inside a word: not a match
    assert search_ids(ctx, "rading") == []
    assert search_ids(ctx, "LI") == [lee.id]
    assert search_ids(ctx, "%") == [] and search_ids(ctx, "_") == []


def test_demo_data_fills_every_table_and_checks_clean(ctx, db_target, monkeypatch):
    import crmtui.db.bulk as bulk
    from crmtui.demo import build_demo
    from crmtui.services.maintenance import check_database

    recounted: list[str] = []
    fill = bulk.fill_figures
    monkeypatch.setattr(
        bulk, "fill_figures", lambda db, only: recounted.extend(only) or fill(db, only)
    )
    summary = build_demo(ctx, 40)
    kept = {"grade_tally", "pipeline_day", "order_day", "rep_order_day", "rep_interaction_day"}
    assert kept <= set(recounted)
    assert Customer.select().count() == summary.customers == 40
    assert Interaction.select().count() == summary.interactions > 0
    # the figures were counted once at the end; their triggers count what comes after
    later = add_customer(ctx, {"name": "after the demo"})
    assert later.id == 41
    record_order(ctx, later.id, amount="120", over_limit=True)
    record_order(ctx, 1, amount="80", over_limit=True)
    log_interaction(ctx, later.id, summary="called")
    report = check_database(db_target)
    assert report.ok, report.problems
