"""Fast inserts of many rows (demo data, benchmark data, imports) inside the caller's
transaction."""

from __future__ import annotations

import operator
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext

import peewee

from crmtui.db.figures import FIGURE_TABLES, TRIGGER_INDEXES, fill_figures
from crmtui.db.grade_days import (
    INSERT_TRIGGER as FIRST_DAYS_TRIGGER,
    TRIGGER_INDEX as GRADE_DAYS_INDEX,
)
from crmtui.db.models import database
from crmtui.db.search import FTS_TABLE, create_search_index, loading_settings
from crmtui.patterns import lazy_pattern

CHUNK = 5000
# Field classes whose db_value passes str and int through (subclasses that convert, such as
# MoneyField, have their own db_value and are not among them).
_PLAIN_FIELDS = (
    peewee.CharField,
    peewee.TextField,
    peewee.IntegerField,
    peewee.SmallIntegerField,
    peewee.AutoField,
    peewee.ForeignKeyField,
)
_PLAIN_DB_VALUES = {cls.db_value for cls in _PLAIN_FIELDS}
_PLAIN_TYPES: frozenset[type] = frozenset((str, int, type(None)))
_NO_TYPES: frozenset[type] = frozenset()

_WRITTEN_TABLE = lazy_pattern(r'(?:INTO|UPDATE|DELETE FROM) "(\w+)"')
"""The tables a trigger writes."""

Row = Sequence[object]
"""One row's values, in the order of the fields given with it."""
_Convert = Callable[[object], object]


def bulk_insert(
    model: type[peewee.Model],
    fields: Sequence[peewee.Field],
    rows: Iterable[Row],
    *,
    converted: bool = False,
) -> int:
    """Insert `rows` (values in the order of `fields`, converted by each field's db_value, or
    already converted with `db_values` when `converted`).

    One prepared statement for many rows: executemany on SQLite (several times faster than
    building an INSERT per chunk), multi-row VALUES pages on PostgreSQL.
    """
    fields, rows = _with_defaults(model, fields, rows, converted)
    if not converted:
        converters: list[_Convert] = [f.db_value for f in fields]
        passed = [
            _PLAIN_TYPES if type(f).db_value in _PLAIN_DB_VALUES else _NO_TYPES for f in fields
        ]  # the types each column takes as they are
        # Text, integer and key columns holding str, int or None go to the database as they
        # are: calling db_value on each of them is most of the cost of a wide insert.
        rows = (
            [
                v if type(v) in kept else convert(v)
                for convert, kept, v in zip(converters, passed, row, strict=True)
            ]
            for row in rows
        )
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    table = model._meta.table_name
    cursor = database.cursor()
    if isinstance(database.obj, peewee.SqliteDatabase):

        def send(batch: list[Row]) -> None:
            marks, values = _same_written_once(batch, len(fields))
            cursor.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', values)
    else:
        from psycopg2.extras import execute_values  # PostgreSQL only: no driver for SQLite

        sql = f'INSERT INTO "{table}" ({columns}) VALUES %s'

        def send(batch: list[Row]) -> None:
            execute_values(cursor, sql, batch, page_size=CHUNK // 5)

    count = 0
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            send(batch)
            count += len(batch)
            batch = []
    if batch:
        send(batch)
        count += len(batch)
    return count


SAME_FROM = 64
"""A batch of this many rows or more has its same values written into its statement."""
_LARGEST_INT = 2**63 - 1


def _same_written_once(batch: list[Row], width: int) -> tuple[str, list[Row]]:
    """The VALUES marks of a SQLite INSERT for `batch` and the rows to bind with it: in a large
    batch, a column holding the same NULL, integer or text in every row is written into the
    statement once instead of bound in each row. Binding is most of what the driver does for a
    wide insert, and an import's batch holds the same values in about half its columns (texts
    left empty, the owner, the moment, the defaults); the database stores the same values."""
    marks = ["?"] * width
    if len(batch) < SAME_FROM:
        return ", ".join(marks), batch
    varying = []
    for i, column in enumerate(zip(*batch, strict=True)):
        literal = _literal(column[0])
        if (
            literal is not None
            and column.count(column[0]) == len(column)
            and len(set(map(type, column))) == 1  # 1 == True == 1.0, stored apart
        ):
            marks[i] = literal
        else:
            varying.append(i)
    if len(varying) == width:
        return ", ".join(marks), batch
    if len(varying) > 1:
        values: list[Row] = list(map(operator.itemgetter(*varying), batch))
    elif varying:
        values = [(row[varying[0]],) for row in batch]
    else:
        values = [()] * len(batch)
    return ", ".join(marks), values


def _literal(value: object) -> str | None:
    """`value` as an SQL literal, if it is NULL, an integer or a text (None otherwise)."""
    if value is None:
        return "NULL"
    if type(value) is int and -_LARGEST_INT <= value <= _LARGEST_INT:
        return str(value)
    if type(value) is str and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    return None


def db_values(fields: Sequence[peewee.Field], values: Iterable[object]) -> tuple[object, ...]:
    """`values` as `bulk_insert` hands them to the database (each field's db_value, except str,
    int and None in plain columns): rows converted ahead, in worker processes say, then go
    through `bulk_insert` as they are."""
    return RowConverter(fields)(values)


class RowConverter:
    """`db_values` for many rows of the same fields, with what each field takes worked out
    once (an import converts 100,000 rows of 40 columns)."""

    def __init__(self, fields: Sequence[peewee.Field]) -> None:
        self.steps: list[tuple[bool, _Convert]] = [
            (type(f).db_value in _PLAIN_DB_VALUES, f.db_value) for f in fields
        ]
        self.width = len(fields)
        # Text, number and key columns hold str, int or None (nearly always): their values are
        # picked out and their types checked in C. The others (dates, flags, amounts) are
        # taken one by one.
        plain = [
            i
            for i, (field, (is_plain, _convert)) in enumerate(zip(fields, self.steps, strict=True))
            if is_plain and isinstance(field, _PLAIN_FIELDS)
        ]
        picked = set(plain)
        self.others = [
            (i, is_plain, convert)
            for i, (is_plain, convert) in enumerate(self.steps)
            if i not in picked
        ]
        self.pick_plain: Callable[[Sequence[object]], Iterable[object]] = (
            operator.itemgetter(*plain)
            if len(plain) >= 2
            else lambda row: [row[i] for i in plain]  # itemgetter of one gives no tuple
        )

    def __call__(self, values: Iterable[object]) -> tuple[object, ...]:
        row = list(values)
        if len(row) != self.width:
            raise ValueError(f"{len(row)} values for {self.width} fields")
        if not _PLAIN_TYPES.issuperset(map(type, self.pick_plain(row))):
            return self._slowly(row)
        for i, is_plain, convert in self.others:
            value = row[i]
            if not is_plain or type(value) not in _PLAIN_TYPES:
                row[i] = convert(value)
        return tuple(row)

    def _slowly(self, row: list[object]) -> tuple[object, ...]:
        return tuple(
            [
                v if plain and type(v) in _PLAIN_TYPES else convert(v)
                for (plain, convert), v in zip(self.steps, row, strict=True)
            ]
        )


def _with_defaults(
    model: type[peewee.Model], fields: Sequence[peewee.Field], rows: Iterable[Row], converted: bool
) -> tuple[list[peewee.Field], Iterable[Row]]:
    """Add the columns left out that have a Python-side default (peewee puts none in the DDL)."""
    extra, values = defaults_of(model, fields, converted=converted)
    if not extra:
        return list(fields), rows
    return [*fields, *extra], (tuple(row) + values for row in rows)


def defaults_of(
    model: type[peewee.Model], fields: Sequence[peewee.Field], *, converted: bool = True
) -> tuple[list[peewee.Field], tuple[object, ...]]:
    """The fields left out of `fields` that have a Python-side default, and their defaults
    (converted for the database): a caller building many rows adds them to each itself."""
    given = {f.name for f in fields}
    extra = [
        f
        for f in model._meta.sorted_fields
        if f.name not in given and f.default is not None and not f.primary_key
    ]
    values: tuple[object, ...] = tuple(
        f.default() if callable(f.default) else f.default for f in extra
    )
    if converted and extra:
        values = db_values(extra, values)
    return extra, values


def reserve_ids(model: type[peewee.Model], count: int) -> list[int]:
    """`count` new ids for rows the caller inserts with explicit ids in this transaction.

    SQLite: the ids after the largest, safe under the write lock of an IMMEDIATE transaction.
    PostgreSQL: taken from the table's sequence, so concurrent inserts never collide.
    """
    if count <= 0:
        return []
    table = model._meta.table_name
    if isinstance(database.obj, peewee.SqliteDatabase):
        start = (database.execute_sql(f'SELECT MAX(id) FROM "{table}"').fetchone()[0] or 0) + 1
        return list(range(start, start + count))
    cursor = database.execute_sql(
        f"SELECT nextval(pg_get_serial_sequence('\"{table}\"', 'id')) FROM generate_series(1, %s)",
        (count,),
    )
    return [row[0] for row in cursor.fetchall()]


def reset_sequences(models: Iterable[type[peewee.Model]]) -> None:
    """After inserting explicit ids on PostgreSQL, move each id sequence past the largest id."""
    if isinstance(database.obj, peewee.SqliteDatabase):
        return
    for model in models:
        table = model._meta.table_name
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)'
        )


@contextmanager
def deferred_indexes(
    models: Iterable[type[peewee.Model]],
    *,
    rebuild_search: bool = True,
    keep: Collection[str] = TRIGGER_INDEXES,
) -> Iterator[bool]:
    """Drop the secondary indexes of `models` (and SQLite's search triggers) while loading many
    rows, then build them once at the end (all but those in `keep`: by default the
    TRIGGER_INDEXES the triggers look up on every row): much faster than updating them row by
    row. Use inside
    the loading transaction so a failure leaves the schema as it was (both databases undo DDL
    with the transaction). Without `rebuild_search` the search index is not rebuilt: when the
    context gives True (the index's triggers were dropped), the caller indexes the search
    documents of the customers it inserts (`search.index_search_documents`). SQLite's search
    index takes its load settings meanwhile (`search.loading_settings`)."""
    tables = [m._meta.table_name for m in models]
    if not isinstance(database.obj, peewee.SqliteDatabase):
        saved = [index for index in _postgres_indexes(tables) if index[0] not in keep]
        for name, _sql in saved:
            database.execute_sql(f'DROP INDEX "{name}"')
        yield False
        for _name, sql in saved:
            database.execute_sql(sql)
        return
    marks = ", ".join("?" for _ in tables)
    saved = database.execute_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ({marks})",
        tables,
    ).fetchall()
    saved = [index for index in saved if index[0] not in keep]
    triggers = [
        name
        for (name,) in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'customer_fts_%'"
        )
    ]
    for name, _sql in saved:
        database.execute_sql(f'DROP INDEX "{name}"')
    for name in triggers:
        database.execute_sql(f'DROP TRIGGER "{name}"')
    with loading_settings(database.obj) if triggers else nullcontext():
        yield bool(triggers) and not rebuild_search
        for _name, sql in saved:
            database.execute_sql(sql)
        if triggers:
            create_search_index(database.obj)
            if rebuild_search:
                database.execute_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


@contextmanager
def deferred_insert_figures(model: type[peewee.Model]) -> Iterator[None]:
    """Set aside the triggers that add each row inserted into `model` to the kept figures, then
    put them back and recount the figure tables they add to, once, from the records: a load of
    many rows then counts them in one statement per table instead of an upsert per table and
    row (on PostgreSQL a demo of 20,000 customers took 66 s with them, 37 s without). Use
    inside the loading transaction (both databases undo the change with it), for a load larger
    than what is stored (the recount reads every row of the table). On PostgreSQL only tables
    the connected role owns: where the server enforces the team's roles, a user's load keeps
    the triggers."""
    table = model._meta.table_name
    sqlite = isinstance(database.obj, peewee.SqliteDatabase)
    triggers = [
        (name, body)
        for name, body in (
            _sqlite_insert_triggers(table) if sqlite else _postgres_insert_triggers(table)
        )
        # only a trigger whose every table can be counted again (a figure table)
        if set(_WRITTEN_TABLE.findall(body)) <= set(FIGURE_TABLES)
    ]
    with _set_aside(table, triggers):
        yield
    counted = [
        t for t in FIGURE_TABLES if any(t in _WRITTEN_TABLE.findall(body) for _n, body in triggers)
    ]
    if counted:
        fill_figures(database.obj, only=counted)


@contextmanager
def deferred_first_grade_days() -> Iterator[bool]:
    """Set aside the trigger that gives each grade change inserted the days of its customer's
    neighbouring changes, for a load whose every change is its new customer's first and only
    one (an import's): for such a row the trigger finds no other change and leaves its days
    NULL, as inserted, after an index look-up per row. Gives whether it was set aside, and then
    its index (grade_days.TRIGGER_INDEX) need not be kept while loading. Use inside the
    loading transaction (both databases undo the change with it); on PostgreSQL only when the
    connected role owns the table, as with the figures' triggers."""
    if isinstance(database.obj, peewee.SqliteDatabase):
        found = database.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name = ? "
            "AND tbl_name = 'grade_change'",
            (FIRST_DAYS_TRIGGER,),
        ).fetchall()
    else:
        found = database.execute_sql(
            "SELECT t.tgname, '' FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = 'grade_change' "
            "AND c.relnamespace = to_regnamespace(current_schema()) "
            "AND pg_has_role(current_user, c.relowner, 'USAGE') "
            "AND t.tgname = %s AND t.tgenabled = 'O'",
            (FIRST_DAYS_TRIGGER,),
        ).fetchall()
    with _set_aside("grade_change", found):
        yield bool(found)


@contextmanager
def _set_aside(table: str, triggers: list[tuple[str, str]]) -> Iterator[None]:
    """Without the (name, statement) triggers of `table` while the block runs: dropped and
    made again from their statement on SQLite, disabled and enabled again on PostgreSQL.
    Inside a transaction, which undoes both if the block fails."""
    sqlite = isinstance(database.obj, peewee.SqliteDatabase)
    for name, _statement in triggers:
        database.execute_sql(
            f'DROP TRIGGER "{name}"'
            if sqlite
            else f'ALTER TABLE "{table}" DISABLE TRIGGER "{name}"'
        )
    yield
    for name, statement in triggers:
        database.execute_sql(
            statement if sqlite else f'ALTER TABLE "{table}" ENABLE TRIGGER "{name}"'
        )


LOAD_KEEPS_WITHOUT_DAYS = TRIGGER_INDEXES - {GRADE_DAYS_INDEX}
"""The indexes a load keeps once `deferred_first_grade_days` has set its trigger aside."""


def _sqlite_insert_triggers(table: str) -> list[tuple[str, str]]:
    """(name, statement) of the figures' AFTER INSERT triggers on `table`."""
    found: list[tuple[str, str]] = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
        "AND name LIKE 'figures%' AND sql LIKE '% AFTER INSERT ON %'",
        (table,),
    ).fetchall()
    return found


# pg_trigger.tgtype's bits (PostgreSQL's catalog/pg_trigger.h)
_ROW, _INSERT, _INSTEAD = 1, 4, 64


def _postgres_insert_triggers(table: str) -> list[tuple[str, str]]:
    """(name, function body) of the figures' enabled row triggers on inserts into `table`, when
    the connected role owns it: AFTER ones, and BEFORE ones that leave the row as it is (no
    assignment in the body; buy_day reads the customer's other orders before the row is in)."""
    found: list[tuple[str, str]] = database.execute_sql(
        "SELECT t.tgname, p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
        "JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE c.relname = %s AND c.relnamespace = to_regnamespace(current_schema()) "
        "AND pg_has_role(current_user, c.relowner, 'USAGE') "
        "AND NOT t.tgisinternal AND t.tgenabled = 'O' AND t.tgname LIKE 'figures%%' "
        "AND t.tgtype & %s = %s AND p.prosrc NOT LIKE '%%:=%%'",
        (table, _ROW | _INSERT | _INSTEAD, _ROW | _INSERT),
    ).fetchall()
    return found


def _postgres_indexes(tables: list[str]) -> list[tuple[str, str]]:
    """(name, definition) of the tables' plain indexes in the current schema: not unique, not
    backing a constraint, on tables the connected role owns (where the server enforces the team's
    roles, a user's import leaves the indexes alone)."""
    if not tables:
        return []
    found: list[tuple[str, str]] = database.execute_sql(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
        "WHERE t.relname = ANY(%s) AND t.relnamespace = to_regnamespace(current_schema()) "
        "AND pg_has_role(current_user, t.relowner, 'USAGE') "
        "AND NOT x.indisunique AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        (tables,),
    ).fetchall()
    return found
