"""The iCalendar export: the user's follow-ups, promises and care dates."""

from __future__ import annotations

from datetime import timedelta

from crmtui.db import (
    Appointment,
    CareDate,
    Commitment,
    Customer,
)
from crmtui.i18n import _
from crmtui.labels import label
from crmtui.rules import day_window
from crmtui.services.context import Context
from crmtui.services.transfer.export_scope import customers_in_scope, of_scope
from crmtui.services.transfer.ics import Care, FollowUp, Promise, Visit, calendar_bytes

FOLLOW_UP_DAYS = 90
"""The calendar holds follow-ups due within this many days (and every overdue one)."""


def calendar_export(ctx: Context, owner_id: int | None, instance: str) -> tuple[bytes, int, int]:
    """(file bytes, events, customers in scope)."""
    today = ctx.today()
    horizon = today + timedelta(days=FOLLOW_UP_DAYS)
    follow_ups = [
        FollowUp(c.id, c.name, c.company, c.grade, c.next_due, c.next_step, ", ".join(c.phone_list))
        for c in customers_in_scope(owner_id)
        .where(Customer.next_due <= horizon)
        .order_by(Customer.next_due, Customer.id)
    ]
    promises = [
        Promise(p.id, p.customer_id, p.customer.name, p.text, p.due)
        for p in of_scope(Commitment, owner_id)
        .where(Commitment.status == "open")
        .order_by(Commitment.due, Commitment.id)
    ]
    care = [
        Care(
            c.id,
            c.customer_id,
            c.customer.name,
            c.kind,
            c.month,
            c.day,
            c.year,
            c.lunar,
            c.leap,
            c.note,
        )
        for c in of_scope(CareDate, owner_id).order_by(CareDate.month, CareDate.day)
    ]
    # the appointments from today on: the user's own schedule, or everyone's
    query = (
        Appointment.select(Appointment, Customer.id, Customer.name, Customer.company)
        .join(Customer, on=Appointment.customer)
        .where(Appointment.starts_at >= day_window(today, ctx.zone)[0])
    )
    if owner_id is not None:
        query = query.where(Appointment.user == owner_id)
    appointments = [
        Visit(
            a.id,
            a.customer_id,
            a.customer.name,
            a.customer.company,
            label("appointment_kind", a.kind),
            a.starts_at,
            a.ends_at,
            a.place,
            label("purpose", a.purpose),
            a.prep,
            a.contact_name,
            a.status == "cancelled",
        )
        for a in query.order_by(Appointment.starts_at, Appointment.id)
    ]
    owner = ctx.user.login if owner_id is not None else _("everyone")
    data, events = calendar_bytes(
        instance=instance,
        owner=owner,
        today=today,
        stamp=ctx.now(),
        follow_ups=follow_ups,
        promises=promises,
        care=care,
        lead_days=ctx.config.care_lead_days,
        appointments=appointments,
    )
    return data, events, customers_in_scope(owner_id).count()
