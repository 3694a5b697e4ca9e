"""Orders followed through delivery and payment (回款): deliveries, payments, what customers
still owe and for how long, and the credit limit.

Decisions:

- An order is owed in full from the day it is booked; the payment terms (`[receivables]
  terms_days`, 30 by default) run from its first delivery, or from the order day while it is
  not delivered. A payment is overdue the day after the terms end; receivables age by days
  overdue (rules.age_bucket: ≤ 30, 31–60, 61–90, > 90).
- A return ends what is owed on the order (what was paid stays recorded; refunds are not
  tracked) and, where revenue counts orders, takes the order off the customer's revenue.
- Each order keeps `paid`, `owed` and `owed_since` current in the transaction of every payment,
  delivery or return, so Today's overdue payments and the receivables read a small partial
  index of the orders still owed (models.OWING), whatever the number of orders.
- The credit limit (`customer.credit_limit`) is checked when an order is recorded: one that
  takes what the customer owes past it is refused with the amount over, unless confirmed.
- `[revenue] counts = "payments"` makes the stored revenue (80/20, value classes) the sum of
  payments received instead of orders booked; changing it recounts every customer at the next
  daily catch-up (`count_revenue_as_configured`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from peewee import Case, SelectBase, fn

from crmtui.db import Customer, Order, Payment, Setting, User
from crmtui.db.migrations import REVENUE_COUNTED
from crmtui.db.models import OWING, OwedDay
from crmtui.db.rows import tuple_rows
from crmtui.errors import CrmError, InvalidInput, NotFound
from crmtui.i18n import _
from crmtui.labels import label
from crmtui.present.numbers import money
from crmtui.rules import (
    AGE_BUCKETS,
    DELIVERY_MOVES,
    DeliveryState,
    age_bucket,
    credit_excess,
    days_overdue,
)
from crmtui.services.access import get_editable_customer, get_visible_customer, record_id
from crmtui.services.context import Context, writes
from crmtui.services.customer_columns import reschedule
from crmtui.services.customers import _save_versioned
from crmtui.services.lifecycle import refresh_value_class
from crmtui.services.validation import PAYMENT_FIELDS, collect_field
from crmtui.views.payments import RecordedPayment

ZERO = Decimal("0.00")


class OverCreditLimit(CrmError):
    """An order that would take a customer past their credit limit, not confirmed."""

    def __init__(self, message: str, *, excess: Decimal, limit: Decimal, owed: Decimal) -> None:
        super().__init__(message)
        self.excess, self.limit, self.owed = excess, limit, owed


def counts_payments(ctx: Context) -> bool:
    return ctx.config.receivables.revenue_counts == "payments"


def owed_by(customer_id: int) -> Decimal:
    """What the customer still owes on all their orders."""
    cents = Order.select(fn.SUM(Order.owed)).where((Order.customer == customer_id) & OWING).scalar()
    return Order.owed.python_value(cents) if cents else ZERO


def check_credit(ctx: Context, customer: Customer, amount: Decimal) -> Decimal:
    """The amount an order of `amount` would take the customer past their credit limit (0
    within it); the message says by how much."""
    owed = owed_by(customer.id)
    excess = credit_excess(owed, amount, customer.credit_limit)
    if excess > 0 and customer.credit_limit is not None:  # no limit is never exceeded
        raise OverCreditLimit(
            _(
                "this order takes {name} past their credit limit of {limit} by {excess} "
                "({owed} owed with it)"
            ).format(
                name=customer.name,
                limit=money(customer.credit_limit),
                excess=money(excess),
                owed=money(owed + amount),
            ),
            excess=excess,
            limit=customer.credit_limit,
            owed=owed + amount,
        )
    return excess


def _order(ctx: Context, order_id: Any) -> tuple[Order, Customer]:
    """An order of a customer the user may change."""
    number = record_id(order_id)
    order = Order.get_or_none(Order.id == number) if number else None
    if order is None:
        raise NotFound(_("no order with id {id}").format(id=order_id))
    try:
        customer = get_editable_customer(ctx, order.customer_id)
    except NotFound:
        raise NotFound(_("no order with id {id}").format(id=order_id)) from None
    return order, customer


def _day(errors: dict[str, str], value: Any, today: date, order: Order) -> date:
    day = collect_field(errors, "on", PAYMENT_FIELDS["on"], value, today) or today
    if "on" not in errors:
        if day > today:
            errors["on"] = _("cannot be in the future")
        elif day < order.on:
            errors["on"] = _("cannot be before the order ({day})").format(day=order.on)
    return day


@writes
def record_payment(
    ctx: Context,
    order_id: Any,
    amount: Any,
    *,
    on: Any = None,
    method: Any = "transfer",
    note: Any = "",
) -> RecordedPayment:
    """Money received against an order: no more than is still owed on it."""
    order, customer = _order(ctx, order_id)
    today = ctx.today()
    errors: dict[str, str] = {}
    amount = collect_field(errors, "amount", PAYMENT_FIELDS["amount"], amount, today)
    day = _day(errors, on, today, order)
    method = collect_field(errors, "method", PAYMENT_FIELDS["method"], method or "transfer", today)
    note = collect_field(errors, "note", PAYMENT_FIELDS["note"], note, today)
    if amount is not None and "amount" not in errors and amount > order.owed:
        errors["amount"] = (
            _("nothing is owed on order #{id}").format(id=order.id)
            if not order.owed
            else _("{amount} is more than the {owed} still owed on order #{id}").format(
                amount=money(amount), owed=money(order.owed), id=order.id
            )
        )
    if errors:
        raise InvalidInput(errors)
    payment = Payment.create(
        order=order,
        customer=customer,
        on=day,
        amount=amount,
        method=method,
        note=note or "",
        by=ctx.user.id,
        at=ctx.now(),
    )
    order.paid += amount
    order.owed -= amount
    order.save()
    if counts_payments(ctx):
        _revenue_moved(ctx, customer, amount)
    return RecordedPayment(
        id=payment.id,
        order_id=order.id,
        customer_id=customer.id,
        amount=payment.amount,
        on=payment.on,
        method=payment.method,
        note=payment.note,
        order_paid=order.paid,
        order_owed=order.owed,
    )


def _revenue_moved(
    ctx: Context, customer: Customer, amount: Decimal, profit: Decimal = ZERO
) -> None:
    customer.revenue = (customer.revenue or ZERO) + amount
    customer.profit = (customer.profit or ZERO) + profit
    refresh_value_class(ctx, customer, by=ctx.user.id)
    reschedule(ctx, customer)
    _save_versioned(ctx, customer)


@writes
def deliver(
    ctx: Context, order_id: Any, *, on: Any = None, partly: bool = False, returned: bool = False
) -> Order:
    """Record the order delivered (in full, or a part of it), or returned."""
    order, customer = _order(ctx, order_id)
    if partly and returned:
        raise InvalidInput.one("delivery", _("an order is delivered in part, or returned"))
    today = ctx.today()
    errors: dict[str, str] = {}
    day = _day(errors, on, today, order)
    target = (
        DeliveryState.RETURNED
        if returned
        else DeliveryState.PARTLY_DELIVERED
        if partly
        else DeliveryState.DELIVERED
    )
    current = DeliveryState(order.delivery)
    if target not in DELIVERY_MOVES[current]:
        errors["delivery"] = _("order #{id} is already {state}").format(
            id=order.id, state=label("delivery", current)
        )
    elif order.delivered_on is not None and day < order.delivered_on:
        errors["on"] = _("cannot be before its delivery ({day})").format(day=order.delivered_on)
    if errors:
        raise InvalidInput(errors)
    order.delivery = target.value
    if target is DeliveryState.RETURNED:
        if not counts_payments(ctx):
            _revenue_moved(ctx, customer, -order.amount, -(order.amount - (order.cost or ZERO)))
        order.owed = ZERO
    elif order.delivered_on is None:  # the terms run from the first delivery
        order.delivered_on = day
        order.owed_since = day
    order.save()
    return order


def follow_balances(customer_id: int) -> None:
    """What is owed on each of the customer's orders after orders were corrected or a
    correction undone: the amount less what was paid (a returned order owes nothing), from its
    delivery, else its day."""

    Order.update(
        owed=Case(None, [(Order.amount > Order.paid, Order.amount - Order.paid)], 0),
        owed_since=fn.COALESCE(Order.delivered_on, Order.on),
    ).where(
        (Order.customer == customer_id) & (Order.delivery != DeliveryState.RETURNED.value)
    ).execute()


def order_facts(ctx: Context, order_id: Any) -> tuple[Decimal, date]:
    """What is still owed on an order the user may see, and its day."""
    number = record_id(order_id)
    order = Order.get_or_none(Order.id == number) if number else None
    if order is None:
        raise NotFound(_("no order with id {id}").format(id=order_id))
    get_visible_customer(ctx, order.customer_id)
    return order.owed, order.on


def payments_of(ctx: Context, order_id: int) -> list[Payment]:
    get_visible_customer(ctx, Order.get_by_id(order_id).customer_id)
    return list(Payment.select().where(Payment.order == order_id).order_by(Payment.on, Payment.id))


# -- balances ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    """What a customer owes: in all, overdue, and since when (the oldest order still owed)."""

    owed: Decimal
    overdue: Decimal
    since: date | None
    oldest_overdue_days: int
    credit_limit: Decimal | None

    def to_json(self) -> dict[str, Any]:
        return {
            "owed": self.owed,
            "overdue": self.overdue,
            "since": self.since,
            "overdue_days": self.oldest_overdue_days,
            "credit_limit": self.credit_limit,
        }


def balance_of(ctx: Context, customer: Customer, day: date | None = None) -> Balance:
    today = day or ctx.today()
    terms = ctx.config.receivables.terms_days
    owed = overdue = ZERO
    since: date | None = None
    late = 0
    for owed_since, cents in tuple_rows(
        Order.select(Order.owed_since, Order.owed).where((Order.customer == customer.id) & OWING),
        tuple[date, Decimal],
    ):
        owed += cents
        since = owed_since if since is None else min(since, owed_since)
        days = days_overdue(owed_since, today, terms)
        if days:
            overdue += cents
            late = max(late, days)
    return Balance(
        owed=owed,
        overdue=overdue,
        since=since,
        oldest_overdue_days=late,
        credit_limit=customer.credit_limit,
    )


# -- Today ------------------------------------------------------------------------------------

# -- receivables (the dashboard, stats --json) ------------------------------------------------


@dataclass
class Owed:
    """Receivables of one rep, or of everyone: owed, overdue, and overdue by age."""

    owed: Decimal = ZERO
    overdue: Decimal = ZERO
    orders: int = 0
    by_age: dict[str, Decimal] = field(default_factory=lambda: {b: ZERO for b in AGE_BUCKETS})

    def add(self, owed: Decimal, bucket: str | None, orders: int = 1) -> None:
        self.owed += owed
        self.orders += orders
        if bucket is not None:
            self.overdue += owed
            self.by_age[bucket] += owed

    def to_json(self) -> dict[str, Any]:
        return {
            "owed": self.owed,
            "overdue": self.overdue,
            "orders": self.orders,
            "by_age": dict(self.by_age),
        }


@dataclass
class Receivables:
    day: date
    terms_days: int
    total: Owed
    by_rep: list[tuple[str, str, Owed]]
    """(login, name, their receivables), most owed first."""

    def to_json(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "terms_days": self.terms_days,
            **self.total.to_json(),
            "by_rep": [
                {"login": login, "name": name, **owed.to_json()}
                for login, name, owed in self.by_rep
            ],
        }


def _bucket_ends(today: date, terms: int) -> list[tuple[date, int]]:
    """(the last day owed since, the index in AGE_BUCKETS) of each ageing bucket, oldest first,
    found by the rule itself: the older the day owed since, the longer overdue, so each bucket
    holds a run of days."""
    ends: dict[int, date] = {}
    day = today - timedelta(days=terms)
    while (found := age_bucket(days_overdue(day, today, terms))) != AGE_BUCKETS[-1]:
        if found is not None:
            ends.setdefault(AGE_BUCKETS.index(found), day)
        day -= timedelta(days=1)
    ends[len(AGE_BUCKETS) - 1] = day
    return sorted(((end, index) for index, end in ends.items()), key=lambda pair: pair[0])


def _owed(sums: list[int]) -> Owed:
    """Owed from [owed, overdue, orders, owed by age...] in cents."""
    money = OwedDay.owed.python_value
    return Owed(
        owed=money(sums[0]),
        overdue=money(sums[1]),
        orders=sums[2],
        by_age={bucket: money(cents) for bucket, cents in zip(AGE_BUCKETS, sums[3:], strict=True)},
    )


def receivables(
    ctx: Context, day: date | None = None, *, owner_id: int | None = None
) -> Receivables:
    """What customers owe, overdue by age, per rep (the owners of the customers), read from
    the index of the orders still owed."""
    today = day or ctx.today()
    terms = ctx.config.receivables.terms_days
    # the database keeps what is owed per owner and day (db.figures); SQL sums per owner what
    # was owed since each ageing bucket's last day or earlier, so a team's half a million open
    # orders reach Python as one row per rep, each bucket the difference of two of those sums
    ends = _bucket_ends(today, terms)  # oldest first
    o = OwedDay
    query = o.select(
        o.owner_id,
        fn.SUM(o.owed).coerce(False),
        fn.SUM(o.orders),
        *(
            fn.SUM(Case(None, [(o.owed_since <= last_day, o.owed)], 0)).coerce(False)
            for last_day, _index in ends
        ),
    ).group_by(o.owner_id)
    if owner_id is not None:
        query = query.where(o.owner_id == owner_id)
    cents_of: dict[int, list[int]] = {}  # owner -> [owed, overdue, orders, owed by age...]
    # a group's sums: never NULL (PostgreSQL's sum of a bigint is a numeric)
    for owner, cents, orders, *by_end in tuple_rows(query, tuple[Any, ...]):
        sums = cents_of[owner] = [int(cents), 0, int(orders)] + [0] * len(AGE_BUCKETS)
        older = 0
        for (_last_day, index), up_to in zip(ends, by_end, strict=True):
            sums[3 + index] = int(up_to) - older
            older = int(up_to)
        sums[1] = older
    everyone = [sum(column) for column in zip(*cents_of.values(), strict=True)]
    total = _owed(everyone) if cents_of else Owed()
    users = User.select(User.id, User.login, User.display_name)  # a team's few hundred
    if owner_id is not None:
        users = users.where(User.id == owner_id)
    names = {
        user_id: (login, display_name or login)
        for user_id, login, display_name in (
            tuple_rows(users, tuple[int, str, str | None]) if cents_of else ()
        )
    }
    by_rep = sorted(
        ((*names[uid], _owed(sums)) for uid, sums in cents_of.items()),
        key=lambda r: (-r[2].owed, r[0]),
    )
    return Receivables(day=today, terms_days=terms, total=total, by_rep=by_rep)


# -- the day's deliveries and payments (the daily report) -------------------------------------


@dataclass(frozen=True)
class DayMoney:
    deliveries: list[tuple[int, str, str, Decimal, str]]
    """(order id, customer, product, amount, state) delivered or returned on the day."""
    payments: list[tuple[int, int, str, Decimal, str]]
    """(payment id, order id, customer, amount, method) received on the day."""

    @property
    def received(self) -> Decimal:
        return sum((p[3] for p in self.payments), ZERO)

    def to_json(self) -> dict[str, Any]:
        return {
            "deliveries": [
                {"order_id": o, "customer": c, "product": p, "amount": a, "delivery": s}
                for o, c, p, a, s in self.deliveries
            ],
            "payments": [
                {"id": i, "order_id": o, "customer": c, "amount": a, "method": m}
                for i, o, c, a, m in self.payments
            ],
            "received": self.received,
        }


def day_money(ctx: Context, day: date, *, owner_id: int | None = None) -> DayMoney:
    """The deliveries (first deliveries) and payments of one day."""
    deliveries = (
        Order.select(Order.id, Customer.name, Order.product, Order.amount, Order.delivery)
        .join(Customer, on=Order.customer)
        .where(Order.delivered_on == day)
    )
    payments = (
        Payment.select(Payment.id, Payment.order, Customer.name, Payment.amount, Payment.method)
        .join(Customer, on=Payment.customer)
        .where(Payment.on == day)
    )
    if owner_id is not None:
        deliveries = deliveries.where(Customer.owner == owner_id)
        payments = payments.where(Customer.owner == owner_id)
    return DayMoney(
        deliveries=list(
            tuple_rows(deliveries.order_by(Order.id), tuple[int, str, str, Decimal, str])
        ),
        payments=list(
            tuple_rows(payments.order_by(Payment.id), tuple[int, int, str, Decimal, str])
        ),
    )


# -- what revenue counts ----------------------------------------------------------------------


def revenue_sum(customer_id: int, counts: str) -> Decimal:
    """The customer's revenue as `counts` has it: orders booked (less returns), or payments."""
    if counts == "payments":
        cents = (
            Payment.select(fn.SUM(Payment.amount)).where(Payment.customer == customer_id).scalar()
        )
    else:
        cents = (
            Order.select(fn.SUM(Order.amount))
            .where(
                (Order.customer == customer_id) & (Order.delivery != DeliveryState.RETURNED.value)
            )
            .scalar()
        )
    return Order.amount.python_value(cents) if cents else ZERO


@writes(record=False)  # housekeeping after a change of the team's settings
def count_revenue_as_configured(ctx: Context) -> bool:
    """Recount every customer's stored revenue when `[revenue] counts` changed; True if it
    did (the caller then reranks the value classes)."""
    wanted = ctx.config.receivables.revenue_counts
    stored = Setting.get_or_none(Setting.key == REVENUE_COUNTED)
    if (stored.value if stored else "orders") == wanted:
        return False
    sums: SelectBase
    if wanted == "payments":
        sums = Payment.select(fn.COALESCE(fn.SUM(Payment.amount), 0)).where(
            Payment.customer == Customer.id
        )
    else:
        sums = Order.select(fn.COALESCE(fn.SUM(Order.amount), 0)).where(
            (Order.customer == Customer.id) & (Order.delivery != DeliveryState.RETURNED.value)
        )
    Customer.update(revenue=sums).execute()
    Setting.insert(key=REVENUE_COUNTED, value=wanted).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: wanted}
    ).execute()
    return True
