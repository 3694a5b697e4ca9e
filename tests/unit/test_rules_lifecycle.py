"""Lifecycle, lapsing, maintenance cadence, the schedule that folds them, and wins' follow-ups."""

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmtui.rules import (
    LAPSE_DAYS,
    Cadence,
    DueRule,
    Lifecycle,
    Maintenance,
    MaintenanceSource,
    Tier,
    is_lapsed,
    lapses_on,
    lifecycle_for,
    maintenance_cadence,
    maintenance_for,
    opportunity_followups,
    regular_until,
    schedule,
    twice_usual_gap,
    usual_gap,
)

D = date


# -- lifecycle and lapsing ------------------------------------------------------------------------

def test_no_order_is_a_prospect_and_terminated_wins():
    assert lifecycle_for([], D(2026, 11, 23)) is Lifecycle.PROSPECT
    assert lifecycle_for([D(2026, 11, 1)], D(2026, 11, 23)) is Lifecycle.CUSTOMER
    assert lifecycle_for([D(2026, 11, 1)], D(2026, 11, 23), terminated=True) \
        is Lifecycle.TERMINATED
    assert lifecycle_for([], D(2026, 11, 23), terminated=True) is Lifecycle.TERMINATED


def test_orders_after_today_do_not_count_yet():
    assert lifecycle_for([D(2026, 12, 1)], D(2026, 11, 23)) is Lifecycle.PROSPECT


@pytest.mark.parametrize(("order", "still_customer", "lapsed"), [
    # one order: lapsed once more than 180 days have passed
    (D(2026, 1, 1), D(2026, 6, 30), D(2026, 7, 1)),
    (D(2028, 2, 29), D(2028, 8, 27), D(2028, 8, 28)),  # from a leap day
    (D(2026, 7, 4), D(2026, 12, 31), D(2027, 1, 1)),  # across the year end
])
def test_one_order_lapses_after_lapse_days(order, still_customer, lapsed):
    assert (still_customer - order).days == LAPSE_DAYS
    assert lifecycle_for([order], still_customer) is Lifecycle.CUSTOMER
    assert lifecycle_for([order], lapsed) is Lifecycle.LAPSED
    assert regular_until([order]) is None
    assert lapses_on(order, None) == lapsed


def test_several_orders_on_one_day_are_one_buying_day():
    day = D(2026, 3, 31)
    assert twice_usual_gap([day, day, day]) is None
    assert lifecycle_for([day, day], D(2026, 9, 27)) is Lifecycle.CUSTOMER
    assert lifecycle_for([day, day], D(2026, 9, 28)) is Lifecycle.LAPSED


def test_regular_monthly_orders_lapse_by_lapse_days():
    orders = [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30)]
    assert twice_usual_gap(orders) == 2 * 30  # gaps 28, 31, 30: the median is 30
    assert usual_gap(orders) == 30
    assert regular_until(orders) == D(2026, 6, 29)
    assert lapses_on(D(2026, 4, 30), regular_until(orders)) == D(2026, 10, 28)
    assert lifecycle_for(orders, D(2026, 10, 27)) is Lifecycle.CUSTOMER
    assert lifecycle_for(orders, D(2026, 10, 28)) is Lifecycle.LAPSED


def test_yearly_buyers_lapse_after_twice_their_gap():
    # gaps 366 (2024 is a leap year) and 365: the median of two is their mean, 365.5 days
    orders = [D(2023, 12, 31), D(2024, 12, 31), D(2025, 12, 31)]
    assert twice_usual_gap(orders) == 731
    assert usual_gap(orders) == 365.5
    assert regular_until(orders) == D(2028, 1, 1)
    assert lifecycle_for(orders, D(2027, 6, 1)) is Lifecycle.CUSTOMER
    assert lifecycle_for(orders, D(2028, 1, 1)) is Lifecycle.CUSTOMER
    assert lifecycle_for(orders, D(2028, 1, 2)) is Lifecycle.LAPSED


def test_irregular_orders_use_the_median_gap():
    # a burst of orders and one long pause: gaps 10, 20, 400; the median 20 is their rhythm
    orders = [D(2024, 1, 1), D(2024, 1, 11), D(2024, 1, 31), D(2025, 3, 6)]
    assert twice_usual_gap(orders) == 40
    assert lifecycle_for(orders, D(2025, 9, 2)) is Lifecycle.CUSTOMER  # 180 days
    assert lifecycle_for(orders, D(2025, 9, 3)) is Lifecycle.LAPSED
    # mostly long gaps (200, 210) and one short (5): twice the median 200 is 400 days
    slow = [D(2024, 1, 1), D(2024, 7, 19), D(2025, 2, 14), D(2025, 2, 19)]
    assert twice_usual_gap(slow) == 400
    assert lifecycle_for(slow, D(2026, 3, 26)) is Lifecycle.CUSTOMER
    assert lifecycle_for(slow, D(2026, 3, 27)) is Lifecycle.LAPSED


def test_lapse_days_setting():
    order = D(2026, 2, 28)
    assert lifecycle_for([order], D(2026, 4, 29), lapse_days=60) is Lifecycle.CUSTOMER
    assert lifecycle_for([order], D(2026, 4, 30), lapse_days=60) is Lifecycle.LAPSED
    assert lapses_on(order, None, 60) == D(2026, 4, 30)


order_days = st.lists(st.dates(D(2000, 1, 1), D(2040, 12, 31)), min_size=1, max_size=12)


@given(order_days, st.integers(0, 1000), st.integers(1, 800))
def test_lapses_on_is_the_first_lapsed_day(days, offset, lapse_days):
    last = max(days)
    regular = regular_until(days)
    first = lapses_on(last, regular, lapse_days)
    assert not is_lapsed(last, regular, first - timedelta(days=1), lapse_days)
    assert is_lapsed(last, regular, first, lapse_days)
    later = first + timedelta(days=offset)
    assert is_lapsed(last, regular, later, lapse_days)  # stays lapsed without a new order
    assert lifecycle_for(days + [later], later, lapse_days=lapse_days) is Lifecycle.CUSTOMER


@given(order_days, st.dates(D(2000, 1, 1), D(2045, 12, 31)))
def test_lapsed_needs_both_halves(days, today):
    """Older than the larger of twice the usual gap and lapse days."""
    past = [d for d in days if d <= today]
    found = lifecycle_for(days, today)
    if not past:
        assert found is Lifecycle.PROSPECT
        return
    age = (today - max(past)).days
    twice = twice_usual_gap(past)
    threshold = max(twice or 0, LAPSE_DAYS)
    assert (found is Lifecycle.LAPSED) == (age > threshold)


@given(st.lists(st.integers(1, 400), min_size=1, max_size=9))
def test_twice_the_gap_is_twice_the_median(gaps):
    days, day = [D(2020, 1, 1)], D(2020, 1, 1)
    for gap in gaps:
        day += timedelta(days=gap)
        days.append(day)
    ordered = sorted(gaps)
    n = len(ordered)
    median = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    assert twice_usual_gap(days) == 2 * median
    assert min(gaps) <= usual_gap(days) <= max(gaps)


# -- maintenance ----------------------------------------------------------------------------------

def test_maintenance_cadence_by_class_and_overrides():
    assert [maintenance_cadence(t) for t in Tier] == [
        Cadence.WEEKLY, Cadence.HALF_MONTHLY, Cadence.MONTHLY, Cadence.QUARTERLY]
    assert maintenance_cadence("key", {"key": "daily"}) is Cadence.DAILY
    assert maintenance_cadence(Tier.NONE, {Tier.KEY: Cadence.DAILY}) is Cadence.QUARTERLY
    with pytest.raises(ValueError):
        maintenance_cadence("vip")


def test_maintenance_only_for_customers():
    assert maintenance_for("prospect", "key") is None
    assert maintenance_for("lapsed", "key") is None
    assert maintenance_for("terminated", "key", plan_every_days=14) is None
    kept = maintenance_for("customer", "important")
    assert kept == Maintenance(MaintenanceSource.VALUE_CLASS, Tier.IMPORTANT,
                               cadence=Cadence.HALF_MONTHLY)
    plan = maintenance_for("customer", "key", plan_every_days=14)
    assert plan.source is MaintenanceSource.PLAN and plan.every_days == 14
    with pytest.raises(ValueError):
        Maintenance(MaintenanceSource.PLAN, Tier.KEY, every_days=0)


def _due(last, grade_cadence, value_class=None, *, plan=None, lifecycle="customer", **kw):
    maintenance = None if value_class is None else maintenance_for(
        lifecycle, value_class, plan_every_days=plan)
    return schedule(created_on=D(2025, 1, 1), last_touch=last, grade_cadence=grade_cadence,
                    maintenance=maintenance, **kw)


@pytest.mark.parametrize(("last", "grade_cadence", "value_class", "due", "rule"), [
    # a key customer of grade D: weekly visits beat the monthly follow-up
    (D(2026, 11, 23), "monthly", "key", D(2026, 11, 30), DueRule.VALUE_CLASS),
    # grade A (daily) beats the key customer's weekly visit
    (D(2026, 11, 23), "daily", "key", D(2026, 11, 24), DueRule.GRADE),
    # ordinary (monthly) against grade D (monthly): a tie names the maintenance rule
    (D(2026, 1, 31), "monthly", "ordinary", D(2026, 2, 28), DueRule.VALUE_CLASS),
    # a class with no revenue: quarterly, month ends clamped, leap years kept
    (D(2027, 11, 30), "yearly", "none", D(2028, 2, 29), DueRule.VALUE_CLASS),
    (D(2026, 11, 30), "yearly", "none", D(2027, 2, 28), DueRule.VALUE_CLASS),
    # important: half-monthly, across the year end
    (D(2026, 12, 20), "yearly", "important", D(2027, 1, 4), DueRule.VALUE_CLASS),
    # grade C (half-monthly) beats an ordinary customer's month
    (D(2026, 2, 20), "half_monthly", "ordinary", D(2026, 3, 7), DueRule.GRADE),
    # no maintenance (a prospect): the grade alone
    (D(2026, 11, 23), "monthly", None, D(2026, 12, 23), DueRule.GRADE),
])
def test_earliest_cadence_wins(last, grade_cadence, value_class, due, rule):
    found = _due(last, grade_cadence, value_class)
    assert (found.next_due, found.rule) == (due, rule)
    assert found.cadence_due == due


@pytest.mark.parametrize(("grade_cadence", "plan", "due"), [
    ("monthly", 14, D(2026, 12, 7)),  # shorter than the grade's month
    ("monthly", 45, D(2027, 1, 7)),  # longer: the plan still wins
    ("daily", 14, D(2026, 12, 7)),  # over a grade A too
])
def test_account_plan_visit_cycle_wins(grade_cadence, plan, due):
    found = _due(D(2026, 11, 23), grade_cadence, "key", plan=plan)
    assert (found.next_due, found.rule) == (due, DueRule.PLAN)


def test_explicit_next_step_wins_over_every_cadence():
    found = _due(D(2026, 11, 23), "daily", "key", plan=14, explicit=D(2027, 1, 15))
    assert (found.next_due, found.cadence_due, found.rule) == (
        D(2027, 1, 15), D(2026, 12, 7), DueRule.NEXT_STEP)
    # a next step the last contact has overtaken is ignored
    stale = _due(D(2026, 11, 23), "monthly", "key", explicit=D(2026, 11, 20))
    assert (stale.next_due, stale.rule) == (D(2026, 11, 30), DueRule.VALUE_CLASS)


def test_never_contacted_is_due_on_creation():
    found = _due(None, "monthly", "key")
    assert (found.next_due, found.rule) == (D(2025, 1, 1), DueRule.FIRST_CONTACT)
    planned = _due(None, "monthly", "key", explicit=D(2025, 1, 9))
    assert (planned.next_due, planned.rule) == (D(2025, 1, 9), DueRule.NEXT_STEP)


def test_workdays_only_moves_a_weekend_visit_to_monday():
    found = _due(D(2026, 11, 21), "monthly", "key", workdays_only=True)  # Saturday + 7
    assert (found.next_due, found.cadence_due) == (D(2026, 11, 30), D(2026, 11, 28))


def test_a_lapsed_customer_is_due_on_the_day_they_lapsed():
    found = _due(D(2026, 5, 1), "monthly", lifecycle="lapsed", lapsed_on=D(2026, 10, 28))
    # the grade's month ran out long ago: the earlier date wins, and it is the cadence's
    assert (found.next_due, found.rule) == (D(2026, 6, 1), DueRule.GRADE)
    yearly = _due(D(2026, 5, 1), "yearly", lifecycle="lapsed", lapsed_on=D(2026, 10, 28))
    assert (yearly.next_due, yearly.cadence_due, yearly.rule) == (
        D(2026, 10, 28), D(2027, 5, 1), DueRule.WIN_BACK)
    # called since they lapsed: the grade's cadence paces the next win-back call
    called = _due(D(2026, 10, 30), "monthly", lifecycle="lapsed", lapsed_on=D(2026, 10, 28))
    assert (called.next_due, called.rule) == (D(2026, 11, 30), DueRule.GRADE)


days = st.dates(D(2000, 1, 1), D(2040, 12, 31))
cadences = st.sampled_from(list(Cadence))
classes = st.sampled_from(list(Tier))


@given(days, cadences, classes, st.one_of(st.none(), st.integers(1, 400)))
def test_schedule_invariants(last, grade_cadence, value_class, plan):
    grade_only = schedule(created_on=D(1999, 1, 1), last_touch=last, grade_cadence=grade_cadence)
    kept = schedule(created_on=D(1999, 1, 1), last_touch=last, grade_cadence=grade_cadence,
                    maintenance=maintenance_for("customer", value_class, plan_every_days=plan))
    assert kept.next_due > last
    assert kept.next_due == kept.cadence_due
    if plan:
        assert kept.next_due == last + timedelta(days=plan) and kept.rule is DueRule.PLAN
    else:
        assert kept.next_due <= grade_only.next_due  # maintenance only ever brings it forward


# -- wins -----------------------------------------------------------------------------------------

def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=timezone.utc)


def test_a_win_counts_outbound_answered_contacts_after_the_first():
    contacts = [
        (_at(2), "out", "neutral"),  # the first contact
        (_at(3), "in", "positive"),  # inbound: not a follow-up
        (_at(4), "out", "no_answer"),  # nobody answered: not a follow-up
        (_at(5), "out", "negative"),  # 1st follow-up
        (_at(9), "out", "positive"),  # 2nd follow-up
    ]
    assert opportunity_followups(contacts, None, _at(10)) == 2
    assert opportunity_followups(contacts, None, _at(9)) == 2  # closed at the last: it counts
    assert opportunity_followups(contacts, None, _at(9) - timedelta(seconds=1)) == 1
    assert opportunity_followups(contacts, _at(5), _at(10)) == 0  # opened at the 3rd: after it
    assert opportunity_followups(contacts, _at(4), _at(10)) == 1


def test_a_sale_at_first_contact_or_without_any_took_no_follow_up():
    assert opportunity_followups([(_at(2), "out", "positive")], None, _at(3)) == 0
    assert opportunity_followups([(_at(2), "in", "positive")], None, _at(3)) == 0
    assert opportunity_followups([], None, _at(3)) == 0


def test_a_win_starts_the_count_again():
    contacts = [(_at(day), "out", "neutral") for day in (1, 2, 3, 4, 5, 6, 7)]
    first_win = _at(4)  # at the moment of the 4th contact, which belongs to that sale
    assert opportunity_followups(contacts, None, first_win) == 3
    assert opportunity_followups(contacts, first_win, _at(20)) == 2


contact = st.tuples(st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31),
                                 timezones=st.just(timezone.utc)),
                    st.sampled_from(["out", "in"]),
                    st.sampled_from(["positive", "neutral", "negative", "no_answer"]))


@given(st.lists(contact, max_size=30), st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31),
                                                    timezones=st.just(timezone.utc)))
def test_followups_split_at_a_win_add_up(contacts, win):
    """Counted contacts before and after a win add up to the whole, less one first contact per
    opportunity that had any."""
    end = datetime(2027, 1, 1, tzinfo=timezone.utc)
    counted = [c for c in contacts if c[1] == "out" and c[2] != "no_answer"]
    before = sum(1 for c in counted if c[0] <= win)
    after = len(counted) - before
    assert opportunity_followups(contacts, None, win) == max(0, before - 1)
    assert opportunity_followups(contacts, win, end) == max(0, after - 1)
