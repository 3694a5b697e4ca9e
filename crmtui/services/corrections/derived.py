"""What follows from the records: the customer's stored figures recomputed from the records that
remain, with the functions the creating services use."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from peewee import fn

from crmtui.db import (
    Customer,
    Interaction,
    Order,
    Survey,
    Win,
)
from crmtui.rules import Need, ReferralEvent, referral_moment
from crmtui.services.context import Context
from crmtui.services.customer_columns import apply_grade, reschedule
from crmtui.services.journal import (
    creation_of,
    customer_fields_of,
)
from crmtui.services.lifecycle import (
    COUNTED_CONTACT,
    refresh_followups,
    refresh_lifecycle,
    refresh_order_facts,
    refresh_value_class,
)
from crmtui.services.receivables import follow_balances, revenue_sum

ORDERS_CORRECTED = "orders corrected"  # a lifecycle change's reason, stored in English


def latest_contact(customer_id: int) -> Interaction | None:
    found: Interaction | None = (
        Interaction.select()
        .where(Interaction.customer == customer_id)
        .order_by(Interaction.at.desc(), Interaction.id.desc())
        .first()
    )
    return found


def follow_contacts(
    ctx: Context,
    customer: Customer,
    latest_before: Interaction | None,
    *,
    moments: Iterable[datetime] = (),
    referrals: bool = True,
) -> None:
    """The customer's contact figures after interactions changed (no save): the last contact,
    the next step (taken from the latest contact again when it came from the latest contact
    before the change; a snooze or a later step stays), the follow-ups, the follow-ups of the
    wins whose opportunity holds one of `moments` (the contacts' times before and after), and
    the referral dates (when `referrals`: a positive contact or a referral ask changed)."""
    latest = latest_contact(customer.id)
    customer.last_contact_at = latest.at if latest else None
    customer.last_contact_on = ctx.local_date(latest.at) if latest else None
    if latest_before is None:
        from_latest = customer.next_step_on is None and not customer.next_step
    else:
        from_latest = (
            customer.next_step == latest_before.next_step
            and customer.next_step_on == latest_before.next_on
        )
    if from_latest:
        customer.next_step = latest.next_step if latest else ""
        customer.next_step_on = latest.next_on if latest else None
    refresh_followups(ctx, customer)
    recount_wins(ctx, customer, moments=moments)
    if referrals:
        refresh_referrals(ctx, customer)


def close_moment(ctx: Context, win: Win) -> datetime:
    """Where a win split the contacts (services.lifecycle.close_of_sale, as at its recording):
    the moment it was recorded, or the end of its day for a sale recorded later."""
    end = datetime.combine(win.on + timedelta(days=1), time(0), ctx.zone) - timedelta(seconds=1)
    recorded: datetime = win.at
    return min(recorded, end)


def recount_wins(
    ctx: Context, customer: Customer, *, moments: Iterable[datetime] = (), ids: Iterable[int] = ()
) -> None:
    """The follow-ups of the wins a change touched, from the contacts between the win before
    and their close: those whose opportunity holds one of `moments`, and those in `ids`. The
    others keep the count they were stored with (wins imported or made otherwise may count
    their day differently)."""
    moments, ids = [m for m in moments if m is not None], set(ids)
    if not moments and not ids:
        return
    opened = None
    for win in Win.select().where(Win.customer == customer.id).order_by(Win.on, Win.id):
        closed = close_moment(ctx, win)
        touched = win.id in ids or any(
            (opened is None or moment > opened) and moment <= closed for moment in moments
        )
        if not touched:
            opened = closed
            continue
        query = Interaction.select(fn.COUNT(Interaction.id)).where(
            (Interaction.customer == customer.id) & COUNTED_CONTACT & (Interaction.at <= closed)
        )
        if opened is not None:
            query = query.where(Interaction.at > opened)
        count = max(0, (query.scalar() or 0) - 1)
        if count != win.followups:
            Win.update(followups=count).where(Win.id == win.id).execute()
        opened = closed


SATISFIED = min(
    score
    for score in range(1, 6)
    if referral_moment(ReferralEvent(kind="satisfaction", outcome=None, score=score))
)
"""The lowest satisfaction score that is a moment to ask for a referral (rules.referral)."""


def referral_dates(ctx: Context, customer_id: int) -> tuple[date | None, date | None]:
    """(moment, asked) from the records: the latest positive contact, order or satisfied
    survey (rules.referral_moment), and the latest contact that asked for a referral."""

    def day_of(stored: datetime | str | None) -> date | None:
        moment = Interaction.at.python_value(stored)
        return ctx.local_date(moment) if moment is not None else None

    mine = Interaction.customer == customer_id
    positive = day_of(
        Interaction.select(fn.MAX(Interaction.at))
        .where(mine & (Interaction.outcome == "positive"))
        .scalar()
    )
    asked = day_of(
        Interaction.select(fn.MAX(Interaction.at))
        .where(mine & (Interaction.referral_ask == True))  # noqa: E712
        .scalar()
    )
    ordered = Order.on.python_value(
        Order.select(fn.MAX(Order.on)).where(Order.customer == customer_id).scalar()
    )
    satisfied = day_of(
        Survey.select(fn.MAX(Survey.at))
        .where((Survey.customer == customer_id) & (Survey.overall >= SATISFIED))
        .scalar()
    )
    moments = [day for day in (positive, ordered, satisfied) if day is not None]
    return (max(moments) if moments else None), asked


def refresh_referrals(ctx: Context, customer: Customer) -> None:
    customer.referral_moment_on, customer.referral_asked_on = referral_dates(ctx, customer.id)


def follow_orders(
    ctx: Context, customer: Customer, *, moments: Iterable[datetime] = (), ids: Iterable[int] = ()
) -> None:
    """The customer's order figures after orders changed (no save): revenue and profit, the
    order facts, lifecycle, value class, referral dates and the follow-ups of the wins touched
    (`recount_wins`)."""
    kept = Order.delivery != "returned"  # a returned order is no revenue
    profit = (
        Order.select(fn.SUM(Order.amount - fn.COALESCE(Order.cost, 0)))
        .where((Order.customer == customer.id) & kept)
        .scalar()
    )
    customer.revenue = revenue_sum(customer.id, ctx.config.receivables.revenue_counts)
    customer.profit = Order.amount.python_value(profit or 0)
    follow_balances(customer.id)
    days = refresh_order_facts(customer)
    if not days and customer.deal_status == "won":
        customer.deal_status = "negotiating" if customer.need == Need.CLEAR.value else "potential"
    refresh_lifecycle(ctx, customer, by=ctx.user.id, days=days, reason=ORDERS_CORRECTED)
    refresh_value_class(ctx, customer)
    recount_wins(ctx, customer, moments=moments, ids=ids)
    refresh_followups(ctx, customer)
    refresh_referrals(ctx, customer)


def settle(ctx: Context, customer: Customer) -> None:
    """The grade (as of today) and the schedule, after any correction (no save)."""
    apply_grade(ctx, customer, by=ctx.user)
    reschedule(ctx, customer)


def latest_win(customer_id: int) -> Win | None:
    found: Win | None = (
        Win.select()
        .where(Win.customer == customer_id)
        .order_by(Win.on.desc(), Win.id.desc())
        .first()
    )
    return found


def reopen_opportunity(ctx: Context, customer: Customer, order: Order, win: Win) -> None:
    """The sale that closed the customer's latest opportunity is gone: the opportunity is open
    again from the win before (if any), with the need and close date the customer had before
    the sale — when that is on record and nothing changed them since; a need the sale left
    clear (the next opportunity) stays."""
    before = _latest_win_before(customer.id, win)
    customer.opportunity_since = close_moment(ctx, before) if before is not None else None
    if customer.need == Need.CLEAR.value:
        return
    created = creation_of("order", order.id)
    moved = customer_fields_of(created) if created is not None else {}
    need, close = moved.get("need"), moved.get("expected_close")
    if need is not None and need[1] == customer.need:
        customer.need = need[0]
        if close is not None and close[1] == customer.expected_close:
            customer.expected_close = close[0]
    elif created is None:  # not on record: the need was clear, its close date unknown
        customer.need = Need.CLEAR.value


def _latest_win_before(customer_id: int, win: Win) -> Win | None:
    found: Win | None = (
        Win.select()
        .where(
            (Win.customer == customer_id)
            & (Win.id != win.id)
            & ((Win.on < win.on) | ((Win.on == win.on) & (Win.id < win.id)))
        )
        .order_by(Win.on.desc(), Win.id.desc())
        .first()
    )
    return found


def refresh_survey_referral(ctx: Context, customer: Customer) -> None:
    """The referral moment after a survey changed: written alone, as support (who may
    correct a complaint's survey) may write no other column of the customer."""
    moment_on, _asked = referral_dates(ctx, customer.id)
    if moment_on != customer.referral_moment_on:
        Customer.update(referral_moment_on=moment_on).where(Customer.id == customer.id).execute()
