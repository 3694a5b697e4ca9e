"""After the sale (客户维护): lifecycles, wins, value classes and the daily catch-up.

The stored columns this module keeps current, in the transaction of every write that changes
them (and the rules that give them, in crmtui.rules.lifecycle):

- `lifecycle`: `prospect` until the first order, then `customer`; `lapsed` once the last order
  is older than both `[maintenance] lapse_days` and twice the usual gap between orders;
  `terminated` only by hand, with a reason. `status` 'terminated' always goes with it.
- `last_order_on`, `regular_until` (last order + twice the usual gap): the order facts the lapse
  rule reads, so the daily check is one range of the (lifecycle, last_order_on) index.
- `value_class`: the 80/20 tier by revenue (or gross profit with `key_by = "profit"`), unless
  a manager or the owner pinned one with a reason.
- `opportunity_since` and `followups`: the open opportunity's start and its follow-ups so far
  (outbound answered contacts after the first); a win closes it and opens the next.
- `next_due`, `cadence_due`, `due_rule`: the schedule (services.customers.reschedule).

Value classes are relative: one customer's order can move others across a bound. The written
customer is reclassified at once (two sums over the ranking's index); everyone else by the
daily catch-up (services.catch_up), which also lapses customers whose time ran out.

Every lifecycle and class change is kept in `customer_change` with who, when and why (automatic
ones with no user).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from peewee import ModelSelect, fn

from crmtui.db import Customer, CustomerChange, Interaction, Order, Win, database
from crmtui.db.fields import MoneyField
from crmtui.db.rows import prepared_once, tuple_rows
from crmtui.errors import InvalidInput
from crmtui.i18n import _
from crmtui.rules import (
    Lifecycle,
    Need,
    Tier,
    grade_reason,
    lifecycle_for,
    regular_until,
    tier_at,
)
from crmtui.services.access import get_editable_customer
from crmtui.services.context import Context, writes
from crmtui.services.customer_columns import apply_grade, reschedule
from crmtui.services.customers import _check_version, _save_versioned, saved_customer
from crmtui.services.journal import journal
from crmtui.services.validation import clean_text
from crmtui.views.customers import SavedCustomer

LIFECYCLE, VALUE_CLASS = "lifecycle", "value_class"
"""What a customer_change row records."""


ACTIVE = "active"
"""The target of `set_lifecycle` that ends a termination (the lifecycle then follows the
orders again)."""


KEY_SHARE, IMPORTANT_SHARE = Decimal("0.8"), Decimal("0.95")


COUNTED_CONTACT = (Interaction.direction == "out") & (Interaction.outcome != "no_answer")
"""rules.counts_as_followup in SQL (tests hold the two together)."""


def record_change(
    ctx: Context, customer_id: int, what: str, old: str, new: str, reason: str, *, by: int | None
) -> None:
    CustomerChange.create(
        customer=customer_id,
        at=ctx.now(),
        on=ctx.today(),
        what=what,
        from_value=old or "",
        to_value=new,
        reason=reason,
        by=by,
    )


def order_days(customer_id: int) -> list[date]:
    query = Order.select(Order.on).where(Order.customer == customer_id).order_by(Order.on)
    return [day for (day,) in tuple_rows(query, tuple[date])]


def refresh_order_facts(customer: Customer) -> list[date]:
    """Set last_order_on and regular_until from the customer's orders; returns the order days."""
    days = order_days(customer.id)
    customer.last_order_on = days[-1] if days else None
    customer.regular_until = regular_until(days) if days else None
    return days


def refresh_lifecycle(
    ctx: Context,
    customer: Customer,
    *,
    reason: str = "",
    by: int | None = None,
    days: Iterable[date] | None = None,
) -> bool:
    """Set the lifecycle the orders give (a terminated customer stays terminated), recording
    a change. True if it moved."""
    if customer.lifecycle == Lifecycle.TERMINATED.value:
        return False
    found = lifecycle_for(
        order_days(customer.id) if days is None else days,
        ctx.today(),
        lapse_days=ctx.config.maintenance.lapse_days,
    ).value
    if found == customer.lifecycle:
        return False
    record_change(ctx, customer.id, LIFECYCLE, customer.lifecycle, found, reason, by=by)
    customer.lifecycle = found
    return True


@writes
def set_lifecycle(
    ctx: Context, customer_id: int, target: str, *, reason: str, expected_version: int | None = None
) -> SavedCustomer:
    """Terminate a customer (已终止合作), or end a termination (`active`): both with a reason,
    kept in the history. An active customer's lifecycle then follows their orders again."""
    customer = get_editable_customer(ctx, customer_id)
    _check_version(ctx, customer, expected_version)
    target = str(target).strip().lower()
    errors: dict[str, str] = {}
    if target not in (Lifecycle.TERMINATED.value, ACTIVE):
        if target in {life.value for life in Lifecycle}:
            errors["lifecycle"] = _(
                "'{text}' follows from the orders; set terminated, or active to end a termination"
            ).format(text=target)
        else:
            errors["lifecycle"] = _(
                "'{text}' is not a lifecycle to set; use terminated or active"
            ).format(text=target)
    reason = clean_reason(reason, errors)
    if not errors:
        terminated = customer.lifecycle == Lifecycle.TERMINATED.value
        if target == Lifecycle.TERMINATED.value and terminated:
            errors["lifecycle"] = _("{name} is already terminated").format(name=customer.name)
        elif target == ACTIVE and not terminated:
            errors["lifecycle"] = _("{name} is not terminated").format(name=customer.name)
    if errors:
        raise InvalidInput(errors)
    with journal(ctx, "status", customer):
        _set_lifecycle(ctx, customer, target, reason)
    return saved_customer(customer)


def _set_lifecycle(ctx: Context, customer: Customer, target: str, reason: str) -> None:
    old = customer.lifecycle
    if target == Lifecycle.TERMINATED.value:
        customer.lifecycle = Lifecycle.TERMINATED.value
        customer.lifecycle_reason = reason
        customer.status = "terminated"
        record_change(ctx, customer.id, LIFECYCLE, old, customer.lifecycle, reason, by=ctx.user.id)
    else:
        days = order_days(customer.id)
        customer.lifecycle = lifecycle_for(
            days, ctx.today(), lapse_days=ctx.config.maintenance.lapse_days
        ).value
        customer.lifecycle_reason = ""
        customer.status = "existing" if days else "potential"
        record_change(ctx, customer.id, LIFECYCLE, old, customer.lifecycle, reason, by=ctx.user.id)
    reschedule(ctx, customer)
    _save_versioned(ctx, customer)


def clean_reason(value: Any, errors: dict[str, str]) -> str:
    """A reason a change needs: required, one line."""
    try:
        reason = clean_text(value, limit=500)
    except ValueError as error:
        errors["reason"] = str(error)
        return ""
    if not reason:
        errors["reason"] = _("a reason is required")
    return reason


def ranking_column(ctx: Context) -> MoneyField[Decimal]:
    """The stored figure key customers are ranked by: revenue, or gross profit."""
    return Customer.profit if ctx.config.maintenance.key_by == "profit" else Customer.revenue


def class_by_figures(ctx: Context, customer: Customer, *, exclude: Iterable[int] = ()) -> Tier:
    """The customer's 80/20 tier from two sums over the ranking column's index, with the
    customer's figure as it is in memory (its stored row, and the rows of `exclude`, are left
    out: they may be about to change)."""
    column = ranking_column(ctx)
    amount = getattr(customer, column.name) or Decimal(0)
    if amount <= 0:
        return Tier.NONE
    others = (
        Customer.id.not_in([customer.id, *exclude])
        if customer.id is not None
        else Customer.id.not_in(list(exclude) or [0])
    )
    total = Customer.select(fn.SUM(column)).where((column > 0) & others).scalar() or 0
    ahead = (
        Customer.select(fn.SUM(column))
        .where(
            others & ((column > amount) | ((column == amount) & (Customer.id < (customer.id or 0))))
        )
        .scalar()
        or 0
    )
    return tier_at(
        column.python_value(ahead),
        amount,
        column.python_value(total) + amount,
        KEY_SHARE,
        IMPORTANT_SHARE,
    )


def refresh_value_class(
    ctx: Context, customer: Customer, *, by: int | None = None, exclude: Iterable[int] = ()
) -> bool:
    """Set the class the figures give, unless pinned, recording a change. True if it moved.

    In team mode the server shows a rep only their own customers, whose ranking is not the
    team's: their class is left to a manager's daily catch-up."""
    if customer.class_pinned or (ctx.store.team is not None and ctx.role != "manager"):
        return False
    found = class_by_figures(ctx, customer, exclude=exclude).value
    if found == customer.value_class:
        return False
    record_change(ctx, customer.id, VALUE_CLASS, customer.value_class, found, "", by=by)
    customer.value_class = found
    return True


@writes
def set_value_class(
    ctx: Context,
    customer_id: int,
    value_class: str | None = None,
    *,
    reason: str = "",
    unpin: bool = False,
    expected_version: int | None = None,
) -> SavedCustomer:
    """Pin a value class chosen by judgement (定性) with a reason, or unpin it to let the
    figures decide again. The owner or a manager may."""
    customer = get_editable_customer(ctx, customer_id)
    _check_version(ctx, customer, expected_version)
    with journal(ctx, "class", customer):
        _set_value_class(ctx, customer, value_class, reason=reason, unpin=unpin)
    return saved_customer(customer)


def _set_value_class(
    ctx: Context, customer: Customer, value_class: str | None, *, reason: str, unpin: bool
) -> None:
    errors: dict[str, str] = {}
    old = customer.value_class
    if unpin:
        if not customer.class_pinned:
            errors["value_class"] = _("{name}'s class is not pinned").format(name=customer.name)
        try:
            reason = clean_text(reason or "", limit=500)
        except ValueError as error:
            errors["reason"] = str(error)
        if errors:
            raise InvalidInput(errors)
        customer.class_pinned = False
        customer.class_reason = ""
        customer.value_class = class_by_figures(ctx, customer).value
        record_change(
            ctx,
            customer.id,
            VALUE_CLASS,
            old,
            customer.value_class,
            reason or "unpinned",
            by=ctx.user.id,
        )  # labels.STORED
    else:
        wanted = str(value_class or "").strip().lower()
        if wanted not in {tier.value for tier in Tier}:
            errors["value_class"] = _(
                "'{text}' is not a value class; use key, important, ordinary or none"
            ).format(text=value_class or "")
        reason = clean_reason(reason, errors)
        if errors:
            raise InvalidInput(errors)
        customer.class_pinned = True
        customer.class_reason = reason
        customer.value_class = wanted
        record_change(
            ctx, customer.id, VALUE_CLASS, old, wanted, f"pinned: {reason}", by=ctx.user.id
        )  # labels.STORED
    reschedule(ctx, customer)
    _save_versioned(ctx, customer)


def counted_contacts(customer: Customer, until: datetime) -> int:
    """The open opportunity's outbound answered contacts up to `until`, counted over the
    (customer, at) index."""
    if customer.id is None:
        return 0
    since = customer.opportunity_since

    def query() -> ModelSelect[Interaction]:
        counted = Interaction.select(fn.COUNT(Interaction.id)).where(
            (Interaction.customer == customer.id) & COUNTED_CONTACT & (Interaction.at <= until)
        )
        return counted if since is None else counted.where(Interaction.at > since)

    # every logged contact counts them: the statement is written once (with and without a start)
    params = [customer.id, "out", "no_answer", Interaction.at.db_value(until)]
    if since is not None:
        params.append(Interaction.at.db_value(since))
    sql = prepared_once(("counted contacts", since is None), query, params)
    count: int | None = database.execute_sql(sql, params).fetchone()[0]
    return count or 0


def opportunity_followups_until(customer: Customer, until: datetime) -> int:
    """rules.opportunity_followups for the customer's open opportunity, in SQL."""
    return max(0, counted_contacts(customer, until) - 1)


def refresh_followups(ctx: Context, customer: Customer) -> None:
    """The open opportunity's follow-ups so far."""
    customer.followups = opportunity_followups_until(customer, ctx.now() + timedelta(days=1))


def close_of_sale(ctx: Context, day: date) -> datetime:
    """Where a sale on `day` splits the contacts: now for a sale today, the end of its day for
    an earlier one (later contacts belong to the next opportunity)."""
    end = datetime.combine(day + timedelta(days=1), time(0), ctx.zone) - timedelta(seconds=1)
    return min(ctx.now(), end)


def after_sale(
    ctx: Context, customer: Customer, order: Order, next_close: date | None
) -> Win | None:
    """What an order does to the customer (not saved): a win when the need was clear, with the
    follow-ups it took; the opportunity closed (the close date cleared, the need potential)
    unless the next one is given; the grade, lifecycle, value class and schedule that follow."""
    win = None
    closed = close_of_sale(ctx, order.on)
    if customer.need == Need.CLEAR.value:
        win = Win.create(
            customer=customer,
            order=order,
            on=order.on,
            amount=order.amount,
            followups=opportunity_followups_until(customer, closed),
            at=ctx.now(),
            by=ctx.user.id,
        )
        customer.opportunity_since = closed
        customer.need = Need.POTENTIAL.value
        customer.expected_close = None
    if next_close is not None:
        customer.need = Need.CLEAR.value
        customer.expected_close = next_close
    today = ctx.today()
    why = grade_reason(Need(customer.need), customer.expected_close, today)
    if win is not None:
        apply_grade(ctx, customer, by=ctx.user, reason=f"sale closed: {why}")  # labels.STORED
        refresh_followups(ctx, customer)
    elif next_close is not None:
        apply_grade(ctx, customer, by=ctx.user, reason=f"next opportunity: {why}")  # labels.STORED
    days = refresh_order_facts(customer)
    refresh_lifecycle(
        ctx, customer, by=ctx.user.id, days=days, reason=f"order on {order.on}"
    )  # labels.STORED
    refresh_value_class(ctx, customer)
    reschedule(ctx, customer)
    return win


def wins_of(customer_id: int) -> list[Win]:
    return list(
        Win.select().where(Win.customer == customer_id).order_by(Win.on.desc(), Win.id.desc())
    )


__all__ = [
    "LIFECYCLE",
    "VALUE_CLASS",
    "ACTIVE",
    "record_change",
    "order_days",
    "refresh_order_facts",
    "refresh_lifecycle",
    "set_lifecycle",
    "clean_reason",
    "ranking_column",
    "class_by_figures",
    "refresh_value_class",
    "set_value_class",
    "counted_contacts",
    "opportunity_followups_until",
    "refresh_followups",
    "close_of_sale",
    "after_sale",
    "wins_of",
]
