"""Each grade change knows the days of its customer's neighbouring changes (`prev_on`, `next_on`),
kept by triggers on every write, so the dashboard's movement tells a customer with one change in
the period from one with several without grouping the period's changes by customer (on a million
customers, grouping 180,000 changes took most of the dashboard's movement time).

`prev_on` is the latest day among the customer's other changes on or before the change's day,
`next_on` the earliest on or after it (NULL when there is none): another change on the same day
counts both ways. A change is then its customer's only one in the days from S to E exactly when
`prev_on` is before S (or NULL) and `next_on` after E (or NULL).
"""

from __future__ import annotations

import peewee

from crmtui.db.dialect_ddl import run_dialect_ddl

TABLE = '"grade_change"'

_PREV = (
    'SELECT MAX(o."on") FROM "grade_change" o WHERE o."customer_id" = {row}."customer_id" '
    'AND o."id" <> {row}."id" AND o."on" <= {row}."on"'
)
_NEXT = (
    'SELECT MIN(o."on") FROM "grade_change" o WHERE o."customer_id" = {row}."customer_id" '
    'AND o."id" <> {row}."id" AND o."on" >= {row}."on"'
)

TRIGGER_INDEX = "grade_change_customer_id_at"
"""The index the triggers look a customer's changes up by: a bulk load keeps it."""

INSERT_TRIGGER = "grade_days_insert"
"""The trigger (and on PostgreSQL its function) giving an inserted change its neighbours' days:
a load of first changes sets it aside (bulk.deferred_first_grade_days)."""

_SAME_DAY_TWICE = 'COUNT(*) OVER (PARTITION BY "customer_id", "on") > 1'
FROM_SCRATCH = (
    'SELECT "id", '
    f'CASE WHEN {_SAME_DAY_TWICE} THEN "on" '
    'ELSE LAG("on") OVER (PARTITION BY "customer_id" ORDER BY "on") END AS "prev_on", '
    f'CASE WHEN {_SAME_DAY_TWICE} THEN "on" '
    'ELSE LEAD("on") OVER (PARTITION BY "customer_id" ORDER BY "on") END AS "next_on" '
    'FROM "grade_change"'
)
"""Every change's neighbouring days worked out from the changes, in one pass."""


def _neighbours_of(row: str) -> str:
    """Set the change `row`'s own neighbouring days (a statement: the row is in the table)."""
    return (
        f'UPDATE {TABLE} SET "prev_on" = ({_PREV.format(row=TABLE)}), '
        f'"next_on" = ({_NEXT.format(row=TABLE)}) WHERE "id" = {row}."id"; '
    )


def _arrived(row: str) -> str:
    """The customer's other changes take the change `row`'s day as a neighbour where it is
    nearer than theirs."""
    return (
        f'UPDATE {TABLE} SET "next_on" = {row}."on" WHERE "customer_id" = {row}."customer_id" '
        f'AND "id" <> {row}."id" AND "on" <= {row}."on" '
        f'AND ("next_on" IS NULL OR "next_on" > {row}."on"); '
        f'UPDATE {TABLE} SET "prev_on" = {row}."on" WHERE "customer_id" = {row}."customer_id" '
        f'AND "id" <> {row}."id" AND "on" >= {row}."on" '
        f'AND ("prev_on" IS NULL OR "prev_on" < {row}."on"); '
    )


def _left(row: str) -> str:
    """The customer's changes that had the change `row`'s day as a neighbour look again (the
    row has gone, or moved)."""
    return (
        f'UPDATE {TABLE} SET "next_on" = ({_NEXT.format(row=TABLE)}) '
        f'WHERE "customer_id" = {row}."customer_id" AND "next_on" = {row}."on"; '
        f'UPDATE {TABLE} SET "prev_on" = ({_PREV.format(row=TABLE)}) '
        f'WHERE "customer_id" = {row}."customer_id" AND "prev_on" = {row}."on"; '
    )


_MOVED = 'OLD."customer_id" <> NEW."customer_id" OR OLD."on" <> NEW."on"'


_OTHERS = 'EXISTS (SELECT 1 FROM "grade_change" o WHERE o."customer_id" = NEW."customer_id"{also})'
"""The customer has other changes: a customer's first change (every row of an import of new
customers) has no neighbours, and its days stay NULL without another look."""


def _sqlite_ddl() -> list[str]:
    others = _OTHERS.format(also=' AND o."id" <> NEW."id"')
    given = 'NEW."prev_on" IS NOT NULL OR NEW."next_on" IS NOT NULL'  # set right, or cleared
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{INSERT_TRIGGER}" AFTER INSERT ON "grade_change" '
        f"WHEN {others} OR {given} BEGIN {_neighbours_of('NEW')}{_arrived('NEW')}END",
        'CREATE TRIGGER IF NOT EXISTS "grade_days_update" '
        'AFTER UPDATE OF "customer_id", "on" ON "grade_change" '
        f"WHEN {_MOVED} BEGIN {_left('OLD')}{_neighbours_of('NEW')}{_arrived('NEW')}END",
        'CREATE TRIGGER IF NOT EXISTS "grade_days_delete" AFTER DELETE ON "grade_change" '
        f"BEGIN {_left('OLD')}END",
    ]


def _postgres_ddl(schema: str) -> list[str]:
    path = f'SET search_path = "{schema}", pg_catalog, pg_temp'

    # SECURITY DEFINER: in team mode a rep's change keeps the days of changes they cannot see
    def function(name: str, body: str, result: str) -> str:
        return (
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
            f"SECURITY DEFINER {path} AS $body$ BEGIN {body} RETURN {result}; END $body$"
        )

    # before the insert, the row's own days are set on the row itself: no second version of it
    own = (
        f"IF {_OTHERS.format(also='')} THEN "
        f'NEW."prev_on" := ({_PREV.format(row="NEW")}); '
        f'NEW."next_on" := ({_NEXT.format(row="NEW")}); '
        f"{_arrived('NEW')}"
        'ELSE NEW."prev_on" := NULL; NEW."next_on" := NULL; '
        "END IF; "
    )
    triggers = [
        (INSERT_TRIGGER, "BEFORE INSERT", "", INSERT_TRIGGER),
        (
            "grade_days_update",
            'AFTER UPDATE OF "customer_id", "on"',
            f"WHEN ({_MOVED})",
            "grade_days_update",
        ),
        ("grade_days_delete", "AFTER DELETE", "", "grade_days_delete"),
    ]
    statements = [
        function(INSERT_TRIGGER, own, "NEW"),
        function(
            "grade_days_update", _left("OLD") + _neighbours_of("NEW") + _arrived("NEW"), "NULL"
        ),
        function("grade_days_delete", _left("OLD"), "NULL"),
    ]
    for name, event, when, call in triggers:
        statements.append(f'DROP TRIGGER IF EXISTS "{name}" ON "grade_change"')
        statements.append(
            f'CREATE TRIGGER "{name}" {event} ON "grade_change" FOR EACH ROW {when} '
            f"EXECUTE FUNCTION {call}()"
        )
    return statements


def create_grade_days(db: peewee.Database) -> None:
    """The triggers that keep the neighbouring days (idempotent)."""
    run_dialect_ddl(db, _sqlite_ddl, _postgres_ddl)


def _differs(row: str, sqlite: bool) -> str:
    """The change `row` holds other days than the worked-out ones `s`."""
    distinct = "IS NOT" if sqlite else "IS DISTINCT FROM"
    return f'({row}."prev_on" {distinct} s."prev_on" OR {row}."next_on" {distinct} s."next_on")'


def fill_grade_days(db: peewee.Database) -> None:
    """Set every change's neighbouring days from the changes, set-based."""
    sqlite = isinstance(db, peewee.SqliteDatabase)
    target = TABLE if sqlite else f"{TABLE} AS g"
    current = TABLE if sqlite else "g"
    db.execute_sql(
        f'UPDATE {target} SET "prev_on" = s."prev_on", "next_on" = s."next_on" '
        f'FROM ({FROM_SCRATCH}) AS s WHERE s."id" = {current}."id" AND {_differs(current, sqlite)}'
    )


def grade_days_out_of_step(db: peewee.Database) -> int:
    """How many changes hold other neighbouring days than the changes give: 0 when the
    triggers kept them right."""
    sqlite = isinstance(db, peewee.SqliteDatabase)
    query = (
        f'SELECT COUNT(*) FROM {TABLE} g JOIN ({FROM_SCRATCH}) AS s ON s."id" = g."id" '
        f"WHERE {_differs('g', sqlite)}"
    )
    return int(db.execute_sql(query).fetchone()[0])


__all__ = [
    "FROM_SCRATCH",
    "INSERT_TRIGGER",
    "TRIGGER_INDEX",
    "create_grade_days",
    "fill_grade_days",
    "grade_days_out_of_step",
]
