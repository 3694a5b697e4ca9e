"""A customer's profile as the profile screen and `crmtui show` read it: the archive and every
record the profile lists, copied out of the database by the service (services.profile), so
showing them asks nothing more."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from crmtui.rules import LunarDay


@dataclass(frozen=True, slots=True)
class Person:
    """A user as the profile names them."""

    login: str
    display_name: str

    @property
    def label(self) -> str:
        return self.display_name or self.login


@dataclass(frozen=True, slots=True)
class Archive:
    """The customer's own facts (客户档案), grading, follow-up and lifecycle."""

    id: int
    name: str
    company: str
    title: str
    phone_list: tuple[str, ...]
    email: str
    im_id: str
    address: str
    tag_list: tuple[str, ...]
    native_place: str
    education: str
    family: str
    personality: str
    goals: str
    opinions: str
    situation: str
    competitors: str
    membership: str
    notes: str
    need: str
    expected_close: date | None
    expected_amount: Decimal | None
    grade: str
    grade_pinned: bool
    pin_reason: str
    next_step: str
    next_due: date
    followups: int
    last_contact_at: datetime | None
    lifecycle: str
    lifecycle_reason: str
    value_class: str
    class_pinned: bool
    class_reason: str
    due_rule: str
    last_order_on: date | None
    status: str
    deal_status: str
    source: str
    referred_by_id: int | None
    credit_limit: Decimal | None
    credit_rating: str
    revenue: Decimal | None
    version: int


@dataclass(frozen=True, slots=True)
class CustomerRef:
    """Another customer the profile names (who referred this one, whom they referred)."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class ContactEntry:
    id: int
    at: datetime
    channel: str
    direction: str
    outcome: str
    summary: str
    next_step: str
    next_on: date | None
    by: Person
    followup_number: int
    contact_name: str


@dataclass(frozen=True, slots=True)
class OrderEntry:
    id: int
    on: date
    product: str
    quantity: int
    amount: Decimal
    gift: str
    note: str
    deliver_on: date | None
    delivery: str
    delivered_on: date | None
    paid: Decimal
    owed: Decimal
    cost: Decimal | None = None
    """What the sale cost, when known."""


@dataclass(frozen=True, slots=True)
class PromiseEntry:
    id: int
    text: str
    due: date
    status: str


@dataclass(frozen=True, slots=True)
class ComplaintEntry:
    id: int
    summary: str
    severity: str
    status: str
    opened_at: datetime


@dataclass(frozen=True, slots=True)
class CareDateEntry:
    """A care date as it was set (in its calendar)."""

    id: int
    kind: str
    month: int
    day: int
    year: int | None
    lunar: bool
    leap: bool
    note: str


@dataclass(frozen=True, slots=True)
class CareOccurrence:
    care: CareDateEntry
    next_on: date
    next_lunar: LunarDay
    """The lunar date of next_on, so both calendars can be shown."""


@dataclass(frozen=True, slots=True)
class GradeMove:
    at: datetime
    from_grade: str | None
    to_grade: str
    reason: str
    by: Person | None
    """None when the calendar moved it."""


@dataclass(frozen=True, slots=True)
class ContactPerson:
    """A contact at the customer's company."""

    id: int
    name: str
    title: str
    role: str
    phone: str
    email: str


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """The key-customer account plan."""

    review_on: date
    products: str
    target_amount: Decimal | None
    target_price: Decimal | None
    target_volume: int | None
    visit_every_days: int | None
    services: str
    strengths: str
    weaknesses: str
    opportunities: str
    threats: str
    progress: str
    id: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class WinEntry:
    on: date
    amount: Decimal
    followups: int
    order_id: int | None


@dataclass(frozen=True, slots=True)
class ClassChange:
    """A lifecycle or value class change."""

    at: datetime
    what: str
    from_value: str
    to_value: str
    reason: str
    by: Person | None
    """None when it changed by itself (the daily check)."""
