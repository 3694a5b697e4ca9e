"""The change history and undo: every change kept with who, when and each field; undo reverses
the user's latest change and everything that followed from it, and is refused (changing
nothing) when someone else changed the record since."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from crmtui.db import ChangeSet, Commitment, Customer, FieldChange, Interaction, Order, Win
from crmtui.errors import Conflict, CrmError
from crmtui.services.corrections import edit_interaction, edit_order, remove_record
from crmtui.services.customers import add_customer, reassign, regrade, snooze, update_customer
from crmtui.services.history import Damaged, history_of, settled_by_others
from crmtui.services.undo import undo, undo_preview
from crmtui.services.interactions import add_promise, log_interaction, record_order
from crmtui.services.lifecycle import set_lifecycle, set_value_class
from tests.conftest import NOW, TODAY


def fresh(customer) -> Customer:
    return Customer.get_by_id(customer.id)


def state(customer) -> tuple:
    """What a customer's page shows: the figures and every record."""
    c = fresh(customer)
    return ((c.grade, c.need, c.expected_close, c.next_due, c.next_step, c.next_step_on,
             c.followups, c.last_contact_at, c.revenue, c.lifecycle, c.value_class, c.status,
             c.deal_status, c.owner_id, c.grade_pinned, c.referral_moment_on),
            tuple(Interaction.select().where(Interaction.customer == c.id).tuples()),
            tuple(Order.select().where(Order.customer == c.id).tuples()),
            tuple(Commitment.select().where(Commitment.customer == c.id).tuples()),
            tuple(Win.select().where(Win.customer == c.id).tuples()))


def figures(customer) -> tuple:
    return state(customer)[0]


@pytest.fixture
def lead(ctx):
    return add_customer(ctx, {"name": "张三", "need": "clear", "expected_close": "+10d"})


def test_undo_after_a_log_takes_back_the_contact_its_promise_and_what_followed(ctx, clock, lead):
    log_interaction(ctx, lead.id, summary="first call", next_on="+3d")
    clock.now = NOW + timedelta(hours=2)
    before = state(lead)
    log_interaction(ctx, lead.id, summary="second call", next_step="demo", next_on="+5d",
                    promise="send deck", promise_due="+2d", outcome="positive")
    assert fresh(lead).followups == 1
    plan = undo_preview(ctx)
    assert (plan.action, plan.customer, plan.at) == ("log", "张三", NOW + timedelta(hours=2))
    assert state(lead) != before  # the preview changed nothing
    undo(ctx, plan.change_id)
    assert state(lead) == before
    entries = history_of(ctx, lead.id)
    assert [e.action for e in entries[:2]] == ["undo", "log"]
    assert entries[1].undone_by == entries[0].id


def test_undo_walks_back_one_change_at_a_time_then_says_there_is_nothing(ctx, lead):
    start = state(lead)
    log_interaction(ctx, lead.id, summary="call")
    after_log = state(lead)
    snooze(ctx, lead.id, "+9d")
    undo(ctx)
    assert state(lead) == after_log
    undo(ctx)
    assert state(lead) == start
    with pytest.raises(CrmError, match="nothing to undo: you have changed nothing in the app"):
        undo(ctx)


def test_undo_an_order_opens_the_opportunity_again(ctx, lead):
    log_interaction(ctx, lead.id, summary="call")
    before = state(lead)
    record_order(ctx, lead.id, amount="5000")
    assert fresh(lead).grade == "D"
    undo(ctx)
    assert state(lead) == before
    assert fresh(lead).grade == "A"


def test_undo_a_removal_brings_the_record_and_its_figures_back(ctx, lead):
    order = record_order(ctx, lead.id, amount="5000")
    before = state(lead)
    remove_record(ctx, "order", order.id)
    assert fresh(lead).revenue == Decimal(0)
    undo(ctx)
    assert state(lead) == before
    assert Win.get(Win.order == order.id).amount == Decimal("5000.00")


def test_undo_an_edit_puts_each_field_back(ctx, lead):
    order = record_order(ctx, lead.id, amount="5000", quantity="1")
    before = state(lead)
    edit_order(ctx, order.id, {"quantity": "3", "amount": "6000"})
    undo(ctx)
    after = state(lead)
    assert after[0] == before[0]
    stored = Order.get_by_id(order.id)
    assert (stored.quantity, stored.amount, stored.version) == (1, Decimal("5000.00"), 3)


@pytest.mark.parametrize("change", [
    lambda ctx, c: regrade(ctx, c.id, need="potential"),
    lambda ctx, c: regrade(ctx, c.id, pin="B", reason="board decided"),
    lambda ctx, c: update_customer(ctx, c.id, {"company": "重庆华信", "need": "none"}),
    lambda ctx, c: snooze(ctx, c.id, "+20d"),
    lambda ctx, c: set_lifecycle(ctx, c.id, "terminated", reason="went elsewhere"),
    lambda ctx, c: set_value_class(ctx, c.id, "key", reason="strategic"),
    lambda ctx, c: add_promise(ctx, c.id, "call back", "+2d"),
], ids=["regrade", "pin", "edit", "snooze", "status", "class", "promise"])
def test_undo_reverses_each_kind_of_change(ctx, lead, change):
    before = state(lead)
    change(ctx, lead)
    assert state(lead) != before
    undo(ctx)
    assert state(lead)[0] == before[0]
    assert state(lead)[1:] == before[1:]


def test_undo_a_reassignment_is_a_managers_and_audited(ctx, rep_ctx, lead):
    from crmtui.db import AuditLog

    reassign(ctx, lead.id, "rita")
    undo(ctx)
    assert fresh(lead).owner_id == ctx.user.id
    assert AuditLog.select().where(AuditLog.action == "reassign").count() == 2


def test_undo_is_refused_naming_who_changed_the_record_since(ctx, rep_ctx):
    customer = add_customer(ctx, {"name": "Shared"}, owner="rita")
    logged = log_interaction(rep_ctx, customer.id, summary="rita's call").interaction
    edit_interaction(ctx, logged.id, {"summary": "boss fixed it"})
    before = state(customer)
    with pytest.raises(Conflict, match=r"cannot undo: interaction #\d+ was changed by boss at "
                                       r"2026-11-23 10:00 since; nothing was undone"):
        undo(rep_ctx)
    assert state(customer) == before
    remove_record(ctx, "interaction", logged.id)
    with pytest.raises(Conflict, match="was deleted by boss"):
        undo(rep_ctx)


def test_a_colleagues_later_contact_stands_when_an_earlier_log_is_undone(ctx, rep_ctx, clock):
    customer = add_customer(ctx, {"name": "Shared"}, owner="rita")
    log_interaction(rep_ctx, customer.id, summary="rita's call", next_on="+3d")
    clock.now = NOW + timedelta(hours=1)
    log_interaction(ctx, customer.id, summary="boss's call", next_step="visit", next_on="+4d")
    undo(rep_ctx)
    kept = fresh(customer)
    assert [i.summary for i in Interaction.select()] == ["boss's call"]
    assert (kept.next_step, kept.next_step_on, kept.followups) == \
        ("visit", TODAY + timedelta(days=4), 0)


def test_the_app_and_the_command_line_undo_their_own_changes(ctx, lead):
    log_interaction(ctx, lead.id, summary="in the app")
    ctx.origin = "cli"
    with pytest.raises(CrmError, match="nothing to undo: you have changed nothing from the "
                                       "command line"):
        undo_preview(ctx)
    snooze(ctx, lead.id, "+5d")
    assert undo(ctx).action == "snooze"
    ctx.origin = "app"
    assert undo(ctx).action == "log"


def test_undo_of_an_old_change_shown_is_refused_once_another_is_made(ctx, lead):
    log_interaction(ctx, lead.id, summary="call")
    shown = undo_preview(ctx)
    snooze(ctx, lead.id, "+5d")
    with pytest.raises(CrmError, match="your latest change is now another one"):
        undo(ctx, shown.change_id)
    assert fresh(lead).next_step_on == TODAY + timedelta(days=5)


def test_the_history_keeps_who_when_and_each_field(ctx, rep_ctx, lead):
    log_interaction(ctx, lead.id, summary="call", next_on="+3d")
    update_customer(ctx, lead.id, {"company": "重庆华信"})
    entries = history_of(ctx, lead.id)
    edit, log = entries[0], entries[1]
    assert (edit.action, edit.login, edit.at, edit.origin) == ("edit", "boss", NOW, "app")
    assert [(m.entity, m.field, m.old, m.new) for m in edit.fields] == \
        [("customer", "company", "", "重庆华信")]
    created = next(m for m in log.fields if m.entity == "interaction")
    assert (created.field, created.old, created.new["summary"]) == ("", None, "call")
    assert any(m.field == "next_step_on" and m.new == TODAY + timedelta(days=3)
               for m in log.fields)


def test_today_learns_who_settled_an_item(ctx, rep_ctx, clock):
    customer = add_customer(ctx, {"name": "Shared"}, owner="rita")
    clock.now = NOW + timedelta(minutes=42)
    log_interaction(ctx, customer.id, summary="boss called")
    found = settled_by_others(rep_ctx, [customer.id], NOW)
    assert [(s.customer, s.action, s.by, s.at) for s in found] == \
        [("Shared", "log", "boss", NOW + timedelta(minutes=42))]
    assert settled_by_others(ctx, [customer.id], NOW) == []  # not someone else for boss


def test_a_damaged_history_row_refuses_undo_and_changes_nothing(ctx, lead):
    log_interaction(ctx, lead.id, summary="call")
    FieldChange.update(new="{not json").where(FieldChange.entity == "interaction").execute()
    before = state(lead)
    with pytest.raises(Damaged, match="damaged"):
        undo(ctx)
    assert state(lead) == before
    assert history_of(ctx, lead.id)  # still shown, the damaged value as its text
    assert ChangeSet.select().where(ChangeSet.action == "undo").count() == 0


def test_a_manager_reassigns_by_login_or_name_and_owner_filters_take_either(ctx, rep_ctx, lead):
    from crmtui.errors import Forbidden
    from crmtui.services.customers import list_customers
    from crmtui.services.owners import owner_choices

    update_customer(ctx, lead.id, {"company": "重庆华信"}, owner="Rita Rep")
    assert (fresh(lead).owner_id, fresh(lead).company) == (rep_ctx.user.id, "重庆华信")
    assert [c.id for c in list_customers(ctx, owner="rita").rows] == [lead.id]
    assert [c.id for c in list_customers(ctx, owner="rita rep").rows] == [lead.id]
    assert ("Rita Rep (rita)", "rita") in owner_choices(ctx)
    assert all(login != "sam" for _shown, login in owner_choices(ctx))  # support owns none
    with pytest.raises(Forbidden, match="only a manager can reassign customers"):
        update_customer(rep_ctx, lead.id, {"company": "x"}, owner="ray")
    assert fresh(lead).company == "重庆华信"  # refused before anything was saved
    with pytest.raises(CrmError, match="sam is support staff and cannot own customers"):
        reassign(ctx, lead.id, "sam")
    reassign(ctx, lead.id, "Ray Rep")
    assert [e.action for e in history_of(ctx, lead.id)[:3]] == ["reassign", "reassign", "edit"]


def test_a_win_counted_again_does_not_stop_undoing_its_order(ctx, clock, lead):
    calls = [log_interaction(ctx, lead.id, summary=f"call {n}").interaction for n in range(3)]
    order = record_order(ctx, lead.id, amount="900")
    ctx.origin = "cli"  # the correction from the command line: the app's undo is the order's
    edit_interaction(ctx, calls[1].id, {"outcome": "no_answer"})
    assert Win.get(Win.order == order.id).followups == 1
    ctx.origin = "app"
    assert undo(ctx).action == "order"
    assert not Order.select().where(Order.id == order.id).exists()
