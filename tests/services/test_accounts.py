"""Contacts and account plans through the services: each write, who may make it, and every bad
input refused with one message and nothing changed.

boss is the manager; rita (rep) owns 华信; ray is another rep; sam is support.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from crmtui.db import AccountPlan, AuditLog, Contact, Customer, Interaction
from crmtui.errors import CrmError, Forbidden, InvalidInput, NotFound
from crmtui.services.contacts import (
    add_contact,
    contact_json,
    contacts_of,
    find_contact,
    remove_contact,
    update_contact,
)
from crmtui.services.customers import add_customer, find_customers, update_customer
from crmtui.services.due import due_list
from crmtui.services.interactions import log_interaction, record_order
from crmtui.services.plans import add_progress, plan_status, remove_plan, set_plan
from crmtui.services.profile import customer_profile
from tests.conftest import TODAY, as_user


@pytest.fixture
def team(ctx, rep_ctx):
    return {"boss": ctx, "rita": rep_ctx, "ray": as_user(ctx, "ray"), "sam": as_user(ctx, "sam")}


@pytest.fixture
def huaxin(team) -> int:
    return add_customer(team["rita"], {"name": "重庆华信", "company": "重庆华信科技"}).id


def snapshot(model) -> list[tuple]:
    return [tuple(row.values()) for row in model.select().order_by(model.id).dicts()]


# -- contacts -------------------------------------------------------------------------------------

def test_a_contact_with_every_field(team, huaxin):
    contact = add_contact(team["rita"], huaxin, {
        "name": "  李明 ", "role": "decision_maker", "title": "总经理", "department": "管理层",
        "phones": "138 1234 5678; +86 23 6666 1234", "email": "LiMing@Example.cn",
        "im_id": "wx_liming", "birthday": "03-15", "notes": "决定预算\n喜欢喝茶"})
    assert contact_json(contact) == {
        "id": contact.id, "customer_id": huaxin, "name": "李明", "role": "decision_maker",
        "title": "总经理", "department": "管理层",
        "phones": ["138 1234 5678", "+86 23 6666 1234"], "email": "liming@example.cn",
        "im_id": "wx_liming", "birthday": "--03-15", "notes": "决定预算\n喜欢喝茶"}
    assert add_contact(team["rita"], huaxin, {"name": "Amy"}).role == "other"


def test_contacts_list_decision_makers_first(team, huaxin):
    for name, role in (("Zed", "user"), ("Bob", "purchaser"), ("Ann", "decision_maker"),
                       ("Cy", "influencer")):
        add_contact(team["rita"], huaxin, {"name": name, "role": role})
    assert [c.name for c in contacts_of(team["sam"], huaxin)] == ["Ann", "Cy", "Bob", "Zed"]


@pytest.mark.parametrize("who, allowed", [("boss", None), ("rita", None), ("ray", NotFound),
                                          ("sam", Forbidden)])
def test_who_may_add_edit_and_remove_contacts(team, huaxin, who, allowed):
    existing = add_contact(team["rita"], huaxin, {"name": "李明"})
    ctx = team[who]
    for write in (lambda: add_contact(ctx, huaxin, {"name": "王芳"}),
                  lambda: update_contact(ctx, existing.id, {"title": "CEO"}),
                  lambda: remove_contact(ctx, existing.id)):
        if allowed is None:
            write()
        else:
            before = snapshot(Contact)
            with pytest.raises(allowed):
                write()
            assert snapshot(Contact) == before
    if allowed is NotFound:  # another rep does not learn that the contact exists
        with pytest.raises(NotFound, match=f"no contact with id {existing.id}"):
            update_contact(ctx, existing.id, {"title": "x"})


@pytest.mark.parametrize("values, field, fragment", [
    ({"name": "   "}, "name", "required"),
    ({}, "name", "required"),
    ({"name": "Li", "role": "boss"}, "role", "'boss' is not one of decision_maker"),
    ({"name": "Li", "email": "li@"}, "email", "not an e-mail address"),
    ({"name": "Li", "phones": "call me"}, "phones", "not a phone number"),
    ({"name": "Li", "birthday": "02-30"}, "birthday", "not a day of the year"),
    ({"name": "Li", "birthday": "1985-3"}, "birthday", "not a birthday"),
    ({"name": "Li", "birthday": "2030-01-01"}, "birthday", "in the past"),
    ({"name": "Li", "shoe_size": "42"}, "shoe_size", "unknown field"),
])
def test_bad_contacts_are_refused_whole(team, huaxin, values, field, fragment):
    with pytest.raises(InvalidInput) as refused:
        add_contact(team["rita"], huaxin, values)
    assert fragment in refused.value.errors[field]
    assert Contact.select().count() == 0


def test_editing_keeps_what_is_not_given_and_clears_what_is_empty(team, huaxin):
    contact = add_contact(team["rita"], huaxin, {"name": "李明", "title": "经理",
                                                 "email": "li@example.cn", "birthday": "02-29"})
    update_contact(team["boss"], contact.id, {"title": "", "role": "influencer", "name": None})
    again = Contact.get_by_id(contact.id)
    assert (again.name, again.title, again.role, again.email, again.birthday) == (
        "李明", "", "influencer", "li@example.cn", "--02-29")
    with pytest.raises(InvalidInput, match="say what to change"):
        update_contact(team["boss"], contact.id, {"title": None})
    with pytest.raises(InvalidInput, match="required"):
        update_contact(team["boss"], contact.id, {"name": ""})
    assert Contact.get_by_id(contact.id).name == "李明"
    with pytest.raises(NotFound, match="no contact with id 999"):
        update_contact(team["boss"], 999, {"title": "x"})
    with pytest.raises(NotFound, match="not a contact id"):
        remove_contact(team["boss"], "abc")


def test_contacts_are_found_by_search_and_pinyin(team, huaxin):
    other = add_customer(team["rita"], {"name": "Other Ltd"}).id
    contact = add_contact(team["rita"], huaxin, {"name": "张晓东", "phones": "139 8888 7777",
                                                 "email": "dong@huaxin.cn"})
    for typed in ("张晓东", "zhangxiaodong", "zxd", "晓东", "87777", "huaxin"):
        assert [c.id for c in find_customers(team["rita"], typed)] == [huaxin], typed
    update_contact(team["rita"], contact.id, {"name": "Peter Wu"})
    assert find_customers(team["rita"], "zxd") == []
    assert [c.id for c in find_customers(team["rita"], "peter")] == [huaxin]
    update_customer(team["rita"], huaxin, {"company": "重庆华信有限公司"})  # rebuilt with contacts
    assert [c.id for c in find_customers(team["rita"], "peter")] == [huaxin]
    remove_contact(team["rita"], contact.id)
    assert find_customers(team["rita"], "peter") == []
    assert other not in [c.id for c in find_customers(team["rita"], "huaxin")]


def test_removing_a_contact_is_audited_and_the_timeline_keeps_the_name(team, huaxin):
    contact = add_contact(team["rita"], huaxin, {"name": "李明", "role": "decision_maker"})
    logged = log_interaction(team["rita"], huaxin, summary="谈了预算", contact="李明")
    assert (logged.interaction.contact_id, logged.interaction.contact_name) == (contact.id, "李明")
    remove_contact(team["rita"], contact.id)
    kept = Interaction.get_by_id(logged.interaction.id)
    assert (kept.contact_id, kept.contact_name) == (None, "李明")
    entry = AuditLog.get(AuditLog.entity == "contact")
    assert (entry.action, entry.entity_id, entry.user_id) == ("delete", contact.id,
                                                              team["rita"].user.id)
    assert "李明" in entry.detail and "重庆华信" in entry.detail


def test_the_contact_spoken_to_by_name_pinyin_or_id(team, huaxin):
    li = add_contact(team["rita"], huaxin, {"name": "李明"})
    wang = add_contact(team["rita"], huaxin, {"name": "王明"})
    assert find_contact(huaxin, "lm").id == li.id
    assert find_contact(huaxin, "王明").id == wang.id
    assert find_contact(huaxin, wang.id).id == wang.id
    with pytest.raises(CrmError, match="several contacts"):
        find_contact(huaxin, "明")
    before = snapshot(Interaction)
    with pytest.raises(InvalidInput) as refused:
        log_interaction(team["rita"], huaxin, summary="called", contact="Nobody")
    assert "no contact 'Nobody' at this customer (contacts: 李明, 王明)" in \
        refused.value.errors["contact"]
    assert snapshot(Interaction) == before
    profile = customer_profile(team["rita"], huaxin)
    assert profile.interactions == []


# -- account plans --------------------------------------------------------------------------------

def test_a_plan_is_created_and_changed_field_by_field(team, huaxin):
    saved = set_plan(team["rita"], huaxin, {
        "products": "专业版软件", "target_amount": "200,000", "target_volume": "40",
        "visit_every_days": "30", "services": "季度业务回顾", "strengths": "技术领先",
        "weaknesses": "价格偏高", "opportunities": "新工厂", "threats": "竞品降价"})
    assert saved.created
    plan = AccountPlan.get(AccountPlan.customer == huaxin)
    assert (plan.target_amount, plan.target_volume, plan.visit_every_days) == (
        Decimal("200000.00"), 40, 30)
    assert plan.review_on == date(2027, 2, 23)  # a quarter from 23 November 2026
    again = set_plan(team["boss"], huaxin, {"threats": "", "review_on": "2026-12-15",
                                            "products": None}, progress="签了框架协议")
    assert not again.created
    plan = AccountPlan.get(AccountPlan.customer == huaxin)
    assert (plan.products, plan.threats, plan.review_on) == ("专业版软件", "", date(2026, 12, 15))
    assert plan.progress == "2026-11-23 · boss · 签了框架协议"
    assert AccountPlan.select().count() == 1


@pytest.mark.parametrize("values, field, fragment", [
    ({"visit_every_days": "0"}, "visit_every_days", "at least one day"),
    ({"visit_every_days": "-3"}, "visit_every_days", "at least one day"),
    ({"visit_every_days": "weekly"}, "visit_every_days", "not a whole number of days"),
    ({"target_amount": "-5"}, "target_amount", "must not be negative"),
    ({"target_volume": "-1"}, "target_volume", "between 0 and"),
    ({"review_on": "2026-11-01"}, "review_on", "today or later"),
    ({"review_on": "someday"}, "review_on", "someday"),
    ({"budget": "1"}, "budget", "unknown field"),
])
def test_bad_plans_are_refused_whole(team, huaxin, values, field, fragment):
    set_plan(team["rita"], huaxin, {"products": "Pro"})
    before = snapshot(AccountPlan)
    with pytest.raises(InvalidInput) as refused:
        set_plan(team["rita"], huaxin, {"products": "changed", **values})
    assert fragment in refused.value.errors[field]
    assert snapshot(AccountPlan) == before


@pytest.mark.parametrize("who, allowed", [("boss", None), ("rita", None), ("ray", NotFound),
                                          ("sam", Forbidden)])
def test_who_may_write_plans(team, huaxin, who, allowed):
    set_plan(team["rita"], huaxin, {"products": "Pro"})
    ctx = team[who]
    for write in (lambda: set_plan(ctx, huaxin, {"threats": "x"}),
                  lambda: add_progress(ctx, huaxin, "visited"),
                  lambda: remove_plan(ctx, huaxin)):
        if allowed is None:
            write()
            set_plan(team["rita"], huaxin, {"products": "Pro"})
        else:
            before = snapshot(AccountPlan)
            with pytest.raises(allowed):
                write()
            assert snapshot(AccountPlan) == before
    if who == "sam":
        assert plan_status(ctx, huaxin).editable is False


def test_the_visit_cycle_moves_the_next_due_date(team, huaxin, clock):
    """A customer who bought is visited by the plan's cycle rather than by their value class."""
    record_order(team["rita"], huaxin, amount="1000")
    log_interaction(team["rita"], huaxin, summary="first call")
    before = Customer.get_by_id(huaxin).next_due
    set_plan(team["rita"], huaxin, {"visit_every_days": "3"})  # the plan's cycle wins
    customer = Customer.get_by_id(huaxin)
    assert (customer.next_due, customer.due_rule) == (TODAY + timedelta(days=3), "plan")
    remove_plan(team["rita"], huaxin)
    assert Customer.get_by_id(huaxin).next_due == before
    assert AuditLog.get(AuditLog.entity == "account_plan").action == "delete"


def test_a_visit_adds_progress_and_the_review_shows_the_year(team, huaxin, clock):
    set_plan(team["rita"], huaxin, {"target_amount": "100000", "visit_every_days": "30",
                                    "review_on": "today"})
    # a customer since January: an order cannot be dated before the customer was added
    Customer.update(created_on=date(2026, 1, 5)).where(Customer.id == huaxin).execute()
    record_order(team["rita"], huaxin, amount="25000", on="2026-03-01")
    record_order(team["rita"], huaxin, amount="999", on="2026-11-23")
    log_interaction(team["rita"], huaxin, summary="拜访", channel="visit", at="2026-06-01 10:00",
                    plan_progress="看了新厂房")
    log_interaction(team["rita"], huaxin, summary="开会", channel="meeting",
                    plan_progress="  ")  # an empty line adds nothing
    log_interaction(team["rita"], huaxin, summary="电话", channel="phone")
    status = plan_status(team["sam"], huaxin)
    assert status.progress.ordered == Decimal("25999.00")
    assert status.progress.share == pytest.approx(0.25999)
    assert (status.progress.visits, status.progress.expected_visits) == (2, 10)  # 327 days
    assert [(n.on, n.by, n.text) for n in status.notes] == [(date(2026, 6, 1), "rita",
                                                             "看了新厂房")]
    review = [i for i in due_list(team["rita"]) if i.kind == "review"]
    assert [i.detail for i in review] == [
        "account plan review · 2026 orders 25,999.00 of 100,000.00 (26.0%) · "
        "2 visits of 10 (every 30 d)"]
    data = status.to_json()
    assert data["year"] == {"year": 2026, "ordered": Decimal("25999.00"), "share": 0.26,
                            "visits": 2, "expected_visits": 10}


def test_progress_needs_a_plan_and_some_text(team, huaxin):
    with pytest.raises(NotFound, match="has no account plan"):
        add_progress(team["rita"], huaxin, "visited")
    before = snapshot(Interaction)
    with pytest.raises(NotFound, match="has no account plan"):
        log_interaction(team["rita"], huaxin, summary="visit", channel="visit",
                        plan_progress="went well")
    assert snapshot(Interaction) == before  # the contact is not logged without its progress
    set_plan(team["rita"], huaxin, {})
    with pytest.raises(InvalidInput, match="required"):
        add_progress(team["rita"], huaxin, "   ")
    assert plan_status(team["rita"], huaxin).notes == []
