"""The grade ladder A–E (SPEC 2.1)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from ._base import N_, Explained, StrEnum


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"


class Need(StrEnum):
    CLEAR = "clear"
    POTENTIAL = "potential"
    NONE = "none"


GRADE_ORDER: tuple[Grade, ...] = tuple(Grade)


@lru_cache(maxsize=32)  # called for every customer graded on the same day
def grade_cutoffs(today: date) -> tuple[date, date, date]:
    """The inclusive latest close dates for A, B and C."""
    return (
        today + relativedelta(months=1),
        today + relativedelta(months=3),
        today + relativedelta(months=6),
    )


def grade_for(need: Need | str, expected_close: date | None, today: date) -> Grade:
    """The grade that follows from the need and the expected close date."""
    need = Need(need)
    if need is Need.NONE:
        return Grade.E
    if need is Need.POTENTIAL or expected_close is None:
        return Grade.D
    a, b, c = grade_cutoffs(today)
    if expected_close <= a:
        return Grade.A
    if expected_close <= b:
        return Grade.B
    if expected_close <= c:
        return Grade.C
    return Grade.D


def is_slipped(expected_close: date | None, today: date) -> bool:
    """True when the expected close date has passed."""
    return expected_close is not None and expected_close < today


def has_no_estimate(need: Need | str, expected_close: date | None, today: date) -> bool:
    """True for a clear need without a close date within six months."""
    return Need(need) is Need.CLEAR and (
        expected_close is None or expected_close > grade_cutoffs(today)[2]
    )


def grade_explanation(need: Need | str, expected_close: date | None, today: date) -> Explained:
    """Why grade_for gives its grade, as a catalogue message and its values."""
    need = Need(need)
    if need is Need.NONE:
        return Explained(N_("no need"))
    if need is Need.POTENTIAL:
        return Explained(N_("potential need"))
    if expected_close is None:
        return Explained(N_("clear need, no close estimate"))
    close = expected_close.isoformat()
    if is_slipped(expected_close, today):
        return Explained(N_("clear need, close date slipped ({day})"), day=close)
    for months, cutoff in zip((1, 3, 6), grade_cutoffs(today), strict=True):
        if expected_close <= cutoff:
            if months == 1:
                return Explained(N_("clear need, close {day} within 1 month"), day=close)
            return Explained(
                N_("clear need, close {day} within {months} months"), day=close, months=months
            )
    return Explained(N_("clear need, close {day} more than 6 months away"), day=close)


def grade_reason(need: Need | str, expected_close: date | None, today: date) -> str:
    """A short English reason for the grade grade_for gives (as stored in the grade history)."""
    return str(grade_explanation(need, expected_close, today))


def grade_rank(grade: Grade | str) -> int:
    """0 for A … 4 for E."""
    return GRADE_ORDER.index(Grade(grade))


def is_promotion(old: Grade | str, new: Grade | str) -> bool:
    """True when new is closer to A than old."""
    return grade_rank(new) < grade_rank(old)


def is_demotion(old: Grade | str, new: Grade | str) -> bool:
    """True when new is further from A than old."""
    return grade_rank(new) > grade_rank(old)
