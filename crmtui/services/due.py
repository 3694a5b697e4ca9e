"""Today's due list (SPEC §4.1): one indexed query per section, ordered by the rules.

Follow-ups come from the stored, indexed `customer.next_due` (index owner, next_due), never from
scanning interactions; care dates from the (lunar, month, day) index with the day keys the rules
give for the window; referral asks and drop risks from stored columns as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from crmtui.db import AccountPlan, CareDate, Commitment, Complaint, Customer, User
from crmtui.i18n import _
from crmtui.rules import (
    REFERRAL_WINDOW_DAYS,
    DueItem,
    DueKind,
    Grade,
    SlaState,
    care_window,
    next_lunar_occurrence,
    next_occurrence,
    order_due_items,
    overdue_days,
    sla_state,
)
from crmtui.services.complaints import OPEN, next_deadline
from crmtui.services.context import Context

_CUSTOMER_COLUMNS = (Customer.id, Customer.name, Customer.company, Customer.grade,
                     Customer.owner, User.login, User.display_name)


def _scoped(ctx: Context, query, everyone: bool):
    if ctx.role == "rep" or not everyone:
        return query.where(Customer.owner == ctx.user.id)
    return query


def _item(kind: DueKind, row, due: date, day: date, detail: str, ref_id=None,
          at_risk: bool = False) -> DueItem:
    customer = row if isinstance(row, Customer) else row.customer
    owner = customer.owner
    return DueItem(
        kind=kind, customer_id=customer.id, customer=customer.name, company=customer.company,
        grade=Grade(customer.grade), owner=owner.display_name or owner.login, due=due,
        overdue_days=overdue_days(due, day), detail=detail, ref_id=ref_id, at_risk=at_risk,
    )


def _customers(ctx: Context, everyone: bool):
    return _scoped(ctx, Customer.select(*_CUSTOMER_COLUMNS).join(User, on=Customer.owner), everyone)


def due_list(ctx: Context, day: date | None = None, *, everyone: bool = False,
             kinds: set[DueKind] | None = None) -> list[DueItem]:
    """Everything due on `day` (default today) for the user, or for everyone a manager sees."""
    day = day or ctx.today()
    wanted = kinds or set(DueKind)
    if ctx.role == "support":
        wanted &= {DueKind.COMPLAINT}
    items: list[DueItem] = []
    if DueKind.COMPLAINT in wanted:
        items += _complaints(ctx, day, everyone)
    if DueKind.PROMISE in wanted:
        items += _promises(ctx, day, everyone)
    if DueKind.FOLLOW_UP in wanted:
        items += _follow_ups(ctx, day, everyone)
    if DueKind.CARE in wanted:
        items += _care(ctx, day, everyone)
    if DueKind.REFERRAL in wanted:
        items += _referrals(ctx, day, everyone)
    if DueKind.DROPPED in wanted:
        items += _dropped(ctx, day, everyone)
    if DueKind.REVIEW in wanted:
        items += _reviews(ctx, day, everyone)
    return order_due_items(items)


def _follow_ups(ctx, day, everyone) -> list[DueItem]:
    query = _customers(ctx, everyone).select_extend(
        Customer.next_due, Customer.next_step, Customer.next_step_on, Customer.followups,
        Customer.cadence_due, Customer.last_contact_on,
    ).where(Customer.next_due <= day)
    items = []
    for row in query:
        late = overdue_days(row.next_due, day)
        if row.last_contact_on is None:
            why = _("first contact")
        elif row.next_step_on is not None and row.next_step_on == row.next_due:
            why = row.next_step or _("next step")
        else:
            why = _("cadence")
        if late:
            why += " · " + _("overdue {n} d").format(n=late)
        at_risk = row.grade in "ABC" and row.followups < 4 and row.cadence_due < day
        if at_risk:
            why += " · " + _("at risk of being dropped")
        items.append(_item(DueKind.FOLLOW_UP, row, row.next_due, day, why, at_risk=at_risk))
    return items


def _promises(ctx, day, everyone) -> list[DueItem]:
    query = (Commitment.select(Commitment.id, Commitment.text, Commitment.due, *_CUSTOMER_COLUMNS)
             .join(Customer).join(User, on=Customer.owner)
             .where((Commitment.status == "open") & (Commitment.due <= day)))
    query = _scoped(ctx, query, everyone)
    items = []
    for row in query:
        late = overdue_days(row.due, day)
        detail = row.text + (" · " + _("broken: {n} d late").format(n=late) if late else "")
        items.append(_item(DueKind.PROMISE, row, row.due, day, detail, ref_id=row.id))
    return items


def _complaints(ctx, day, everyone) -> list[DueItem]:
    now = ctx.now()
    query = (Complaint.select(Complaint, *_CUSTOMER_COLUMNS)
             .join(Customer).join(User, on=Customer.owner)
             .where(Complaint.status.in_(OPEN)))
    if ctx.role == "support":
        if not everyone:
            query = query.where((Complaint.owner == ctx.user.id) | Complaint.owner.is_null())
    elif ctx.role == "rep" or not everyone:
        query = query.where((Customer.owner == ctx.user.id) | (Complaint.owner == ctx.user.id))
    items = []
    for complaint in query:
        which, deadline = next_deadline(complaint, now)
        state = sla_state(now, complaint.opened_at, deadline)
        if state == SlaState.OK:
            continue
        left = deadline - now
        if state == SlaState.BREACHED:
            detail = _("{which} overdue by {time}").format(which=which, time=_span(-left))
        else:
            detail = _("{which} within {time}").format(which=which, time=_span(left))
        detail = f"{complaint.severity} · {complaint.summary} · {detail}"
        local_deadline = ctx.local_date(deadline)
        items.append(_item(DueKind.COMPLAINT, complaint, local_deadline, day, detail,
                           ref_id=complaint.id, at_risk=state == SlaState.AT_RISK))
    return items


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 48 * 60:
        return f"{minutes // 60}h{minutes % 60:02d}"
    return f"{minutes // 1440}d"


def _care(ctx, day, everyone) -> list[DueItem]:
    lead = ctx.config.care_lead_days
    window = care_window(day, lead)
    conditions = []
    solar_keys = sorted(window.solar)
    lunar_keys = sorted(window.lunar)
    if not solar_keys and not lunar_keys:
        return []
    from functools import reduce
    from operator import or_

    for month, dom in solar_keys:
        conditions.append((CareDate.lunar == False) & (CareDate.month == month)  # noqa: E712
                          & (CareDate.day == dom))
    for month, dom, leap in lunar_keys:
        conditions.append((CareDate.lunar == True) & (CareDate.month == month)  # noqa: E712
                          & (CareDate.day == dom) & (CareDate.leap == leap))
    query = (CareDate.select(CareDate, *_CUSTOMER_COLUMNS).join(Customer).join(User, on=Customer.owner)
             .where(reduce(or_, conditions)))
    query = _scoped(ctx, query, everyone)
    items = []
    for care in query:
        if care.lunar:
            when = next_lunar_occurrence(care.month, care.day, day, leap=care.leap)
        else:
            when = next_occurrence(care.month, care.day, day)
        if not day <= when <= day + timedelta(days=lead):
            continue
        if care.greeted_on is not None and care.greeted_on >= when - timedelta(days=lead):
            continue  # already cared for this occurrence
        label = _(care.kind)
        if care.kind == "birthday" and care.year and not care.lunar:
            label += " " + _("({age})").format(age=when.year - care.year)
        if care.lunar:
            label += " · " + _("lunar {month}/{day}").format(month=care.month, day=care.day)
        if when == day:
            label += " · " + _("today")
        else:
            label += " · " + _("in {n} d").format(n=(when - day).days)
        if care.note:
            label += " · " + care.note
        items.append(_item(DueKind.CARE, care, when, day, label, ref_id=care.id))
    return items


def _referrals(ctx, day, everyone) -> list[DueItem]:
    start = day - timedelta(days=REFERRAL_WINDOW_DAYS - 1)
    query = _customers(ctx, everyone).select_extend(Customer.referral_moment_on).where(
        (Customer.referral_moment_on >= start) & (Customer.referral_moment_on <= day)
        & (Customer.referral_asked_on.is_null()
           | (Customer.referral_asked_on < Customer.referral_moment_on))
    )
    return [_item(DueKind.REFERRAL, row, row.referral_moment_on, day,
                  _("ask for a referral (since {day})").format(day=row.referral_moment_on))
            for row in query]


def _dropped(ctx, day, everyone) -> list[DueItem]:
    """A–C customers with fewer than 4 follow-ups whose cadence ran out, not otherwise due."""
    query = _customers(ctx, everyone).select_extend(
        Customer.cadence_due, Customer.followups, Customer.next_due).where(
        Customer.grade.in_(["A", "B", "C"]) & (Customer.followups < 4)
        & (Customer.cadence_due < day) & (Customer.next_due > day))
    return [_item(DueKind.DROPPED, row, row.cadence_due, day,
                  _("{n} follow-ups, no contact since {day}; next planned {next}").format(
                      n=row.followups, day=row.cadence_due, next=row.next_due), at_risk=True)
            for row in query]


def _reviews(ctx, day, everyone) -> list[DueItem]:
    query = (AccountPlan.select(AccountPlan.id, AccountPlan.review_on, *_CUSTOMER_COLUMNS)
             .join(Customer).join(User, on=Customer.owner)
             .where(AccountPlan.review_on <= day))
    query = _scoped(ctx, query, everyone)
    return [_item(DueKind.REVIEW, row, row.review_on, day, _("account plan review"),
                  ref_id=row.id) for row in query]


@dataclass(frozen=True)
class Brief:
    due: int
    overdue_promises: int
    complaints_at_risk: int

    def __str__(self) -> str:
        if not (self.due or self.overdue_promises or self.complaints_at_risk):
            return _("nothing due")
        parts = [_("{n} due").format(n=self.due)]
        if self.overdue_promises:
            parts.append(_("{n} overdue promise", ).format(n=self.overdue_promises)
                         if self.overdue_promises == 1
                         else _("{n} overdue promises").format(n=self.overdue_promises))
        if self.complaints_at_risk:
            parts.append(_("{n} complaint at risk").format(n=self.complaints_at_risk)
                         if self.complaints_at_risk == 1
                         else _("{n} complaints at risk").format(n=self.complaints_at_risk))
        return ", ".join(parts)


def brief(items: list[DueItem]) -> Brief:
    promises = sum(1 for i in items if i.kind == DueKind.PROMISE and i.overdue_days > 0)
    complaints = sum(1 for i in items if i.kind == DueKind.COMPLAINT)
    return Brief(due=len(items) - promises - complaints, overdue_promises=promises,
                 complaints_at_risk=complaints)


def coming_up(ctx: Context, day: date | None = None, *, everyone: bool = False,
              limit: int = 5) -> list[DueItem]:
    """The next follow-ups after `day`, for an empty day to show what comes next."""
    day = day or ctx.today()
    query = (_customers(ctx, everyone).select_extend(Customer.next_due, Customer.next_step)
             .where(Customer.next_due > day).order_by(Customer.next_due, Customer.grade)
             .limit(limit))
    return [_item(DueKind.FOLLOW_UP, row, row.next_due, day,
                  row.next_step or _("cadence")) for row in query]

