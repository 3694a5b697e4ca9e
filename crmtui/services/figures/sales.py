"""The sales figures: lapsed customers, retention, the 80/20 ranking of revenue, and conversion
by source."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from peewee import Case, ModelSelect, Select, Window, fn

from crmtui.db import Customer, Order, database
from crmtui.db.models import BuyDay, LifecycleTally, OrderDay, RevenueTally, SourceTally
from crmtui.db.rows import tuple_rows
from crmtui.rules import Lifecycle
from crmtui.services.figures.scope import Scope, count_rows, raw_cents, rounded, to_money
from crmtui.services.validation import SOURCES

KEY_SHARE = Decimal("0.8")
PARETO_POINTS = 20  # the cumulative revenue share at every 5% of the ranked customers


# -- after the sale: lapsed customers and retention ----------------------------------------------


@dataclass(frozen=True)
class Lapsed:
    """Customers who stopped buying (流失客户), to be won back."""

    customers: int
    revenue_last_year: Decimal
    """What they bought in the year up to the day."""

    def to_json(self) -> dict[str, Any]:
        return {"customers": self.customers, "revenue_last_year": self.revenue_last_year}


def lapsed(scope: Scope) -> Lapsed:
    """How many lapsed customers (kept per owner by the database: db.figures), and what they
    bought in the year up to the day: the team's from the orders kept per day and lifecycle,
    one owner's read for the few of theirs who last bought within the year."""
    tally = LifecycleTally.select(fn.SUM(LifecycleTally.customers)).where(
        LifecycleTally.lifecycle == Lifecycle.LAPSED.value
    )
    if scope.owner_id is not None:
        tally = tally.where(LifecycleTally.owner_id == scope.owner_id)
    count = tally.scalar()
    year_ago = scope.day - relativedelta(years=1)
    if scope.owner_id is None:
        cents = (
            OrderDay.select(raw_cents(fn.SUM(OrderDay.amount)))
            .where(
                (OrderDay.on > year_ago)
                & (OrderDay.on <= scope.day)
                & (OrderDay.lifecycle == Lifecycle.LAPSED.value)
            )
            .scalar()
        )
    else:
        cents = _lapsed_bought(scope, year_ago)
    return Lapsed(customers=int(count or 0), revenue_last_year=to_money(cents))


def _lapsed_bought(scope: Scope, year_ago: date) -> int | None:
    """Cents the scope's lapsed customers bought after `year_ago` up to the day, from their
    orders (read for those who last bought within the year, by the (lifecycle, last_order_on)
    index)."""
    is_lapsed = Customer.lifecycle == Lifecycle.LAPSED.value
    recent = scope.customers(
        Customer.select(Customer.id).where(is_lapsed & (Customer.last_order_on > year_ago))
    )
    cents: int | None = (
        Order.select(raw_cents(fn.SUM(Order.amount)))
        .where(Order.customer.in_(recent) & (Order.on > year_ago) & (Order.on <= scope.day))
        .scalar()
    )
    return cents


@dataclass(frozen=True)
class Retention:
    """Of the customers who bought in the period before, the share who bought again in this."""

    since: date
    until: date
    previous_since: date
    previous_until: date
    previous_buyers: int
    returned: int

    @property
    def share(self) -> float | None:
        return self.returned / self.previous_buyers if self.previous_buyers else None

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "until": self.until,
            "previous_since": self.previous_since,
            "previous_until": self.previous_until,
            "previous_buyers": self.previous_buyers,
            "returned": self.returned,
            "share": rounded(self.share),
        }


def retention(scope: Scope, period: int) -> Retention:
    """Retention over the period. The team's from the buying days the database keeps with each
    customer's previous one (db.figures' buy_day): a customer bought in a period when one of
    its buying days in the period follows a day before it, and came back when its first buying
    day in this period follows a day in the period before. One owner's from their orders."""
    since = scope.since(period)
    before = since - timedelta(days=period)
    if scope.owner_id is None:
        b = BuyDay
        earlier = (b.on >= before) & (b.on < since) & (b.prev_on < before)
        again = (b.on >= since) & (b.prev_on >= before) & (b.prev_on < since)
        query = b.select(
            fn.SUM(Case(None, [(earlier, b.customers)], 0)),
            fn.SUM(Case(None, [(again, b.customers)], 0)),
        ).where((b.on >= before) & (b.on <= scope.day))
        count, returned = next(tuple_rows(query, tuple[int | None, int | None]))
    else:
        count, returned = buyers_from_orders(scope, period)
    return Retention(
        since=since,
        until=scope.day,
        previous_since=before,
        previous_until=since - timedelta(days=1),
        previous_buyers=int(count or 0),
        returned=int(returned or 0),
    )


def buyers_from_orders(scope: Scope, period: int) -> tuple[int | None, int | None]:
    """(Customers who bought in the period before, of them those who bought in the period):
    one range of the (order date, customer) index over both periods, each customer's orders
    grouped once into "bought before" and "bought in"."""
    since = scope.since(period)
    before = since - timedelta(days=period)
    earlier = Case(None, [(Order.on < since, 1)], 0)
    later = Case(None, [(Order.on >= since, 1)], 0)
    query = (
        Order.select(fn.MAX(earlier).alias("earlier"), fn.MAX(later).alias("later"))
        .where((Order.on >= before) & (Order.on <= scope.day))
        .group_by(Order.customer)
    )
    if scope.owner_id is not None:
        query = query.where(
            Order.customer.in_(Customer.select(Customer.id).where(Customer.owner == scope.owner_id))
        )
    buyers = query.alias("buyers")
    found: tuple[int | None, int | None] = (
        Select([buyers], [fn.SUM(buyers.c.earlier), fn.SUM(buyers.c.earlier * buyers.c.later)])
        .bind(database)
        .tuples()
        .get()
    )
    return found


# -- 80/20 ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pareto:
    """Revenue ranked by customer: the key customers (80/20) and the cumulative curve."""

    customers: int
    """Customers with revenue."""
    total: Decimal
    key_count: int
    key_revenue: Decimal
    last_key: tuple[int, Decimal] | None
    """(id, revenue) of the last key customer in rank order: where the 80% is reached."""
    curve: tuple[tuple[float, float], ...]
    """(share of the ranked customers, share of the revenue they hold), every 5%."""

    @property
    def key_share(self) -> float | None:
        """The key customers' share of the revenue, 0..1."""
        return float(self.key_revenue / self.total) if self.total else None

    @property
    def key_customer_share(self) -> float | None:
        """The key customers' share of the customers with revenue, 0..1."""
        return self.key_count / self.customers if self.customers else None

    def to_json(self) -> dict[str, Any]:
        return {
            "customers": self.customers,
            "total": self.total,
            "key_count": self.key_count,
            "key_revenue": self.key_revenue,
            "key_share": rounded(self.key_share),
            "key_customer_share": rounded(self.key_customer_share),
            "curve": [{"customers": c, "revenue": r} for c, r in self.curve],
        }


def pareto(scope: Scope, share: Decimal = KEY_SHARE) -> Pareto:
    """Key customers and the cumulative curve: the team's from the revenue bands the database
    keeps (pareto_from_bands), one owner's from their customers in rank order
    (pareto_ranked)."""
    return pareto_from_bands(share) if scope.owner_id is None else pareto_ranked(scope, share)


def _empty_pareto() -> Pareto:
    return Pareto(
        customers=0,
        total=to_money(0),
        key_count=0,
        key_revenue=to_money(0),
        last_key=None,
        curve=(),
    )


def _reached_pareto(
    count: int,
    total: int,
    key: tuple[int, int, int, int] | None,
    curve: list[tuple[float, float]],
) -> Pareto:
    """The figures once the ranking is read: `key` is (place, id and cents of the last key
    customer, the running total in cents there)."""
    assert key is not None  # the whole ranking reaches the share
    place, last_id, last_cents, key_cents = key
    return Pareto(
        customers=count,
        total=to_money(total),
        key_count=place,
        key_revenue=to_money(key_cents),
        last_key=(last_id, to_money(last_cents)),
        curve=tuple(curve),
    )


def revenue_band_range(band: int) -> tuple[int, int]:
    """The revenues in cents of a band of db.figures.REVENUE_BAND: (lowest, first above)."""
    digits, lead = divmod(band, 1000)
    scale = 10 ** (digits - len(str(lead)))
    return lead * scale, (lead + 1) * scale


def _in_band(band: int) -> ModelSelect[Customer]:
    """The customers of a revenue band, in rank order (revenue descending, then id)."""
    low, high = revenue_band_range(band)
    c = Customer
    return (
        c.select(c.id)
        .where((c.revenue >= Decimal(low) / 100) & (c.revenue < Decimal(high) / 100))
        .order_by(c.revenue.desc(), c.id)
    )


def pareto_from_bands(share: Decimal = KEY_SHARE) -> Pareto:
    """The team's key customers and curve from the customers and revenue kept per revenue band
    (db.figures' revenue_tally), highest band first: whole bands add up as kept, and only the
    customers of a band where a curve point or the share falls are read, from the revenue
    index (each band spans at most 1% of its revenues, so a few hundred rows)."""
    t = RevenueTally
    query = t.select(t.band, t.customers, raw_cents(t.revenue)).order_by(t.band.desc())
    # thousands of plain integers: read straight from the cursor, not row by row through peewee
    bands: list[tuple[int, int, int]] = database.execute(query).fetchall()
    count = sum(customers for _band, customers, _cents in bands)
    total = sum(cents for _band, _customers, cents in bands)
    if not total:
        return _empty_pareto()
    target = math.ceil(Decimal(total) * share)  # the least running total in cents that reaches it
    points = sorted({math.ceil(k * count / PARETO_POINTS) for k in range(1, PARETO_POINTS + 1)})
    curve: list[tuple[float, float]] = []
    key: tuple[int, int, int, int] | None = None
    # the first customers of a band, summed: built once, run for each point with its numbers
    part = _in_band(0).limit(1).select(raw_cents(Customer.revenue).alias("cents")).alias("part")
    first_of_band, _params = Select([part], [fn.SUM(part.c.cents)]).bind(database).sql()
    done = running = 0  # customers and cents of the bands before this one
    for band, customers, cents in bands:
        while points and points[0] <= done + customers:
            within = points.pop(0) - done
            low, high = revenue_band_range(band)
            found = database.execute_sql(first_of_band, (low, high, within)).fetchone()[0]
            subtotal = int(found or 0)
            curve.append(
                (round((done + within) / count, 4), round((running + subtotal) / total, 4))
            )
        if key is None and running + cents >= target:
            place, customer_id, last_cents, reached = _reaching(_in_band(band), target - running)
            key = (done + place, customer_id, last_cents, running + reached)
        done, running = done + customers, running + cents
    return _reached_pareto(count, total, key, curve)


def pareto_ranked(scope: Scope, share: Decimal = KEY_SHARE) -> Pareto:
    """Key customers and the cumulative curve from the stored revenue, read in rank order from
    the revenue index one 5% segment at a time (each segment starts after the previous one's
    last row, so the whole ranking is read once); a running SUM window over the one segment
    where the total reaches `share` finds the last key customer."""
    c = Customer
    count, cents = next(
        tuple_rows(
            scope.customers(
                c.select(count_rows(), raw_cents(fn.SUM(c.revenue))).where(c.revenue > 0)
            ),
            tuple[int, int | None],
        )
    )
    total = int(cents or 0)
    if not total:
        return _empty_pareto()
    target = math.ceil(Decimal(total) * share)  # the least running total in cents that reaches it
    curve: list[tuple[float, float]] = []
    last_row: tuple[Decimal, int] | None = None
    key: tuple[int, int, int, int] | None = None
    done = running = 0
    for point in sorted(
        {math.ceil(k * count / PARETO_POINTS) for k in range(1, PARETO_POINTS + 1)}
    ):
        segment = _ranked_after(scope, last_row).limit(point - done)
        part = segment.select(raw_cents(c.revenue).alias("cents")).alias("part")
        subtotal = int(Select([part], [fn.SUM(part.c.cents)]).bind(database).scalar() or 0)
        if key is None and running + subtotal >= target:
            place, customer_id, cents, reached = _reaching(segment, target - running)
            key = (done + place, customer_id, cents, running + reached)
        # the segment's last row: not .get(), which would reset the offset
        last = segment.select(c.revenue, c.id).offset(point - done - 1).limit(1)
        last_row = next(tuple_rows(last, tuple[Decimal, int]))
        done, running = point, running + subtotal
        curve.append((round(done / count, 4), round(running / total, 4)))
    return _reached_pareto(count, total, key, curve)


def _ranked_after(scope: Scope, row: tuple[Decimal, int] | None) -> ModelSelect[Customer]:
    """Customers with revenue ranked after `row` (revenue, id), in rank order."""
    c = Customer
    after = c.revenue > 0
    if row is not None:
        revenue, customer_id = row
        after &= (c.revenue <= revenue) & ~((c.revenue == revenue) & (c.id <= customer_id))
    return scope.customers(c.select(c.id).where(after)).order_by(c.revenue.desc(), c.id)


def _reaching(segment: ModelSelect[Customer], needed: int) -> tuple[int, int, int, int]:
    """(place in the segment, id, revenue cents, running cents) of the first row of the
    segment whose running revenue reaches `needed` cents."""
    c = Customer
    window = Window(
        order_by=[c.revenue.desc(), c.id], frame_type=Window.ROWS, start=Window.preceding()
    )
    rows = (
        segment.select(
            c.id.alias("customer_id"),
            raw_cents(c.revenue).alias("cents"),
            fn.ROW_NUMBER().over(window).alias("place"),
            raw_cents(fn.SUM(c.revenue)).over(window).alias("running"),
        )
        .window(window)
        .alias("rows")
    )
    first = (
        Select([rows], [rows.c.place, rows.c.customer_id, rows.c.cents, rows.c.running])
        .where(rows.c.running >= needed)
        .order_by(rows.c.place)
        .limit(1)
        .bind(database)
    )
    return next(tuple_rows(first, tuple[int, int, int, int]))


def key_customer_ids(scope: Scope, found: Pareto) -> list[int]:
    """The key customers in rank order: everyone ranked up to the last key customer, one range
    of the revenue index."""
    if found.last_key is None:
        return []
    last_id, last_revenue = found.last_key
    c = Customer
    query = scope.customers(
        c.select(c.id)
        .where((c.revenue > last_revenue) | ((c.revenue == last_revenue) & (c.id <= last_id)))
        .order_by(c.revenue.desc(), c.id)
    )
    return [customer_id for (customer_id,) in tuple_rows(query, tuple[int])]


# -- conversion -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conversion:
    source: str
    """One of validation.SOURCES, or '' when not recorded."""
    customers: int
    won: int

    @property
    def rate(self) -> float | None:
        return self.won / self.customers if self.customers else None

    def to_json(self) -> dict[str, Any]:
        return {"customers": self.customers, "won": self.won, "rate": rounded(self.rate)}


def conversion_by_source(scope: Scope) -> list[Conversion]:
    """Won / all customers per source (寻找客户的途径): the team's kept by the database
    (db.figures), one owner's counted over their customers."""
    query: Select
    if scope.owner_id is None:  # the team's, kept by the database (db.figures)
        query = SourceTally.select(
            SourceTally.source, SourceTally.deal_status, SourceTally.customers
        )
    else:
        query = (
            Customer.select(Customer.source, Customer.deal_status, count_rows())
            .where(Customer.owner == scope.owner_id)
            .group_by(Customer.source, Customer.deal_status)
        )
    customers: dict[str, int] = {}
    won: dict[str, int] = {}
    for source, deal_status, count in tuple_rows(query, tuple[str | None, str, int]):
        source = source or ""
        customers[source] = customers.get(source, 0) + count
        if deal_status == "won":
            won[source] = won.get(source, 0) + count
    order = {source: place for place, source in enumerate((*SOURCES, ""))}
    return [
        Conversion(source, customers[source], won.get(source, 0))
        for source in sorted(customers, key=lambda s: (order.get(s, len(order)), s))
    ]
