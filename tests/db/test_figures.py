"""The figures the database keeps itself (crmtui.db.figures) stay equal to a count from scratch
whatever writes: the services (orders, payments, deliveries, corrections, reassignment, merges,
deletion, undo) and raw SQL (bulk reassignment, deletes and inserts behind the services' back),
on SQLite and PostgreSQL; and the migration fills them for a database that had none."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from peewee import fn

from crmtui.db import Customer, Order, SchemaVersion, User, database
from crmtui.db.figures import (
    FIGURE_TABLES,
    TRIGGER_INDEXES,
    create_figures,
    figures_out_of_step,
    fill_figures,
)
from crmtui.db.models import BuyDay, PipelineDay
from crmtui.db.order_figures import LONG_AGO
from crmtui.db.migrations import LATEST_VERSION
from crmtui.db.upgrade_steps import MIGRATIONS
from crmtui.errors import CrmError
from crmtui.rules import AGE_BUCKETS, age_bucket, days_overdue
from crmtui.services.corrections import edit_order
from crmtui.services.customers import (
    add_customer,
    delete_customer,
    reassign,
    regrade,
    update_customer,
)
from crmtui.services.lifecycle import set_lifecycle
from crmtui.services.figures.grades import at_risk_query
from crmtui.services.figures.sales import (
    Lapsed,
    buyers_from_orders,
    lapsed,
    pareto_from_bands,
    pareto_ranked,
    retention,
)
from crmtui.services.figures.scope import Scope, scope_for
from crmtui.services.pipeline import forecast_weights, pipeline
from crmtui.services.targets import orders_by_user
from crmtui.services.transfer.importer import import_file
from crmtui.services.validation import SOURCES
from crmtui.services.undo import undo
from crmtui.services.interactions import log_interaction, record_order
from crmtui.services.merge import merge_customers
from crmtui.services.receivables import deliver, receivables, record_payment
from tests.conftest import TODAY

REPS = ("rita", "ray", "boss")


def in_step() -> dict[str, int]:
    """The figure tables whose rows differ from a count from scratch, and by how many rows."""
    found = figures_out_of_step(database.obj)
    assert set(found) == set(FIGURE_TABLES)
    return {table: rows for table, rows in found.items() if rows}


def owed_per_rep(day: date, terms: int) -> dict[str, tuple[Decimal, int, dict]]:
    """What each rep's customers owe, on how many orders and by age, from the orders
    themselves, each aged by the rule."""
    found: dict[str, tuple[Decimal, int, dict]] = {}
    query = (
        Order.select(User.login, Order.owed, Order.owed_since, Order.on)
        .join(Customer, on=Order.customer == Customer.id)
        .join(User, on=Customer.owner == User.id)
        .where(Order.owed > 0)
    )
    for login, owed, since, on in query.tuples():
        total, count, by_age = found.get(login, (Decimal(0), 0, dict.fromkeys(AGE_BUCKETS, 0)))
        bucket = age_bucket(days_overdue(since or on, day, terms))
        if bucket:
            by_age[bucket] += owed
        found[login] = (total + owed, count + 1, by_age)
    return found


def opportunity(rng: random.Random) -> dict:
    """An opportunity as a form gives it: clear or not, with or without amount and close."""
    need = rng.choice(["clear", "clear", "potential", "none"])
    found = {"need": need}
    if need == "clear":
        if rng.random() < 0.8:
            found["expected_amount"] = str(rng.randrange(1, 9000))
        if rng.random() < 0.7:
            found["expected_close"] = (TODAY + timedelta(days=rng.randrange(1, 120))).isoformat()
    return found


def _service_step(ctx, rng: random.Random, customers: list[int], tmp) -> str:
    orders = [o.id for o in Order.select(Order.id)]
    action = rng.choice(
        ["order", "order", "pay", "deliver", "return", "edit", "reassign", "merge", "delete",
         "undo", "add", "need", "need", "grade", "terminate", "import", "log", "log", "source"]
    )  # fmt: skip
    if action == "add" or not customers:
        customers.append(add_customer(ctx, opportunity(rng) | {"name": f"客户{rng.randrange(10**6)}"},
                                      owner=rng.choice(REPS)).id)  # fmt: skip
    elif action == "log":
        log_interaction(ctx, rng.choice(customers), summary="called", direction="out",
                        outcome=rng.choice(["neutral", "positive", "no_answer"]))  # fmt: skip
    elif action == "source":
        update_customer(ctx, rng.choice(customers), {"source": rng.choice(SOURCES)})
    elif action == "need":
        update_customer(ctx, rng.choice(customers), opportunity(rng))
    elif action == "grade":
        if rng.random() < 0.5:
            regrade(ctx, rng.choice(customers), pin=rng.choice("ABCDE"), reason="test")
        else:
            regrade(ctx, rng.choice(customers), unpin=True, reason="test")
    elif action == "terminate":
        set_lifecycle(ctx, rng.choice(customers), rng.choice(["terminated", "active"]),
                      reason="test")  # fmt: skip
    elif action == "import":
        rows = "\n".join(f"客户{rng.randrange(10**6)},{rng.choice(REPS)},clear,"
                         f"{rng.randrange(1, 900)},{(TODAY + timedelta(days=rng.randrange(90))).isoformat()}"
                         for _n in range(3))  # fmt: skip
        path = tmp / f"import-{rng.randrange(10**9)}.csv"
        path.write_text("name,owner,need,expected_amount,expected_close\n" + rows + "\n")
        import_file(ctx, path)
        customers[:] = [c.id for c in Customer.select(Customer.id)]
    elif action == "order":
        record_order(ctx, rng.choice(customers), amount=str(rng.randrange(1, 5000)),
                     on=TODAY.isoformat(), over_limit=True)  # fmt: skip
    elif action == "pay" and orders:
        order = Order.get_by_id(rng.choice(orders))
        if order.owed > 0:
            part = max(
                Decimal("0.01"), (order.owed * Decimal(rng.random())).quantize(Decimal("0.01"))
            )
            record_payment(ctx, order.id, str(part), on=TODAY.isoformat())
    elif action in ("deliver", "return") and orders:
        deliver(ctx, rng.choice(orders), on=TODAY.isoformat(), returned=action == "return",
                partly=rng.random() < 0.3 and action == "deliver")  # fmt: skip
    elif action == "edit" and orders:
        edit_order(ctx, rng.choice(orders), {"amount": str(rng.randrange(1, 9000))})
    elif action == "reassign":
        reassign(ctx, rng.choice(customers), rng.choice(REPS))
    elif action == "merge" and len(customers) > 2:
        keep, other = rng.sample(customers, 2)
        merge_customers(ctx, keep, other)
        customers.remove(other)
    elif action == "delete" and len(customers) > 2:
        gone = rng.choice(customers)
        delete_customer(ctx, gone)
        customers.remove(gone)
    elif action == "undo":
        undo(ctx)
        customers[:] = [c.id for c in Customer.select(Customer.id)]
    return action


def _raw_step(rng: random.Random) -> str:
    """Writes behind the services' back, as another program or a bulk tool would make them."""
    reps = [u.id for u in User.select(User.id).where(User.login.in_(REPS))]
    action = rng.choice(
        ["reassign_all", "delete_orders", "insert_orders", "owed", "day", "amounts", "closes",
         "order_days", "order_days", "move_orders", "lifecycles", "due", "rebook"]
    )  # fmt: skip
    customers = [c.id for c in Customer.select(Customer.id)]
    orders = [o.id for o in Order.select(Order.id)]

    def some(ids: list[int]) -> list[int]:
        return rng.sample(ids, len(ids) // 2)

    if action == "reassign_all":
        Customer.update(owner=rng.choice(reps)).where(Customer.id.in_(some(customers))).execute()
    elif action == "delete_orders":
        Order.delete().where(Order.id.in_(some(orders))).execute()
    elif action == "insert_orders":
        sources = list(Order.select().limit(5))
        for order in sources:
            Order.insert(customer=order.customer_id, on=order.on, amount=order.amount,
                         by=order.by_id, created_at=order.created_at, owed=order.amount,
                         owed_since=rng.choice([None, order.on])).execute()  # fmt: skip
    elif action == "owed":
        Order.update(owed=Order.amount / 2).where(Order.id.in_(some(orders))).execute()
    elif action == "amounts":
        Customer.update(expected_amount=rng.choice([None, Decimal("12.34")])).where(
            Customer.id.in_(some(customers))
        ).execute()
    elif action == "closes":
        Customer.update(expected_close=rng.choice([None, TODAY]), grade=rng.choice("ABE")).where(
            Customer.id.in_(some(customers))
        ).execute()
    elif action == "order_days":  # one statement moving many orders: to one day, or each by some
        moved = Order.id.in_(some(orders))
        if rng.random() < 0.5:
            Order.update(on=TODAY - timedelta(days=rng.randrange(300))).where(moved).execute()
        else:
            shift = rng.choice([-181, -90, -7, -1, 1, 30])
            for order in Order.select(Order.id, Order.on).where(moved):
                Order.update(on=order.on + timedelta(days=shift)).where(
                    Order.id == order.id
                ).execute()
    elif action == "move_orders" and customers:
        Order.update(customer=rng.choice(customers)).where(Order.id.in_(some(orders))).execute()
    elif action == "lifecycles":
        Customer.update(
            lifecycle=rng.choice(["lapsed", "customer", "prospect", "terminated"])
        ).where(Customer.id.in_(some(customers))).execute()
    elif action == "rebook":  # orders booked for another user
        Order.update(by=rng.choice(reps)).where(Order.id.in_(some(orders))).execute()
    elif action == "due":
        Customer.update(next_due=TODAY + timedelta(days=rng.randrange(-30, 30))).where(
            Customer.id.in_(some(customers))
        ).execute()
    else:
        Order.update(owed_since=TODAY - timedelta(days=rng.randrange(200))).where(
            Order.id.in_(some(orders))
        ).execute()
    return action


@pytest.mark.parametrize("seed", range(4))
def test_every_write_keeps_the_figures(backend, ctx, rep_ctx, seed, tmp_path):
    rng = random.Random(seed)
    customers = [add_customer(ctx, {"name": f"客户{n}"}, owner=REPS[n % 2]).id for n in range(6)]
    assert in_step() == {}
    done: list[str] = []
    most_owing = most_open = 0
    for step in range(100):
        try:
            if rng.random() < 0.25:
                with database.atomic():
                    done.append(_raw_step(rng))
                customers[:] = [c.id for c in Customer.select(Customer.id)]
            else:
                done.append(_service_step(ctx, rng, customers, tmp_path))
        except CrmError:
            pass  # a refusal (nothing to undo, an order already returned…) changes nothing
        assert in_step() == {}, f"after step {step}"
        most_owing = max(most_owing, Order.select().where(Order.owed > 0).count())
        most_open = max(most_open, PipelineDay.select(fn.SUM(PipelineDay.customers)).scalar() or 0)
    assert len(done) > 50 and most_owing >= 2 and most_open >= 3
    team_scope = Scope(owner_id=None, day=TODAY, zone=scope_for(ctx, everyone=True).zone)
    assert pareto_from_bands() == pareto_ranked(team_scope)
    weights = forecast_weights(ctx, TODAY)
    team = pipeline(None, TODAY, weights)
    assert {
        (grade, month): (cell.customers, cell.amount)
        for grade, months in team.grade_months.items()
        for month, cell in months.items()
    } == pipeline_per_rep_summed(weights)
    users = [u.id for u in User.select(User.id)]
    for start, end in ((TODAY, TODAY), (TODAY - timedelta(days=rng.randrange(400)), TODAY)):
        assert orders_by_user(users, start, end) == orders_per_user(users, start, end)
    for day in (TODAY, TODAY + timedelta(days=rng.randrange(300))):
        shown = receivables(ctx, day)
        assert {
            login: (owed.owed, owed.orders, owed.by_age) for login, _name, owed in shown.by_rep
        } == owed_per_rep(day, ctx.config.receivables.terms_days)


@pytest.mark.parametrize("seed", range(3))
def test_buying_days_keep_retention_and_lapsed_whatever_writes(backend, ctx, rep_ctx, seed):
    """Few customers, many orders on days around the periods' edges, written by the services
    and by statements moving or deleting many at once: buy_day and order_day stay in step, and
    the team's retention and lapsed figures read from them equal those counted from the
    orders."""
    rng = random.Random(seed)
    customers = [add_customer(ctx, {"name": f"客户{n}"}, owner=REPS[n % 3]).id for n in range(5)]
    most_chained = compared = returned = 0
    offsets = [0, 1, 6, 7, 8, 29, 30, 31, 59, 60, 61, 89, 90, 91, 179, 180, 181, 200, 364, 366]
    for step in range(60):
        ids = [o.id for o in Order.select(Order.id)]
        action = rng.choice(["order", "order", "order", "raw_insert", "move", "shift", "delete",
                             "lapse", "remove_customer"])  # fmt: skip
        day = TODAY - timedelta(days=rng.choice(offsets))
        if action == "order" or not ids:  # today through the service, other days as imported
            if rng.random() < 0.3:
                record_order(ctx, rng.choice(customers), amount="12", over_limit=True)
            else:
                Order.insert(customer=rng.choice(customers), on=day, amount=100, by=ctx.user.id,
                             created_at=datetime(2026, 1, 1)).execute()  # fmt: skip
        elif action == "raw_insert":  # several rows in one statement, some on one customer's day
            who = rng.choice(customers)
            Order.insert_many(
                [{"customer": rng.choice([who, *customers]), "on": day - timedelta(days=n),
                  "amount": 100, "by": ctx.user.id, "created_at": datetime(2026, 1, 1)}
                 for n in range(rng.randrange(1, 5))]
            ).execute()  # fmt: skip
        elif action == "move":
            Order.update(customer=rng.choice(customers)).where(
                Order.id.in_(rng.sample(ids, (len(ids) + 1) // 2))
            ).execute()
        elif action == "shift":  # one statement, every moved row to the same day
            Order.update(on=day).where(Order.id.in_(rng.sample(ids, (len(ids) + 1) // 2))).execute()
        elif action == "delete":
            Order.delete().where(Order.id.in_(rng.sample(ids, len(ids) // 3 + 1))).execute()
        elif action == "lapse":
            Customer.update(lifecycle=rng.choice(["lapsed", "customer"])).where(
                Customer.id.in_(rng.sample(customers, 2))
            ).execute()
        elif len(customers) > 3:
            gone = rng.choice(customers)
            delete_customer(ctx, gone)
            customers.remove(gone)
            customers.append(add_customer(ctx, {"name": f"新{step}"}, owner=rng.choice(REPS)).id)
        assert in_step() == {}, f"after step {step} ({action})"
        chained = BuyDay.select().where(BuyDay.prev_on != LONG_AGO).count()
        most_chained = max(most_chained, chained)
        if step % 6 == 5:
            nonzero, came_back = retention_as_counted(ctx, rng)
            compared, returned = compared + nonzero, returned + came_back
    assert most_chained >= 3 and compared >= 5 and returned >= 1


def retention_as_counted(ctx, rng: random.Random) -> tuple[int, int]:
    """Compares the team's retention and lapsed revenue read from the kept figures with those
    counted from the orders, for a few days and every period; how many compared retentions had
    buyers before, and how many had some come back."""
    zone = scope_for(ctx, everyone=True).zone
    nonzero = came_back = 0
    for offset in rng.sample([0, 1, 7, 30, 60, 89, 90, 179], 3):
        day = TODAY - timedelta(days=offset)
        team = Scope(owner_id=None, day=day, zone=zone)
        for period in (7, 30, 90):
            found = retention(team, period)
            counted = tuple(int(n or 0) for n in buyers_from_orders(team, period))
            assert (found.previous_buyers, found.returned) == counted, (offset, period)
            nonzero += found.previous_buyers > 0
            came_back += found.returned > 0
        bought = (
            Order.select(fn.SUM(Order.amount))
            .join(Customer, on=Order.customer == Customer.id)
            .where(
                (Customer.lifecycle == "lapsed")
                & (Order.on > day - relativedelta(years=1))
                & (Order.on <= day)
            )
            .scalar()
        )
        lapsed_now = Customer.select().where(Customer.lifecycle == "lapsed").count()
        cents = Decimal(bought or 0)  # a SUM reads the stored cents
        assert lapsed(team) == Lapsed(lapsed_now, (cents / 100).quantize(Decimal("0.01")))
    return nonzero, came_back


@pytest.mark.parametrize("seed", range(4))
def test_the_team_ranking_from_revenue_bands_equals_the_ranking_itself(backend, ctx, rep_ctx, seed):
    """Revenues on the bands' edges, many ties, one customer, none: the team's 80/20 figures
    read from the kept bands equal those ranked customer by customer, for any share."""
    rng = random.Random(seed)
    team = Scope(owner_id=None, day=TODAY, zone=scope_for(ctx, everyone=True).zone)
    assert pareto_from_bands() == pareto_ranked(team)  # nobody has revenue yet
    edges = [1, 9, 10, 99, 100, 101, 999, 1000, 1009, 1010, 9999, 10000, 123456, 10**9]
    ids = [add_customer(ctx, {"name": f"客户{n}"}, owner=REPS[n % 3]).id for n in range(40)]
    for round_ in range(6):
        chosen = rng.sample(ids, rng.randrange(1, len(ids)))
        for customer_id in chosen:
            cents = rng.choice(edges) if rng.random() < 0.7 else rng.randrange(-50, 10**6)
            database.execute_sql(
                'UPDATE "customer" SET "revenue" = %s WHERE "id" = %s'.replace(
                    "%s", database.param
                ),
                (cents, customer_id),
            )
        assert in_step() == {}
        for share in (Decimal("0.8"), Decimal("0.5"), Decimal("0.999"), Decimal("1")):
            found = pareto_from_bands(share)
            assert found == pareto_ranked(team, share), (round_, share)
        assert found.customers > 0


def test_the_migration_fills_the_figures_set_based(backend, ctx, rep_ctx):
    zhang = add_customer(ctx, {"name": "张三"}, owner="rita").id
    li = add_customer(ctx, {"name": "李四"}, owner="ray").id
    for customer, amount in ((zhang, "100"), (zhang, "50.5"), (li, "70")):
        record_order(ctx, customer, amount=amount)
    Order.update(owed_since=date(2026, 1, 5)).where(Order.customer == li).execute()
    expected = receivables(ctx).to_json()
    if backend == "sqlite":
        triggers = database.execute_sql(
            "SELECT name, '' FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'figures_%'"
        ).fetchall()
    else:
        triggers = database.execute_sql(
            "SELECT t.tgname, ' ON ' || c.relname FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE %s "
            "AND c.relnamespace = to_regnamespace(current_schema())",
            ("figures_%",),
        ).fetchall()
    assert len(triggers) == 8 + 6 * 3 + 8 + 3 + 3
    for name, on in triggers:
        database.execute_sql(f'DROP TRIGGER "{name}"{on}')
    for table in FIGURE_TABLES:
        database.execute_sql(f'DROP TABLE "{table}"')
    SchemaVersion.update(version=LATEST_VERSION - 1).execute()
    with database.atomic():
        MIGRATIONS[19](database.obj)
    assert in_step() == {}
    assert receivables(ctx).to_json() == expected
    assert [(r.owed, r.orders) for r in _owed_rows()] == [
        (Decimal("70.00"), 1),
        (Decimal("150.50"), 2),
    ]
    create_figures(database.obj)  # again: nothing doubles
    record_order(ctx, li, amount="1")
    assert in_step() == {}


def orders_per_user(users: list[int], start: date, end: date) -> dict[int, Decimal]:
    """Each user's orders booked from `start` to `end`, added up from the orders themselves."""
    found = {user: Decimal("0.00") for user in users}
    for order in Order.select().where((Order.on >= start) & (Order.on <= end)):
        found[order.by_id] += order.amount
    return found


def test_the_migration_to_24_fills_the_orders_per_user_and_day(backend, ctx, rep_ctx):
    zhang = add_customer(ctx, {"name": "张三"}, owner="rita").id
    for amount in ("100", "50.5", "70"):
        record_order(ctx, zhang, amount=amount)
    Order.update(by=rep_ctx.user.id, on=TODAY - timedelta(days=40)).where(
        Order.amount == Decimal("70")).execute()
    if backend == "sqlite":
        drop = 'DROP TRIGGER "{name}"'
    else:
        drop = 'DROP TRIGGER "{name}" ON "sales_order"'
    for event in ("insert", "update", "delete"):
        database.execute_sql(drop.format(name=f"figures_rep_order_day_{event}"))
    database.execute_sql('DROP TABLE "rep_order_day"')
    SchemaVersion.update(version=23).execute()
    with database.atomic():
        MIGRATIONS[24](database.obj)
    assert in_step() == {}
    users = [ctx.user.id, rep_ctx.user.id]
    assert orders_by_user(users, TODAY - timedelta(days=60), TODAY) == {
        ctx.user.id: Decimal("150.50"), rep_ctx.user.id: Decimal("70.00")}
    record_order(ctx, zhang, amount="1")  # the triggers again
    assert in_step() == {}
    assert orders_by_user(users, TODAY, TODAY)[ctx.user.id] == Decimal("151.50")


def pipeline_per_rep_summed(weights) -> dict:
    """Customers and expected amounts by grade and month, summed over each rep's own pipeline
    (read from their customers, not from the figures)."""
    found: dict = {}
    for user in User.select():
        for grade, months in pipeline(user.id, TODAY, weights).grade_months.items():
            for month, cell in months.items():
                customers, amount = found.get((grade, month), (0, Decimal(0)))
                found[(grade, month)] = (customers + cell.customers, amount + cell.amount)
    return found


def _owed_rows():
    from crmtui.db.models import OwedDay

    return list(OwedDay.select().order_by(OwedDay.owed_since))


def test_db_check_compares_the_kept_figures_with_the_records(backend, ctx, rep_ctx):
    from crmtui.services.maintenance import check_store

    record_order(ctx, add_customer(ctx, {"name": "张三"}, owner="rita").id, amount="10")
    assert not [p for p in check_store(ctx.store).problems if "figures" in p]
    database.execute_sql('UPDATE "owed_day" SET "owed" = "owed" + 1')
    problems = check_store(ctx.store).problems
    assert "the dashboard's kept figures differ from the records in 2 rows (owed_day)" in problems


def test_the_drop_risks_read_their_index_alone(backend, ctx, rep_ctx):
    """On PostgreSQL the at-risk query's terms imply the partial index's (db.figures), so the
    database reads the index that holds every column listed and not the customers' rows."""
    if backend == "sqlite":
        pytest.skip("SQLite plans before binding the parameters: no partial index there")
    for n in range(3):
        add_customer(ctx, {"name": f"客户{n}"}, owner="rita")
    sql, params = at_risk_query(scope_for(ctx, everyone=True)).sql()
    database.execute_sql("SET LOCAL enable_seqscan = off")  # a tiny table: no full reads
    database.execute_sql("SET LOCAL enable_bitmapscan = off")
    plan = " ".join(row[0] for row in database.execute_sql(f"EXPLAIN {sql}", params))
    assert "Index Only Scan using customer_at_risk" in plan, plan


def test_a_bulk_load_keeps_the_index_the_order_triggers_read(backend, ctx, rep_ctx):
    """deferred_indexes drops the orders' other indexes while loading but keeps the (customer,
    day) one that buy_day's triggers look up per row; the figures stay in step through it."""
    from crmtui.db.bulk import deferred_indexes

    def order_indexes() -> set[str]:
        return {index.name for index in database.get_indexes("sales_order")}

    customer = add_customer(ctx, {"name": "张三"}, owner="rita").id
    assert "sales_order_customer_id_on" in TRIGGER_INDEXES & order_indexes()
    with database.atomic(), deferred_indexes([Order]):
        held = order_indexes()
        Order.insert_many(
            [{"customer": customer, "on": TODAY - timedelta(days=n), "amount": 5,
              "by": ctx.user.id, "created_at": datetime(2026, 1, 1)} for n in range(0, 60, 7)]
        ).execute()  # fmt: skip
    assert "sales_order_customer_id_on" in held and "sales_order_on_customer_id" not in held
    assert "sales_order_on_customer_id" in order_indexes()
    assert in_step() == {}
