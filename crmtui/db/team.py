"""PostgreSQL team mode: every person is their own database role, and the server enforces the
roles of SPEC §6 even against raw SQL.

The database owner (the role that owns the tables and ran `crmtui db setup-roles`) creates three
group roles for the database, and a fourth that holds them, which `pg_hba.conf` can name:

    <base>_team      NOLOGIN; member: the three below. Reads the app's own tables.
    <base>_rep       their own customers and everything hanging off them
    <base>_support   every complaint and its timeline; customer profiles read-only
    <base>_manager   everything; adds people and changes their roles

where <base> is the database's name (and schema, outside `public`). A person's login role is a
member of exactly one of rep, support or manager. Who a session is comes from `session_user`:

- row-level security on the customer tables gives a rep the customers they own and the rows of
  those customers (interactions, promises, orders, care dates, contacts, plans, grade changes,
  surveys, complaints and their timelines); support every complaint and read access to the rest;
  managers everything;
- grants match: support may update no customer column but the referral moment a satisfied
  complaint opens; reps and support cannot write users; no one but the owner writes the schema
  version or changes the audit log;
- the audit log is written by triggers for deletions, reassignments and changes to users and
  roles; the application adds exports, imports and merges, which a trigger stamps with the
  session's user and the time, so no one can write an entry in another's name; no one but the
  owner may update or delete entries;
- people are added and their roles changed through `crmtui_set_role`, a function that runs with
  the owner's rights and that only managers may call, so managers need no CREATEROLE of their own.

The application's own settings table (the day grades last moved, the database's export id) is
readable by everyone; each person writes only their own "grades moved" day, and the export id is
written once.

`apply_team_mode` is idempotent: setup runs it, and every migration on a team database runs it
again so new tables get their grants and policies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import peewee

from crmtui.errors import StorageError
from crmtui.i18n import _

GROUPS = ("rep", "support", "manager")

CUSTOMER_TABLES = (
    "contact",
    "account_plan",
    "interaction",
    "commitment",
    "sales_order",
    "care_date",
    "holiday_greeting",
    "survey",
    "grade_change",
    "complaint",
    "win",
    "customer_change",
    "appointment",
    "change_set",
    "field_change",
    "instruction",
    "payment",
)
"""Tables with a customer_id: their rows are seen and changed with their customer."""

SUPPORT_HISTORY = ("change_set", "field_change")
"""The history tables, which support adds to when it records or corrects a survey."""

TRIGGER_ACTIONS = frozenset({"delete", "reassign", "user", "role", "deactivate"})
"""Audit actions the database's triggers record in team mode (the application adds the rest)."""

APP_ACTIONS = ("export", "import", "merge")
"""Audit actions a team member's session may insert itself."""

SET_ROLE_FUNCTION = "crmtui_set_role"


class TeamMode(NamedTuple):
    """A PostgreSQL database whose roles the server enforces."""

    session_user: str
    """Who this session is: the database role it authenticated as."""
    owner: str
    """The role owning the tables: it may do anything, the audit log included."""
    base: str
    """The group roles' common prefix (see `group_role`)."""

    @property
    def is_owner(self) -> bool:
        return self.session_user == self.owner

    def group_role(self, role: str) -> str:
        return f"{self.base}_{role}"


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A quoted SQL string literal (standard_conforming_strings is on since PostgreSQL 9.1)."""
    return "'" + text.replace("'", "''") + "'"


def group_base(database: str, schema: str) -> str:
    """The group roles' prefix for a database (and schema): role names are shared by every
    database of a server, so they carry the database's name; at most 63 bytes in all."""
    base = database if schema == "public" else f"{database}_{schema}"
    if len((base + "_manager").encode()) > 63:
        digest = hashlib.sha1(base.encode()).hexdigest()[:8]
        base = base.encode()[:40].decode(errors="ignore") + "_" + digest
    return base


def detect(db: peewee.Database) -> TeamMode | None:
    """Team mode when row-level security is on for the customer table (only its owner can turn
    it on); None for a database every user reaches through one role."""
    row = db.execute_sql(
        "SELECT c.relrowsecurity, pg_get_userbyid(c.relowner), session_user, "
        "current_database(), current_schema() "
        "FROM pg_class c WHERE c.oid = to_regclass('customer')"
    ).fetchone()
    if row is None or not row[0]:
        return None
    _enabled, owner, session_user, database, schema = row
    return TeamMode(session_user=session_user, owner=owner, base=group_base(database, schema))


class SetupReport:
    """What `crmtui db setup-roles` did (filled in as it goes)."""

    __slots__ = ("owner", "groups", "team_group", "created_roles", "members", "skipped")

    def __init__(self, owner: str, groups: dict[str, str], team_group: str) -> None:
        self.owner = owner
        self.groups = groups
        self.team_group = team_group
        self.created_roles: list[str] = []
        self.members: dict[str, str] = {}
        """login -> crmtui role, for every active user given a group."""
        self.skipped: list[str] = []
        """Users left without a group (the owner, who needs none)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "owner": self.owner,
            "groups": self.groups,
            "team_group": self.team_group,
            "created_roles": self.created_roles,
            "members": self.members,
            "skipped": self.skipped,
        }


def _scalar(db: peewee.Database, sql: str, params: Sequence[object] = ()) -> Any:
    """The first column of the first row, as the driver reads it; None without a row."""
    row = db.execute_sql(sql, params).fetchone()
    return row[0] if row else None


def _check_owner(db: peewee.Database) -> str:
    """The tables' owner, which must be this session (or a superuser acting for it)."""
    owner: str | None = _scalar(
        db, "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = to_regclass('customer')"
    )
    if owner is None:
        raise StorageError(_("this database has no crmtui tables yet"))
    me, superuser = db.execute_sql(
        "SELECT session_user, rolsuper FROM pg_roles WHERE rolname = session_user"
    ).fetchone()
    if me != owner and not superuser:
        raise StorageError(
            _(
                "only the role that owns the tables ({owner}) can set up roles; connect as {owner}"
            ).format(owner=owner)
        )
    return owner


def apply_team_mode(db: peewee.Database) -> SetupReport:
    """Create the group roles, grants, row-level policies, audit triggers and the role function
    (again, if they exist). Runs inside the caller's transaction, as the tables' owner."""
    owner = _check_owner(db)
    database, schema = db.execute_sql("SELECT current_database(), current_schema()").fetchone()
    base = group_base(database, schema)
    groups = {role: f"{base}_{role}" for role in GROUPS}
    team = f"{base}_team"
    report = SetupReport(owner=owner, groups=groups, team_group=team)
    try:
        for name in (team, *groups.values()):
            if not _scalar(db, "SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)):
                db.execute_sql(f"CREATE ROLE {ident(name)} NOLOGIN")
                report.created_roles.append(name)
        for name in groups.values():
            if not _is_member(db, name, team):
                db.execute_sql(f"GRANT {ident(team)} TO {ident(name)}")
    except peewee.ProgrammingError as error:
        raise StorageError(
            _(
                "cannot create the team's roles: {error}; the owner {owner} needs CREATEROLE "
                "(a superuser runs: ALTER ROLE {owner} CREATEROLE)"
            ).format(error=str(error).splitlines()[0], owner=owner)
        ) from None
    cursor = db.cursor()
    for statement in (
        *_grants(schema, team, groups),
        *_policies(groups),
        *_functions(schema, owner, team, groups),
    ):
        cursor.execute(statement)  # no parameters: the driver leaves format()'s %I alone
    return report


def set_up_roles(db: peewee.Database, *, add_owner: Callable[[str], object]) -> SetupReport:
    """Turn a database into team mode: `apply_team_mode`, then give every active user of the
    database their group, creating login roles that do not exist yet. `add_owner(login)` makes
    the owner a manager of the database when it is not a user yet."""
    report = apply_team_mode(db)
    add_owner(report.owner)
    users = db.execute_sql('SELECT login, role FROM "user" WHERE active ORDER BY login').fetchall()
    for login, role in users:
        if login == report.owner:
            report.skipped.append(login)
            continue
        existed = bool(_scalar(db, "SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)))
        set_role(db, login, role)
        if not existed:
            report.created_roles.append(login)
        report.members[login] = role
    return report


def set_role(db: peewee.Database, login: str, role: str | None) -> None:
    """Give `login` the group of `role` (creating the login role if needed); None removes them
    from every group. Managers only: the function refuses anyone else."""
    db.execute_sql(f"SELECT {SET_ROLE_FUNCTION}(%s, %s)", (login, role))


def _is_member(db: peewee.Database, member: str, group: str) -> bool:
    return bool(
        _scalar(
            db,
            """
        SELECT 1 FROM pg_auth_members m
        JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member
        WHERE g.rolname = %s AND r.rolname = %s""",
            (group, member),
        )
    )


# -- grants -------------------------------------------------------------------------------------

APP_TABLES = (
    "schema_version",
    "setting",
    "user",
    "customer",
    *CUSTOMER_TABLES,
    "complaint_event",
    "survey_score",
    "target",
    "audit_log",
    "owed_day",
    "pipeline_day",
    "grade_tally",
    "stage_tally",
    "source_tally",
    "lifecycle_tally",
    "due_tally",
    "order_day",
    "buy_day",
    "revenue_tally",
    "rep_order_day",
    "rep_interaction_day",
)


def _grants(schema: str, team: str, groups: dict[str, str]) -> list[str]:
    s = ident(schema)
    rep, support, manager = (ident(groups[g]) for g in GROUPS)
    t = ident(team)

    def tables(*names: str) -> str:
        return ", ".join(f"{s}.{ident(n)}" for n in names)

    readable = tables(*(n for n in APP_TABLES if n != "audit_log"))
    customer_rows = tables("customer", *CUSTOMER_TABLES, "complaint_event")
    return [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM PUBLIC",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM PUBLIC",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {t}, {rep}, {support}, {manager}",
        f"GRANT USAGE ON SCHEMA {s} TO {t}",
        f"GRANT SELECT ON {readable} TO {t}",
        f"GRANT INSERT, UPDATE ON {tables('setting')} TO {t}",
        # the application writes exports, imports and merges (stamped by a trigger);
        # INSERT … RETURNING id needs the id readable
        f"GRANT INSERT, SELECT (id) ON {tables('audit_log')} TO {t}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {t}",
        f"GRANT INSERT, UPDATE, DELETE ON {customer_rows} TO {rep}",
        f"GRANT INSERT, UPDATE, DELETE ON {tables('complaint', 'complaint_event')} TO {support}",
        # support records surveys after complaints, and their history
        f"GRANT INSERT ON {tables('survey', 'survey_score', *SUPPORT_HISTORY)} TO {support}",
        # and corrects the surveys that follow complaints (policies below)
        f"GRANT UPDATE, DELETE ON {tables('survey', 'survey_score')} TO {support}",
        f"GRANT INSERT, UPDATE, DELETE ON {tables('survey_score')} TO {rep}, {manager}",
        # sales targets: set by managers, each rep reads their own
        f"GRANT INSERT, UPDATE, DELETE ON {tables('target')} TO {manager}",
        # closing a complaint with a good score opens the customer's referral moment
        f"GRANT UPDATE (referral_moment_on) ON {tables('customer')} TO {support}",
        f"GRANT INSERT, UPDATE, DELETE ON {customer_rows} TO {manager}",
        f"GRANT INSERT, UPDATE ON {tables('user')} TO {manager}",
        f"GRANT SELECT ON {tables('audit_log')} TO {manager}",
        f"GRANT UPDATE ON ALL SEQUENCES IN SCHEMA {s} TO {manager}",  # demo data sets them
    ]


# -- row-level security -------------------------------------------------------------------------

_ME = '(SELECT u.id FROM "user" u WHERE u.login = session_user AND u.active)'


def _policies(groups: dict[str, str]) -> list[str]:
    rep, support, manager = (ident(groups[g]) for g in GROUPS)
    statements: list[str] = []

    def policy(
        table: str, name: str, command: str, role: str, using: str | None, check: str | None
    ) -> None:
        text = f"CREATE POLICY {ident(name)} ON {ident(table)} FOR {command} TO {role}"
        if using is not None:
            text += f" USING ({using})"
        if check is not None:
            text += f" WITH CHECK ({check})"
        statements.append(f"DROP POLICY IF EXISTS {ident(name)} ON {ident(table)}")
        statements.append(text)

    def restricted(table: str) -> None:
        statements.append(f"ALTER TABLE {ident(table)} ENABLE ROW LEVEL SECURITY")

    own_customer = f"owner_id = {_ME}"
    restricted("customer")
    policy("customer", "crmtui_manager", "ALL", manager, "true", "true")
    policy("customer", "crmtui_support_read", "SELECT", support, "true", None)
    policy("customer", "crmtui_support_referral", "UPDATE", support, "true", "true")
    policy("customer", "crmtui_rep_own", "ALL", rep, own_customer, own_customer)

    for table in CUSTOMER_TABLES:
        own = (
            f"EXISTS (SELECT 1 FROM customer c WHERE c.id = {ident(table)}.customer_id "
            f"AND c.owner_id = {_ME})"
        )
        restricted(table)
        policy(table, "crmtui_manager", "ALL", manager, "true", "true")
        policy(table, "crmtui_rep_own", "ALL", rep, own, own)
        if table == "complaint":
            policy(table, "crmtui_support", "ALL", support, "true", "true")
        else:
            policy(table, "crmtui_support_read", "SELECT", support, "true", None)
        if table == "survey" or table in SUPPORT_HISTORY:
            policy(table, "crmtui_support_add", "INSERT", support, None, "true")
        if table == "survey":
            after_complaint = "complaint_id IS NOT NULL"
            policy(table, "crmtui_support_fix", "UPDATE", support, after_complaint, after_complaint)
            policy(table, "crmtui_support_remove", "DELETE", support, after_complaint, None)

    own_event = (
        f"EXISTS (SELECT 1 FROM complaint k JOIN customer c ON c.id = k.customer_id "
        f"WHERE k.id = complaint_event.complaint_id AND c.owner_id = {_ME})"
    )
    restricted("complaint_event")
    policy("complaint_event", "crmtui_manager", "ALL", manager, "true", "true")
    policy("complaint_event", "crmtui_support", "ALL", support, "true", "true")
    policy("complaint_event", "crmtui_rep_own", "ALL", rep, own_event, own_event)

    # a survey's scores on the team's own dimensions go with the survey
    own_score = (
        f"EXISTS (SELECT 1 FROM survey v JOIN customer c ON c.id = v.customer_id "
        f"WHERE v.id = survey_score.survey_id AND c.owner_id = {_ME})"
    )
    restricted("survey_score")
    policy("survey_score", "crmtui_manager", "ALL", manager, "true", "true")
    policy("survey_score", "crmtui_support_read", "SELECT", support, "true", None)
    policy("survey_score", "crmtui_support_add", "INSERT", support, None, "true")
    complaint_score = (
        "EXISTS (SELECT 1 FROM survey v WHERE v.id = survey_score.survey_id "
        "AND v.complaint_id IS NOT NULL)"
    )
    policy("survey_score", "crmtui_support_fix", "DELETE", support, complaint_score, None)
    policy("survey_score", "crmtui_rep_own", "ALL", rep, own_score, own_score)

    # targets: managers set everyone's; reps (and support) read their own
    own_target = f"user_id = {_ME}"
    restricted("target")
    policy("target", "crmtui_manager", "ALL", manager, "true", "true")
    policy("target", "crmtui_own_read", "SELECT", f"{rep}, {support}", own_target, None)

    # figures the database keeps (crmtui.db.figures), written by their triggers only: a rep
    # reads the rows of their own customers, and none of the team's pipeline
    for table in ("owed_day", "grade_tally", "lifecycle_tally", "due_tally"):
        restricted(table)
        policy(table, "crmtui_read", "SELECT", f"{manager}, {support}", "true", None)
        policy(table, "crmtui_rep_own", "SELECT", rep, f"owner_id = {_ME}", None)
    for table in (
        "pipeline_day",
        "stage_tally",
        "source_tally",
        "order_day",
        "buy_day",
        "revenue_tally",
    ):
        restricted(table)
        policy(table, "crmtui_read", "SELECT", f"{manager}, {support}", "true", None)
    # the orders each user booked: a rep reads their own (their target's orders)
    restricted("rep_order_day")
    policy("rep_order_day", "crmtui_read", "SELECT", f"{manager}, {support}", "true", None)
    policy("rep_order_day", "crmtui_rep_own", "SELECT", rep, f"by_id = {_ME}", None)
    # the interactions each user logged: a rep reads their own
    restricted("rep_interaction_day")
    policy("rep_interaction_day", "crmtui_read", "SELECT", f"{manager}, {support}", "true", None)
    policy("rep_interaction_day", "crmtui_rep_own", "SELECT", rep, f"by_id = {_ME}", None)

    # settings: everyone reads; each person writes their own "grades moved" day, and the
    # export id once; managers any setting
    mine = "key = 'grades_moved_on:' || session_user"
    restricted("setting")
    policy("setting", "crmtui_read", "SELECT", "PUBLIC", "true", None)
    policy("setting", "crmtui_manager", "ALL", manager, "true", "true")
    policy(
        "setting", "crmtui_own_insert", "INSERT", "PUBLIC", None, f"{mine} OR key = 'instance_id'"
    )
    policy("setting", "crmtui_own_update", "UPDATE", "PUBLIC", mine, mine)
    return statements


# -- functions and triggers ---------------------------------------------------------------------


def _functions(schema: str, owner: str, team: str, groups: dict[str, str]) -> list[str]:
    s = ident(schema)
    path = f"SET search_path = {s}, pg_catalog, pg_temp"
    manager = literal(groups["manager"])
    group_array = "ARRAY[" + ", ".join(literal(groups[g]) for g in GROUPS) + "]"
    all_groups = "ARRAY[" + ", ".join(literal(n) for n in (team, *groups.values())) + "]"
    me = 'SELECT id FROM "user" WHERE login = session_user'
    now = "date_trunc('second', now() AT TIME ZONE 'UTC')"
    app_actions = ", ".join(literal(a) for a in APP_ACTIONS)
    fn = f"{s}.{ident(SET_ROLE_FUNCTION)}"
    return [
        # -- people and their roles, with the owner's rights, for managers only
        f"""CREATE OR REPLACE FUNCTION {fn}(person text, crm_role text) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER {path} AS $body$
        DECLARE
            groups text[] := {group_array};
            wanted text;
            g text;
        BEGIN
            IF session_user <> {literal(owner)} AND NOT pg_has_role(session_user, {manager},
                                                                  'MEMBER') THEN
                RAISE EXCEPTION 'only a manager can change who may use this database'
                    USING ERRCODE = '42501';
            END IF;
            IF person = {literal(owner)} THEN
                RETURN;  -- the owner may do everything without a group
            END IF;
            IF person = ANY ({all_groups}) THEN
                RAISE EXCEPTION '% is one of the team''s group roles, not a person', person
                    USING ERRCODE = '22023';
            END IF;
            IF crm_role IS NOT NULL THEN
                wanted := groups[array_position(ARRAY['rep', 'support', 'manager'], crm_role)];
                IF wanted IS NULL THEN
                    RAISE EXCEPTION 'unknown role %', crm_role USING ERRCODE = '22023';
                END IF;
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = person) THEN
                    EXECUTE format('CREATE ROLE %I LOGIN', person);
                END IF;
            END IF;
            FOREACH g IN ARRAY groups LOOP
                IF g IS DISTINCT FROM wanted AND EXISTS (
                        SELECT 1 FROM pg_auth_members m
                        JOIN pg_roles gr ON gr.oid = m.roleid JOIN pg_roles p ON p.oid = m.member
                        WHERE gr.rolname = g AND p.rolname = person) THEN
                    EXECUTE format('REVOKE %I FROM %I', g, person);
                END IF;
            END LOOP;
            IF wanted IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM pg_auth_members m
                    JOIN pg_roles gr ON gr.oid = m.roleid JOIN pg_roles p ON p.oid = m.member
                    WHERE gr.rolname = wanted AND p.rolname = person) THEN
                EXECUTE format('GRANT %I TO %I', wanted, person);
            END IF;
        END
        $body$""",
        f"REVOKE ALL ON FUNCTION {fn}(text, text) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {fn}(text, text) TO {ident(groups['manager'])}",
        # -- the audit log: entries carry the session's user and the time; a session inserts
        # only the actions the application records itself, triggers the others
        f"""CREATE OR REPLACE FUNCTION {s}.crmtui_audit_stamp() RETURNS trigger
        LANGUAGE plpgsql {path} AS $body$
        BEGIN
            IF session_user = {literal(owner)} THEN
                RETURN NEW;
            END IF;
            IF pg_trigger_depth() = 1 AND NEW.action NOT IN ({app_actions}) THEN
                RAISE EXCEPTION 'the audit log records % by itself', NEW.action
                    USING ERRCODE = '42501';
            END IF;
            NEW.user_id := ({me});
            NEW.at := {now};
            NEW.hash := NULL;
            RETURN NEW;
        END
        $body$""",
        f"DROP TRIGGER IF EXISTS crmtui_audit_stamp ON {s}.audit_log",
        f"""CREATE TRIGGER crmtui_audit_stamp BEFORE INSERT ON {s}.audit_log
        FOR EACH ROW EXECUTE FUNCTION {s}.crmtui_audit_stamp()""",
        f"""CREATE OR REPLACE FUNCTION {s}.crmtui_audit_customer() RETURNS trigger
        LANGUAGE plpgsql {path} AS $body$
        DECLARE
            old_owner text;
            new_owner text;
        BEGIN
            IF TG_OP = 'DELETE' THEN
                SELECT login INTO old_owner FROM "user" WHERE id = OLD.owner_id;
                INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail)
                VALUES ({now}, ({me}), 'delete', 'customer', OLD.id,
                        format('%s (#%s) with %s interactions, %s orders and %s complaints; '
                               'owner %s', OLD.name, OLD.id,
                               (SELECT count(*) FROM interaction WHERE customer_id = OLD.id),
                               (SELECT count(*) FROM sales_order WHERE customer_id = OLD.id),
                               (SELECT count(*) FROM complaint WHERE customer_id = OLD.id),
                               old_owner));
                RETURN OLD;
            END IF;
            SELECT login INTO old_owner FROM "user" WHERE id = OLD.owner_id;
            SELECT login INTO new_owner FROM "user" WHERE id = NEW.owner_id;
            INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail)
            VALUES ({now}, ({me}), 'reassign', 'customer', NEW.id,
                    format('%s -> %s', old_owner, new_owner));
            RETURN NEW;
        END
        $body$""",
        f"DROP TRIGGER IF EXISTS crmtui_audit_delete ON {s}.customer",
        # before the deletion, while the customer's rows can still be counted
        f"""CREATE TRIGGER crmtui_audit_delete BEFORE DELETE ON {s}.customer
        FOR EACH ROW EXECUTE FUNCTION {s}.crmtui_audit_customer()""",
        f"DROP TRIGGER IF EXISTS crmtui_audit_reassign ON {s}.customer",
        f"""CREATE TRIGGER crmtui_audit_reassign AFTER UPDATE OF owner_id ON {s}.customer
        FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id)
        EXECUTE FUNCTION {s}.crmtui_audit_customer()""",
        f"""CREATE OR REPLACE FUNCTION {s}.crmtui_audit_user() RETURNS trigger
        LANGUAGE plpgsql {path} AS $body$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail)
                VALUES ({now}, ({me}), 'user', 'user', NEW.id,
                        format('added %s as %s', NEW.login, NEW.role));
                RETURN NEW;
            END IF;
            IF OLD.active AND NOT NEW.active THEN
                INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail)
                VALUES ({now}, ({me}), 'deactivate', 'user', NEW.id, NEW.login);
            ELSIF NEW.active AND NOT OLD.active THEN
                INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail)
                VALUES ({now}, ({me}), 'user', 'user', NEW.id,
                        format('reactivated %s as %s', NEW.login, NEW.role));
            ELSIF OLD.role IS DISTINCT FROM NEW.role THEN
                INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail)
                VALUES ({now}, ({me}), 'role', 'user', NEW.id,
                        format('%s: %s -> %s', NEW.login, OLD.role, NEW.role));
            END IF;
            RETURN NEW;
        END
        $body$""",
        f'DROP TRIGGER IF EXISTS crmtui_audit_user ON {s}."user"',
        f"""CREATE TRIGGER crmtui_audit_user AFTER INSERT OR UPDATE OF role, active
        ON {s}."user" FOR EACH ROW EXECUTE FUNCTION {s}.crmtui_audit_user()""",
    ]
