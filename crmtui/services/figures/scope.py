"""What every dashboard figure shares: whose customers and which day (`Scope`), and the small
helpers that turn SQL aggregates into the figures' numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from decimal import Decimal
from typing import Any, TypeVar

from peewee import SQL, ColumnBase, Function, Select, fn

from crmtui.db import Customer, User
from crmtui.rules import GRADE_ORDER, Lifecycle
from crmtui.services.access import owner_filter
from crmtui.services.context import Context

GRADES = tuple(g.value for g in GRADE_ORDER)
TERMINATED = Lifecycle.TERMINATED.value
OPEN_GRADES = GRADES[:-1]  # E is a dead customer (死亡客户)

_Query = TypeVar("_Query", bound=Select)
_Column = TypeVar("_Column", bound=ColumnBase)


@dataclass(frozen=True)
class Scope:
    """Whose customers and which day the figures are about."""

    owner_id: int | None
    """The one owner the figures are limited to, or None for everyone."""
    day: date
    zone: tzinfo

    def customers(self, query: _Query) -> _Query:
        """`query` (over customers) limited to the scope's owner."""
        return query if self.owner_id is None else query.where(Customer.owner == self.owner_id)

    def since(self, period: int) -> date:
        return self.day - timedelta(days=period - 1)


def scope_for(ctx: Context, *, everyone: bool = False, day: date | None = None) -> Scope:
    return Scope(
        owner_id=owner_filter(ctx, everyone=everyone), day=day or ctx.today(), zone=ctx.zone
    )


def raw_cents(expression: _Column) -> _Column:
    """A money aggregate as raw integer cents (no conversion to Decimal units)."""
    return expression.coerce(False)


def count_rows() -> Function:
    """COUNT(*): PostgreSQL answers it from an index alone, where counting a column reads the
    table's rows too (seconds on a million customers)."""
    return fn.COUNT(SQL("*"))


def to_money(cents: int | Decimal | None) -> Decimal:
    return (Decimal(int(cents or 0)) / 100).quantize(Decimal("0.01"))


def rounded(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


@dataclass(frozen=True)
class CustomerRow:
    """One customer behind a figure, as the dashboard lists them."""

    customer_id: int
    customer: str
    company: str
    grade: str
    owner: str
    next_due: date
    revenue: Decimal


def customer_rows_where(where: ColumnBase) -> Any:
    """A query for the CustomerRow columns of the customers `where` selects."""
    return (
        Customer.select(
            Customer.id,
            Customer.name,
            Customer.company,
            Customer.grade,
            User.login,
            Customer.next_due,
            Customer.revenue,
        )
        .join(User, on=(Customer.owner == User.id))
        .where(where)
    )
