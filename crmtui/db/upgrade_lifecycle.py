"""The upgrade to schema 11: the customer lifecycle, value classes, maintenance and wins, filled
in from the orders and contacts already stored."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import peewee
from peewee import SQL, BigIntegerField, BooleanField
from playhouse.migrate import SchemaMigrator, migrate

from crmtui.db.fields import IsoDateField, UtcDateTimeField
from crmtui.db.models import (
    RESCHEDULE_ALL,
    TERMINATED_BY_STATUS,
    Customer,
    CustomerChange,
    Interaction,
    Order,
    Setting,
    Win,
    database,
)
from crmtui.db.rows import tuple_rows
from crmtui.db.upgrade_columns import missing_columns, text_column
from crmtui.rules import Tier, regular_until, value_tiers


def v11_lifecycle(db: peewee.Database) -> None:
    """v11: the customer lifecycle, value classes, maintenance visits and wins (客户维护).

    Adds the columns and tables, then fills them from what is stored: the order facts of every
    customer (last order, regular_until, profit = revenue, since no order has a cost yet), the
    lifecycle (`prospect` or `customer` by their orders; `terminated` where the relationship
    status a user set was terminated, with that as its reason — the status itself is kept as
    typed), the value class by revenue (the 80/20 tiers), and the follow-up count of the open
    opportunity (outbound answered contacts after the first, since the last order: every past
    sale is taken to have closed an opportunity). Lapsing and the new next due dates, which
    depend on the day and the team's settings, are left to the first daily catch-up.
    """

    migrator = SchemaMigrator.from_database(db)
    columns: dict[str, list[tuple[str, peewee.Field]]] = {
        "customer": [
            ("lifecycle", text_column("prospect", 12)),
            ("lifecycle_reason", text_column()),
            ("value_class", text_column("none", 12)),
            ("class_pinned", BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])),
            ("class_reason", text_column()),
            ("due_rule", text_column("first_contact", 16)),
            ("last_order_on", IsoDateField(null=True)),
            ("regular_until", IsoDateField(null=True)),
            ("opportunity_since", UtcDateTimeField(null=True)),
            ("profit", BigIntegerField(default=0, constraints=[SQL("DEFAULT 0")])),
        ],
        "sales_order": [("cost", BigIntegerField(null=True))],
    }
    migrate(*missing_columns(db, migrator, columns))
    db.create_tables([Win, CustomerChange], safe=True)
    for statement in (
        'CREATE INDEX IF NOT EXISTS "customer_lifecycle_last_order_on" '
        'ON "customer" ("lifecycle", "last_order_on")',
        'CREATE INDEX IF NOT EXISTS "customer_profit_desc" ON "customer" ("profit" DESC)',
    ):
        db.execute_sql(statement)
    v11_fill()
    Setting.insert(key=RESCHEDULE_ALL, value="1").on_conflict(
        conflict_target=[Setting.key], update={Setting.value: "1"}
    ).execute()


def v11_fill() -> None:
    mark = database.param
    days: dict[int, list[date]] = {}
    orders = Order.select(Order.customer, Order.on).order_by(Order.customer, Order.on)
    for customer_id, day in tuple_rows(orders, tuple[int, date]):
        days.setdefault(customer_id, []).append(day)
    # the open opportunity started after the day of the last sale (UTC: the zone is unknown)
    since = {
        cid: datetime.combine(found[-1] + timedelta(days=1), time(0), timezone.utc)
        - timedelta(seconds=1)
        for cid, found in days.items()
    }
    counted = (Interaction.direction == "out") & (Interaction.outcome != "no_answer")
    contacts: dict[int, int] = {}
    query = (
        Interaction.select(Interaction.customer, Interaction.at)
        .where(counted)
        .order_by(Interaction.customer)
    )
    for customer_id, at in tuple_rows(query, tuple[int, datetime]):
        opened = since.get(customer_id)
        if opened is None or at > opened:
            contacts[customer_id] = contacts.get(customer_id, 0) + 1
    customers = list(
        tuple_rows(
            Customer.select(Customer.id, Customer.status, Customer.revenue.coerce(False)),
            tuple[int, str, int],
        )
    )
    tiers = value_tiers({cid: cents for cid, _status, cents in customers if cents})
    rows = []
    for customer_id, status, cents in customers:
        found = days.get(customer_id)
        lifecycle = "terminated" if status == "terminated" else "customer" if found else "prospect"
        regular = regular_until(found) if found else None
        rows.append(
            (
                lifecycle,
                TERMINATED_BY_STATUS if lifecycle == "terminated" else "",
                str(tiers.get(customer_id, Tier.NONE)),
                found[-1].isoformat() if found else None,
                regular.isoformat() if regular else None,
                Customer.opportunity_since.db_value(since.get(customer_id)),
                int(cents or 0),
                max(0, contacts.get(customer_id, 0) - 1),
                customer_id,
            )
        )
    database.cursor().executemany(
        f'UPDATE "customer" SET "lifecycle" = {mark}, "lifecycle_reason" = {mark}, '
        f'"value_class" = {mark}, "last_order_on" = {mark}, "regular_until" = {mark}, '
        f'"opportunity_since" = {mark}, "profit" = {mark}, "followups" = {mark} '
        f'WHERE "id" = {mark}',
        rows,
    )
    now = datetime.now(timezone.utc)
    terminated = [
        (cid, now, now.date(), "lifecycle", "", "terminated", TERMINATED_BY_STATUS, None)
        for cid, status, _cents in customers
        if status == "terminated"
    ]
    if terminated:
        CustomerChange.insert_many(
            terminated,
            fields=[
                CustomerChange.customer,
                CustomerChange.at,
                CustomerChange.on,
                CustomerChange.what,
                CustomerChange.from_value,
                CustomerChange.to_value,
                CustomerChange.reason,
                CustomerChange.by,
            ],
        ).execute()
