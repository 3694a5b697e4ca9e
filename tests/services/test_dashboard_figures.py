"""The dashboard's figures against values worked out by hand, on SQLite and PostgreSQL, in the
world described in tests/dashboard_world.py."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmtui.db import Customer, GradeChange
from crmtui.db.bulk import bulk_insert
from crmtui.errors import InvalidInput
from crmtui.rules import (
    FOLLOWUP_REFERENCE,
    Grade,
    at_risk_of_drop,
    followup_stage,
    is_demotion,
    is_promotion,
    key_customers,
)
from crmtui.rules import pareto as rules_pareto
from crmtui.services.complaints import acknowledge, complaint_metrics, open_complaint
from crmtui.services.context import Context
from crmtui.services.customers import add_customer, regrade
from crmtui.services.interactions import record_order
from crmtui.db.figures import FIGURE_TABLES
from crmtui.services.stats import (
    AT_RISK_BELOW_FOLLOWUPS,
    AT_RISK_GRADES,
    AT_RISK,
    AT_RISK_CARRIED,
    DEMOTED,
    KEY_CUSTOMERS,
    NEW,
    PROMOTED,
    at_risk,
    customer_rows,
    customers_behind,
    dashboard,
    key_customer_ids,
    moved_customer_ids,
    new_customer_ids,
    pareto,
    scope_for,
)
from crmtui.services.surveys import record_survey
from tests.conftest import NOW, TODAY, as_user
from tests.dashboard_world import DAY, T, at, build_world


@pytest.fixture
def world(ctx, rep_ctx, clock):
    return build_world(ctx, rep_ctx, clock)


def test_the_world_is_the_one_described(ctx, world):
    assert list(world["ids"].values()) == list(range(1, 10))
    grades = dict(Customer.select(Customer.name, Customer.grade).tuples())
    assert grades == {"Ada": "A", "Ben": "B", "Cai": "C", "Dan": "D", "Eve": "E", "Fay": "A",
                      "Gus": "E", "Hal": "B", "Ivy": "A"}
    followups = dict(Customer.select(Customer.name, Customer.followups).tuples())
    assert followups == {"Ada": 0, "Ben": 4, "Cai": 1, "Dan": 0, "Eve": 0, "Fay": 0, "Gus": 0,
                         "Hal": 2, "Ivy": 0}


def test_grades_matrix_and_overdue_per_rep(ctx, world):
    team = dashboard(ctx, 30, everyone=True)
    assert team.team is True
    assert team.grades == {"A": 3, "B": 2, "C": 1, "D": 1, "E": 2}
    assert [(r.login, r.grades, r.customers, r.overdue) for r in team.reps] == [
        ("boss", {"A": 2, "B": 1, "C": 1, "D": 1, "E": 1}, 6, 5),  # Ada Ben Cai Eve Ivy late
        ("rita", {"A": 1, "B": 1, "C": 0, "D": 0, "E": 1}, 3, 1),  # Hal late; Gus is
        # terminated: chased by nobody
    ]
    mine = dashboard(ctx, 30)
    assert mine.team is False
    assert mine.grades == {"A": 2, "B": 1, "C": 1, "D": 1, "E": 1}
    assert [r.login for r in mine.reps] == ["boss"]


@pytest.mark.parametrize(("period", "promoted", "demoted", "new"), [
    (7, [2, 6, 9], [], 1),  # Fay's pin on T-6 is in, Gus's on T-7 out; Ivy is new
    (30, [2, 6, 9], [7], 1),  # Cai went C→A→C: counted nowhere
    (90, [2, 6, 9], [7, 8], 1),  # Ben D→C→B is one promotion
])
def test_movement_counts_each_customer_once_by_its_net_move(ctx, world, period, promoted,
                                                            demoted, new):
    figures = dashboard(ctx, period, everyone=True)
    assert figures.movement.since == T - (period - 1) * DAY
    assert (figures.movement.promotions, figures.movement.demotions, figures.movement.new) \
        == (len(promoted), len(demoted), new)
    scope = scope_for(ctx, everyone=True)
    assert moved_customer_ids(scope, period, PROMOTED) == promoted
    assert moved_customer_ids(scope, period, DEMOTED) == demoted


def test_the_customers_behind_new_are_those_added_in_the_period(ctx, world, clock):
    scope = scope_for(ctx, everyone=True)
    assert [new_customer_ids(scope, period) for period in (7, 30, 90)] == [[9], [9], [9]]
    # the other eight were made at T-100: the first day of the 90 days up to T-11
    assert new_customer_ids(scope_for(ctx, everyone=True, day=T - 11 * DAY), 90) == \
        list(range(1, 9))
    assert new_customer_ids(scope_for(ctx, everyone=True, day=T - 10 * DAY), 90) == []
    assert new_customer_ids(scope_for(world["rita"]), 90) == []


@pytest.mark.parametrize(("figure", "names"), [
    (PROMOTED, ["Ben", "Fay", "Ivy"]),
    (DEMOTED, ["Gus"]),
    (NEW, ["Ivy"]),
    (AT_RISK, ["Ada", "Cai", "Hal", "Ivy"]),
    (KEY_CUSTOMERS, ["Ada", "Ben", "Cai"]),
])
def test_the_customers_behind_each_figure(ctx, world, figure, names):
    figures = dashboard(ctx, 30, everyone=True)
    rows, total = customers_behind(ctx, figures, figure)
    assert [row.customer for row in rows] == names and total == len(names)
    rows, total = customers_behind(ctx, figures, figure, limit=1)
    assert [row.customer for row in rows] == names[:1] and total == len(names)


def test_the_customers_behind_a_figure_are_the_figures_own_people_and_day(ctx, world, clock):
    mine = dashboard(ctx, 90)  # boss's own customers
    assert [r.customer for r in customers_behind(ctx, mine, PROMOTED)[0]] == ["Ben", "Ivy"]
    assert customers_behind(ctx, mine, DEMOTED) == ([], 0)
    rita = world["rita"]
    theirs = dashboard(rita, 90)
    assert [r.customer for r in customers_behind(rita, theirs, DEMOTED)[0]] == ["Gus", "Hal"]
    clock.now += 40 * DAY  # the list follows the figures' day, not the clock
    assert [r.customer for r in customers_behind(rita, theirs, DEMOTED)[0]] == ["Gus", "Hal"]
    with pytest.raises(ValueError):
        customers_behind(ctx, mine, "grades")


def test_movement_agrees_with_the_rules_on_first_and_last_grade(ctx, world):
    since = T - 89 * DAY
    changes = (GradeChange.select(GradeChange.customer, GradeChange.from_grade,
                                  GradeChange.to_grade)
               .where(GradeChange.on >= since).order_by(GradeChange.at, GradeChange.id))
    first, last = {}, {}
    for customer_id, old, new in changes.tuples():
        first.setdefault(customer_id, old or new)
        last[customer_id] = new
    up = sorted(c for c in first if is_promotion(first[c], last[c]))
    down = sorted(c for c in first if is_demotion(first[c], last[c]))
    scope = scope_for(ctx, everyone=True)
    assert moved_customer_ids(scope, 90, PROMOTED) == up
    assert moved_customer_ids(scope, 90, DEMOTED) == down


def test_a_rep_sees_only_their_own_figures(ctx, world):
    rita = world["rita"]
    for everyone in (False, True):  # a rep has no team switch
        figures = dashboard(rita, 90, everyone=everyone)
        assert figures.grades == {"A": 1, "B": 1, "C": 0, "D": 0, "E": 1}
        assert (figures.movement.promotions, figures.movement.demotions) == (1, 2)
        assert [r.customer for r in figures.at_risk] == ["Hal"]
        assert figures.pareto.customers == 0 and figures.pareto.key_share is None
        assert {row.source: (row.customers, row.won) for row in figures.conversion} == {
            "referral": (1, 0), "marketing": (2, 0)}
    scope = scope_for(rita)
    assert moved_customer_ids(scope, 90, DEMOTED) == [7, 8]
    assert customer_rows(rita, [1, 8, 6]) == [r for r in customer_rows(ctx, [8, 6])]


def test_support_sees_the_whole_team(ctx, world):
    assert dashboard(as_user(ctx, "sam"), 30).grades == {"A": 3, "B": 2, "C": 1, "D": 1,
                                                         "E": 2}


def test_followup_stages_of_open_customers(ctx, world):
    stages = dashboard(ctx, 30, everyone=True).open_stages
    # open: not E (Eve, Gus) and not terminated (Gus); Ada Dan Fay Ivy never followed up
    assert [(s.stage, s.customers) for s in stages] == [
        ("first", 4), ("1", 1), ("2", 1), ("3", 0), ("4-11", 1), ("12+", 0)]
    assert [s.share for s in stages] == pytest.approx([4 / 7, 1 / 7, 1 / 7, 0, 1 / 7, 0])


def test_wins_by_the_follow_up_at_which_they_closed_beside_the_reference(ctx, world):
    """Of the five orders at T-1 only Ada's closed an opportunity (the only clear need), with
    no contact at all: a win at first contact."""
    stages = dashboard(ctx, 30, everyone=True).win_stages
    assert [(s.stage, s.wins, s.reference) for s in stages] == [
        ("first", 1, 2), ("1", 0, 3), ("2", 0, 5), ("3", 0, 10), ("4-11", 0, 80), ("12+", 0, None)]
    assert all(FOLLOWUP_REFERENCE.get(s.stage) == s.reference for s in stages)
    assert [s.share for s in stages] == [1.0, 0, 0, 0, 0, 0]
    assert all(s.wins == 0 for s in dashboard(world["rita"], 30).win_stages)


def test_followup_stages_map_counts_as_the_rules_do(ctx):
    for count in (0, 1, 2, 3, 4, 11, 12, 40):
        customer = add_customer(ctx, {"name": f"c{count}"})
        Customer.update(followups=count).where(Customer.id == customer.id).execute()
    stages = {s.stage: s.customers for s in dashboard(ctx, 7).open_stages}
    expected = {stage: 0 for stage in stages}
    for count in (0, 1, 2, 3, 4, 11, 12, 40):
        expected[followup_stage(count)] += 1
    assert stages == expected


def test_customers_at_risk_of_being_dropped(ctx, world):
    rows = dashboard(ctx, 30, everyone=True).at_risk
    # Ada and Ivy never contacted; Cai's half-monthly cadence ran out on T-14, Hal's weekly on
    # T-11; Ben has 4 follow-ups, Fay was called today, Dan is D
    assert [(r.customer, r.grade, r.followups, r.cadence_due, r.owner) for r in rows] == [
        ("Ada", "A", 0, T - 100 * DAY, "boss"), ("Cai", "C", 1, T - 14 * DAY, "boss"),
        ("Hal", "B", 2, T - 11 * DAY, "rita"), ("Ivy", "A", 0, T - 2 * DAY, "boss")]
    assert rows[1].last_contact == T - 29 * DAY and rows[0].last_contact is None


def test_the_dashboard_carries_the_first_drop_risks_and_counts_them_all(ctx, world, clock):
    """A large team has tens of thousands at risk: the dashboard carries the first (longest
    without contact), counts them all, lists them all on demand (its JSON and the figure's
    customers) in the same order."""
    for n in range(AT_RISK_CARRIED + 5):  # never contacted, cadence run out days apart
        at(clock, T - (60 + n) * DAY)
        regrade(ctx, add_customer(ctx, {"name": f"客户{n:02d}"}).id, pin="A", reason="key")
    clock.now = NOW
    every = at_risk(scope_for(ctx, everyone=True))
    assert len(every) == AT_RISK_CARRIED + 5 + 4  # and the world's four
    figures = dashboard(ctx, 30, everyone=True)
    assert figures.at_risk == every[:AT_RISK_CARRIED]
    assert figures.at_risk_count == len(every) == figures.to_json()["at_risk_count"]
    assert dashboard(ctx, 30, everyone=True, all_at_risk=True).at_risk == every
    rows, total = customers_behind(ctx, figures, AT_RISK)
    assert total == len(every) and [r.customer_id for r in rows] == [r.customer_id for r in every]
    mine = scope_for(as_user(ctx, "rita"))
    assert dashboard(as_user(ctx, "rita"), 30).at_risk_count == len(at_risk(mine)) == 1


def test_the_sql_drop_risk_is_the_rules_one():
    today = TODAY
    for grade in Grade:
        for followups in range(0, 7):
            for due in (today - DAY, today, today + DAY):
                in_sql = (grade.value in AT_RISK_GRADES and followups < AT_RISK_BELOW_FOLLOWUPS
                          and due < today)
                assert in_sql == at_risk_of_drop(grade, followups, due, today)


def test_key_customers_with_ties_and_the_exact_80_percent_boundary(ctx, world):
    found = dashboard(ctx, 30, everyone=True).pareto
    # 400 + 300 + 100 (Cai, the first of three ties by id) = 800 = exactly 80% of 1000
    assert (found.customers, found.total, found.key_count, found.key_revenue) == (
        5, Decimal("1000.00"), 3, Decimal("800.00"))
    assert found.key_share == 0.8 and found.key_customer_share == 0.6
    assert key_customer_ids(scope_for(ctx, everyone=True), found) == [1, 2, 3]
    assert found.curve == ((0.2, 0.4), (0.4, 0.7), (0.6, 0.8), (0.8, 0.9), (1.0, 1.0))
    revenue = dict(Customer.select(Customer.id, Customer.revenue).tuples())
    assert key_customers(revenue) == {1, 2, 3}


def test_one_cent_short_of_80_percent_takes_the_next_customer(ctx, world):
    record_order(ctx, world["ids"]["fay"], amount="0.01")  # total 1000.01: 800 is short of 80%
    found = pareto(scope_for(ctx, everyone=True))
    assert (found.key_count, found.key_revenue) == (4, Decimal("900.00"))
    assert key_customer_ids(scope_for(ctx, everyone=True), found) == [1, 2, 3, 4]


revenues = st.lists(st.sampled_from([0, 1, 5, 5, 10, 50, 100, 250, 999]), min_size=0,
                    max_size=70)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=revenues, owners=st.lists(st.booleans(), min_size=70, max_size=70))
def test_the_sql_ranking_matches_the_rules_key_customers(ctx, rep_ctx, amounts, owners):
    """Many ties, more customers than curve points (segments end inside runs of ties)."""
    Customer.delete().execute()
    boss, rita = ctx.user.id, rep_ctx.user.id
    fields = [Customer.id, Customer.name, Customer.owner, Customer.revenue, Customer.next_due,
              Customer.cadence_due, Customer.created_at, Customer.created_on,
              Customer.updated_at]
    rows = [(i + 1, f"c{i}", rita if owners[i] else boss, Decimal(amount), T, T, NOW, T, NOW)
            for i, amount in enumerate(amounts)]
    if rows:
        bulk_insert(Customer, fields, rows)
    for context, owner in ((ctx, None), (rep_ctx, rita)):
        revenue = {row[0]: row[3] for row in rows if owner is None or row[2] == owner}
        scope = scope_for(context, everyone=True)
        found = pareto(scope)
        assert key_customer_ids(scope, found) == sorted(
            key_customers(revenue), key=lambda c: (-revenue[c], c))
        ranked = rules_pareto(revenue)
        assert found.customers == len(ranked)
        for share, cumulative in found.curve:
            place = round(share * len(ranked))
            assert cumulative == pytest.approx(float(ranked[place - 1][2]), abs=1e-4)


def test_conversion_by_source(ctx, world):
    rows = dashboard(ctx, 30, everyone=True).conversion
    assert [(r.source, r.customers, r.won) for r in rows] == [
        ("canvass", 2, 2), ("marketing", 2, 0), ("referral", 3, 2), ("event", 1, 0), ("", 1, 1)]
    assert [r.rate for r in rows] == pytest.approx([1, 0, 2 / 3, 0, 1])


def surveys(ctx, clock, world, zone=timezone.utc):
    ids = world["ids"]
    utc = timezone.utc
    for customer, moment, scores in (
        ("ada", datetime(2026, 10, 1, 0, 0, tzinfo=utc), {"product": 5, "service": 4}),
        ("ben", datetime(2026, 11, 22, 15, 0, tzinfo=utc), {"overall": 3, "value": 4}),
        ("cai", datetime(2026, 9, 30, 23, 59, 59, tzinfo=utc),
         {"product": 4, "service": 4, "overall": 5}),
        ("dan", datetime(2025, 10, 1, 0, 0, tzinfo=utc), {"overall": 5}),
        ("eve", datetime(2025, 9, 30, 23, 0, tzinfo=utc), {"overall": 1}),
    ):
        record_survey(ctx, ids[customer], scores, at=moment)
    record_survey(world["rita"], ids["hal"], {"overall": 1},
                  at=datetime(2026, 2, 15, 12, tzinfo=utc))


def test_csi_per_quarter(ctx, clock, world):
    surveys(ctx, clock, world)
    rows = dashboard(ctx, 30, everyone=True).csi
    assert [(r.quarter, r.surveys, r.scores, r.csi) for r in rows] == [
        ("2025-Q4", 1, 1, 100.0),  # Eve's, a minute before the quarter, is not counted
        ("2026-Q1", 1, 1, 0.0),
        ("2026-Q2", 0, 0, None),
        ("2026-Q3", 1, 3, 83.3),  # 4 4 5: mean 4.33
        ("2026-Q4", 2, 4, 75.0),  # 5 4 3 4: mean 4
    ]
    assert [r.csi for r in dashboard(world["rita"], 30).csi] == [None, 0.0, None, None, None]


def test_csi_quarters_follow_the_users_zone(ctx, clock, world):
    surveys(ctx, clock, world)
    shanghai = Context(store=ctx.store, user=ctx.user, config=ctx.config, clock=ctx.clock,
                       zone=ZoneInfo("Asia/Shanghai"))
    rows = {r.quarter: (r.surveys, r.csi) for r in dashboard(shanghai, 30, everyone=True).csi}
    # Cai's 2026-09-30 23:59 UTC is 1 October in Shanghai; Eve's is 1 October 2025 there
    assert rows["2026-Q3"] == (0, None)
    assert rows["2026-Q4"] == (3, 78.6)  # 5 4 3 4 4 4 5: mean 4.14
    assert rows["2025-Q4"] == (2, 50.0)  # 5 and 1


def test_a_survey_needs_a_score_from_one_to_five(ctx, world):
    with pytest.raises(InvalidInput) as refused:
        record_survey(ctx, 1, {"overall": "6", "taste": "4"})
    assert set(refused.value.errors) == {"overall", "taste"}
    with pytest.raises(InvalidInput, match="at least one score"):
        record_survey(ctx, 1, {"product": ""})
    record_survey(ctx, 1, {"overall": "4"})
    assert Customer.get_by_id(1).referral_moment_on == T


def test_complaint_service_levels_over_the_period(ctx, clock, world):
    at(clock, T - 2 * DAY, 8)
    fast = open_complaint(ctx, 2, "critical", "broken part")
    slow = open_complaint(ctx, 3, "normal", "late delivery")
    clock.now += timedelta(minutes=30)
    acknowledge(ctx, fast.id, "+4h")
    clock.now += timedelta(hours=30)  # normal: answer within 24 h
    acknowledge(ctx, slow.id, "+4h")
    at(clock, T - 20 * DAY)
    open_complaint(ctx, 4, "low", "old one")  # outside 7 days, never answered: missed
    clock.now = NOW
    week = dashboard(ctx, 7, everyone=True).sla
    assert (week.total.opened, week.total.response.met, week.total.response.missed) == (2, 1, 1)
    assert week.by_severity["critical"].response.share == 1.0
    assert week == complaint_metrics(ctx, T - 6 * DAY, T, everyone=True)
    month = dashboard(ctx, 30, everyone=True).sla
    assert (month.total.opened, month.total.response.met, month.total.response.missed) == (3, 1, 2)


def test_the_period_is_7_30_or_90_days(ctx):
    with pytest.raises(InvalidInput, match="7, 30 or 90"):
        dashboard(ctx, 14)


def test_json_has_the_documented_keys(ctx, world):
    data = dashboard(ctx, 30, everyone=True).to_json()
    assert {"grades", "movement", "followup_stages", "key_share", "conversion_by_source",
            "csi", "sla", "grade_matrix", "overdue_by_rep", "at_risk", "pareto", "open_stages",
            "lapsed", "retention"} <= set(data)
    assert data["movement"]["promotions"] == 3 and data["key_share"] == 0.8
    assert data["followup_stages"]["first"] == {"wins": 1, "share": 1.0, "reference": 2}
    assert data["open_stages"]["first"] == {"customers": 4, "share": 0.5714}
    assert data["lapsed"] == {"customers": 0, "revenue_last_year": Decimal("0.00")}
    assert data["retention"]["previous_buyers"] == 0 and data["retention"]["share"] is None
    assert data["conversion_by_source"]["referral"] == {"customers": 3, "won": 2,
                                                        "rate": 0.6667}
    assert data["overdue_by_rep"] == {"boss": 5, "rita": 1}  # Gus is terminated


def test_customer_rows_keep_the_order_given_and_hide_what_a_rep_cannot_see(ctx, world):
    rows = customer_rows(ctx, [9, 1, 9, 404])
    assert [(r.customer_id, r.customer, r.grade, r.owner) for r in rows] == [
        (9, "Ivy", "A", "boss"), (1, "Ada", "A", "boss")]
    assert [r.customer for r in customer_rows(world["rita"], [1, 6, 8])] == ["Fay", "Hal"]


def test_an_empty_database_has_empty_figures(ctx):
    figures = dashboard(ctx, 90, everyone=True)
    assert figures.grades == {"A": 0, "B": 0, "C": 0, "D": 0, "E": 0}
    assert figures.reps == [] and figures.at_risk == []
    assert (figures.movement.promotions, figures.movement.demotions) == (0, 0)
    assert figures.pareto.curve == () and key_customer_ids(scope_for(ctx), figures.pareto) == []
    assert all(row.csi is None for row in figures.csi)
    assert figures.to_json()["key_share"] is None


def test_every_figure_reads_an_index_never_the_whole_customer_table(ctx, world):
    """The shape that keeps the dashboard fast on 100,000 customers (bench/dashboard.py)."""
    if not ctx.store.is_sqlite:
        pytest.skip("query plans are SQLite's")
    plans = []
    database = ctx.store.db
    execute = database.execute_sql

    def explain(sql, params=None, *args, **kwargs):
        # the people of the team (one row each) may be read whole: their names, their targets
        team = re.match(r'SELECT [^;]* FROM "user" AS "t1"( (WHERE|ORDER BY) [^;]*)?$', sql) \
            and " JOIN " not in sql
        # and the figures the database keeps ahead (db.figures): a few rows per rep
        kept = re.match(f'SELECT [^;]* FROM "({"|".join(FIGURE_TABLES)})" AS "t1"', sql)
        if not sql.startswith("EXPLAIN") and not team and not kept:
            plans.extend(row[-1] for row in execute("EXPLAIN QUERY PLAN " + sql, params))
        return execute(sql, params, *args, **kwargs)

    database.execute_sql = explain
    try:
        for context, everyone in ((ctx, True), (ctx, False), (world["rita"], False)):
            figures = dashboard(context, 90, everyone=everyone)
            scope = scope_for(context, everyone=everyone)
            key_customer_ids(scope, figures.pareto)
            moved_customer_ids(scope, 90, PROMOTED)
    finally:
        del database.execute_sql
    assert plans and not [step for step in plans if re.fullmatch(r"SCAN t\d+", step)]
