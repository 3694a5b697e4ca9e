"""Complaint metrics for the dashboard, against figures worked out by hand."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from crmtui.services.complaints import (
    SlaBreakdown,
    SlaTally,
    acknowledge,
    close,
    complaint_metrics,
    open_complaint,
    resolve,
    start_work,
    wait_for_customer,
)
from crmtui.services.customers import add_customer
from tests.conftest import NOW, TODAY, as_user

H = timedelta(hours=1)
D = timedelta(days=1)


@pytest.fixture
def handled(ctx, rep_ctx, clock):
    """Six complaints opened today, looked at ten days later (targets in the comments):

    A critical, sam: answered at 0.5 h (1 h) met; resolved at 20 h (24 h) met; closed, 5/5
    B high, sam:     answered at 5 h (4 h) missed; resolved at 4 d (3 d) missed; closed, 2/5
    C low, rita's customer, nobody: never answered (72 h) missed; resolution (14 d) pending
    D normal, boss: answered at 1 h met; waiting since 2 h, before its 7 d: pending
    E normal, boss: answered at 1 h met; still in progress after its 7 d: missed
    F high, boss:   answered at 1 h met; waiting since 4 d, after its 3 d: missed
    and O, opened a week earlier, closed today with 4/5 (satisfaction only).
    """
    sam = as_user(ctx, "sam")
    ours = add_customer(ctx, {"name": "ours"})
    ritas = add_customer(rep_ctx, {"name": "rita's"})

    def opened(severity, customer=ours, by=ctx, **kwargs):
        return open_complaint(by, customer.id, severity, f"{severity} issue", **kwargs).id

    a, b = opened("critical", owner="sam"), opened("high", owner="sam")
    opened("low", ritas, by=rep_ctx)  # C: never answered
    d, e, f = opened("normal"), opened("normal"), opened("high")
    o = opened("normal", opened_at=NOW - 7 * D)

    def at(offset, action, *args, by=ctx, **kwargs):
        clock.now = NOW + offset
        action(by, *args, **kwargs)

    at(H / 2, acknowledge, a, "+1h", by=sam)
    at(H, start_work, a, by=sam)
    at(20 * H, resolve, a, "replaced", by=sam)
    at(21 * H, close, a, 5, by=sam)
    at(5 * H, acknowledge, b, "+1h", by=sam)
    at(5 * H, start_work, b, by=sam)
    at(4 * D, resolve, b, "refunded", by=sam)
    at(4 * D, close, b, 2, by=sam)
    for complaint in (d, e, f, o):
        at(H, acknowledge, complaint, "+1h")
        at(H, start_work, complaint)
    at(2 * H, wait_for_customer, d)
    at(4 * D, wait_for_customer, f)
    at(H, resolve, o, "explained the invoice")
    at(H, close, o, 4)
    clock.now = NOW + 10 * D
    return {"sam": sam, "rita": rep_ctx}


def tally(met, missed, pending):
    return SlaTally(met, missed, pending)


def test_shares_per_severity_and_owner(ctx, handled):
    metrics = complaint_metrics(ctx, TODAY, TODAY + 20 * D, everyone=True)
    assert metrics.total == SlaBreakdown(6, tally(4, 2, 0), tally(1, 3, 2))
    assert (round(metrics.total.response.share, 4), metrics.total.resolution.share) == (
        0.6667, 0.25)
    assert metrics.by_severity == {
        "critical": SlaBreakdown(1, tally(1, 0, 0), tally(1, 0, 0)),
        "high": SlaBreakdown(2, tally(1, 1, 0), tally(0, 2, 0)),
        "normal": SlaBreakdown(2, tally(2, 0, 0), tally(0, 1, 1)),
        "low": SlaBreakdown(1, tally(0, 1, 0), tally(0, 0, 1)),
    }
    assert list(metrics.by_severity) == ["critical", "high", "normal", "low"]
    assert metrics.by_owner == {
        "": SlaBreakdown(1, tally(0, 1, 0), tally(0, 0, 1)),
        "boss": SlaBreakdown(3, tally(3, 0, 0), tally(0, 2, 1)),
        "sam": SlaBreakdown(2, tally(1, 1, 0), tally(1, 1, 0)),
    }
    assert metrics.by_status == {"new": 1, "acknowledged": 0, "in_progress": 1,
                                 "waiting_customer": 2, "resolved": 0, "closed": 2,
                                 "reopened": 0}
    assert (metrics.closed, metrics.satisfaction, metrics.satisfaction_counts) == (
        3, 3.67, {2: 1, 4: 1, 5: 1})
    data = metrics.to_json()
    assert data["resolution"] == {"met": 1, "missed": 3, "pending": 2, "share": 0.25}
    assert data["by_owner"]["sam"]["response"]["share"] == 0.5
    assert data["satisfaction_counts"] == {"2": 1, "4": 1, "5": 1}


def test_scopes(ctx, handled):
    mine = complaint_metrics(handled["sam"], TODAY, TODAY + 20 * D)
    assert (mine.total.opened, set(mine.by_owner), mine.closed, mine.satisfaction) == (
        2, {"sam"}, 2, 3.5)
    rita = complaint_metrics(handled["rita"], TODAY, TODAY + 20 * D, everyone=True)
    assert (rita.total.opened, rita.by_status["new"], rita.closed) == (1, 1, 0)
    boss = complaint_metrics(ctx, TODAY, TODAY + 20 * D)  # handles D-F, owns A-F's customer
    assert (boss.total.opened, boss.closed) == (5, 3)


def test_the_period_is_local_days_inclusive(ctx, handled):
    east = ctx.replaced(zone=timezone(timedelta(hours=8)))
    customer = add_customer(ctx, {"name": "late night"})
    for when in ("2026-11-22 23:59", "2026-11-23 00:00"):  # +08:00 local times
        open_complaint(east, customer.id, "low", "x", opened_at=when)
    day = TODAY - 1 * D  # 2026-11-22 local: only the 23:59 one (the fixture's all fall after)
    assert complaint_metrics(east, day, day, everyone=True).total.opened == 1
    assert complaint_metrics(east, TODAY, TODAY, everyone=True).total.opened == 7
    nothing = complaint_metrics(ctx, TODAY - 30 * D, TODAY - 20 * D, everyone=True)
    assert (nothing.total, nothing.satisfaction, nothing.by_owner) == (SlaBreakdown(), None, {})
    assert nothing.total.response.share is None
