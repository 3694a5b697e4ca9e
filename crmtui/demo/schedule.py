"""The team's days: the manager's instructions to the reps, and today's and tomorrow's
appointments."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from typing import cast

from crmtui.db import Customer, User
from crmtui.demo.state import DemoState
from crmtui.rules import Lifecycle

INSTRUCTIONS_ZH = (
    "带新价目表拜访客户",
    "催收逾期货款",
    "确认下季度采购计划",
    "安排技术交流",
    "了解竞品报价",
)
INSTRUCTIONS_EN = (
    "Present the new price list",
    "Collect the overdue payment",
    "Confirm next quarter's order plan",
    "Arrange a technical session",
    "Find out the competitor's price",
)
# A day's appointments (拜访计划): today's and tomorrow's slots, and what a visit is for
TODAY_SLOTS = ((9, 30), (11, 0), (14, 0), (16, 30), (19, 0))
TOMORROW_SLOTS = ((9, 0), (10, 30), (14, 30), (16, 0))
APPOINTMENT_KINDS = (
    ("visit", (60, 90)),
    ("visit", (60, 90)),
    ("visit", (60,)),
    ("call", (30,)),
    ("call", (15, 30)),
    ("meeting", (60, 120)),
)
PURPOSES = ("revenue", "retain", "relationship", "information", "develop")
PREPARATIONS = {
    True: (
        "带新价目表，谈明年的框架协议",
        "准备产品演示，带样品",
        "回访上次投诉的处理结果",
        "了解竞品报价",
        "确认付款进度",
        "",
    ),
    False: (
        "Bring the new price list; talk about next year's contract",
        "Prepare the demo and samples",
        "Follow up on last month's complaint",
        "Ask about the competitor's offer",
        "",
    ),
}
PLACES = {
    True: ("客户办公室", "客户工厂", "我司展厅", "咖啡厅"),
    False: ("Their office", "Their plant", "Our showroom", "Café downstairs"),
}
STILL_OPEN = {
    True: ("等采购部确认预算", "需要再演示一次给技术部", ""),
    False: ("Waiting for purchasing to confirm the budget", "A second demo for IT", ""),
}


def instructions(demo: DemoState, owners: list[User]) -> None:
    """The manager's instructions (上级指令) to the reps about some of their customers:
    most reported done, some open, a few late."""
    rng, today, manager = demo.cash, demo.today, demo.ctx.user
    for cid in range(1, demo.count + 1):
        owner = demo.owner_of.get(cid)
        if owner is None or owner == manager.id or rng.random() > 0.03:  # to reps
            continue
        chinese = demo.chinese.get(cid, True)
        text = rng.choice(INSTRUCTIONS_ZH if chinese else INSTRUCTIONS_EN)
        given = today - timedelta(days=rng.randint(0, 20))
        due = given + timedelta(days=rng.randint(1, 14))
        given_at = datetime.combine(given, time(9), demo.zone)
        done = due < today and rng.random() < 0.6 or rng.random() < 0.3
        done_on = min(today, due + timedelta(days=rng.randint(-3, 2))) if done else None
        if done_on is not None and done_on < given:
            done_on = given
        demo.rows.add(
            "instruction",
            {
                "customer": cid,
                "to": owner,
                "by": manager.id,
                "text": text,
                "due": due,
                "given_at": given_at,
                "done_at": datetime.combine(done_on, time(17), demo.zone) if done_on else None,
                "done_on": done_on,
                "note": rng.choice(("已落实", "客户已确认"))
                if done and chinese
                else "done as asked"
                if done
                else "",
            },
        )


def appointments(demo: DemoState, owners: list[User]) -> None:
    """Each owner's day: visits, calls and meetings today and tomorrow with customers due
    then (today's, before the demo's moment, held and reviewed), on slots that never
    overlap. From a stream of their own, so the rest of the demo stays as it was."""
    rng = demo.visits
    tomorrow = demo.today + timedelta(days=1)
    for owner in owners:
        # peewee's stubs type `.tuples()` rows as model instances
        due = cast(
            "list[tuple[int, str, date]]",
            list(
                Customer.select(Customer.id, Customer.name, Customer.next_due)
                .where(
                    (Customer.owner == owner.id)
                    & (Customer.next_due <= tomorrow)
                    & (Customer.lifecycle != Lifecycle.TERMINATED.value)
                )
                .order_by(Customer.next_due, Customer.id)
                .limit(40)
                .tuples()
            ),
        )
        today_due = [row for row in due if row[2] <= demo.today]
        later = [row for row in due if row[2] == tomorrow] or today_due
        for day, slots, pool, count in (
            (demo.today, TODAY_SLOTS, today_due, 3),
            (tomorrow, TOMORROW_SLOTS, later, 2),
        ):
            picked = rng.sample(pool, min(count, len(pool)))
            for (cid, name, _due), (hour, minute) in zip(
                picked, sorted(rng.sample(slots, len(picked))), strict=True
            ):
                appointment(demo, rng, owner, cid, name, day, hour, minute)


def appointment(
    demo: DemoState,
    rng: random.Random,
    owner: User,
    cid: int,
    name: str,
    day: date,
    hour: int,
    minute: int,
) -> None:
    chinese = not name.isascii()
    kind, lengths = rng.choice(APPOINTMENT_KINDS)
    # slots are at least 90 minutes apart: no two of one person's overlap
    minutes = min(rng.choice(lengths), 90)
    starts = datetime.combine(day, time(hour, minute), demo.zone).astimezone(timezone.utc)
    ends = starts + timedelta(minutes=minutes)
    booked = min(demo.now, starts) - timedelta(days=rng.randint(1, 5))
    held = ends <= demo.now
    place = rng.choice(PLACES[chinese]) if kind != "call" else ""
    demo.rows.add(
        "appointment",
        {
            "customer": cid,
            "user": owner.id,
            "starts_at": starts,
            "ends_at": ends,
            "minutes": minutes,
            "kind": kind,
            "purpose": rng.choice(PURPOSES),
            "place": place,
            "prep": rng.choice(PREPARATIONS[chinese]),
            "status": "done" if held else "planned",
            "first_starts_at": starts,
            "purpose_met": rng.choice(("yes", "yes", "partly", "no")) if held else "",
            "still_open": rng.choice(STILL_OPEN[chinese]) if held else "",
            "closed_at": ends if held else None,
            "created_at": booked,
            "created_by": owner.id,
            "updated_at": ends if held else booked,
        },
    )
