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

from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Any, TypeVar

from peewee import BaseQuery, ColumnBase, Model, SqliteDatabase, Value, fn

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


def by_id(model: type[_Record], number: int) -> _Record | None:
    """`model.get_or_none(model.id == number)`, from a statement written once."""
    sql = written_once(
        (model, "by id"), lambda: model.select().where(model._meta.primary_key == number), [number]
    )
    return next(iter(model.raw(sql, number)), None)
