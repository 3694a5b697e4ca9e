"""After the sale: wins, lifecycles, value classes, maintenance visits, lapsing and win-back,
terminated customers, and the daily catch-up — every transition through the services."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from crmtui.config import Greetings, Maintenance
from crmtui.db import (
    AccountPlan,
    Complaint,
    Customer,
    CustomerChange,
    GradeChange,
    Interaction,
    Order,
    Win,
)
from crmtui.errors import Forbidden, InvalidInput, NotFound
from crmtui.rules import (
    DueKind,
    Severity,
    opportunity_followups,
    sla_deadlines,
)
from crmtui.services.customers import add_customer, regrade, snooze
from crmtui.services.due import due_list
from crmtui.services.due_brief import brief
from crmtui.services.grading import move_grades_if_due
from crmtui.services.interactions import (
    add_care_date,
    add_promise,
    log_interaction,
    record_order,
)
from crmtui.services.catch_up import catch_up
from crmtui.services.lifecycle import set_lifecycle, set_value_class
from crmtui.services.maintenance import check_store
from crmtui.services.profile import customer_profile, profile_json
from crmtui.services.receivables import record_payment
from crmtui.services.stats import dashboard
from crmtui.services.worklist import log_due_item
from tests.conftest import NOW, TODAY, as_user

DAY = timedelta(days=1)


def at(clock, day: date, hour: int = 10) -> None:
    clock.now = datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


def kinds_of(ctx, customer_id: int, day: date | None = None) -> set[str]:
    return {item.kind.value for item in due_list(ctx, day, everyone=True)
            if item.customer_id == customer_id}


def stored(customer_id: int) -> Customer:
    return Customer.get_by_id(customer_id)


@pytest.fixture
def lead(ctx, clock):
    """A clear need closing in three weeks, made 30 days ago, with a history of contacts:
    three outbound answered (the first contact and two follow-ups), one inbound, one unanswered."""
    at(clock, TODAY - 30 * DAY)
    customer = add_customer(ctx, {"name": "张三", "need": "clear",
                                  "expected_close": (TODAY + 21 * DAY).isoformat()})
    for days, direction, outcome in ((25, "out", "neutral"), (20, "in", "positive"),
                                     (15, "out", "no_answer"), (10, "out", "negative"),
                                     (5, "out", "positive")):
        at(clock, TODAY - days * DAY)
        log_interaction(ctx, customer.id, summary=f"T-{days}", direction=direction,
                        outcome=outcome)
    clock.now = NOW
    return customer.id


# -- a sale closes the opportunity ---------------------------------------------------------------

def test_an_order_on_a_clear_need_is_a_win_and_opens_the_next_opportunity(ctx, lead, clock):
    assert stored(lead).followups == 2  # the two answered calls after the first
    assert stored(lead).grade == "A"
    order = record_order(ctx, lead, amount="12000", product="Pro")
    [win] = Win.select()
    assert (win.customer_id, win.order_id, win.on, win.amount, win.followups) == (
        lead, order.id, TODAY, Decimal("12000.00"), 2)
    customer = stored(lead)
    assert (customer.need, customer.expected_close, customer.grade) == ("potential", None, "D")
    assert customer.followups == 0  # the count starts again
    assert customer.lifecycle == "customer" and customer.deal_status == "won"
    assert customer.value_class == "key"  # the only customer with revenue
    assert customer.last_order_on == TODAY
    # a key customer is visited weekly: sooner than grade D's month
    assert (customer.next_due, customer.due_rule) == (TODAY - 5 * DAY + 7 * DAY, "class")
    [moved] = GradeChange.select().where(GradeChange.to_grade == "D")
    assert moved.reason.startswith("sale closed: potential need")
    history = [(c.what, c.from_value, c.to_value) for c in
               CustomerChange.select().order_by(CustomerChange.id)]
    assert history == [("lifecycle", "prospect", "customer"), ("value_class", "none", "key")]
    # a repeat order while the need is potential closes nothing
    at(clock, TODAY + 1 * DAY)
    record_order(ctx, lead, amount="200")
    assert Win.select().count() == 1
    # a new opportunity: the next win counts only the contacts since the last one
    regrade(ctx, lead, need="clear", expected_close="+1m")
    for days in (2, 3, 4):
        at(clock, TODAY + days * DAY)
        log_interaction(ctx, lead, summary=f"new project, call {days}")
    assert stored(lead).followups == 2
    record_order(ctx, lead, amount="500")
    assert [w.followups for w in Win.select().order_by(Win.id)] == [2, 2]


def test_the_next_opportunity_keeps_the_need_clear(ctx, lead):
    record_order(ctx, lead, amount="5000", next_close="+2m")
    customer = stored(lead)
    assert (customer.need, customer.expected_close, customer.grade) == (
        "clear", date(2027, 1, 23), "B")
    assert Win.select().count() == 1


def test_a_repeat_order_without_a_clear_need_is_no_win(ctx, clock):
    at(clock, TODAY - 10 * DAY)
    buyer = add_customer(ctx, {"name": "Repeat", "need": "potential"}).id
    clock.now = NOW
    record_order(ctx, buyer, amount="300")
    assert Win.select().count() == 0
    assert (stored(buyer).need, stored(buyer).lifecycle) == ("potential", "customer")


def test_the_win_counts_as_the_rule_does(ctx, clock):
    """The SQL count behind a win agrees with rules.opportunity_followups."""
    at(clock, TODAY - 40 * DAY)
    customer = add_customer(ctx, {"name": "Counted", "need": "clear", "expected_close": "+2m"})
    pattern = [("out", "neutral"), ("out", "no_answer"), ("in", "neutral"), ("out", "positive"),
               ("in", "negative"), ("out", "negative"), ("out", "neutral"), ("out", "no_answer")]
    for number, (direction, outcome) in enumerate(pattern):
        at(clock, TODAY - (30 - 3 * number) * DAY)
        log_interaction(ctx, customer.id, summary="c", direction=direction, outcome=outcome)
    clock.now = NOW
    record_order(ctx, customer.id, amount="100")
    contacts = [(i.at, i.direction, i.outcome) for i in Interaction.select()]
    assert Win.get().followups == opportunity_followups(contacts, None, NOW) == 3


@pytest.mark.parametrize(("values", "field"), [
    ({"next_close": "2026-11-22"}, "next_close"),  # in the past
    ({"next_close": "someday"}, "next_close"),
    ({"on": "2026-10-01"}, "on"),  # before the customer was added (2026-10-24)
    ({"cost": "-5"}, "cost"),
])
def test_bad_orders_change_nothing(ctx, lead, values, field):
    before = (stored(lead).version, Order.select().count(), Win.select().count())
    with pytest.raises(InvalidInput) as error:
        record_order(ctx, lead, amount="100", **values)
    assert field in error.value.errors
    assert (stored(lead).version, Order.select().count(), Win.select().count()) == before
    assert stored(lead).need == "clear"


# -- terminated customers ------------------------------------------------------------------------

@pytest.fixture
def chased(ctx, clock):
    """A customer on every chase list at once: an overdue A follow-up at risk of being
    dropped, a referral ask, a care date, a holiday greeting, a plan review; plus a promise and
    an open complaint."""
    at(clock, TODAY - 20 * DAY)
    customer = add_customer(ctx, {"name": "Everywhere", "need": "clear",
                                  "expected_close": "+30d"})
    log_interaction(ctx, customer.id, summary="thanks!", outcome="positive")
    clock.now = NOW
    add_care_date(ctx, customer.id, month=11, day=24)
    add_promise(ctx, customer.id, "send the samples", "today")
    AccountPlan.create(customer=customer.id, review_on=TODAY, updated_at=NOW)
    respond, resolve = sla_deadlines(NOW - timedelta(hours=20), Severity.NORMAL)
    Complaint.create(customer=customer.id, opened_at=NOW - timedelta(hours=20), summary="late",
                     respond_by=respond, resolve_by=resolve, created_by=ctx.user.id,
                     updated_at=NOW)
    Customer.update(referral_moment_on=TODAY - DAY).where(Customer.id == customer.id).execute()
    ctx.config = ctx.config._replace(greetings=Greetings(holidays=("Spring Festival",),
                                                         lead_days=90))
    return customer.id


def test_terminated_customers_leave_every_chase_list_but_keep_promises_and_complaints(
        ctx, chased, clock):
    assert kinds_of(ctx, chased) == {"follow_up", "care", "greeting", "referral", "review",
                                     "promise", "complaint"}
    set_lifecycle(ctx, chased, "terminated", reason="went with a competitor")
    assert kinds_of(ctx, chased) == {"promise", "complaint"}
    customer = stored(chased)
    assert (customer.lifecycle, customer.lifecycle_reason, customer.status) == (
        "terminated", "went with a competitor", "terminated")
    assert chased not in [r.customer_id for r in dashboard(ctx, 30, everyone=True).at_risk]
    assert dashboard(ctx, 30, everyone=True).reps[0].overdue == 0
    # history stays, and back to active asks for a reason
    with pytest.raises(InvalidInput, match="reason"):
        set_lifecycle(ctx, chased, "active", reason="  ")
    assert stored(chased).lifecycle == "terminated"
    set_lifecycle(ctx, chased, "active", reason="new management")
    customer = stored(chased)
    assert (customer.lifecycle, customer.status, customer.lifecycle_reason) == (
        "prospect", "potential", "")
    assert "follow_up" in kinds_of(ctx, chased)
    reasons = [(c.from_value, c.to_value, c.reason, c.by_id) for c in
               CustomerChange.select().order_by(CustomerChange.id)]
    assert reasons == [("prospect", "terminated", "went with a competitor", ctx.user.id),
                       ("terminated", "prospect", "new management", ctx.user.id)]


@pytest.mark.parametrize(("target", "reason", "message"), [
    ("lapsed", "x", "follows from the orders"),
    ("vip", "x", "not a lifecycle"),
    ("terminated", "", "reason is required"),
    ("active", "x", "is not terminated"),
])
def test_bad_lifecycle_changes_change_nothing(ctx, lead, target, reason, message):
    version = stored(lead).version
    with pytest.raises(InvalidInput, match=message):
        set_lifecycle(ctx, lead, target, reason=reason)
    assert (stored(lead).version, stored(lead).lifecycle) == (version, "prospect")
    assert CustomerChange.select().count() == 0


def test_no_order_for_a_terminated_customer_and_no_termination_by_edit(ctx, lead):
    from crmtui.services.customers import update_customer

    with pytest.raises(InvalidInput, match="needs a reason"):
        update_customer(ctx, lead, {"status": "terminated"})
    set_lifecycle(ctx, lead, "terminated", reason="closed down")
    with pytest.raises(InvalidInput, match="terminated"):
        record_order(ctx, lead, amount="100")
    assert Order.select().count() == 0


def test_a_customer_added_as_terminated_is_terminated(ctx):
    customer = Customer.get_by_id(add_customer(ctx, {"name": "Old", "status": "terminated"}).id)
    assert (customer.lifecycle, customer.lifecycle_reason) == (
        "terminated", "relationship status was terminated")
    assert kinds_of(ctx, customer.id) == set()


# -- value classes -------------------------------------------------------------------------------

def test_a_class_set_by_judgement_stays_until_unpinned(ctx, lead, clock):
    record_order(ctx, lead, amount="100")
    with pytest.raises(InvalidInput, match="reason"):
        set_value_class(ctx, lead, "none")
    with pytest.raises(InvalidInput, match="not a value class"):
        set_value_class(ctx, lead, "vip", reason="x")
    with pytest.raises(InvalidInput, match="not pinned"):
        set_value_class(ctx, lead, unpin=True)
    set_value_class(ctx, lead, "ordinary", reason="small but steady")
    customer = stored(lead)
    assert (customer.value_class, customer.class_pinned, customer.class_reason) == (
        "ordinary", True, "small but steady")
    # ordinary customers are visited monthly: grade D's month is not sooner
    assert (customer.next_due, customer.due_rule) == (date(2026, 12, 18), "class")
    catch_up(ctx)  # the figures say key, the pin holds
    assert stored(lead).value_class == "ordinary"
    set_value_class(ctx, lead, unpin=True)
    assert (stored(lead).value_class, stored(lead).class_pinned) == ("key", False)
    data = profile_json(ctx, customer_profile(ctx, lead))
    assert data["value_class"] == {"class": "key", "pinned": False, "reason": ""}
    assert data["maintenance"] == {"source": "class", "cadence": "weekly", "every_days": None}
    assert [h["reason"] for h in data["lifecycle_history"]][:2] == [
        "unpinned", "pinned: small but steady"]


def test_only_the_owner_or_a_manager_sets_a_class(ctx, rep_ctx, lead):
    with pytest.raises(NotFound):  # another rep's customer: not even seen
        set_value_class(rep_ctx, lead, "key", reason="mine now")
    with pytest.raises(Forbidden):
        set_value_class(as_user(ctx, "sam"), lead, "key", reason="support")
    assert stored(lead).class_pinned is False


def test_classes_are_relative_and_the_daily_catch_up_moves_the_others(ctx, clock):
    at(clock, TODAY - 5 * DAY)
    small = add_customer(ctx, {"name": "Small"}).id
    big = add_customer(ctx, {"name": "Big"}).id
    record_order(ctx, small, amount="100")
    assert stored(small).value_class == "key"
    record_order(ctx, big, amount="900")
    assert (stored(big).value_class, stored(small).value_class) == ("key", "key")  # stale
    at(clock, TODAY)
    move_grades_if_due(ctx)  # the first command of the day
    assert (stored(big).value_class, stored(small).value_class) == ("key", "ordinary")
    assert stored(small).next_due == TODAY - 5 * DAY  # never contacted: due on creation
    assert check_store(ctx.store).ok
    assert catch_up(ctx)["classes"] == 0  # nothing left to move


def test_key_customers_by_profit_when_configured(ctx, clock):
    ctx.config = ctx.config._replace(maintenance=Maintenance(key_by="profit"))
    at(clock, TODAY - 5 * DAY)
    volume = add_customer(ctx, {"name": "Volume"}).id
    margin = add_customer(ctx, {"name": "Margin"}).id
    record_order(ctx, volume, amount="1000", cost="950")
    record_order(ctx, margin, amount="600", cost="100")
    catch_up(ctx)
    assert (stored(volume).profit, stored(margin).profit) == (Decimal("50.00"),
                                                              Decimal("500.00"))
    assert (stored(margin).value_class, stored(volume).value_class) == ("key", "ordinary")


# -- maintenance ---------------------------------------------------------------------------------

def test_an_account_plan_visit_cycle_wins_and_says_so(ctx, lead, clock):
    record_order(ctx, lead, amount="100")
    AccountPlan.create(customer=lead, visit_every_days=14, review_on=TODAY + 60 * DAY,
                       updated_at=NOW)
    log_interaction(ctx, lead, summary="agreed the plan")  # every write reschedules
    customer = stored(lead)
    assert (customer.next_due, customer.due_rule) == (TODAY + 14 * DAY, "plan")
    at(clock, TODAY + 14 * DAY)
    [item] = [i for i in due_list(ctx) if i.customer_id == lead and i.kind is DueKind.FOLLOW_UP]
    assert item.detail == "account plan · every 14 days"
    data = profile_json(ctx, customer_profile(ctx, lead))
    assert data["maintenance"] == {"source": "plan", "cadence": None, "every_days": 14}


def test_a_key_customers_weekly_visit_says_which_rule(ctx, lead, clock):
    record_order(ctx, lead, amount="100")
    at(clock, TODAY + 2 * DAY)
    [item] = [i for i in due_list(ctx) if i.customer_id == lead and i.kind is DueKind.FOLLOW_UP]
    assert item.detail == "key customer · weekly visit"
    assert item.to_json()["kind"] == "follow_up"


# -- lapsing and win-back ------------------------------------------------------------------------

def test_a_buyer_who_stops_lapses_is_won_back_and_returns(ctx, clock):
    at(clock, date(2026, 1, 5))
    buyer = add_customer(ctx, {"name": "Drifter"}).id
    paid = record_order(ctx, buyer, amount="5000")
    record_payment(ctx, paid.id, "5000")  # nothing owed: only the lapse is due
    log_interaction(ctx, buyer, summary="thanks for the order")
    # one order: lapsed once more than 180 days have passed, from 2026-07-05
    at(clock, date(2026, 7, 4))
    move_grades_if_due(ctx)
    assert stored(buyer).lifecycle == "customer"
    at(clock, date(2026, 7, 5))
    move_grades_if_due(ctx)
    customer = stored(buyer)
    assert (customer.lifecycle, customer.next_due) == ("lapsed", date(2026, 2, 5))
    # their monthly cadence had run out long before: due then, now as a win-back call
    [item] = [i for i in due_list(ctx) if i.customer_id == buyer]
    assert item.kind is DueKind.WIN_BACK
    assert item.detail.startswith("no order since 2026-01-05")
    assert brief(due_list(ctx)).win_back == 1
    assert "1 to win back" in str(brief(due_list(ctx)))
    change = CustomerChange.select().order_by(CustomerChange.id.desc()).first()
    assert (change.to_value, change.reason, change.by_id) == (
        "lapsed", "no order since 2026-01-05", None)
    figures = dashboard(ctx, 30)
    assert (figures.lapsed.customers, figures.lapsed.revenue_last_year) == (1, Decimal("5000.00"))
    # logging the win-back call settles the item until the next call
    log_due_item(ctx, DueKind.WIN_BACK, buyer, summary="we miss you")
    assert kinds_of(ctx, buyer) == set()
    assert stored(buyer).next_due == date(2026, 8, 5)
    # snoozing a win-back works like a follow-up
    at(clock, date(2026, 8, 5))
    snooze(ctx, buyer, "+3d")
    assert kinds_of(ctx, buyer) == set()
    # an order brings them back
    record_order(ctx, buyer, amount="800")
    assert stored(buyer).lifecycle == "customer"


def test_a_lapsed_customer_never_called_since_is_due_the_day_they_lapsed(ctx, clock):
    at(clock, date(2025, 6, 1))
    buyer = add_customer(ctx, {"name": "Yearly", "need": "none"}).id  # grade E: yearly
    log_interaction(ctx, buyer, summary="hello")
    record_order(ctx, buyer, amount="100")
    at(clock, date(2026, 1, 10))
    move_grades_if_due(ctx)
    customer = stored(buyer)
    assert customer.lifecycle == "lapsed"
    assert (customer.next_due, customer.due_rule) == (date(2025, 11, 29), "win_back")


def test_retention_is_the_share_of_last_periods_buyers_who_bought_again(ctx, clock):
    at(clock, TODAY - 50 * DAY)
    ids = [add_customer(ctx, {"name": name}).id for name in "ABCD"]
    at(clock, TODAY - 40 * DAY)  # the 30 days before the period
    for customer_id in ids[:3]:
        record_order(ctx, customer_id, amount="10")
    at(clock, TODAY - 3 * DAY)  # in the period: one of the three, and a new buyer
    record_order(ctx, ids[0], amount="10")
    record_order(ctx, ids[3], amount="10")
    clock.now = NOW
    retention = dashboard(ctx, 30).retention
    assert (retention.previous_buyers, retention.returned) == (3, 1)
    assert retention.share == pytest.approx(1 / 3)
    assert (retention.previous_since, retention.previous_until, retention.since) == (
        TODAY - 59 * DAY, TODAY - 30 * DAY, TODAY - 29 * DAY)
    assert dashboard(ctx, 30).to_json()["retention"]["share"] == 0.3333
    assert dashboard(ctx, 30, everyone=True).retention == retention  # the team's: the same four
