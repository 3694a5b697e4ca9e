"""Key accounts once the value classes are known: account plans, maintenance visits, the reps'
targets, and surveys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from crmtui.db import Customer, User
from crmtui.demo.state import DemoState
from crmtui.rules import (
    Lifecycle,
    Tier,
    key_customers,
    maintenance_for,
    period_of,
    schedule,
    value_tiers,
)

KEPT_UP = {Tier.KEY: 0.8, Tier.IMPORTANT: 0.7, Tier.ORDINARY: 0.6, Tier.NONE: 0.5}
"""The share of maintained customers whose last visit is within their maintenance cadence."""
VISIT_SUMMARIES = {
    True: ("例行拜访，了解使用情况", "回访客户，收集改进意见"),
    False: (
        "Account visit: how the product is working for them",
        "Check-in call with the account's users",
    ),
}
SURVEY_COMMENTS = {
    True: {
        True: ("交货准时，服务周到", "比上家供应商响应快", "工程师很专业"),
        False: ("价格偏高", "发票总是开错", "电话很难打通"),
    },
    False: {
        True: (
            "Delivery on time and friendly support",
            "Faster than our last supplier",
            "The engineer knew the product well",
        ),
        False: (
            "Too expensive for what it does",
            "Invoices keep coming wrong",
            "Hard to reach anyone by phone",
        ),
    },
}
PLAN_ANALYSES = (
    ("技术领先，售后响应快", "价格高于竞品", "客户明年新建工厂", "竞品在本地降价"),
    (
        "Strong relationship with the CTO",
        "Single product line",
        "Expansion into the south",
        "A competitor bundles support for free",
    ),
    ("多年合作，信任度高", "交货周期偏长", "数字化改造项目", "客户预算收紧"),
)
PLAN_NOTES = (
    "季度业务回顾已完成",
    "演示了新版本，客户有兴趣",
    "确认了明年的采购计划",
    "Quarterly review done",
    "Met the new purchasing lead",
    "Agreed on a pilot",
)


def plans(demo: DemoState) -> dict[int, int | None]:
    """Account plans with targets for the largest key customers; returns their visit
    cycles."""
    rng = demo.accounts
    keys = sorted(key_customers(demo.revenue), key=lambda c: -demo.revenue[c])
    cycles = {}
    for cid in keys[: max(5, min(500, len(keys) // 10))]:
        review = demo.today + timedelta(days=demo.rng.randint(-10, 90))
        volume = demo.rng.randint(10, 200)
        cycles[cid] = demo.life.choice((7, 14, 14, None))  # None: weekly, as key customers
        target = (
            demo.revenue[cid] / 2000 * Decimal(rng.choice(("0.8", "1", "1.2", "1.5")))
        ).quantize(Decimal(1)) * 1000
        strengths, weaknesses, opportunities, threats = rng.choice(PLAN_ANALYSES)
        progress = "\n".join(
            f"{(demo.today - timedelta(days=days)).isoformat()} · boss · {note}"
            for days, note in sorted(
                (rng.randint(3, 80), rng.choice(PLAN_NOTES)) for _ in range(rng.randint(0, 3))
            )
        )
        demo.rows.add(
            "plan",
            {
                "customer": cid,
                "products": "Pro licence, annual support",
                "target_volume": volume,
                "visit_every_days": cycles[cid],
                "services": "Quarterly business review; priority support line",
                "progress": progress,
                "review_on": review,
                "updated_at": demo.now,
                "target_amount": max(target, Decimal(10000)),
                "strengths": strengths,
                "weaknesses": weaknesses,
                "opportunities": opportunities,
                "threats": threats,
            },
        )
    return cycles


def maintain(demo: DemoState, plan_cycles: dict[int, int | None]) -> None:
    """Once the value classes are known: most maintained customers had a visit within
    their cadence; every buyer's class and schedule are stored."""
    ranking = demo.profit if demo.ctx.config.maintenance.key_by == "profit" else demo.revenue
    classes = value_tiers(ranking)
    config = demo.ctx.config
    # (value class, (next_due, cadence_due, due_rule, last contact at and on, followups) of a
    # buyer or None, customer id)
    updates: list[tuple[str, tuple[Any, ...] | None, int]] = []
    for cid, value_class in classes.items():
        buyer = demo.buyers.get(cid)
        if buyer is None:
            updates.append((value_class.value, None, cid))
            continue
        last_at, followups, counted = buyer.last_at, buyer.followups, buyer.counted
        kept = maintenance_for(
            Lifecycle.CUSTOMER,
            value_class,
            plan_every_days=plan_cycles.get(cid),
            overrides=config.maintenance.cadence,
        )
        assert kept is not None  # a customer's lifecycle is maintained
        last_on = last_at.astimezone(demo.zone).date() if last_at else None
        step_days = ((demo.today + kept.step) - demo.today).days
        due = last_on + kept.step if last_on else buyer.created_on
        if due <= demo.today and demo.life.random() < KEPT_UP[value_class]:
            earliest = max(
                buyer.created_on, last_on + timedelta(days=1) if last_on else buyer.created_on
            )
            day = max(earliest, demo.today - timedelta(days=demo.life.randint(0, step_days - 1)))
            at = min(
                datetime.combine(day, time(demo.life.randint(9, 16)), demo.zone),
                demo.now - timedelta(minutes=demo.life.randint(5, 300)),
            )
            demo.interaction_id += 1
            demo.rows.add(
                "interaction",
                {
                    "id": demo.interaction_id,
                    "customer": cid,
                    "at": at,
                    "channel": "visit",
                    "direction": "out",
                    "summary": demo.life.choice(VISIT_SUMMARIES[buyer.chinese]),
                    "outcome": "positive",
                    "next_step": "",
                    "next_on": None,
                    "referral_ask": False,
                    "by": buyer.owner_id,
                    "followup_number": followups + (1 if counted else 0),
                    "contact": None,
                    "contact_name": "",
                },
            )
            followups += 1 if counted else 0
            counted += 1
            last_at, last_on = at, at.astimezone(demo.zone).date()
        planned = schedule(
            created_on=buyer.created_on,
            last_touch=last_on,
            grade_cadence=buyer.cadence,
            explicit=buyer.explicit,
            maintenance=kept,
            workdays_only=config.workdays_only,
        )
        updates.append(
            (
                value_class.value,
                (
                    planned.next_due.isoformat(),
                    planned.cadence_due.isoformat(),
                    planned.rule.value,
                    Customer.last_contact_at.db_value(last_at),
                    last_on.isoformat() if last_on else None,
                    followups,
                ),
                cid,
            )
        )
    mark = Customer._meta.database.param
    cursor = Customer._meta.database.cursor()
    cursor.executemany(
        f'UPDATE "customer" SET "value_class" = {mark} WHERE "id" = {mark}',
        [(value_class, cid) for value_class, _facts, cid in updates],
    )
    cursor.executemany(
        f'UPDATE "customer" SET "next_due" = {mark}, "cadence_due" = {mark}, '
        f'"due_rule" = {mark}, "last_contact_at" = {mark}, "last_contact_on" = {mark}, '
        f'"followups" = {mark} WHERE "id" = {mark}',
        [(*facts, cid) for _class, facts, cid in updates if facts is not None],
    )


def targets(demo: DemoState, owners: list[User]) -> None:
    """Each rep's targets for this month, quarter and year (and next year's in December):
    a little above what they booked over the last month, quarter or year."""
    rng = demo.accounts
    periods = [period_of(kind, demo.today) for kind in ("month", "quarter", "year")]
    if demo.today.month == 12:
        periods.append(period_of("year", demo.today.replace(year=demo.today.year + 1)))
    for user in owners:
        if user.role != "rep":
            continue
        for period in periods:
            days = {"month": 30, "quarter": 91, "year": 365}[period.kind.value]
            stretch = Decimal(rng.choice(("1.0", "1.1", "1.2", "1.3")))
            booked = demo.booked.get((user.id, days), Decimal(0))
            amount = (booked * stretch / 1000).quantize(Decimal(1)) * 1000
            months = days // 30
            demo.rows.add(
                "target",
                {
                    "user": user.id,
                    "period": period.key,
                    "starts_on": period.start,
                    "ends_on": period.end,
                    "amount": max(amount, Decimal(1000)),
                    "new_customers": max(1, months * rng.randint(1, 3)),
                    "set_by": demo.ctx.user.id,
                    "set_at": demo.now,
                },
            )


def survey(
    demo: DemoState,
    cid: int,
    complaint: int | None,
    at: datetime,
    scores: Sequence[int | None],
    by: int,
    chinese: bool,
) -> None:
    """A survey; some carry the customer's words and their comparison with competitors."""
    rng = demo.accounts
    demo.survey_id += 1
    overall = next((score for score in reversed(scores) if score is not None), 3)
    comment = rng.choice(SURVEY_COMMENTS[chinese][overall >= 4]) if rng.random() < 0.4 else ""
    product, service, responsiveness, value, overall_score = scores
    demo.rows.add(
        "survey",
        {
            "id": demo.survey_id,
            "customer": cid,
            "complaint": complaint,
            "at": at,
            "product": product,
            "service": service,
            "responsiveness": responsiveness,
            "value": value,
            "overall": overall_score,
            "by": by,
            "comment": comment,
        },
    )
    if complaint is None and rng.random() < 0.5:
        demo.rows.add(
            "survey_score",
            {
                "survey": demo.survey_id,
                "dimension": "competitors",
                "score": min(5, max(1, round(rng.gauss(3.4, 1)))),
            },
        )
