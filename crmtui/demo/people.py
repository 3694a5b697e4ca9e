"""People and companies: names, phones and titles, Chinese and English, and the contacts a rep
learns about at a customer."""

from __future__ import annotations

import random

from crmtui.demo.state import DemoState

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


def person(rng: random.Random) -> tuple[str, str, str, str, str, bool]:
    """(name, company, phone, title, city, chinese) of someone new."""
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


def contact(
    demo: DemoState, cid: int, name: str, title: str, role: str, phone: str, chinese: bool
) -> tuple[int, str]:
    """A contact with the details a rep learns over time; (id, name)."""
    rng = demo.accounts
    demo.contact_id += 1
    department = rng.choice(DEPARTMENTS[chinese])
    im_id = f"wx_{demo.contact_id}" if chinese and rng.random() < 0.5 else ""
    birthday = f"--{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.3 else ""
    note = rng.choice(CONTACT_NOTES[chinese]) if rng.random() < 0.3 else ""
    demo.rows.add(
        "contact",
        {
            "id": demo.contact_id,
            "customer": cid,
            "name": name,
            "title": title,
            "role": role,
            "phone": phone,
            "email": "",
            "department": department,
            "im_id": im_id,
            "birthday": birthday,
            "note": note,
        },
    )
    return demo.contact_id, name


def spoken_to(demo: DemoState, first: int, people: list[tuple[int, str]]) -> None:
    """Name the contact spoken to on about half of the customer's interactions."""
    rows = demo.rows.rows["interaction"]
    for index in range(first, len(rows)):
        if demo.accounts.random() < 0.5:
            contact_id, name = demo.accounts.choice(people)
            rows[index]["contact"], rows[index]["contact_name"] = contact_id, name
