"""Sales: orders with their delivery and payment, payments, the wins that closed an opportunity,
and each rep's targets."""

from __future__ import annotations

from peewee import (
    OP,
    SQL,
    AutoField,
    CharField,
    Expression,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from crmtui.db.fields import ForeignKeyId, IsoDateField, MoneyField, UtcDateTimeField
from crmtui.db.models.archive import Customer
from crmtui.db.models.base import BaseModel, User


class Order(BaseModel):
    """A sale (交易记录)."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="orders", on_delete="CASCADE", index=False)
    customer_id: ForeignKeyId[int]
    on = IsoDateField()
    product = CharField(max_length=200, default="")
    quantity = IntegerField(default=1)
    amount = MoneyField()
    cost = MoneyField(null=True)  # what the sale cost, for ranking key customers by profit
    gift = CharField(max_length=200, default="")
    note = TextField(default="")
    by = ForeignKeyField(User, backref="orders", index=False)  # see Meta.indexes
    by_id: ForeignKeyId[int]
    created_at = UtcDateTimeField()
    # delivery and payment (回款): services.receivables keeps paid, owed and owed_since current
    deliver_on = IsoDateField(null=True)  # the delivery planned (on Today that day)
    delivered_on = IsoDateField(null=True)  # the (first) delivery
    delivery = CharField(
        max_length=16, default="ordered", constraints=[SQL("DEFAULT 'ordered'")]
    )  # rules.DeliveryState
    paid = MoneyField(default=0, constraints=[SQL("DEFAULT 0")])
    owed = MoneyField(default=0, constraints=[SQL("DEFAULT 0")])  # 0 once returned
    owed_since = IsoDateField(null=True)  # payment terms run from here: delivery, else order
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])
    """Moves on every edit: a correction saved over a newer one is refused (optimistic)."""

    class Meta:
        table_name = "sales_order"  # "order" is an SQL keyword
        # (by, on, amount): each rep's orders in a target's period, summed from the index alone
        # (on, customer) holds what retention reads: the buyers of a period, without the rows
        indexes = (
            (("customer", "on"), False),
            (("on", "customer"), False),
            (("by", "on", "amount"), False),
        )


# Literal SQL, not parameters: SQLite uses a partial index only for a query whose terms are
# the index's own, and a bound parameter never is.
OWING = Order.owed > SQL("0")
"""Orders with something still to pay: a few of all orders, indexed apart (receivables)."""
PENDING_DELIVERY = Expression(Order.delivery, OP.IN, SQL("('ordered', 'partly_delivered')"))
"""Orders still to deliver (in full)."""
# Only the orders still owed, or still to deliver, are indexed: Today's overdue payments and
# deliveries due, and the receivables, read a small index whatever the number of orders.
# The owed orders' index holds what Today's overdue payments show of the order (the customer,
# what is owed, the order's day), so a team's thousands are read without their order rows.
Order.add_index(
    Order.index(
        Order.owed_since, Order.customer, Order.owed, Order.on, name="sales_order_owing"
    ).where(OWING)
)
Order.add_index(
    Order.index(Order.deliver_on, Order.customer, name="sales_order_pending_delivery").where(
        PENDING_DELIVERY
    )
)


class Payment(BaseModel):
    """Money received against an order (回款): its day, amount and how it was paid."""

    id = AutoField()
    order = ForeignKeyField(Order, backref="payments", on_delete="CASCADE")
    order_id: ForeignKeyId[int]
    customer = ForeignKeyField(Customer, backref="payments", on_delete="CASCADE", index=False)
    customer_id: ForeignKeyId[int]
    on = IsoDateField()
    amount = MoneyField()
    method = CharField(max_length=16, default="transfer")  # validation.PAYMENT_METHODS
    note = TextField(default="")
    by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL", index=False)
    by_id: ForeignKeyId[int | None]
    at = UtcDateTimeField()

    class Meta:
        # (customer, on): a customer's payments; (on, customer, amount): a period's payments
        # (the day's report, revenue counted by payments) from the index alone
        indexes = ((("customer", "on"), False), (("on", "customer", "amount"), False))


class Win(BaseModel):
    """A sale that closed an opportunity (the need was clear): how many follow-ups it took."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="wins", on_delete="CASCADE", index=False)
    customer_id: ForeignKeyId[int]
    order = ForeignKeyField(Order, null=True, backref="wins", on_delete="SET NULL")
    order_id: ForeignKeyId[int | None]
    on = IsoDateField()
    amount = MoneyField()
    followups = IntegerField()  # outbound answered contacts after the first (rules.lifecycle)
    at = UtcDateTimeField()
    by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL", index=False)
    by_id: ForeignKeyId[int | None]

    class Meta:
        # (by, on, amount): each rep's wins in a period from the index alone
        indexes = (
            (("customer", "on"), False),
            (("on", "followups"), False),
            (("by", "on", "amount"), False),
        )


class Target(BaseModel):
    """A rep's sales target (销售目标) for a month, a quarter or a year."""

    id = AutoField()
    user = ForeignKeyField(User, backref="targets", index=False)
    user_id: ForeignKeyId[int]
    period = CharField(max_length=8)  # 2026-12 | 2027-Q1 | 2027
    starts_on = IsoDateField()
    ends_on = IsoDateField()  # the period's last day
    amount = MoneyField(null=True)  # orders
    new_customers = IntegerField(null=True)  # prospects won as customers
    set_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL", index=False)
    # peewee's accessor replaces the model's set_by_id() classmethod here, as declared
    set_by_id: ForeignKeyId[int | None]  # type: ignore[assignment]
    set_at = UtcDateTimeField()

    class Meta:
        indexes = ((("user", "period"), True), (("period", "user"), False))
