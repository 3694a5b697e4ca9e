"""Service results as text, for the command line and the app alike (rich only: no textual, no
peewee, no database). Stored text always goes through `plain` (a `Text`, never markup, without
control characters), so it shows as it was typed wherever it is shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


class Memo(dict[_Key, _Value]):
    """Values worked out once per key, read as `memo[key]`: a long list repeats a few days,
    owners and spans, and a dict lookup costs less than a call (nothing is called once a key
    is known)."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[_Key], _Value]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: _Key) -> _Value:
        value = self[key] = self._make(key)
        return value
