"""Reading rows: plain rows with their types known to the type checker, and a record by id from
a statement written once.

peewee's stubs type the rows of `.tuples()` as model instances; `tuple_rows` names the row's
types once, where the query is read, instead of a `cast` at every caller.

peewee writes a query's SQL anew each time it runs, and for a wide table's whole row that costs
more than running it (a customer: about 0.6 ms to write, 0.2 ms to run). The reads that every
logged contact and every write make keep their SQL, written once per kind of database (the
placeholders and quoting differ).
"""

from __future__ import annotations

import itertools
import re
import weakref
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from peewee import BaseQuery, ColumnBase, Field, Model, SqliteDatabase, Value, fn

from crmtui.db.models.base import database

_Row = TypeVar("_Row", bound=tuple[Any, ...])
_Record = TypeVar("_Record", bound=Model)


def tuple_rows(query: BaseQuery, row: type[_Row]) -> Iterator[_Row]:
    """The rows of `query` as tuples of the types `row` names, in the order selected:
    `tuple_rows(User.select(User.id, User.login), tuple[int, str])`.

    The types are the caller's word, not checked at run time: a nullable column, a sum over no
    rows or an uncoerced aggregate needs `| None` or the raw type it reads.
    """
    # one pass, so the rows need not be kept: .iterator() reads them without peewee's cache
    rows: Iterator[_Row] = query.tuples().iterator()
    return rows


def among(column: ColumnBase, ids: list[int]) -> ColumnBase:
    """`column` is one of `ids`: on PostgreSQL one array parameter (the IN list the server would
    make of it), not one parameter each, which peewee takes a few microseconds to write for each
    of a team's hundreds of reps."""
    if isinstance(database.obj, SqliteDatabase):
        return column.in_(ids)
    return column == fn.ANY(Value(ids, unpack=False))


_WRITTEN: dict[tuple[type, Hashable], str] = {}


def written_once(key: Hashable, build: Callable[[], BaseQuery], params: Sequence[object]) -> str:
    """The SQL of the query `build` makes, written the first time for this kind of database; the
    caller runs it with `params`, the values as the database takes them, in the order peewee
    puts them (checked against `build`'s own when the SQL is written)."""
    kind = (type(database.obj), key)
    sql = _WRITTEN.get(kind)
    if sql is None:
        sql, built = build().sql()
        if list(built) != list(params):
            raise ValueError(f"{key!r}: the query takes {built!r}, not {params!r}")
        _WRITTEN[kind] = sql
    return sql


_PREPARED: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()
"""Per PostgreSQL connection: the name each statement was prepared under."""

_MARKS = re.compile(r"%s|%%")


def prepared_once(key: Hashable, build: Callable[[], BaseQuery], params: Sequence[object]) -> str:
    """`written_once`'s statement, to run with `params`: on PostgreSQL one the connection
    prepared (`prepared`)."""
    sql = written_once(key, build, params)
    return sql if isinstance(database.obj, SqliteDatabase) else prepared(sql, len(params))


def prepared(sql: str, count: int) -> str:
    """PostgreSQL: the statement `sql` (with `count` %s marks) prepared once by the connection,
    as an EXECUTE to run with the same values: the server parses and plans it once per
    connection, not on every call (a customer's whole row took 0.1-0.2 ms to parse and plan).
    For the statements every logged contact makes, whose values' types their columns give (or
    casts) and whose one plan suits them all; a pooler in front must keep each session to one
    client (PgBouncer's session mode)."""
    names = _PREPARED.setdefault(database.connection(), {})
    name = names.get(sql)
    if name is None:
        name = f"crmtui_{len(names)}"
        numbers = itertools.count(1)
        # each %s numbered; %% stays for the driver, which reads the statement as a format
        text = _MARKS.sub(lambda mark: mark[0] if mark[0] == "%%" else f"${next(numbers)}", sql)
        database.execute_sql(f"PREPARE {name} AS {text}")
        names[sql] = name
    return f"EXECUTE {name}({', '.join(['%s'] * count)})" if count else f"EXECUTE {name}"


def insert_record(record: Model) -> None:
    """`record.save(force_insert=True)` for a new record with an automatic id, from a statement
    written once for the fields it holds: its id is set from the database's."""
    model = type(record)
    primary_key: Field = model._meta.primary_key  # type: ignore[assignment]  # never False here
    data = {name: value for name, value in record.__data__.items() if name != primary_key.name}
    fields = [model._meta.fields[name] for name in data]
    params = [field.db_value(value) for field, value in zip(fields, data.values(), strict=True)]
    sqlite = isinstance(database.obj, SqliteDatabase)

    def build() -> BaseQuery:
        query = model.insert_many([tuple(data.values())], fields=fields)
        return query if sqlite else query.returning(primary_key)

    cursor = database.execute_sql(prepared_once((model, "insert", *data), build, params), params)
    setattr(record, primary_key.name, cursor.lastrowid if sqlite else cursor.fetchone()[0])
    _saved(record, [primary_key.name, *data])


def update_record(record: Model, fields: Sequence[Field]) -> None:
    """`record.save(only=fields)` for a record that has an id, from a statement written once for
    these fields (a caller passes them in a stable order, such as `record.dirty_fields`)."""
    model = type(record)
    primary_key: Field = model._meta.primary_key  # type: ignore[assignment]  # never False here
    number = record.get_id()
    values = {field: record.__data__.get(field.name) for field in fields}
    params = [field.db_value(value) for field, value in values.items()]
    params.append(primary_key.db_value(number))
    sql = prepared_once(
        (model, "update", *(field.name for field in fields)),
        lambda: model.update(values).where(primary_key == number),
        params,
    )
    database.execute_sql(sql, params)
    _saved(record, [field.name for field in fields])


def _saved(record: Model, names: Iterable[str]) -> None:
    """No longer dirty, as `save` leaves what it wrote."""
    dirty: set[str] = record._dirty  # type: ignore[attr-defined]  # peewee's, not in its stubs
    dirty.difference_update(names)


def by_id(model: type[_Record], number: int) -> _Record | None:
    """`model.get_or_none(model.id == number)`, from a statement written (and prepared) once."""
    sql = prepared_once(
        (model, "by id"), lambda: model.select().where(model._meta.primary_key == number), [number]
    )
    return next(iter(model.raw(sql, number)), None)
