"""The interactions each user logged per UTC day (rep_interaction_day) stay equal to a count from
scratch whatever writes them, on SQLite and PostgreSQL; each rep's follow-ups done, read from it
for a period's whole UTC days and from the interactions for the days cut at its edges, equal
the interactions counted between the period's local midnights, in any zone; the migration
fills the figure, and the database check reports it when it is out of step."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from crmtui.db import Customer, Interaction, SchemaVersion, User, database
from crmtui.db.figures import figures_out_of_step
from crmtui.db.upgrade_steps import MIGRATIONS
from crmtui.errors import CrmError
from crmtui.rules import period_of
from crmtui.services.customers import add_customer, delete_customer
from crmtui.services.interactions import log_interaction, record_order
from crmtui.services.merge import merge_customers
from crmtui.services.reps import rep_comparison, utc_day_pieces
from tests.conftest import TODAY

REPS = ("rita", "ray", "boss")
ZONES = (
    timezone.utc,
    timezone(timedelta(hours=5, minutes=45)),
    timezone(timedelta(hours=-3)),
    ZoneInfo("Europe/London"),  # a quarter holding the change from summer time
    ZoneInfo("America/St_Johns"),  # -03:30, and -02:30 in summer
)


def out_of_step() -> int:
    return figures_out_of_step(database.obj)["rep_interaction_day"]


def _instant(rng: random.Random) -> datetime:
    """A moment of the last few months, often a zone's local midnight or a second off one."""
    day = TODAY + timedelta(days=rng.randrange(-120, 3))
    if rng.random() < 0.5:
        midnight = datetime.combine(day, time(0), rng.choice(ZONES)).astimezone(timezone.utc)
        return midnight + timedelta(seconds=rng.choice([-1, 0, 0, 1, 60]))
    moment = datetime.combine(day, time(0), timezone.utc)
    return moment + timedelta(minutes=rng.randrange(0, 24 * 60, 15))


def _raw_rows(rng: random.Random, customers: list[int], users: list[int]) -> list[dict]:
    return [
        {"customer": rng.choice(customers), "at": _instant(rng), "summary": "raw",
         "by": rng.choice(users)}
        for _n in range(rng.randrange(1, 12))
    ]  # fmt: skip


def _step(ctx, rng: random.Random, customers: list[int], users: list[int]) -> str:
    ids = [i.id for i in Interaction.select(Interaction.id)]

    def some() -> list[int]:
        return rng.sample(ids, (len(ids) + 1) // 2)

    action = rng.choice(["log", "insert", "insert", "rebook", "move", "shift", "delete",
                         "remove_customer", "merge"])  # fmt: skip
    if action == "log" or not ids:
        log_interaction(ctx, rng.choice(customers), summary="called", at=_instant(rng))
    elif action == "insert":  # several rows in one statement
        Interaction.insert_many(_raw_rows(rng, customers, users)).execute()
    elif action == "rebook":  # to another user
        Interaction.update(by=rng.choice(users)).where(Interaction.id.in_(some())).execute()
    elif action == "move":  # one statement, every moved row to the same moment
        Interaction.update(at=_instant(rng)).where(Interaction.id.in_(some())).execute()
    elif action == "shift":  # each by some hours or days, and to another user
        for interaction in Interaction.select().where(Interaction.id.in_(some())):
            shift = timedelta(hours=rng.choice([-49, -24, -5, -1, 1, 3, 24, 200]))
            Interaction.update(at=interaction.at + shift, by=rng.choice(users)).where(
                Interaction.id == interaction.id
            ).execute()
    elif action == "delete":
        Interaction.delete().where(Interaction.id.in_(some())).execute()
    elif action == "remove_customer" and len(customers) > 2:
        gone = rng.choice(customers)
        delete_customer(ctx, gone)
        customers.remove(gone)
        customers.append(add_customer(ctx, {"name": f"新{rng.randrange(10**6)}"},
                                      owner=rng.choice(REPS)).id)  # fmt: skip
    elif action == "merge" and len(customers) > 2:
        keep, other = rng.sample(customers, 2)
        merge_customers(ctx, keep, other)
        customers.remove(other)
    return action


def _done_as_counted(zone, kind: str, day: date) -> dict[str, int]:
    """Each user's interactions between the period's first local midnight and the one after
    `day` (or the period's end), counted one by one."""
    period = period_of(kind, day)
    start = datetime.combine(period.start, time(0), zone)
    end = datetime.combine(min(period.end, day) + timedelta(days=1), time(0), zone)
    found: dict[str, int] = {}
    query = Interaction.select(User.login, Interaction.at).join(User, on=Interaction.by == User.id)
    for login, at in query.tuples():
        if start <= at < end:
            found[login] = found.get(login, 0) + 1
    return found


@pytest.mark.parametrize("seed", range(3))
def test_the_follow_ups_done_equal_a_count_from_the_interactions(backend, ctx, rep_ctx, seed):
    rng = random.Random(seed)
    customers = [add_customer(ctx, {"name": f"客户{n}"}, owner=REPS[n % 3]).id for n in range(6)]
    users = [u.id for u in User.select(User.id)]
    assert out_of_step() == 0
    compared = done = 0
    for step in range(40):
        try:
            action = _step(ctx, rng, customers, users)
        except CrmError as refused:  # a contact in the future: refused, nothing changes
            action = str(refused)
        assert out_of_step() == 0, f"after step {step} ({action})"
        if step % 5 != 4:
            continue
        for zone in ZONES:
            zoned = ctx.replaced(zone=zone)
            for kind in ("month", "quarter", "year"):
                day = TODAY - timedelta(days=rng.choice([0, 0, 1, 22, 23, 60, 85]))
                counted = _done_as_counted(zone, kind, day)
                rows = rep_comparison(zoned, kind=kind, day=day).rows
                assert {row.login: row.done for row in rows} == {
                    row.login: counted.get(row.login, 0) for row in rows
                }, (step, zone, kind, day)
                compared += 1
                done += sum(row.done for row in rows)
    assert compared == 8 * 15 and done > 100


def _minutes(start: datetime, end: datetime) -> range:
    """The minutes from `start` up to `end`, as minutes since 1970."""
    return range(int(start.timestamp()) // 60, int(end.timestamp()) // 60)


@pytest.mark.parametrize(
    "zone", ZONES + tuple(timezone(timedelta(minutes=m)) for m in (-720, -719, 719, 720, 840))
)
def test_a_period_is_its_whole_utc_days_and_pieces_of_the_days_cut(zone):
    """Every minute of a period counted once, whatever the zone and the length (one day
    through a quarter), and no piece longer than half a day."""
    for first, days in ((date(2026, 3, 28), 1), (date(2026, 3, 29), 1), (date(2026, 11, 1), 1),
                        (date(2026, 10, 20), 10), (date(2026, 10, 1), 92)):  # fmt: skip
        start = datetime.combine(first, time(0), zone)
        end = datetime.combine(first + timedelta(days=days), time(0), zone)
        whole, pieces = utc_day_pieces(start, end)
        counted: Counter[int] = Counter()
        if whole:
            days_from = datetime.combine(whole[0], time(0), timezone.utc)
            counted.update(_minutes(days_from, datetime.combine(whole[1], time(0), timezone.utc)
                                    + timedelta(days=1)))  # fmt: skip
        for lo, hi, sign in pieces:
            assert timedelta(0) < hi - lo <= timedelta(hours=12)
            (counted.update if sign > 0 else counted.subtract)(_minutes(lo, hi))
        assert {m: n for m, n in counted.items() if n} == dict.fromkeys(_minutes(start, end), 1)


def test_the_migration_to_26_counts_the_interactions_per_user_and_day(backend, ctx, rep_ctx):
    zhang = add_customer(ctx, {"name": "张三"}, owner="rita").id
    for hours in (1, 2, 30):
        log_interaction(rep_ctx, zhang, summary="called", at=datetime(2026, 11, 20, 20, 0,
                        tzinfo=timezone.utc) + timedelta(hours=hours))  # fmt: skip
    log_interaction(ctx, zhang, summary="called")
    if backend == "sqlite":
        drop = 'DROP TRIGGER "{name}"'
    else:
        drop = 'DROP TRIGGER "{name}" ON "interaction"'
    for event in ("insert", "update", "delete"):
        database.execute_sql(drop.format(name=f"figures_rep_interaction_day_{event}"))
    database.execute_sql('DROP TABLE "rep_interaction_day"')
    SchemaVersion.update(version=25).execute()
    with database.atomic():
        MIGRATIONS[26](database.obj)
    assert out_of_step() == 0
    rows = database.execute_sql(
        'SELECT u."login", d."on", d."interactions" FROM "rep_interaction_day" d '
        'JOIN "user" u ON u."id" = d."by_id" ORDER BY 1, 2'
    ).fetchall()
    assert [(login, str(on), n) for login, on, n in rows] == [
        ("boss", str(TODAY), 1), ("rita", "2026-11-20", 2), ("rita", "2026-11-22", 1)]  # fmt: skip
    log_interaction(rep_ctx, zhang, summary="again")  # the triggers again
    Customer.delete().where(Customer.id == zhang).execute()
    assert out_of_step() == 0
    assert database.execute_sql('SELECT count(*) FROM "rep_interaction_day"').fetchone() == (0,)


def test_each_reps_wins_are_theirs(backend, ctx, rep_ctx):
    """The wins of the period per user who booked them (an array of ids on PostgreSQL)."""
    add_customer(ctx, {"name": "the manager's"})
    for n, amount in enumerate(("1200", "34.5")):
        won = add_customer(rep_ctx, {"name": f"客户{n}", "need": "clear", "expected_amount": "9"})
        record_order(rep_ctx, won.id, amount=amount)
    rows = {row.login: row for row in rep_comparison(ctx).rows}
    assert (rows["rita"].wins, rows["rita"].won) == (2, Decimal("1234.50"))
    assert (rows["boss"].wins, rows["boss"].won) == (0, Decimal("0.00"))


def test_the_check_reports_the_interactions_per_day_out_of_step(backend, ctx, rep_ctx, db_target):
    from crmtui.services.maintenance import check_database

    zhang = add_customer(ctx, {"name": "张三"}, owner="rita").id
    log_interaction(rep_ctx, zhang, summary="called")
    assert check_database(db_target).ok
    database.execute_sql('UPDATE "rep_interaction_day" SET "interactions" = 5')
    report = check_database(db_target)
    assert not report.ok
    assert any("rep_interaction_day" in problem for problem in report.problems)
