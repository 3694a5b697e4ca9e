"""Orders through delivery and payment (回款): each transition, ageing at month ends with exact
dates, the credit limit, Today's deliveries and overdue payments, and revenue counted by
payments."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from crmtui.config import Receivables as ReceivableSettings
from crmtui.db import Customer, Order, Payment
from crmtui.errors import InvalidInput, NotFound
from crmtui.rules import AGE_BUCKETS, DueKind, age_bucket, days_overdue, payment_due
from crmtui.services.customers import add_customer, update_customer
from crmtui.services.due import due_list
from crmtui.services.grading import move_grades_if_due
from crmtui.services.interactions import record_order
from crmtui.services.receivables import (
    OverCreditLimit,
    balance_of,
    day_money,
    deliver,
    receivables,
    record_payment,
)
from tests.conftest import TODAY, as_user


def at(clock, day: date) -> None:
    clock.now = datetime.combine(day, time(10), timezone.utc)


@pytest.fixture
def zhang(ctx, rep_ctx):
    return add_customer(ctx, {"name": "张三", "company": "华为"}, owner="rita").id


def orders() -> list[tuple]:
    return [tuple(r.values()) for r in Order.select().order_by(Order.id).dicts()]


def payments() -> list[tuple]:
    return [tuple(r.values()) for r in Payment.select().order_by(Payment.id).dicts()]


@pytest.mark.parametrize("owed_since, today, overdue, bucket", [
    (date(2026, 1, 31), date(2026, 3, 1), 0, None),    # 30 days to pay: due 2 March
    (date(2026, 1, 31), date(2026, 3, 2), 0, None),    # the last day to pay
    (date(2026, 1, 31), date(2026, 3, 3), 1, "1-30"),
    (date(2026, 1, 31), date(2026, 4, 1), 30, "1-30"),
    (date(2026, 1, 31), date(2026, 4, 2), 31, "31-60"),
    (date(2028, 1, 31), date(2028, 3, 31), 30, "1-30"),  # a leap February: due 1 March
    (date(2028, 1, 31), date(2028, 4, 1), 31, "31-60"),
    (date(2026, 2, 28), date(2026, 5, 29), 60, "31-60"),
    (date(2026, 2, 28), date(2026, 5, 30), 61, "61-90"),
    (date(2026, 3, 31), date(2026, 7, 29), 90, "61-90"),
    (date(2026, 3, 31), date(2026, 7, 30), 91, "91+"),
    (date(2026, 12, 31), date(2027, 12, 31), 335, "91+"),
])
def test_ageing_at_month_ends(owed_since, today, overdue, bucket):
    assert days_overdue(owed_since, today) == overdue
    assert age_bucket(overdue) == bucket
    assert payment_due(owed_since) == owed_since + timedelta(days=30)


def test_order_delivered_then_paid_in_two_parts(ctx, rep_ctx, zhang, clock):
    rita = rep_ctx
    order = record_order(rita, zhang, amount="12,000", product="服务器", deliver_on="+2d")
    assert (order.owed, order.paid, order.delivery, order.deliver_on) == (
        Decimal("12000.00"), 0, "ordered", TODAY + timedelta(days=2))
    assert Order.get_by_id(order.id).owed_since == TODAY
    # on Today the day it is to be delivered, not before
    assert not [i for i in due_list(rita) if i.kind is DueKind.DELIVERY]
    at(clock, TODAY + timedelta(days=3))  # a day late
    [item] = [i for i in due_list(rita) if i.kind is DueKind.DELIVERY]
    assert (item.ref_id, item.overdue_days) == (order.id, 1)
    assert item.detail == f"deliver order #{order.id} · 服务器 · 12,000.00 · late by 1d"
    delivered = deliver(rita, order.id, on="today")
    assert (delivered.delivery, delivered.delivered_on, delivered.owed_since) == (
        "delivered", TODAY + timedelta(days=3), TODAY + timedelta(days=3))
    assert not [i for i in due_list(rita) if i.kind is DueKind.DELIVERY]

    record_payment(rita, order.id, "5000", method="cash", note="deposit")
    assert balance_of(rita, Customer.get_by_id(zhang)).owed == Decimal("7000.00")
    # overdue from the day after the terms (30 days from delivery)
    at(clock, TODAY + timedelta(days=33))
    assert not [i for i in due_list(rita) if i.kind is DueKind.PAYMENT]
    at(clock, TODAY + timedelta(days=34))
    [late] = [i for i in due_list(rita) if i.kind is DueKind.PAYMENT]
    assert (late.ref_id, late.due, late.overdue_days) == (
        order.id, TODAY + timedelta(days=33), 1)
    assert late.detail == f"7,000.00 owed on order #{order.id} of 2026-11-23 · overdue 1d"
    balance = balance_of(rita, Customer.get_by_id(zhang))
    assert (balance.owed, balance.overdue, balance.since, balance.oldest_overdue_days) == (
        Decimal("7000.00"), Decimal("7000.00"), TODAY + timedelta(days=3), 1)
    record_payment(rita, order.id, "7000")
    after = Order.get_by_id(order.id)
    assert (after.paid, after.owed) == (Decimal("12000.00"), 0)
    assert not [i for i in due_list(rita) if i.kind is DueKind.PAYMENT]
    assert [(p.amount, p.method, p.note) for p in Payment.select().order_by(Payment.id)] == [
        (Decimal("5000.00"), "cash", "deposit"), (Decimal("7000.00"), "transfer", "")]
    day = day_money(ctx, TODAY + timedelta(days=34))
    assert [(p[1], p[3]) for p in day.payments] == [(order.id, Decimal("7000.00"))]


@pytest.mark.parametrize("amount, extra, message", [
    ("12001", {}, "amount: 12,001.00 is more than the 12,000.00 still owed on order #1"),
    ("-5", {}, "amount: must not be negative"),
    ("0", {}, "amount: must be more than zero"),
    ("abc", {}, "amount: 'abc' is not an amount"),
    ("100", {"on": "+1d"}, "on: cannot be in the future"),
    ("100", {"on": "2026-11-01"}, "on: cannot be before the order (2026-11-23)"),
    ("100", {"method": "bitcoin"}, "method: 'bitcoin' is not one of"),
])
def test_bad_payments_are_refused_and_change_nothing(rep_ctx, zhang, amount, extra, message):
    order = record_order(rep_ctx, zhang, amount="12000")
    before = (orders(), payments())
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        record_payment(rep_ctx, order.id, amount, **extra)
    assert (orders(), payments()) == before


def test_someone_elses_order_is_not_found(ctx, rep_ctx, zhang):
    order = record_order(rep_ctx, zhang, amount="100")
    with pytest.raises(NotFound, match=f"no order with id {order.id}"):
        record_payment(as_user(ctx, "ray"), order.id, "10")
    with pytest.raises(NotFound):
        deliver(as_user(ctx, "ray"), order.id)
    record_payment(ctx, order.id, "10")  # a manager may


def test_a_return_ends_what_is_owed_and_the_revenue(rep_ctx, zhang):
    order = record_order(rep_ctx, zhang, amount="3000", cost="1000")
    record_payment(rep_ctx, order.id, "1000")
    deliver(rep_ctx, order.id, partly=True)
    deliver(rep_ctx, order.id, returned=True)
    after = Order.get_by_id(order.id)
    customer = Customer.get_by_id(zhang)
    assert (after.delivery, after.owed, after.paid) == ("returned", 0, Decimal("1000.00"))
    assert (customer.revenue, customer.profit) == (0, 0)
    with pytest.raises(InvalidInput, match="already returned"):
        deliver(rep_ctx, order.id)
    with pytest.raises(InvalidInput, match="nothing is owed on order"):
        record_payment(rep_ctx, order.id, "1")


def test_an_order_past_the_credit_limit_asks_first(ctx, rep_ctx, zhang):
    update_customer(ctx, zhang, {"credit_limit": "10,000"})
    record_order(rep_ctx, zhang, amount="8000")
    before = orders()
    with pytest.raises(OverCreditLimit) as refused:
        record_order(rep_ctx, zhang, amount="3000")
    assert refused.value.excess == Decimal("1000.00")
    assert str(refused.value) == ("this order takes 张三 past their credit limit of 10,000.00 "
                                  "by 1,000.00 (11,000.00 owed with it)")
    assert orders() == before
    record_order(rep_ctx, zhang, amount="3000", over_limit=True)  # confirmed
    assert len(orders()) == 2
    record_payment(rep_ctx, 1, "8000")  # paid down: room again
    record_order(rep_ctx, zhang, amount="4000")


def test_receivables_by_age_and_rep(ctx, rep_ctx, clock):
    at(clock, date(2026, 1, 31))
    zhang = add_customer(ctx, {"name": "张三"}, owner="rita").id
    other = add_customer(ctx, {"name": "李四"}, owner="ray").id
    first = record_order(ctx, zhang, amount="1000", on="2026-01-31")  # due 2 March
    second = record_order(ctx, other, amount="2000", on="2026-01-31")
    at(clock, date(2026, 3, 31))
    third = record_order(ctx, zhang, amount="500")  # not yet due
    deliver(ctx, second.id, on="2026-02-28")  # terms from delivery: due 30 March
    owed = receivables(ctx, date(2026, 5, 4))
    # 1000 is 63 days overdue, 2000 is 35, 500 is 4
    assert owed.total.owed == Decimal("3500.00")
    assert owed.total.by_age == {"1-30": Decimal("500.00"), "31-60": Decimal("2000.00"),
                                 "61-90": Decimal("1000.00"), "91+": 0}
    assert [(login, o.owed, o.overdue) for login, _name, o in owed.by_rep] == [
        ("ray", Decimal("2000.00"), Decimal("2000.00")),
        ("rita", Decimal("1500.00"), Decimal("1500.00"))]
    mine = receivables(ctx, date(2026, 5, 4), owner_id=rep_ctx.user.id)
    assert mine.total.owed == Decimal("1500.00")
    assert set(owed.total.by_age) == set(AGE_BUCKETS)
    del first, third


def test_revenue_counts_payments_when_configured(ctx, rep_ctx, zhang):
    order = record_order(rep_ctx, zhang, amount="5000")
    assert Customer.get_by_id(zhang).revenue == Decimal("5000.00")
    record_payment(rep_ctx, order.id, "2000")
    paying = ctx.config._replace(receivables=ReceivableSettings(revenue_counts="payments"))
    boss = ctx.replaced(config=paying)
    move_grades_if_due(boss)  # notices the change: every customer recounted
    assert Customer.get_by_id(zhang).revenue == Decimal("2000.00")
    rita = rep_ctx.replaced(config=paying)
    record_payment(rita, order.id, "1000")
    record_order(rita, zhang, amount="700")
    assert Customer.get_by_id(zhang).revenue == Decimal("3000.00")
    move_grades_if_due(ctx)  # back to orders
    assert Customer.get_by_id(zhang).revenue == Decimal("5700.00")
