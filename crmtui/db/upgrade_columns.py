"""What several upgrade steps do alike: add the columns a table lacks, with defaults the
database fills into existing rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import peewee
from peewee import SQL, CharField, TextField
from playhouse.migrate import SchemaMigrator


def text_column(default: str = "", length: int | None = None) -> peewee.Field:
    """A text column whose default the database itself writes into the rows already stored."""
    constraints: list[peewee.Node] = [SQL(f"DEFAULT '{default}'")]
    if length is None:
        return TextField(default=default, constraints=constraints)
    return CharField(max_length=length, default=default, constraints=constraints)


def missing_columns(
    db: peewee.Database,
    migrator: SchemaMigrator,
    columns: Mapping[str, Iterable[tuple[str, peewee.Field]]],
) -> list[Any]:
    """The operations adding each wanted column its table does not have yet (a step interrupted
    before its version was recorded runs again)."""
    operations: list[Any] = []
    for table, wanted in columns.items():
        have = {column.name for column in db.get_columns(table)}
        operations += [
            migrator.alter_add_column(table, name, field, allow_not_null=True)
            for name, field in wanted
            if name not in have
        ]
    return operations
