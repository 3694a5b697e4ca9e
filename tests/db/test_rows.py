"""The typed ways of reading rows (crmtui.db.fields.ForeignKeyId, crmtui.db.rows) read what
peewee stores, on every backend."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from peewee import SQL, ForeignKeyField

from crmtui.db import MODELS, Customer, Interaction, User, database
from crmtui.db.rows import (
    by_id,
    insert_record,
    prepared_once,
    tuple_rows,
    update_record,
    written_once,
)
from crmtui.services.customers import add_customer
from crmtui.services.interactions import log_interaction


def test_every_foreign_key_declares_its_id_accessor_with_its_nullability():
    for model in MODELS:
        for field in model._meta.sorted_fields:
            if isinstance(field, ForeignKeyField):
                declared = model.__annotations__.get(field.object_id_name)
                wanted = f"ForeignKeyId[{'int | None' if field.null else 'int'}]"
                assert declared == wanted, f"{model.__name__}.{field.object_id_name}"


def test_the_id_accessors_read_and_query_the_keys_without_loading_the_rows(ctx):
    customer = add_customer(ctx, {"name": "Ann"})
    log_interaction(ctx, customer.id, summary="called")
    logged = Interaction.get()
    assert (logged.customer_id, logged.by_id, logged.contact_id) == (customer.id, ctx.user.id, None)
    assert Interaction.select().where(Interaction.customer_id == customer.id).count() == 1
    assert Interaction.customer_id is Interaction.customer  # on the model: the field itself
    row = Customer.get_by_id(customer.id)
    assert (row.owner_id, row.referred_by_id) == (ctx.user.id, None)
    other = User.create(login="olga", role="rep", created_at=row.created_at)
    row.owner_id = other.id
    assert row.owner.login == "olga"


def test_tuple_rows_reads_the_columns_selected_in_order(ctx):
    add_customer(ctx, {"name": "Bo"})
    add_customer(ctx, {"name": "Al"})
    query = Customer.select(Customer.name, Customer.id, Customer.next_step_on).order_by(
        Customer.name
    )
    rows = list(tuple_rows(query, tuple[str, int, date | None]))
    assert [(name, on) for name, _id, on in rows] == [("Al", None), ("Bo", None)]
    assert all(isinstance(number, int) for _name, number, _on in rows)


def test_a_record_by_id_reads_as_peewee_reads_it(ctx):
    customer = add_customer(ctx, {"name": "Ann", "company": "Acme", "phones": "555 0100"})
    Customer.update(expected_amount=Decimal("1234.50"), expected_close=date(2027, 2, 28)).where(
        Customer.id == customer.id
    ).execute()
    log_interaction(ctx, customer.id, summary="called", next_on="2027-03-01")
    for model, number in (
        (Customer, customer.id),
        (User, ctx.user.id),
        (Interaction, Interaction.get().id),
    ):
        read, wanted = by_id(model, number), model.get_or_none(model.id == number)
        assert read is not None and type(read) is model
        for field in model._meta.sorted_fields:
            value, expected = getattr(read, field.name), getattr(wanted, field.name)
            assert (value, type(value)) == (expected, type(expected)), field.name
        assert not read.is_dirty()
    assert by_id(Customer, customer.id + 1000) is None


def test_a_statement_written_once_refuses_values_in_another_order(ctx):
    def query():
        return Customer.select().where((Customer.name == "Ann") & (Customer.owner == 7))

    with pytest.raises(ValueError, match="takes"):
        written_once("test: refused order", query, [7, "Ann"])
    sql = written_once("test: accepted order", query, ["Ann", 7])
    assert list(Customer.raw(sql, "Ann", 7)) == []


def _stored(model, number):
    row = model.get_by_id(number)
    return {field.name: getattr(row, field.name) for field in model._meta.sorted_fields}


def test_a_record_inserted_from_its_written_statement_is_stored_as_save_stores_it(ctx):
    customer = add_customer(ctx, {"name": "Ann"})
    at = ctx.now()
    made = []
    for insert in (lambda record: record.save(force_insert=True), insert_record):
        for next_on in (None, date(2027, 3, 1)):  # the second time: the statement as written
            record = Interaction(
                customer=customer.id,
                at=at,
                summary="called 电话",
                by=ctx.user.id,
                next_on=next_on,
                referral_ask=True,
                followup_number=2,
            )
            insert(record)
            assert record.id is not None and not record.is_dirty()
            made.append(record.id)
    stored = [_stored(Interaction, number) for number in made]
    assert stored[2] == {**stored[0], "id": made[2]}
    assert stored[3] == {**stored[1], "id": made[3]}
    assert len(set(made)) == 4


def test_a_record_updated_from_its_written_statement_writes_only_the_fields_named(ctx):
    first = add_customer(ctx, {"name": "Ann", "company": "Acme"})
    second = add_customer(ctx, {"name": "Bo", "company": "Bolt"})
    for customer, followups in ((first, 3), (second, 5)):  # the second time: as written
        row = Customer.get_by_id(customer.id)
        before = _stored(Customer, customer.id)
        row.followups = followups
        row.next_due = date(2027, 4, 1)
        row.company = "changed in memory only"
        update_record(row, [Customer.next_due, Customer.followups])
        assert row.dirty_field_names == ["company"]
        after = _stored(Customer, customer.id)
        assert after == {**before, "followups": followups, "next_due": date(2027, 4, 1)}


def test_a_statement_prepared_once_reads_what_it_reads_written(backend, ctx):
    ann = add_customer(ctx, {"name": "Ann", "company": "Acme"})
    add_customer(ctx, {"name": "Bo", "company": "Acme"})

    def query():  # (a literal % too: the driver reads a statement with values as a format)
        return (
            Customer.select(Customer.name)
            .where((Customer.company == "Acme") & (Customer.id >= ann.id))
            .where(SQL("'100%%' <> ''"))
            .order_by(Customer.name)
        )

    params = ["Acme", ann.id]
    written = written_once("test: prepared", query, params)
    plain = database.execute_sql(written, params).fetchall()
    first = prepared_once("test: prepared", query, params)
    assert database.execute_sql(first, params).fetchall() == plain == [("Ann",), ("Bo",)]
    again = prepared_once("test: prepared", query, params)
    assert again == first
    if backend == "sqlite":
        assert first == written
        return
    assert first.startswith("EXECUTE ")
    prepared = "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s"
    assert database.execute_sql(prepared, ['%"company" = $1%']).fetchone()[0] == 1
    database.close()  # a new connection prepares it again
    database.connect()
    assert (
        database.execute_sql(prepared_once("test: prepared", query, params), params).fetchall()
        == plain
    )


def test_there_is_one_upgrade_step_for_each_version_up_to_the_latest():
    from crmtui.db.migrations import LATEST_VERSION
    from crmtui.db.upgrade_steps import MIGRATIONS

    assert sorted(MIGRATIONS) == list(range(2, LATEST_VERSION + 1))
