"""Schema versions. A new database gets the latest schema at once; an older file is upgraded one
version at a time after a backup copy (the steps: crmtui.db.upgrade_steps); a file from a newer
crmtui is refused."""

from __future__ import annotations

import peewee

from crmtui.db.backups import backup_sqlite
from crmtui.db.connection import Store, corrupt_error, schema_transaction
from crmtui.db.figures import create_figures
from crmtui.db.grade_days import create_grade_days
from crmtui.db.models import (
    CAUGHT_UP,
    MODELS,
    RESCHEDULE_ALL,
    REVENUE_COUNTED,
    TERMINATED_BY_STATUS,
    SchemaVersion,
    database,
)
from crmtui.db.search import FTS_TABLE, create_search_index
from crmtui.db.team import apply_team_mode
from crmtui.errors import StorageError
from crmtui.i18n import _

LATEST_VERSION = 30
"""The schema this crmtui writes; crmtui.db.upgrade_steps.MIGRATIONS has a step for each version
after the first, up to this one."""


def schema_version(db: peewee.Database) -> int | None:
    """The stored version; None for an empty database."""
    tables = set(db.get_tables())
    if not tables:
        return None
    if "schema_version" not in tables:
        raise StorageError(
            _("{database} is not a crmtui database (it holds other tables: {tables})").format(
                database=db.database, tables=", ".join(sorted(tables)[:4])
            )
        )
    row = SchemaVersion.select().first()
    if row is None:
        raise StorageError(
            _("{database} has no schema version; it was not made by crmtui").format(
                database=db.database
            )
        )
    return int(row.version)


def ensure_schema(store: Store, *, migrate: bool = True) -> None:
    """Create, check or upgrade the schema of an open store."""
    db = store.db
    try:
        version = schema_version(db)
    except peewee.DatabaseError as error:
        if store.path is not None:
            raise corrupt_error(store.path, error) from None
        raise StorageError(
            _("cannot read {target}: {error}").format(target=store.target, error=error)
        ) from None
    if version is None:
        if store.readonly:
            raise StorageError(
                _("{target} is empty and read-only; nothing to show").format(target=store.target)
            )
        _create_latest(db)
        return
    if version > LATEST_VERSION:
        raise StorageError(
            _(
                "{target} was written by a newer crmtui (schema {version}; this crmtui knows up to "
                "{latest}); upgrade crmtui to open it"
            ).format(target=store.target, version=version, latest=LATEST_VERSION)
        )
    if version < LATEST_VERSION:
        team = store.team
        if team is not None and not team.is_owner:
            raise StorageError(
                _(
                    "{target} uses schema {version} and needs an upgrade to {latest}; the "
                    "database owner ({owner}) runs `crmtui db migrate`"
                ).format(
                    target=store.target, version=version, latest=LATEST_VERSION, owner=team.owner
                )
            )
        if store.readonly or not migrate:
            raise StorageError(
                _(
                    "{target} uses schema {version} and needs an upgrade to {latest}; run "
                    "`crmtui db migrate` with write access"
                ).format(target=store.target, version=version, latest=LATEST_VERSION)
            )
        upgrade(store, version)


def _create_latest(db: peewee.Database) -> None:
    with schema_transaction():
        if schema_version(db) is not None:  # another process created it meanwhile
            return
        db.create_tables(MODELS)
        create_search_index(db)
        create_figures(db)
        create_grade_days(db)
        SchemaVersion.create(version=LATEST_VERSION)


def upgrade(store: Store, version: int) -> None:
    """Back up, then apply each step in one transaction per version."""
    from crmtui.db.upgrade_steps import MIGRATIONS  # an upgrade only: off every start

    if store.path is not None and isinstance(store.db, peewee.SqliteDatabase):
        backup = backup_sqlite(store.db, store.path, label=f"schema{version}")
        store.notices.append(
            _(
                "upgraded the database from schema {version} to {latest}; the previous file is "
                "kept at {backup}"
            ).format(version=version, latest=LATEST_VERSION, backup=backup)
        )
    for target in range(version + 1, LATEST_VERSION + 1):
        with schema_transaction():
            current = SchemaVersion.get().version
            if current >= target:  # another process upgraded it meanwhile
                continue
            MIGRATIONS[target](store.db)
            SchemaVersion.update(version=target).execute()
            if store.team is not None:  # new tables get grants and policies
                apply_team_mode(store.db)


__all__ = [
    "LATEST_VERSION",
    "ensure_schema",
    "schema_version",
    "upgrade",
    # the settings and stored words upgrades write, as callers reach them from here
    "CAUGHT_UP",
    "RESCHEDULE_ALL",
    "REVENUE_COUNTED",
    "TERMINATED_BY_STATUS",
    "FTS_TABLE",
    "database",
]
