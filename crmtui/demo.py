"""Realistic demo data, generated deterministically from a seed.

Mixed Chinese and English customers across every grade, with contact histories whose follow-ups
fall due today, overdue and later; orders with a long-tailed revenue (so 80/20 means something);
care dates (some lunar, some within the next days), promises, complaints in every state,
surveys, referrals, account plans for key customers and recent grade movements.

After the sale: every buyer's first order closed the lead, on the day of the follow-up that
did it, and some later orders closed new opportunities (wins, with the follow-ups the contact
history gives them); most buyers bought
recently, some have lapsed (to win back), some customers were terminated with a reason. Once
every customer is made, the value classes (80/20) are known: key customers get account plans
(visit every 7 or 14 days, or weekly by their class), most maintained customers had their last
visit within their cadence, and the next due dates fold the maintenance in.

The draws of the lifecycle come from a second random stream, so the customers, contacts and
complaints of a seed stay the ones they were before lifecycles existed.

Rows go in through bulk inserts inside one transaction, so 100,000 customers take seconds, and
every stored derived column (grade, next_due, cadence_due, revenue, search document) is computed
with the same rules the services use.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from crmtui.db import (
    AccountPlan,
    Appointment,
    CareDate,
    Commitment,
    Complaint,
    ComplaintEvent,
    Contact,
    Customer,
    CustomerChange,
    GradeChange,
    Instruction,
    Interaction,
    Order,
    Payment,
    Survey,
    SurveyScore,
    Target,
    User,
    Win,
    write_transaction,
)
from crmtui.db.bulk import bulk_insert, deferred_indexes, reset_sequences
from crmtui.errors import CrmError
from crmtui.rules import (
    Grade,
    Lifecycle,
    Need,
    Severity,
    Tier,
    counts_as_followup,
    default_cadence,
    grade_for,
    grade_reason,
    key_customers,
    lapses_on,
    lifecycle_for,
    maintenance_for,
    period_of,
    regular_until,
    schedule,
    value_tiers,
)
from crmtui.search import search_document, sort_key
from crmtui.services.access import require_manager
from crmtui.services.complaints import deadline_after_pause, deadlines_for, pause_note

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙"
    "史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤单"
)
GIVEN = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "晓东",
    "志强",
    "海燕",
    "丹",
    "萍",
    "鹏",
    "华",
    "红",
    "玉兰",
    "飞",
    "玲",
    "桂芳",
    "建国",
    "婷",
    "雪",
    "慧",
    "宁",
    "斌",
    "浩",
    "凯",
    "佳",
    "欣",
    "子涵",
    "梓萱",
    "一鸣",
    "思远",
    "晨",
    "立",
    "雨",
    "琳",
    "博",
    "文",
    "俊",
    "昊",
]
FIRST_NAMES = [
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Daniel",
    "Karen",
    "Anna",
    "Lukas",
    "Sofia",
    "Emma",
    "Noah",
    "Olivia",
    "Liam",
    "Mia",
    "Lucas",
    "Amelia",
    "Oliver",
    "Chloe",
    "Ethan",
    "Grace",
]
LAST_NAMES = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Martin",
    "Jackson",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Walker",
    "Young",
    "King",
    "Wright",
    "Lopez",
    "Hill",
    "Green",
    "Adams",
    "Baker",
    "Nelson",
    "Carter",
    "Müller",
    "Schmidt",
    "Rossi",
    "Dubois",
]
CITIES = (
    "北京",
    "上海",
    "广州",
    "深圳",
    "杭州",
    "南京",
    "成都",
    "重庆",
    "武汉",
    "西安",
    "苏州",
    "天津",
    "长沙",
    "厦门",
)
CN_WORDS = (
    "华信",
    "恒通",
    "瑞达",
    "博远",
    "启航",
    "宏图",
    "嘉禾",
    "天成",
    "鼎盛",
    "汇丰",
    "新元",
    "中联",
    "金桥",
    "远景",
    "海纳",
    "同创",
    "东方",
    "锦程",
    "智达",
    "长青",
)
CN_TRADES = ("科技", "贸易", "机械", "电子", "物流", "食品", "医药", "建材", "软件", "纺织")
EN_WORDS = (
    "Northwind",
    "Bluebird",
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Harbor",
    "Summit",
    "Pioneer",
    "Evergreen",
    "Silverline",
    "Redwood",
    "Atlas",
    "Nimbus",
)
EN_TRADES = (
    "Trading",
    "Systems",
    "Logistics",
    "Foods",
    "Medical",
    "Machinery",
    "Software",
    "Textiles",
    "Electronics",
    "Materials",
)
EN_SUFFIXES = ("Ltd", "Inc.", "GmbH", "LLC", "Co.")
TITLES_ZH = ("采购经理", "总经理", "技术总监", "财务主管", "运营经理", "项目经理", "董事长", "")
TITLES_EN = (
    "Purchasing Manager",
    "CEO",
    "CTO",
    "Finance Lead",
    "Operations Manager",
    "Project Manager",
    "Owner",
    "",
)
PRODUCTS = (
    "Standard licence",
    "Pro licence",
    "Support plan",
    "Training day",
    "Hardware kit",
    "标准版软件",
    "专业版软件",
    "年度服务",
    "培训课程",
    "设备套装",
)
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
TERMINATION_REASONS = (
    "went with a competitor",
    "company closed",
    "moved to another region",
    "不再需要此类产品",
    "长期拖欠货款",
)
VISIT_SUMMARIES = {
    True: ("例行拜访，了解使用情况", "回访客户，收集改进意见"),
    False: (
        "Account visit: how the product is working for them",
        "Check-in call with the account's users",
    ),
}
KEPT_UP = {Tier.KEY: 0.8, Tier.IMPORTANT: 0.7, Tier.ORDINARY: 0.6, Tier.NONE: 0.5}
"""The share of maintained customers whose last visit is within their maintenance cadence."""
LATER_WINS = 0.3
"""Of the later orders after contacts, the share that closed a new opportunity (the others,
and those without a contact, are repeat buys)."""
ACTIVE_BUYERS = 0.88
"""The share of buyers still buying; the rest stopped a while ago and may have lapsed."""


DEPARTMENTS = {
    True: ("采购部", "技术部", "财务部", "总经办", "生产部", ""),
    False: ("Purchasing", "Engineering", "Finance", "Management", "Operations", ""),
}
CONTACT_NOTES = {
    True: ("喜欢喝茶，周五下午最好约", "决定年度预算", "对售后响应很在意"),
    False: (
        "Prefers e-mail before calls",
        "Signs off the yearly budget",
        "Cares most about support response times",
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
REP_NAMES = (
    ("wang.fang", "王芳"),
    ("li.na", "李娜"),
    ("zhang.wei", "张伟"),
    ("emma.brown", "Emma Brown"),
    ("liu.yang", "刘洋"),
    ("noah.king", "Noah King"),
    ("chen.jing", "陈静"),
    ("zhao.lei", "赵磊"),
)


@dataclass(frozen=True)
class DemoSummary:
    customers: int
    users: int
    interactions: int
    orders: int
    complaints: int
    care_dates: int
    promises: int


class _Rows:
    """Per-table row buffers flushed in bulk, children after their customers."""

    ORDER = (
        "customer",
        "contact",
        "interaction",
        "commitment",
        "order",
        "payment",
        "instruction",
        "win",
        "change",
        "care",
        "complaint",
        "event",
        "survey",
        "survey_score",
        "grade",
        "plan",
        "target",
        "appointment",
    )

    def __init__(self) -> None:
        self.rows = {name: [] for name in self.ORDER}
        self.counts = {name: 0 for name in self.ORDER}

    def add(self, table: str, row: tuple) -> None:
        self.rows[table].append(row)

    def flush(self, specs) -> None:
        for name in self.ORDER:
            if self.rows[name]:
                model, fields = specs[name]
                self.counts[name] += bulk_insert(model, fields, self.rows[name])
                self.rows[name].clear()


def _specs():
    return {
        "customer": (
            Customer,
            [
                Customer.id,
                Customer.name,
                Customer.company,
                Customer.title,
                Customer.phones,
                Customer.email,
                Customer.address,
                Customer.im_id,
                Customer.native_place,
                Customer.tags,
                Customer.notes,
                Customer.need,
                Customer.expected_close,
                Customer.expected_amount,
                Customer.grade,
                Customer.grade_pinned,
                Customer.pin_reason,
                Customer.next_step,
                Customer.next_step_on,
                Customer.next_due,
                Customer.cadence_due,
                Customer.followups,
                Customer.last_contact_at,
                Customer.last_contact_on,
                Customer.status,
                Customer.deal_status,
                Customer.source,
                Customer.referred_by,
                Customer.owner,
                Customer.revenue,
                Customer.referral_moment_on,
                Customer.referral_asked_on,
                Customer.search_doc,
                Customer.sort_name,
                Customer.created_at,
                Customer.created_on,
                Customer.updated_at,
                Customer.version,
                Customer.membership,
                Customer.goals,
                Customer.situation,
                Customer.competitors,
                Customer.lifecycle,
                Customer.lifecycle_reason,
                Customer.due_rule,
                Customer.last_order_on,
                Customer.regular_until,
                Customer.opportunity_since,
                Customer.profit,
            ],
        ),
        "contact": (
            Contact,
            [
                Contact.id,
                Contact.customer,
                Contact.name,
                Contact.title,
                Contact.role,
                Contact.phone,
                Contact.email,
                Contact.department,
                Contact.im_id,
                Contact.birthday,
                Contact.note,
            ],
        ),
        "interaction": (
            Interaction,
            [
                Interaction.id,
                Interaction.customer,
                Interaction.at,
                Interaction.channel,
                Interaction.direction,
                Interaction.summary,
                Interaction.outcome,
                Interaction.next_step,
                Interaction.next_on,
                Interaction.referral_ask,
                Interaction.by,
                Interaction.followup_number,
                Interaction.contact,
                Interaction.contact_name,
            ],
        ),
        "commitment": (
            Commitment,
            [
                Commitment.customer,
                Commitment.interaction,
                Commitment.text,
                Commitment.due,
                Commitment.status,
                Commitment.created_at,
                Commitment.closed_at,
                Commitment.by,
            ],
        ),
        "order": (
            Order,
            [
                Order.id,
                Order.customer,
                Order.on,
                Order.product,
                Order.quantity,
                Order.amount,
                Order.cost,
                Order.gift,
                Order.note,
                Order.by,
                Order.created_at,
                Order.deliver_on,
                Order.delivered_on,
                Order.delivery,
                Order.paid,
                Order.owed,
                Order.owed_since,
            ],
        ),
        "payment": (
            Payment,
            [
                Payment.order,
                Payment.customer,
                Payment.on,
                Payment.amount,
                Payment.method,
                Payment.note,
                Payment.by,
                Payment.at,
            ],
        ),
        "instruction": (
            Instruction,
            [
                Instruction.customer,
                Instruction.to,
                Instruction.by,
                Instruction.text,
                Instruction.due,
                Instruction.given_at,
                Instruction.done_at,
                Instruction.done_on,
                Instruction.note,
            ],
        ),
        "win": (Win, [Win.customer, Win.order, Win.on, Win.amount, Win.followups, Win.at, Win.by]),
        "change": (
            CustomerChange,
            [
                CustomerChange.customer,
                CustomerChange.at,
                CustomerChange.on,
                CustomerChange.what,
                CustomerChange.from_value,
                CustomerChange.to_value,
                CustomerChange.reason,
                CustomerChange.by,
            ],
        ),
        "care": (
            CareDate,
            [
                CareDate.customer,
                CareDate.kind,
                CareDate.month,
                CareDate.day,
                CareDate.year,
                CareDate.lunar,
                CareDate.leap,
                CareDate.note,
            ],
        ),
        "complaint": (
            Complaint,
            [
                Complaint.id,
                Complaint.customer,
                Complaint.opened_at,
                Complaint.channel,
                Complaint.category,
                Complaint.severity,
                Complaint.summary,
                Complaint.description,
                Complaint.owner,
                Complaint.status,
                Complaint.respond_by,
                Complaint.resolve_by,
                Complaint.acknowledged_at,
                Complaint.promised_at,
                Complaint.waiting_since,
                Complaint.paused_seconds,
                Complaint.resolved_at,
                Complaint.closed_at,
                Complaint.resolution,
                Complaint.root_cause,
                Complaint.satisfaction,
                Complaint.created_by,
                Complaint.updated_at,
                Complaint.version,
            ],
        ),
        "event": (
            ComplaintEvent,
            [
                ComplaintEvent.complaint,
                ComplaintEvent.at,
                ComplaintEvent.by,
                ComplaintEvent.kind,
                ComplaintEvent.from_value,
                ComplaintEvent.to_value,
                ComplaintEvent.note,
            ],
        ),
        "survey": (
            Survey,
            [
                Survey.id,
                Survey.customer,
                Survey.complaint,
                Survey.at,
                Survey.product,
                Survey.service,
                Survey.responsiveness,
                Survey.value,
                Survey.overall,
                Survey.by,
                Survey.comment,
            ],
        ),
        "survey_score": (
            SurveyScore,
            [SurveyScore.survey, SurveyScore.dimension, SurveyScore.score],
        ),
        "target": (
            Target,
            [
                Target.user,
                Target.period,
                Target.starts_on,
                Target.ends_on,
                Target.amount,
                Target.new_customers,
                Target.set_by,
                Target.set_at,
            ],
        ),
        "grade": (
            GradeChange,
            [
                GradeChange.customer,
                GradeChange.at,
                GradeChange.on,
                GradeChange.from_grade,
                GradeChange.to_grade,
                GradeChange.reason,
                GradeChange.by,
            ],
        ),
        "appointment": (
            Appointment,
            [
                Appointment.customer,
                Appointment.user,
                Appointment.starts_at,
                Appointment.ends_at,
                Appointment.minutes,
                Appointment.kind,
                Appointment.purpose,
                Appointment.place,
                Appointment.prep,
                Appointment.status,
                Appointment.first_starts_at,
                Appointment.purpose_met,
                Appointment.still_open,
                Appointment.closed_at,
                Appointment.created_at,
                Appointment.created_by,
                Appointment.updated_at,
            ],
        ),
        "plan": (
            AccountPlan,
            [
                AccountPlan.customer,
                AccountPlan.products,
                AccountPlan.target_volume,
                AccountPlan.visit_every_days,
                AccountPlan.services,
                AccountPlan.progress,
                AccountPlan.review_on,
                AccountPlan.updated_at,
                AccountPlan.target_amount,
                AccountPlan.strengths,
                AccountPlan.weaknesses,
                AccountPlan.opportunities,
                AccountPlan.threats,
            ],
        ),
    }


def build_demo(
    ctx,
    customers: int = 200,
    *,
    seed: int = 7,
    today: date | None = None,
    interactions_per_customer: float = 10.0,
) -> DemoSummary:
    """Fill an empty database. Refuses a database that already holds customers."""
    if customers < 1 or customers > 2_000_000:
        raise CrmError("--customers must be between 1 and 2,000,000")
    ctx.require_writable()
    require_manager(ctx, "fill the database with demo data")
    with write_transaction():
        if Customer.select().exists():
            raise CrmError(
                f"the database already holds {Customer.select().count()} customers; demo data "
                "goes only into an empty database (choose another file with --db)"
            )
        generator = _Generator(
            ctx, customers, seed, today or ctx.today(), interactions_per_customer
        )
        return generator.run()


class _Generator:
    def __init__(self, ctx, count: int, seed: int, today: date, per_customer: float) -> None:
        self.ctx = ctx
        self.count = count
        self.rng = random.Random(seed)
        self.life = random.Random(seed * 7919 + 1)  # lifecycle draws (see the module notes)
        self.today = today
        self.zone = ctx.zone
        self.per_customer = per_customer
        self.rows = _Rows()
        self.specs = _specs()
        self.interaction_id = 0
        self.contact_id = 0
        self.survey_id = 0
        # Key accounts (contacts' details, who was spoken to, plans, targets, survey comments)
        # draw from their own sequence, so the rest of the demo stays as it was.
        self.accounts = random.Random(seed * 1000 + 14)
        # deliveries, payments and instructions draw from their own sequence too
        self.cash = random.Random(seed * 1000 + 19)
        self.owner_of: dict[int, int] = {}
        self.chinese: dict[int, bool] = {}
        self.visits = random.Random(seed * 31 + 19)  # the appointments' own stream
        self.booked: dict[tuple[int, int], Decimal] = {}
        """Orders of the last 30, 91 and 365 days per booking user, for their targets."""
        self.complaint_id = 0
        self.order_id = 0
        self.revenue: dict[int, Decimal] = {}
        self.profit: dict[int, Decimal] = {}
        self.buyers: dict[int, tuple] = {}
        """Per customer still buying, what the schedule needs once the value classes are
        known: (owner id, chinese, cadence, created_on, last contact, explicit next step,
        last order, regular_until, counted contacts of the open opportunity, followups)."""
        # Nothing happens after the moment the data is made (late afternoon of another day).
        self.now = (
            ctx.now()
            if today == ctx.today()
            else datetime.combine(today, time(17, 30), self.zone).astimezone(timezone.utc)
        )
        # complaints run on the real clock: their service levels are read against it
        self.complaint_now = min(self.now, ctx.now()).replace(second=0, microsecond=0)

    # -- helpers -------------------------------------------------------------------------------
    def moment(self, day: date) -> datetime:
        hour = self.rng.randint(8, 18)
        return datetime.combine(day, time(hour, self.rng.randrange(0, 60, 5)), self.zone)

    def users(self) -> list[User]:
        manager = self.ctx.user
        # a rep per 2,000 customers: 50 for the benchmark's 100k, 500 for a million
        reps_wanted = 5 if self.count <= 2000 else min(500, max(5, self.count // 2000))
        reps = []
        for index in range(reps_wanted):
            if index < len(REP_NAMES):
                login, display = REP_NAMES[index]
            else:
                login, display = f"rep{index + 1:02d}", f"Rep {index + 1:02d}"
            user, _ = User.get_or_create(
                login=login,
                defaults={"display_name": display, "role": "rep", "created_at": self.now},
            )
            reps.append(user)
        support, _ = User.get_or_create(
            login="support",
            defaults={"display_name": "客服 Support", "role": "support", "created_at": self.now},
        )
        self.support = support
        return [manager, *reps]

    def person(self) -> tuple[str, str, str, str, str, bool]:
        rng = self.rng
        if rng.random() < 0.6:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            city = rng.choice(CITIES)
            company = (
                f"{city}{rng.choice(CN_WORDS)}{rng.choice(CN_TRADES)}有限公司"
                if rng.random() < 0.85
                else ""
            )
            phone = (
                f"1{rng.choice('3456789')}{rng.randint(0, 9)} {rng.randint(1000, 9999)} "
                f"{rng.randint(1000, 9999)}"
            )
            title = rng.choice(TITLES_ZH)
            return name, company, phone, title, city, True
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = f"{first} {last}"
        company = (
            f"{rng.choice(EN_WORDS)} {rng.choice(EN_TRADES)} {rng.choice(EN_SUFFIXES)}"
            if rng.random() < 0.85
            else ""
        )
        phone = rng.choice(
            (
                f"+1 555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                f"+44 20 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
                f"+49 30 {rng.randint(100000, 999999)}",
            )
        )
        title = rng.choice(TITLES_EN)
        return name, company, phone, title, "", False

    # -- generation ----------------------------------------------------------------------------
    def run(self) -> DemoSummary:
        owners = self.users()
        with deferred_indexes(model for model, _fields in self.specs.values()):
            for start in range(1, self.count + 1, 2000):
                for customer_id in range(start, min(start + 2000, self.count + 1)):
                    self.customer(customer_id, owners)
                self.rows.flush(self.specs)
            self.maintain(self.plans())
            self.targets(owners)
            self.instructions(owners)
            self.rows.flush(self.specs)
            self.appointments(owners)
            self.rows.flush(self.specs)
        reset_sequences([Customer, Interaction, Complaint, Order, Contact, Survey])
        counts = self.rows.counts
        return DemoSummary(
            customers=counts["customer"],
            users=len(owners) + 1,
            interactions=counts["interaction"],
            orders=counts["order"],
            complaints=counts["complaint"],
            care_dates=counts["care"],
            promises=counts["commitment"],
        )

    def customer(self, cid: int, owners: list[User]) -> None:
        rng, today = self.rng, self.today
        name, company, phone, title, city, chinese = self.person()
        owner = owners[cid % len(owners)]
        self.owner_of[cid], self.chinese[cid] = owner.id, chinese
        age_days = int(rng.random() ** 1.5 * 1000)
        created_on = today - timedelta(days=age_days)
        created_at = min(self.moment(created_on), self.now - timedelta(minutes=30))
        roll = rng.random()
        need = Need.CLEAR if roll < 0.45 else Need.POTENTIAL if roll < 0.8 else Need.NONE
        close = None
        if need is Need.CLEAR and rng.random() < 0.9:
            close = today + timedelta(days=rng.randint(-20, 240))
        grade = grade_for(need, close, today)
        pinned = rng.random() < 0.02
        if pinned:
            grade = Grade(rng.choice("ABC"))
        cadence = default_cadence(grade, self.ctx.config.cadence)

        # contact history: the last contact lands so that the next due spreads around today
        touches = self.touch_count(age_days)
        history: list[datetime] = []
        if touches:
            step_days = {"daily": 1, "weekly": 7, "half_monthly": 15, "monthly": 30, "yearly": 365}[
                cadence.value
            ]
            # mostly within the cadence; about one in ten has run past it (overdue)
            last_gap = min(age_days, int(rng.random() * step_days * 1.1))
            last_day = today - timedelta(days=last_gap)
            days = sorted(rng.randint(0, max(0, age_days - last_gap)) for _ in range(touches - 1))
            history = [self.moment(created_on + timedelta(days=d)) for d in days]
            history.append(self.moment(last_day))
            latest = self.now - timedelta(minutes=rng.randint(5, 300))
            history = sorted(min(at, latest) for at in history)
        last_at = history[-1] if history else None
        last_on = last_at.astimezone(self.zone).date() if last_at else None
        next_step, next_on = "", None
        if last_on and (today - last_on).days <= 14 and rng.random() < 0.3:
            next_on = last_on + timedelta(days=rng.randint(1, 21))
            next_step = rng.choice(NEXT_STEPS[chinese])
        referral_moment = None
        referral_asked = None
        contacts: list[tuple[datetime, str, str]] = []
        first_interaction = len(self.rows.rows["interaction"])
        for number, at in enumerate(history):
            self.interaction_id += 1
            outcome = rng.choices(
                ("positive", "neutral", "negative", "no_answer"), weights=(1.2, 6, 1.5, 1)
            )[0]
            summaries = SUMMARIES_ZH if chinese else SUMMARIES_EN
            summary = (
                summaries[8]
                if outcome == "positive" and rng.random() < 0.3
                else rng.choice(summaries)
            )
            ask = outcome == "positive" and rng.random() < 0.4
            is_last = number == len(history) - 1
            channel = rng.choice(CHANNELS)
            direction = "in" if rng.random() < 0.2 else "out"
            contacts.append((at, direction, outcome))
            self.rows.add(
                "interaction",
                (
                    self.interaction_id,
                    cid,
                    at,
                    channel,
                    direction,
                    summary,
                    outcome,
                    next_step if is_last else "",
                    next_on if is_last else None,
                    ask,
                    owner.id,
                    number,
                    None,
                    "",
                ),
            )
            if outcome == "positive":
                referral_moment = at.astimezone(self.zone).date()
            if ask:
                referral_asked = at.astimezone(self.zone).date()
            if is_last and rng.random() < 0.08:
                due = today + timedelta(days=rng.randint(-6, 12))
                due = max(due, at.date())
                status = (
                    "open"
                    if due >= today - timedelta(days=6) and rng.random() < 0.8
                    else rng.choice(("done", "broken"))
                )
                self.rows.add(
                    "commitment",
                    (
                        cid,
                        self.interaction_id,
                        rng.choice(PROMISES[chinese]),
                        due,
                        status,
                        at,
                        None if status == "open" else at + timedelta(days=2),
                        owner.id,
                    ),
                )

        revenue = Decimal(0)
        status, deal = ("potential", "potential")
        orders: list[list] = []
        drawn_moment = referral_moment
        if need is Need.NONE and rng.random() < 0.3:
            status = "terminated"
        elif rng.random() < 0.45:
            status, deal = "existing", "won"
            for _ in range(self.order_count()):
                day = created_on + timedelta(days=rng.randint(0, age_days))
                amount = Decimal(int(math.exp(rng.gauss(8.3, 1.2)))).quantize(Decimal("1"))
                amount = max(amount, Decimal(50))
                revenue += amount
                orders.append(
                    [day, amount, rng.choice(PRODUCTS), rng.randint(1, 20), self.moment(day)]
                )
                drawn_moment = max(drawn_moment or day, day)
        elif need is Need.CLEAR:
            status, deal = "intent", "negotiating"
        if revenue:
            self.revenue[cid] = revenue
        # decided on the dates as drawn, so that the main stream draws what it always drew
        asked = bool(drawn_moment and (today - drawn_moment).days < 7 and rng.random() < 0.7)
        life = self.after_sale(
            cid, owner, created_on, created_at, age_days, orders, contacts, status
        )
        for day, *_rest in orders:
            referral_moment = max(referral_moment or day, day)
        if asked and referral_moment and (today - referral_moment).days < 7:
            referral_asked = referral_moment  # most reps already asked

        self.care(cid, created_on)
        if rng.random() < self.complaint_rate():
            satisfied_on = self.complaint(cid, owner, created_at)
            if satisfied_on:
                referral_moment = max(referral_moment or satisfied_on, satisfied_on)
        if revenue and rng.random() < 0.25:
            scores = [min(5, max(1, round(rng.gauss(4, 0.9)))) for _ in range(5)]
            day = today - timedelta(days=rng.randint(0, 400))
            self.survey(cid, None, self.moment(day), scores, owner.id, chinese)
        if company and rng.random() < 0.3:
            people = []
            for _ in range(rng.randint(1, 3)):
                contact_name, _c, contact_phone, contact_title, _city, _zh = self.person()
                role = rng.choice(("decision_maker", "influencer", "purchaser", "user"))
                people.append(
                    self.contact(cid, contact_name, contact_title, role, contact_phone, chinese)
                )
            self.spoken_to(first_interaction, people)
        self.grade_history(cid, grade, created_at, need, close, owner)

        explicit = next_on if next_on and last_on and next_on > last_on else None
        lifecycle, reason, last_order, regular, opportunity_since, followups, counted = life
        lapsed_on = (
            lapses_on(last_order, regular, self.ctx.config.maintenance.lapse_days)
            if lifecycle is Lifecycle.LAPSED
            else None
        )
        planned = schedule(
            created_on=created_on,
            last_touch=last_on,
            grade_cadence=cadence,
            explicit=explicit,
            lapsed_on=lapsed_on,
            workdays_only=self.ctx.config.workdays_only,
        )
        if lifecycle is Lifecycle.CUSTOMER:
            self.buyers[cid] = (
                owner.id,
                chinese,
                cadence,
                created_on,
                last_at,
                explicit,
                last_order,
                regular,
                counted,
                followups,
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
        self.rows.add(
            "customer",
            (
                cid,
                name,
                company,
                title,
                phone,
                email,
                f"{city}市{rng.randint(1, 300)}号"
                if city
                else f"{rng.randint(1, 300)} High Street",
                f"wx_{cid}" if chinese and rng.random() < 0.6 else "",
                city,
                tags,
                "",
                need.value,
                close,
                Decimal(rng.randrange(5, 500) * 1000) if need is Need.CLEAR else None,
                grade.value,
                pinned,
                "key account, decided with the manager" if pinned else "",
                next_step,
                explicit,
                planned.next_due,
                planned.cadence_due,
                followups,
                last_at,
                last_on,
                status,
                deal,
                source,
                referred_by,
                owner.id,
                revenue,
                referral_moment,
                referral_asked,
                search_document(name, company, phone, email, "", tags),
                sort_key(name),
                created_at,
                created_on,
                created_at,
                1,
                rng.choice(("", "", "silver", "gold")),
                "",
                "",
                "",
                lifecycle.value,
                reason,
                planned.rule.value,
                last_order,
                regular,
                opportunity_since,
                self.profit.get(cid, Decimal(0)),
            ),
        )

    def after_sale(
        self,
        cid: int,
        owner: User,
        created_on: date,
        created_at: datetime,
        age_days: int,
        orders: list[list],
        contacts: list[tuple],
        status: str,
    ) -> tuple:
        """The orders' rows, their wins and costs, and what they give the customer:
        (lifecycle, its reason, last order, regular_until, opportunity start, followups,
        counted contacts of the open opportunity)."""
        life, today, zone = self.life, self.today, self.zone
        if status == "terminated":
            reason = life.choice(TERMINATION_REASONS)
            at = min(
                created_at + timedelta(days=life.randint(1, max(1, age_days))),
                self.now - timedelta(hours=1),
            )
            self.rows.add(
                "change",
                (
                    cid,
                    at,
                    at.astimezone(zone).date(),
                    "lifecycle",
                    "prospect",
                    "terminated",
                    reason,
                    owner.id,
                ),
            )
            return Lifecycle.TERMINATED, reason, None, None, None, *self._opened(contacts, None)
        if not orders:
            return Lifecycle.PROSPECT, "", None, None, None, *self._opened(contacts, None)
        self._place_orders(orders, contacts, created_on, age_days)
        days = [order[0] for order in orders]
        opened = None
        profit = Decimal(0)
        for number, (day, amount, product, quantity, at) in enumerate(orders):
            self.order_id += 1
            cost = (amount * Decimal(str(round(life.uniform(0.4, 0.85), 2)))).quantize(
                Decimal("0.01")
            )
            profit += amount - cost
            self.rows.add(
                "order",
                (
                    self.order_id,
                    cid,
                    day,
                    product,
                    quantity,
                    amount,
                    cost,
                    "",
                    "",
                    owner.id,
                    at,
                    *self.follow_through(cid, owner, day, amount),
                ),
            )
            for window in (30, 91, 365):  # the run rates the reps' targets follow
                if (self.today - day).days < window:
                    key = (owner.id, window)
                    self.booked[key] = self.booked.get(key, Decimal(0)) + amount
            closed = min(
                self.now,
                datetime.combine(day + timedelta(days=1), time(0), zone) - timedelta(seconds=1),
            )
            counted = sum(
                1
                for when, direction, outcome in contacts
                if (opened is None or when > opened)
                and when <= closed
                and counts_as_followup(direction, outcome)
            )
            # the first sale closed the lead; a later one closed an opportunity someone worked
            if number == 0 or (counted and life.random() < LATER_WINS):
                self.rows.add(
                    "win", (cid, self.order_id, day, amount, max(0, counted - 1), at, owner.id)
                )
                opened = closed
        self.profit[cid] = profit
        first = orders[0]
        self.rows.add(
            "change",
            (
                cid,
                first[4],
                first[0],
                "lifecycle",
                "prospect",
                "customer",
                f"order on {first[0]}",
                owner.id,
            ),
        )
        lifecycle = lifecycle_for(days, today)
        regular = regular_until(days)
        if lifecycle is Lifecycle.LAPSED:
            lapsed_on = lapses_on(days[-1], regular, self.ctx.config.maintenance.lapse_days)
            self.rows.add(
                "change",
                (
                    cid,
                    datetime.combine(lapsed_on, time(6), zone),
                    lapsed_on,
                    "lifecycle",
                    "customer",
                    "lapsed",
                    f"no order since {days[-1]}",
                    None,
                ),
            )
        return lifecycle, "", days[-1], regular, opened, *self._opened(contacts, opened)

    def follow_through(self, cid: int, owner: User, day: date, amount: Decimal) -> tuple:
        """An order's delivery and payments (回款), from their own draws: older orders were
        delivered within days and paid within the terms, a few late or still in part; the
        last week's are partly still to deliver (some due today or late); the last months' are
        partly unpaid, some overdue. The order's (deliver_on, delivered_on, delivery, paid,
        owed, owed_since)."""
        rng, today = self.cash, self.today
        age = (today - day).days
        if age <= 3 and rng.random() < 0.5:  # still to deliver
            planned = day + timedelta(days=rng.randint(1, 5))
            return planned, None, "ordered", Decimal(0), amount, day
        delivered = min(today, day + timedelta(days=rng.randint(0, 5)))
        state = "partly_delivered" if age <= 14 and rng.random() < 0.05 else "delivered"
        draw = rng.random()
        if age > 120:
            share = Decimal(1) if draw < 0.99 else Decimal("0.5")
        elif age > 45:
            share = Decimal(1) if draw < 0.92 else Decimal("0.5") if draw < 0.97 else Decimal(0)
        else:  # mostly not due yet
            share = Decimal(1) if draw < 0.6 else Decimal("0.3") if draw < 0.8 else Decimal(0)
        paid = (amount * share).quantize(Decimal("0.01"))
        parts = (
            [paid]
            if paid and (paid == amount and rng.random() < 0.7 or paid < amount)
            else [(paid / 2).quantize(Decimal("0.01")), paid - (paid / 2).quantize(Decimal("0.01"))]
            if paid
            else []
        )
        for part in parts:
            on = min(today, delivered + timedelta(days=rng.randint(0, 40)))
            self.rows.add(
                "payment",
                (
                    self.order_id,
                    cid,
                    on,
                    part,
                    rng.choice(("transfer", "transfer", "transfer", "cash", "wechat", "alipay")),
                    "",
                    owner.id,
                    datetime.combine(on, time(15), self.zone),
                ),
            )
        return None, delivered, state, paid, amount - paid, delivered

    def instructions(self, owners: list[User]) -> None:
        """The manager's instructions (上级指令) to the reps about some of their customers:
        most reported done, some open, a few late."""
        rng, today, manager = self.cash, self.today, self.ctx.user
        for cid in range(1, self.count + 1):
            owner = self.owner_of.get(cid)
            if owner is None or owner == manager.id or rng.random() > 0.03:  # to reps
                continue
            chinese = self.chinese.get(cid, True)
            text = rng.choice(INSTRUCTIONS_ZH if chinese else INSTRUCTIONS_EN)
            given = today - timedelta(days=rng.randint(0, 20))
            due = given + timedelta(days=rng.randint(1, 14))
            given_at = datetime.combine(given, time(9), self.zone)
            done = due < today and rng.random() < 0.6 or rng.random() < 0.3
            done_on = min(today, due + timedelta(days=rng.randint(-3, 2))) if done else None
            if done_on is not None and done_on < given:
                done_on = given
            self.rows.add(
                "instruction",
                (
                    cid,
                    owner,
                    manager.id,
                    text,
                    due,
                    given_at,
                    datetime.combine(done_on, time(17), self.zone) if done_on else None,
                    done_on,
                    rng.choice(("已落实", "客户已确认"))
                    if done and chinese
                    else "done as asked"
                    if done
                    else "",
                ),
            )

    def _place_orders(
        self, orders: list[list], contacts: list[tuple], created_on: date, age_days: int
    ) -> None:
        """Move the drawn order days (in place, sorted) to where sales happen: the first one
        on the day of the follow-up that closed the lead (how many it took, spread as a team's
        are), the rest between then and today; a few buyers stopped buying a while ago."""
        life, today, zone = self.life, self.today, self.zone
        orders.sort(key=lambda order: order[0])
        # the lead closed in the first half of the customer's life, so later orders have room
        halfway = created_on + timedelta(days=age_days // 2)
        counted = sorted(
            day
            for day in (
                when.astimezone(zone).date()
                for when, direction, outcome in contacts
                if counts_as_followup(direction, outcome)
            )
            if day <= halfway
        )
        start, end = orders[0][0], today
        if counted:
            took = life.choices(
                (1, 2, 3, 4, life.randint(5, 12), life.randint(13, 20)),
                weights=(6, 8, 10, 12, 56, 8),
            )[0]
            start = max(created_on, counted[min(took, len(counted)) - 1])
        if life.random() > ACTIVE_BUYERS and age_days > 240:
            # drifting away: lapsed within the last month, some not called since
            lapse_days = self.ctx.config.maintenance.lapse_days
            latest = today - timedelta(days=lapse_days + 1 + life.randint(0, 30))
            if latest >= start:
                end = latest
        first, span = orders[0][0], max(1, (today - orders[0][0]).days)
        for order in orders:
            day = start + timedelta(days=(order[0] - first).days * (end - start).days // span)
            order[0] = day
            order[4] = min(
                datetime.combine(day, order[4].timetz()), self.now - timedelta(minutes=30)
            )
        orders.sort(key=lambda order: order[0])

    @staticmethod
    def _opened(contacts: list[tuple], opened: datetime | None) -> tuple[int, int]:
        """(followups, counted contacts) of the opportunity open since `opened`."""
        counted = sum(
            1
            for when, direction, outcome in contacts
            if (opened is None or when > opened) and counts_as_followup(direction, outcome)
        )
        return max(0, counted - 1), counted

    def maintain(self, plan_cycles: dict[int, int | None]) -> None:
        """Once the value classes are known: most maintained customers had a visit within
        their cadence; every buyer's class and schedule are stored."""
        ranking = self.profit if self.ctx.config.maintenance.key_by == "profit" else self.revenue
        classes = value_tiers(ranking)
        config = self.ctx.config
        updates = []
        for cid, value_class in classes.items():
            facts = self.buyers.get(cid)
            if facts is None:
                updates.append((value_class.value, None, cid))
                continue
            (
                owner_id,
                chinese,
                cadence,
                created_on,
                last_at,
                explicit,
                last_order,
                regular,
                counted,
                followups,
            ) = facts
            kept = maintenance_for(
                Lifecycle.CUSTOMER,
                value_class,
                plan_every_days=plan_cycles.get(cid),
                overrides=config.maintenance.cadence,
            )
            last_on = last_at.astimezone(self.zone).date() if last_at else None
            step_days = ((self.today + kept.step) - self.today).days
            due = last_on + kept.step if last_on else created_on
            if due <= self.today and self.life.random() < KEPT_UP[value_class]:
                earliest = max(created_on, last_on + timedelta(days=1) if last_on else created_on)
                day = max(
                    earliest, self.today - timedelta(days=self.life.randint(0, step_days - 1))
                )
                at = min(
                    datetime.combine(day, time(self.life.randint(9, 16)), self.zone),
                    self.now - timedelta(minutes=self.life.randint(5, 300)),
                )
                self.interaction_id += 1
                self.rows.add(
                    "interaction",
                    (
                        self.interaction_id,
                        cid,
                        at,
                        "visit",
                        "out",
                        self.life.choice(VISIT_SUMMARIES[chinese]),
                        "positive",
                        "",
                        None,
                        False,
                        owner_id,
                        followups + (1 if counted else 0),
                        None,
                        "",
                    ),
                )
                followups += 1 if counted else 0
                counted += 1
                last_at, last_on = at, at.astimezone(self.zone).date()
            planned = schedule(
                created_on=created_on,
                last_touch=last_on,
                grade_cadence=cadence,
                explicit=explicit,
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

    def touch_count(self, age_days: int) -> int:
        rng = self.rng
        mean = self.per_customer
        if age_days < 30 and rng.random() < 0.3:
            return 0  # a new lead not contacted yet
        count = int(rng.expovariate(1 / mean)) + 1
        return min(count, max(1, age_days // 2 + 1), int(mean * 8))

    def order_count(self) -> int:
        return min(30, int(self.rng.expovariate(1 / 6.6)) + 1)

    def complaint_rate(self) -> float:
        return 0.05

    def care(self, cid: int, created_on: date) -> None:
        rng = self.rng
        if rng.random() > 0.45:
            return
        if rng.random() < 0.015:  # make sure some care dates are near
            day = self.today + timedelta(days=rng.randint(0, 3))
            self.rows.add(
                "care",
                (cid, "birthday", day.month, day.day, rng.randint(1960, 2000), False, False, ""),
            )
            return
        lunar = rng.random() < 0.25
        month = rng.randint(1, 12)
        day_of = rng.randint(1, 30 if lunar else 28)
        year = rng.randint(1955, 2002) if rng.random() < 0.7 and not lunar else None
        kind = "birthday" if rng.random() < 0.8 else "anniversary"
        note = "" if kind == "birthday" else "合作纪念日"
        self.rows.add("care", (cid, kind, month, day_of, year, lunar, False, note))

    def complaint(self, cid: int, owner: User, created_at: datetime) -> date | None:
        """A complaint at some point of its workflow, with the events that led there.

        Returns the day of a satisfied close (a referral moment), if any.
        """
        rng, now = self.rng, self.complaint_now
        if created_at >= now:  # a customer added later today has no complaint yet
            return None
        policy = self.ctx.config.sla
        self.complaint_id += 1
        kid = self.complaint_id
        severity = rng.choices(list(Severity), weights=(1, 3, 8, 4))[0]
        category, summary = rng.choice(COMPLAINT_TOPICS)
        team_scale = self.count > 2000
        if not team_scale:  # a small demo: recent complaints, so the queue shows every state
            age = timedelta(minutes=int(rng.random() ** 3 * 60 * 24 * 60))
        elif rng.random() < 0.12:  # a team's complaints accumulate; a few are recent
            age = timedelta(minutes=int(rng.random() ** 2 * 60 * 24 * 5))
        else:
            age = timedelta(minutes=int(rng.random() * 60 * 24 * 180))
        opened = max(now - age, created_at.astimezone(timezone.utc))
        respond_by, resolve_by = deadlines_for(opened, severity, policy, self.zone)
        handler = self.support if rng.random() < 0.85 else self.ctx.user
        events = [(opened, owner.id, "opened", "", "new", summary)]
        status = "new"
        acknowledged = promised = waiting = resolved = closed = None
        paused_seconds = 0
        resolution = root_cause = ""
        satisfaction = None
        referral_on = None

        def move(at, new, note=""):
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
                resolve_by, paused = deadline_after_pause(
                    resolve_by, since, until, policy, self.zone
                )
                paused_seconds = int(paused.total_seconds())
                move(until, "in_progress", pause_note(paused))
                last = until
        if progress > 0.7 and status == "in_progress":
            at = max(
                last + timedelta(hours=1), opened + (resolve_by - opened) * rng.uniform(0.2, 1.3)
            )
            if at < now:
                resolved = at
                resolution, root_cause = rng.choice(RESOLUTIONS)
                move(at, "resolved", f"{resolution} · root cause: {root_cause}")
                if progress > 0.8 and at + timedelta(days=1) < now:
                    closed = at + timedelta(days=1)
                    satisfaction = rng.choices((1, 2, 3, 4, 5), weights=(1, 1, 2, 4, 4))[0]
                    move(closed, "closed", f"satisfaction {satisfaction}/5")
                    self.survey(
                        cid,
                        kid,
                        closed,
                        [None, None, None, None, satisfaction],
                        handler.id,
                        any("\u4e00" <= ch <= "\u9fff" for ch in summary),
                    )
                    if satisfaction >= 4:
                        referral_on = closed.astimezone(self.zone).date()
                    if rng.random() < 0.04 and closed + timedelta(days=2) < now:
                        move(closed + timedelta(days=2), "reopened", "the fault came back")
                        resolved = closed = satisfaction = None
                        referral_on = None
        self.rows.add(
            "complaint",
            (
                kid,
                cid,
                opened,
                rng.choice(("phone", "email", "wechat")),
                category,
                severity.value,
                summary,
                "",
                handler.id if acknowledged else None,
                status,
                respond_by,
                resolve_by,
                acknowledged,
                promised,
                waiting,
                paused_seconds,
                resolved,
                closed,
                resolution,
                root_cause,
                satisfaction,
                owner.id,
                events[-1][0],
                1 + sum(1 for event in events if event[2] == "status"),
            ),
        )
        for at, by, kind, old, new, note in events:
            self.rows.add("event", (kid, at, by, kind, old, new, note))
        return referral_on

    def grade_history(self, cid, grade, created_at, need, close, owner) -> None:
        rng = self.rng
        today = self.today
        if grade in (Grade.A, Grade.B, Grade.C) and rng.random() < 0.5:
            first = Grade(rng.choice([g for g in "BCD" if g > grade.value] or ["D"]))
            self.rows.add(
                "grade",
                (cid, created_at, created_at.date(), None, first.value, "new customer", owner.id),
            )
            moved = datetime.combine(today - timedelta(days=rng.randint(0, 89)), time(9), self.zone)
            moved = max(moved, created_at)
            self.rows.add(
                "grade",
                (
                    cid,
                    moved,
                    moved.date(),
                    first.value,
                    grade.value,
                    grade_reason(need, close, today),
                    None,
                ),
            )
        else:
            self.rows.add(
                "grade",
                (cid, created_at, created_at.date(), None, grade.value, "new customer", owner.id),
            )
            if grade in (Grade.D, Grade.E) and rng.random() < 0.1:
                moved = datetime.combine(
                    today - timedelta(days=rng.randint(0, 89)), time(10), self.zone
                )
                moved = max(moved, created_at)
                self.rows.add(
                    "grade",
                    (cid, moved, moved.date(), "C", grade.value, "close date moved out", owner.id),
                )

    def plans(self) -> dict[int, int | None]:
        """Account plans with targets for the largest key customers; returns their visit
        cycles."""
        rng = self.accounts
        keys = sorted(key_customers(self.revenue), key=lambda c: -self.revenue[c])
        cycles = {}
        for cid in keys[: max(5, min(500, len(keys) // 10))]:
            review = self.today + timedelta(days=self.rng.randint(-10, 90))
            volume = self.rng.randint(10, 200)
            cycles[cid] = self.life.choice((7, 14, 14, None))  # None: weekly, as key customers
            target = (
                self.revenue[cid] / 2000 * Decimal(rng.choice(("0.8", "1", "1.2", "1.5")))
            ).quantize(Decimal(1)) * 1000
            strengths, weaknesses, opportunities, threats = rng.choice(PLAN_ANALYSES)
            progress = "\n".join(
                f"{(self.today - timedelta(days=days)).isoformat()} · boss · {note}"
                for days, note in sorted(
                    (rng.randint(3, 80), rng.choice(PLAN_NOTES)) for _ in range(rng.randint(0, 3))
                )
            )
            self.rows.add(
                "plan",
                (
                    cid,
                    "Pro licence, annual support",
                    volume,
                    cycles[cid],
                    "Quarterly business review; priority support line",
                    progress,
                    review,
                    self.now,
                    max(target, Decimal(10000)),
                    strengths,
                    weaknesses,
                    opportunities,
                    threats,
                ),
            )
        return cycles

    # -- appointments ---------------------------------------------------------------------------
    def appointments(self, owners: list[User]) -> None:
        """Each owner's day: visits, calls and meetings today and tomorrow with customers due
        then (today's, before the demo's moment, held and reviewed), on slots that never
        overlap. From a stream of their own, so the rest of the demo stays as it was."""
        rng = self.visits
        tomorrow = self.today + timedelta(days=1)
        for owner in owners:
            due = list(
                Customer.select(Customer.id, Customer.name, Customer.next_due)
                .where(
                    (Customer.owner == owner.id)
                    & (Customer.next_due <= tomorrow)
                    & (Customer.lifecycle != Lifecycle.TERMINATED.value)
                )
                .order_by(Customer.next_due, Customer.id)
                .limit(40)
                .tuples()
            )
            today_due = [row for row in due if row[2] <= self.today]
            later = [row for row in due if row[2] == tomorrow] or today_due
            for day, slots, pool, count in (
                (self.today, TODAY_SLOTS, today_due, 3),
                (tomorrow, TOMORROW_SLOTS, later, 2),
            ):
                picked = rng.sample(pool, min(count, len(pool)))
                for (cid, name, _due), (hour, minute) in zip(
                    picked, sorted(rng.sample(slots, len(picked))), strict=True
                ):
                    self.appointment(rng, owner, cid, name, day, hour, minute)

    def appointment(
        self,
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
        starts = datetime.combine(day, time(hour, minute), self.zone).astimezone(timezone.utc)
        ends = starts + timedelta(minutes=minutes)
        booked = min(self.now, starts) - timedelta(days=rng.randint(1, 5))
        held = ends <= self.now
        place = rng.choice(PLACES[chinese]) if kind != "call" else ""
        self.rows.add(
            "appointment",
            (
                cid,
                owner.id,
                starts,
                ends,
                minutes,
                kind,
                rng.choice(PURPOSES),
                place,
                rng.choice(PREPARATIONS[chinese]),
                "done" if held else "planned",
                starts,
                rng.choice(("yes", "yes", "partly", "no")) if held else "",
                rng.choice(STILL_OPEN[chinese]) if held else "",
                ends if held else None,
                booked,
                owner.id,
                ends if held else booked,
            ),
        )

    # -- key accounts --------------------------------------------------------------------------
    def contact(
        self, cid: int, name: str, title: str, role: str, phone: str, chinese: bool
    ) -> tuple[int, str]:
        """A contact with the details a rep learns over time; (id, name)."""
        rng = self.accounts
        self.contact_id += 1
        department = rng.choice(DEPARTMENTS[chinese])
        im_id = f"wx_{self.contact_id}" if chinese and rng.random() < 0.5 else ""
        birthday = (
            f"--{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.3 else ""
        )
        note = rng.choice(CONTACT_NOTES[chinese]) if rng.random() < 0.3 else ""
        self.rows.add(
            "contact",
            (self.contact_id, cid, name, title, role, phone, "", department, im_id, birthday, note),
        )
        return self.contact_id, name

    def spoken_to(self, first: int, people: list[tuple[int, str]]) -> None:
        """Name the contact spoken to on about half of the customer's interactions."""
        rows = self.rows.rows["interaction"]
        for index in range(first, len(rows)):
            if self.accounts.random() < 0.5:
                contact_id, name = self.accounts.choice(people)
                rows[index] = (*rows[index][:-2], contact_id, name)

    def survey(
        self, cid: int, complaint: int | None, at: datetime, scores: list, by: int, chinese: bool
    ) -> None:
        """A survey; some carry the customer's words and their comparison with competitors."""
        rng = self.accounts
        self.survey_id += 1
        overall = next((score for score in reversed(scores) if score is not None), 3)
        comment = rng.choice(SURVEY_COMMENTS[chinese][overall >= 4]) if rng.random() < 0.4 else ""
        self.rows.add("survey", (self.survey_id, cid, complaint, at, *scores, by, comment))
        if complaint is None and rng.random() < 0.5:
            self.rows.add(
                "survey_score",
                (self.survey_id, "competitors", min(5, max(1, round(rng.gauss(3.4, 1))))),
            )

    def targets(self, owners: list[User]) -> None:
        """Each rep's targets for this month, quarter and year (and next year's in December):
        a little above what they booked over the last month, quarter or year."""
        rng = self.accounts
        periods = [period_of(kind, self.today) for kind in ("month", "quarter", "year")]
        if self.today.month == 12:
            periods.append(period_of("year", self.today.replace(year=self.today.year + 1)))
        for user in owners:
            if user.role != "rep":
                continue
            for period in periods:
                days = {"month": 30, "quarter": 91, "year": 365}[period.kind.value]
                stretch = Decimal(rng.choice(("1.0", "1.1", "1.2", "1.3")))
                booked = self.booked.get((user.id, days), Decimal(0))
                amount = (booked * stretch / 1000).quantize(Decimal(1)) * 1000
                months = days // 30
                self.rows.add(
                    "target",
                    (
                        user.id,
                        period.key,
                        period.start,
                        period.end,
                        max(amount, Decimal(1000)),
                        max(1, months * rng.randint(1, 3)),
                        self.ctx.user.id,
                        self.now,
                    ),
                )
