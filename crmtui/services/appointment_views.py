"""Appointments as lists, the day's schedule and JSON read them: the reading half of
crmtui.services.appointments, apart so that `crmtui due` and Today read the day's schedule
without the modules that book, move and close appointments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from peewee import ModelSelect

from crmtui.db import Appointment, Customer, User
from crmtui.rules import AppointmentStatus, day_window, is_missed
from crmtui.services.context import Context


@dataclass(frozen=True)
class AppointmentView:
    """An appointment as lists, the schedule and JSON read it (times in UTC; shown in the
    user's zone by crmtui.present.schedule)."""

    id: int
    customer_id: int
    customer: str
    company: str
    user: str
    """The login of who attends."""
    starts_at: datetime
    ends_at: datetime
    minutes: int
    kind: str
    purpose: str
    place: str
    prep: str
    contact: str
    status: str
    missed: bool
    """Planned, its time over, and not logged."""
    moves: int
    first_starts_at: datetime
    purpose_met: str
    instructions_done: str
    still_open: str
    interaction_id: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "customer_id": self.customer_id,
            "customer": self.customer,
            "company": self.company,
            "user": self.user,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "minutes": self.minutes,
            "kind": self.kind,
            "purpose": self.purpose or None,
            "place": self.place,
            "prep": self.prep,
            "contact": self.contact or None,
            "status": self.status,
            "missed": self.missed,
            "moves": self.moves,
            "first_starts_at": self.first_starts_at if self.moves else None,
            "review": {
                "purpose_met": self.purpose_met or None,
                "instructions_done": self.instructions_done or None,
                "still_open": self.still_open,
                "interaction_id": self.interaction_id,
            }
            if self.status == AppointmentStatus.DONE
            else None,
        }


def view_of(row: Appointment, now: datetime) -> AppointmentView:
    """The view of an appointment read with its customer and user."""
    customer, user = row.customer, row.user
    return AppointmentView(
        id=row.id,
        customer_id=row.customer_id,
        customer=customer.name,
        company=customer.company,
        user=user.login,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        minutes=row.minutes,
        kind=row.kind,
        purpose=row.purpose,
        place=row.place,
        prep=row.prep,
        contact=row.contact_name,
        status=row.status,
        missed=is_missed(row.status, row.ends_at, now),
        moves=row.moves,
        first_starts_at=row.first_starts_at,
        purpose_met=row.purpose_met,
        instructions_done=row.instructions_done,
        still_open=row.still_open,
        interaction_id=row.interaction_id,
    )


def with_names() -> ModelSelect[Appointment]:
    return (
        Appointment.select(
            Appointment, Customer.id, Customer.name, Customer.company, User.id, User.login
        )
        .join(Customer, on=Appointment.customer)
        .switch(Appointment)
        .join(User, on=Appointment.user)
    )


def schedule(
    ctx: Context, day: date, *, everyone: bool = False, cancelled: bool = False
) -> list[AppointmentView]:
    """The day's appointments (the day in the user's zone) in time order: the user's own, or
    everyone's for a manager or support who asks. Cancelled ones only with `cancelled`."""
    start, end = day_window(day, ctx.zone)
    query = with_names().where((Appointment.starts_at >= start) & (Appointment.starts_at < end))
    if not (everyone and ctx.role in ("manager", "support")):
        query = query.where(Appointment.user == ctx.user.id)
    if not cancelled:
        query = query.where(Appointment.status != AppointmentStatus.CANCELLED.value)
    now = ctx.now()
    return [view_of(row, now) for row in query.order_by(Appointment.starts_at, Appointment.id)]
