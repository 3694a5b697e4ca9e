"""Complaints at every point of their workflow, with the events that led there."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from crmtui.db import User
from crmtui.demo.accounts import survey
from crmtui.demo.state import DemoState
from crmtui.rules import Severity
from crmtui.services.complaints import deadline_after_pause, deadlines_for, pause_note

COMPLAINT_TOPICS = (
    ("delivery", "Order arrived late"),
    ("quality", "Device stops after an hour"),
    ("billing", "Invoice amount is wrong"),
    ("service", "Engineer missed the visit"),
    ("quality", "产品包装破损"),
    ("delivery", "发货延迟一周"),
    ("service", "客服电话一直占线"),
)
RESOLUTIONS = (
    ("Replaced the unit and refunded shipping", "supplier batch"),
    ("Re-sent the order by express", "warehouse backlog"),
    ("Corrected the invoice and apologised", "billing data entry"),
    ("补发新品并致歉", "包装不足"),
    ("安排工程师重新上门", "排班冲突"),
)
COMPLAINT_RATE = 0.05
"""The share of customers with a complaint."""


def complaint(demo: DemoState, cid: int, owner: User, created_at: datetime) -> date | None:
    """A complaint at some point of its workflow, with the events that led there.

    Returns the day of a satisfied close (a referral moment), if any.
    """
    rng, now = demo.rng, demo.complaint_now
    if created_at >= now:  # a customer added later today has no complaint yet
        return None
    policy = demo.ctx.config.sla
    demo.complaint_id += 1
    kid = demo.complaint_id
    severity = rng.choices(list(Severity), weights=(1, 3, 8, 4))[0]
    category, summary = rng.choice(COMPLAINT_TOPICS)
    team_scale = demo.count > 2000
    if not team_scale:  # a small demo: recent complaints, so the queue shows every state
        age = timedelta(minutes=int(rng.random() ** 3 * 60 * 24 * 60))
    elif rng.random() < 0.12:  # a team's complaints accumulate; a few are recent
        age = timedelta(minutes=int(rng.random() ** 2 * 60 * 24 * 5))
    else:
        age = timedelta(minutes=int(rng.random() * 60 * 24 * 180))
    opened = max(now - age, created_at.astimezone(timezone.utc))
    respond_by, resolve_by = deadlines_for(opened, severity, policy, demo.zone)
    handler = demo.support if rng.random() < 0.85 else demo.ctx.user
    events = [(opened, owner.id, "opened", "", "new", summary)]
    status = "new"
    acknowledged = promised = waiting = resolved = closed = None
    paused_seconds = 0
    resolution = root_cause = ""
    satisfaction = None
    referral_on = None

    def move(at: datetime, new: str, note: str = "") -> None:
        nonlocal status
        events.append((at, handler.id, "status", status, new, note))
        status = new

    progress = rng.random()
    if team_scale and now - opened > (resolve_by - opened) * 1.5:
        # most are finished well past their target; a few linger
        progress = 0.75 + progress * 0.25 if rng.random() < 0.95 else 0.3 + progress * 0.4
    elif age > timedelta(days=20):
        progress = 0.7 + progress * 0.3
    elif age > timedelta(days=3):  # only recent complaints may still be unanswered
        progress = 0.3 + progress * 0.7
    last = opened
    if progress > 0.2:
        at = opened + (respond_by - opened) * rng.uniform(0.1, 1.4)
        if at < now:
            acknowledged, last = at, at
            promised = at + timedelta(hours=rng.randint(4, 72))
            move(at, "acknowledged")
            events.append((at, handler.id, "promise", "", promised.isoformat(), ""))
            events.append((at, handler.id, "owner", "", handler.login, ""))
    if progress > 0.4 and acknowledged and last + timedelta(minutes=30) < now:
        last += timedelta(minutes=30)
        move(last, "in_progress")
    if status == "in_progress" and rng.random() < 0.3:  # asked the customer for something
        since = last + (now - last) * rng.uniform(0.1, 0.6)
        until = since + timedelta(hours=rng.randint(2, 96))
        move(since, "waiting_customer")
        if progress <= 0.7 and (until >= now or rng.random() < 0.5):
            waiting = since
        else:
            until = max(since, min(until, now - timedelta(minutes=1)))
            resolve_by, paused = deadline_after_pause(resolve_by, since, until, policy, demo.zone)
            paused_seconds = int(paused.total_seconds())
            move(until, "in_progress", pause_note(paused))
            last = until
    if progress > 0.7 and status == "in_progress":
        at = max(last + timedelta(hours=1), opened + (resolve_by - opened) * rng.uniform(0.2, 1.3))
        if at < now:
            resolved = at
            resolution, root_cause = rng.choice(RESOLUTIONS)
            move(at, "resolved", f"{resolution} · root cause: {root_cause}")
            if progress > 0.8 and at + timedelta(days=1) < now:
                closed = at + timedelta(days=1)
                satisfaction = rng.choices((1, 2, 3, 4, 5), weights=(1, 1, 2, 4, 4))[0]
                move(closed, "closed", f"satisfaction {satisfaction}/5")
                survey(
                    demo,
                    cid,
                    kid,
                    closed,
                    [None, None, None, None, satisfaction],
                    handler.id,
                    any("\u4e00" <= ch <= "\u9fff" for ch in summary),
                )
                if satisfaction >= 4:
                    referral_on = closed.astimezone(demo.zone).date()
                if rng.random() < 0.04 and closed + timedelta(days=2) < now:
                    move(closed + timedelta(days=2), "reopened", "the fault came back")
                    resolved = closed = satisfaction = None
                    referral_on = None
    demo.rows.add(
        "complaint",
        {
            "id": kid,
            "customer": cid,
            "opened_at": opened,
            "channel": rng.choice(("phone", "email", "wechat")),
            "category": category,
            "severity": severity.value,
            "summary": summary,
            "description": "",
            "owner": handler.id if acknowledged else None,
            "status": status,
            "respond_by": respond_by,
            "resolve_by": resolve_by,
            "acknowledged_at": acknowledged,
            "promised_at": promised,
            "waiting_since": waiting,
            "paused_seconds": paused_seconds,
            "resolved_at": resolved,
            "closed_at": closed,
            "resolution": resolution,
            "root_cause": root_cause,
            "satisfaction": satisfaction,
            "created_by": owner.id,
            "updated_at": events[-1][0],
            "version": 1 + sum(1 for event in events if event[2] == "status"),
        },
    )
    for at, by, kind, old, new, note in events:
        demo.rows.add(
            "event",
            {
                "complaint": kid,
                "at": at,
                "by": by,
                "kind": kind,
                "from_value": old,
                "to_value": new,
                "note": note,
            },
        )
    return referral_on
