"""Merging duplicates: everything moves, empty fields fill, differences are reported."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from crmtui.db import (
    AccountPlan,
    AuditLog,
    CareDate,
    Commitment,
    Complaint,
    Contact,
    Customer,
    GradeChange,
    Interaction,
    Order,
    Survey,
    Win,
    CustomerChange,
)
from crmtui.errors import CrmError, Forbidden, NotFound
from crmtui.rules import Severity, sla_deadlines
from crmtui.services.customers import add_customer, find_customers
from crmtui.services.interactions import (
    add_care_date,
    add_promise,
    log_interaction,
    record_order,
)
from crmtui.services.maintenance import check_store
from crmtui.services.merge import merge_customers, plan_merge
from tests.conftest import NOW, TODAY, as_user


def counts(customer_id: int) -> dict[str, int]:
    return {model.__name__: model.select().where(model.customer == customer_id).count()
            for model in (Interaction, Commitment, Order, Complaint, CareDate, Contact, Survey,
                          GradeChange, AccountPlan, Win, CustomerChange)}


@pytest.fixture
def pair(ctx, clock):
    clock.now = NOW - timedelta(days=15)
    keep = add_customer(ctx, {"name": "张三", "phones": "138 1234 5678", "tags": "vip",
                              "company": "华信", "email": "zs@example.cn"})
    close = (TODAY + timedelta(days=20)).isoformat()
    other = add_customer(ctx, {"name": "张三 (2)", "phones": "+86 138 1234 5678, 023 6666 8888",
                               "company": "华信科技", "title": "采购经理", "tags": "north",
                               "address": "重庆", "need": "clear", "expected_close": close})
    clock.now = NOW - timedelta(days=12)
    # a first sale that closed an opportunity, and the next one already in view
    record_order(ctx, other.id, amount="1200.00", product="kit", next_close=close)
    clock.now = NOW - timedelta(days=10)
    log_interaction(ctx, other.id, summary="first call")
    clock.now = NOW - timedelta(days=5)
    log_interaction(ctx, keep.id, summary="met at the fair")
    clock.now = NOW - timedelta(days=2)
    log_interaction(ctx, other.id, summary="sent the quote", next_on="2026-11-27",
                    next_step="call about the quote")
    clock.now = NOW
    add_promise(ctx, other.id, "send samples", "+3d")
    add_care_date(ctx, keep.id, month=3, day=15)
    add_care_date(ctx, other.id, month=3, day=15)  # the same birthday twice
    add_care_date(ctx, other.id, month=6, day=1, kind="anniversary")
    Contact.create(customer=other.id, name="王秘书", phone="023 1111 2222")
    Survey.create(customer=other.id, at=NOW, overall=5, by=ctx.user.id)
    respond, resolve = sla_deadlines(NOW, Severity.HIGH)
    Complaint.create(customer=other.id, opened_at=NOW, summary="late delivery",
                     respond_by=respond, resolve_by=resolve, created_by=ctx.user.id,
                     updated_at=NOW)
    AccountPlan.create(customer=other.id, review_on=TODAY + timedelta(days=30), updated_at=NOW)
    referred = add_customer(ctx, {"name": "Referred"}, referred_by=other.id)
    return keep, other, referred


def test_merge_moves_everything_fills_empty_fields_and_reports_conflicts(ctx, pair):
    keep, other, referred = pair
    plan = merge_customers(ctx, keep.id, other.id)
    assert plan.done
    assert Customer.get_or_none(Customer.id == other.id) is None
    assert counts(other.id) == dict.fromkeys(counts(other.id), 0)
    moved = counts(keep.id)
    assert moved == {"Interaction": 3, "Commitment": 1, "Order": 1, "Complaint": 1,
                     "CareDate": 2, "Contact": 1, "Survey": 1, "GradeChange": 3,
                     "AccountPlan": 1, "Win": 1, "CustomerChange": 4}
    assert plan.moved == {"interactions": 2, "promises": 1, "orders": 1, "complaints": 1,
                          "grade_history": 2, "surveys": 1, "referrals": 1, "wins": 1,
                          "lifecycle_history": 2,
                          "care_dates": 1, "contacts": 1, "account_plan": 1}
    assert plan.dropped == {"care_dates": 1}
    assert Customer.get_by_id(referred.id).referred_by_id == keep.id
    merged = Customer.get_by_id(keep.id)
    assert (merged.title, merged.address, merged.expected_close) == (
        "采购经理", "重庆", TODAY + timedelta(days=20))
    assert merged.phone_list == ["138 1234 5678", "023 6666 8888"]  # +86 copy not doubled
    assert merged.tags == "vip,north"
    conflicts = {c.field: (c.keep, c.other) for c in plan.conflicts}
    assert conflicts == {"name": ("张三", "张三 (2)"), "company": ("华信", "华信科技"),
                         "need": ("potential", "clear")}
    assert merged.company == "华信" and merged.need == "potential"


def test_merge_recomputes_the_figures_the_history_gives(ctx, pair):
    keep, other, _referred = pair
    first_added = min(Customer.get_by_id(c.id).created_on for c in (keep, other))
    merge_customers(ctx, keep.id, other.id)
    merged = Customer.get_by_id(keep.id)
    numbers = [(i.summary, i.followup_number) for i in
               Interaction.select().where(Interaction.customer == keep.id).order_by(Interaction.at)]
    assert numbers == [("first call", 0), ("met at the fair", 1), ("sent the quote", 2)]
    assert merged.followups == 2
    assert merged.last_contact_on == TODAY - timedelta(days=2)
    assert (merged.next_step, merged.next_due) == ("call about the quote", date(2026, 11, 27))
    assert merged.revenue == Decimal("1200.00")
    assert (merged.deal_status, merged.status) == ("won", "existing")
    assert merged.created_on == first_added
    assert merged.version == keep.version + 1
    assert [c.id for c in find_customers(ctx, "6666")] == [keep.id]
    assert check_store(ctx.store).ok


def test_merge_is_audited_with_the_other_customers_fields(ctx, pair):
    keep, other, _referred = pair
    merge_customers(ctx, keep.id, other.id)
    (entry,) = AuditLog.select().where(AuditLog.action == "merge")
    assert (entry.entity, entry.entity_id, entry.user_id) == ("customer", keep.id, ctx.user.id)
    detail = json.loads(entry.detail)
    assert detail["merged"] == other.id
    assert detail["other"]["company"] == "华信科技"
    assert "company" in detail["conflicts"]


def test_dry_run_plans_the_same_merge_and_changes_nothing(ctx, pair):
    keep, other, _referred = pair
    before = (counts(keep.id), counts(other.id), Customer.get_by_id(keep.id).version)
    plan = plan_merge(ctx, keep.id, other.id)
    assert not plan.done and plan.moved["interactions"] == 2
    assert (counts(keep.id), counts(other.id), Customer.get_by_id(keep.id).version) == before
    assert merge_customers(ctx, keep.id, other.id).to_json() == {**plan.to_json(), "done": True}


def test_birthdays_that_differ_are_reported_and_keeps_stays(ctx):
    keep = add_customer(ctx, {"name": "A"})
    other = add_customer(ctx, {"name": "B"})
    add_care_date(ctx, keep.id, month=3, day=15)
    add_care_date(ctx, other.id, month=4, day=1, year=1980)
    plan = merge_customers(ctx, keep.id, other.id)
    assert {c.field: (c.keep, c.other) for c in plan.conflicts}["birthday"] == (
        "--03-15", "1980-04-01")
    assert [(c.month, c.day) for c in CareDate.select()] == [(3, 15)]


def test_a_pinned_grade_of_the_other_is_reported_and_a_missing_grade_recomputed(ctx):
    from crmtui.services.customers import regrade

    keep = add_customer(ctx, {"name": "Keep"})
    other = add_customer(ctx, {"name": "Other", "expected_close": "+10d"})
    regrade(ctx, other.id, pin="A", reason="key deal")
    plan = merge_customers(ctx, keep.id, other.id)
    assert {c.field for c in plan.conflicts} == {"name", "grade"}
    merged = Customer.get_by_id(keep.id)
    assert merged.expected_close == TODAY + timedelta(days=10)
    assert (merged.grade, merged.grade_pinned) == ("D", False)  # need stays potential


def test_the_referrer_is_kept_and_a_self_referral_dropped(ctx):
    referrer = add_customer(ctx, {"name": "Referrer"})
    other = add_customer(ctx, {"name": "Other"}, referred_by=referrer.id)
    keep = add_customer(ctx, {"name": "Keep"}, referred_by=other.id)
    merge_customers(ctx, keep.id, other.id)
    assert Customer.get_by_id(keep.id).referred_by_id == referrer.id


def test_merge_needs_a_manager_or_the_owner_of_both(rep_ctx):
    manager = as_user(rep_ctx, "boss")
    mine = add_customer(rep_ctx, {"name": "Mine"})
    mine_too = add_customer(rep_ctx, {"name": "Mine too"})
    rays = add_customer(manager, {"name": "Ray's"}, owner="ray")
    with pytest.raises(NotFound):
        merge_customers(rep_ctx, mine.id, rays.id)
    with pytest.raises(Forbidden):
        merge_customers(as_user(rep_ctx, "sam"), mine.id, mine_too.id)
    with pytest.raises(CrmError, match="into itself"):
        merge_customers(rep_ctx, mine.id, mine.id)
    assert merge_customers(rep_ctx, mine.id, mine_too.id).done
    plan = merge_customers(manager, mine.id, rays.id)
    assert {c.field: (c.keep, c.other) for c in plan.conflicts}["owner"] == ("rita", "ray")
    assert Customer.get_by_id(mine.id).owner.login == "rita"
