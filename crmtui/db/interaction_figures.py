"""The SQL of `rep_interaction_day`, the interactions each user logged per UTC day (the
follow-ups done of each rep side by side), kept by triggers on every write to an interaction
(crmtui.db.figures creates them); and PostgreSQL's indexes that give a customer's owner without
reading the customer's row and a period's survey scores (each rep's complaints and CSI). Each
builder writes the same statements for SQLite and PostgreSQL (`sqlite` picks the dialect)."""

from __future__ import annotations

REP_INTERACTION_DAY_COLUMNS = '"by_id", "on", "interactions"'


def _day(row: str, sqlite: bool) -> str:
    """The UTC day of the interaction `row` (its `at` is stored as UTC without a zone: on
    SQLite the text's first ten characters, so the day agrees with the text comparisons of
    the periods' edges)."""
    return f'substr({row}."at", 1, 10)' if sqlite else f'CAST({row}."at" AS DATE)'


def rep_interaction_day_from_scratch(sqlite: bool) -> tuple[str, str]:
    """The figure's columns, and the query counting them from the interactions."""
    day = _day("i", sqlite)
    return (
        REP_INTERACTION_DAY_COLUMNS,
        f'SELECT i."by_id", {day}, COUNT(*) FROM "interaction" i GROUP BY i."by_id", {day}',
    )


def _moved(sqlite: bool) -> str:
    return f'OLD."by_id" <> NEW."by_id" OR {_day("OLD", sqlite)} <> {_day("NEW", sqlite)}'


def _change(row: str, sign: str, sqlite: bool) -> str:
    """Count the interaction `row` in (sign '') or out (sign '-') on its user and day."""
    target = '"rep_interaction_day"' if sqlite else '"rep_interaction_day" AS t'
    current = "" if sqlite else "t."
    day = _day(row, sqlite)
    added = (
        f"INSERT INTO {target} ({REP_INTERACTION_DAY_COLUMNS}) "
        f'VALUES ({row}."by_id", {day}, {sign}1) ON CONFLICT ("on", "by_id") DO UPDATE '
        f'SET "interactions" = {current}"interactions" + excluded."interactions"; '
    )
    if not sign:
        return added
    return added + (
        f'DELETE FROM "rep_interaction_day" WHERE "by_id" = {row}."by_id" AND "on" = {day} '
        'AND "interactions" = 0; '
    )


def rep_interaction_day_sqlite() -> list[str]:
    name = "figures_rep_interaction_day"
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{name}_insert" AFTER INSERT ON "interaction" '
        f"BEGIN {_change('NEW', '', True)} END",
        f'CREATE TRIGGER IF NOT EXISTS "{name}_update" AFTER UPDATE ON "interaction" '
        f"WHEN {_moved(True)} BEGIN {_change('OLD', '-', True)} {_change('NEW', '', True)} END",
        f'CREATE TRIGGER IF NOT EXISTS "{name}_delete" AFTER DELETE ON "interaction" '
        f"BEGIN {_change('OLD', '-', True)} END",
    ]


def rep_interaction_day_postgres() -> tuple[str, list[tuple[str, str, str, str, str]]]:
    """The function's body, and the triggers (name, table, event, condition, function)."""
    name = "figures_rep_interaction_day"
    body = (
        f"IF TG_OP <> 'INSERT' THEN {_change('OLD', '-', False)} END IF; "
        f"IF TG_OP <> 'DELETE' THEN {_change('NEW', '', False)} END IF; "
    )
    return body, [
        (f"{name}_insert", "interaction", "AFTER INSERT", "", name),
        (f"{name}_update", "interaction", "AFTER UPDATE", f"WHEN ({_moved(False)})", name),
        (f"{name}_delete", "interaction", "AFTER DELETE", "", name),
    ]


OWNER_INDEXES = (
    'CREATE INDEX IF NOT EXISTS "customer_id_owner_id" ON "customer" ("id") INCLUDE ("owner_id")',
    'CREATE INDEX IF NOT EXISTS "survey_at_scores" ON "survey" ("at") '
    'INCLUDE ("customer_id", "product", "service", "responsiveness", "value", "overall")',
)
"""PostgreSQL: the owner of each customer a period's complaints and surveys name, read from an
index alone (the same size as the primary key's) where each was a read of the customer's row,
thousands of scattered pages of a million customers; and the period's surveys with their
scores from an index, where they were a scan of every survey."""
