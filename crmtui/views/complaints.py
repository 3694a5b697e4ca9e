"""A complaint as the queue, its screen and the due list read it: the stored facts its
service-level clocks are read from, where it stands against them, and the queue's row."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from crmtui.rules import SlaState


class Handler(NamedTuple):
    """Someone a complaint can be given to: an active support person or manager."""

    login: str
    display_name: str
    role: str

    @property
    def label(self) -> str:
        return self.display_name or self.login


class ComplaintState(NamedTuple):
    """A complaint as a step of its workflow left it."""

    id: int
    customer_id: int
    severity: str
    status: str
    owner: str | None
    """Login of whoever handles it; None while unassigned."""
    opened_at: datetime
    promised_at: datetime | None
    respond_by: datetime
    resolve_by: datetime
    satisfaction: int | None
    version: int


class ComplaintNote(NamedTuple):
    """A note added to a complaint's timeline."""

    complaint_id: int
    at: datetime
    note: str


class ComplaintRecord(NamedTuple):
    """What a complaint's detail shows beyond its queue row."""

    description: str
    resolution: str
    root_cause: str
    satisfaction: int | None
    closed_at: datetime | None
    paused_seconds: int
    created_by: str
    """Login of who recorded it."""


class TimelineEvent(NamedTuple):
    """One entry of a complaint's timeline."""

    at: datetime
    by: str
    """Login of who made the change."""
    kind: str
    from_value: str
    to_value: str
    note: str


class RecentContact(NamedTuple):
    """A recent contact with the complaining customer, as the detail lists it."""

    id: int
    at: datetime
    channel: str
    outcome: str
    summary: str
    by: str
    """Login of who logged it."""


class ClockFacts(NamedTuple):
    """The stored facts a complaint's clock is read from (times aware, UTC)."""

    status: str
    opened_at: datetime
    acknowledged_at: datetime | None
    respond_by: datetime
    resolve_by: datetime
    waiting_since: datetime | None
    resolved_at: datetime | None = None


class SlaClock(NamedTuple):
    """Where a complaint stands against its service levels at one moment."""

    clock: str
    """'respond' until acknowledged, then 'resolve'; '' once resolved or closed."""
    deadline: datetime | None
    """The running clock's deadline (moving with the pause while waiting); None when stopped."""
    state: SlaState
    """ok / at_risk / breached; while paused, the state when the pause began; once stopped,
    whether the resolution came within its target."""
    time_left: timedelta | None
    """Until the deadline, negative when overdue; None when stopped."""
    paused: bool = False


class QueueRow(NamedTuple):
    """One line of the complaints queue, with its service-level clock at the moment read."""

    id: int
    customer_id: int
    customer: str
    company: str
    severity: str
    owner: str | None
    """Login of the support person or manager handling it; None while unassigned."""
    owner_name: str | None
    summary: str
    category: str
    channel: str
    promised_at: datetime | None
    version: int
    facts: ClockFacts
    sla: SlaClock

    @property
    def status(self) -> str:
        return self.facts.status

    @property
    def opened_at(self) -> datetime:
        return self.facts.opened_at

    @property
    def respond_by(self) -> datetime:
        return self.facts.respond_by

    @property
    def resolve_by(self) -> datetime:
        return self.facts.resolve_by

    @property
    def acknowledged_at(self) -> datetime | None:
        return self.facts.acknowledged_at

    @property
    def waiting_since(self) -> datetime | None:
        return self.facts.waiting_since

    @property
    def resolved_at(self) -> datetime | None:
        return self.facts.resolved_at

    @property
    def sla_state(self) -> SlaState:
        return self.sla.state

    @property
    def time_left(self) -> timedelta | None:
        return self.sla.time_left

    def to_json(self) -> dict[str, object]:
        left = self.sla.time_left
        return {
            "id": self.id,
            "customer_id": self.customer_id,
            "customer": self.customer,
            "company": self.company,
            "severity": self.severity,
            "status": self.status,
            "owner": self.owner,
            "summary": self.summary,
            "category": self.category,
            "channel": self.channel,
            "opened_at": self.opened_at,
            "respond_by": self.respond_by,
            "resolve_by": self.resolve_by,
            "acknowledged_at": self.acknowledged_at,
            "promised_at": self.promised_at,
            "waiting_since": self.waiting_since,
            "resolved_at": self.resolved_at,
            "clock": self.sla.clock or None,
            "deadline": self.sla.deadline,
            "sla_state": self.sla.state.value,
            "time_left_seconds": int(left.total_seconds()) if left is not None else None,
            "paused": self.sla.paused,
            "version": self.version,
        }
