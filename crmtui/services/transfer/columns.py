"""Which customer field a spreadsheet column or a typed value means, in English or Chinese.

Column names are compared after folding case, spaces, underscores and punctuation, so "E-mail",
"e_mail" and "EMAIL" are one name; Google and Outlook contact exports and the headers Chinese
teams write (姓名, 公司, 手机, 邮箱, 等级 …) map without `--map`.
"""

from __future__ import annotations

import re

from crmtui.i18n import NC_
from crmtui.services.validation import CUSTOMER_FIELDS

# Fields an import understands beyond the customer form's own fields.
EXTRA_FIELDS = (
    "first_name",
    "last_name",
    "birthday",
    "anniversary",
    "grade",
    "grade_pinned",
    "pin_reason",
    "owner",
    "last_contact",
    "next_step",
    "next_step_on",
)
IMPORT_FIELDS = (*CUSTOMER_FIELDS, *EXTRA_FIELDS)

# Several columns may feed these; their values are joined rather than the first one kept.
JOINED_FIELDS = {"phones": ", ", "tags": ",", "notes": "\n"}

# Columns a crmtui export writes for reading only: derived from the history, not imported
# (as named in a CSV, and in a workbook in English and Chinese).
EXPORT_ONLY = (
    "id",
    "next_due",
    "followups",
    "revenue",
    "created_on",
    "next due",
    "应跟进日期",
    "跟进次数",
    "销售额",
    "创建日期",
)

# A workbook's column titles for the CSV columns, in the "column" context (translated where
# shown); the import reads each back in English and Chinese (a test holds them to it).
COLUMN_TITLES = {
    "id": NC_("column", "#"),
    "name": NC_("column", "Name"),
    "company": NC_("column", "Company"),
    "title": NC_("column", "Title"),
    "phones": NC_("column", "Phones"),
    "email": NC_("column", "E-mail"),
    "address": NC_("column", "Address"),
    "im_id": NC_("column", "WeChat / IM"),
    "native_place": NC_("column", "Native place"),
    "education": NC_("column", "Education"),
    "family": NC_("column", "Family"),
    "personality": NC_("column", "Hobbies and personality"),
    "notes": NC_("column", "Notes"),
    "tags": NC_("column", "Tags"),
    "goals": NC_("column", "Goals"),
    "opinions": NC_("column", "Likes and dislikes"),
    "situation": NC_("column", "Situation"),
    "competitors": NC_("column", "Competitors"),
    "membership": NC_("column", "Membership"),
    "birthday": NC_("column", "Birthday"),
    "anniversary": NC_("column", "Anniversary"),
    "need": NC_("column", "Need"),
    "expected_close": NC_("column", "Expected close"),
    "expected_amount": NC_("column", "Expected amount"),
    "grade": NC_("column", "Grade"),
    "grade_pinned": NC_("column", "Grade pinned"),
    "pin_reason": NC_("column", "Pin reason"),
    "cadence": NC_("column", "Cadence"),
    "status": NC_("column", "Status"),
    "deal_status": NC_("column", "Deal status"),
    "source": NC_("column", "Source"),
    "credit_limit": NC_("column", "Credit limit"),
    "credit_rating": NC_("column", "Credit rating"),
    "owner": NC_("column", "Owner"),
    "last_contact": NC_("column", "Last contact"),
    "next_step": NC_("column", "Next step"),
    "next_step_on": NC_("column", "Next step on"),
    "next_due": NC_("column", "Next due"),
    "followups": NC_("column", "Follow-ups"),
    "revenue": NC_("column", "Revenue"),
    "created_on": NC_("column", "Created on"),
}
CONTACT_SHEET_TITLES = (NC_("column", "Customer id"), NC_("column", "Customer"))

_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "full name",
        "display name",
        "contact",
        "contact name",
        "customer",
        "customer name",
        "client",
        "client name",
        "姓名",
        "名称",
        "客户",
        "客户名称",
        "客户姓名",
        "联系人",
        "联系人姓名",
        "名字",
    ),
    "first_name": ("first name", "given name", "forename", "名"),
    "last_name": ("last name", "family name", "surname", "姓"),
    "company": (
        "company",
        "company name",
        "organization",
        "organisation",
        "org",
        "organization 1 - name",
        "account",
        "account name",
        "employer",
        "公司",
        "公司名称",
        "单位",
        "单位名称",
        "工作单位",
        "企业",
        "企业名称",
        "客户公司",
    ),
    "title": (
        "title",
        "job title",
        "position",
        "organization 1 - title",
        "职务",
        "职位",
        "头衔",
        "岗位",
    ),
    "phones": (
        "phone",
        "phones",
        "phone number",
        "tel",
        "telephone",
        "mobile",
        "mobile phone",
        "cell",
        "cell phone",
        "business phone",
        "work phone",
        "home phone",
        "other phone",
        "primary phone",
        "phone 1 - value",
        "phone 2 - value",
        "phone 3 - value",
        "电话",
        "手机",
        "手机号",
        "手机号码",
        "电话号码",
        "联系电话",
        "联系方式",
        "座机",
        "固话",
        "办公电话",
        "移动电话",
    ),
    "email": (
        "email",
        "e-mail",
        "email address",
        "e-mail address",
        "mail",
        "e-mail 1 - value",
        "邮箱",
        "电子邮件",
        "电子邮箱",
        "邮件",
        "邮箱地址",
    ),
    "address": (
        "address",
        "business address",
        "home address",
        "street",
        "mailing address",
        "address 1 - formatted",
        "地址",
        "联系地址",
        "通讯地址",
        "公司地址",
        "家庭地址",
        "详细地址",
    ),
    "im_id": (
        "im",
        "im id",
        "wechat",
        "weixin",
        "wechat id",
        "wechat / im",
        "qq",
        "微信",
        "微信号",
        "qq号",
    ),
    "native_place": ("native place", "hometown", "籍贯", "老家", "家乡"),
    "education": ("education", "学历", "教育", "教育背景"),
    "family": ("family", "家庭", "家庭情况", "家庭成员"),
    "personality": (
        "personality",
        "hobbies",
        "hobby",
        "interests",
        "hobbies and personality",
        "爱好",
        "兴趣",
        "兴趣爱好",
        "性格",
        "个性",
    ),
    "notes": (
        "notes",
        "note",
        "comment",
        "comments",
        "remark",
        "remarks",
        "description",
        "备注",
        "说明",
        "描述",
    ),
    "tags": (
        "tags",
        "tag",
        "labels",
        "label",
        "categories",
        "category",
        "group",
        "groups",
        "group membership",
        "标签",
        "分组",
        "分类",
        "类别",
    ),
    "goals": ("goals", "goal", "目标", "客户目标", "客户的目标"),
    "opinions": ("opinions", "likes", "likes and dislikes", "观点", "喜好"),
    "situation": ("situation", "现状", "需求现状"),
    "competitors": ("competitors", "competitor", "竞品", "竞争对手", "竞争产品"),
    "membership": ("membership", "member level", "会员", "会员等级", "会员级别"),
    "need": ("need", "需求", "需求程度", "需求类型"),
    "expected_close": (
        "expected close",
        "close date",
        "expected close date",
        "预计成交",
        "预计成交日期",
        "预计成交时间",
    ),
    "expected_amount": (
        "expected amount",
        "amount",
        "deal value",
        "deal amount",
        "金额",
        "预计金额",
        "预计成交金额",
        "成交金额",
    ),
    "grade": ("grade", "level", "rating", "等级", "客户等级", "级别", "客户级别"),
    "grade_pinned": ("grade pinned", "pinned", "等级锁定", "锁定等级"),
    "pin_reason": ("pin reason", "锁定原因"),
    "cadence": ("cadence", "跟进频率", "追踪周期", "跟进周期"),
    "status": ("status", "relationship", "状态", "客户状态", "关系状态"),
    "deal_status": ("deal status", "deal", "成交状态", "交易状态"),
    "source": ("source", "lead source", "来源", "客户来源", "渠道"),
    "credit_limit": ("credit limit", "信用额度"),
    "credit_rating": ("credit rating", "信用等级", "信用评级"),
    "birthday": (
        "birthday",
        "birth date",
        "date of birth",
        "dob",
        "bday",
        "生日",
        "出生日期",
        "出生年月",
    ),
    "anniversary": ("anniversary", "纪念日"),
    "owner": (
        "owner",
        "rep",
        "sales rep",
        "salesperson",
        "负责人",
        "业务员",
        "销售",
        "所属销售",
        "跟进人",
    ),
    "last_contact": (
        "last contact",
        "last contacted",
        "last contact date",
        "上次联系",
        "最后联系",
        "最近联系",
        "上次联系时间",
        "最后联系时间",
        "最近联系时间",
    ),
    "next_step": ("next step", "下一步", "下一步计划"),
    "next_step_on": (
        "next step on",
        "next follow up",
        "next follow-up",
        "follow up date",
        "下次跟进",
        "下次联系",
        "下次跟进日期",
        "下次联系时间",
    ),
}


def column_key(header: str) -> str:
    """A column name folded for comparison: lower case without spaces or punctuation."""
    return re.sub(r"[\s_\-./()（）:：#·]+", "", header.strip().lstrip("\ufeff").lower())


_BY_KEY: dict[str, str] = {}
for _field in IMPORT_FIELDS:
    _BY_KEY[column_key(_field)] = _field
for _field, _names in _ALIASES.items():
    for _name in _names:
        _BY_KEY.setdefault(column_key(_name), _field)
_SKIPPED = {column_key(name) for name in EXPORT_ONLY}


def field_for_column(header: str) -> str | None:
    """The import field a column header names, or None."""
    return _BY_KEY.get(column_key(header))


def is_export_only(header: str) -> bool:
    return column_key(header) in _SKIPPED


# Values as Chinese spreadsheets write them, for the fields with a fixed set of choices.
_CHOICE_WORDS: dict[str, dict[str, str]] = {
    "need": {
        "明显需求": "clear",
        "明确需求": "clear",
        "明显": "clear",
        "明确": "clear",
        "有需求": "clear",
        "潜在需求": "potential",
        "潜在": "potential",
        "无需求": "none",
        "无": "none",
        "没有需求": "none",
    },
    "status": {
        "现有": "existing",
        "现有客户": "existing",
        "意向": "intent",
        "意向客户": "intent",
        "潜在": "potential",
        "潜在客户": "potential",
        "已终止合作": "terminated",
        "终止合作": "terminated",
        "已终止": "terminated",
        "终止": "terminated",
    },
    "deal_status": {
        "已成交": "won",
        "成交": "won",
        "正在谈判": "negotiating",
        "谈判中": "negotiating",
        "谈判": "negotiating",
        "潜在": "potential",
    },
    "source": {
        "普遍寻找": "canvass",
        "营销": "marketing",
        "介绍": "referral",
        "转介绍": "referral",
        "推荐": "referral",
        "资料查阅": "research",
        "委托助手": "agent",
        "客户资料整理": "records",
        "资料整理": "records",
        "企业活动": "event",
        "活动": "event",
    },
    "cadence": {
        "日志": "daily",
        "每天": "daily",
        "周志": "weekly",
        "每周": "weekly",
        "半月志": "half_monthly",
        "每半月": "half_monthly",
        "月志": "monthly",
        "每月": "monthly",
        "年志": "yearly",
        "每年": "yearly",
    },
}
_TRUE = {"1", "true", "yes", "y", "x", "是", "对", "已锁定", "锁定"}
_FALSE = {"", "0", "false", "no", "n", "否", "不", "未锁定"}


def choice_value(field: str, text: str) -> str:
    """A Chinese word for a choice (明显需求 → clear), or the text unchanged."""
    words = _CHOICE_WORDS.get(field)
    if not words:
        return text
    folded = text.strip()
    return words.get(
        folded, folded.replace(" ", "_").replace("-", "_") if field == "cadence" else folded
    )


def flag_value(text: str) -> bool | None:
    """A yes/no cell as a bool; None when it is neither."""
    folded = text.strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    return None
