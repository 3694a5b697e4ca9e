"""The rows of a `.tuples()` query, typed.

peewee's stubs type every row of a model query as an instance of the model, also after
`.tuples()`; a service names the row's shape here instead, e.g.
`tuples(User.select(User.id, User.login), tuple[int, str])`. The shape is for the checker only:
nothing is converted or checked at run time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar, cast

from peewee import SelectBase

Row = TypeVar("Row", bound=tuple[Any, ...])


def tuples(query: SelectBase, shape: type[Row]) -> Iterator[Row]:
    """The rows of `query` as tuples of the given shape."""
    return iter(cast("Iterable[Row]", query.tuples()))


def first_tuple(query: SelectBase, shape: type[Row]) -> Row | None:
    """The first row of `query` as a tuple of the given shape, or None when there is none."""
    return cast("Row | None", query.tuples().first())
