"""Target periods and their arithmetic, plan progress and forecast weights, with exact dates."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmtui.rules import (
    DEFAULT_CONVERSION,
    Grade,
    PeriodError,
    PeriodKind,
    conversion_weights,
    days_left,
    grades_before,
    grades_held,
    parse_period,
    period_of,
    plan_progress,
    target_progress,
    weighted,
)


# -- periods --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, kind, start, end, days", [
    ("2026-12", PeriodKind.MONTH, date(2026, 12, 1), date(2026, 12, 31), 31),
    ("2026-02", PeriodKind.MONTH, date(2026, 2, 1), date(2026, 2, 28), 28),
    ("2028-2", PeriodKind.MONTH, date(2028, 2, 1), date(2028, 2, 29), 29),
    ("2027-Q1", PeriodKind.QUARTER, date(2027, 1, 1), date(2027, 3, 31), 90),
    ("2028-q1", PeriodKind.QUARTER, date(2028, 1, 1), date(2028, 3, 31), 91),
    ("2026-Q4", PeriodKind.QUARTER, date(2026, 10, 1), date(2026, 12, 31), 92),
    ("2027", PeriodKind.YEAR, date(2027, 1, 1), date(2027, 12, 31), 365),
    ("2028", PeriodKind.YEAR, date(2028, 1, 1), date(2028, 12, 31), 366),
])
def test_periods_as_written(text, kind, start, end, days):
    period = parse_period(text)
    assert (period.kind, period.start, period.end, period.days) == (kind, start, end, days)
    assert parse_period(period.key) == period


@pytest.mark.parametrize("text, fragment", [
    ("2026-13", "no month 13"), ("2026-00", "no month 0"), ("2027-Q5", "Q1 to Q4"),
    ("2027-Q0", "Q1 to Q4"), ("Q1", "2026-12, 2027-Q1 or 2027"), ("26-12", "2026-12"),
    ("", "2026-12"), ("2026-12-01", "2026-12"),
])
def test_periods_written_wrongly(text, fragment):
    with pytest.raises(PeriodError, match=fragment):
        parse_period(text)


def test_a_period_of_the_wrong_kind():
    with pytest.raises(PeriodError, match="not a quarter \\(write it as 2027-Q1"):
        parse_period("2027", PeriodKind.QUARTER)
    assert parse_period("2027-Q1", "quarter").key == "2027-Q1"


def test_the_period_holding_a_day():
    day = date(2026, 11, 23)
    assert period_of("month", day).key == "2026-11"
    assert period_of("quarter", day).key == "2026-Q4"
    assert period_of("year", day).key == "2026"
    assert period_of("quarter", date(2027, 3, 31)).key == "2027-Q1"
    assert period_of("quarter", date(2027, 4, 1)).key == "2027-Q2"


# -- targets --------------------------------------------------------------------------------------

def test_a_month_on_its_last_day():
    progress = target_progress(D(100000), D("64000.50"), parse_period("2026-02"),
                               date(2026, 2, 28))
    assert progress.days_left == 1
    assert progress.remaining == D("35999.50")
    assert progress.per_day == D("35999.50")
    assert progress.share == pytest.approx(0.640005)


def test_a_month_in_its_middle_counts_today():
    progress = target_progress(D(100000), D(40000), parse_period("2026-12"), date(2026, 12, 2))
    assert progress.days_left == 30
    assert progress.per_day == D("2000.00")


def test_per_day_is_rounded_up_to_the_cent():
    progress = target_progress(D(100), D(0), parse_period("2026-12"), date(2026, 12, 1))
    assert progress.days_left == 31
    assert progress.per_day == D("3.23")  # 3.2258…: 31 days of 3.23 reach 100
    assert progress.per_day * 31 >= D(100)


def test_a_quarter_of_next_year_set_in_december():
    """Set on 15 December 2026 for January–March 2027: the whole quarter is ahead."""
    period = parse_period("2027-Q1")
    progress = target_progress(D(90000), D(0), period, date(2026, 12, 15))
    assert progress.days_left == 90
    assert progress.per_day == D("1000.00")


def test_the_last_quarter_on_new_years_eve_and_after():
    period = parse_period("2026-Q4")
    assert days_left(period, date(2026, 12, 31)) == 1
    assert days_left(period, date(2027, 1, 1)) == 0
    missed = target_progress(D(10), D(4), period, date(2027, 1, 1))
    assert missed.per_day is None and missed.remaining == D(6)
    reached = target_progress(D(10), D(12), period, date(2027, 1, 1))
    assert reached.per_day == D(0) and reached.remaining == D(0) and reached.share == 1.2


def test_a_leap_year_and_new_customers():
    progress = target_progress(5, 2, parse_period("2028-02"), date(2028, 2, 28))
    assert progress.days_left == 2
    assert progress.per_day == D("1.50")


def test_a_target_of_zero_has_no_share():
    progress = target_progress(0, 3, parse_period("2026-12"), date(2026, 12, 2))
    assert progress.share is None and progress.per_day == D(0)


@given(st.integers(0, 10**7), st.integers(0, 10**7), st.integers(0, 400))
def test_per_day_over_the_days_left_reaches_the_target(target, achieved, offset):
    period = parse_period("2026-Q4")
    today = date(2026, 9, 1) + timedelta(days=offset)
    progress = target_progress(D(target), D(achieved), period, today)
    assert progress.achieved + progress.remaining >= progress.target
    if progress.per_day is not None:
        assert progress.achieved + progress.per_day * progress.days_left >= progress.target
    else:
        assert today > period.end and achieved < target


# -- account plans --------------------------------------------------------------------------------

def test_plan_progress_on_the_last_day_of_the_year():
    progress = plan_progress(target_amount=D(200000), ordered=D(50000), visits=10,
                             visit_every_days=30, today=date(2026, 12, 31))
    assert progress.share == 0.25
    assert progress.expected_visits == 12  # 365 days: twelve whole cycles of 30
    assert progress.visits_behind


def test_plan_progress_early_in_a_leap_year_and_without_targets():
    progress = plan_progress(target_amount=None, ordered=D(0), visits=1, visit_every_days=None,
                             today=date(2028, 2, 29))
    assert progress.share is None and progress.expected_visits is None
    assert not progress.visits_behind
    assert plan_progress(target_amount=None, ordered=D(0), visits=0, visit_every_days=60,
                         today=date(2028, 2, 29)).expected_visits == 1  # day 60


# -- forecast weights -----------------------------------------------------------------------------

def test_measured_weights_and_stated_defaults():
    weights = conversion_weights({"A": (40, 30), "B": (20, 5), "C": (19, 19), "D": (300, 7)})
    assert weights[Grade.A].rate == D("0.75") and weights[Grade.A].measured
    assert weights[Grade.B].rate == D("0.25") and weights[Grade.B].measured  # exactly at 20
    assert weights[Grade.C].rate == DEFAULT_CONVERSION[Grade.C] and not weights[Grade.C].measured
    assert weights[Grade.D].rate == D("0.0233")  # 7/300 = 0.02333…, four places
    assert weights[Grade.E].rate == D(0) and weights[Grade.E].customers == 0


def test_weights_round_half_up_and_refuse_impossible_tallies():
    assert conversion_weights({"A": (32, 1)}, min_customers=1)[Grade.A].rate == D("0.0313")
    with pytest.raises(ValueError):
        conversion_weights({"A": (2, 3)})


def test_weighted_amounts_to_the_cent():
    assert weighted(D("1000.00"), D("0.0233")) == D("23.30")
    assert weighted(D("0.50"), D("0.0100")) == D("0.01")  # 0.005 rounds half up


def test_grades_held_and_before_a_win():
    changes = [(date(2026, 3, 1), "B"), (date(2026, 5, 1), "A"), (date(2026, 6, 10), "D")]
    assert grades_held("C", changes) == {"A", "B", "C", "D"}
    assert grades_held(None, changes[:1]) == {"B"}
    # won on 10 June: it was at C, B and A before; D followed the win on the same day
    assert grades_before("C", changes, date(2026, 6, 10)) == {"A", "B", "C"}
    assert grades_before("C", changes, date(2026, 5, 1)) == {"B", "C"}
    assert grades_before(None, changes, date(2026, 3, 1)) == set()
