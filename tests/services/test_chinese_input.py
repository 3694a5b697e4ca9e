"""Chinese as people write it: names sorted by pinyin, amounts in 万 and ￥, one style of
durations, on both backends where it is stored."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from crmtui.db import Customer
from crmtui.i18n import set_language
from crmtui.present.time import span
from crmtui.search import sort_key
from crmtui.services.customers import add_customer, find_customers, list_customers, update_customer
from crmtui.services.interactions import record_order
from crmtui.services.validation import FieldError, clean_money, parse_amount

# The example: by code point these read 周, 唐, 孔, 孙 (U+5468 < U+5510 < U+5B54 < U+5B59).
NAMES = ["周敏", "唐伟", "孔丽", "孙强", "Alice Brown", "曾国强", "王芳", "汪洋", "张三", "Zoe Quinn"]
PINYIN_ORDER = ["Alice Brown", "孔丽", "孙强", "唐伟", "汪洋", "王芳", "曾国强", "张三", "周敏",
                "Zoe Quinn"]


def test_the_customers_list_sorts_names_by_pinyin(ctx):
    for name in NAMES:
        add_customer(ctx, {"name": name})
    page = list_customers(ctx, sort="name")
    assert [c.name for c in page.rows] == PINYIN_ORDER
    # paged in SQL: the second page continues where the first stopped
    second = list_customers(ctx, sort="name", offset=4, limit=3)
    assert [c.name for c in second.rows] == PINYIN_ORDER[4:7]


def test_a_renamed_customer_moves_to_its_new_place(ctx):
    customers = {name: add_customer(ctx, {"name": name}) for name in ("孔丽", "孙强")}
    update_customer(ctx, customers["孔丽"].id, {"name": "周丽"})
    assert Customer.get_by_id(customers["孔丽"].id).sort_name == "zhou1li4"
    assert [c.name for c in list_customers(ctx, sort="name").rows] == ["孙强", "周丽"]


def test_search_results_with_equal_rank_sort_by_pinyin(ctx):
    for name in ("周明", "张明", "赵明"):
        add_customer(ctx, {"name": name})
    assert [c.name for c in find_customers(ctx, "明")] == ["张明", "赵明", "周明"]


def test_surnames_sort_as_surnames_are_read():
    # 曾 as a surname is zeng (not ceng), 单 is shan (not dan)
    assert sort_key("曾国强").startswith("zeng") and sort_key("单田").startswith("shan")
    assert sort_key("单田") < sort_key("孙强") < sort_key("曾国强") < sort_key("张三")
    assert sort_key("  Zoe  ") == "zoe" and sort_key("José") == "jose"
    assert sort_key("西安") < sort_key("先生")  # xi'an before xian, as in a dictionary


@pytest.mark.parametrize(("text", "amount"), [
    ("8万", "80000"), ("￥8万", "80000"), ("¥1.2万", "12000"), ("1.2 万元", "12000"),
    ("￥12,000.50", "12000.50"), ("12，000", "12000"), ("１２万", "120000"), ("RMB 500", "500"),
    ("3亿", "300000000"), ("8千", "8000"), ("8k", "8000"), ("500元", "500"), ("$30", "30"),
])
def test_amounts_as_people_write_them(text, amount):
    assert clean_money(text) == Decimal(amount)


@pytest.mark.parametrize(("text", "reason"), [
    ("12,3x", "is not an amount"), ("万", "is not an amount"), ("8万万", "is not an amount"),
    ("-5", "must not be negative"), ("1.2345678万", "at most two decimals"),
    ("20000亿", "too large"),
])
def test_amounts_that_are_refused(text, reason):
    with pytest.raises(FieldError, match=reason):
        clean_money(text)


def test_an_order_and_an_expected_amount_take_wan_in_every_form(ctx):
    customer = add_customer(ctx, {"name": "张三", "expected_amount": "￥8万"})
    assert Customer.get_by_id(customer.id).expected_amount == Decimal("80000.00")
    order = record_order(ctx, customer.id, amount="1.5万")
    assert order.amount == Decimal("15000.00")
    assert Customer.get_by_id(customer.id).revenue == Decimal("15000.00")


def test_import_reads_amounts_with_the_forms_parser():
    from crmtui.services.transfer.values import amount_text

    for text in ("¥1.2万", "1.2万元", "￥12,000", "12000元"):
        assert clean_money(amount_text(text)) == parse_amount(text)
    assert amount_text("a lot") == "a lot"  # left for the form's own reason


@pytest.mark.parametrize(("delta", "english", "chinese"), [
    (timedelta(minutes=45), "45m", "45分钟"),
    (timedelta(hours=5, minutes=20), "5h 20m", "5小时20分钟"),
    (timedelta(hours=29, minutes=32), "1d 5h", "1天5小时"),
    (timedelta(days=3), "3d", "3天"),
    (timedelta(days=3, minutes=5), "3d", "3天"),
    (-timedelta(hours=2), "2h", "2小时"),
    (timedelta(seconds=20), "0m", "0分钟"),
])
def test_one_style_of_duration_in_both_languages(delta, english, chinese):
    assert span(delta) == english
    set_language("zh")
    assert span(delta) == chinese


def test_a_narrow_column_keeps_the_largest_unit():
    assert span(timedelta(hours=29, minutes=32), parts=1) == "1d"


def test_the_config_reads_durations_in_the_same_style():
    from crmtui.config import parse_duration

    assert parse_duration("1d 5h") == parse_duration("1天5小时") == timedelta(hours=29)
    assert parse_duration("4h") == timedelta(hours=4)
