from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from crmtui.rules import (
    GRADE_ORDER,
    Grade,
    Need,
    grade_cutoffs,
    grade_for,
    grade_rank,
    grade_reason,
    has_no_estimate,
    is_demotion,
    is_promotion,
    is_slipped,
)

TODAY = date(2026, 11, 23)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("close", "grade"),
    [
        (date(2026, 12, 23), Grade.A),  # today + 1 month, inclusive
        (date(2026, 12, 24), Grade.B),
        (date(2027, 2, 23), Grade.B),  # + 3 months
        (date(2027, 2, 24), Grade.C),
        (date(2027, 5, 23), Grade.C),  # + 6 months
        (date(2027, 5, 24), Grade.D),
        (TODAY, Grade.A),
        (date(2026, 1, 1), Grade.A),  # past close date still counts as A
    ],
)
def test_clear_need_bounds(close, grade):
    assert grade_for(Need.CLEAR, close, TODAY) is grade


def test_month_end_clamps():
    today = date(2026, 1, 31)
    assert grade_cutoffs(today) == (date(2026, 2, 28), date(2026, 4, 30), date(2026, 7, 31))
    assert grade_for("clear", date(2026, 2, 28), today) is Grade.A
    assert grade_for("clear", date(2026, 3, 1), today) is Grade.B


def test_leap_year():
    today = date(2028, 1, 31)
    assert grade_for("clear", date(2028, 2, 29), today) is Grade.A
    assert grade_for("clear", date(2028, 3, 1), today) is Grade.B
    assert grade_cutoffs(date(2028, 2, 29)) == (
        date(2028, 3, 29), date(2028, 5, 29), date(2028, 8, 29)
    )


def test_year_end():
    today = date(2026, 12, 31)
    assert grade_cutoffs(today) == (date(2027, 1, 31), date(2027, 3, 31), date(2027, 6, 30))
    assert grade_for("clear", date(2027, 1, 31), today) is Grade.A
    assert grade_for("clear", date(2027, 2, 1), today) is Grade.B


def test_other_needs():
    assert grade_for(Need.POTENTIAL, date(2026, 12, 1), TODAY) is Grade.D
    assert grade_for("none", date(2026, 12, 1), TODAY) is Grade.E
    assert grade_for("clear", None, TODAY) is Grade.D
    with pytest.raises(ValueError):
        grade_for("maybe", None, TODAY)


def test_slipped_and_no_estimate():
    assert is_slipped(TODAY - DAY, TODAY)
    assert not is_slipped(TODAY, TODAY)
    assert not is_slipped(None, TODAY)
    assert has_no_estimate("clear", None, TODAY)
    assert has_no_estimate(Need.CLEAR, date(2027, 5, 24), TODAY)
    assert not has_no_estimate(Need.CLEAR, date(2027, 5, 23), TODAY)
    assert not has_no_estimate(Need.POTENTIAL, None, TODAY)


def test_reasons():
    assert grade_reason("clear", date(2026, 12, 1), TODAY) == (
        "clear need, close 2026-12-01 within 1 month"
    )
    assert grade_reason("clear", date(2027, 1, 15), TODAY) == (
        "clear need, close 2027-01-15 within 3 months"
    )
    assert grade_reason("clear", date(2026, 11, 1), TODAY) == (
        "clear need, close date slipped (2026-11-01)"
    )
    assert grade_reason("clear", None, TODAY) == "clear need, no close estimate"
    assert "more than 6 months" in grade_reason("clear", date(2028, 1, 1), TODAY)
    assert grade_reason("potential", None, TODAY) == "potential need"
    assert grade_reason(Need.NONE, None, TODAY) == "no need"


def test_rank_and_movement():
    assert [grade_rank(g) for g in GRADE_ORDER] == [0, 1, 2, 3, 4]
    assert grade_rank("C") == 2
    assert is_promotion(Grade.C, Grade.A) and not is_demotion(Grade.C, Grade.A)
    assert is_demotion("A", "E") and not is_promotion("A", "E")
    assert not is_promotion(Grade.B, Grade.B) and not is_demotion(Grade.B, Grade.B)


def test_str_gives_value():
    assert str(Grade.A) == "A" and f"{Need.CLEAR}" == "clear"


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
gaps = st.integers(min_value=-400, max_value=800).map(lambda n: timedelta(days=n))


@given(today=days, gap=gaps, step=st.integers(min_value=1, max_value=400))
def test_nearer_close_never_worse(today, gap, step):
    far = today + gap + timedelta(days=step)
    near = today + gap
    assert grade_rank(grade_for("clear", near, today)) <= grade_rank(grade_for("clear", far, today))


@given(today=days, gap=gaps, step=st.integers(min_value=1, max_value=400))
def test_later_today_never_worse(today, gap, step):
    close = today + gap
    later = today + timedelta(days=step)
    before, after = grade_for("clear", close, today), grade_for("clear", close, later)
    assert grade_rank(after) <= grade_rank(before)


@given(today=days, months=st.integers(min_value=0, max_value=12))
def test_grade_matches_month_distance(today, months):
    close = today + relativedelta(months=months)
    expected = next(g for limit, g in ((1, Grade.A), (3, Grade.B), (6, Grade.C), (12, Grade.D))
                    if months <= limit)
    assert grade_for("clear", close, today) is expected
