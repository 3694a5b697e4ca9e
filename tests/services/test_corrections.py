"""Correcting and removing interactions, orders, promises, care dates and surveys: the same
checks as creating them, and every figure derived from them follows in the same transaction."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from crmtui.db import (
    CareDate,
    ChangeSet,
    Commitment,
    Customer,
    FieldChange,
    Interaction,
    Order,
    Survey,
    Win,
)
from crmtui.errors import Conflict, Forbidden, InvalidInput, NotFound
from crmtui.services.corrections import (
    edit_care_date,
    edit_interaction,
    edit_order,
    edit_promise,
    edit_record,
    edit_survey,
    remove_record,
)
from crmtui.services.customers import add_customer, snooze
from crmtui.services.interactions import (
    add_care_date,
    add_promise,
    log_interaction,
    record_order,
)
from crmtui.services.surveys import record_survey
from tests.conftest import NOW, TODAY, as_user


def fresh(customer) -> Customer:
    return Customer.get_by_id(customer.id)


def everything(customer_id: int) -> tuple:
    """Every row that hangs off a customer, and the customer: equal when nothing changed."""
    return (tuple(Customer.select().where(Customer.id == customer_id).tuples()),
            *(tuple(model.select().where(model.customer == customer_id).order_by(model.id)
                    .tuples())
              for model in (Interaction, Order, Commitment, CareDate, Survey, Win)))


@pytest.fixture
def lead(ctx):
    """A clear need closing in ten days: grade A."""
    return add_customer(ctx, {"name": "张三", "need": "clear", "expected_close": "+10d"})


def test_editing_an_order_moves_revenue_profit_and_its_win(ctx, lead):
    order = record_order(ctx, lead.id, amount="1000", quantity="1", cost="400")
    edit_order(ctx, order.id, {"quantity": "3", "amount": "3000"})
    stored, customer = Order.get_by_id(order.id), fresh(lead)
    assert (stored.quantity, stored.amount, stored.version) == (3, Decimal("3000.00"), 2)
    assert (customer.revenue, customer.profit) == (Decimal("3000.00"), Decimal("2600.00"))
    assert Win.get(Win.order == order.id).amount == Decimal("3000.00")
    edit_order(ctx, order.id, {"cost": ""})
    assert fresh(lead).profit == Decimal("3000.00")  # no cost: all of it


def test_removing_the_sale_opens_its_opportunity_again_and_the_grade_moves_back(ctx, lead):
    log_interaction(ctx, lead.id, summary="first call")
    order = record_order(ctx, lead.id, amount="5000")
    sold = fresh(lead)
    assert (sold.grade, sold.need, sold.lifecycle, sold.deal_status) == \
        ("D", "potential", "customer", "won")
    assert sold.opportunity_since is not None
    remove_record(ctx, "order", order.id)
    back = fresh(lead)
    assert (back.grade, back.need, back.expected_close) == ("A", "clear", TODAY + timedelta(10))
    assert (back.revenue, back.profit, back.last_order_on) == (Decimal(0), Decimal(0), None)
    assert (back.lifecycle, back.deal_status, back.opportunity_since) == \
        ("prospect", "negotiating", None)
    assert back.next_due == TODAY + timedelta(days=1)  # A: daily, from the first call
    assert not Win.select().exists()


def test_removing_a_sale_keeps_the_next_opportunity_it_was_given(ctx, lead):
    order = record_order(ctx, lead.id, amount="5000", next_close="+2m")
    remove_record(ctx, "order", order.id)
    kept = fresh(lead)
    assert (kept.need, kept.expected_close) == ("clear", date(2027, 1, 23))


def test_moving_an_order_later_than_today_or_before_the_customer_is_refused(ctx, lead):
    order = record_order(ctx, lead.id, amount="100")
    before = everything(lead.id)
    for day, message in (("+1d", "cannot be in the future"), ("2020-01-01", "before the customer")):
        with pytest.raises(InvalidInput, match=message):
            edit_order(ctx, order.id, {"on": day})
    with pytest.raises(InvalidInput, match="not a whole number"):
        edit_order(ctx, order.id, {"quantity": "x"})
    with pytest.raises(InvalidInput, match="unknown field"):
        edit_order(ctx, order.id, {"colour": "red"})
    with pytest.raises(InvalidInput, match="say what to change"):
        edit_order(ctx, order.id, {"quantity": None})
    assert everything(lead.id) == before


def test_removing_the_last_contact_moves_next_due_and_follow_ups_back(ctx, clock, lead):
    customer = add_customer(ctx, {"name": "B-lead", "need": "clear", "expected_close": "+2m"})
    log_interaction(ctx, customer.id, summary="intro", next_step="send deck", next_on="+3d")
    clock.now = NOW + timedelta(days=2)
    second = log_interaction(ctx, customer.id, summary="follow-up", next_step="demo",
                             next_on="+5d").interaction
    after = fresh(customer)
    assert (after.followups, after.next_due, after.next_step) == (1, date(2026, 11, 30), "demo")
    remove_record(ctx, "interaction", second.id)
    back = fresh(customer)
    assert back.followups == 0
    assert back.last_contact_on == TODAY
    assert (back.next_step, back.next_step_on, back.next_due) == \
        ("send deck", date(2026, 11, 26), date(2026, 11, 26))


def test_removing_a_contact_leaves_a_later_snooze(ctx, clock, lead):
    first = log_interaction(ctx, lead.id, summary="call", next_on="+2d").interaction
    snooze(ctx, lead.id, "+20d")
    remove_record(ctx, "interaction", first.id)
    back = fresh(lead)
    assert (back.last_contact_at, back.next_step_on, back.next_due) == \
        (None, TODAY + timedelta(days=20), TODAY + timedelta(days=20))


def test_correcting_a_contact_recounts_follow_ups_and_the_wins(ctx, clock, lead):
    calls = []
    for day in range(3):
        clock.now = NOW + timedelta(days=day)
        calls.append(log_interaction(ctx, lead.id, summary=f"call {day}").interaction)
    order = record_order(ctx, lead.id, amount="900")
    assert Win.get(Win.order == order.id).followups == 2
    edit_interaction(ctx, calls[1].id, {"outcome": "no_answer"})
    assert Win.get(Win.order == order.id).followups == 1
    assert Interaction.get_by_id(calls[1].id).outcome == "no_answer"


def test_a_contact_moved_before_its_next_step_and_other_bad_edits_are_refused(ctx, lead):
    interaction = log_interaction(ctx, lead.id, summary="call", next_on="+2d").interaction
    before = everything(lead.id)
    with pytest.raises(InvalidInput, match="must come after the contact"):
        edit_interaction(ctx, interaction.id, {"next_on": "today"})
    with pytest.raises(InvalidInput, match="future"):
        edit_interaction(ctx, interaction.id, {"at": "+1d"})
    with pytest.raises(InvalidInput, match="required"):
        edit_interaction(ctx, interaction.id, {"summary": "  "})
    with pytest.raises(InvalidInput, match="not one of"):
        edit_interaction(ctx, interaction.id, {"channel": "pigeon"})
    assert everything(lead.id) == before


def test_a_positive_contact_removed_takes_its_referral_moment_with_it(ctx, clock, lead):
    good = log_interaction(ctx, lead.id, summary="thanks!", outcome="positive").interaction
    assert fresh(lead).referral_moment_on == TODAY
    remove_record(ctx, "interaction", good.id)
    assert fresh(lead).referral_moment_on is None


def test_promises_are_corrected_and_closed_or_opened_again(ctx, clock, lead):
    promise = add_promise(ctx, lead.id, "send samples", "+3d")
    edit_promise(ctx, promise.id, {"text": "send two samples", "due": "+5d", "status": "done"})
    stored = Commitment.get_by_id(promise.id)
    assert (stored.text, stored.due, stored.status) == \
        ("send two samples", TODAY + timedelta(days=5), "done")
    assert stored.closed_at == NOW
    edit_promise(ctx, promise.id, {"status": "open"})
    assert Commitment.get_by_id(promise.id).closed_at is None
    with pytest.raises(InvalidInput, match="needs a due date"):
        edit_promise(ctx, promise.id, {"due": ""})
    remove_record(ctx, "promise", promise.id)
    assert not Commitment.select().exists()


def test_a_care_date_is_checked_whole_and_shows_again_once_moved(ctx, lead):
    care = add_care_date(ctx, lead.id, month=3, day=15)
    CareDate.update(greeted_on=TODAY).where(CareDate.id == care.id).execute()
    with pytest.raises(InvalidInput, match="not a day of the year"):
        edit_care_date(ctx, care.id, {"month": "2", "day": "30"})
    with pytest.raises(InvalidInput, match="between 1 and 30"):
        edit_care_date(ctx, care.id, {"lunar": True, "day": "31"})
    edit_care_date(ctx, care.id, {"note": "likes tea"})
    assert CareDate.get_by_id(care.id).greeted_on == TODAY
    edit_care_date(ctx, care.id, {"month": "2", "day": "29"})
    stored = CareDate.get_by_id(care.id)
    assert (stored.month, stored.day, stored.greeted_on, stored.note) == (2, 29, None, "likes tea")


def test_a_survey_corrected_or_removed_moves_the_referral_moment(ctx, clock, lead):
    survey = record_survey(ctx, lead.id, {"overall": 5, "product": 4})
    assert fresh(lead).referral_moment_on == TODAY
    edit_survey(ctx, survey.id, {"overall": "3", "comment": "so-so"})
    assert fresh(lead).referral_moment_on is None
    assert Survey.get_by_id(survey.id).comment == "so-so"
    with pytest.raises(InvalidInput, match="at least one score"):
        edit_survey(ctx, survey.id, {"overall": "", "product": ""})
    edit_survey(ctx, survey.id, {"overall": "4"})
    assert fresh(lead).referral_moment_on == TODAY
    remove_record(ctx, "survey", survey.id)
    assert fresh(lead).referral_moment_on is None


def test_another_reps_record_is_named_as_missing_and_support_may_not_change_one(ctx, rep_ctx):
    mine = add_customer(ctx, {"name": "Boss's"})
    order = record_order(ctx, mine.id, amount="10")
    with pytest.raises(NotFound, match=f"no order with id {order.id}"):
        edit_order(rep_ctx, order.id, {"quantity": "2"})
    with pytest.raises(NotFound, match=f"no order with id {order.id}"):
        remove_record(rep_ctx, "order", order.id)
    with pytest.raises(Forbidden, match="support can read"):
        remove_record(as_user(ctx, "sam"), "order", order.id)
    assert Order.get_by_id(order.id).quantity == 1


def test_a_record_deleted_meanwhile_says_who_deleted_it(ctx, rep_ctx, lead):
    order = record_order(ctx, lead.id, amount="10")
    remove_record(ctx, "order", order.id)
    with pytest.raises(NotFound, match=f"order #{order.id} was deleted by boss at 2026-11-23"):
        edit_order(ctx, order.id, {"quantity": "2"}, expected_version=1)
    with pytest.raises(NotFound, match=f"no order with id {order.id}"):  # not theirs to know
        edit_order(rep_ctx, order.id, {"quantity": "2"})
    with pytest.raises(NotFound, match="no interaction with id 4242"):
        remove_record(ctx, "interaction", 4242)
    with pytest.raises(NotFound, match="'x1' is not an id"):
        remove_record(ctx, "care", "x1")
    with pytest.raises(InvalidInput, match="not one of interaction, order"):
        edit_record(ctx, "complaint", 1, {"summary": "x"})


def test_a_correction_saved_over_a_newer_one_is_refused_naming_who(ctx, rep_ctx):
    customer = add_customer(ctx, {"name": "Shared"}, owner="rita")
    order = record_order(rep_ctx, customer.id, amount="10")
    edit_order(rep_ctx, order.id, {"note": "rita's"}, expected_version=1)
    with pytest.raises(Conflict, match="changed by Rita Rep at 2026-11-23 10:00"):
        edit_order(ctx, order.id, {"note": "boss's"}, expected_version=1)
    with pytest.raises(Conflict, match="changed by Rita Rep"):
        remove_record(ctx, "order", order.id, expected_version=1)
    assert Order.get_by_id(order.id).note == "rita's"


def test_every_correction_is_kept_with_who_and_each_field(ctx, lead):
    order = record_order(ctx, lead.id, amount="1000")
    edit_order(ctx, order.id, {"quantity": "3"})
    change = ChangeSet.select().order_by(ChangeSet.id.desc()).first()
    assert (change.action, change.entity, change.entity_id, change.by_id) == \
        ("edit", "order", order.id, ctx.user.id)
    fields = [(f.entity, f.field, f.old, f.new) for f in
              FieldChange.select().where(FieldChange.change_set == change.id)]
    assert fields == [("order", "quantity", "1", "3")]
    remove_record(ctx, "order", order.id)
    removed = ChangeSet.select().order_by(ChangeSet.id.desc()).first()
    rows = {(f.entity, f.field) for f in removed.fields}
    assert {("order", ""), ("win", ""), ("customer", "need")} <= rows


def test_only_the_wins_a_correction_touches_are_counted_again(ctx, clock, lead):
    first = log_interaction(ctx, lead.id, summary="call").interaction
    order = record_order(ctx, lead.id, amount="900")
    Win.update(followups=7).where(Win.order == order.id).execute()  # counted another way
    clock.now = NOW + timedelta(days=2)
    later = log_interaction(ctx, lead.id, summary="after the sale").interaction
    edit_interaction(ctx, later.id, {"outcome": "positive"})
    edit_order(ctx, order.id, {"note": "rush"})
    assert Win.get(Win.order == order.id).followups == 7  # neither touched its opportunity
    edit_interaction(ctx, first.id, {"summary": "first call"})
    assert Win.get(Win.order == order.id).followups == 0  # this one did: counted again
