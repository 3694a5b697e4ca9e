"""Moments to ask for a referral (SPEC 2.7)."""

from __future__ import annotations

from datetime import date, timedelta

from ._base import Value

REFERRAL_WINDOW_DAYS = 7
REFERRAL_KINDS = frozenset({"order", "interaction", "satisfaction"})


class ReferralEvent(Value):
    """Something that happened with a customer: an order, an interaction or a satisfaction score."""

    __slots__ = ("kind", "outcome", "score")
    kind: str
    outcome: str | None
    score: int | None

    def __init__(self, kind: str, outcome: str | None = None, score: int | None = None) -> None:
        if kind not in REFERRAL_KINDS:
            raise ValueError(f"unknown referral event kind {kind!r}")
        super().__init__(kind=kind, outcome=outcome, score=score)


def referral_moment(event: ReferralEvent) -> bool:
    """True for a purchase, a positive interaction or a satisfaction score of 4 or 5."""
    if event.kind == "order":
        return True
    if event.kind == "interaction":
        return event.outcome == "positive"
    return event.score is not None and event.score >= 4


def referral_ask_due(moment_on: date, asked_on: date | None, today: date) -> bool:
    """True for 7 days from the moment, unless a referral was asked for since."""
    in_window = moment_on <= today < moment_on + timedelta(days=REFERRAL_WINDOW_DAYS)
    return in_window and (asked_on is None or asked_on < moment_on)
