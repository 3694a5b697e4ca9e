"""Customers through the service layer, on a real SQLite file."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crmtui.db import Customer, GradeChange
from crmtui.errors import Conflict, Forbidden, InvalidInput, NotFound
from crmtui.services.customers import (
    add_customer,
    find_customers,
    list_customers,
    reassign,
    regrade,
    resolve_customer,
    snooze,
    update_customer,
)
from tests.conftest import TODAY, as_user


def test_new_customer_is_graded_recorded_and_due_on_its_creation_day(ctx):
    customer = add_customer(ctx, {"name": "张三", "company": "重庆华信科技有限公司",
                                  "need": "clear", "expected_close": "2026-12-10"})
    stored = Customer.get_by_id(customer.id)
    assert stored.grade == "A"
    assert stored.next_due == TODAY
    assert stored.cadence_due == TODAY
    assert stored.owner_id == ctx.user.id
    history = list(GradeChange.select().where(GradeChange.customer == customer.id))
    assert [(h.from_grade, h.to_grade) for h in history] == [(None, "A")]


def test_bad_fields_are_all_reported_and_nothing_is_saved(ctx):
    with pytest.raises(InvalidInput) as caught:
        add_customer(ctx, {"name": "  ", "email": "not-an-email", "expected_close": "2026-02-30",
                           "phones": "12"})
    assert set(caught.value.errors) == {"name", "email", "expected_close", "phones"}
    assert "February 2026 has 28 days" in caught.value.errors["expected_close"]
    assert Customer.select().count() == 0


def test_control_characters_are_stripped_and_overlong_text_refused(ctx):
    customer = add_customer(ctx, {"name": "Ann\x1b[31m Lee\x00"})
    assert customer.name == "Ann[31m Lee"
    with pytest.raises(InvalidInput) as caught:
        add_customer(ctx, {"name": "x" * 201})
    assert "too long" in caught.value.errors["name"]


def test_customers_whose_own_name_matches_come_first(ctx):
    bob = add_customer(ctx, {"name": "Bob Lee", "company": "中山贸易"}).id  # zhongshan: zs
    zhang = add_customer(ctx, {"name": "张三", "company": "Acme"}).id
    zoe = add_customer(ctx, {"name": "Zoe Smith"}).id  # z… s…: both words, in the name
    assert [c.id for c in find_customers(ctx, "zs")] == [zhang, bob]
    # both name matches by pinyin order (zhang before zoe), then the company match
    assert [c.id for c in find_customers(ctx, "z s")] == [zhang, zoe, bob]
    assert [c.id for c in find_customers(ctx, "lee")] == [bob]


def test_search_finds_by_pinyin_initials_phone_suffix_company_and_email(ctx):
    zhang = add_customer(ctx, {"name": "张三", "company": "重庆华信科技有限公司",
                               "phones": "138 1234 5678", "email": "zs@huaxin.example.cn"})
    smith = add_customer(ctx, {"name": "John Smith", "company": "Acme Trading Ltd"})
    for text in ("zs", "zhangsan", "张", "三", "5678", "138", "huaxin", "重庆", "chongqing"):
        assert [c.id for c in find_customers(ctx, text)] == [zhang.id], text
    assert [c.id for c in find_customers(ctx, "smi")] == [smith.id]
    assert [c.id for c in find_customers(ctx, "acme trad")] == [smith.id]
    assert find_customers(ctx, "nobody") == []


def test_editing_the_name_updates_search(ctx):
    customer = add_customer(ctx, {"name": "Old Name"})
    update_customer(ctx, customer.id, {"name": "李四"})
    assert find_customers(ctx, "old") == []
    assert [c.id for c in find_customers(ctx, "ls")] == [customer.id]


def test_a_second_save_from_a_stale_copy_is_refused_with_who_and_when(ctx, rep_ctx):
    customer = add_customer(rep_ctx, {"name": "Shared"})
    read_version = Customer.get_by_id(customer.id).version
    update_customer(ctx, customer.id, {"company": "Boss Corp"}, expected_version=read_version)
    with pytest.raises(Conflict) as caught:
        update_customer(rep_ctx, customer.id, {"company": "Rita Corp"},
                        expected_version=read_version)
    assert caught.value.changed_by == "boss"
    assert "boss" in str(caught.value)
    assert Customer.get_by_id(customer.id).company == "Boss Corp"


def test_regrade_moves_the_grade_records_history_and_changes_cadence(ctx):
    customer = add_customer(ctx, {"name": "Lead", "need": "potential"})
    assert customer.grade == "D"
    regrade(ctx, customer.id, need="clear", expected_close="+2m")
    stored = Customer.get_by_id(customer.id)
    assert stored.grade == "B"
    moves = [(g.from_grade, g.to_grade) for g in
             GradeChange.select().where(GradeChange.customer == customer.id).order_by(GradeChange.id)]
    assert moves == [(None, "D"), ("D", "B")]


def test_pinning_needs_a_reason_and_holds_against_the_rules(ctx):
    customer = add_customer(ctx, {"name": "VIP", "need": "none"})
    with pytest.raises(InvalidInput) as caught:
        regrade(ctx, customer.id, pin="A")
    assert "reason" in caught.value.errors
    regrade(ctx, customer.id, pin="A", reason="board decision")
    regrade(ctx, customer.id, need="potential")
    stored = Customer.get_by_id(customer.id)
    assert (stored.grade, stored.grade_pinned, stored.pin_reason) == ("A", True, "board decision")
    assert stored.next_due == TODAY  # never contacted: due on its creation day
    regrade(ctx, customer.id, unpin=True)
    assert Customer.get_by_id(customer.id).grade == "D"


def test_snooze_moves_next_due_and_refuses_the_past(ctx):
    customer = add_customer(ctx, {"name": "Later"})
    snooze(ctx, customer.id, "+5d")
    assert Customer.get_by_id(customer.id).next_due == TODAY + timedelta(days=5)
    with pytest.raises(InvalidInput):
        snooze(ctx, customer.id, "yesterday")


def test_reps_see_and_change_only_their_own_customers(ctx, rep_ctx):
    mine = add_customer(rep_ctx, {"name": "Rita's"})
    theirs = add_customer(ctx, {"name": "Boss's"})
    assert [c.id for c in list_customers(rep_ctx).rows] == [mine.id]
    with pytest.raises(NotFound):
        update_customer(rep_ctx, theirs.id, {"company": "x"})
    support = as_user(ctx, "sam")
    assert resolve_customer(support, str(mine.id)).id == mine.id
    with pytest.raises(Forbidden):
        update_customer(support, mine.id, {"company": "x"})
    with pytest.raises(Forbidden):
        reassign(rep_ctx, mine.id, "ray")
    reassign(ctx, mine.id, "ray")
    assert Customer.get_by_id(mine.id).owner.login == "ray"


def test_resolve_by_name_is_exact_or_unique_and_says_when_ambiguous(ctx):
    first = add_customer(ctx, {"name": "王伟"})
    add_customer(ctx, {"name": "王伟"})
    add_customer(ctx, {"name": "Alice Chen"})
    assert resolve_customer(ctx, str(first.id)).id == first.id
    assert resolve_customer(ctx, "alice chen").name == "Alice Chen"
    with pytest.raises(Exception, match="several customers"):
        resolve_customer(ctx, "王伟")
    with pytest.raises(NotFound):
        resolve_customer(ctx, "nobody at all")


def test_list_customers_filters_and_pages(ctx):
    for i in range(25):
        add_customer(ctx, {"name": f"C{i:02d}", "need": "clear" if i % 2 else "none",
                           "expected_close": "+10d" if i % 2 else None, "tags": "vip" if i < 5 else ""})
    page = list_customers(ctx, grade="A", sort="name", offset=0, limit=5)
    assert page.total == 12
    assert [c.name for c in page.rows] == ["C01", "C03", "C05", "C07", "C09"]
    assert list_customers(ctx, tag="vip").total == 5
    assert list_customers(ctx, grade="E").total == 13
