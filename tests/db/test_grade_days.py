"""Each grade change's neighbouring days (crmtui.db.grade_days) stay equal to what the changes
give whatever writes them (the services, raw inserts of several rows at once, moves between days
and customers, deletes, a customer's deletion, a bulk load), on SQLite and PostgreSQL; the
dashboard's movement read with them equals the movement grouped customer by customer; the
upgrade fills them; and the database check notices when they are wrong."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta, timezone

import pytest

from crmtui.db import Customer, GradeChange, SchemaVersion, database
from crmtui.db.bulk import deferred_indexes
from crmtui.db.grade_days import TRIGGER_INDEX, grade_days_out_of_step
from crmtui.db.upgrade_steps import MIGRATIONS
from crmtui.rules import grade_rank
from crmtui.services.customers import add_customer
from crmtui.services.figures.grades import Movement, movement
from crmtui.services.figures.scope import Scope
from crmtui.services.maintenance import check_store
from crmtui.services.merge import merge_customers
from tests.conftest import TODAY

GRADES = "ABCDE"


def movement_grouped(owner_id: int | None, period: int) -> Movement:
    """The movement over the period, from every change grouped by customer (SPEC's net step:
    the sum of a customer's rank steps, a change from no grade being none)."""
    since = TODAY - timedelta(days=period - 1)
    owners = dict(Customer.select(Customer.id, Customer.owner).tuples())
    net: dict[int, int] = {}
    new = 0
    for customer_id, day, before, after in GradeChange.select(
        GradeChange.customer, GradeChange.on, GradeChange.from_grade, GradeChange.to_grade
    ).tuples():
        if not since <= day <= TODAY or owner_id not in (None, owners[customer_id]):
            continue
        step = 0
        if before is None:
            new += 1
        else:
            step = grade_rank(after) - grade_rank(before)
        net[customer_id] = net.get(customer_id, 0) + step
    return Movement(
        since=since,
        until=TODAY,
        promotions=sum(1 for n in net.values() if n < 0),
        demotions=sum(1 for n in net.values() if n > 0),
        new=new,
    )


def change_row(rng: random.Random, customer_id: int) -> dict:
    day = TODAY - timedelta(days=rng.randrange(0, 100))
    wrong = rng.choice([None, day])  # days a writer gives are never taken as they are
    return {
        "prev_on": wrong,
        "next_on": wrong,
        "customer": customer_id,
        "at": datetime.combine(day, time(rng.randrange(24)), timezone.utc),
        "on": day,
        "from_grade": rng.choice([None, *GRADES]),
        "to_grade": rng.choice(GRADES),
    }


def _step(rng: random.Random, customers: list[int]) -> None:
    ids = [change.id for change in GradeChange.select(GradeChange.id)]
    kind = rng.choice(["insert", "insert", "several", "day", "customer", "delete", "customer_gone"])
    if kind == "insert" or not ids:
        GradeChange.insert(change_row(rng, rng.choice(customers))).execute()
    elif kind == "several":  # one statement, several rows of one customer, days in any order
        customer_id = rng.choice(customers)
        GradeChange.insert_many([change_row(rng, customer_id) for _ in range(4)]).execute()
    elif kind == "day":
        day = TODAY - timedelta(days=rng.randrange(0, 100))
        GradeChange.update(on=day).where(GradeChange.id == rng.choice(ids)).execute()
    elif kind == "customer":
        GradeChange.update(customer=rng.choice(customers)).where(
            GradeChange.id == rng.choice(ids)
        ).execute()
    elif kind == "delete":
        GradeChange.delete().where(GradeChange.id == rng.choice(ids)).execute()
    elif len(customers) > 3:
        gone = customers.pop(rng.randrange(len(customers)))
        Customer.delete().where(Customer.id == gone).execute()


@pytest.mark.parametrize("seed", range(4))
def test_every_write_keeps_the_days_and_the_movement_equals_the_grouped_one(
    backend, ctx, rep_ctx, seed
):
    rng = random.Random(seed)
    customers = [
        add_customer(ctx, {"name": f"客户{n}"}, owner=rng.choice(["rita", "ray"])).id
        for n in range(8)
    ]
    owners = {c.id: c.owner_id for c in Customer.select()}
    for round_ in range(12):
        for _ in range(6):
            _step(rng, customers)
        assert grade_days_out_of_step(database.obj) == 0, round_
        for period in (7, 30, 90):
            for owner_id in (None, *set(owners.values())):
                scope = Scope(owner_id=owner_id, day=TODAY, zone=timezone.utc)
                assert movement(scope, period) == movement_grouped(owner_id, period), (
                    round_,
                    period,
                    owner_id,
                )


def test_a_merge_moves_the_changes_with_their_days(backend, ctx, rep_ctx):
    kept = add_customer(ctx, {"name": "张三", "phones": "13800000000"}, owner="rita").id
    twin = add_customer(ctx, {"name": "张三", "phones": "13800000000"}, owner="rita").id
    GradeChange.insert(
        customer=twin, at=datetime(2026, 11, 1, tzinfo=timezone.utc), on=TODAY - timedelta(22),
        from_grade="C", to_grade="B",
    ).execute()  # fmt: skip
    merge_customers(ctx, kept, twin)
    assert GradeChange.select().where(GradeChange.customer == kept).count() == 3
    assert grade_days_out_of_step(database.obj) == 0
    # both were added today: the kept customer's two changes of today name each other
    today = GradeChange.select().where((GradeChange.customer == kept) & (GradeChange.on == TODAY))
    assert [(c.prev_on, c.next_on) for c in today] == [(TODAY, TODAY)] * 2


def test_a_bulk_load_keeps_the_index_the_days_are_looked_up_by(backend, ctx, rep_ctx):
    customers = [add_customer(ctx, {"name": f"客户{n}"}, owner="rita").id for n in range(3)]
    rng = random.Random(7)
    with database.atomic(), deferred_indexes([GradeChange]):
        held = {index.name for index in database.get_indexes("grade_change")}
        GradeChange.insert_many(
            [change_row(rng, rng.choice(customers)) for _ in range(40)]
        ).execute()
    assert TRIGGER_INDEX in held
    assert "grade_change_moves" not in held
    assert grade_days_out_of_step(database.obj) == 0


def test_the_upgrade_fills_the_days_and_the_check_notices_wrong_ones(backend, ctx, rep_ctx):
    rng = random.Random(3)
    customers = [add_customer(ctx, {"name": f"客户{n}"}, owner="ray").id for n in range(4)]
    GradeChange.insert_many([change_row(rng, rng.choice(customers)) for _ in range(30)]).execute()
    # as schema 24 left it: no days kept
    for trigger in ("grade_days_insert", "grade_days_update", "grade_days_delete"):
        on = "" if backend == "sqlite" else ' ON "grade_change"'
        database.execute_sql(f'DROP TRIGGER "{trigger}"{on}')
    GradeChange.update(prev_on=None, next_on=None).execute()
    assert grade_days_out_of_step(database.obj) > 0
    assert any("(grade_change)" in problem for problem in check_store(ctx.store).problems)
    SchemaVersion.update(version=24).execute()
    with database.atomic():
        MIGRATIONS[25](database.obj)
    assert grade_days_out_of_step(database.obj) == 0
    assert not [p for p in check_store(ctx.store).problems if "figures" in p]
    GradeChange.insert(change_row(rng, customers[0])).execute()  # the triggers are back
    assert grade_days_out_of_step(database.obj) == 0
    scope = Scope(owner_id=None, day=TODAY, zone=timezone.utc)
    assert movement(scope, 90) == movement_grouped(None, 90)
