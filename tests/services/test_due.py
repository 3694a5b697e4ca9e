"""The due list: sections, order, scope and the daily grade move."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from crmtui.db import AccountPlan, Complaint, Customer, GradeChange
from crmtui.rules import DueKind, Severity, sla_deadlines
from crmtui.services.customers import add_customer, snooze
from crmtui.services.due import coming_up, due_list
from crmtui.services.due_brief import brief
from crmtui.services.grading import move_grades, move_grades_if_due
from crmtui.services.interactions import add_care_date, log_interaction, record_order
from tests.conftest import NOW, TODAY


def kinds(items):
    return [(i.kind.value, i.customer) for i in items]


def test_sections_come_in_today_order_and_follow_ups_by_grade_then_most_overdue(ctx, clock):
    clock.now = NOW - timedelta(days=10)
    old_d = add_customer(ctx, {"name": "old D"})
    clock.now = NOW - timedelta(days=2)
    new_d = add_customer(ctx, {"name": "new D"})
    a = add_customer(ctx, {"name": "an A", "need": "clear", "expected_close": "+5d"})
    clock.now = NOW
    promised = add_customer(ctx, {"name": "promised"})
    log_interaction(ctx, promised.id, summary="x", next_on="+20d", promise="quote",
                    promise_due="today")
    items = due_list(ctx)
    assert kinds(items) == [("promise", "promised"), ("follow_up", "an A"),
                            ("follow_up", "old D"), ("follow_up", "new D")]
    assert [i.overdue_days for i in items[1:]] == [2, 10, 2]
    assert {old_d.id, new_d.id, a.id} == {i.customer_id for i in items[1:]}


def test_a_logged_item_leaves_the_list_at_once(ctx):
    customer = add_customer(ctx, {"name": "due today"})
    assert [i.customer_id for i in due_list(ctx)] == [customer.id]
    log_interaction(ctx, customer.id, summary="done")
    assert due_list(ctx) == []
    upcoming = coming_up(ctx)
    assert [(i.customer_id, i.due) for i in upcoming] == [(customer.id, TODAY + timedelta(days=30))]


def test_snoozed_items_come_back_on_their_day(ctx):
    customer = add_customer(ctx, {"name": "snoozy"})
    snooze(ctx, customer.id, "+2d")
    assert due_list(ctx) == []
    assert [i.customer_id for i in due_list(ctx, TODAY + timedelta(days=2))] == [customer.id]


def test_care_dates_show_three_days_ahead_including_lunar(ctx):
    customer = add_customer(ctx, {"name": "生日"})
    log_interaction(ctx, customer.id, summary="x", next_on="+60d")
    add_care_date(ctx, customer.id, month=11, day=26)  # in 3 days
    add_care_date(ctx, customer.id, month=11, day=27)  # in 4 days: not yet
    add_care_date(ctx, customer.id, month=10, day=17, lunar=True)  # 农历十月十七 = 2026-11-25
    add_care_date(ctx, customer.id, month=10, day=12, lunar=True)  # 农历十月十二: passed
    items = [i for i in due_list(ctx) if i.kind == DueKind.CARE]
    assert [(i.due, "lunar" in i.detail) for i in items] == [
        (date(2026, 11, 25), True), (date(2026, 11, 26), False)]


def test_referral_asks_last_seven_days_unless_asked(ctx, clock):
    buyer = add_customer(ctx, {"name": "buyer"})
    log_interaction(ctx, buyer.id, summary="x", next_on="+60d")
    record_order(ctx, buyer.id, amount="100")
    assert [i.kind for i in due_list(ctx)] == [DueKind.REFERRAL]
    clock.now = NOW + timedelta(days=6)
    assert [i.kind for i in due_list(ctx)] == [DueKind.REFERRAL]
    log_interaction(ctx, buyer.id, summary="asked", referral_ask=True, next_on="+60d")
    assert due_list(ctx) == []


def test_at_risk_of_being_dropped_when_snoozed_past_the_cadence(ctx, clock):
    customer = add_customer(ctx, {"name": "slipping", "need": "clear", "expected_close": "+2m"})
    log_interaction(ctx, customer.id, summary="first")
    snooze(ctx, customer.id, "+30d")
    clock.now = NOW + timedelta(days=8)  # weekly cadence ran out a day ago
    items = due_list(ctx)
    assert [(i.kind, i.customer_id) for i in items] == [(DueKind.DROPPED, customer.id)]


def test_complaints_at_risk_appear_first(ctx, clock):
    customer = add_customer(ctx, {"name": "angry"})
    opened = NOW - timedelta(minutes=50)
    respond_by, resolve_by = sla_deadlines(opened, Severity.CRITICAL)
    Complaint.create(customer=customer.id, opened_at=opened, severity="critical", summary="broken",
                     respond_by=respond_by, resolve_by=resolve_by, created_by=ctx.user.id,
                     updated_at=opened)
    items = due_list(ctx)
    assert items[0].kind == DueKind.COMPLAINT
    assert "respond within 10m" in items[0].detail
    assert str(brief(items)) == "1 due, 1 complaint at risk"


def test_account_plan_reviews_are_due(ctx):
    customer = add_customer(ctx, {"name": "key"})
    log_interaction(ctx, customer.id, summary="x", next_on="+60d")
    AccountPlan.create(customer=customer.id, review_on=TODAY, updated_at=NOW)
    assert [i.kind for i in due_list(ctx)] == [DueKind.REVIEW]


def test_reps_see_their_own_and_managers_toggle_all(ctx, rep_ctx):
    add_customer(ctx, {"name": "boss's"})
    add_customer(rep_ctx, {"name": "rita's"})
    assert [i.customer for i in due_list(rep_ctx, everyone=True)] == ["rita's"]
    assert [i.customer for i in due_list(ctx)] == ["boss's"]
    assert sorted(i.customer for i in due_list(ctx, everyone=True)) == ["boss's", "rita's"]


def test_grades_move_with_the_calendar_once_a_day(ctx, clock):
    customer = add_customer(ctx, {"name": "closing", "need": "clear",
                                  "expected_close": "2027-01-15"})
    assert customer.grade == "B"
    move_grades_if_due(ctx)
    clock.now = datetime(2026, 12, 16, 9, tzinfo=timezone.utc)
    assert move_grades_if_due(ctx) == 1
    stored = Customer.get_by_id(customer.id)
    assert stored.grade == "A"
    assert stored.next_due == stored.created_on  # never contacted
    change = GradeChange.select().order_by(GradeChange.id.desc()).first()
    assert (change.from_grade, change.to_grade, change.by_id) == ("B", "A", None)
    assert move_grades_if_due(ctx) == 0  # already done today
    assert move_grades(ctx) == 0  # nothing left to move
