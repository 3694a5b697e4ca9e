"""Stored records copied into the views a write returns to the screens and the command line,
so neither holds a database row after the service is done."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal
from typing import TypeVar

from peewee import Model

from crmtui.db import Appointment, CareDate, Commitment, Customer, Interaction, Order
from crmtui.views.interactions import (
    HeldAppointment,
    LoggedCustomer,
    LoggedInteraction,
    LoggedPromise,
    LogResult,
)
from crmtui.views.profile import CareDateEntry, OrderEntry, PromiseEntry

View = TypeVar("View")


def copied(view: type[View], row: Model, **given: object) -> View:
    """A view of a stored row: its fields of the view's names, except those `given`."""
    names = [f.name for f in fields(view)]  # type: ignore[arg-type]  # a dataclass by contract
    return view(**{name: given[name] if name in given else getattr(row, name) for name in names})


def order_entry(order: Order) -> OrderEntry:
    # a new order's paid is the column's default, an int until read back
    return copied(OrderEntry, order, paid=Decimal(order.paid))


def promise_entry(promise: Commitment) -> PromiseEntry:
    return copied(PromiseEntry, promise)


def care_entry(care: CareDate) -> CareDateEntry:
    return copied(CareDateEntry, care)


def logged_view(
    interaction: Interaction,
    customer: Customer,
    promise: Commitment | None = None,
    appointment: Appointment | None = None,
) -> LogResult:
    """What a log stored, copied out of its records for the screens and the command line."""
    return LogResult(
        interaction=LoggedInteraction(
            id=interaction.id,
            at=interaction.at,
            channel=interaction.channel,
            direction=interaction.direction,
            outcome=interaction.outcome,
            summary=interaction.summary,
            next_step=interaction.next_step,
            next_on=interaction.next_on,
            followup_number=interaction.followup_number,
            contact_id=interaction.contact_id,
            contact_name=interaction.contact_name,
            version=interaction.version,
        ),
        customer=LoggedCustomer(
            id=customer.id,
            name=customer.name,
            grade=customer.grade,
            followups=customer.followups,
            next_due=customer.next_due,
            version=customer.version,
        ),
        promise=(
            LoggedPromise(id=promise.id, text=promise.text, due=promise.due)
            if promise is not None
            else None
        ),
        appointment=(
            HeldAppointment(
                id=appointment.id,
                purpose_met=appointment.purpose_met,
                instructions_done=appointment.instructions_done,
                still_open=appointment.still_open,
            )
            if appointment is not None
            else None
        ),
    )
