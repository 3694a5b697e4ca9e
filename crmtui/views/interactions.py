"""A logged contact as the interaction log shows it, and what logging one stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class InteractionRow:
    """One contact in the interaction log (across customers)."""

    id: int
    at: datetime
    customer_id: int
    customer: str
    """The customer's name."""
    channel: str
    outcome: str
    by: str
    """The login of who logged it."""
    by_name: str
    """Their display name, or their login when they have none."""
    summary: str
    next_step: str


@dataclass(frozen=True, slots=True)
class LoggedInteraction:
    """The contact as it was stored."""

    id: int
    at: datetime
    channel: str
    direction: str
    outcome: str
    summary: str
    next_step: str
    next_on: date | None
    followup_number: int
    contact_id: int | None
    """The contact spoken to; None when no one was named."""
    contact_name: str
    version: int


@dataclass(frozen=True, slots=True)
class LoggedCustomer:
    """The customer's follow-up facts after the contact moved them."""

    id: int
    name: str
    grade: str
    followups: int
    next_due: date
    version: int


@dataclass(frozen=True, slots=True)
class LoggedPromise:
    """The promise made during the contact."""

    id: int
    text: str
    due: date


@dataclass(frozen=True, slots=True)
class HeldAppointment:
    """The appointment the contact held and closed, with the review's answers."""

    id: int
    purpose_met: str
    instructions_done: str
    still_open: str


@dataclass(frozen=True, slots=True)
class LogResult:
    """What logging a contact stored: the contact, the customer as it left them, the promise
    made and the appointment it closed."""

    interaction: LoggedInteraction
    customer: LoggedCustomer
    promise: LoggedPromise | None = None
    appointment: HeldAppointment | None = None
