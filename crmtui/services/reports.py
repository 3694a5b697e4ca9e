"""The end-of-day (and end-of-week) review (每日工作计划/总结): what was done, what was missed,
promises kept and broken, new complaints, grade changes, orders, and the next day's plan.

A daily report covers one local day. A weekly report covers the Monday–Sunday week holding the
day, up to today at the latest (a report on Friday covers Monday to Friday: days still to come
have nothing done or missed yet). The plan is the due list of the day after the last day
covered.

Scope follows the user's lists (`access.owner_filter`): their own customers and the
interactions they logged; with `everyone`, managers (and support) get the whole team's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from peewee import Expression, Model, ModelSelect

from crmtui.db import (
    Commitment,
    Complaint,
    Customer,
    GradeChange,
    Interaction,
    Order,
    Payment,
    User,
)
from crmtui.db.rows import tuple_rows
from crmtui.errors import InvalidInput
from crmtui.i18n import _
from crmtui.rules import DueItem, overdue_days
from crmtui.services.access import owner_filter
from crmtui.services.appointment_views import AppointmentView, schedule
from crmtui.services.appointments import schedule_kept
from crmtui.services.context import Context
from crmtui.services.due import due_list
from crmtui.services.instructions import InstructionRow, list_instructions

KINDS = ("daily", "weekly")

Record = TypeVar("Record", bound=Model)


@dataclass(frozen=True)
class Done:
    """An interaction logged in the period."""

    at: datetime
    customer_id: int
    customer: str
    grade: str
    channel: str
    outcome: str
    summary: str
    followup_number: int
    by: str

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "customer_id": self.customer_id,
            "customer": self.customer,
            "grade": self.grade,
            "channel": self.channel,
            "outcome": self.outcome,
            "summary": self.summary,
            "followup_number": self.followup_number,
            "by": self.by,
        }


@dataclass(frozen=True)
class Missed:
    """A follow-up that fell due in the period and is still not done."""

    customer_id: int
    customer: str
    company: str
    grade: str
    owner: str
    due: date
    overdue_days: int
    next_step: str

    def to_json(self) -> dict[str, Any]:
        return {
            "customer_id": self.customer_id,
            "customer": self.customer,
            "company": self.company,
            "grade": self.grade,
            "owner": self.owner,
            "due": self.due,
            "overdue_days": self.overdue_days,
            "next_step": self.next_step,
        }


@dataclass(frozen=True)
class PromiseRow:
    promise_id: int
    customer_id: int
    customer: str
    text: str
    due: date
    status: str
    closed_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.promise_id,
            "customer_id": self.customer_id,
            "customer": self.customer,
            "text": self.text,
            "due": self.due,
            "status": self.status,
            "closed_at": self.closed_at,
        }


@dataclass(frozen=True)
class ComplaintRow:
    complaint_id: int
    customer_id: int
    customer: str
    severity: str
    summary: str
    status: str
    opened_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.complaint_id,
            "customer_id": self.customer_id,
            "customer": self.customer,
            "severity": self.severity,
            "summary": self.summary,
            "status": self.status,
            "opened_at": self.opened_at,
        }


@dataclass(frozen=True)
class GradeMove:
    customer_id: int
    customer: str
    at: datetime
    from_grade: str | None
    to_grade: str
    reason: str
    by: str
    """The login of who changed it; '' when the calendar moved it."""

    def to_json(self) -> dict[str, Any]:
        return {
            "customer_id": self.customer_id,
            "customer": self.customer,
            "at": self.at,
            "from": self.from_grade,
            "to": self.to_grade,
            "reason": self.reason,
            "by": self.by,
        }


@dataclass(frozen=True)
class OrderRow:
    order_id: int
    customer_id: int
    customer: str
    on: date
    product: str
    quantity: int
    amount: Decimal

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.order_id,
            "customer_id": self.customer_id,
            "customer": self.customer,
            "on": self.on,
            "product": self.product,
            "quantity": self.quantity,
            "amount": self.amount,
        }


@dataclass(frozen=True)
class DeliveryRow:
    order_id: int
    customer_id: int
    customer: str
    on: date
    product: str
    amount: Decimal
    delivery: str

    def to_json(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "customer_id": self.customer_id,
            "customer": self.customer,
            "on": self.on,
            "product": self.product,
            "amount": self.amount,
            "delivery": self.delivery,
        }


@dataclass(frozen=True)
class PaymentRow:
    payment_id: int
    order_id: int
    customer_id: int
    customer: str
    on: date
    amount: Decimal
    method: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.payment_id,
            "order_id": self.order_id,
            "customer_id": self.customer_id,
            "customer": self.customer,
            "on": self.on,
            "amount": self.amount,
            "method": self.method,
        }


@dataclass(frozen=True)
class Report:
    kind: str
    """daily or weekly."""
    day: date
    start: date
    end: date
    """The last day covered (inclusive)."""
    user: str
    team: bool
    done: list[Done]
    missed: list[Missed]
    backlog: int
    """Follow-ups that fell due before the period and are still not done."""
    promises_kept: list[PromiseRow]
    promises_broken: list[PromiseRow]
    promises_open: list[PromiseRow]
    """Promises due in the period and not kept yet."""
    complaints: list[ComplaintRow]
    grade_changes: list[GradeMove]
    orders: list[OrderRow]
    plan_day: date
    plan: list[DueItem]
    # the schedule kept and missed: appointments held, moved from the time first booked, and
    # passed unlogged; the next day's appointments beside its plan
    appointments_done: list[AppointmentView] = field(default_factory=list)
    appointments_moved: list[AppointmentView] = field(default_factory=list)
    appointments_missed: list[AppointmentView] = field(default_factory=list)
    plan_appointments: list[AppointmentView] = field(default_factory=list)
    # the day's follow-through: the manager's instructions reported done in the period and
    # those still open at its end; first deliveries (and returns) and payments received.
    instructions_done: list[InstructionRow] = field(default_factory=list)
    instructions_open: list[InstructionRow] = field(default_factory=list)
    deliveries: list[DeliveryRow] = field(default_factory=list)
    payments: list[PaymentRow] = field(default_factory=list)

    @property
    def received(self) -> Decimal:
        return sum((payment.amount for payment in self.payments), Decimal("0.00"))

    @property
    def order_total(self) -> Decimal:
        return sum((order.amount for order in self.orders), Decimal("0.00"))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "date": self.day,
            "start": self.start,
            "end": self.end,
            "user": self.user,
            "team": self.team,
            "done": [row.to_json() for row in self.done],
            "missed": [row.to_json() for row in self.missed],
            "backlog": self.backlog,
            "promises_kept": [row.to_json() for row in self.promises_kept],
            "promises_broken": [row.to_json() for row in self.promises_broken],
            "promises_open": [row.to_json() for row in self.promises_open],
            "complaints": [row.to_json() for row in self.complaints],
            "grade_changes": [row.to_json() for row in self.grade_changes],
            "orders": [row.to_json() for row in self.orders],
            "order_total": self.order_total,
            "plan_date": self.plan_day,
            "plan": [item.to_json() for item in self.plan],
            "appointments_done": [row.to_json() for row in self.appointments_done],
            "appointments_moved": [row.to_json() for row in self.appointments_moved],
            "appointments_missed": [row.to_json() for row in self.appointments_missed],
            "plan_appointments": [row.to_json() for row in self.plan_appointments],
            "instructions_done": [row.to_json() for row in self.instructions_done],
            "instructions_open": [row.to_json() for row in self.instructions_open],
            "deliveries": [row.to_json() for row in self.deliveries],
            "payments": [row.to_json() for row in self.payments],
            "received": self.received,
        }


def report_period(kind: str, day: date, today: date) -> tuple[date, date]:
    """The first and last day a report on `day` covers."""
    if kind not in KINDS:
        raise InvalidInput.one(
            "kind", _("a report is daily or weekly, not {kind}").format(kind=kind)
        )
    if day > today:
        raise InvalidInput.one(
            "date",
            _("{day} has not come yet; a report covers days up to today").format(
                day=day.isoformat()
            ),
        )
    if kind == "daily":
        return day, day
    monday = day - timedelta(days=day.weekday())
    return monday, min(monday + timedelta(days=6), today)


def build_report(
    ctx: Context, kind: str = "daily", day: date | None = None, *, everyone: bool = False
) -> Report:
    """The review of `day` (default today) or of its week."""
    today = ctx.today()
    day = day or today
    start, end = report_period(kind, day, today)
    owner = owner_filter(ctx, everyone=everyone)
    since = datetime.combine(start, time(0), tzinfo=ctx.zone)
    until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=ctx.zone)
    logins = dict(tuple_rows(User.select(User.id, User.login), tuple[int, str]))

    def mine(query: ModelSelect[Record]) -> ModelSelect[Record]:
        return query if owner is None else query.where(Customer.owner == owner)

    i = Interaction
    done = (
        i.select(
            i.at,
            Customer.id,
            Customer.name,
            Customer.grade,
            i.channel,
            i.outcome,
            i.summary,
            i.followup_number,
            i.by,
        )
        .join(Customer, on=(i.customer == Customer.id))
        .where((i.at >= since) & (i.at < until))
        .order_by(i.at, i.id)
    )
    if owner is not None:
        done = done.where(i.by == ctx.user.id)

    missed = mine(
        Customer.select(
            Customer.id,
            Customer.name,
            Customer.company,
            Customer.grade,
            Customer.owner,
            Customer.next_due,
            Customer.next_step,
        )
        .where((Customer.next_due >= start) & (Customer.next_due <= end))
        .order_by(Customer.next_due, Customer.grade, Customer.name, Customer.id)
    )
    backlog = mine(Customer.select().where(Customer.next_due < start)).count()

    p = Commitment
    promise_columns = (p.id, Customer.id, Customer.name, p.text, p.due, p.status, p.closed_at)

    def promises(condition: Expression) -> list[PromiseRow]:
        return [
            PromiseRow(*row)
            for row in tuple_rows(
                mine(
                    p.select(*promise_columns)
                    .join(Customer, on=(p.customer == Customer.id))
                    .where(condition)
                    .order_by(p.due, p.id)
                ),
                tuple[int, int, str, str, date, str, datetime | None],
            )
        ]

    closed_in_period = (p.closed_at >= since) & (p.closed_at < until)

    c = Complaint
    complaints = (
        c.select(c.id, Customer.id, Customer.name, c.severity, c.summary, c.status, c.opened_at)
        .join(Customer, on=(c.customer == Customer.id))
        .where((c.opened_at >= since) & (c.opened_at < until))
        .order_by(c.opened_at, c.id)
    )
    if owner is not None:
        complaints = complaints.where((Customer.owner == owner) | (c.owner == ctx.user.id))

    g = GradeChange
    moves = mine(
        g.select(Customer.id, Customer.name, g.at, g.from_grade, g.to_grade, g.reason, g.by)
        .join(Customer, on=(g.customer == Customer.id))
        .where((g.on >= start) & (g.on <= end))
        .order_by(g.at, g.id)
    )

    o = Order
    orders = mine(
        o.select(o.id, Customer.id, Customer.name, o.on, o.product, o.quantity, o.amount)
        .join(Customer, on=(o.customer == Customer.id))
        .where((o.on >= start) & (o.on <= end))
        .order_by(o.on, o.id)
    )

    delivered = mine(
        o.select(o.id, Customer.id, Customer.name, o.delivered_on, o.product, o.amount, o.delivery)
        .join(Customer, on=(o.customer == Customer.id))
        .where((o.delivered_on >= start) & (o.delivered_on <= end))
        .order_by(o.delivered_on, o.id)
    )
    pay = Payment
    received = mine(
        pay.select(pay.id, pay.order, Customer.id, Customer.name, pay.on, pay.amount, pay.method)
        .join(Customer, on=(pay.customer == Customer.id))
        .where((pay.on >= start) & (pay.on <= end))
        .order_by(pay.on, pay.id)
    )
    instructions = [
        row
        for row in list_instructions(ctx, "all", day=end, everyone=owner is None)
        if row.done_on is None or start <= row.done_on <= end
    ]

    plan_day = end + timedelta(days=1)
    kept = schedule_kept(ctx, start, end, everyone=owner is None)
    return Report(
        kind=kind,
        day=day,
        start=start,
        end=end,
        user=ctx.user.login,
        team=owner is None,
        done=[
            Done(at, cid, name, grade, channel, outcome, summary, number, logins.get(by, ""))
            for at, cid, name, grade, channel, outcome, summary, number, by in tuple_rows(
                done, tuple[datetime, int, str, str, str, str, str, int, int]
            )
        ],
        missed=[
            Missed(
                cid,
                name,
                company,
                grade,
                logins.get(owner_id, ""),
                due,
                overdue_days(due, end),
                step,
            )
            for cid, name, company, grade, owner_id, due, step in tuple_rows(
                missed, tuple[int, str, str, str, int, date, str]
            )
        ],
        backlog=backlog,
        promises_kept=promises((p.status == "done") & closed_in_period),
        promises_broken=promises((p.status == "broken") & closed_in_period),
        promises_open=promises((p.status == "open") & (p.due >= start) & (p.due <= end)),
        complaints=[
            ComplaintRow(*row)
            for row in tuple_rows(complaints, tuple[int, int, str, str, str, str, datetime])
        ],
        grade_changes=[
            GradeMove(cid, name, at, old, new, reason, "" if by is None else logins.get(by, ""))
            for cid, name, at, old, new, reason, by in tuple_rows(
                moves, tuple[int, str, datetime, str | None, str, str, int | None]
            )
        ],
        orders=[
            OrderRow(*row)
            for row in tuple_rows(orders, tuple[int, int, str, date, str, int, Decimal])
        ],
        plan_day=plan_day,
        plan=due_list(ctx, plan_day, everyone=everyone),
        appointments_done=kept.done,
        appointments_moved=kept.moved,
        appointments_missed=kept.missed,
        plan_appointments=schedule(ctx, plan_day, everyone=owner is None),
        instructions_done=[row for row in instructions if row.done_on is not None],
        instructions_open=[row for row in instructions if row.done_on is None],
        deliveries=[
            DeliveryRow(*row)
            for row in tuple_rows(delivered, tuple[int, int, str, date, str, Decimal, str])
        ],
        payments=[
            PaymentRow(*row)
            for row in tuple_rows(received, tuple[int, int, int, str, date, Decimal, str])
        ],
    )
