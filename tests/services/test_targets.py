"""Sales targets: who may set them, every bad input refused whole, and the results worked out by
hand (orders booked and new customers won in the period, what the remaining days need)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from crmtui.db import AuditLog, CustomerChange, Order, Target, User
from crmtui.errors import CrmError, Forbidden, InvalidInput, NotFound
from crmtui.rules import target_progress
from crmtui.services.customers import add_customer
from crmtui.services.interactions import record_order
from crmtui.services.targets import remove_target, set_target, target_board, target_json
from crmtui.services.users import add_user
from tests.conftest import as_user


@pytest.fixture
def team(ctx, rep_ctx):
    return {"boss": ctx, "rita": rep_ctx, "ray": as_user(ctx, "ray"), "sam": as_user(ctx, "sam")}


def targets() -> list[tuple]:
    return [tuple(row.values()) for row in Target.select().order_by(Target.id).dicts()]


def at(clock, day: date) -> None:
    clock.now = datetime.combine(day, time(10), timezone.utc)


def test_a_manager_sets_and_changes_targets(team):
    target = set_target(team["boss"], "rita", "2026-12", kind="month", amount="100,000",
                        new_customers="5")
    assert target_json(target) == {
        "login": "rita", "period": "2026-12", "starts_on": date(2026, 12, 1),
        "ends_on": date(2026, 12, 31), "amount": Decimal("100000.00"), "new_customers": 5}
    set_target(team["boss"], "rita", "2026-12", kind="month", new_customers=3)
    again = Target.get()
    assert (again.amount, again.new_customers, again.set_by_id) == (
        Decimal("100000.00"), 3, team["boss"].user.id)
    set_target(team["boss"], "rita", "2027-Q1", amount=300000)
    set_target(team["boss"], "ray", "2027", kind="year", amount="1200000")
    assert [(t.period, t.starts_on, t.ends_on) for t in Target.select().order_by(Target.id)] == [
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31)),
        ("2027-Q1", date(2027, 1, 1), date(2027, 3, 31)),
        ("2027", date(2027, 1, 1), date(2027, 12, 31))]


@pytest.mark.parametrize("who, refused", [("rita", Forbidden), ("ray", Forbidden),
                                          ("sam", Forbidden)])
def test_only_managers_set_or_remove_targets(team, who, refused):
    set_target(team["boss"], "rita", "2026-12", amount=1000)
    before = targets()
    with pytest.raises(refused, match="only a manager can set targets"):
        set_target(team[who], "rita", "2026-12", amount=2000)
    with pytest.raises(refused, match="only a manager can remove targets"):
        remove_target(team[who], "rita", "2026-12")
    assert targets() == before


@pytest.mark.parametrize("login, period, kind, values, fragment", [
    ("nobody", "2026-12", "month", {"amount": 1}, "no user nobody"),
    ("sam", "2026-12", "month", {"amount": 1}, "sam is support staff"),
    ("rita", "2026-13", "month", {"amount": 1}, "2026-13 is not a month (there is no month 13)"),
    ("rita", "2027-Q5", "quarter", {"amount": 1}, "2027-Q5 is not a quarter (Q1 to Q4)"),
    ("rita", "2027", "quarter", {"amount": 1}, "2027 is not a quarter (write it as 2027-Q1)"),
    ("rita", "2026-12", "month", {"amount": "-5"}, "must not be negative"),
    ("rita", "2026-12", "month", {"new_customers": "-1"}, "must not be negative"),
    ("rita", "2026-12", "month", {"new_customers": "two"}, "not a whole number"),
    ("rita", "2026-12", "month", {"amount": "lots"}, "'lots' is not an amount"),
    ("rita", "2026-12", "month", {}, "give an amount of orders, a number of new customers"),
])
def test_bad_targets_are_refused_whole(team, login, period, kind, values, fragment):
    set_target(team["boss"], "rita", "2026-11", amount=1)
    before = targets()
    with pytest.raises(CrmError, match=None) as refused:
        set_target(team["boss"], login, period, kind=kind, **values)
    assert fragment in str(refused.value)
    assert targets() == before


def test_removing_a_target_is_audited(team):
    set_target(team["boss"], "rita", "2026-12", amount=1000)
    removed = remove_target(team["boss"], "rita", "2026-12", kind="month")
    assert removed.period == "2026-12" and Target.select().count() == 0
    entry = AuditLog.select().order_by(AuditLog.id.desc()).get()
    assert (entry.action, entry.entity) == ("delete", "target")
    with pytest.raises(NotFound, match="rita has no target for 2026-12"):
        remove_target(team["boss"], "rita", "2026-12")


def test_results_a_month_before_its_last_day(team, clock):
    """December 2026: rita booked 30,000 (one order in November does not count) and won two new
    customers (a second order of one of them is not a new customer); on 29 December three days
    are left, today included."""
    rita = team["rita"]
    at(clock, date(2026, 11, 20))
    old = add_customer(rita, {"name": "Old"}).id
    record_order(rita, old, amount="5000")
    at(clock, date(2026, 12, 3))
    first = add_customer(rita, {"name": "First"}).id
    second = add_customer(rita, {"name": "Second"}).id
    record_order(rita, first, amount="10000")
    record_order(rita, old, amount="12000")  # an existing customer: orders, not new
    at(clock, date(2026, 12, 20))
    record_order(rita, second, amount="7000")
    record_order(rita, first, amount="1000")
    record_order(team["boss"], second, amount="99999")  # booked by the manager: his
    at(clock, date(2026, 12, 29))
    set_target(team["boss"], "rita", "2026-12", amount="100000", new_customers="5")
    board = target_board(team["boss"], "2026-12", kind="month")
    row = next(r for r in board.rows if r.login == "rita")
    assert (row.orders, row.won) == (Decimal("30000.00"), 2)
    assert (board.days_left, row.amount.days_left) == (3, 3)
    assert row.amount.remaining == Decimal("70000.00")
    assert row.amount.per_day == Decimal("23333.34")  # rounded up: three of them reach it
    assert row.amount.share == pytest.approx(0.3)
    assert (row.new_customers.remaining, row.new_customers.per_day) == (3, Decimal("1.00"))
    assert next(r for r in board.rows if r.login == "ray").amount is None  # no target
    data = board.to_json()
    assert data["reps"][0]["login"] == "rita"  # with a target, best share first
    assert data["reps"][0]["amount"]["per_day"] == Decimal("23333.34")
    assert data["reps"][0]["new_customers"] == {"target": 5, "achieved": 2, "remaining": 3,
                                                "share": 0.4, "per_day": Decimal("1.00")}


def test_next_year_s_quarter_set_in_december_and_a_quarter_that_has_ended(team, clock):
    at(clock, date(2026, 12, 15))
    set_target(team["boss"], "rita", "2027-Q1", amount="90000")
    board = target_board(team["boss"], "2027-Q1", kind="quarter")
    row = next(r for r in board.rows if r.login == "rita")
    assert (row.orders, row.amount.days_left, row.amount.per_day) == (
        Decimal("0.00"), 90, Decimal("1000.00"))
    set_target(team["boss"], "rita", "2026-Q3", amount="1")
    at(clock, date(2026, 12, 15))
    ended = target_board(team["boss"], "2026-Q3", kind="quarter")
    row = next(r for r in ended.rows if r.login == "rita")
    assert (ended.days_left, row.amount.per_day) == (0, None)  # over, and missed


def test_reps_see_their_own_targets_managers_everyone_s(team, ctx):
    add_user(ctx, "mia", role="manager")
    set_target(team["boss"], "rita", "2026-11", amount=1000)
    set_target(team["boss"], "ray", "2026-11", amount=2000)
    set_target(team["boss"], "mia", "2026-11", amount=3000)  # a manager who sells too
    assert [r.login for r in target_board(team["rita"]).rows] == ["rita"]
    assert {r.login for r in target_board(team["boss"]).rows} == {"rita", "ray", "mia"}
    assert target_board(team["sam"]).rows == []
    with pytest.raises(InvalidInput, match="2026-13"):
        target_board(team["boss"], "2026-13")


def test_the_board_equals_a_count_of_each_order_and_each_customer_won(team, clock):
    """Random orders over November and December, booked by the reps on their customers and by
    the manager on anyone's: each row of December's board holds the orders booked by its user
    and the changes prospect → customer they made, counted one by one, and the progress of
    their targets from those."""
    rng = random.Random(26)
    boss = team["boss"]
    sellers = [team["rita"], team["ray"], boss]
    at(clock, date(2026, 10, 31))
    customers = []
    for n in range(24):
        owner = rng.choice(sellers)
        customers.append((owner, add_customer(owner, {"name": f"客户{n}"}).id))
    at(clock, date(2026, 12, 20))
    for _n in range(70):
        owner, customer = rng.choice(customers)
        record_order(rng.choice([owner, boss]), customer, amount=str(rng.randint(1, 50000)),
                     on=date(2026, 11, 1) + timedelta(days=rng.randint(0, 49)))
    for login in ("rita", "boss"):  # ray without a target
        set_target(boss, login, "2026-12", amount=str(rng.randint(1000, 300000)),
                   new_customers=str(rng.randint(1, 9)))
    board = target_board(boss, "2026-12", kind="month")
    start, until = date(2026, 12, 1), date(2026, 12, 20)
    booked = [o for o in Order.select() if start <= o.on <= until]
    won = [c for c in CustomerChange.select()
           if (c.what, c.from_value, c.to_value) == ("lifecycle", "prospect", "customer")
           and start <= c.on <= until]
    assert len({o.by_id for o in booked}) == 3 and won  # every seller booked in December
    targets = {t.user.login: t for t in Target.select()}
    expected = {}
    for user in User.select():
        if user.login not in targets and not (user.role == "rep" and user.active):
            continue
        orders = sum((o.amount for o in booked if o.by_id == user.id), Decimal("0.00"))
        count = sum(1 for c in won if c.by_id == user.id)
        target = targets.get(user.login)
        expected[user.login] = (
            user.display_name or user.login, orders, count,
            target_progress(target.amount, orders, board.period, until) if target else None,
            target_progress(target.new_customers, count, board.period, until) if target else None)
    assert {row.login: (row.name, row.orders, row.won, row.amount, row.new_customers)
            for row in board.rows} == expected
