"""Customer satisfaction index (SPEC 2.8)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

DIMENSIONS: tuple[str, ...] = ("product", "service", "responsiveness", "value", "overall")


def csi(scores: Iterable[int]) -> float | None:
    """(mean − 1) / 4 × 100 of Likert 1–5 scores, one decimal, half up; None when empty."""
    scores = list(scores)
    if not scores:
        return None
    for score in scores:
        if not 1 <= score <= 5:
            raise ValueError(f"a satisfaction score must be between 1 and 5, not {score}")
    n = len(scores)
    index = Decimal((sum(scores) - n) * 25) / Decimal(n)
    return float(index.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
