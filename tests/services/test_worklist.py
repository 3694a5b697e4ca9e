"""Working a due item: the contact and the settling of the item in one transaction."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from crmtui.db import AccountPlan, CareDate, Commitment, Customer, Interaction
from crmtui.errors import CrmError, InvalidInput
from crmtui.rules import DueKind
from crmtui.services.customers import add_customer
from crmtui.services.due import due_list
from crmtui.services.interactions import add_care_date, add_promise, log_interaction
from crmtui.services.profile import referral_tree
from crmtui.services.worklist import log_due_item, snooze_due_item, snooze_refusal
from tests.conftest import NOW, TODAY, as_user


def item_of(ctx, kind: DueKind):
    return next(i for i in due_list(ctx) if i.kind is kind)


def settled_customer(ctx, name: str) -> Customer:
    customer = add_customer(ctx, {"name": name})
    log_interaction(ctx, customer.id, summary="intro", next_on="+60d")
    return customer


def test_a_kept_promise_is_closed_with_the_contact(ctx):
    customer = settled_customer(ctx, "promised")
    add_promise(ctx, customer.id, "send samples", "today")
    item = item_of(ctx, DueKind.PROMISE)
    log_due_item(ctx, item.kind, item.customer_id, item.ref_id, promise_kept=True,
                 summary="samples sent")
    assert Commitment.get_by_id(item.ref_id).status == "done"
    assert [i.kind for i in due_list(ctx)] == []


def test_a_promise_not_marked_kept_stays_due(ctx):
    customer = settled_customer(ctx, "promised")
    add_promise(ctx, customer.id, "send samples", "today")
    item = item_of(ctx, DueKind.PROMISE)
    log_due_item(ctx, item.kind, item.customer_id, item.ref_id, summary="not yet")
    assert [i.kind for i in due_list(ctx)] == [DueKind.PROMISE]


def test_a_logged_greeting_takes_the_care_date_off_until_next_year(ctx, clock):
    customer = settled_customer(ctx, "生日")
    add_care_date(ctx, customer.id, month=11, day=25)
    item = item_of(ctx, DueKind.CARE)
    log_due_item(ctx, item.kind, item.customer_id, item.ref_id, summary="生日快乐",
                 channel="wechat")
    assert CareDate.get_by_id(item.ref_id).greeted_on == TODAY
    assert due_list(ctx) == []
    assert due_list(ctx, TODAY + timedelta(days=2)) == []
    clock.now = NOW.replace(year=2027) - timedelta(days=1)  # 2027-11-22: next year's window
    next_year = [i.kind for i in due_list(ctx, date(2027, 11, 22))]
    assert DueKind.CARE in next_year


def test_a_referral_ask_is_settled_by_asking(ctx):
    customer = add_customer(ctx, {"name": "happy"})
    log_interaction(ctx, customer.id, summary="thanks!", outcome="positive", next_on="+30d")
    item = item_of(ctx, DueKind.REFERRAL)
    log_due_item(ctx, item.kind, item.customer_id, item.ref_id, summary="asked",
                 referral_ask=True)
    assert due_list(ctx) == []


def test_a_plan_review_moves_to_the_next_review_day(ctx):
    customer = settled_customer(ctx, "key")
    plan = AccountPlan.create(customer=customer.id, review_on=TODAY, updated_at=NOW)
    item = item_of(ctx, DueKind.REVIEW)
    log_due_item(ctx, item.kind, item.customer_id, item.ref_id, summary="quarterly review")
    assert AccountPlan.get_by_id(plan.id).review_on == date(2027, 2, 23)  # +3 months
    with pytest.raises(InvalidInput) as caught:
        log_due_item(ctx, item.kind, item.customer_id, item.ref_id, summary="",
                     next_review="yesterday")
    assert set(caught.value.errors) == {"summary", "next_review"}


def test_nothing_is_half_saved_when_settling_fails(ctx):
    customer = settled_customer(ctx, "gone")
    count = Interaction.select().count()
    with pytest.raises(CrmError, match="the promise is gone"):
        log_due_item(ctx, DueKind.PROMISE, customer.id, 999, promise_kept=True,
                     summary="call")
    assert Interaction.select().count() == count
    assert Customer.get_by_id(customer.id).followups == 0


def test_snoozing_follow_ups_promises_and_reviews_and_refusing_the_rest(ctx):
    customer = add_customer(ctx, {"name": "due"})
    snooze_due_item(ctx, DueKind.FOLLOW_UP, customer.id, None, "+2d")
    assert Customer.get_by_id(customer.id).next_due == TODAY + timedelta(days=2)
    promise = add_promise(ctx, customer.id, "call back", "today")
    snooze_due_item(ctx, DueKind.PROMISE, customer.id, promise.id, "fri")
    assert Commitment.get_by_id(promise.id).due == date(2026, 11, 27)
    plan = AccountPlan.create(customer=customer.id, review_on=TODAY, updated_at=NOW)
    with pytest.raises(InvalidInput, match="pick a day after today"):
        snooze_due_item(ctx, DueKind.REVIEW, customer.id, plan.id, "today")
    snooze_due_item(ctx, DueKind.REVIEW, customer.id, plan.id, "+1w")
    assert AccountPlan.get_by_id(plan.id).review_on == TODAY + timedelta(days=7)
    for kind in (DueKind.CARE, DueKind.REFERRAL, DueKind.COMPLAINT, DueKind.DROPPED):
        assert snooze_refusal(kind)
        with pytest.raises(CrmError):
            snooze_due_item(ctx, kind, customer.id, 1, "+1d")


def test_another_reps_customer_cannot_be_worked(ctx, rep_ctx):
    theirs = add_customer(as_user(ctx, "ray"), {"name": "ray's"})
    with pytest.raises(CrmError, match=f"no customer with id {theirs.id}"):
        log_due_item(rep_ctx, DueKind.FOLLOW_UP, theirs.id, summary="hi")
    assert Interaction.select().where(Interaction.customer == theirs.id).count() == 0


def test_the_referral_tree_shows_who_referred_whom(ctx, rep_ctx):
    root = add_customer(ctx, {"name": "root"})
    middle = add_customer(ctx, {"name": "middle"}, referred_by=root.id)
    leaf = add_customer(ctx, {"name": "leaf"}, referred_by=middle.id)
    other = add_customer(ctx, {"name": "other"}, referred_by=middle.id)
    Customer.update(owner=rep_ctx.user.id).where(Customer.id == middle.id).execute()
    tree = referral_tree(rep_ctx, middle.id)
    assert (tree.id, tree.name, tree.visible) == (root.id, "…", False)  # boss's customer
    assert [c.id for c in tree.children] == [middle.id]
    assert [c.id for c in tree.children[0].children] == [leaf.id, other.id]


def test_schema_4_adds_the_greeting_day_to_older_databases(db_path, clock):
    from tests.conftest import make_context

    ctx = make_context(db_path, clock)
    ctx.store.close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("ALTER TABLE care_date DROP COLUMN greeted_on")
        connection.execute("UPDATE schema_version SET version = 3")
    ctx = make_context(db_path, clock)
    columns = [c.name for c in ctx.store.db.get_columns("care_date")]
    assert "greeted_on" in columns
    customer = add_customer(ctx, {"name": "x"})
    care = add_care_date(ctx, customer.id, month=1, day=2)
    assert CareDate.get_by_id(care.id).greeted_on is None
    ctx.store.close()
