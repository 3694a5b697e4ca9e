"""Statements written for each kind of database: the kept figures' and the grade changes'
triggers differ between SQLite and PostgreSQL (where they name the connection's schema)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import peewee


def run_dialect_ddl(
    db: peewee.Database,
    sqlite: Callable[[], Sequence[str]],
    postgres: Callable[[str], Sequence[str]],
) -> None:
    """Run the statements `sqlite()` writes on SQLite, or `postgres(schema)` elsewhere."""
    if isinstance(db, peewee.SqliteDatabase):
        statements = sqlite()
    else:
        schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
        statements = postgres(schema)
    for statement in statements:
        db.execute_sql(statement)
