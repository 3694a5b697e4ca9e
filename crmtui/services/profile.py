"""Everything the profile screen and `crmtui show` present about one customer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from peewee import JOIN, fn

from crmtui.db import (
    AccountPlan,
    CareDate,
    Commitment,
    Complaint,
    Contact,
    Customer,
    CustomerChange,
    GradeChange,
    Interaction,
    Order,
    User,
    Win,
)
from crmtui.rules import (
    Lifecycle,
    Maintenance,
    Need,
    Tier,
    has_no_estimate,
    is_slipped,
    lapses_on,
    maintenance_for,
    next_lunar_occurrence,
    next_occurrence,
    solar_to_lunar,
    tier_at,
)
from crmtui.services.access import can_edit, can_log, can_view, get_visible_customer
from crmtui.services.appointment_views import AppointmentView
from crmtui.services.appointments import appointments_of
from crmtui.services.context import Context
from crmtui.services.customer_columns import effective_cadence
from crmtui.services.instructions import InstructionRow, open_for_customer
from crmtui.services.receivables import Balance, balance_of
from crmtui.services.record_views import copied
from crmtui.services.surveys import SurveyView, surveys_of
from crmtui.views.profile import (
    Archive,
    CareDateEntry,
    CareOccurrence,
    ClassChange,
    ComplaintEntry,
    ContactEntry,
    ContactPerson,
    CustomerRef,
    GradeMove,
    OrderEntry,
    Person,
    PlanFacts,
    PromiseEntry,
    WinEntry,
)


@dataclass(frozen=True, slots=True)
class CustomerProfile:
    customer: Archive
    owner: Person
    cadence: str
    tier: Tier
    slipped: bool
    no_estimate: bool
    editable: bool
    loggable: bool
    """Whether the user may log a contact (support: while a complaint is open)."""
    interactions: list[ContactEntry]
    orders: list[OrderEntry]
    promises: list[PromiseEntry]
    complaints: list[ComplaintEntry]
    care: list[CareOccurrence]
    grade_history: list[GradeMove]
    contacts: list[ContactPerson]
    referred_by: CustomerRef | None
    referrals: list[CustomerRef]
    plan: PlanFacts | None
    maintenance: Maintenance | None
    """How often the customer is visited to keep them (customers only), and what says so."""
    lapses_on: date | None
    """The day a customer lapses without another order (or lapsed)."""
    wins: list[WinEntry]
    changes: list[ClassChange]
    """The lifecycle and value class history, newest first."""
    appointments: list[AppointmentView]
    """Visits, calls and meetings, the latest first."""
    surveys: list[SurveyView] = field(default_factory=list)
    """Newest first."""
    balance: Balance | None = None
    """What the customer owes."""
    instructions: list[InstructionRow] = field(default_factory=list)
    """The manager's instructions about the customer not yet reported done."""


def person(user: User | None) -> Person | None:
    return None if user is None else Person(login=user.login, display_name=user.display_name)


def archive(customer: Customer) -> Archive:
    return copied(
        Archive,
        customer,
        phone_list=tuple(customer.phone_list),
        tag_list=tuple(customer.tag_list),
        referred_by_id=customer.referred_by_id,
    )


def value_tier_of(customer: Customer) -> Tier:
    """The customer's 80/20 tier from two indexed sums over the stored revenue column."""
    if not customer.revenue:
        return Tier.NONE
    total = Customer.select(fn.SUM(Customer.revenue)).scalar() or 0
    ahead = (
        Customer.select(fn.SUM(Customer.revenue))
        .where(
            (Customer.revenue > customer.revenue)
            | ((Customer.revenue == customer.revenue) & (Customer.id < customer.id))
        )
        .scalar()
        or 0
    )
    field = Customer.revenue
    return tier_at(field.python_value(ahead), customer.revenue, field.python_value(total))


def customer_profile(ctx: Context, customer_id: int, *, interactions: int = 200) -> CustomerProfile:
    customer = get_visible_customer(ctx, customer_id)
    today = ctx.today()
    need = Need(customer.need)
    care = []
    for item in CareDate.select().where(CareDate.customer == customer.id):
        if item.lunar:
            when = next_lunar_occurrence(item.month, item.day, today, leap=item.leap)
        else:
            when = next_occurrence(item.month, item.day, today)
        care.append(
            CareOccurrence(
                care=copied(CareDateEntry, item), next_on=when, next_lunar=solar_to_lunar(when)
            )
        )
    care.sort(key=lambda c: c.next_on)
    plan = AccountPlan.get_or_none(AccountPlan.customer == customer.id)
    settings = ctx.config.maintenance
    owner = User.get_by_id(customer.owner_id)
    editable = can_edit(ctx, customer)
    return CustomerProfile(
        customer=archive(customer),
        owner=Person(login=owner.login, display_name=owner.display_name),
        cadence=effective_cadence(ctx, customer).value,
        tier=value_tier_of(customer),
        slipped=need is Need.CLEAR and is_slipped(customer.expected_close, today),
        no_estimate=has_no_estimate(need, customer.expected_close, today),
        editable=editable,
        loggable=editable or can_log(ctx, customer),
        interactions=[
            copied(ContactEntry, i, by=person(i.by))
            for i in Interaction.select(Interaction, User)
            .join(User, on=Interaction.by)
            .where(Interaction.customer == customer.id)
            .order_by(Interaction.at.desc(), Interaction.id.desc())
            .limit(interactions)
        ],
        orders=[
            copied(OrderEntry, o)
            for o in Order.select()
            .where(Order.customer == customer.id)
            .order_by(Order.on.desc(), Order.id.desc())
        ],
        promises=[
            copied(PromiseEntry, x)
            for x in Commitment.select()
            .where(Commitment.customer == customer.id)
            .order_by(Commitment.status != "open", Commitment.due.desc())
        ],
        complaints=[
            copied(ComplaintEntry, k)
            for k in Complaint.select()
            .where(Complaint.customer == customer.id)
            .order_by(Complaint.opened_at.desc())
        ],
        care=care,
        grade_history=[
            copied(GradeMove, g, by=person(g.by) if g.by_id else None)
            for g in GradeChange.select(GradeChange, User)
            .join(User, on=GradeChange.by, join_type=JOIN.LEFT_OUTER)
            .where(GradeChange.customer == customer.id)
            .order_by(GradeChange.at.desc(), GradeChange.id.desc())
        ],
        contacts=[
            copied(ContactPerson, x)
            for x in Contact.select().where(Contact.customer == customer.id)
        ],
        referred_by=(
            CustomerRef(referring.id, referring.name)
            if customer.referred_by_id
            and (referring := Customer.get_or_none(Customer.id == customer.referred_by_id))
            else None
        ),
        referrals=[
            CustomerRef(r.id, r.name)
            for r in Customer.select(Customer.id, Customer.name)
            .where(Customer.referred_by == customer.id)
            .order_by(Customer.created_at)
        ],
        plan=copied(PlanFacts, plan) if plan is not None else None,
        maintenance=maintenance_for(
            customer.lifecycle,
            customer.value_class,
            plan_every_days=plan.visit_every_days if plan is not None else None,
            overrides=settings.cadence,
        ),
        lapses_on=(
            lapses_on(customer.last_order_on, customer.regular_until, settings.lapse_days)
            if customer.last_order_on is not None
            and customer.lifecycle != Lifecycle.TERMINATED.value
            else None
        ),
        wins=[
            copied(WinEntry, w, order_id=w.order_id)
            for w in Win.select()
            .where(Win.customer == customer.id)
            .order_by(Win.on.desc(), Win.id.desc())
        ],
        changes=[
            copied(ClassChange, h, by=person(h.by) if h.by_id else None)
            for h in CustomerChange.select(CustomerChange, User)
            .join(User, on=CustomerChange.by, join_type=JOIN.LEFT_OUTER)
            .where(CustomerChange.customer == customer.id)
            .order_by(CustomerChange.at.desc(), CustomerChange.id.desc())
        ],
        appointments=appointments_of(ctx, customer.id),
        surveys=surveys_of(ctx, customer.id),
        balance=balance_of(ctx, customer, today),
        instructions=open_for_customer(ctx, customer.id),
    )


def profile_json(ctx: Context, profile: CustomerProfile) -> dict[str, Any]:
    c = profile.customer
    return {
        "id": c.id,
        "name": c.name,
        "company": c.company,
        "title": c.title,
        "phones": list(c.phone_list),
        "email": c.email,
        "im_id": c.im_id,
        "address": c.address,
        "tags": list(c.tag_list),
        "grade": c.grade,
        "pinned": c.grade_pinned,
        "pin_reason": c.pin_reason,
        "need": c.need,
        "expected_close": c.expected_close,
        "expected_amount": c.expected_amount,
        "slipped": profile.slipped,
        "no_estimate": profile.no_estimate,
        "tier": profile.tier.value,
        "status": c.status,
        "lifecycle": c.lifecycle,
        "lifecycle_reason": c.lifecycle_reason,
        "value_class": {"class": c.value_class, "pinned": c.class_pinned, "reason": c.class_reason},
        "maintenance": maintenance_json(profile.maintenance),
        "due_rule": c.due_rule,
        "last_order_on": c.last_order_on,
        "lapses_on": profile.lapses_on,
        "deal_status": c.deal_status,
        "source": c.source,
        "owner": profile.owner.login,
        "cadence": profile.cadence,
        "next_due": c.next_due,
        "next_step": c.next_step,
        "followups": c.followups,
        "last_contact": c.last_contact_at,
        "revenue": c.revenue or Decimal(0),
        "version": c.version,
        "referred_by": c.referred_by_id,
        "referrals": [r.id for r in profile.referrals],
        "interactions": [
            {
                "id": i.id,
                "at": i.at,
                "channel": i.channel,
                "direction": i.direction,
                "outcome": i.outcome,
                "summary": i.summary,
                "next_step": i.next_step,
                "next_on": i.next_on,
                "by": i.by.login,
                "followup_number": i.followup_number,
                "contact": i.contact_name or None,
            }
            for i in profile.interactions
        ],
        "orders": [
            {
                "id": o.id,
                "on": o.on,
                "product": o.product,
                "quantity": o.quantity,
                "amount": o.amount,
                "deliver_on": o.deliver_on,
                "delivery": o.delivery,
                "delivered_on": o.delivered_on,
                "paid": o.paid,
                "owed": o.owed,
            }
            for o in profile.orders
        ],
        "balance": profile.balance.to_json() if profile.balance is not None else None,
        "instructions": [row.to_json() for row in profile.instructions],
        "promises": [
            {"id": p.id, "text": p.text, "due": p.due, "status": p.status} for p in profile.promises
        ],
        "surveys": [s.to_json() for s in profile.surveys],
        "complaints": [
            {
                "id": k.id,
                "summary": k.summary,
                "severity": k.severity,
                "status": k.status,
                "opened_at": k.opened_at,
            }
            for k in profile.complaints
        ],
        "care_dates": [
            {
                "id": o.care.id,
                "kind": o.care.kind,
                "month": o.care.month,
                "day": o.care.day,
                "lunar": o.care.lunar,
                "next": o.next_on,
            }
            for o in profile.care
        ],
        "grade_history": [
            {
                "at": g.at,
                "from": g.from_grade,
                "to": g.to_grade,
                "reason": g.reason,
                "by": g.by.login if g.by else None,
            }
            for g in profile.grade_history
        ],
        "wins": [
            {"date": w.on, "amount": w.amount, "followups": w.followups, "order_id": w.order_id}
            for w in profile.wins
        ],
        "lifecycle_history": [
            {
                "at": h.at,
                "what": h.what,
                "from": h.from_value or None,
                "to": h.to_value,
                "reason": h.reason,
                "by": h.by.login if h.by else None,
            }
            for h in profile.changes
        ],
        "appointments": [view.to_json() for view in profile.appointments],
    }


def maintenance_json(maintenance: Maintenance | None) -> dict[str, Any] | None:
    """The maintenance cadence and its source, as `crmtui show --json` writes it."""
    if maintenance is None:
        return None
    return {
        "source": maintenance.source.value,
        "cadence": maintenance.cadence.value if maintenance.cadence else None,
        "every_days": maintenance.every_days,
    }


@dataclass(frozen=True)
class ReferralNode:
    """A customer in a referral tree; `visible` is False for another rep's customer."""

    id: int
    name: str
    company: str
    grade: str
    visible: bool
    children: tuple[ReferralNode, ...] = ()


def referral_tree(
    ctx: Context, customer_id: int, *, up: int = 5, down: int = 3, width: int = 50
) -> ReferralNode:
    """Who referred the customer (up to `up` steps back) and whom they referred (`down` levels).

    The root is the earliest referrer found; the path from it leads to the customer, whose
    own referrals hang below (at most `width` per customer).
    """
    customer = get_visible_customer(ctx, customer_id)

    def node(row: Customer, children: Iterable[ReferralNode] = ()) -> ReferralNode:
        shown = can_view(ctx, row)
        return ReferralNode(
            id=row.id,
            name=row.name if shown else "…",
            company=row.company if shown else "",
            grade=row.grade,
            visible=shown,
            children=tuple(children),
        )

    def below(row: Customer, levels: int) -> list[ReferralNode]:
        if levels == 0:
            return []
        kids = (
            Customer.select()
            .where(Customer.referred_by == row.id)
            .order_by(Customer.created_at, Customer.id)
            .limit(width)
        )
        return [node(kid, below(kid, levels - 1)) for kid in kids]

    tree = node(customer, below(customer, down))
    seen = {customer.id}
    current = customer
    for _step in range(up):
        if current.referred_by_id is None or current.referred_by_id in seen:
            break
        parent = Customer.get_or_none(Customer.id == current.referred_by_id)
        if parent is None:
            break
        seen.add(parent.id)
        tree = node(parent, [tree])
        current = parent
    return tree
