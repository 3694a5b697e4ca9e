"""Merging a duplicate customer into another (SPEC §5 `crmtui merge KEEP OTHER`).

Everything OTHER has moves to KEEP: interactions, promises, orders, complaints, care dates,
contacts, surveys, grade history, appointments, account plan, and the customers it referred.
KEEP's empty fields take OTHER's values; phones and tags are combined; where both have a
different value, KEEP's stays and the difference is reported. The figures kept from the history
(follow-up count, last contact, revenue, referral dates, next due, grade, search document) are
recomputed, OTHER is deleted, and the merge is audited with OTHER's fields, all in one
transaction. A manager may merge any two customers; a rep two of their own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from crmtui.db import (
    AccountPlan,
    Appointment,
    CareDate,
    Commitment,
    Complaint,
    Contact,
    Customer,
    CustomerChange,
    GradeChange,
    Instruction,
    Interaction,
    Order,
    Payment,
    Survey,
    Win,
)
from crmtui.errors import CrmError, Forbidden
from crmtui.i18n import _
from crmtui.services.access import get_editable_customer
from crmtui.services.audit import audit
from crmtui.services.context import Context, writes
from crmtui.services.customer_columns import apply_grade, refresh_search, reschedule
from crmtui.services.customers import _save_versioned
from crmtui.services.lifecycle import (
    refresh_followups,
    refresh_lifecycle,
    refresh_order_facts,
    refresh_value_class,
)
from crmtui.services.receivables import revenue_sum
from crmtui.services.transfer.importer import phone_key
from crmtui.services.validation import CUSTOMER_FIELDS, clean_phones, clean_tags

# Moved row by row with a plain UPDATE of their customer column.
MOVED = (
    ("interactions", Interaction),
    ("promises", Commitment),
    ("orders", Order),
    ("complaints", Complaint),
    ("surveys", Survey),
    ("grade_history", GradeChange),
    ("wins", Win),
    ("lifecycle_history", CustomerChange),
    ("appointments", Appointment),
    ("instructions", Instruction),
    ("payments", Payment),
)
COMBINED = ("phones", "tags")
# Fields whose values differ in form only are not conflicts worth reporting.
_SAME_WHEN_FOLDED = ("email",)


@dataclass(frozen=True)
class Conflict:
    field: str
    keep: Any
    other: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "keep": self.keep, "other": self.other}


@dataclass
class MergePlan:
    keep_id: int
    keep_name: str
    other_id: int
    other_name: str
    moved: dict[str, int] = field(default_factory=dict)
    filled: dict[str, Any] = field(default_factory=dict)
    """KEEP's empty fields that take OTHER's value."""
    combined: dict[str, str] = field(default_factory=dict)
    """Phones and tags as they will be: KEEP's and OTHER's together."""
    conflicts: list[Conflict] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)
    """OTHER's rows deleted as copies of KEEP's (same care date, same contact…)."""
    done: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "keep": self.keep_id,
            "keep_name": self.keep_name,
            "other": self.other_id,
            "other_name": self.other_name,
            "moved": self.moved,
            "filled": self.filled,
            "combined": self.combined,
            "conflicts": [c.to_json() for c in self.conflicts],
            "dropped": self.dropped,
            "done": self.done,
        }


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _care_key(care: CareDate) -> tuple[str, int, int, bool, bool]:
    return (care.kind, care.month, care.day, care.lunar, care.leap)


def _contact_key(contact: Contact) -> tuple[str, str, str]:
    return (contact.name.strip().lower(), contact.phone.strip(), contact.email.strip().lower())


def _plan(ctx: Context, keep: Customer, other: Customer) -> tuple[MergePlan, dict[str, list[int]]]:
    """What merging would do, and the rows of OTHER to delete as copies."""
    plan = MergePlan(keep_id=keep.id, keep_name=keep.name, other_id=other.id, other_name=other.name)
    for name, model in MOVED:
        count = model.select().where(model.customer == other.id).count()
        if count:
            plan.moved[name] = count
    today = ctx.today()
    won = Order.select().where(Order.customer.in_((keep.id, other.id))).exists()
    for name in CUSTOMER_FIELDS:
        mine, theirs = _after_orders(name, getattr(keep, name), won), getattr(other, name)
        if _empty(theirs) or mine == theirs:
            continue
        if name in COMBINED:
            joined = (
                _combined_phones(mine, theirs)
                if name == "phones"
                else clean_tags(f"{mine},{theirs}", today)
            )
            if joined != mine:
                plan.combined[name] = joined
        elif _empty(mine):
            plan.filled[name] = theirs
        elif not (name in _SAME_WHEN_FOLDED and str(mine).lower() == str(theirs).lower()):
            plan.conflicts.append(Conflict(name, mine, theirs))
    if other.grade_pinned and not keep.grade_pinned:
        plan.conflicts.append(
            Conflict(
                "grade",
                keep.grade,
                _("{grade} (pinned: {reason})").format(grade=other.grade, reason=other.pin_reason),
            )
        )
    if other.owner_id != keep.owner_id:
        plan.conflicts.append(Conflict("owner", keep.owner.login, other.owner.login))
    keeps_referrer = keep.referred_by_id not in (None, other.id)  # OTHER itself won't remain
    if other.referred_by_id and other.referred_by_id != keep.id and not keeps_referrer:
        plan.filled["referred_by"] = other.referred_by_id
    referrals = (
        Customer.select()
        .where((Customer.referred_by == other.id) & (Customer.id != keep.id))
        .count()
    )
    if referrals:
        plan.moved["referrals"] = referrals

    drop: dict[str, list[int]] = {"care_dates": [], "contacts": [], "account_plan": []}
    mine_care = {_care_key(c) for c in CareDate.select().where(CareDate.customer == keep.id)}
    keep_birthday = next(
        (
            c
            for c in CareDate.select().where(
                (CareDate.customer == keep.id) & (CareDate.kind == "birthday")
            )
        ),
        None,
    )
    moved_care = 0
    for care in CareDate.select().where(CareDate.customer == other.id):
        if _care_key(care) in mine_care:
            drop["care_dates"].append(care.id)
        elif care.kind == "birthday" and keep_birthday is not None:
            drop["care_dates"].append(care.id)
            plan.conflicts.append(
                Conflict("birthday", _care_label(keep_birthday), _care_label(care))
            )
        else:
            moved_care += 1
    if moved_care:
        plan.moved["care_dates"] = moved_care
    mine_contacts = {_contact_key(c) for c in Contact.select().where(Contact.customer == keep.id)}
    moved_contacts = 0
    for contact in Contact.select().where(Contact.customer == other.id):
        if _contact_key(contact) in mine_contacts:
            drop["contacts"].append(contact.id)
        else:
            moved_contacts += 1
    if moved_contacts:
        plan.moved["contacts"] = moved_contacts
    their_plan = AccountPlan.get_or_none(AccountPlan.customer == other.id)
    if their_plan is not None:
        if AccountPlan.select().where(AccountPlan.customer == keep.id).exists():
            drop["account_plan"].append(their_plan.id)
            plan.conflicts.append(
                Conflict(
                    "account_plan",
                    _("#{id}'s plan").format(id=keep.id),
                    _("#{id}'s plan").format(id=other.id),
                )
            )
        else:
            plan.moved["account_plan"] = 1
    plan.dropped = {k: len(v) for k, v in drop.items() if v}
    return plan, drop


def _combined_phones(mine: str, theirs: str) -> str:
    """KEEP's numbers, then OTHER's that are not the same number written another way."""
    phones = [p.strip() for p in mine.split(",") if p.strip()]
    known = {phone_key(p) for p in phones}
    for phone in (p.strip() for p in theirs.split(",") if p.strip()):
        if phone_key(phone) not in known:
            phones.append(phone)
            known.add(phone_key(phone))
    return clean_phones(phones)


def _after_orders(name: str, value: Any, won: bool) -> Any:
    """KEEP's status as it will be once orders are among its history (as record_order sets)."""
    if won and name == "deal_status":
        return "won"
    if won and name == "status" and value in ("potential", "intent"):
        return "existing"
    return value


def _care_label(care: CareDate) -> str:
    text = (f"{care.year:04d}-" if care.year else "--") + f"{care.month:02d}-{care.day:02d}"
    return ("lunar " if care.lunar else "") + text


def _pair(ctx: Context, keep_id: int, other_id: int) -> tuple[Customer, Customer]:
    if keep_id == other_id:
        raise CrmError(_("a customer cannot be merged into itself"))
    if ctx.role == "support":
        raise Forbidden(_("support can read profiles but not merge customers"))
    return get_editable_customer(ctx, keep_id), get_editable_customer(ctx, other_id)


def plan_merge(ctx: Context, keep_id: int, other_id: int) -> MergePlan:
    """What `merge_customers` would do, changing nothing."""
    keep, other = _pair(ctx, keep_id, other_id)
    return _plan(ctx, keep, other)[0]


@writes
def merge_customers(ctx: Context, keep_id: int, other_id: int) -> MergePlan:
    keep, other = _pair(ctx, keep_id, other_id)
    plan, drop = _plan(ctx, keep, other)
    snapshot = {name: getattr(other, name) for name in CUSTOMER_FIELDS}

    if drop["care_dates"]:
        CareDate.delete().where(CareDate.id.in_(drop["care_dates"])).execute()
    if drop["contacts"]:
        Contact.delete().where(Contact.id.in_(drop["contacts"])).execute()
    if drop["account_plan"]:
        AccountPlan.delete().where(AccountPlan.id.in_(drop["account_plan"])).execute()
    for model in (*(m for _n, m in MOVED), CareDate, Contact, AccountPlan):
        model.update(customer=keep.id).where(model.customer == other.id).execute()
    Customer.update(referred_by=keep.id).where(
        (Customer.referred_by == other.id) & (Customer.id != keep.id)
    ).execute()
    if keep.referred_by_id == other.id:
        keep.referred_by = None
    for name, value in {**plan.filled, **plan.combined}.items():
        setattr(keep, name, value)
    _combine_history(ctx, keep, other)
    if not keep.grade_pinned:
        apply_grade(ctx, keep, by=ctx.user, reason=f"merged with #{other.id}")  # labels.STORED
    reschedule(ctx, keep)
    refresh_search(keep)
    Customer.delete().where(Customer.id == other.id).execute()
    _save_versioned(ctx, keep)
    audit(
        ctx,
        "merge",
        "customer",
        keep.id,
        json.dumps(
            {
                "merged": other.id,
                "name": other.name,
                "moved": plan.moved,
                "filled": list(plan.filled),
                "conflicts": [c.field for c in plan.conflicts],
                "other": snapshot,
            },
            ensure_ascii=False,
            default=str,
        ),
    )
    plan.done = True
    return plan


def _combine_lifecycle(ctx: Context, keep: Customer, other: Customer) -> None:
    """The lifecycle facts of the combined history: orders, profit, the later of the two open
    opportunities and its follow-ups, the lifecycle (KEEP's termination stays) and class (KEEP's
    pin stays)."""
    keep.profit = (keep.profit or Decimal(0)) + (other.profit or Decimal(0))
    starts = [s for s in (keep.opportunity_since, other.opportunity_since) if s is not None]
    keep.opportunity_since = max(starts) if starts else None
    refresh_followups(ctx, keep)
    days = refresh_order_facts(keep)
    refresh_lifecycle(
        ctx, keep, days=days, by=ctx.user.id, reason=f"merged with #{other.id}"
    )  # labels.STORED
    refresh_value_class(ctx, keep, exclude=(other.id,))


def _combine_history(ctx: Context, keep: Customer, other: Customer) -> None:
    """Recompute what the combined history gives: contacts, revenue, dates of moments."""
    both_contacted = keep.last_contact_at is not None and other.last_contact_at is not None
    keep.followups = keep.followups + other.followups + (1 if both_contacted else 0)
    if other.last_contact_at is not None and (
        keep.last_contact_at is None or other.last_contact_at > keep.last_contact_at
    ):
        keep.last_contact_at, keep.last_contact_on = other.last_contact_at, other.last_contact_on
    # The pending next step that comes first, so that neither side's plan is missed.
    pending = [
        (day, step)
        for day, step in (
            (keep.next_step_on, keep.next_step),
            (other.next_step_on, other.next_step),
        )
        if day is not None and (keep.last_contact_on is None or day > keep.last_contact_on)
    ]
    if pending:
        keep.next_step_on, keep.next_step = min(pending, key=lambda p: p[0])
    interactions = list(
        Interaction.select(Interaction.id, Interaction.followup_number)
        .where(Interaction.customer == keep.id)
        .order_by(Interaction.at, Interaction.id)
    )
    first = max(0, keep.followups - len(interactions) + 1)
    for offset, interaction in enumerate(interactions):
        if interaction.followup_number != first + offset:
            Interaction.update(followup_number=first + offset).where(
                Interaction.id == interaction.id
            ).execute()

    keep.revenue = revenue_sum(keep.id, ctx.config.receivables.revenue_counts)
    won = Order.select().where(Order.customer == keep.id).exists()
    keep.deal_status = _after_orders("deal_status", keep.deal_status, won)
    keep.status = _after_orders("status", keep.status, won)
    _combine_lifecycle(ctx, keep, other)
    for name in ("referral_moment_on", "referral_asked_on"):
        days = [d for d in (getattr(keep, name), getattr(other, name)) if d is not None]
        setattr(keep, name, max(days) if days else None)
    if other.created_at < keep.created_at:
        keep.created_at, keep.created_on = other.created_at, other.created_on
