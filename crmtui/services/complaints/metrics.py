"""Complaint metrics over a period: service levels met and missed by severity, volumes, and the
time to first response and to resolution."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from peewee import SQL, Case, Expression, Function, ModelSelect, fn

from crmtui.db import Complaint, Customer, User
from crmtui.db.rows import tuple_rows
from crmtui.services.complaints.handling import _S, HANDLER_ROLES, SEVERITIES, STATUSES, _now
from crmtui.services.context import Context


@dataclass(frozen=True)
class SlaTally:
    """Complaints that met or missed one target; pending ones have not reached it yet."""

    met: int = 0
    missed: int = 0
    pending: int = 0

    @property
    def share(self) -> float | None:
        """met / (met + missed), None when none was measured yet."""
        measured = self.met + self.missed
        return self.met / measured if measured else None

    def __add__(self, other: SlaTally) -> SlaTally:
        return SlaTally(
            self.met + other.met, self.missed + other.missed, self.pending + other.pending
        )

    def to_json(self) -> dict[str, Any]:
        share = self.share
        return {
            "met": self.met,
            "missed": self.missed,
            "pending": self.pending,
            "share": round(share, 4) if share is not None else None,
        }


@dataclass(frozen=True)
class SlaBreakdown:
    opened: int = 0
    response: SlaTally = SlaTally()
    resolution: SlaTally = SlaTally()

    def __add__(self, other: SlaBreakdown) -> SlaBreakdown:
        return SlaBreakdown(
            self.opened + other.opened,
            self.response + other.response,
            self.resolution + other.resolution,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "opened": self.opened,
            "response": self.response.to_json(),
            "resolution": self.resolution.to_json(),
        }


@dataclass(frozen=True)
class ComplaintMetrics:
    """Service levels of the complaints opened in a period, and satisfaction of those closed."""

    since: date
    until: date
    total: SlaBreakdown
    by_severity: dict[str, SlaBreakdown]
    """Every severity, most severe first, zero when none."""
    by_owner: dict[str, SlaBreakdown]
    """By the handler's login; '' for unassigned."""
    by_status: dict[str, int]
    """Current status of the complaints opened in the period."""
    closed: int
    """Complaints closed in the period (whenever opened)."""
    satisfaction: float | None
    """Average satisfaction 1–5 given at close in the period, two decimals."""
    satisfaction_counts: dict[int, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "until": self.until,
            **self.total.to_json(),
            "by_severity": {k: v.to_json() for k, v in self.by_severity.items()},
            "by_owner": {k: v.to_json() for k, v in self.by_owner.items()},
            "by_status": self.by_status,
            "closed": self.closed,
            "satisfaction": self.satisfaction,
            "satisfaction_counts": {str(k): v for k, v in self.satisfaction_counts.items()},
        }


def _period_bounds(
    ctx: Context, since: date | datetime, until: date | datetime
) -> tuple[datetime, datetime]:
    def start(day: date | datetime) -> datetime:
        if isinstance(day, datetime):
            return day
        return datetime.combine(day, time(0), tzinfo=ctx.zone)

    end = until if isinstance(until, datetime) else start(until + timedelta(days=1))
    return start(since).astimezone(timezone.utc), end.astimezone(timezone.utc)


def _count(condition: Expression) -> Function:
    return fn.SUM(Case(None, [(condition, 1)], 0))


def complaint_metrics(
    ctx: Context, since: date | datetime, until: date | datetime, *, everyone: bool = False
) -> ComplaintMetrics:
    """Shares answered within the first-response target and resolved within the resolution
    target, per severity and per owner, for complaints opened from `since` to `until` (local
    days, both included; or datetimes, until excluded). A target counts as met or missed once
    the complaint was answered (resolved) or its deadline passed; before that it is pending —
    a complaint waiting on the customer has missed only if it was late before the pause.

    Scope: reps see their customers' complaints; without `everyone`, others see those they
    handle or that are on their customers; with it, support and managers see all.
    """
    start, end = _period_bounds(ctx, since, until)
    now = _now(ctx)
    c = Complaint
    answered = c.acknowledged_at.is_null(False)
    resolved = c.resolved_at.is_null(False)
    late_before_pause = c.waiting_since.is_null(False) & (c.resolve_by < c.waiting_since)
    running_late = c.waiting_since.is_null() & (c.resolve_by < now)
    query = (
        c.select(
            c.severity,
            c.owner,
            c.status,
            fn.COUNT(SQL("*")).alias("opened"),
            _count(answered & (c.acknowledged_at <= c.respond_by)).alias("response_met"),
            _count(
                (answered & (c.acknowledged_at > c.respond_by)) | (~answered & (c.respond_by < now))
            ).alias("response_missed"),
            _count(resolved & (c.resolved_at <= c.resolve_by)).alias("resolution_met"),
            _count(
                (resolved & (c.resolved_at > c.resolve_by))
                | (~resolved & (late_before_pause | running_late))
            ).alias("resolution_missed"),
        )
        .where((c.opened_at >= start) & (c.opened_at < end))
        .group_by(c.severity, c.owner, c.status)
    )
    query = _metrics_scope(ctx, query, everyone)
    logins = dict(tuple_rows(User.select(User.id, User.login), tuple[int, str]))
    by_severity = {s: SlaBreakdown() for s in SEVERITIES}
    by_owner: dict[str, SlaBreakdown] = {}
    by_status = {s: 0 for s in STATUSES}
    for severity, owner_id, status, opened, *sums in tuple_rows(
        query, tuple[str, int | None, str, int, int | None, int | None, int | None, int | None]
    ):
        opened = int(opened)
        response_met, response_missed, resolution_met, resolution_missed = (
            int(n or 0) for n in sums
        )
        part = SlaBreakdown(
            opened,
            SlaTally(response_met, response_missed, opened - response_met - response_missed),
            SlaTally(
                resolution_met, resolution_missed, opened - resolution_met - resolution_missed
            ),
        )
        by_severity[severity] = by_severity.get(severity, SlaBreakdown()) + part
        owner = logins.get(owner_id, "") if owner_id is not None else ""
        by_owner[owner] = by_owner.get(owner, SlaBreakdown()) + part
        by_status[status] = by_status.get(status, 0) + opened
    total = sum(by_severity.values(), SlaBreakdown())

    # rows counted, not ids (the same count): an index of the closes could answer alone
    closes = (
        c.select(c.satisfaction, fn.COUNT(SQL("*")).alias("n"))
        .where((c.status == _S.CLOSED.value) & (c.closed_at >= start) & (c.closed_at < end))
        .group_by(c.satisfaction)
    )
    closes = _metrics_scope(ctx, closes, everyone)
    counts = {score: int(n) for score, n in tuple_rows(closes, tuple[int | None, int])}
    scored = {score: n for score, n in sorted(counts.items()) if score is not None}
    given = sum(scored.values())
    average = round(sum(s * n for s, n in scored.items()) / given, 2) if given else None
    return ComplaintMetrics(
        since=since.date() if isinstance(since, datetime) else since,
        until=until.date() if isinstance(until, datetime) else until,
        total=total,
        by_severity=by_severity,
        by_owner=dict(sorted(by_owner.items())),
        by_status=by_status,
        closed=sum(counts.values()),
        satisfaction=average,
        satisfaction_counts=scored,
    )


def _metrics_scope(
    ctx: Context, query: ModelSelect[Complaint], everyone: bool
) -> ModelSelect[Complaint]:
    """Join the customer only when the scope needs its owner."""
    if ctx.role not in HANDLER_ROLES:
        return query.join(Customer, on=Complaint.customer).where(Customer.owner == ctx.user.id)
    if not everyone:
        return query.join(Customer, on=Complaint.customer).where(
            (Complaint.owner == ctx.user.id) | (Customer.owner == ctx.user.id)
        )
    return query
