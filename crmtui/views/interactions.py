"""A logged contact as the interaction log shows it: what happened, with whom, and who logged it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class InteractionRow:
    """One contact in the interaction log (across customers)."""

    id: int
    at: datetime
    customer_id: int
    customer: str
    """The customer's name."""
    channel: str
    outcome: str
    by: str
    """The login of who logged it."""
    by_name: str
    """Their display name, or their login when they have none."""
    summary: str
    next_step: str
