"""A small world written by hand for the app's snapshots: seventeen named customers of the manager
`boss` and two reps, with their contacts, orders, payments, promises, complaints, appointments,
care dates, a plan, instructions and targets. Everything is made through the services, at fixed
moments of 2026 (the test clock is moved from one to the next), with every value written out:
nothing is drawn at random, so a snapshot changes only when a screen (or this file) does.

The app opens at APP_NOW, Monday 23 November 2026, 18:00 UTC. What each screen finds there:

- Today, boss's own: every section but instructions (given to reps), drop risks and
  greetings. The schedule (a visit at 09:30 and a call at 14:00, both missed; a meeting with
  邵霞 tonight; a visit tomorrow), a complaint at risk (邵霞, critical, opened 50 minutes ago),
  a late promise (钟娟), a delivery due (Oliver Carter), a payment overdue (Mary Adams),
  follow-ups (曾敏 today, the hostile name `[/] x` three days late), a lapsed customer to win
  back (王建国), a care date (邵霞's company anniversary on the 25th), referrals to ask, a plan
  review (秦俊). Everyone's Today adds the reps': emma.brown's missed visit, Liam Harris's late
  complaint, the manager's instructions (li.na's late), li.na's payment overdue.
- The profile of 邵霞: every tab holds rows (two contacts, eight contacts logged, orders, a
  complaint, care dates in both calendars, grade changes, a customer she referred, a plan,
  promises, a survey, an edit in the history, an appointment).
- Complaints: one in each state the queue shows (late, at risk, new, in progress, waiting,
  resolved, closed), as `Complaints` names them.
- The dashboard: grades A–E, promotions, a demotion and a new customer within 30 days, an open
  pipeline, November targets for all three, money owed and overdue, instructions open, late and
  done, retention, a lapsed customer, a win.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from crmtui.db import Commitment
from crmtui.services import complaints as k
from crmtui.services.appointments import add_appointment
from crmtui.services.contacts import add_contact
from crmtui.services.context import Context
from crmtui.services.customers import add_customer, regrade, update_customer
from crmtui.services.instructions import give_instruction, report_done
from crmtui.services.interactions import (
    add_care_date,
    close_promise,
    log_interaction,
    record_order,
)
from crmtui.services.lifecycle import set_lifecycle
from crmtui.services.plans import set_plan
from crmtui.services.receivables import deliver, record_payment
from crmtui.services.surveys import record_survey
from crmtui.services.targets import set_target
from crmtui.services.users import add_user
from tests.conftest import Clock, as_user

UTC = timezone.utc


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A moment of 2026 (UTC, the tests' zone)."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


APP_NOW = at(11, 23, 18)


@dataclass(frozen=True)
class Complaints:
    """Complaint ids, one in each state the complaints queue shows."""

    at_risk: int
    """critical, new, little time left to answer."""
    new: int
    """high, new, unassigned."""
    working: int
    """normal, in progress, support's."""
    waiting: int
    """low, waiting for the customer, support's."""
    resolved: int
    """high, resolved, waiting to be closed."""
    late: int
    """normal, in progress, past the promised answer and the time to resolve."""
    closed: int
    """normal, closed with a satisfaction score."""


@dataclass(frozen=True)
class World:
    """The ids of the world's customers (by the name they go by here) and its complaints."""

    customers: dict[str, int]
    complaints: Complaints

    def __getitem__(self, name: str) -> int:
        return self.customers[name]


class Scene:
    """What the parts of the build share: the people (the manager, two reps, support), the test
    clock, and the ids of the customers made so far, by name."""

    def __init__(self, boss: Context, clock: Clock) -> None:
        self.boss, self.clock = boss, clock
        self.ids: dict[str, int] = {}
        self.when(at(1, 5, 9))  # the team, on the first working day of the year
        add_user(boss, "li.na", name="李娜", role="rep")
        add_user(boss, "emma.brown", name="Emma Brown", role="rep")
        add_user(boss, "support", name="客服 Support", role="support")
        self.li, self.emma, self.support = (
            as_user(boss, login) for login in ("li.na", "emma.brown", "support")
        )

    def when(self, moment: datetime) -> None:
        """From here on the services are called at `moment`."""
        self.clock.now = moment

    def customer(
        self, name: str, by: Context, moment: datetime, referred_by: int | None = None, **values
    ) -> int:
        self.when(moment)
        self.ids[name] = add_customer(by, {"name": name, **values}, referred_by=referred_by).id
        return self.ids[name]


def build_world(ctx: Context, clock: Clock) -> World:
    """Fill the empty database of `ctx` (its user the manager `boss`); leaves the clock at
    APP_NOW."""
    scene = Scene(ctx, clock)
    _customers(scene)
    _shao(scene)
    _boss_others(scene)
    _reps(scene)
    complaints = _complaints(scene)
    # tonight: a meeting with 邵霞
    scene.when(at(11, 23, 12))
    add_appointment(
        ctx,
        scene.ids["邵霞"],
        at="2026-11-23 19:00",
        minutes=90,
        kind="meeting",
        purpose="develop",
        place="客户办公室 3F",
        prep="带新价目表，谈2027年框架协议",
    )
    scene.when(APP_NOW)
    return World(customers=scene.ids, complaints=complaints)


def _customers(scene: Scene) -> None:
    """The customers, each made by their owner on the day they were first met."""
    customer = scene.customer
    ctx = scene.boss
    li = scene.li
    emma = scene.emma
    # boss's
    customer(
        "邵霞",
        ctx,
        at(3, 2, 9),
        company="厦门宏图建材有限公司",
        title="董事长",
        phones="171 3019 9420",
        email="shao.xia@hongtu.example.cn",
        address="厦门市思明区湖滨南路88号",
        native_place="厦门",
        tags="vip, wholesale",
        source="event",
        need="potential",
    )
    customer(
        "钟娟",
        ctx,
        at(4, 6, 10),
        company="重庆东方纺织有限公司",
        phones="173 1744 3495",
        need="clear",
        expected_close="2027-01-29",
        expected_amount="56000",
    )
    customer("曾敏", ctx, at(5, 11, 11), phones="195 1896 3216", tags="vip", need="potential")
    customer(
        "秦俊",
        ctx,
        at(6, 1, 14),
        referred_by=scene.ids["邵霞"],
        company="上海远景纺织有限公司",
        phones="186 5523 7064",
        need="clear",
        expected_close="2026-12-18",
        expected_amount="120000",
    )
    customer(
        "Mary Adams",
        ctx,
        at(2, 9, 15),
        company="Atlas Trading LLC",
        phones="+1 555-307-9932",
        email="mary.adams@atlas.example.com",
        need="potential",
    )
    customer(
        "[/] x",
        ctx,
        at(7, 20, 10),
        company="[bold]Acme[/bold] & Co",
        phones="+44 20 7394 7731",
        need="potential",
    )
    customer(
        "王建国",
        ctx,
        at(1, 12, 10),
        company="长沙东方食品有限公司",
        phones="138 0731 2468",
        need="potential",
    )
    customer("胡梓萱", ctx, at(2, 16, 10), company="南京天成软件有限公司", need="none")
    customer(
        "Oliver Carter",
        ctx,
        at(9, 14, 10),
        company="Stark Systems Co.",
        phones="+44 20 8450 3383",
        need="clear",
        expected_close="2026-11-20",
        expected_amount="48000",
    )

    customer(
        "Robert Schmidt",
        ctx,
        at(11, 17, 10),
        company="Stark Software GmbH",
        phones="+49 30 697763",
        email="r.schmidt@stark.example.de",
        source="referral",
        need="potential",
    )

    # li.na's
    customer(
        "邓宁",
        li,
        at(3, 16, 10),
        company="长沙海纳电子有限公司",
        phones="139 7310 5566",
        need="clear",
        expected_close="2027-02-26",
        expected_amount="86000",
    )
    customer(
        "Sarah Moore",
        li,
        at(4, 20, 10),
        company="Bluebird Textiles GmbH",
        phones="+49 30 264172",
        need="potential",
    )
    customer(
        "严霞",
        li,
        at(5, 25, 10),
        company="苏州新元物流有限公司",
        phones="141 9017 3944",
        need="clear",
        expected_close="2027-04-16",
        expected_amount="210000",
    )
    customer(
        "Jessica Lopez",
        li,
        at(6, 15, 10),
        company="Northwind Textiles Ltd",
        phones="+1 555-208-4410",
        need="potential",
    )

    # emma.brown's
    customer(
        "Liam Harris",
        emma,
        at(3, 23, 10),
        phones="+44 20 1996 4103",
        need="clear",
        expected_close="2026-12-04",
        expected_amount="65000",
    )
    customer(
        "蔡敏",
        emma,
        at(4, 27, 10),
        company="武汉东方物流有限公司",
        phones="150 2761 8890",
        need="potential",
    )
    customer(
        "Grace Anderson",
        emma,
        at(8, 3, 10),
        phones="+44 20 5512 0387",
        need="none",
    )


def _shao(scene: Scene) -> None:
    """邵霞's year: a whole profile, every tab of it holding rows."""
    ctx = scene.boss
    when = scene.when
    shao = scene.ids["邵霞"]
    when(at(3, 2, 9, 30))
    add_contact(ctx, shao, {"name": "邵明", "role": "decision_maker", "phones": "139 5010 2233"})
    add_contact(
        ctx, shao, {"name": "林晓", "role": "purchaser", "email": "lin.xiao@hongtu.example.cn"}
    )
    when(at(3, 10, 15))
    log_interaction(
        ctx,
        shao,
        summary="展会上认识，留了名片",
        channel="visit",
        outcome="positive",
        contact="邵明",
        next_step="寄产品资料",
        next_on="2026-03-17",
    )
    when(at(3, 17, 10))
    log_interaction(
        ctx,
        shao,
        summary="寄出产品资料和报价",
        channel="wechat",
        outcome="neutral",
        next_on="2026-04-01",
    )
    when(at(4, 1, 14))
    regrade(ctx, shao, need="clear", expected_close="2026-04-20", reason="")
    log_interaction(
        ctx,
        shao,
        summary="上门拜访，演示了产品功能",
        channel="visit",
        outcome="positive",
        contact="邵明",
        promise="发一份安装方案",
        promise_due="2026-04-08",
    )
    when(at(4, 7, 16))
    close_promise(ctx, _last_promise(shao), "done")
    when(at(4, 10, 11))
    first_order = record_order(ctx, shao, amount="16303", product="标准版软件", on="2026-04-10")
    when(at(4, 30, 10))
    record_payment(ctx, first_order.id, "16303", on="2026-04-30")
    when(at(6, 5, 10))
    add_care_date(ctx, shao, month=8, day=15, lunar=True, kind="birthday", note="中秋生日")
    add_care_date(ctx, shao, month=11, day=25, kind="anniversary", year=2019, note="公司成立")
    add_care_date(ctx, shao, month=4, day=1, lunar=True, leap=True, kind="other", note="乔迁纪念")
    when(at(7, 8, 10))
    training = record_order(ctx, shao, amount="1887", product="培训课程", on="2026-07-08")
    when(at(7, 20, 10))
    record_payment(ctx, training.id, "1887", on="2026-07-20", method="wechat")
    when(at(9, 15, 16, 5))
    log_interaction(ctx, shao, summary="电话未接通", channel="phone", outcome="no_answer")
    when(at(10, 1, 12, 50))
    record_survey(ctx, shao, {"overall": 4}, comment="服务及时")
    when(at(10, 29, 9, 20))
    log_interaction(ctx, shao, summary="客户询问交货时间", channel="phone", outcome="neutral")
    when(at(11, 2, 9))
    update_customer(ctx, shao, {"phones": "171 3019 9420, 0592 555 0101"})
    set_plan(
        ctx,
        shao,
        {
            "products": "标准版软件，培训课程",
            "target_amount": "300000",
            "visit_every_days": "30",
            "strengths": "老板亲自决策",
            "review_on": "2027-01-15",
        },
        progress="年度框架协议在谈",
    )
    when(at(11, 9, 11))
    regrade(ctx, shao, need="clear", expected_close="2026-12-11", reason="")
    when(at(11, 14, 9, 10))
    log_interaction(
        ctx,
        shao,
        summary="上门拜访，谈明年框架协议",
        channel="visit",
        outcome="positive",
        contact="邵明",
    )
    when(at(11, 18, 17, 50))
    log_interaction(
        ctx,
        shao,
        summary="客户对上次服务表示感谢",
        channel="phone",
        outcome="neutral",
        contact="林晓",
    )
    when(at(11, 20, 10))
    regrade(ctx, shao, need="clear", expected_close="2026-11-30", reason="")
    when(at(11, 23, 9, 14))
    log_interaction(
        ctx,
        shao,
        summary="确认了决策人和预算",
        channel="phone",
        outcome="positive",
        contact="邵明",
        next_step="报价",
        next_on="2026-11-24",
        promise="寄新价目表",
        promise_due="2026-11-26",
    )


def _boss_others(scene: Scene) -> None:
    """What puts boss's other customers on Today: a late promise, a missed call, money owed, a
    late follow-up, a lapsed buyer, a terminated one, a delivery, a plan review, a new
    customer's first call."""
    ctx = scene.boss
    when = scene.when
    shao = scene.ids["邵霞"]
    zhong = scene.ids["钟娟"]
    zeng = scene.ids["曾敏"]
    qin = scene.ids["秦俊"]
    mary = scene.ids["Mary Adams"]
    hostile = scene.ids["[/] x"]
    wang = scene.ids["王建国"]
    hu = scene.ids["胡梓萱"]
    oliver = scene.ids["Oliver Carter"]
    robert = scene.ids["Robert Schmidt"]
    # 钟娟: a promise two days late
    when(at(11, 16, 10, 30))
    log_interaction(
        ctx,
        zhong,
        summary="客户要报价单",
        channel="wechat",
        outcome="positive",
        promise="提供报价单",
        promise_due="2026-11-21",
        next_on="2026-12-02",
    )
    # 曾敏: due today by her next step; a visit at 14:00 that was not logged
    when(at(11, 8, 15, 40))
    log_interaction(
        ctx,
        zeng,
        summary="约好月底上门",
        channel="phone",
        outcome="positive",
        next_step="上门确认付款进度",
        next_on="2026-11-23",
    )
    regrade(ctx, zeng, need="clear", expected_close="2027-03-19", reason="")
    when(at(11, 20, 9))
    # boss's day: a visit at 09:30 and a call at 14:00, both over and not logged; a meeting
    # tonight (booked below); a visit tomorrow
    add_appointment(
        ctx,
        qin,
        at="2026-11-23 09:30",
        purpose="revenue",
        place="客户办公室 3F",
        prep="带新价目表，回应价格异议",
    )
    add_appointment(
        ctx,
        zeng,
        at="2026-11-23 14:00",
        minutes=30,
        kind="call",
        purpose="retain",
        prep="确认付款进度",
    )
    add_appointment(ctx, shao, at="2026-11-24 10:00", purpose="relationship", place="我司展厅")
    # 秦俊: referred by 邵霞, a plan whose review is due today
    when(at(6, 1, 14, 30))
    log_interaction(ctx, qin, summary="邵霞介绍，电话认识", channel="phone", outcome="positive")
    set_plan(
        ctx, qin, {"products": "专业版软件", "target_amount": "120000", "review_on": "2026-11-23"}
    )
    when(at(11, 23, 7, 5))
    log_interaction(
        ctx,
        qin,
        summary="客户对价格有异议",
        channel="wechat",
        outcome="neutral",
        next_step="发新报价",
        next_on="2026-11-25",
    )
    # Mary Adams: an order delivered in September and not paid (30 days to pay)
    when(at(9, 1, 11))
    mary_order = record_order(
        ctx, mary, amount="12400", product="Pro licence", on="2026-09-01", deliver_on="2026-09-03"
    )
    when(at(9, 3, 11))
    deliver(ctx, mary_order.id, on="2026-09-03")
    when(at(10, 6, 11))
    again = record_order(ctx, mary, amount="3200", product="Training day", on="2026-10-06")
    record_payment(ctx, again.id, "3200", on="2026-10-06")
    when(at(10, 15, 11))
    record_payment(ctx, mary_order.id, "4000", on="2026-10-15", method="transfer")
    when(at(11, 10, 11))
    third = record_order(ctx, mary, amount="2750", product="Support plan", on="2026-11-10")
    record_payment(ctx, third.id, "2750", on="2026-11-10", method="card")
    when(at(11, 18, 11, 15))
    log_interaction(
        ctx,
        mary,
        summary="Thanked us for the training",
        channel="wechat",
        outcome="positive",
        next_on="2026-11-27",
    )
    # the hostile name: a follow-up three days late
    when(at(11, 6, 10))
    log_interaction(
        ctx,
        hostile,
        summary="[red]Asked for[/red] a catalogue",
        channel="email",
        outcome="neutral",
        next_step="[link=x]send it[/link]",
        next_on="2026-11-20",
    )
    # 王建国: bought last winter, nothing since: lapsed
    when(at(1, 20, 10))
    for day, amount, product in ((20, "156795", "专业版软件"), (22, "8800", "培训课程")):
        when(at(1, day, 10))
        order = record_order(ctx, wang, amount=amount, product=product, on=f"2026-01-{day}")
        record_payment(ctx, order.id, amount, on=f"2026-01-{day}")
    # 胡梓萱: the cooperation ended
    when(at(9, 16, 10))
    set_lifecycle(ctx, hu, "terminated", reason="公司被收购，停止合作")
    # Oliver Carter: bought on Friday, to be delivered today; time to ask for a referral
    when(at(11, 20, 15))
    log_interaction(
        ctx, oliver, summary="Signed the order for 40 seats", channel="visit", outcome="positive"
    )
    record_order(
        ctx, oliver, amount="48000", product="Pro licence", on="2026-11-20", deliver_on="2026-11-23"
    )

    # Robert Schmidt: new this month, a first call
    when(at(11, 17, 11))
    log_interaction(
        ctx,
        robert,
        summary="Intro call, sent the brochure",
        channel="phone",
        outcome="positive",
        next_on="2026-12-07",
    )


def _reps(scene: Scene) -> None:
    """The reps' contacts and orders, their targets, the manager's instructions to them."""
    ctx = scene.boss
    li = scene.li
    emma = scene.emma
    when = scene.when
    ids = scene.ids
    deng = scene.ids["邓宁"]
    sarah = scene.ids["Sarah Moore"]
    yan = scene.ids["严霞"]
    jessica = scene.ids["Jessica Lopez"]
    liam = scene.ids["Liam Harris"]
    cai = scene.ids["蔡敏"]
    grace = scene.ids["Grace Anderson"]
    for by, key, moment, summary, next_on in (
        (li, "严霞", at(11, 2, 11), "例行拜访，了解使用情况", "2026-12-05"),
        (li, "Jessica Lopez", at(10, 12, 11), "Agreed the rollout plan", "2026-11-20"),
        (emma, "Liam Harris", at(11, 5, 11), "Signed, delivery in two weeks", "2026-11-26"),
        (emma, "蔡敏", at(11, 5, 11), "培训课程已付款", "2026-11-30"),
        (emma, "Grace Anderson", at(8, 3, 11), "Not buying this year", "2027-02-01"),
    ):
        when(moment)
        log_interaction(
            by, ids[key], summary=summary, channel="visit", outcome="neutral", next_on=next_on
        )
    when(at(10, 12, 10))
    record_order(li, jessica, amount="12586", product="标准版软件", on="2026-10-12")
    when(at(11, 2, 10))
    record_order(li, yan, amount="23000", product="专业版软件", on="2026-11-02")
    when(at(11, 19, 10))
    log_interaction(
        li,
        deng,
        summary="确认了决策人和预算",
        channel="meeting",
        outcome="positive",
        next_on="2026-11-26",
    )
    log_interaction(
        li,
        sarah,
        summary="Sent the English manual",
        channel="email",
        outcome="neutral",
        next_on="2026-11-30",
    )
    when(at(11, 5, 10))
    record_order(
        emma,
        liam,
        amount="65638",
        product="Enterprise licence",
        on="2026-11-05",
        deliver_on="2026-11-21",
    )
    record_order(emma, cai, amount="31129", product="培训课程", on="2026-11-05")
    when(at(11, 12, 10))
    add_care_date(emma, grace, month=11, day=25, kind="birthday")
    # grades moved within the dashboard's 30 days: Liam up, Sarah down
    when(at(11, 10, 10))
    regrade(emma, liam, need="clear", expected_close="2026-12-04", reason="")
    regrade(li, sarah, need="none", reason="")
    # targets for November
    when(at(11, 1, 9))
    set_target(ctx, "li.na", "2026-11", amount="50000", new_customers="2")
    set_target(ctx, "emma.brown", "2026-11", amount="120000", new_customers="1")
    set_target(ctx, "boss", "2026-11", amount="60000")
    # instructions: li.na's late, emma.brown's done and one open
    when(at(11, 9, 9))
    give_instruction(ctx, "li.na", jessica, "安排技术交流", "2026-11-16")
    done = give_instruction(ctx, "emma.brown", liam, "Collect the signed contract", "2026-11-13")
    give_instruction(ctx, "emma.brown", cai, "Collect the overdue payment", "2026-12-01")
    when(at(11, 12, 16))
    report_done(emma, done.id, "signed copy filed")
    # emma.brown's visit this morning, missed
    when(at(11, 20, 9))
    add_appointment(
        emma,
        cai,
        at="2026-11-23 09:30",
        purpose="information",
        place="客户工厂",
        prep="回访上次投诉的处理结果",
    )


def _complaints(scene: Scene) -> Complaints:
    """One complaint in each state, made at fixed times before APP_NOW."""
    ctx = scene.boss
    support = scene.support
    when = scene.when
    shao = scene.ids["邵霞"]
    qin = scene.ids["秦俊"]
    deng = scene.ids["邓宁"]
    sarah = scene.ids["Sarah Moore"]
    yan = scene.ids["严霞"]
    jessica = scene.ids["Jessica Lopez"]
    liam = scene.ids["Liam Harris"]
    when(at(11, 10, 9))
    late = k.open_complaint(
        support, liam, "normal", "Delivery two weeks late", channel="email", category="delivery"
    )
    when(at(11, 10, 10))
    k.acknowledge(support, late.id, "2026-11-15 18:00", note="asked the warehouse")
    k.start_work(support, late.id)
    when(at(11, 23, 12))
    working = k.open_complaint(
        support,
        deng,
        "normal",
        "Wrong colour delivered",
        channel="wechat",
        category="quality",
        description="Ordered grey, got blue.",
    )
    when(at(11, 23, 12, 10))
    k.acknowledge(support, working.id, "tomorrow 10:00", note="called back")
    when(at(11, 23, 13))
    k.start_work(support, working.id)
    waiting = k.open_complaint(support, sarah, "low", "Manual in English only")
    k.acknowledge(support, waiting.id, "+1d")
    k.start_work(support, waiting.id)
    when(at(11, 23, 14))
    k.wait_for_customer(support, waiting.id, note="asked which language")
    when(at(11, 23, 15))
    resolved = k.open_complaint(ctx, yan, "high", "Invoice sent twice")
    k.acknowledge(ctx, resolved.id, "+1h")
    k.start_work(ctx, resolved.id)
    when(at(11, 23, 16))
    k.resolve(ctx, resolved.id, "credit note issued", "billing run repeated")
    closed = k.open_complaint(support, jessica, "normal", "Late delivery")
    k.acknowledge(support, closed.id, "+2h")
    k.start_work(support, closed.id)
    k.resolve(support, closed.id, "re-sent by express")
    k.close(support, closed.id, 4)
    when(APP_NOW)
    at_risk = k.open_complaint(
        ctx,
        shao,
        "critical",
        "发货延迟一周",
        channel="phone",
        category="delivery",
        opened_at=at(11, 23, 17, 10),
    )
    new = k.open_complaint(ctx, qin, "high", "Invoice address wrong", channel="email")
    return Complaints(
        at_risk=at_risk.id,
        new=new.id,
        working=working.id,
        waiting=waiting.id,
        resolved=resolved.id,
        late=late.id,
        closed=closed.id,
    )


def _last_promise(customer_id: int) -> int:
    return (
        Commitment.select(Commitment.id)
        .where(Commitment.customer == customer_id)
        .order_by(Commitment.id.desc())
        .first()
        .id
    )
