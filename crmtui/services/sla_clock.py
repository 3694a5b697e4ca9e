"""A complaint's service-level clocks, read from its stored times (used by the complaint queue,
the due list and the dashboard; apart from the complaint workflow, so that `crmtui due` need not
load it).

Service time is counted in UTC when the policy uses calendar time, and in the user's zone when
it has business hours, because opening hours and holidays are local. While a complaint waits on
the customer its resolution clock is paused and the deadline shown moves with the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from crmtui.db import Complaint
from crmtui.rules import (
    DEFAULT_POLICY,
    OPEN_STATUSES,
    Severity,
    SlaPolicy,
    SlaState,
    resume_deadline,
    service_time_between,
    sla_deadlines,
    sla_state,
)
from crmtui.views.complaints import ClockFacts, SlaClock

OPEN = tuple(status.value for status in OPEN_STATUSES)


def in_service_zone(policy: SlaPolicy, zone: tzinfo, moment: datetime) -> datetime:
    return moment.astimezone(zone if policy.business_hours else timezone.utc)


def deadlines_for(
    opened_at: datetime,
    severity: Severity | str,
    policy: SlaPolicy = DEFAULT_POLICY,
    zone: tzinfo = timezone.utc,
) -> tuple[datetime, datetime]:
    """(respond_by, resolve_by) in UTC for a complaint opened at opened_at."""
    respond, resolve = sla_deadlines(in_service_zone(policy, zone, opened_at), severity, policy)
    return respond.astimezone(timezone.utc), resolve.astimezone(timezone.utc)


def deadline_after_pause(
    deadline: datetime,
    waiting_since: datetime,
    until: datetime,
    policy: SlaPolicy = DEFAULT_POLICY,
    zone: tzinfo = timezone.utc,
) -> tuple[datetime, timedelta]:
    """(the deadline moved by a pause from waiting_since to until, the service time paused)."""
    since = in_service_zone(policy, zone, waiting_since)
    moved = resume_deadline(in_service_zone(policy, zone, deadline), since, until, policy)
    return moved.astimezone(timezone.utc), service_time_between(since, until, policy)


def next_deadline(
    complaint: Complaint | ClockFacts,
    now: datetime,
    policy: SlaPolicy = DEFAULT_POLICY,
    zone: tzinfo = timezone.utc,
) -> tuple[str, datetime]:
    """Which clock runs now ('respond' or 'resolve') and its deadline.

    While waiting on the customer the resolution clock is paused, so its deadline moves with now.
    """
    if complaint.acknowledged_at is None:
        return "respond", complaint.respond_by
    deadline = complaint.resolve_by
    if complaint.waiting_since is not None:
        deadline, _paused = deadline_after_pause(
            deadline, complaint.waiting_since, now, policy, zone
        )
    return "resolve", deadline


read_utc = Complaint.opened_at.python_value
CLOCK_COLUMNS = (
    Complaint.status,
    Complaint.opened_at,
    Complaint.acknowledged_at,
    Complaint.respond_by,
    Complaint.resolve_by,
    Complaint.waiting_since,
    Complaint.resolved_at,
)
"""What sla_clock reads; select these, then facts_from_row(the raw values)."""


def facts_from_row(values: Sequence[Any]) -> ClockFacts:
    """ClockFacts from the raw database values of CLOCK_COLUMNS, in that order."""
    status, opened, acknowledged, respond, resolve, waiting, resolved = values
    return ClockFacts(
        status,
        read_utc(opened),
        read_utc(acknowledged),
        read_utc(respond),
        read_utc(resolve),
        read_utc(waiting),
        read_utc(resolved),
    )


def sla_clock(
    complaint: Complaint | ClockFacts,
    now: datetime,
    policy: SlaPolicy = DEFAULT_POLICY,
    zone: tzinfo = timezone.utc,
) -> SlaClock:
    """The service-level clock of a complaint (a model, or ClockFacts read from a row)."""
    if complaint.status not in OPEN:
        late = complaint.resolved_at is not None and complaint.resolved_at > complaint.resolve_by
        return SlaClock("", None, SlaState.BREACHED if late else SlaState.OK, None)
    which, deadline = next_deadline(complaint, now, policy, zone)
    paused, measured_at = False, now
    if which == "resolve" and complaint.waiting_since is not None:
        paused, measured_at = True, complaint.waiting_since
    state = sla_state(
        measured_at, complaint.opened_at, complaint.resolve_by if paused else deadline
    )
    return SlaClock(which, deadline, state, deadline - now, paused)
