"""Customer satisfaction index (SPEC 2.8)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

DIMENSIONS: tuple[str, ...] = ("product", "service", "responsiveness", "value", "overall")
"""The five dimensions of SPEC 2.8, and the default a team's survey asks about."""
COMPETITORS = "competitors"
"""A known dimension beyond the five: the customer's comparison with our competitors
(1 much worse … 5 much better)."""


def csi(scores: Iterable[int]) -> float | None:
    """(mean − 1) / 4 × 100 of Likert 1–5 scores, one decimal, half up; None when empty."""
    scores = list(scores)
    for score in scores:
        if not 1 <= score <= 5:
            raise ValueError(f"a satisfaction score must be between 1 and 5, not {score}")
    return csi_of_total(sum(scores), len(scores))


def csi_of_total(total: int, count: int) -> float | None:
    """csi() of `count` scores that add up to `total` (what a database sums per period)."""
    if count == 0:
        return None
    if not count <= total <= 5 * count:
        raise ValueError(f"{count} scores of 1–5 cannot add up to {total}")
    index = Decimal((total - count) * 25) / Decimal(count)
    return float(index.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
