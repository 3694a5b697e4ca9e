"""Complaints (投诉): the clock that service levels are measured against."""

from __future__ import annotations

from datetime import datetime

from crmtui.db import Complaint
from crmtui.rules import OPEN_STATUSES

OPEN = tuple(status.value for status in OPEN_STATUSES)


def next_deadline(complaint: Complaint, now: datetime) -> tuple[str, datetime]:
    """Which clock runs now ('respond' or 'resolve') and its deadline.

    While waiting on the customer the resolution clock is paused, so its deadline moves with now.
    """
    if complaint.acknowledged_at is None:
        return "respond", complaint.respond_by
    deadline = complaint.resolve_by
    if complaint.waiting_since is not None:
        deadline += now - complaint.waiting_since
    return "resolve", deadline
