"""A payment as recording it leaves it: the money received and what is still owed on its
order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class RecordedPayment:
    id: int
    order_id: int
    customer_id: int
    amount: Decimal
    on: date
    method: str
    note: str
    order_paid: Decimal
    """Paid on the order so far, this payment included."""
    order_owed: Decimal
    """Still owed on the order after this payment."""
