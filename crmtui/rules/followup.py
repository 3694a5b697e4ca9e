"""Persistence of follow-up (SPEC 2.3)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from .grades import Grade

FOLLOWUP_STAGES: tuple[str, ...] = ("first", "1", "2", "3", "4-11", "12+")

# Percent of sales closing at each stage, as the manuals cite it.
FOLLOWUP_REFERENCE: Mapping[str, int] = MappingProxyType(
    {"first": 2, "1": 3, "2": 5, "3": 10, "4-11": 80}
)

_AT_RISK_GRADES = frozenset({Grade.A, Grade.B, Grade.C})


def followup_stage(n: int) -> str:
    """The stage label for a count of follow-ups after the first contact."""
    if n < 0:
        raise ValueError(f"a follow-up count cannot be negative ({n})")
    if n == 0:
        return "first"
    if n <= 3:
        return str(n)
    return "4-11" if n <= 11 else "12+"


def at_risk_of_drop(
    grade: Grade | str | None, followups: int, cadence_due: date, today: date
) -> bool:
    """An A–C customer with fewer than 4 follow-ups whose cadence has run out."""
    return (
        grade is not None
        and Grade(grade) in _AT_RISK_GRADES
        and followups < 4
        and cadence_due < today
    )
