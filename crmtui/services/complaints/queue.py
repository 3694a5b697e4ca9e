"""The complaint queue and one complaint's detail, as frozen rows the screens and the command
line read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from peewee import JOIN, ModelSelect, SelectBase

from crmtui.db import Complaint, ComplaintEvent, Customer, Interaction, User
from crmtui.services.complaints.handling import (
    HANDLER_ROLES,
    SEVERITY_RANK,
    _now,
    _values,
    get_complaint,
    severity_value,
    status_value,
)
from crmtui.services.context import Context
from crmtui.services.sla_clock import (
    CLOCK_COLUMNS,
    OPEN,
    facts_from_row,
    read_utc,
    sla_clock,
)
from crmtui.views.complaints import ComplaintRecord, QueueRow, RecentContact, TimelineEvent

_QUEUE_COLUMNS = (
    Complaint.id,
    Complaint.customer,
    Customer.name,
    Customer.company,
    Complaint.severity,
    User.login,
    User.display_name,
    Complaint.summary,
    Complaint.category,
    Complaint.channel,
    Complaint.promised_at,
    Complaint.version,
    *CLOCK_COLUMNS,
)


def _queue_query(ctx: Context) -> ModelSelect[Complaint]:
    query = (
        Complaint.select(*_QUEUE_COLUMNS)
        .join(Customer, on=Complaint.customer)
        .switch(Complaint)
        .join(User, JOIN.LEFT_OUTER, on=Complaint.owner)
    )
    if ctx.role not in HANDLER_ROLES:
        query = query.where(Customer.owner == ctx.user.id)
    return query


def _rows(ctx: Context, query: SelectBase, now: datetime) -> list[QueueRow]:
    # Straight from the cursor: peewee's per-value conversions would cost more than the query.
    policy, zone, utc = ctx.config.sla, ctx.zone, read_utc
    rows: list[QueueRow] = []
    for row in ctx.store.db.execute(query).fetchall():
        facts = facts_from_row(row[12:])
        number, customer_id, customer, company, severity, owner, owner_name = row[:7]
        summary, category, channel, promised_at, version = row[7:12]
        rows.append(
            QueueRow(
                number,
                customer_id,
                customer,
                company,
                severity,
                owner,
                owner_name,
                summary,
                category,
                channel,
                utc(promised_at),
                version,
                facts,
                sla_clock(facts, now, policy, zone),
            )
        )
    return rows


def _queue_order(row: QueueRow) -> tuple[int, timedelta | float, int, int]:
    if row.sla.time_left is not None:
        return (0, row.sla.time_left, SEVERITY_RANK.get(row.severity, 9), row.id)
    # stopped clocks (resolved, closed) after the open ones, the newest first
    return (1, -row.opened_at.timestamp(), 0, -row.id)


def complaint_queue(
    ctx: Context,
    *,
    include_closed: bool = False,
    mine: bool = False,
    unassigned: bool = False,
    severity: Any = None,
    status: Any = None,
    customer_id: int | None = None,
) -> list[QueueRow]:
    """The complaints the user may see, most urgent first: by time left to the running deadline
    (respond_by until acknowledged, then resolve_by, moved by a running pause).

    Open complaints only, unless include_closed or a status filter names others. mine: those
    the user handles (for a rep, their customers' — all a rep sees anyway). severity and
    status take one value, a comma-separated text or a list.
    """
    now = _now(ctx)
    query = _queue_query(ctx)
    statuses = _values(status, status_value)
    severities = _values(severity, severity_value)
    if statuses:
        query = query.where(Complaint.status.in_(statuses))
    elif not include_closed:
        query = query.where(Complaint.status.in_(OPEN))
    if severities:
        query = query.where(Complaint.severity.in_(severities))
    if mine and ctx.role in HANDLER_ROLES:
        query = query.where(Complaint.owner == ctx.user.id)
    if unassigned:
        query = query.where(Complaint.owner.is_null())
    if customer_id is not None:
        query = query.where(Complaint.customer == customer_id)
    return sorted(_rows(ctx, query, now), key=_queue_order)


def complaint_row(ctx: Context, complaint_id: Any) -> QueueRow:
    """One complaint as a queue line (to refresh a row after an action)."""
    complaint = get_complaint(ctx, complaint_id)
    return _rows(ctx, _queue_query(ctx).where(Complaint.id == complaint.id), _now(ctx))[0]


@dataclass(frozen=True)
class ComplaintDetail:
    row: QueueRow
    complaint: ComplaintRecord
    events: list[TimelineEvent]
    """Oldest first."""
    interactions: list[RecentContact]
    """The customer's most recent contacts, newest first."""
    handler: bool
    """True when the user may act on it (support or manager)."""

    def to_json(self, ctx: Context) -> dict[str, Any]:
        c = self.complaint
        return {
            **self.row.to_json(),
            "description": c.description,
            "resolution": c.resolution,
            "root_cause": c.root_cause,
            "satisfaction": c.satisfaction,
            "closed_at": c.closed_at,
            "paused_seconds": c.paused_seconds,
            "created_by": c.created_by,
            "events": [
                {
                    "at": e.at,
                    "by": e.by,
                    "kind": e.kind,
                    "from": e.from_value,
                    "to": e.to_value,
                    "note": e.note,
                }
                for e in self.events
            ],
            "interactions": [
                {
                    "id": i.id,
                    "at": i.at,
                    "channel": i.channel,
                    "outcome": i.outcome,
                    "summary": i.summary,
                    "by": i.by,
                }
                for i in self.interactions
            ],
        }


def complaint_detail(ctx: Context, complaint_id: Any, *, interactions: int = 10) -> ComplaintDetail:
    """A complaint with its timeline and the customer's recent interactions."""
    row = complaint_row(ctx, complaint_id)
    complaint = (
        Complaint.select(Complaint, User)
        .join(User, on=Complaint.created_by)
        .where(Complaint.id == row.id)
        .get()
    )
    events = list(
        ComplaintEvent.select(ComplaintEvent, User)
        .join(User)
        .where(ComplaintEvent.complaint == row.id)
        .order_by(ComplaintEvent.at, ComplaintEvent.id)
    )
    recent = list(
        Interaction.select(Interaction, User)
        .join(User, on=Interaction.by)
        .where(Interaction.customer == row.customer_id)
        .order_by(Interaction.at.desc(), Interaction.id.desc())
        .limit(interactions)
    )
    return ComplaintDetail(
        row=row,
        complaint=ComplaintRecord(
            description=complaint.description,
            resolution=complaint.resolution,
            root_cause=complaint.root_cause,
            satisfaction=complaint.satisfaction,
            closed_at=complaint.closed_at,
            paused_seconds=complaint.paused_seconds,
            created_by=complaint.created_by.login,
        ),
        events=[
            TimelineEvent(e.at, e.by.login, e.kind, e.from_value, e.to_value, e.note)
            for e in events
        ],
        interactions=[
            RecentContact(i.id, i.at, i.channel, i.outcome, i.summary, i.by.login) for i in recent
        ],
        handler=ctx.role in HANDLER_ROLES,
    )
