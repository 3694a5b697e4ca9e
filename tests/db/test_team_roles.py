"""PostgreSQL team mode on a real server: each person connects as their own database role, and
grants, row-level security and triggers hold the roles even against raw SQL, while the app's
everyday work goes on for every role.

CI runs the server as the `postgres` superuser, so the test makes the roles a team would have: an
owner of the tables (LOGIN CREATEROLE, not a superuser) and people (LOGIN with a password), and
connects as each of them."""

from __future__ import annotations

import itertools
import json
import os
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

from crmtui.db import LATEST_VERSION, Customer
from crmtui.db.team import group_base
from crmtui.errors import Forbidden, StorageError
from crmtui.services.audit import audit_entries
from crmtui.services.complaints import (
    acknowledge,
    close,
    complaint_queue,
    open_complaint,
    resolve,
    start_work,
)
from crmtui.services.context import open_context
from crmtui.services.customers import add_customer, delete_customer, reassign
from crmtui.services.due import due_list
from crmtui.services.grading import move_grades_if_due
from crmtui.services.interactions import log_interaction, record_order
from crmtui.services.maintenance import check_store
from crmtui.services.stats import dashboard
from crmtui.services.transfer.exporter import export
from crmtui.services.users import add_user, deactivate_user, set_role, set_up_roles

pytestmark = pytest.mark.pg

PASSWORD = "team-secret"
_numbers = itertools.count(1)


@dataclass
class Team:
    """A team database in its own schema, and who is who in it."""

    server: object
    schema: str
    owner: str
    people: dict[str, str]
    """short name (boss, rita, ray, sam) -> login (a database role)"""
    ids: dict[str, int] = field(default_factory=dict)
    """customer ids: rita's, ray's, and ray's complaint"""
    created: list[str] = field(default_factory=list)

    def url(self, role: str) -> str:
        parts = urlsplit(self.server.url)
        netloc = f"{quote(role)}:{PASSWORD}@{parts.hostname}:{parts.port or 5432}"
        return urlunsplit(parts._replace(netloc=netloc, path=f"/{self.server.database}",
                                         query=f"options=-csearch_path%3D{self.schema}"))

    def open(self, who: str, clock, **kwargs):
        role = self.people.get(who, who)
        return open_context(self.url(role), login="nobody-at-all", clock=clock, **kwargs)

    def raw(self, who: str):
        """A psycopg2 connection as the person, autocommit."""
        import psycopg2

        connection = psycopg2.connect(self.url(self.people.get(who, who)), connect_timeout=5)
        connection.autocommit = True
        return connection

    def group(self, role: str) -> str:
        return f"{group_base(self.server.database, self.schema)}_{role}"


def _admin(server):
    return server._admin(server.database)


@pytest.fixture
def team(pg_server, clock):
    number = f"{os.getpid()}_{next(_numbers)}"
    schema = f"team_{number}"
    owner = f"crm_owner_{number}"
    people = {short: f"{short}_{number}" for short in ("boss", "rita", "ray", "sam")}
    setup = Team(server=pg_server, schema=schema, owner=owner, people=people)
    admin = _admin(pg_server)
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE ROLE "{owner}" LOGIN CREATEROLE PASSWORD %s', (PASSWORD,))
            for login in people.values():
                cursor.execute(f'CREATE ROLE "{login}" LOGIN PASSWORD %s', (PASSWORD,))
            cursor.execute(f'CREATE SCHEMA "{schema}" AUTHORIZATION "{owner}"')
        setup.created = [owner, *people.values()]

        # a database used in single-role mode first: the owner's connection, boss as manager
        ctx = open_context(setup.url(owner), login=people["boss"], clock=clock)
        for short, role in (("rita", "rep"), ("ray", "rep"), ("sam", "support")):
            add_user(ctx, people[short], role=role)
        rita_ctx = _as(ctx, people["rita"])
        ray_ctx = _as(ctx, people["ray"])
        setup.ids["rita"] = add_customer(rita_ctx, {"name": "Rita's client", "need": "clear",
                                                    "expected_close": "+45d"}).id
        setup.ids["ray"] = add_customer(ray_ctx, {"name": "Ray's client"}).id
        log_interaction(ray_ctx, setup.ids["ray"], summary="Ray's secret call")
        record_order(ray_ctx, setup.ids["ray"], amount="900")
        setup.ids["complaint"] = open_complaint(ray_ctx, setup.ids["ray"], "high",
                                                "late delivery").id
        report = set_up_roles(ctx)
        assert report.owner == owner
        assert report.members == {people["rita"]: "rep", people["ray"]: "rep",
                                  people["sam"]: "support", people["boss"]: "manager"}
        assert ctx.store.team is not None and ctx.store.team.is_owner
        ctx.store.close()
        yield setup
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            groups = [setup.group(r) for r in ("rep", "support", "manager", "team")]
            cursor.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)",
                           ([*groups, *setup.created, f"newbie_{number}"],))
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP OWNED BY "{name}" CASCADE')
                cursor.execute(f'DROP ROLE "{name}"')
        admin.close()


def _as(ctx, login):
    from crmtui.db import User
    from crmtui.services.context import Context

    return Context(store=ctx.store, user=User.get(User.login == login), config=ctx.config,
                   clock=ctx.clock, zone=ctx.zone)


def _rows(connection, sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else cursor.rowcount


def _refused(connection, sql, *params) -> str:
    import psycopg2

    with pytest.raises(psycopg2.Error) as caught:
        _rows(connection, sql, *params)
    assert caught.value.pgcode == "42501", caught.value
    return str(caught.value)


# -- raw SQL as each role -------------------------------------------------------------------------

def test_a_rep_reads_only_their_own_customers_and_what_hangs_off_them(team):
    rita = team.raw("rita")
    ray = team.ids["ray"]
    try:
        assert _rows(rita, "SELECT name FROM customer") == [("Rita's client",)]
        assert _rows(rita, "SELECT * FROM customer WHERE id = %s", ray) == []
        for table in ("interaction", "sales_order", "complaint", "grade_change"):
            assert _rows(rita, f"SELECT * FROM {table} WHERE customer_id = %s", ray) == [], table
        assert _rows(rita, "SELECT * FROM complaint_event") == []
        # changing another rep's customer touches nothing; adding to it is refused
        assert _rows(rita, "UPDATE customer SET name = 'mine now' WHERE id = %s", ray) == 0
        assert _rows(rita, "DELETE FROM customer WHERE id = %s", ray) == 0
        _refused(rita, "INSERT INTO interaction (customer_id, at, channel, direction, summary, "
                       "outcome, next_step, referral_ask, by_id, followup_number) "
                       "VALUES (%s, now(), 'phone', 'out', 'x', 'neutral', '', false, 1, 0)", ray)
        # nor can she give her customer away, or take one
        _refused(rita, "UPDATE customer SET owner_id = owner_id + 1 WHERE id = %s",
                 team.ids["rita"])
    finally:
        rita.close()
    ray_connection = team.raw("ray")
    try:
        assert _rows(ray_connection, "SELECT summary FROM interaction") == [("Ray's secret call",)]
    finally:
        ray_connection.close()


def test_the_audit_log_is_append_only_for_everyone_but_the_owner(team):
    for who in ("rita", "sam", "boss"):
        connection = team.raw(who)
        try:
            _refused(connection, "UPDATE audit_log SET detail = 'nothing happened'")
            _refused(connection, "DELETE FROM audit_log")
            _refused(connection, "TRUNCATE audit_log")
            # an entry in someone else's name, or of an action the triggers record, is refused
            _refused(connection, "INSERT INTO audit_log (at, user_id, action, entity, detail) "
                                 "VALUES (now(), NULL, 'role', 'user', 'forged')")
            _rows(connection, "INSERT INTO audit_log (at, user_id, action, entity, detail) "
                              "VALUES ('2000-01-01', 1, 'export', 'customer', %s)", who)
        finally:
            connection.close()
    owner = team.raw(team.owner)
    try:
        stamped = _rows(owner, "SELECT u.login, a.at > '2020-01-01' FROM audit_log a "
                               "JOIN \"user\" u ON u.id = a.user_id "
                               "WHERE a.action = 'export' ORDER BY a.id")
        assert stamped == [(team.people[w], True) for w in ("rita", "sam", "boss")]
        assert _rows(owner, "DELETE FROM audit_log WHERE action = 'export'") == 3
    finally:
        owner.close()


def test_no_one_but_a_manager_changes_a_role(team):
    rita = team.raw("rita")
    me = team.people["rita"]
    try:
        _refused(rita, 'UPDATE "user" SET role = \'manager\' WHERE login = %s', me)
        _refused(rita, "INSERT INTO \"user\" (login, display_name, role, active, created_at) "
                       "VALUES ('eve', 'eve', 'manager', true, now())")
        _refused(rita, f'GRANT "{team.group("manager")}" TO "{me}"')
        _refused(rita, "SELECT crmtui_set_role(%s, 'manager')", me)
        _refused(rita, f'ALTER ROLE "{me}" CREATEROLE')
        _refused(rita, "UPDATE schema_version SET version = 1")
        assert _rows(rita, "SELECT role FROM \"user\" WHERE login = %s", me) == [("rep",)]
    finally:
        rita.close()


def test_support_reads_profiles_and_works_complaints_but_changes_no_customer(team):
    sam = team.raw("sam")
    try:
        assert len(_rows(sam, "SELECT id FROM customer")) == 2
        assert len(_rows(sam, "SELECT id FROM interaction")) == 1
        _refused(sam, "UPDATE customer SET name = 'x'")
        _refused(sam, "DELETE FROM customer")
        _refused(sam, "INSERT INTO sales_order (customer_id, \"on\", product, quantity, amount, "
                      "gift, note, by_id, created_at) VALUES (%s, '2026-01-01', '', 1, 1, '', "
                      "'', 1, now())", team.ids["ray"])
        assert _rows(sam, "UPDATE complaint SET severity = 'critical'") == 1
        assert _rows(sam, "UPDATE customer SET referral_moment_on = '2026-11-23'") == 2
    finally:
        sam.close()


# -- the app as each role -------------------------------------------------------------------------

def test_each_role_does_its_everyday_work(team, clock):
    rita = team.open("rita", clock)
    try:
        assert rita.user.login == team.people["rita"]  # session_user, not the login given
        assert rita.store.team is not None and not rita.store.team.is_owner
        move_grades_if_due(rita)
        assert [i.customer_id for i in due_list(rita)] == [team.ids["rita"]]
        log_interaction(rita, team.ids["rita"], summary="called", next_on="+2d")
        record_order(rita, team.ids["rita"], amount="1200")
        mine = add_customer(rita, {"name": "Rita's second"})
        open_complaint(rita, mine.id, "normal", "wrong colour")
        figures = dashboard(rita, 30)
        assert sum(figures.grades.values()) == 2
        with pytest.raises(Exception):  # the app refuses before the server would
            log_interaction(rita, team.ids["ray"], summary="peeking")
    finally:
        rita.store.close()

    sam = team.open("sam", clock)
    try:
        assert move_grades_if_due(sam) == 0
        number = team.ids["complaint"]
        acknowledge(sam, number, "+4h")
        start_work(sam, number)
        resolve(sam, number, "re-sent")
        close(sam, number, 5)  # a good score opens the customer's referral moment
        assert Customer.get_by_id(team.ids["ray"]).referral_moment_on is not None
        queue = complaint_queue(sam, include_closed=True)
        assert sorted((row.id, row.status) for row in queue) == [(number, "closed"),
                                                                 (number + 1, "new")]
    finally:
        sam.store.close()

    boss = team.open("boss", clock)
    try:
        assert not boss.store.team.is_owner
        figures = dashboard(boss, 30, everyone=True)
        assert sum(figures.grades.values()) == 3
        assert Customer.get_by_id(team.ids["rita"]).revenue == Decimal("1200.00")
    finally:
        boss.store.close()


def test_the_figures_the_database_keeps_follow_the_roles(team, clock):
    """What is owed per rep (db.figures) is kept by the triggers whoever writes, read by each
    rep for their own customers only, and written by no one directly."""
    from crmtui.services.receivables import receivables

    rita = team.open("rita", clock)
    try:
        record_order(rita, team.ids["rita"], amount="1200")
        add_customer(rita, {"name": "Rita's lead", "need": "clear", "expected_amount": "500"})
        assert receivables(rita, owner_id=rita.user.id).total.owed == Decimal("1200.00")
        rita_id = rita.user.id
    finally:
        rita.store.close()
    raw = team.raw("rita")
    try:
        assert _rows(raw, "SELECT owner_id, owed, orders FROM owed_day") == [(rita_id, 120000, 1)]
        _refused(raw, "UPDATE owed_day SET owed = 0")
        _refused(raw, "INSERT INTO owed_day VALUES (%s, current_date, 1, 1)", rita_id)
        for table in ("pipeline_day", "stage_tally", "source_tally"):
            assert _rows(raw, f"SELECT * FROM {table}") == [], table  # the team's, not hers
        assert _rows(raw, "SELECT owner_id, sum(customers) FROM grade_tally GROUP BY owner_id") == [
            (rita_id, 2)]
    finally:
        raw.close()
    boss = team.open("boss", clock)
    try:
        assert receivables(boss).total.owed == Decimal("2100.00")  # Ray's 900 too
        raw_boss = team.raw("boss")
        try:
            assert _rows(raw_boss, "SELECT grade, customers, amount FROM pipeline_day") == [
                ("D", 1, 50000)]
        finally:
            raw_boss.close()
    finally:
        boss.store.close()


def test_triggers_write_the_audit_log_under_the_session_user(team, clock, tmp_path):
    rita = team.open("rita", clock)
    try:
        doomed = add_customer(rita, {"name": "Doomed"}).id
        log_interaction(rita, doomed, summary="last call")
        delete_customer(rita, doomed)
        export(rita, "json", tmp_path / "mine.json")
    finally:
        rita.store.close()
    boss = team.open("boss", clock)
    try:
        reassign(boss, team.ids["rita"], team.people["ray"])
        set_role(boss, team.people["sam"], "rep")
        entries = [(e.user.login, e.action, e.detail) for e in audit_entries(boss, limit=50)
                   if e.action != "user"]
    finally:
        boss.store.close()
    rita_login, ray_login, boss_login = (team.people[w] for w in ("rita", "ray", "boss"))
    assert entries[:4] == [
        (boss_login, "role", f"{team.people['sam']}: support -> rep"),
        (boss_login, "reassign", f"{rita_login} -> {ray_login}"),
        (rita_login, "export", f"json: 1 customers (own) to {tmp_path / 'mine.json'}"),
        (rita_login, "delete", f"Doomed (#{doomed}) with 1 interactions, 0 orders and "
                               f"0 complaints; owner {rita_login}"),
    ]
    owner = team.raw(team.owner)
    try:  # one entry per change: the app wrote none of its own beside the triggers'
        assert _rows(owner, "SELECT count(*) FROM audit_log WHERE action = 'delete'") == [(1,)]
    finally:
        owner.close()


def test_a_manager_adds_people_and_changes_their_roles_in_the_server(team, clock):
    newbie = f"newbie_{team.schema.removeprefix('team_')}"
    boss = team.open("boss", clock)
    try:
        add_user(boss, newbie)  # no such database role yet: it is created
        assert _member_of(team, newbie) == ["rep"]
        set_role(boss, newbie, "support")
        assert _member_of(team, newbie) == ["support"]
        set_role(boss, team.people["rita"], "manager")
        deactivate_user(boss, newbie)
        assert _member_of(team, newbie) == []
    finally:
        boss.store.close()
    rita = team.raw("rita")
    try:  # a manager now: she reads every customer
        assert len(_rows(rita, "SELECT id FROM customer")) == 2
    finally:
        rita.close()


def _member_of(team, login) -> list[str]:
    admin = _admin(team.server)
    try:
        groups = {team.group(r): r for r in ("rep", "support", "manager")}
        rows = _rows(admin, "SELECT g.rolname FROM pg_auth_members m "
                            "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles p "
                            "ON p.oid = m.member WHERE p.rolname = %s", login)
        return sorted(groups[name] for (name,) in rows if name in groups)
    finally:
        admin.close()


def test_identity_comes_from_the_server_never_from_a_flag(team, clock):
    with pytest.raises(Forbidden, match="cannot act as .*connect as"):
        team.open("rita", clock, as_user=team.people["boss"])
    ctx = team.open("rita", clock, as_user=team.people["rita"])
    ctx.store.close()


def test_db_check_names_the_mode(team, clock, pg_server, db_target=None):
    ctx = team.open("rita", clock)
    try:
        lines = check_store(ctx.store).lines
    finally:
        ctx.store.close()
    assert f"ok  team mode: the server enforces the roles; you are the database role " \
           f"{team.people['rita']}" in lines
    single = open_context(pg_server.create_schema(), login="boss", clock=clock)
    try:
        assert any("single-role mode" in line for line in check_store(single.store).lines)
    finally:
        single.store.close()


def test_only_the_owner_migrates_a_team_database(team, clock):
    owner = team.raw(team.owner)
    try:
        _rows(owner, "UPDATE schema_version SET version = %s", LATEST_VERSION - 1)
    finally:
        owner.close()
    with pytest.raises(StorageError, match=f"the database owner \\({team.owner}\\) runs"):
        team.open("rita", clock)
    ctx = team.open(team.owner, clock)
    ctx.store.close()
    rita = team.open("rita", clock)
    try:
        assert [c.name for c in Customer.select()] == ["Rita's client"]
    finally:
        rita.store.close()
    rita = team.raw("rita")
    try:  # managers alone read the log
        _refused(rita, "SELECT detail FROM audit_log")
    finally:
        rita.close()


def test_setup_needs_the_owner(team, clock, pg_server):
    boss = team.open("boss", clock)
    try:
        with pytest.raises(StorageError, match=f"only the role that owns the tables "
                                               f"\\({team.owner}\\)"):
            set_up_roles(boss)
    finally:
        boss.store.close()


def test_the_grades_each_person_moves_are_their_own(team, clock):
    clock.now += timedelta(days=30)
    rita = team.open("rita", clock)
    try:
        assert move_grades_if_due(rita) == 1  # her clear-need customer crossed into A
        assert move_grades_if_due(rita) == 0
    finally:
        rita.store.close()
    ray = team.open("ray", clock)
    try:
        move_grades_if_due(ray)  # his own day, not rita's
        admin = _admin(team.server)
        try:
            keys = _rows(admin, f'SELECT key FROM "{team.schema}".setting '
                                "WHERE key LIKE 'grades_moved_on%%' ORDER BY key")
        finally:
            admin.close()
        assert [k for (k,) in keys] == sorted(
            f"grades_moved_on:{team.people[w]}" for w in ("rita", "ray"))
    finally:
        ray.store.close()


def test_the_command_line_takes_who_you_are_from_the_server(team, capsys):
    from crmtui.cli import main

    rita, boss = team.url(team.people["rita"]), team.people["boss"]
    assert main(["--db", rita, "due", "--json"]) == 0  # the OS login (root in CI) is no matter
    assert [item["customer"] for item in json.loads(capsys.readouterr().out)] == ["Rita's client"]
    assert main(["--db", rita, "--user", boss, "export", "--all", "--format", "json"]) == 1
    assert capsys.readouterr().err == (
        f"crmtui: cannot act as {boss}: on this database you are the database role you connect "
        f"as ({team.people['rita']}); connect as {boss} to act as them\n")
    assert main(["--db", rita, "db", "setup-roles"]) == 1
    assert "only a manager can set up the database roles" in capsys.readouterr().err
    assert main(["--db", team.url(team.owner), "db", "setup-roles"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The server now enforces the roles on ")
    assert f"all members of {team.group('team')} (name it in pg_hba.conf as " \
           f"+{team.group('team')})" in out
    assert main(["--db", rita, "db", "check"]) == 0
    assert "team mode: the server enforces the roles" in capsys.readouterr().out


def test_targets_and_survey_scores_follow_the_roles(team, clock):
    """Managers set everyone's targets; a rep reads their own and sets none; a survey's scores
    on the team's own dimensions are seen with the survey's customer."""

    from crmtui.config import SurveySettings
    from crmtui.services.surveys import record_survey
    from crmtui.services.targets import set_target, target_board

    boss = team.open("boss", clock)
    try:
        set_target(boss, team.people["rita"], "2026-12", amount="1000")
        set_target(boss, team.people["ray"], "2026-12", amount="2000")
        assert len(target_board(boss, "2026-12").rows) == 2
    finally:
        boss.store.close()
    rita = team.open("rita", clock)
    try:
        assert [row.login for row in target_board(rita, "2026-12").rows] == [
            team.people["rita"]]
        record_order(rita, team.ids["rita"], amount="300")  # read back from rep_order_day
        log_interaction(rita, team.ids["rita"], summary="called")  # into rep_interaction_day
        [row] = target_board(rita, "2026-11").rows
        assert (row.login, row.orders) == (team.people["rita"], Decimal("300.00"))
        own = rita.replaced(config=rita.config._replace(survey=SurveySettings(
            dimensions=("overall", "competitors"))))
        record_survey(own, team.ids["rita"], {"overall": 5, "competitors": 4})
    finally:
        rita.store.close()
    rita, ray = team.raw("rita"), team.raw("ray")
    try:
        assert _rows(rita, "SELECT amount FROM target") == [(100000,)]
        _refused(rita, "UPDATE target SET amount = 1")
        _refused(rita, "INSERT INTO target (user_id, period, starts_on, ends_on, amount, set_at) "
                       "SELECT user_id, '2027', '2027-01-01', '2027-12-31', 1, now() "
                       "FROM target")
        assert _rows(rita, "SELECT dimension, score FROM survey_score") == [("competitors", 4)]
        assert _rows(ray, "SELECT * FROM survey_score") == []
        [(ritas_id, amount)] = _rows(rita, "SELECT by_id, amount FROM rep_order_day")
        assert amount == 30000  # her own orders only; ray reads only his
        assert ritas_id not in [by for (by,) in _rows(ray, "SELECT by_id FROM rep_order_day")]
        assert _rows(rita, "SELECT by_id, interactions FROM rep_interaction_day") == [
            (ritas_id, 1)]  # her own; ray reads none of hers
        assert _rows(ray, "SELECT * FROM rep_interaction_day WHERE by_id = %s", ritas_id) == []
    finally:
        rita.close()
        ray.close()


def test_corrections_and_their_history_follow_the_roles(team, clock):
    from crmtui.db import ChangeSet, Survey
    from crmtui.errors import NotFound
    from crmtui.services.corrections import edit_order, edit_survey, remove_record

    rita = team.open("rita", clock)
    try:
        order = record_order(rita, team.ids["rita"], amount="1200")
        edit_order(rita, order.id, {"quantity": "3", "amount": "3600"})
        assert Customer.get_by_id(team.ids["rita"]).revenue == Decimal("3600.00")
        remove_record(rita, "order", order.id)
        assert Customer.get_by_id(team.ids["rita"]).revenue == Decimal(0)
        actions = [c.action for c in ChangeSet.select().order_by(ChangeSet.id)]
        assert actions[-3:] == ["order", "edit", "delete"]
        assert {c.customer_id for c in ChangeSet.select()} == {team.ids["rita"]}  # hers only
        with pytest.raises(NotFound):  # ray's order, the first of the database
            remove_record(rita, "order", 1)
    finally:
        rita.store.close()

    sam = team.open("sam", clock)
    try:
        number = team.ids["complaint"]
        acknowledge(sam, number, "+4h")
        start_work(sam, number)
        resolve(sam, number, "re-sent")
        close(sam, number, 5)
        survey = Survey.get(Survey.complaint == number)
        edit_survey(sam, survey.id, {"overall": "3"})
        assert Survey.get_by_id(survey.id).overall == 3
        remove_record(sam, "survey", survey.id)
        assert not Survey.select().where(Survey.id == survey.id).exists()
        with pytest.raises(Forbidden):
            remove_record(sam, "interaction", 1)
    finally:
        sam.store.close()


def test_a_large_import_by_a_manager_leaves_the_owners_indexes_alone(team, clock, tmp_path,
                                                                      monkeypatch):
    """Deferring the indexes drops them, which only their owner may: a manager connected as
    their own role imports with the indexes kept up to date instead."""
    import crmtui.services.transfer.importer as importer
    import crmtui.services.transfer.loading as loading
    from crmtui.services.customers import find_customers
    from crmtui.services.transfer.importer import import_file

    monkeypatch.setattr(loading, "DEFERRED_INDEX_ROWS", 3)
    monkeypatch.setattr(importer, "BATCH", 2)
    path = tmp_path / "in.csv"
    path.write_text("name,phones\n" + "".join(f"Imported {n},139{n:08d}\n" for n in range(9)))
    boss = team.open("boss", clock)
    report = import_file(boss, path)
    assert report.committed and report.imported == 9
    assert [c.name for c in find_customers(boss, "Imported 8")] == ["Imported 8"]
    indexes = {row[0] for row in boss.store.db.execute_sql(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'customer'")}
    assert "customer_owner_id_next_due" in indexes
