"""Following work through: the manager's instructions (上级指令) and what customers still owe
(回款). Pure: today is always a parameter."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ._base import StrEnum


class InstructionState(StrEnum):
    """Where an instruction stands: open until reported done; late while open past its day."""

    OPEN = "open"
    LATE = "late"
    DONE = "done"


def instruction_state(due: date, done_on: date | None, today: date) -> InstructionState:
    """Done once reported done; otherwise late from the day after its due day, else open."""
    if done_on is not None:
        return InstructionState.DONE
    return InstructionState.LATE if due < today else InstructionState.OPEN


PAYMENT_TERMS_DAYS = 30
"""Days a customer has to pay from delivery (or from the order, before delivery)."""

AGE_BUCKETS = ("1-30", "31-60", "61-90", "91+")
"""Overdue receivables by days past the payment's due day (账龄): ≤ 30, 31–60, 61–90, > 90."""


def payment_due(owed_since: date, terms_days: int = PAYMENT_TERMS_DAYS) -> date:
    """The last day to pay what has been owed since `owed_since`."""
    return owed_since + timedelta(days=terms_days)


def days_overdue(owed_since: date, today: date, terms_days: int = PAYMENT_TERMS_DAYS) -> int:
    """Days past the payment's due day; 0 while it is not overdue."""
    return max(0, (today - payment_due(owed_since, terms_days)).days)


def age_bucket(overdue: int) -> str | None:
    """The ageing bucket of a balance `overdue` days past due; None when not overdue."""
    if overdue <= 0:
        return None
    if overdue <= 30:
        return AGE_BUCKETS[0]
    if overdue <= 60:
        return AGE_BUCKETS[1]
    if overdue <= 90:
        return AGE_BUCKETS[2]
    return AGE_BUCKETS[3]


class DeliveryState(StrEnum):
    """Where an order's delivery stands."""

    ORDERED = "ordered"
    DELIVERED = "delivered"
    PARTLY_DELIVERED = "partly_delivered"
    RETURNED = "returned"


DELIVERY_MOVES: dict[DeliveryState, frozenset[DeliveryState]] = {
    DeliveryState.ORDERED: frozenset(
        {DeliveryState.DELIVERED, DeliveryState.PARTLY_DELIVERED, DeliveryState.RETURNED}
    ),
    DeliveryState.PARTLY_DELIVERED: frozenset(
        {DeliveryState.DELIVERED, DeliveryState.PARTLY_DELIVERED, DeliveryState.RETURNED}
    ),
    DeliveryState.DELIVERED: frozenset({DeliveryState.RETURNED}),
    DeliveryState.RETURNED: frozenset(),
}
"""Which delivery states may follow which: a part delivery may be followed by more parts."""


def credit_excess(owed: Decimal, amount: Decimal, limit: Decimal | None) -> Decimal:
    """How far an order of `amount` takes a customer who owes `owed` past their credit limit
    (0 when it stays within it, or there is no limit)."""
    if limit is None:
        return Decimal(0)
    return max(Decimal(0), owed + amount - limit)
