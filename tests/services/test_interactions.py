"""Logging contacts, promises, orders and care dates keeps every stored figure right."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from playhouse.test_utils import count_queries

from crmtui.db import (
    ChangeSet,
    Commitment,
    Customer,
    FieldChange,
    GradeChange,
    Interaction,
    Order,
    database,
)
from crmtui.errors import InvalidInput
from crmtui.services.customers import add_customer
from crmtui.services.journal import _dump, journal, stored_customer
from crmtui.services.interactions import (
    add_care_date,
    close_promise,
    log_interaction,
    record_order,
)
from tests.conftest import NOW, TODAY


def test_first_contact_then_follow_ups_are_counted_and_next_due_follows_the_cadence(ctx, clock):
    customer = add_customer(ctx, {"name": "B-lead", "need": "clear", "expected_close": "+2m"})
    result = log_interaction(ctx, customer.id, summary="intro call")
    assert result.interaction.followup_number == 0
    stored = Customer.get_by_id(customer.id)
    assert (stored.followups, stored.next_due) == (0, TODAY + timedelta(days=7))  # B: weekly
    clock.now = NOW + timedelta(days=7)
    log_interaction(ctx, customer.id, summary="second call")
    clock.now = NOW + timedelta(days=8)
    result = log_interaction(ctx, customer.id, summary="third", next_on="+3d", next_step="demo")
    stored = Customer.get_by_id(customer.id)
    assert result.interaction.followup_number == 2
    assert stored.followups == 2
    assert stored.next_due == date(2026, 12, 4)  # explicit next step wins over the cadence
    assert stored.next_step == "demo"
    assert stored.last_contact_on == date(2026, 12, 1)


def test_logging_regrades_as_of_today_and_records_the_change(ctx, clock):
    customer = add_customer(ctx, {"name": "C-lead", "need": "clear",
                                  "expected_close": "2027-03-01"})
    assert customer.grade == "C"
    clock.now = datetime(2027, 2, 10, 9, tzinfo=timezone.utc)  # close now within a month
    log_interaction(ctx, customer.id, summary="checking in")
    stored = Customer.get_by_id(customer.id)
    assert stored.grade == "A"
    assert stored.next_due == date(2027, 2, 11)  # A: daily
    assert GradeChange.select().where(GradeChange.to_grade == "A").count() == 1


def test_a_promise_is_stored_with_the_interaction(ctx):
    customer = add_customer(ctx, {"name": "Promised"})
    result = log_interaction(ctx, customer.id, summary="call", promise="send samples",
                             promise_due="fri")
    assert result.promise.due == date(2026, 11, 27)
    assert Commitment.get_by_id(result.promise.id).interaction_id == result.interaction.id
    close_promise(ctx, result.promise.id, "done")
    assert Commitment.get_by_id(result.promise.id).status == "done"


@pytest.mark.parametrize("fields, bad", [
    ({"summary": ""}, "summary"),
    ({"summary": "x", "channel": "pigeon"}, "channel"),
    ({"summary": "x", "next_on": "2026-02-30"}, "next_on"),
    ({"summary": "x", "next_on": "yesterday"}, "next_on"),
    ({"summary": "x", "promise": "call back"}, "promise_due"),
    ({"summary": "x", "promise_due": "+2d"}, "promise"),
    ({"summary": "x", "at": "+1d"}, "at"),
])
def test_bad_log_input_is_refused_and_nothing_changes(ctx, fields, bad):
    customer = add_customer(ctx, {"name": "Careful"})
    before = Customer.get_by_id(customer.id)
    with pytest.raises(InvalidInput) as caught:
        log_interaction(ctx, customer.id, **fields)
    assert bad in caught.value.errors
    after = Customer.get_by_id(customer.id)
    assert (after.next_due, after.followups, after.last_contact_at) == \
        (before.next_due, before.followups, before.last_contact_at)
    assert Interaction.select().count() == 0


def test_a_backdated_contact_counts_but_does_not_move_last_contact(ctx, clock):
    customer = add_customer(ctx, {"name": "Backdated"})
    log_interaction(ctx, customer.id, summary="today")
    log_interaction(ctx, customer.id, summary="last week", at="2026-11-16 10:00")
    stored = Customer.get_by_id(customer.id)
    assert stored.followups == 1
    assert stored.last_contact_on == TODAY


def test_orders_keep_revenue_exact_and_open_a_referral_moment(ctx, clock):
    clock.now = NOW - timedelta(days=7)
    customer = add_customer(ctx, {"name": "Buyer"})
    clock.now = NOW
    record_order(ctx, customer.id, amount="0.10", product="a")
    record_order(ctx, customer.id, amount="0.20", product="b")
    record_order(ctx, customer.id, amount="1,000.05", on="2026-11-20")
    stored = Customer.get_by_id(customer.id)
    assert stored.revenue == Decimal("1000.35")
    assert (stored.deal_status, stored.status) == ("won", "existing")
    assert stored.referral_moment_on == TODAY
    for bad in ("abc", "-5", "0", "1.234", "NaN"):
        with pytest.raises(InvalidInput):
            record_order(ctx, customer.id, amount=bad)
    assert Order.select().count() == 3


def test_care_dates_are_validated(ctx):
    customer = add_customer(ctx, {"name": "Birthday"})
    add_care_date(ctx, customer.id, month=2, day=29)
    add_care_date(ctx, customer.id, month=8, day=30, lunar=True)
    with pytest.raises(InvalidInput):
        add_care_date(ctx, customer.id, month=2, day=30)
    with pytest.raises(InvalidInput):
        add_care_date(ctx, customer.id, month=13, day=1)


def test_logging_one_interaction_takes_a_bounded_number_of_queries(backend, ctx):
    customer = add_customer(ctx, {"name": "Hot path"})
    counts = []
    for _ in range(2):
        with count_queries() as counter:
            log_interaction(ctx, customer.id, summary="call", promise="x", promise_due="+1d")
        sent = [record.msg[0] for record in counter.get_queries()]
        counts.append((len(sent), sum(sql.startswith("PREPARE ") for sql in sent)))
    # the history: the change set and its fields (one insert for all; on PostgreSQL one
    # statement for both; the customer as saved is not read back); 1 the open appointment the
    # contact may close
    most = 9 if backend == "sqlite" else 8
    assert counts[0][0] - counts[0][1] <= most and counts[1][0] <= most
    # on PostgreSQL the first log on a connection prepares its statements, the next none
    assert counts[1][1] == 0 and (counts[0][1] > 0) == (backend != "sqlite")


def test_a_logs_history_holds_each_customer_field_the_log_moved_as_stored(ctx, clock):
    """The customer's fields a log records as changed (taken from the customer as saved, not
    read back) equal the stored fields before and after it, compared from scratch."""
    rng = random.Random(5)
    customers = [
        add_customer(ctx, {"name": f"客户{n}", "need": rng.choice(["clear", "potential"]),
                           "expected_close": f"+{rng.randint(1, 120)}d"}).id
        for n in range(6)
    ]  # fmt: skip
    fields_moved = set()
    for step in range(40):
        clock.now = NOW + timedelta(days=3 * step, minutes=step)
        customer_id = rng.choice(customers)
        before = stored_customer(customer_id)
        log_interaction(
            ctx,
            customer_id,
            summary=f"call {step}",
            outcome=rng.choice(["positive", "neutral", "negative", "no_answer"]),
            direction=rng.choice(["out", "in"]),
            next_step=rng.choice(["", "send the quote", "visit"]),
            next_on=rng.choice([None, "+3d", "+10d"]),
            referral_ask=rng.random() < 0.3,
        )
        after = stored_customer(customer_id)
        change = ChangeSet.select().order_by(ChangeSet.id.desc()).first()
        recorded = {
            (f.field, f.old, f.new)
            for f in FieldChange.select().where(
                (FieldChange.change_set == change.id) & (FieldChange.entity == "customer")
            )
        }
        moved = {
            (name, _dump(old), _dump(after[name]))
            for name, old in before.items()
            if after[name] != old
        }
        assert recorded == moved, step
        fields_moved |= {name for name, _, _ in moved}
    assert {"grade", "next_step", "next_step_on", "referral_asked_on"} <= fields_moved


def test_a_logs_history_keeps_its_records_and_fields_in_the_order_they_happened(ctx):
    customer = add_customer(ctx, {"name": "Ordered", "need": "clear", "expected_close": "+5d"})
    log_interaction(ctx, customer.id, summary="call", next_step="quote", next_on="+2d",
                    promise="send the quote", promise_due="+1d", referral_ask=True)  # fmt: skip
    change = ChangeSet.select().order_by(ChangeSet.id.desc()).first()
    assert (change.action, change.entity, change.by_id) == ("log", "interaction", ctx.user.id)
    rows = FieldChange.select().where(FieldChange.change_set == change.id).order_by(FieldChange.id)
    assert [(f.entity, f.field) for f in rows] == [
        ("interaction", ""), ("promise", ""), ("customer", "next_step"),
        ("customer", "next_step_on"), ("customer", "referral_asked_on")]  # fmt: skip


def test_a_log_inside_another_write_leaves_that_write_the_customers_fields_it_changes(ctx):
    """Logged inside a write with a journal of its own, the log does not vouch for the
    customer's fields: the outer write may change them after it."""
    customer = add_customer(ctx, {"name": "Nested"})
    with database.atomic(), journal(ctx, "log", Customer.get_by_id(customer.id)) as kept:
        log_interaction(ctx, customer.id, summary="call", next_step="quote")
        Customer.update(next_step="visit").where(Customer.id == customer.id).execute()
        assert kept.after is None
    change = ChangeSet.select().order_by(ChangeSet.id.desc()).first()
    moved = FieldChange.get(
        (FieldChange.change_set == change.id) & (FieldChange.field == "next_step")
    )
    assert (moved.old, moved.new) == ('""', '"visit"')
