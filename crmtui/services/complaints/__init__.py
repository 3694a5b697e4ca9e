"""Complaints (投诉): intake and the status workflow (`workflow`), the queue and one complaint's
detail (`queue`), metrics over a period (`metrics`); the service-level clocks are
`crmtui.services.sla_clock`. Everything is importable from here as it always was.

Every action is one call that reads the complaint, checks the role and the workflow
(`rules.TRANSITIONS`), writes the row with optimistic locking on `version` and appends a
`ComplaintEvent`, all in one short write transaction.

Service time is counted in UTC when the policy uses calendar time, and in the user's zone
(`ctx.zone`) when it has business hours, because opening hours and holidays are local.
While a complaint waits on the customer its resolution clock is paused: the deadline shown moves
with the clock, and on resuming `resolve_by` moves for good by the service time paused
(`paused_seconds` adds it up).
"""

from __future__ import annotations

from crmtui.services.complaints.handling import (
    COMPLAINT_FIELDS,
    HANDLER_ROLES,
    SEVERITIES,
    SEVERITY_RANK,
    STATUSES,
    get_complaint,
    move_refusal,
    severity_value,
    status_value,
)
from crmtui.services.complaints.metrics import (
    ComplaintMetrics,
    SlaBreakdown,
    SlaTally,
    complaint_metrics,
)
from crmtui.services.complaints.queue import (
    ComplaintDetail,
    complaint_detail,
    complaint_queue,
    complaint_row,
)
from crmtui.services.complaints.workflow import (
    acknowledge,
    add_note,
    assign,
    close,
    handlers,
    open_complaint,
    pause_note,
    reopen,
    resolve,
    resume,
    set_severity,
    severity_refusal,
    start_work,
    wait_for_customer,
)
from crmtui.services.sla_clock import (
    CLOCK_COLUMNS,
    OPEN,
    deadline_after_pause,
    deadlines_for,
    in_service_zone,
    read_utc,
    sla_clock,
)
from crmtui.views.complaints import ClockFacts, QueueRow, SlaClock

__all__ = [
    "CLOCK_COLUMNS",
    "COMPLAINT_FIELDS",
    "ClockFacts",
    "ComplaintDetail",
    "ComplaintMetrics",
    "HANDLER_ROLES",
    "OPEN",
    "QueueRow",
    "SEVERITIES",
    "SEVERITY_RANK",
    "STATUSES",
    "SlaBreakdown",
    "SlaClock",
    "SlaTally",
    "acknowledge",
    "add_note",
    "assign",
    "close",
    "complaint_detail",
    "complaint_metrics",
    "complaint_queue",
    "complaint_row",
    "deadline_after_pause",
    "deadlines_for",
    "get_complaint",
    "handlers",
    "in_service_zone",
    "move_refusal",
    "open_complaint",
    "pause_note",
    "read_utc",
    "reopen",
    "resolve",
    "resume",
    "set_severity",
    "severity_refusal",
    "severity_value",
    "sla_clock",
    "start_work",
    "status_value",
    "wait_for_customer",
]
