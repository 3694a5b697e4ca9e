from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmtui.rules import (
    DEFAULT_CADENCE,
    Bucket,
    Cadence,
    Grade,
    bucket_for,
    cadence_due,
    cadence_step,
    customer_due,
    default_cadence,
    next_due,
)


def test_defaults_and_overrides():
    assert [default_cadence(g) for g in Grade] == [
        Cadence.DAILY, Cadence.WEEKLY, Cadence.HALF_MONTHLY, Cadence.MONTHLY, Cadence.YEARLY
    ]
    assert DEFAULT_CADENCE[Grade.C] is Cadence.HALF_MONTHLY
    assert default_cadence("A", {"A": "weekly"}) is Cadence.WEEKLY
    assert default_cadence(Grade.B, {Grade.A: Cadence.WEEKLY}) is Cadence.WEEKLY
    assert default_cadence("D", {"D": "half_monthly", "E": "monthly"}) is Cadence.HALF_MONTHLY
    with pytest.raises(ValueError):
        default_cadence("A", {"A": "hourly"})


@pytest.mark.parametrize(
    ("last", "cadence", "due"),
    [
        (date(2026, 11, 23), "daily", date(2026, 11, 24)),
        (date(2026, 11, 23), "weekly", date(2026, 11, 30)),
        (date(2026, 11, 23), "half_monthly", date(2026, 12, 8)),
        (date(2026, 1, 31), "monthly", date(2026, 2, 28)),
        (date(2028, 1, 31), "monthly", date(2028, 2, 29)),
        (date(2028, 2, 29), "yearly", date(2029, 2, 28)),
        (date(2026, 12, 31), Cadence.MONTHLY, date(2027, 1, 31)),
        (date(2026, 12, 31), Cadence.DAILY, date(2027, 1, 1)),
    ],
)
def test_next_due_calendar(last, cadence, due):
    assert next_due(last, cadence) == due


def test_workdays_only():
    # 2026-11-27 is a Friday: daily lands on Saturday, 2026-11-28 + 1 on Sunday.
    assert next_due(date(2026, 11, 27), "daily", workdays_only=True) == date(2026, 11, 30)
    assert next_due(date(2026, 11, 28), "daily", workdays_only=True) == date(2026, 11, 30)
    assert next_due(date(2026, 11, 27), "daily") == date(2026, 11, 28)
    assert next_due(date(2026, 11, 23), "daily", workdays_only=True) == date(2026, 11, 24)


def test_explicit_wins():
    last = date(2026, 11, 23)
    # An explicit date is kept as given, even on a Sunday.
    assert next_due(last, "yearly", explicit=date(2026, 11, 29), workdays_only=True) == (
        date(2026, 11, 29)
    )
    for bad in (last, last - timedelta(days=1)):
        with pytest.raises(ValueError, match="must come after the interaction"):
            next_due(last, "daily", explicit=bad)


def test_customer_due():
    created = date(2026, 11, 1)
    assert customer_due(created, None, "weekly") == created
    assert customer_due(created, None, "weekly", explicit=date(2026, 12, 5)) == date(2026, 12, 5)
    assert customer_due(created, date(2026, 11, 20), "weekly") == date(2026, 11, 27)
    assert customer_due(created, date(2026, 11, 20), "weekly", explicit=date(2026, 12, 1)) == (
        date(2026, 12, 1)
    )


def test_cadence_due():
    assert cadence_due(date(2026, 11, 1), None, "weekly") == date(2026, 11, 1)
    assert cadence_due(date(2026, 11, 1), date(2026, 11, 20), "half_monthly") == date(2026, 12, 5)


@pytest.mark.parametrize(
    ("due", "bucket"),
    [
        (date(2026, 1, 1), Bucket.URGENT),
        (date(2026, 11, 23), Bucket.URGENT),
        (date(2026, 11, 30), Bucket.URGENT),  # + 7 days
        (date(2026, 12, 1), Bucket.SOON),
        (date(2026, 12, 23), Bucket.SOON),  # + 1 month
        (date(2026, 12, 24), Bucket.LATER),
        (date(2027, 2, 23), Bucket.LATER),  # + 3 months
        (date(2027, 2, 24), Bucket.SLOW),
    ],
)
def test_bucket_bounds(due, bucket):
    assert bucket_for(due, date(2026, 11, 23)) is bucket


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
cadences = st.sampled_from(Cadence)
BUCKET_ORDER = list(Bucket)


@given(last=days, cadence=cadences, workdays=st.booleans())
def test_next_due_after_last_and_within_step(last, cadence, workdays):
    due = next_due(last, cadence, workdays_only=workdays)
    assert last < due <= last + cadence_step(cadence) + timedelta(days=2)
    if workdays:
        assert due.weekday() < 5


@given(due=days, back=st.integers(min_value=0, max_value=500), step=st.integers(0, 500))
def test_bucket_moves_toward_urgent(due, back, step):
    today = due - timedelta(days=back)
    later = today + timedelta(days=step)
    assert BUCKET_ORDER.index(bucket_for(due, later)) <= BUCKET_ORDER.index(bucket_for(due, today))
