"""A customer's stored derived columns, kept consistent with the rules by every write: the grade
and its history, the cadence and schedule (next_due, cadence_due), the search document."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from crmtui.config import Config
from crmtui.db import (
    AccountPlan,
    Contact,
    Customer,
    GradeChange,
    User,
    database,
)
from crmtui.db.rows import prepared_once, tuple_rows
from crmtui.rules import (
    Cadence,
    Grade,
    Lifecycle,
    Need,
    Schedule,
    Tier,
    default_cadence,
    grade_for,
    grade_reason,
    lapses_on,
    maintenance_for,
    schedule,
)
from crmtui.search import search_document, sort_key
from crmtui.services.context import Context

SEARCH_FIELDS = ("name", "company", "phones", "email", "im_id", "tags")
"""The customer fields in the search document (with its contacts' names)."""


def effective_cadence(ctx: Context, customer: Customer) -> Cadence:
    return cadence_of(ctx.config, customer.grade, customer.cadence)


def cadence_of(config: Config, grade: str, own_cadence: str | None) -> Cadence:
    if own_cadence:
        return Cadence(own_cadence)
    return default_cadence(Grade(grade), config.cadence)


def schedule_of(
    config: Config,
    *,
    grade: str,
    own_cadence: str | None,
    created_on: date,
    last_contact_on: date | None,
    next_step_on: date | None,
    lifecycle: str = Lifecycle.PROSPECT.value,
    value_class: str = Tier.NONE.value,
    plan_every_days: int | None = None,
    last_order_on: date | None = None,
    regular_until: date | None = None,
) -> Schedule:
    """The follow-up schedule (rules.schedule) from the stored facts of a customer: the
    grade's cadence, the maintenance of a `customer` by value class or account plan, and the
    day a lapsed customer lapsed."""
    maintenance = maintenance_for(
        lifecycle,
        value_class,
        plan_every_days=plan_every_days,
        overrides=config.maintenance.cadence,
    )
    lapsed_on = None
    if lifecycle == Lifecycle.LAPSED.value and last_order_on is not None:
        lapsed_on = lapses_on(last_order_on, regular_until, config.maintenance.lapse_days)
    return schedule(
        created_on=created_on,
        last_touch=last_contact_on,
        grade_cadence=cadence_of(config, grade, own_cadence),
        explicit=next_step_on,
        maintenance=maintenance,
        lapsed_on=lapsed_on,
        workdays_only=config.workdays_only,
    )


def follow_up_dates(
    config: Config,
    *,
    grade: str,
    own_cadence: str | None,
    created_on: date,
    last_contact_on: date | None,
    next_step_on: date | None,
) -> tuple[date, date]:
    """(next_due, cadence_due) of a prospect (no orders, so no maintenance) from its facts."""
    found = schedule_of(
        config,
        grade=grade,
        own_cadence=own_cadence,
        created_on=created_on,
        last_contact_on=last_contact_on,
        next_step_on=next_step_on,
    )
    return found.next_due, found.cadence_due


def plan_cycle(customer_id: int | None) -> int | None:
    """The visit cycle in days of the customer's account plan, if it sets one."""
    if customer_id is None:
        return None
    # every logged contact with a customer asks: the statement is written once
    sql = prepared_once(
        "account plan's visit cycle",
        lambda: AccountPlan.select(AccountPlan.visit_every_days).where(
            AccountPlan.customer == customer_id
        ),
        [customer_id],
    )
    row = database.execute_sql(sql, [customer_id]).fetchone()
    cycle: int | None = None if row is None else row[0]
    return cycle


def reschedule(ctx: Context, customer: Customer) -> None:
    """Recompute next_due, cadence_due and due_rule from the stored facts (no save)."""
    found = schedule_of(
        ctx.config,
        grade=customer.grade,
        own_cadence=customer.cadence,
        created_on=customer.created_on,
        last_contact_on=customer.last_contact_on,
        next_step_on=customer.next_step_on,
        lifecycle=customer.lifecycle,
        value_class=customer.value_class,
        plan_every_days=plan_cycle(customer.id)
        if customer.lifecycle == Lifecycle.CUSTOMER.value
        else None,
        last_order_on=customer.last_order_on,
        regular_until=customer.regular_until,
    )
    customer.next_due, customer.cadence_due = found.next_due, found.cadence_due
    customer.due_rule = found.rule.value


def apply_grade(
    ctx: Context,
    customer: Customer,
    *,
    reason: str = "",
    by: User | None = None,
    today: date | None = None,
) -> bool:
    """Set the grade the rules give (unless pinned), recording a change. True if it moved."""
    if customer.grade_pinned:
        return False
    today = today or ctx.today()
    new = grade_for(Need(customer.need), customer.expected_close, today)
    return record_grade(
        ctx,
        customer,
        new,
        reason or grade_reason(Need(customer.need), customer.expected_close, today),
        by=by,
    )


def record_grade(
    ctx: Context, customer: Customer, new: Grade, reason: str, *, by: User | None
) -> bool:
    old = customer.grade
    if old == new.value and customer.id is not None:
        return False
    customer.grade = new.value
    if customer.id is not None:
        GradeChange.create(
            customer=customer,
            at=ctx.now(),
            on=ctx.today(),
            from_grade=old,
            to_grade=new.value,
            reason=reason,
            by=by,
        )
    return True


def refresh_search(customer: Customer) -> None:
    """The customer's search document, with the names, phones and e-mail of its contacts, and
    the key its name sorts by."""
    contacts: Iterable[tuple[str, str, str]] = (
        ()
        if customer.id is None
        else tuple_rows(
            Contact.select(Contact.name, Contact.phone, Contact.email)
            .where(Contact.customer == customer.id)
            .order_by(Contact.id),
            tuple[str, str, str],
        )
    )
    name, company, phones, email, im_id, tags = (getattr(customer, f) for f in SEARCH_FIELDS)
    customer.search_doc = search_document(
        name, company, phones, email, im_id, tags, contacts=contacts
    )
    customer.sort_name = sort_key(customer.name)
