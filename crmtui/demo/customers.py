"""A customer and their history: contacts, promises, care dates and grade changes, with the orders,
complaints, surveys and contacts other modules draw for them."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from crmtui.db import User
from crmtui.demo.accounts import survey
from crmtui.demo.complaints import COMPLAINT_RATE, complaint
from crmtui.demo.people import contact, person, spoken_to
from crmtui.demo.sales import PRODUCTS, after_sale, order_count
from crmtui.demo.state import Buyer, DemoState
from crmtui.rules import (
    Grade,
    Lifecycle,
    Need,
    default_cadence,
    grade_for,
    grade_reason,
    lapses_on,
    schedule,
)
from crmtui.search import search_document, sort_key

SOURCES = ("canvass", "marketing", "referral", "research", "agent", "records", "event")
CHANNELS = (
    "phone",
    "phone",
    "phone",
    "wechat",
    "wechat",
    "email",
    "visit",
    "meeting",
    "sms",
    "event",
)
SUMMARIES_ZH = (
    "电话沟通了新报价，客户需要内部讨论",
    "上门拜访，演示了产品功能",
    "微信跟进合同细节",
    "客户询问交货时间",
    "发送了产品资料和成功案例",
    "约好下周面谈",
    "电话未接通",
    "客户对价格有异议",
    "客户对上次服务表示感谢",
    "确认了决策人和预算",
)
SUMMARIES_EN = (
    "Called about the new quote; they need to discuss it internally",
    "Visited and demoed the product",
    "Followed up on contract details",
    "Asked about delivery times",
    "Sent brochure and case studies",
    "Agreed to meet next week",
    "No answer",
    "Pushback on price",
    "Thanked us for the quick fix last month",
    "Confirmed the decision maker and budget",
)
NEXT_STEPS = {
    True: ("发送合同草稿", "确认付款方式", "安排技术交流"),
    False: ("Send revised quote", "Book a demo", "Call back after their meeting"),
}
PROMISES = {
    True: ("寄送样品", "提供报价单", "安排工程师上门"),
    False: ("Send the price list", "Deliver samples", "Arrange a site visit"),
}


def customer(demo: DemoState, cid: int, owners: list[User]) -> None:
    rng, today = demo.rng, demo.today
    name, company, phone, title, city, chinese = person(demo.rng)
    owner = owners[cid % len(owners)]
    demo.owner_of[cid], demo.chinese[cid] = owner.id, chinese
    age_days = int(rng.random() ** 1.5 * 1000)
    created_on = today - timedelta(days=age_days)
    created_at = min(demo.moment(created_on), demo.now - timedelta(minutes=30))
    roll = rng.random()
    need = Need.CLEAR if roll < 0.45 else Need.POTENTIAL if roll < 0.8 else Need.NONE
    close = None
    if need is Need.CLEAR and rng.random() < 0.9:
        close = today + timedelta(days=rng.randint(-20, 240))
    grade = grade_for(need, close, today)
    pinned = rng.random() < 0.02
    if pinned:
        grade = Grade(rng.choice("ABC"))
    cadence = default_cadence(grade, demo.ctx.config.cadence)

    # contact history: the last contact lands so that the next due spreads around today
    touches = touch_count(demo, age_days)
    history: list[datetime] = []
    if touches:
        step_days = {"daily": 1, "weekly": 7, "half_monthly": 15, "monthly": 30, "yearly": 365}[
            cadence.value
        ]
        # mostly within the cadence; about one in ten has run past it (overdue)
        last_gap = min(age_days, int(rng.random() * step_days * 1.1))
        last_day = today - timedelta(days=last_gap)
        days = sorted(rng.randint(0, max(0, age_days - last_gap)) for _ in range(touches - 1))
        history = [demo.moment(created_on + timedelta(days=d)) for d in days]
        history.append(demo.moment(last_day))
        latest = demo.now - timedelta(minutes=rng.randint(5, 300))
        history = sorted(min(at, latest) for at in history)
    last_at = history[-1] if history else None
    last_on = last_at.astimezone(demo.zone).date() if last_at else None
    next_step, next_on = "", None
    if last_on and (today - last_on).days <= 14 and rng.random() < 0.3:
        next_on = last_on + timedelta(days=rng.randint(1, 21))
        next_step = rng.choice(NEXT_STEPS[chinese])
    referral_moment = None
    referral_asked = None
    contacts: list[tuple[datetime, str, str]] = []
    first_interaction = len(demo.rows.rows["interaction"])
    for number, at in enumerate(history):
        demo.interaction_id += 1
        outcome = rng.choices(
            ("positive", "neutral", "negative", "no_answer"), weights=(1.2, 6, 1.5, 1)
        )[0]
        summaries = SUMMARIES_ZH if chinese else SUMMARIES_EN
        summary = (
            summaries[8] if outcome == "positive" and rng.random() < 0.3 else rng.choice(summaries)
        )
        ask = outcome == "positive" and rng.random() < 0.4
        is_last = number == len(history) - 1
        channel = rng.choice(CHANNELS)
        direction = "in" if rng.random() < 0.2 else "out"
        contacts.append((at, direction, outcome))
        demo.rows.add(
            "interaction",
            {
                "id": demo.interaction_id,
                "customer": cid,
                "at": at,
                "channel": channel,
                "direction": direction,
                "summary": summary,
                "outcome": outcome,
                "next_step": next_step if is_last else "",
                "next_on": next_on if is_last else None,
                "referral_ask": ask,
                "by": owner.id,
                "followup_number": number,
                "contact": None,
                "contact_name": "",
            },
        )
        if outcome == "positive":
            referral_moment = at.astimezone(demo.zone).date()
        if ask:
            referral_asked = at.astimezone(demo.zone).date()
        if is_last and rng.random() < 0.08:
            due = today + timedelta(days=rng.randint(-6, 12))
            due = max(due, at.date())
            status = (
                "open"
                if due >= today - timedelta(days=6) and rng.random() < 0.8
                else rng.choice(("done", "broken"))
            )
            demo.rows.add(
                "commitment",
                {
                    "customer": cid,
                    "interaction": demo.interaction_id,
                    "text": rng.choice(PROMISES[chinese]),
                    "due": due,
                    "status": status,
                    "created_at": at,
                    "closed_at": None if status == "open" else at + timedelta(days=2),
                    "by": owner.id,
                },
            )

    revenue = Decimal(0)
    status, deal = ("potential", "potential")
    orders: list[list[Any]] = []
    drawn_moment = referral_moment
    if need is Need.NONE and rng.random() < 0.3:
        status = "terminated"
    elif rng.random() < 0.45:
        status, deal = "existing", "won"
        for _ in range(order_count(demo.rng)):
            day = created_on + timedelta(days=rng.randint(0, age_days))
            amount = Decimal(int(math.exp(rng.gauss(8.3, 1.2)))).quantize(Decimal("1"))
            amount = max(amount, Decimal(50))
            revenue += amount
            orders.append([day, amount, rng.choice(PRODUCTS), rng.randint(1, 20), demo.moment(day)])
            drawn_moment = max(drawn_moment or day, day)
    elif need is Need.CLEAR:
        status, deal = "intent", "negotiating"
    if revenue:
        demo.revenue[cid] = revenue
    # decided on the dates as drawn, so that the main stream draws what it always drew
    asked = bool(drawn_moment and (today - drawn_moment).days < 7 and rng.random() < 0.7)
    life = after_sale(demo, cid, owner, created_on, created_at, age_days, orders, contacts, status)
    for day, *_rest in orders:
        referral_moment = max(referral_moment or day, day)
    if asked and referral_moment and (today - referral_moment).days < 7:
        referral_asked = referral_moment  # most reps already asked

    care(demo, cid, created_on)
    if rng.random() < COMPLAINT_RATE:
        satisfied_on = complaint(demo, cid, owner, created_at)
        if satisfied_on:
            referral_moment = max(referral_moment or satisfied_on, satisfied_on)
    if revenue and rng.random() < 0.25:
        scores = [min(5, max(1, round(rng.gauss(4, 0.9)))) for _ in range(5)]
        day = today - timedelta(days=rng.randint(0, 400))
        survey(demo, cid, None, demo.moment(day), scores, owner.id, chinese)
    if company and rng.random() < 0.3:
        people = []
        for _ in range(rng.randint(1, 3)):
            contact_name, _c, contact_phone, contact_title, _city, _zh = person(demo.rng)
            role = rng.choice(("decision_maker", "influencer", "purchaser", "user"))
            people.append(
                contact(demo, cid, contact_name, contact_title, role, contact_phone, chinese)
            )
        spoken_to(demo, first_interaction, people)
    grade_history(demo, cid, grade, created_at, need, close, owner)

    explicit = next_on if next_on and last_on and next_on > last_on else None
    lifecycle, reason, last_order, regular, opportunity_since, followups, counted = life
    lapsed_on = (
        lapses_on(last_order, regular, demo.ctx.config.maintenance.lapse_days)
        if lifecycle is Lifecycle.LAPSED and last_order is not None  # a lapsed one has bought
        else None
    )
    planned = schedule(
        created_on=created_on,
        last_touch=last_on,
        grade_cadence=cadence,
        explicit=explicit,
        lapsed_on=lapsed_on,
        workdays_only=demo.ctx.config.workdays_only,
    )
    if lifecycle is Lifecycle.CUSTOMER:
        demo.buyers[cid] = Buyer(
            owner_id=owner.id,
            chinese=chinese,
            cadence=cadence,
            created_on=created_on,
            last_at=last_at,
            explicit=explicit,
            counted=counted,
            followups=followups,
        )
    referred_by = None
    source = rng.choice(SOURCES)
    if cid > 10 and rng.random() < 0.08:
        referred_by = rng.randint(1, cid - 1)
        source = "referral"
    email = ""
    if rng.random() < 0.7:
        local = f"c{cid}" if chinese else name.lower().replace(" ", ".").replace("ü", "ue")
        domain = rng.choice(("example.com", "example.cn", "mail.example.org"))
        email = f"{local}@{domain}"
    tags = ",".join(
        sorted(
            rng.sample(
                ("vip", "north", "south", "online", "wholesale", "retail", "new"),
                rng.randint(0, 2),
            )
        )
    )
    demo.rows.add(
        "customer",
        {
            "id": cid,
            "name": name,
            "company": company,
            "title": title,
            "phones": phone,
            "email": email,
            "address": f"{city}市{rng.randint(1, 300)}号"
            if city
            else f"{rng.randint(1, 300)} High Street",
            "im_id": f"wx_{cid}" if chinese and rng.random() < 0.6 else "",
            "native_place": city,
            "tags": tags,
            "notes": "",
            "need": need.value,
            "expected_close": close,
            "expected_amount": Decimal(rng.randrange(5, 500) * 1000)
            if need is Need.CLEAR
            else None,
            "grade": grade.value,
            "grade_pinned": pinned,
            "pin_reason": "key account, decided with the manager" if pinned else "",
            "next_step": next_step,
            "next_step_on": explicit,
            "next_due": planned.next_due,
            "cadence_due": planned.cadence_due,
            "followups": followups,
            "last_contact_at": last_at,
            "last_contact_on": last_on,
            "status": status,
            "deal_status": deal,
            "source": source,
            "referred_by": referred_by,
            "owner": owner.id,
            "revenue": revenue,
            "referral_moment_on": referral_moment,
            "referral_asked_on": referral_asked,
            "search_doc": search_document(name, company, phone, email, "", tags),
            "sort_name": sort_key(name),
            "created_at": created_at,
            "created_on": created_on,
            "updated_at": created_at,
            "version": 1,
            "membership": rng.choice(("", "", "silver", "gold")),
            "goals": "",
            "situation": "",
            "competitors": "",
            "lifecycle": lifecycle.value,
            "lifecycle_reason": reason,
            "due_rule": planned.rule.value,
            "last_order_on": last_order,
            "regular_until": regular,
            "opportunity_since": opportunity_since,
            "profit": demo.profit.get(cid, Decimal(0)),
        },
    )


def touch_count(demo: DemoState, age_days: int) -> int:
    rng = demo.rng
    mean = demo.per_customer
    if age_days < 30 and rng.random() < 0.3:
        return 0  # a new lead not contacted yet
    count = int(rng.expovariate(1 / mean)) + 1
    return min(count, max(1, age_days // 2 + 1), int(mean * 8))


def care(demo: DemoState, cid: int, created_on: date) -> None:
    rng = demo.rng
    if rng.random() > 0.45:
        return
    if rng.random() < 0.015:  # make sure some care dates are near
        day = demo.today + timedelta(days=rng.randint(0, 3))
        demo.rows.add(
            "care",
            {
                "customer": cid,
                "kind": "birthday",
                "month": day.month,
                "day": day.day,
                "year": rng.randint(1960, 2000),
                "lunar": False,
                "leap": False,
                "note": "",
            },
        )
        return
    lunar = rng.random() < 0.25
    month = rng.randint(1, 12)
    day_of = rng.randint(1, 30 if lunar else 28)
    year = rng.randint(1955, 2002) if rng.random() < 0.7 and not lunar else None
    kind = "birthday" if rng.random() < 0.8 else "anniversary"
    note = "" if kind == "birthday" else "合作纪念日"
    demo.rows.add(
        "care",
        {
            "customer": cid,
            "kind": kind,
            "month": month,
            "day": day_of,
            "year": year,
            "lunar": lunar,
            "leap": False,
            "note": note,
        },
    )


def grade_history(
    demo: DemoState,
    cid: int,
    grade: Grade,
    created_at: datetime,
    need: Need,
    close: date | None,
    owner: User,
) -> None:
    rng = demo.rng
    today = demo.today
    if grade in (Grade.A, Grade.B, Grade.C) and rng.random() < 0.5:
        first = Grade(rng.choice([g for g in "BCD" if g > grade.value] or ["D"]))
        demo.rows.add(
            "grade",
            {
                "customer": cid,
                "at": created_at,
                "on": created_at.date(),
                "from_grade": None,
                "to_grade": first.value,
                "reason": "new customer",
                "by": owner.id,
            },
        )
        moved = datetime.combine(today - timedelta(days=rng.randint(0, 89)), time(9), demo.zone)
        moved = max(moved, created_at)
        demo.rows.add(
            "grade",
            {
                "customer": cid,
                "at": moved,
                "on": moved.date(),
                "from_grade": first.value,
                "to_grade": grade.value,
                "reason": grade_reason(need, close, today),
                "by": None,
            },
        )
    else:
        demo.rows.add(
            "grade",
            {
                "customer": cid,
                "at": created_at,
                "on": created_at.date(),
                "from_grade": None,
                "to_grade": grade.value,
                "reason": "new customer",
                "by": owner.id,
            },
        )
        if grade in (Grade.D, Grade.E) and rng.random() < 0.1:
            moved = datetime.combine(
                today - timedelta(days=rng.randint(0, 89)), time(10), demo.zone
            )
            moved = max(moved, created_at)
            demo.rows.add(
                "grade",
                {
                    "customer": cid,
                    "at": moved,
                    "on": moved.date(),
                    "from_grade": "C",
                    "to_grade": grade.value,
                    "reason": "close date moved out",
                    "by": owner.id,
                },
            )
