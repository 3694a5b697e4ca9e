"""The end-of-day and end-of-week review, against a week of one rep's work worked out by hand.

Today is Monday 2026-11-23 (T). Rita's customers, all made on Friday T-10 and called then:
Ann (next step set for T), Bob (next step T), Cid (never called), Dee (next step T+1), Eli (next
step T-2). Promises made on T-10: P1 Ann due T, P2 Bob due T-1, P3 Dee due T, P4 Dee due T-3.
Last week: Dee called on T-3, P4 kept on T-2, a complaint about Cid on T-1. Today: Bob called,
P1 kept, P2 broken, a complaint about Ann, an order from Bob and his grade pinned to B; the
manager called his own customer Zed.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from crmtui.errors import InvalidInput
from crmtui.output import _default
from crmtui.services.complaints import open_complaint
from crmtui.services.customers import add_customer, regrade
from crmtui.services.due import due_list
from crmtui.services.interactions import (
    add_promise,
    close_promise,
    log_interaction,
    record_order,
)
from crmtui.services.reports import build_report, report_period
from tests.conftest import NOW, TODAY

T = TODAY
DAY = timedelta(days=1)


def at(clock, day: date, hour: int, minute: int = 0) -> None:
    clock.now = datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.utc)


@pytest.fixture
def week(ctx, rep_ctx, clock):
    rita = rep_ctx
    at(clock, T - 10 * DAY, 9)
    ids = {name: add_customer(rita, {"name": name}).id for name in ("Ann", "Bob", "Cid", "Dee",
                                                                      "Eli")}
    ids["Zed"] = add_customer(ctx, {"name": "Zed"}).id
    at(clock, T - 10 * DAY, 10)
    for name, next_on in (("Ann", T), ("Bob", T), ("Dee", T + DAY), ("Eli", T - 2 * DAY)):
        log_interaction(rita, ids[name], summary=f"first call {name}", next_on=next_on)
    promises = {label: add_promise(rita, ids[name], f"{label} for {name}", due).id
                for label, name, due in (("P1", "Ann", T), ("P2", "Bob", T - DAY),
                                         ("P3", "Dee", T), ("P4", "Dee", T - 3 * DAY))}
    at(clock, T - 3 * DAY, 9)
    log_interaction(rita, ids["Dee"], summary="second call Dee", next_on=T + DAY)
    at(clock, T - 2 * DAY, 9)
    close_promise(rita, promises["P4"], "done")
    at(clock, T - DAY, 15)
    open_complaint(rita, ids["Cid"], "normal", "invoice wrong")
    at(clock, T, 8)
    log_interaction(rita, ids["Bob"], summary="closing call Bob")
    log_interaction(ctx, ids["Zed"], summary="call Zed")
    close_promise(rita, promises["P1"], "done")
    close_promise(rita, promises["P2"], "broken")
    at(clock, T, 8, 30)
    open_complaint(rita, ids["Ann"], "high", "late delivery")
    record_order(rita, ids["Bob"], amount="250", product="Pro licence", quantity=2)
    regrade(rita, ids["Bob"], pin="B", reason="signed")
    clock.now = NOW
    return {"rita": rita, "ids": ids, "promises": promises}


def names(rows) -> list[str]:
    return [row.customer for row in rows]


def test_a_reps_day(ctx, week):
    rita = week["rita"]
    report = build_report(rita, "daily")
    assert (report.kind, report.day, report.start, report.end, report.user, report.team) == (
        "daily", T, T, T, "rita", False)
    assert [(d.customer, d.summary, d.followup_number, d.by) for d in report.done] == [
        ("Bob", "closing call Bob", 1, "rita")]  # the manager's call is not hers
    assert [(m.customer, m.due, m.overdue_days) for m in report.missed] == [("Ann", T, 0)]
    assert report.backlog == 2  # Cid (never called) and Eli (due T-2)
    p = week["promises"]
    assert [r.promise_id for r in report.promises_kept] == [p["P1"]]
    assert [r.promise_id for r in report.promises_broken] == [p["P2"]]
    assert [(r.promise_id, r.status) for r in report.promises_open] == [(p["P3"], "open")]
    assert [(c.customer, c.severity) for c in report.complaints] == [("Ann", "high")]
    assert [(g.customer, g.from_grade, g.to_grade, g.by) for g in report.grade_changes] == [
        ("Bob", "D", "B", "rita")]
    assert [(o.customer, o.product, o.quantity, o.amount) for o in report.orders] == [
        ("Bob", "Pro licence", 2, 250)]
    assert report.order_total == 250


def test_tomorrows_plan_is_the_next_days_due_list(ctx, week):
    rita = week["rita"]
    report = build_report(rita, "daily")
    assert report.plan_day == T + DAY
    assert report.plan == due_list(rita, T + DAY)
    follow_ups = {item.customer for item in report.plan if item.kind.value == "follow_up"}
    assert follow_ups == {"Ann", "Cid", "Dee", "Eli"}  # missed and overdue ones stay planned
    assert ("promise", "Dee") in {(item.kind.value, item.customer) for item in report.plan}


def test_the_team_day_and_the_managers_own(ctx, week):
    team = build_report(ctx, "daily", everyone=True)
    assert team.team is True
    assert [(d.customer, d.by) for d in team.done] == [("Bob", "rita"), ("Zed", "boss")]
    assert names(team.missed) == ["Ann"]
    own = build_report(ctx, "daily")
    assert names(own.done) == ["Zed"] and own.missed == [] and own.complaints == []


def test_a_past_week_monday_to_sunday(ctx, week):
    report = build_report(week["rita"], "weekly", T - DAY)
    assert (report.start, report.end, report.plan_day) == (T - 7 * DAY, T - DAY, T)
    assert [d.summary for d in report.done] == ["second call Dee"]
    assert [(m.customer, m.due, m.overdue_days) for m in report.missed] == [
        ("Eli", T - 2 * DAY, 1)]
    assert report.backlog == 1  # Cid, due since T-10
    assert [r.promise_id for r in report.promises_kept] == [week["promises"]["P4"]]
    assert report.promises_broken == [] and report.promises_open == []
    assert names(report.complaints) == ["Cid"]
    assert report.grade_changes == [] and report.orders == []


def test_the_week_of_today_runs_from_monday_to_today(ctx, week):
    report = build_report(week["rita"], "weekly")
    assert (report.start, report.end) == (T, T)  # today is a Monday
    assert names(report.done) == ["Bob"]


@pytest.mark.parametrize(("kind", "day", "today", "period"), [
    ("daily", date(2026, 11, 20), date(2026, 11, 23), (date(2026, 11, 20), date(2026, 11, 20))),
    ("weekly", date(2026, 11, 25), date(2026, 11, 27), (date(2026, 11, 23), date(2026, 11, 27))),
    ("weekly", date(2026, 11, 29), date(2026, 12, 3), (date(2026, 11, 23), date(2026, 11, 29))),
    ("weekly", date(2026, 12, 31), date(2027, 1, 9), (date(2026, 12, 28), date(2027, 1, 3))),
])
def test_report_periods(kind, day, today, period):
    assert report_period(kind, day, today) == period


def test_a_day_to_come_or_an_unknown_kind_is_refused(ctx):
    with pytest.raises(InvalidInput, match="has not come yet"):
        build_report(ctx, "daily", T + DAY)
    with pytest.raises(InvalidInput, match="daily or weekly"):
        build_report(ctx, "monthly")


def test_json_names_every_section(ctx, week):
    data = json.loads(json.dumps(build_report(week["rita"], "daily").to_json(),
                                 default=_default))
    assert set(data) == {"kind", "date", "start", "end", "user", "team", "done", "missed",
                         "backlog", "promises_kept", "promises_broken", "promises_open",
                         "complaints", "grade_changes", "orders", "order_total", "plan_date",
                         "plan", "appointments_done", "appointments_moved",
                         "appointments_missed", "plan_appointments", "instructions_done",
                         "instructions_open", "deliveries", "payments", "received"}
    assert data["missed"][0] == {"customer_id": week["ids"]["Ann"], "customer": "Ann",
                                 "company": "", "grade": "D", "owner": "rita",
                                 "due": T.isoformat(), "overdue_days": 0, "next_step": ""}
    assert data["order_total"] == "250.00" and data["plan_date"] == "2026-11-24"


def test_the_daily_report_has_the_days_instructions_deliveries_and_payments(ctx, rep_ctx, clock):
    from crmtui.services.customers import add_customer
    from crmtui.services.instructions import give_instruction, report_done
    from crmtui.services.interactions import record_order
    from crmtui.services.receivables import deliver, record_payment

    zhang = add_customer(ctx, {"name": "张三"}, owner="rita").id
    first = give_instruction(ctx, "rita", zhang, "Present the price list", "today")
    give_instruction(ctx, "rita", zhang, "Collect the payment", "today")
    order = record_order(rep_ctx, zhang, amount="900", product="kit")
    deliver(rep_ctx, order.id)
    record_payment(rep_ctx, order.id, "400", method="cash")
    report_done(rep_ctx, first.id, "sent")
    report = build_report(rep_ctx, "daily")
    assert [(r.text, r.note) for r in report.instructions_done] == [
        ("Present the price list", "sent")]
    assert [r.text for r in report.instructions_open] == ["Collect the payment"]
    assert [(d.order_id, d.delivery) for d in report.deliveries] == [(order.id, "delivered")]
    assert [(p.order_id, p.amount, p.method) for p in report.payments] == [
        (order.id, Decimal("400.00"), "cash")]
    assert report.received == Decimal("400.00")
    clock.now += timedelta(days=1)  # the next day: nothing of it, the open one still open
    later = build_report(rep_ctx, "daily")
    assert (later.instructions_done, later.deliveries, later.payments) == ([], [], [])
    assert [(r.text, r.overdue_days) for r in later.instructions_open] == [
        ("Collect the payment", 1)]


def test_the_daily_report_has_the_schedule_kept_and_missed(ctx, rep_ctx, clock, capsys):
    """Booked on Sunday for Monday (T): 08:00 never logged (missed), 09:00 moved to Tuesday
    (moved), 09:30 held and reviewed (done), 11:00 cancelled and 16:00 still to come (neither);
    Tuesday's 14:00 is beside tomorrow's plan. The report is read at 10:00 on T."""
    from crmtui.commands.stats import print_report
    from crmtui.output import text_only_console
    from crmtui.services.appointments import (
        add_appointment,
        cancel_appointment,
        move_appointment,
    )

    at(clock, T - DAY, 12)
    ann = add_customer(rep_ctx, {"name": "Ann"}).id
    bob = add_customer(rep_ctx, {"name": "Bob"}).id
    missed = add_appointment(rep_ctx, ann, at="tomorrow 08:00", purpose="retain")
    moved = add_appointment(rep_ctx, bob, at="tomorrow 09:00", minutes="15")
    held = add_appointment(rep_ctx, bob, at="tomorrow 09:30", minutes="20", purpose="revenue")
    cancelled = add_appointment(rep_ctx, ann, at="tomorrow 11:00")
    later = add_appointment(rep_ctx, ann, at="tomorrow 16:00")
    add_appointment(ctx, ann, at="tomorrow 12:00")  # the manager's own, not on rita's report
    at(clock, T, 8, 55)
    move_appointment(rep_ctx, moved.id, at="tomorrow 10:00")
    cancel_appointment(rep_ctx, cancelled.id)
    at(clock, T, 9, 40)
    log_interaction(rep_ctx, bob, summary="presented the price list", channel="visit",
                    purpose_met="partly", still_open="the discount")
    tuesday = add_appointment(rep_ctx, bob, at="tomorrow 14:00", prep="bring the contract")
    clock.now = NOW

    report = build_report(rep_ctx, "daily")
    assert [view.id for view in report.appointments_done] == [held.id]
    assert [view.id for view in report.appointments_moved] == [moved.id]
    assert [view.id for view in report.appointments_missed] == [missed.id]
    assert [view.id for view in report.plan_appointments] == [moved.id, tuesday.id]
    assert later.id not in [view.id for view in report.appointments_missed]
    data = json.loads(json.dumps(report.to_json(), default=_default))
    assert data["appointments_done"][0]["review"]["purpose_met"] == "partly"
    assert data["appointments_moved"][0]["first_starts_at"] == "2026-11-23T09:00:00+00:00"
    assert data["appointments_moved"][0]["starts_at"] == "2026-11-24T10:00:00+00:00"
    assert data["appointments_missed"][0]["missed"] is True

    out = text_only_console(width=100, record=True)
    print_report(report, out, timezone.utc)
    text = out.export_text()
    assert "Appointments done (1)" in text and "purpose met: partly" in text
    assert "Appointments moved (1)" in text and "moved to 11-24 10:00" in text
    assert "Appointments missed (1)" in text
    assert "Appointments on 2026-11-24 (2)" in text and "bring the contract" in text
    capsys.readouterr()

    team = build_report(ctx, "daily", everyone=True)
    assert [view.id for view in team.appointments_missed] == [missed.id]  # 12:00 not over yet
    week = build_report(rep_ctx, "weekly")
    assert [view.id for view in week.appointments_moved] == [moved.id]  # Monday 09:00 → Tue
    assert build_report(rep_ctx, "daily", T + DAY - 2 * DAY).appointments_done == []
