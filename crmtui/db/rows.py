"""Reading plain rows with their types known to the type checker.

peewee's stubs type the rows of `.tuples()` as model instances; `tuple_rows` names the row's
types once, where the query is read, instead of a `cast` at every caller.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

from peewee import BaseQuery

_Row = TypeVar("_Row", bound=tuple[Any, ...])


def tuple_rows(query: BaseQuery, row: type[_Row]) -> Iterator[_Row]:
    """The rows of `query` as tuples of the types `row` names, in the order selected:
    `tuple_rows(User.select(User.id, User.login), tuple[int, str])`.

    The types are the caller's word, not checked at run time: a nullable column, a sum over no
    rows or an uncoerced aggregate needs `| None` or the raw type it reads.
    """
    # one pass, so the rows need not be kept: .iterator() reads them without peewee's cache
    rows: Iterator[_Row] = query.tuples().iterator()
    return rows
