"""After the sale: orders, the wins they closed, deliveries and payments, and the lifecycle they
give a customer (or the reason a prospect was terminated)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from crmtui.db import User
from crmtui.demo.state import DemoState
from crmtui.rules import Lifecycle, counts_as_followup, lapses_on, lifecycle_for, regular_until

Contacted = tuple[datetime, str, str]
"""A contact drawn for a customer: (at, direction, outcome)."""

PRODUCTS = (
    "Standard licence",
    "Pro licence",
    "Support plan",
    "Training day",
    "Hardware kit",
    "标准版软件",
    "专业版软件",
    "年度服务",
    "培训课程",
    "设备套装",
)
TERMINATION_REASONS = (
    "went with a competitor",
    "company closed",
    "moved to another region",
    "不再需要此类产品",
    "长期拖欠货款",
)
LATER_WINS = 0.3
"""Of the later orders after contacts, the share that closed a new opportunity (the others,
and those without a contact, are repeat buys)."""
ACTIVE_BUYERS = 0.88
"""The share of buyers still buying; the rest stopped a while ago and may have lapsed."""


def after_sale(
    demo: DemoState,
    cid: int,
    owner: User,
    created_on: date,
    created_at: datetime,
    age_days: int,
    orders: list[list[Any]],
    contacts: list[Contacted],
    status: str,
) -> tuple[Lifecycle, str, date | None, date | None, datetime | None, int, int]:
    """The orders' rows, their wins and costs, and what they give the customer:
    (lifecycle, its reason, last order, regular_until, opportunity start, followups,
    counted contacts of the open opportunity)."""
    life, today, zone = demo.life, demo.today, demo.zone
    if status == "terminated":
        reason = life.choice(TERMINATION_REASONS)
        at = min(
            created_at + timedelta(days=life.randint(1, max(1, age_days))),
            demo.now - timedelta(hours=1),
        )
        demo.rows.add(
            "change",
            {
                "customer": cid,
                "at": at,
                "on": at.astimezone(zone).date(),
                "what": "lifecycle",
                "from_value": "prospect",
                "to_value": "terminated",
                "reason": reason,
                "by": owner.id,
            },
        )
        return Lifecycle.TERMINATED, reason, None, None, None, *opened_counts(contacts, None)
    if not orders:
        return Lifecycle.PROSPECT, "", None, None, None, *opened_counts(contacts, None)
    _place_orders(demo, orders, contacts, created_on, age_days)
    days = [order[0] for order in orders]
    opened = None
    profit = Decimal(0)
    for number, (day, amount, product, quantity, at) in enumerate(orders):
        demo.order_id += 1
        cost = (amount * Decimal(str(round(life.uniform(0.4, 0.85), 2)))).quantize(Decimal("0.01"))
        profit += amount - cost
        demo.rows.add(
            "order",
            {
                "id": demo.order_id,
                "customer": cid,
                "on": day,
                "product": product,
                "quantity": quantity,
                "amount": amount,
                "cost": cost,
                "gift": "",
                "note": "",
                "by": owner.id,
                "created_at": at,
                **follow_through(demo, cid, owner, day, amount),
            },
        )
        for window in (30, 91, 365):  # the run rates the reps' targets follow
            if (demo.today - day).days < window:
                key = (owner.id, window)
                demo.booked[key] = demo.booked.get(key, Decimal(0)) + amount
        closed = min(
            demo.now,
            datetime.combine(day + timedelta(days=1), time(0), zone) - timedelta(seconds=1),
        )
        counted = sum(
            1
            for when, direction, outcome in contacts
            if (opened is None or when > opened)
            and when <= closed
            and counts_as_followup(direction, outcome)
        )
        # the first sale closed the lead; a later one closed an opportunity someone worked
        if number == 0 or (counted and life.random() < LATER_WINS):
            demo.rows.add(
                "win",
                {
                    "customer": cid,
                    "order": demo.order_id,
                    "on": day,
                    "amount": amount,
                    "followups": max(0, counted - 1),
                    "at": at,
                    "by": owner.id,
                },
            )
            opened = closed
    demo.profit[cid] = profit
    first = orders[0]
    demo.rows.add(
        "change",
        {
            "customer": cid,
            "at": first[4],
            "on": first[0],
            "what": "lifecycle",
            "from_value": "prospect",
            "to_value": "customer",
            "reason": f"order on {first[0]}",
            "by": owner.id,
        },
    )
    lifecycle = lifecycle_for(days, today)
    regular = regular_until(days)
    if lifecycle is Lifecycle.LAPSED:
        lapsed_on = lapses_on(days[-1], regular, demo.ctx.config.maintenance.lapse_days)
        demo.rows.add(
            "change",
            {
                "customer": cid,
                "at": datetime.combine(lapsed_on, time(6), zone),
                "on": lapsed_on,
                "what": "lifecycle",
                "from_value": "customer",
                "to_value": "lapsed",
                "reason": f"no order since {days[-1]}",
                "by": None,
            },
        )
    return lifecycle, "", days[-1], regular, opened, *opened_counts(contacts, opened)


def follow_through(
    demo: DemoState, cid: int, owner: User, day: date, amount: Decimal
) -> dict[str, Any]:
    """An order's delivery and payments (回款), from their own draws: older orders were
    delivered within days and paid within the terms, a few late or still in part; the
    last week's are partly still to deliver (some due today or late); the last months' are
    partly unpaid, some overdue. The order's fields deliver_on, delivered_on, delivery,
    paid, owed and owed_since."""
    rng, today = demo.cash, demo.today
    age = (today - day).days
    if age <= 3 and rng.random() < 0.5:  # still to deliver
        planned = day + timedelta(days=rng.randint(1, 5))
        return {
            "deliver_on": planned,
            "delivered_on": None,
            "delivery": "ordered",
            "paid": Decimal(0),
            "owed": amount,
            "owed_since": day,
        }
    delivered = min(today, day + timedelta(days=rng.randint(0, 5)))
    state = "partly_delivered" if age <= 14 and rng.random() < 0.05 else "delivered"
    draw = rng.random()
    if age > 120:
        share = Decimal(1) if draw < 0.99 else Decimal("0.5")
    elif age > 45:
        share = Decimal(1) if draw < 0.92 else Decimal("0.5") if draw < 0.97 else Decimal(0)
    else:  # mostly not due yet
        share = Decimal(1) if draw < 0.6 else Decimal("0.3") if draw < 0.8 else Decimal(0)
    paid = (amount * share).quantize(Decimal("0.01"))
    parts = (
        [paid]
        if paid and (paid == amount and rng.random() < 0.7 or paid < amount)
        else [(paid / 2).quantize(Decimal("0.01")), paid - (paid / 2).quantize(Decimal("0.01"))]
        if paid
        else []
    )
    for part in parts:
        on = min(today, delivered + timedelta(days=rng.randint(0, 40)))
        demo.rows.add(
            "payment",
            {
                "order": demo.order_id,
                "customer": cid,
                "on": on,
                "amount": part,
                "method": rng.choice(
                    ("transfer", "transfer", "transfer", "cash", "wechat", "alipay")
                ),
                "note": "",
                "by": owner.id,
                "at": datetime.combine(on, time(15), demo.zone),
            },
        )
    return {
        "deliver_on": None,
        "delivered_on": delivered,
        "delivery": state,
        "paid": paid,
        "owed": amount - paid,
        "owed_since": delivered,
    }


def _place_orders(
    demo: DemoState,
    orders: list[list[Any]],
    contacts: list[Contacted],
    created_on: date,
    age_days: int,
) -> None:
    """Move the drawn order days (in place, sorted) to where sales happen: the first one
    on the day of the follow-up that closed the lead (how many it took, spread as a team's
    are), the rest between then and today; a few buyers stopped buying a while ago."""
    life, today, zone = demo.life, demo.today, demo.zone
    orders.sort(key=lambda order: order[0])
    # the lead closed in the first half of the customer's life, so later orders have room
    halfway = created_on + timedelta(days=age_days // 2)
    counted = sorted(
        day
        for day in (
            when.astimezone(zone).date()
            for when, direction, outcome in contacts
            if counts_as_followup(direction, outcome)
        )
        if day <= halfway
    )
    start, end = orders[0][0], today
    if counted:
        took = life.choices(
            (1, 2, 3, 4, life.randint(5, 12), life.randint(13, 20)),
            weights=(6, 8, 10, 12, 56, 8),
        )[0]
        start = max(created_on, counted[min(took, len(counted)) - 1])
    if life.random() > ACTIVE_BUYERS and age_days > 240:
        # drifting away: lapsed within the last month, some not called since
        lapse_days = demo.ctx.config.maintenance.lapse_days
        latest = today - timedelta(days=lapse_days + 1 + life.randint(0, 30))
        if latest >= start:
            end = latest
    first, span = orders[0][0], max(1, (today - orders[0][0]).days)
    for order in orders:
        day = start + timedelta(days=(order[0] - first).days * (end - start).days // span)
        order[0] = day
        order[4] = min(datetime.combine(day, order[4].timetz()), demo.now - timedelta(minutes=30))
    orders.sort(key=lambda order: order[0])


def opened_counts(contacts: list[Contacted], opened: datetime | None) -> tuple[int, int]:
    """(followups, counted contacts) of the opportunity open since `opened`."""
    counted = sum(
        1
        for when, direction, outcome in contacts
        if (opened is None or when > opened) and counts_as_followup(direction, outcome)
    )
    return max(0, counted - 1), counted


def order_count(rng: random.Random) -> int:
    return min(30, int(rng.expovariate(1 / 6.6)) + 1)
