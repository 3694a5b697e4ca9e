"""Complaints on a real SQLite file with a fixed clock: deadlines, workflow, roles, queue."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from crmtui.config import Config
from crmtui.db import Complaint, ComplaintEvent, Customer, Survey
from crmtui.errors import Conflict, CrmError, Forbidden, InvalidInput, NotFound
from crmtui.rules import (
    DEFAULT_POLICY,
    TRANSITIONS,
    BusinessHours,
    ComplaintStatus as S,
    DueKind,
    SlaPolicy,
    SlaState,
    can_transition,
)
from crmtui.services.complaints import (
    acknowledge,
    add_note,
    assign,
    close,
    complaint_detail,
    complaint_queue,
    complaint_row,
    get_complaint,
    handlers,
    move_refusal,
    open_complaint,
    reopen,
    resolve,
    resume,
    set_severity,
    severity_refusal,
    start_work,
    wait_for_customer,
)
from crmtui.services.customers import add_customer
from crmtui.services.due import due_list
from crmtui.services.profile import customer_profile, profile_json
from tests.conftest import NOW, TODAY, as_user

H = timedelta(hours=1)
MIN = timedelta(minutes=1)
SEC = timedelta(seconds=1)


def new_complaint(ctx, severity="normal", customer=None, **kwargs) -> Complaint:
    customer = customer or add_customer(ctx, {"name": "张三"})
    return open_complaint(ctx, customer.id, severity, "the device stops", **kwargs)


def row(ctx, complaint):
    return complaint_row(ctx, complaint.id)


def snapshot(complaint_id: int):
    """Everything an action could change, to prove a refused action changed nothing."""
    stored = Complaint.get_by_id(complaint_id)
    return (dict(stored.__data__),
            ComplaintEvent.select().where(ComplaintEvent.complaint == complaint_id).count(),
            Survey.select().count(),
            [c.referral_moment_on for c in Customer.select().order_by(Customer.id)])


# -- deadlines ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("severity", "respond", "resolve"), [
    ("critical", H, 24 * H),
    ("high", 4 * H, timedelta(days=3)),
    ("normal", 24 * H, timedelta(days=7)),
    ("low", 72 * H, timedelta(days=14)),
])
def test_deadlines_follow_the_severity_in_calendar_time(ctx, severity, respond, resolve):
    complaint = new_complaint(ctx, severity)
    stored = Complaint.get_by_id(complaint.id)
    assert (stored.opened_at, stored.respond_by, stored.resolve_by) == (
        NOW, NOW + respond, NOW + resolve)
    assert (stored.status, stored.owner_id, stored.created_by_id) == ("new", None, ctx.user.id)
    events = list(ComplaintEvent.select().where(ComplaintEvent.complaint == complaint.id))
    assert [(e.kind, e.to_value, e.note) for e in events] == [
        ("opened", "new", "the device stops")]


def test_configured_targets_are_used(ctx):
    policy = SlaPolicy(respond={**DEFAULT_POLICY.respond, "critical": 30 * MIN},
                       resolve={**DEFAULT_POLICY.resolve, "critical": 8 * H})
    custom = ctx.replaced(config=Config(sla=policy))
    complaint = new_complaint(custom, "critical")
    assert (complaint.respond_by, complaint.resolve_by) == (NOW + 30 * MIN, NOW + 8 * H)


UTC8 = timezone(timedelta(hours=8))
BUSINESS = SlaPolicy(respond=DEFAULT_POLICY.respond,
                     resolve={**DEFAULT_POLICY.resolve, "high": 27 * H},
                     business_hours=BusinessHours(frozenset(range(5)), time(9), time(18)),
                     holidays=frozenset({date(2026, 11, 30)}))


def business(ctx):
    return ctx.replaced(config=Config(sla=BUSINESS), zone=UTC8)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=UTC8)


def test_business_hours_count_local_working_time_over_a_weekend_and_a_holiday(ctx, clock):
    clock.now = local(2026, 11, 27, 17, 0)  # Friday 17:00 in +08:00 (09:00 UTC)
    complaint = new_complaint(business(ctx), "high")
    # 4 h: Friday 17-18, then Saturday, Sunday and the Monday holiday are skipped: Tuesday 12:00.
    assert complaint.respond_by == local(2026, 12, 1, 12, 0)
    # 27 h: Fri 1 + Tue 9 + Wed 9 + Thu 8 = Thursday 17:00.
    assert complaint.resolve_by == local(2026, 12, 3, 17, 0)


def test_calendar_time_ignores_the_local_zone(ctx, clock):
    clock.now = local(2026, 11, 27, 17, 0)
    complaint = new_complaint(ctx.replaced(zone=UTC8), "high")
    assert complaint.respond_by == local(2026, 11, 27, 21, 0)


def test_a_complaint_received_earlier_counts_from_then(ctx):
    complaint = new_complaint(ctx, "critical", opened_at=NOW - 2 * H)
    assert (complaint.opened_at, complaint.respond_by) == (NOW - 2 * H, NOW - H)
    assert row(ctx, complaint).sla_state is SlaState.BREACHED
    with pytest.raises(InvalidInput, match="opened_at: cannot be in the future"):
        new_complaint(ctx, "critical", opened_at="+1h")


# -- the clock at its boundaries ----------------------------------------------------------------

def test_response_clock_at_25_percent_and_at_the_deadline_minute(ctx, clock):
    complaint = new_complaint(ctx, "critical")  # respond by 11:00
    expected = [
        (NOW + 45 * MIN - SEC, SlaState.OK, 15 * MIN + SEC),
        (NOW + 45 * MIN, SlaState.AT_RISK, 15 * MIN),  # exactly a quarter left
        (NOW + H - MIN, SlaState.AT_RISK, MIN),
        (NOW + H, SlaState.AT_RISK, timedelta(0)),  # the deadline itself is still in time
        (NOW + H + SEC, SlaState.BREACHED, -SEC),
    ]
    for moment, state, left in expected:
        clock.now = moment
        line = row(ctx, complaint)
        assert (line.sla.clock, line.sla_state, line.time_left) == ("respond", state, left), moment
        assert line.sla.deadline == NOW + H


def test_after_acknowledging_the_resolution_clock_runs(ctx, clock):
    complaint = new_complaint(ctx, "critical")
    clock.now = NOW + 30 * MIN
    acknowledge(ctx, complaint.id, "+2h")
    clock.now = NOW + 18 * H - SEC
    assert (row(ctx, complaint).sla.clock, row(ctx, complaint).sla_state) == (
        "resolve", SlaState.OK)
    clock.now = NOW + 18 * H
    assert row(ctx, complaint).sla_state is SlaState.AT_RISK
    clock.now = NOW + 24 * H + SEC
    assert row(ctx, complaint).sla_state is SlaState.BREACHED


def in_progress(ctx, severity="normal", **kwargs) -> Complaint:
    complaint = new_complaint(ctx, severity, **kwargs)
    acknowledge(ctx, complaint.id, "+4h")
    return start_work(ctx, complaint.id)


def test_waiting_pauses_the_clock_and_resuming_moves_the_deadline(ctx, clock):
    complaint = in_progress(ctx)  # resolve by NOW + 7 d
    clock.now = NOW + H
    wait_for_customer(ctx, complaint.id, note="asked for photos")
    assert Complaint.get_by_id(complaint.id).waiting_since == NOW + H
    clock.now = NOW + 6 * H
    line = row(ctx, complaint)
    assert line.sla.paused
    assert line.sla.deadline == NOW + timedelta(days=7) + 5 * H  # moves with the clock
    assert line.time_left == timedelta(days=7) - H  # frozen at the pause
    assert line.resolve_by == NOW + timedelta(days=7)  # not stored until resumed
    resume(ctx, complaint.id)
    stored = Complaint.get_by_id(complaint.id)
    assert (stored.status, stored.waiting_since, stored.paused_seconds) == (
        "in_progress", None, 5 * 3600)
    assert stored.resolve_by == NOW + timedelta(days=7) + 5 * H
    # a second pause adds up
    clock.now = NOW + 24 * H
    wait_for_customer(ctx, complaint.id)
    clock.now = NOW + 24 * H + 30 * MIN
    start_work(ctx, complaint.id)  # `work` on a waiting complaint resumes it
    stored = Complaint.get_by_id(complaint.id)
    assert stored.resolve_by == NOW + timedelta(days=7) + 5 * H + 30 * MIN
    assert stored.paused_seconds == 5 * 3600 + 1800
    notes = [e.note for e in ComplaintEvent.select().where(
        (ComplaintEvent.complaint == complaint.id) & (ComplaintEvent.to_value == "in_progress"))]
    assert notes == ["", "clock paused 5h", "clock paused 30m"]


def test_the_state_freezes_while_waiting(ctx, clock):
    complaint = in_progress(ctx, "critical")  # resolve by NOW + 24 h
    clock.now = NOW + 19 * H  # 5 h of 24 left: at risk
    wait_for_customer(ctx, complaint.id)
    clock.now = NOW + 40 * H
    line = row(ctx, complaint)
    assert (line.sla_state, line.time_left, line.sla.paused) == (SlaState.AT_RISK, 5 * H, True)
    [item] = due_list(ctx, kinds={DueKind.COMPLAINT})
    assert item.detail.endswith("resolve within 5h · waiting for the customer")

    clock.now = NOW
    late = in_progress(ctx, "critical")
    clock.now = NOW + 25 * H
    wait_for_customer(ctx, late.id)
    clock.now = NOW + 50 * H
    assert (row(ctx, late).sla_state, row(ctx, late).time_left) == (SlaState.BREACHED, -H)


def test_a_pause_over_a_weekend_with_business_hours_moves_by_working_time(ctx, clock):
    bctx = business(ctx)
    clock.now = local(2026, 11, 19, 10, 0)  # Thursday
    complaint = in_progress(bctx, "high")  # 27 h: Thu 8, Fri 9, Mon 9, Tue 1
    assert complaint.resolve_by == local(2026, 11, 24, 10, 0)
    clock.now = local(2026, 11, 20, 17, 0)  # Friday 17:00
    wait_for_customer(bctx, complaint.id)
    clock.now = local(2026, 11, 23, 12, 0)  # the next Monday (a working day) at noon
    line = row(bctx, complaint)
    assert line.sla.deadline == local(2026, 11, 24, 14, 0)  # + 4 working hours so far
    resume(bctx, complaint.id)
    stored = Complaint.get_by_id(complaint.id)
    assert stored.paused_seconds == 4 * 3600  # Friday 17-18 and Monday 9-12
    assert stored.resolve_by == local(2026, 11, 24, 14, 0)


def test_severity_change_recomputes_from_opening_and_keeps_the_pause(ctx, clock):
    complaint = in_progress(ctx, "normal")
    clock.now = NOW + H
    wait_for_customer(ctx, complaint.id)
    clock.now = NOW + 3 * H
    resume(ctx, complaint.id)
    clock.now = NOW + 4 * H
    set_severity(ctx, complaint.id, "critical", note="line down")
    stored = Complaint.get_by_id(complaint.id)
    assert (stored.severity, stored.respond_by, stored.resolve_by) == (
        "critical", NOW + H, NOW + 24 * H + 2 * H)
    event = ComplaintEvent.select().order_by(ComplaintEvent.id.desc()).first()
    assert (event.kind, event.from_value, event.to_value, event.note) == (
        "severity", "normal", "critical", "line down")
    before = snapshot(complaint.id)
    set_severity(ctx, complaint.id, "critical")  # the same: nothing to record
    assert snapshot(complaint.id) == before
    with pytest.raises(InvalidInput, match="'urgent' is not a severity"):
        set_severity(ctx, complaint.id, "urgent")
    assert snapshot(complaint.id) == before


def test_severity_of_a_closed_complaint_stays(ctx):
    complaint = in_progress(ctx)
    resolve(ctx, complaint.id, "fixed")
    close(ctx, complaint.id)
    before = snapshot(complaint.id)
    with pytest.raises(CrmError, match="it is closed; reopen it first"):
        set_severity(ctx, complaint.id, "low")
    assert snapshot(complaint.id) == before


def test_reopening_keeps_the_original_deadlines(ctx, clock):
    complaint = in_progress(ctx, "high")
    clock.now = NOW + 2 * H
    resolve(ctx, complaint.id, "replaced the unit", "supplier batch")
    close(ctx, complaint.id, 3)
    clock.now = NOW + timedelta(days=5)
    reopen(ctx, complaint.id, note="broke again")
    stored = Complaint.get_by_id(complaint.id)
    assert (stored.status, stored.respond_by, stored.resolve_by) == (
        "reopened", NOW + 4 * H, NOW + timedelta(days=3))
    assert (stored.resolved_at, stored.closed_at, stored.satisfaction) == (None, None, None)
    assert stored.resolution == "replaced the unit"  # kept until a new one replaces it
    line = row(ctx, complaint)
    assert (line.sla.clock, line.sla_state, line.time_left) == (
        "resolve", SlaState.BREACHED, -timedelta(days=2))
    start_work(ctx, complaint.id)
    resolve(ctx, complaint.id, "new supplier")
    assert Complaint.get_by_id(complaint.id).resolution == "new supplier"


# -- acknowledging ------------------------------------------------------------------------------

def test_acknowledging_records_the_promise_and_takes_ownership(ctx, rep_ctx, clock):
    sam = as_user(ctx, "sam")
    complaint = new_complaint(ctx, "high")
    clock.now = NOW + 20 * MIN
    acknowledge(sam, complaint.id, "+4h", note="called back")
    stored = Complaint.get_by_id(complaint.id)
    assert (stored.status, stored.acknowledged_at, stored.promised_at, stored.owner.login) == (
        "acknowledged", NOW + 20 * MIN, NOW + 20 * MIN + 4 * H, "sam")
    events = [(e.kind, e.from_value, e.to_value, e.note, e.by)
              for e in complaint_detail(ctx, complaint.id).events]
    assert events[1:] == [
        ("status", "new", "acknowledged", "called back", "sam"),
        ("promise", "", (NOW + 260 * MIN).isoformat(), "", "sam"),
        ("owner", "", "sam", "", "sam"),
    ]


def test_a_promise_is_read_in_the_users_zone(ctx):
    complaint = new_complaint(ctx, "low")
    acknowledge(ctx.replaced(zone=UTC8), complaint.id, "tomorrow 10:00")
    assert Complaint.get_by_id(complaint.id).promised_at == local(2026, 11, 24, 10, 0)


@pytest.mark.parametrize(("when", "message"), [
    ("-1h", "is not in the future"),
    ("+0h", "is not in the future"),
    ("2026-11-23 09:59", "2026-11-23 09:59 is not in the future"),
    ("", "required"),
    ("next blursday", "is not a date or time"),
])
def test_a_promise_must_be_a_future_time(ctx, when, message):
    complaint = new_complaint(ctx)
    before = snapshot(complaint.id)
    with pytest.raises(InvalidInput, match=message):
        acknowledge(ctx, complaint.id, when)
    assert snapshot(complaint.id) == before


# -- the workflow -------------------------------------------------------------------------------

ACTIONS = {
    S.ACKNOWLEDGED: lambda ctx, cid: acknowledge(ctx, cid, "+2h"),
    S.IN_PROGRESS: lambda ctx, cid: start_work(ctx, cid),
    S.WAITING_CUSTOMER: lambda ctx, cid: wait_for_customer(ctx, cid),
    S.RESOLVED: lambda ctx, cid: resolve(ctx, cid, "fixed", "wiring"),
    S.CLOSED: lambda ctx, cid: close(ctx, cid, 4),
    S.REOPENED: lambda ctx, cid: reopen(ctx, cid),
}
PATHS = {
    S.NEW: [],
    S.ACKNOWLEDGED: [S.ACKNOWLEDGED],
    S.IN_PROGRESS: [S.ACKNOWLEDGED, S.IN_PROGRESS],
    S.WAITING_CUSTOMER: [S.ACKNOWLEDGED, S.IN_PROGRESS, S.WAITING_CUSTOMER],
    S.RESOLVED: [S.ACKNOWLEDGED, S.IN_PROGRESS, S.RESOLVED],
    S.CLOSED: [S.ACKNOWLEDGED, S.IN_PROGRESS, S.RESOLVED, S.CLOSED],
    S.REOPENED: [S.ACKNOWLEDGED, S.IN_PROGRESS, S.RESOLVED, S.REOPENED],
}


def complaint_in(ctx, status: S) -> Complaint:
    complaint = new_complaint(ctx)
    for step in PATHS[status]:
        ACTIONS[step](ctx, complaint.id)
    assert Complaint.get_by_id(complaint.id).status == status.value
    return complaint


def test_every_status_is_reachable_and_every_move_has_an_action():
    assert set(PATHS) == set(S)
    assert set(ACTIONS) == {target for targets in TRANSITIONS.values() for target in targets}


LEGAL = [(old, new) for old in S for new in S if can_transition(old, new)]
ILLEGAL = [(old, new) for old in S for new in ACTIONS if not can_transition(old, new)]


@pytest.mark.parametrize(("old", "new"), LEGAL, ids=[f"{o}->{n}" for o, n in LEGAL])
def test_legal_moves(ctx, clock, old, new):
    complaint = complaint_in(ctx, old)
    version = Complaint.get_by_id(complaint.id).version
    clock.now = NOW + 10 * MIN
    ACTIONS[new](ctx, complaint.id)
    stored = Complaint.get_by_id(complaint.id)
    assert (stored.status, stored.version, stored.updated_at) == (
        new.value, version + 1, NOW + 10 * MIN)
    event = (ComplaintEvent.select().where((ComplaintEvent.complaint == complaint.id)
                                           & (ComplaintEvent.kind == "status"))
             .order_by(ComplaintEvent.id.desc()).first())
    assert (event.from_value, event.to_value, event.at, event.by_id) == (
        old.value, new.value, NOW + 10 * MIN, ctx.user.id)


@pytest.mark.parametrize(("old", "new"), ILLEGAL, ids=[f"{o}->{n}" for o, n in ILLEGAL])
def test_illegal_moves_are_refused_naming_the_status_and_what_is_allowed(ctx, old, new):
    complaint = complaint_in(ctx, old)
    before = snapshot(complaint.id)
    with pytest.raises(CrmError) as refused:
        ACTIONS[new](ctx, complaint.id)
    allowed = ", ".join(s.value for s in S if s in TRANSITIONS[old])
    assert f"it is {old.value}; from {old.value} it can go to {allowed}" in str(refused.value)
    assert snapshot(complaint.id) == before


@pytest.mark.parametrize(("old", "new"), ILLEGAL, ids=[f"{o}->{n}" for o, n in ILLEGAL])
def test_a_screen_asks_for_the_refusal_before_a_dialog_and_gets_the_actions_words(ctx, old,
                                                                                   new):
    complaint = complaint_in(ctx, old)
    with pytest.raises(CrmError) as refused:
        ACTIONS[new](ctx, complaint.id)
    assert move_refusal(complaint.id, old.value, new) == str(refused.value)


def test_no_refusal_for_a_legal_move_and_the_severity_only_while_open(ctx):
    assert all(move_refusal(1, old.value, new) is None for old, new in LEGAL)
    complaint = complaint_in(ctx, S.CLOSED)
    with pytest.raises(CrmError) as refused:
        set_severity(ctx, complaint.id, "high")
    assert severity_refusal(complaint.id, "closed") == str(refused.value)
    assert severity_refusal(complaint.id, "reopened") is None


def test_complaints_go_to_active_support_staff_and_managers(ctx, rep_ctx):
    from crmtui.services.users import add_user, deactivate_user

    add_user(ctx, "sue", role="support")
    deactivate_user(ctx, "sue")
    assert [user.login for user in handlers(ctx)] == ["boss", "sam"]
    assert [user.login for user in handlers(as_user(ctx, "sam"))] == ["boss", "sam"]
    with pytest.raises(Forbidden):
        handlers(rep_ctx)


@pytest.mark.parametrize("status", [s for s in S if s is not S.WAITING_CUSTOMER])
def test_only_a_waiting_complaint_resumes(ctx, status):
    complaint = complaint_in(ctx, status)
    before = snapshot(complaint.id)
    with pytest.raises(CrmError, match=f"it is {status.value}, not waiting for the customer"):
        resume(ctx, complaint.id)
    assert snapshot(complaint.id) == before


def test_closing_an_unresolved_complaint_says_to_resolve_it_first(ctx):
    complaint = complaint_in(ctx, S.IN_PROGRESS)
    with pytest.raises(CrmError, match="resolve it with a resolution note first"):
        close(ctx, complaint.id)


def test_closing_needs_a_resolution_note(ctx):
    complaint = complaint_in(ctx, S.RESOLVED)
    Complaint.update(resolution=" ").where(Complaint.id == complaint.id).execute()
    before = snapshot(complaint.id)
    with pytest.raises(InvalidInput, match="has no resolution note"):
        close(ctx, complaint.id)
    assert snapshot(complaint.id) == before


def test_resolving_needs_a_resolution(ctx):
    complaint = complaint_in(ctx, S.IN_PROGRESS)
    before = snapshot(complaint.id)
    with pytest.raises(InvalidInput, match="resolution: required: say how it was resolved"):
        resolve(ctx, complaint.id, "  ", "cause")
    assert snapshot(complaint.id) == before
    resolve(ctx, complaint.id, "refunded")
    stored = Complaint.get_by_id(complaint.id)
    assert (stored.resolution, stored.root_cause, stored.resolved_at) == ("refunded", "", NOW)


@pytest.mark.parametrize("score", ["0", "6", "x", "4.5", -1, 9])
def test_satisfaction_is_1_to_5(ctx, score):
    complaint = complaint_in(ctx, S.RESOLVED)
    before = snapshot(complaint.id)
    with pytest.raises(InvalidInput, match="satisfaction"):
        close(ctx, complaint.id, score)
    assert snapshot(complaint.id) == before


def test_a_satisfied_customer_is_a_referral_moment(ctx, clock):
    customer = add_customer(ctx, {"name": "happy"})
    complaint = complaint_in(ctx, S.RESOLVED)
    Complaint.update(customer=customer.id).where(Complaint.id == complaint.id).execute()
    close(ctx, complaint.id, "4")
    stored = Complaint.get_by_id(complaint.id)
    assert (stored.status, stored.satisfaction, stored.closed_at) == ("closed", 4, NOW)
    survey = Survey.get()
    assert (survey.customer_id, survey.complaint_id, survey.overall, survey.at, survey.service) \
        == (customer.id, complaint.id, 4, NOW, None)
    assert Customer.get_by_id(customer.id).referral_moment_on == TODAY
    assert any(i.kind is DueKind.REFERRAL and i.customer_id == customer.id
               for i in due_list(ctx))


def test_an_unhappy_score_is_kept_but_asks_for_no_referral(ctx):
    complaint = complaint_in(ctx, S.RESOLVED)
    close(ctx, complaint.id, 2)
    assert [s.overall for s in Survey.select()] == [2]
    assert Customer.get_by_id(complaint.customer_id).referral_moment_on is None
    other = complaint_in(ctx, S.RESOLVED)
    close(ctx, other.id)
    assert Survey.select().count() == 1  # no score, no survey


# -- optimistic locking -------------------------------------------------------------------------

def test_a_stale_change_is_refused_with_who_and_when(ctx, rep_ctx, clock):
    sam = as_user(ctx, "sam")
    complaint = complaint_in(ctx, S.IN_PROGRESS)
    seen = complaint_row(sam, complaint.id).version
    clock.now = NOW + 5 * MIN
    wait_for_customer(ctx, complaint.id)
    before = snapshot(complaint.id)
    clock.now = NOW + 10 * MIN
    with pytest.raises(Conflict) as refused:
        resolve(sam, complaint.id, "fixed", expected_version=seen)
    assert str(refused.value) == ("complaint #1 was changed by boss at 2026-11-23 10:05 after you "
                                  "opened it; reload it and try again")
    assert (refused.value.changed_by, refused.value.changed_at) == ("boss", NOW + 5 * MIN)
    assert snapshot(complaint.id) == before
    start_work(sam, complaint.id, expected_version=seen + 1)  # with the fresh version it works


def test_notes_do_not_make_other_edits_stale(ctx, clock):
    complaint = complaint_in(ctx, S.IN_PROGRESS)
    seen = complaint_row(ctx, complaint.id).version
    event = add_note(ctx, complaint.id, "customer called again")
    assert (event.complaint_id, event.note, event.at) == (complaint.id, "customer called again", NOW)
    assert ComplaintEvent.get(ComplaintEvent.note == event.note).kind == "note"
    resolve(ctx, complaint.id, "fixed", expected_version=seen)
    with pytest.raises(InvalidInput, match="note: required"):
        add_note(ctx, complaint.id, " ")


# -- roles --------------------------------------------------------------------------------------

def test_a_rep_opens_and_sees_complaints_on_their_own_customers(ctx, rep_ctx):
    ray = as_user(ctx, "ray")
    ritas = add_customer(rep_ctx, {"name": "rita's"})
    boss_customer = add_customer(ctx, {"name": "boss's"})
    complaint = new_complaint(rep_ctx, "high", customer=ritas)
    assert complaint.owner is None
    assert Complaint.get_by_id(complaint.id).created_by_id == rep_ctx.user.id
    with pytest.raises(NotFound, match=f"no customer with id {boss_customer.id}"):
        new_complaint(rep_ctx, customer=boss_customer)
    with pytest.raises(Forbidden, match="only support staff or a manager can assign"):
        new_complaint(rep_ctx, customer=ritas, owner="sam")
    new_complaint(ctx, customer=boss_customer)
    assert [r.id for r in complaint_queue(rep_ctx)] == [complaint.id]
    assert [r.id for r in complaint_queue(rep_ctx, mine=True)] == [complaint.id]
    assert complaint_queue(ray) == []
    with pytest.raises(NotFound, match="no complaint with id 1"):
        get_complaint(ray, complaint.id)
    with pytest.raises(NotFound):
        add_note(ray, complaint.id, "hello")
    assert get_complaint(rep_ctx, complaint.id).id == complaint.id
    add_note(rep_ctx, complaint.id, "they are a key account")  # the rep may add what they know
    before = snapshot(complaint.id)
    for action in (lambda: acknowledge(rep_ctx, complaint.id, "+1h"),
                   lambda: set_severity(rep_ctx, complaint.id, "low"),
                   lambda: assign(rep_ctx, complaint.id, "rita")):
        with pytest.raises(Forbidden, match="only support staff or a manager can handle"):
            action()
    assert snapshot(complaint.id) == before


def test_support_and_managers_handle_every_complaint(ctx, rep_ctx):
    sam = as_user(ctx, "sam")
    ritas = add_customer(rep_ctx, {"name": "rita's"})
    by_sam = new_complaint(sam, customer=ritas)
    assert by_sam.owner == "sam"  # support owns what they open
    by_rita = new_complaint(rep_ctx, customer=ritas)
    assert {r.id for r in complaint_queue(sam)} == {by_sam.id, by_rita.id}
    assert {r.id for r in complaint_queue(ctx)} == {by_sam.id, by_rita.id}
    assert [r.id for r in complaint_queue(sam, mine=True)] == [by_sam.id]
    assert [r.id for r in complaint_queue(sam, unassigned=True)] == [by_rita.id]
    for handler in (sam, ctx):
        complaint = new_complaint(handler, customer=ritas)
        acknowledge(handler, complaint.id, "+1h")
        start_work(handler, complaint.id)


def test_assigning_to_support_or_a_manager(ctx, rep_ctx):
    complaint = new_complaint(ctx)
    before = snapshot(complaint.id)
    with pytest.raises(InvalidInput, match="rita is a rep; complaints are handled by support"):
        assign(ctx, complaint.id, "rita")
    with pytest.raises(NotFound, match="no user nobody.here"):
        assign(ctx, complaint.id, "nobody.here")
    assert snapshot(complaint.id) == before
    assign(ctx, complaint.id, "sam")
    assign(ctx, complaint.id, "boss")
    assign(ctx, complaint.id, "-")
    owners = [(e.from_value, e.to_value) for e in ComplaintEvent.select().where(
        ComplaintEvent.kind == "owner").order_by(ComplaintEvent.id)]
    assert owners == [("", "sam"), ("sam", "boss"), ("boss", "")]
    assert Complaint.get_by_id(complaint.id).owner_id is None
    with pytest.raises(InvalidInput, match="ray is a rep"):
        new_complaint(ctx, owner="ray")


def test_unknown_complaints_and_bad_input(ctx):
    with pytest.raises(NotFound, match="no complaint with id 42"):
        start_work(ctx, 42)
    with pytest.raises(NotFound, match="no complaint with id abc"):
        get_complaint(ctx, "abc")
    customer = add_customer(ctx, {"name": "x"})
    with pytest.raises(InvalidInput) as refused:
        open_complaint(ctx, customer.id, "urgent", "", channel="pigeon")
    assert set(refused.value.errors) == {"severity", "summary", "channel"}
    assert Complaint.select().count() == 0


# -- the queue ----------------------------------------------------------------------------------

def test_queue_sorts_by_time_left_and_filters(ctx, clock):
    customer = add_customer(ctx, {"name": "q"})
    low = new_complaint(ctx, "low", customer=customer)  # respond in 72 h
    critical = new_complaint(ctx, "critical", customer=customer)  # respond in 1 h
    high = in_progress(ctx, "high", customer=customer)  # resolve in 3 d
    waiting = in_progress(ctx, "normal", customer=customer)  # resolve in 7 d, paused
    wait_for_customer(ctx, waiting.id)
    done = in_progress(ctx, "normal", customer=customer)
    resolve(ctx, done.id, "fixed")
    close(ctx, done.id)
    clock.now = NOW + 10 * MIN
    queue = complaint_queue(ctx)
    # low's response and high's resolution are both 72 h away: the more severe comes first
    assert [r.id for r in queue] == [critical.id, high.id, low.id, waiting.id]
    assert [r.time_left for r in queue] == [50 * MIN, 72 * H - 10 * MIN, 72 * H - 10 * MIN,
                                            timedelta(days=7)]
    everything = complaint_queue(ctx, include_closed=True)
    assert [r.id for r in everything][-1] == done.id
    assert (everything[-1].sla.clock, everything[-1].time_left, everything[-1].sla_state) == (
        "", None, SlaState.OK)
    assert [r.id for r in complaint_queue(ctx, severity="critical,high")] == [critical.id, high.id]
    assert [r.id for r in complaint_queue(ctx, severity=["low"])] == [low.id]
    assert [r.id for r in complaint_queue(ctx, status="waiting_customer")] == [waiting.id]
    assert [r.id for r in complaint_queue(ctx, status="closed")] == [done.id]
    assert [r.id for r in complaint_queue(ctx, mine=True)] == [high.id, waiting.id]
    assert [r.id for r in complaint_queue(ctx, unassigned=True)] == [critical.id, low.id]
    with pytest.raises(InvalidInput, match="'pending' is not a complaint status"):
        complaint_queue(ctx, status="pending")
    with pytest.raises(InvalidInput, match="'urgent' is not a severity"):
        complaint_queue(ctx, severity="high,urgent")


def test_queue_row_json_has_the_script_fields(ctx):
    complaint = new_complaint(ctx, "high")
    data = complaint_row(ctx, complaint.id).to_json()
    assert {k: data[k] for k in ("id", "customer_id", "customer", "severity", "status", "owner",
                                 "opened_at", "respond_by", "resolve_by", "sla_state",
                                 "time_left_seconds")} == {
        "id": complaint.id, "customer_id": complaint.customer_id, "customer": "张三",
        "severity": "high", "status": "new", "owner": None, "opened_at": NOW,
        "respond_by": NOW + 4 * H, "resolve_by": NOW + timedelta(days=3), "sla_state": "ok",
        "time_left_seconds": 4 * 3600}


def test_detail_has_the_timeline_and_recent_interactions(ctx):
    from crmtui.services.interactions import log_interaction

    customer = add_customer(ctx, {"name": "detail"})
    log_interaction(ctx, customer.id, summary="called about the delivery", at="-2h")
    complaint = new_complaint(ctx, "normal", customer=customer, description="arrived broken")
    add_note(ctx, complaint.id, "photos requested")
    detail = complaint_detail(ctx, complaint.id)
    data = detail.to_json(ctx)
    assert [e["kind"] for e in data["events"]] == ["opened", "note"]
    assert [i["summary"] for i in data["interactions"]] == ["called about the delivery"]
    assert (data["description"], data["created_by"], detail.handler) == (
        "arrived broken", "boss", True)


# -- Today and the profile ----------------------------------------------------------------------

def test_a_complaint_raises_its_customer_on_the_owners_today_list(ctx, rep_ctx, clock):
    sam = as_user(ctx, "sam")
    ritas = add_customer(rep_ctx, {"name": "rita's"})
    complaint = new_complaint(rep_ctx, "critical", customer=ritas)
    assert complaint_ids(due_list(rep_ctx)) == []  # 1 h left of 1 h: not yet at risk
    clock.now = NOW + 50 * MIN
    assert complaint_ids(due_list(rep_ctx)) == [complaint.id]
    assert complaint_ids(due_list(sam)) == [complaint.id]  # unassigned: every support person
    assert complaint_ids(due_list(ctx)) == []  # not the manager's customer nor theirs to handle
    assert complaint_ids(due_list(ctx, everyone=True)) == [complaint.id]
    assert complaint_ids(due_list(as_user(ctx, "ray"), everyone=True)) == []
    acknowledge(sam, complaint.id, "+1h")  # the resolution clock has 23 h left: off the list
    assert complaint_ids(due_list(rep_ctx)) == []
    profile = customer_profile(rep_ctx, ritas.id)
    assert [c.id for c in profile.complaints] == [complaint.id]
    assert profile_json(rep_ctx, profile)["complaints"][0]["status"] == "acknowledged"


def test_the_today_list_uses_the_business_hours_clock(ctx, clock):
    bctx = business(ctx)
    clock.now = local(2026, 11, 27, 17, 30)  # Friday; responds by Tuesday 12:00 (4 working h)
    complaint = new_complaint(bctx, "high")
    clock.now = local(2026, 11, 28, 12, 0)  # Saturday: 1.5 d of 3.8 d used
    assert complaint_ids(due_list(bctx)) == []
    clock.now = local(2026, 12, 1, 10, 0)
    [item] = due_list(bctx, kinds={DueKind.COMPLAINT})
    assert (item.ref_id, item.due, item.detail) == (
        complaint.id, date(2026, 12, 1), "high · the device stops · respond within 2h 30m")
    assert complaint.respond_by == local(2026, 12, 1, 12, 30)


def complaint_ids(items) -> list[int]:
    return [i.ref_id for i in items if i.kind is DueKind.COMPLAINT]
