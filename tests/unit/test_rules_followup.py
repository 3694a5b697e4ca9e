from datetime import date

import pytest

from crmtui.rules import (
    FOLLOWUP_REFERENCE,
    FOLLOWUP_STAGES,
    Grade,
    at_risk_of_drop,
    followup_stage,
)


def test_stages_0_to_13():
    expected = ["first", "1", "2", "3"] + ["4-11"] * 8 + ["12+", "12+"]
    assert [followup_stage(n) for n in range(14)] == expected


def test_stage_order_and_reference():
    assert FOLLOWUP_STAGES == ("first", "1", "2", "3", "4-11", "12+")
    assert [FOLLOWUP_REFERENCE.get(s, 0) for s in FOLLOWUP_STAGES] == [2, 3, 5, 10, 80, 0]
    assert sum(FOLLOWUP_REFERENCE.values()) == 100


def test_negative_count():
    with pytest.raises(ValueError):
        followup_stage(-1)


TODAY = date(2026, 11, 23)


def test_at_risk_of_drop():
    overdue = date(2026, 11, 22)
    assert at_risk_of_drop(Grade.A, 0, overdue, TODAY)
    assert at_risk_of_drop("C", 3, overdue, TODAY)
    assert not at_risk_of_drop("C", 4, overdue, TODAY)
    assert not at_risk_of_drop("D", 0, overdue, TODAY)
    assert not at_risk_of_drop("B", 1, TODAY, TODAY)  # due today is not yet dropped
    assert not at_risk_of_drop(None, 0, overdue, TODAY)
