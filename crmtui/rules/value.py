"""Key customers and value tiers by revenue, 80/20 (SPEC 2.4)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal
from typing import TypeVar

from ._base import StrEnum

CustomerKey = TypeVar("CustomerKey", bound=Hashable)
"""What names a customer in a revenue mapping (an id, usually)."""


class Tier(StrEnum):
    KEY = "key"
    IMPORTANT = "important"
    ORDINARY = "ordinary"
    NONE = "none"


def _dec(x: Decimal | int | float | str) -> Decimal:
    # str() first so that 0.8 means 0.8, not its binary approximation.
    return x if isinstance(x, Decimal) else Decimal(str(x))


def _ranked(revenue: Mapping[CustomerKey, Decimal | int]) -> list[tuple[CustomerKey, Decimal]]:
    positive = [(cid, _dec(r)) for cid, r in revenue.items() if _dec(r) > 0]
    return sorted(positive, key=lambda item: (-item[1], item[0]))


def tier_at(
    revenue_ahead: Decimal,
    revenue: Decimal,
    total: Decimal,
    share: Decimal = Decimal("0.8"),
    important_share: Decimal = Decimal("0.95"),
) -> Tier:
    """The tier of one customer from its place in the ranking: the revenue of every customer
    ranked ahead of it (higher revenue, or equal revenue and smaller id) and the total.

    Lets a database answer for one customer with two sums instead of ranking everyone.
    """
    revenue, ahead, total = _dec(revenue), _dec(revenue_ahead), _dec(total)
    if revenue <= 0 or total <= 0:
        return Tier.NONE
    if ahead < _dec(share) * total:
        return Tier.KEY
    if ahead + revenue <= _dec(important_share) * total:
        return Tier.IMPORTANT
    return Tier.ORDINARY


def value_tiers(
    revenue: Mapping[CustomerKey, Decimal | int],
    share: Decimal = Decimal("0.8"),
    important_share: Decimal = Decimal("0.95"),
) -> dict[CustomerKey, Tier]:
    """The tier of every customer in revenue."""
    tiers = {cid: Tier.NONE for cid in revenue}
    ranked = _ranked(revenue)
    total = sum((r for _, r in ranked), Decimal(0))
    ahead = Decimal(0)
    for cid, r in ranked:
        tiers[cid] = tier_at(ahead, r, total, share, important_share)
        ahead += r
    return tiers


def key_customers(
    revenue: Mapping[CustomerKey, Decimal | int], share: Decimal = Decimal("0.8")
) -> set[CustomerKey]:
    """The shortest revenue-ranked prefix of customers holding at least share of the total."""
    return {cid for cid, tier in value_tiers(revenue, share).items() if tier is Tier.KEY}


def value_tier(
    customer_id: CustomerKey,
    revenue: Mapping[CustomerKey, Decimal | int],
    share: Decimal = Decimal("0.8"),
    important_share: Decimal = Decimal("0.95"),
) -> Tier:
    """The tier of one customer."""
    return value_tiers(revenue, share, important_share).get(customer_id, Tier.NONE)


def pareto(
    revenue: Mapping[CustomerKey, Decimal | int],
) -> list[tuple[CustomerKey, Decimal, Decimal]]:
    """(id, revenue, cumulative share 0..1) in rank order, customers with revenue only."""
    ranked = _ranked(revenue)
    total = sum((r for _, r in ranked), Decimal(0))
    rows, cumulative = [], Decimal(0)
    for cid, r in ranked:
        cumulative += r
        rows.append((cid, r, cumulative / total))
    return rows
