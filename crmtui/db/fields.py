"""Column types that keep the spec's promises: money as exact Decimal, timestamps in UTC."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol, TypeVar, overload

from peewee import BigIntegerField, DateField, DateTimeField, ForeignKeyField

_CENT = Decimal("0.01")


class MoneyField(BigIntegerField):
    """Decimal amounts stored as integer cents, so sums in SQL stay exact on every backend."""

    @overload
    def db_value(self, value: Decimal | int | str) -> int: ...
    @overload
    def db_value(self, value: None) -> None: ...
    def db_value(self, value: Decimal | int | str | None) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @overload
    def python_value(self, value: Decimal | int | str) -> Decimal: ...
    @overload
    def python_value(self, value: None) -> None: ...
    def python_value(self, value: Decimal | int | str | None) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(_CENT)


class IsoDateField(DateField):
    """A calendar day, read from its ISO text directly: peewee's general path tries strptime
    formats in turn, which dominates a due list reading four dates per customer."""

    @overload
    def python_value(self, value: date | str) -> date: ...
    @overload
    def python_value(self, value: None) -> None: ...
    def python_value(self, value: date | str | None) -> date | None:
        if isinstance(value, str) and len(value) == 10:
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        # peewee's general path (stubs leave it untyped): other formats, or the value as read
        found: date | None = super().python_value(value)  # type: ignore[no-untyped-call]
        return found


class UtcDateTimeField(DateTimeField):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC to second precision.

    A fixed format keeps the text order of SQLite timestamps the same as their time order.
    """

    @overload
    def db_value(self, value: datetime | str) -> str: ...
    @overload
    def db_value(self, value: None) -> None: ...
    def db_value(self, value: datetime | str | None) -> str | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                value = value.astimezone(timezone.utc).replace(tzinfo=None)
            return value.isoformat(" ", "seconds")  # as strftime's format, at a quarter of the cost
        return value

    @overload
    def python_value(self, value: datetime | str) -> datetime: ...
    @overload
    def python_value(self, value: None) -> None: ...
    def python_value(self, value: datetime | str | None) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str) and len(value) == 19:
            # The format db_value writes: parsed directly, several times faster than peewee's
            # general path, which matters when a list reads thousands of timestamps.
            try:
                return datetime.fromisoformat(value + "+00:00")
            except ValueError:
                pass
        # peewee's general path (stubs leave it untyped): other formats, or the value as read
        found: datetime | None = super().python_value(value)  # type: ignore[no-untyped-call]
        if isinstance(found, datetime) and found.tzinfo is None:
            found = found.replace(tzinfo=timezone.utc)
        return found


_Id = TypeVar("_Id")


class ForeignKeyId(Protocol[_Id]):
    """The `<name>_id` accessor peewee adds beside each foreign key, for the type checker:
    declared as `customer_id: ForeignKeyId[int]` on the model (an annotation only, so peewee's
    own accessor stays in place). On a row it reads the key's value without loading the related
    row; on the model it is the foreign key field, for queries."""

    @overload
    def __get__(self, row: None, model: type[Any]) -> ForeignKeyField[Any]: ...
    @overload
    def __get__(self, row: object, model: type[Any]) -> _Id: ...
    def __set__(self, row: object, value: _Id) -> None: ...
