"""An account plan's year so far: orders against its target, visits against its cycle (read by
the plan's profile tab and by the due list's reviews, which should not load the plan editing)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from peewee import fn

from crmtui.db import AccountPlan, Interaction, Order
from crmtui.db.rows import tuple_rows
from crmtui.rules import VISIT_CHANNELS, PlanProgress, plan_progress
from crmtui.services.context import Context


def year_figures(
    ctx: Context, customer_ids: Iterable[int], today: date
) -> dict[int, tuple[Decimal, int]]:
    """Per customer: orders this calendar year up to `today`, and visits (in person) made in it,
    each one range of the customer's (customer, on) and (customer, at) indexes."""
    ids = list(dict.fromkeys(customer_ids))
    if not ids:
        return {}
    start = date(today.year, 1, 1)
    ordered = _ordered(ids, start, today)
    since = datetime.combine(start, time(0), ctx.zone)
    until = datetime.combine(today + timedelta(days=1), time(0), ctx.zone)
    visits = dict(
        tuple_rows(
            Interaction.select(Interaction.customer, fn.COUNT(Interaction.id))
            .where(
                Interaction.customer.in_(ids)
                & (Interaction.at >= since)
                & (Interaction.at < until)
                & Interaction.channel.in_(VISIT_CHANNELS)
            )
            .group_by(Interaction.customer),
            tuple[int, int],
        )
    )
    return {cid: (ordered.get(cid, Decimal("0.00")), visits.get(cid, 0)) for cid in ids}


def _ordered(ids: list[int], start: date, today: date) -> dict[int, Decimal]:
    rows = tuple_rows(
        Order.select(Order.customer, fn.SUM(Order.amount).coerce(False))
        .where(Order.customer.in_(ids) & (Order.on >= start) & (Order.on <= today))
        .group_by(Order.customer),
        tuple[int, int | None],  # the sum in cents, as stored
    )
    return {cid: (Decimal(int(cents or 0)) / 100).quantize(Decimal("0.01")) for cid, cents in rows}


def progress_of(plan: AccountPlan, figures: tuple[Decimal, int], today: date) -> PlanProgress:
    ordered, visits = figures
    return plan_progress(
        target_amount=plan.target_amount,
        ordered=ordered,
        visits=visits,
        visit_every_days=plan.visit_every_days,
        today=today,
    )
