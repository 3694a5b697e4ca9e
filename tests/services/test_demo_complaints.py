"""Demo complaints look like ones the services made: legal histories, clocks and surveys."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from crmtui.db import Complaint, ComplaintEvent, Customer, Survey
from crmtui.demo import build_demo
from crmtui.rules import OPEN_STATUSES, can_transition
from crmtui.services.complaints import (
    acknowledge,
    complaint_queue,
    deadlines_for,
    pause_note,
    resume,
)
from tests.conftest import NOW


@pytest.fixture
def demo(ctx):
    build_demo(ctx, 1200)
    return ctx


def test_demo_complaints_follow_the_workflow(demo):
    events = {}
    for event in ComplaintEvent.select().order_by(ComplaintEvent.at, ComplaintEvent.id):
        events.setdefault(event.complaint_id, []).append(event)
    complaints = list(Complaint.select())
    statuses = Counter(c.status for c in complaints)
    assert {"new", "acknowledged", "in_progress", "waiting_customer", "resolved",
            "closed"} <= set(statuses)
    assert any(c.paused_seconds for c in complaints)
    surveys = {s.complaint_id: s for s in Survey.select().where(Survey.complaint.is_null(False))}
    for c in complaints:
        history = events[c.id]
        assert (history[0].kind, history[0].at, history[0].by_id) == (
            "opened", c.opened_at, c.created_by_id)
        assert c.opened_at >= Customer.get_by_id(c.customer_id).created_at
        assert all(e.at <= NOW for e in history), c.id
        moves = [e for e in history if e.kind == "status"]
        status = "new"
        for move in moves:
            assert move.from_value == status and can_transition(status, move.to_value), c.id
            status = move.to_value
        assert status == c.status
        assert c.version == 1 + len(moves)
        assert (c.acknowledged_at is None) == (c.status == "new")
        assert (c.owner_id is None) == (c.status == "new")
        if c.acknowledged_at:
            assert c.promised_at > c.acknowledged_at
            assert [e.kind for e in history[1:4]] == ["status", "promise", "owner"]
        assert (c.waiting_since is not None) == (c.status == "waiting_customer")
        if c.waiting_since:
            assert c.waiting_since == moves[-1].at
        respond_by, resolve_by = deadlines_for(c.opened_at, c.severity)
        assert c.respond_by == respond_by
        assert c.resolve_by == resolve_by + timedelta(seconds=c.paused_seconds)
        if c.paused_seconds:
            assert pause_note(timedelta(seconds=c.paused_seconds)) in [m.note for m in moves]
        assert (c.resolved_at is not None) == (c.status in ("resolved", "closed"))
        assert (c.closed_at is not None) == (c.status == "closed")
        assert bool(c.resolution) == any(m.to_value == "resolved" for m in moves)
        if c.satisfaction is not None:
            assert c.status == "closed" and surveys[c.id].overall == c.satisfaction
            if c.satisfaction >= 4:
                assert Customer.get_by_id(c.customer_id).referral_moment_on is not None


def test_the_services_carry_on_from_demo_data(demo):
    queue = complaint_queue(demo)
    assert queue and {r.status for r in queue} <= {s.value for s in OPEN_STATUSES}
    waiting = next(r for r in queue if r.status == "waiting_customer")
    resume(demo, waiting.id)
    fresh = next(r for r in queue if r.status == "new")
    assert acknowledge(demo, fresh.id, "+2h").status == "acknowledged"


def test_a_team_sized_demo_has_mostly_finished_complaints(ctx):
    """At team scale complaints accumulate over months: most are finished, a few are open."""
    build_demo(ctx, 2500)
    statuses = Counter(c.status for c in Complaint.select(Complaint.status))
    total = sum(statuses.values())
    still_open = sum(statuses[s.value] for s in OPEN_STATUSES)
    assert total > 80
    assert statuses["closed"] + statuses["resolved"] > 0.7 * total
    assert 0 < still_open < 0.25 * total
