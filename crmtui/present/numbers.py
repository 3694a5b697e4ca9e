"""Money, counts, shares and bars as people read them (plain strings, no rich)."""

from __future__ import annotations

from decimal import Decimal


def money(amount: Decimal | None) -> str:
    """12,000.00 ('' for None)."""
    if amount is None:
        return ""
    return f"{amount:,.2f}"


def money_cents(cents: int) -> str:
    """`money` of an amount stored as integer cents, without a Decimal (a team's list has
    thousands)."""
    whole, part = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{whole:,}.{part:02d}"


def count(n: int) -> str:
    """A count with thousands separated: 12,345."""
    return f"{n:,}"


def percent(share: float | None) -> str:
    """A share 0..1 as a percentage with one decimal ("–" when there is none)."""
    return "–" if share is None else f"{share * 100:.1f}%"


def share_of(share: float | None, met: int, measured: int) -> str:
    """A share with what it counts: 92.0% (23/25); "–" when nothing was measured."""
    return "–" if share is None else f"{percent(share)} ({met:,}/{measured:,})"


def bar(share: float, width: int = 30) -> str:
    """A horizontal bar for a share 0..1, `width` cells at most, in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + ("" if not part else " ▏▎▍▌▋▊▉"[part])


def share_style(share: float) -> str:
    """The colour of a service-level share: green from 90%, yellow from 75%, red below."""
    return "green" if share >= 0.9 else "yellow" if share >= 0.75 else "red"
