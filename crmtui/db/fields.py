"""Column types that keep the spec's promises: money as exact Decimal, timestamps in UTC."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar, overload

from peewee import BigIntegerField, DateField, DateTimeField, ForeignKeyField

_CENT = Decimal("0.01")

_Value = TypeVar("_Value")
# peewee's stubs make each field generic in the value a row holds (`Field[_V]`), its classes at
# run time are not: these bases take the value's type for the type checker only.
if TYPE_CHECKING:
    from peewee import (
        BigIntegerField as _BigIntegerField,
        DateField as _DateField,
        DateTimeField as _DateTimeField,
    )
else:

    class _BigIntegerField(BigIntegerField, Generic[_Value]):
        pass

    class _DateField(DateField, Generic[_Value]):
        pass

    class _DateTimeField(DateTimeField, Generic[_Value]):
        pass


class MoneyField(_BigIntegerField[_Value]):
    """Decimal amounts stored as integer cents, so sums in SQL stay exact on every backend."""

    if TYPE_CHECKING:  # a row holds a Decimal, or None where the column is nullable

        @overload
        def __new__(
            cls, *args: Any, null: Literal[True], **kwargs: Any
        ) -> MoneyField[Decimal | None]: ...
        @overload
        def __new__(
            cls, *args: Any, null: Literal[False] = ..., **kwargs: Any
        ) -> MoneyField[Decimal]: ...
        def __new__(cls, *args: Any, **kwargs: Any) -> Any: ...

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


class IsoDateField(_DateField[_Value]):
    """A calendar day, read from its ISO text directly: peewee's general path tries strptime
    formats in turn, which dominates a due list reading four dates per customer."""

    if TYPE_CHECKING:  # a row holds a date, or None where the column is nullable

        @overload
        def __new__(
            cls, *args: Any, null: Literal[True], **kwargs: Any
        ) -> IsoDateField[date | None]: ...
        @overload
        def __new__(
            cls, *args: Any, null: Literal[False] = ..., **kwargs: Any
        ) -> IsoDateField[date]: ...
        def __new__(cls, *args: Any, **kwargs: Any) -> Any: ...

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


class UtcDateTimeField(_DateTimeField[_Value]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC to second precision.

    A fixed format keeps the text order of SQLite timestamps the same as their time order.
    """

    if TYPE_CHECKING:  # a row holds an aware datetime, or None where the column is nullable

        @overload
        def __new__(
            cls, *args: Any, null: Literal[True], **kwargs: Any
        ) -> UtcDateTimeField[datetime | None]: ...
        @overload
        def __new__(
            cls, *args: Any, null: Literal[False] = ..., **kwargs: Any
        ) -> UtcDateTimeField[datetime]: ...
        def __new__(cls, *args: Any, **kwargs: Any) -> Any: ...

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
