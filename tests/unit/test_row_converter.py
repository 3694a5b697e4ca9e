"""Rows converted for the database in bulk are converted as field by field."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from crmtui.db import Customer
from crmtui.db.bulk import RowConverter
from crmtui.services.transfer.checking import ROW_COLUMNS

FIELDS = [Customer._meta.fields[name] for name in ROW_COLUMNS]
_values = st.one_of(
    st.none(),
    st.text(max_size=5),
    st.integers(-5, 5),
    st.booleans(),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1)),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1)).map(
        lambda moment: moment.replace(tzinfo=timezone.utc)
    ),
    st.decimals(min_value=0, max_value=10**6, places=2),
)


def _one_by_one(values) -> tuple:
    """What bulk_insert hands the database for each value: str, int and None as they are in
    columns that take them so, anything else through the field's db_value."""
    plain = RowConverter(FIELDS).steps
    return tuple(v if is_plain and type(v) in (str, int, type(None)) else field.db_value(v)
                 for (is_plain, _c), field, v in zip(plain, FIELDS, values, strict=True))


def _typical(draw_values: list) -> list:
    """A row as an import makes it: each column's own kind of value, or None."""
    row = []
    for field, value in zip(FIELDS, draw_values, strict=True):
        kind = type(field).__name__
        if value is None:
            row.append(None)
        elif "Date" in kind and "Time" not in kind:
            row.append(date(2026, 1, 1 + len(str(value)) % 28))
        elif "Money" in kind or "Decimal" in kind:
            row.append(Decimal(len(str(value))) / 4)
        elif "Boolean" in kind:
            row.append(bool(len(str(value)) % 2))
        elif "Integer" in kind or "ForeignKey" in kind:
            row.append(len(str(value)))
        else:
            row.append(str(value))
    return row


@settings(max_examples=300, deadline=None)
@given(st.lists(_values, min_size=len(FIELDS), max_size=len(FIELDS)))
def test_any_values_convert_as_one_by_one(values):
    assert _outcome(RowConverter(FIELDS), values) == _outcome(_one_by_one, values)


def _outcome(convert, values) -> tuple:
    """The converted row, or the kind of error converting it raised (a date in a money column)."""
    try:
        return ("row", convert(values))
    except (TypeError, ValueError, ArithmeticError) as error:
        return ("error", type(error))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=3)), min_size=len(FIELDS),
                max_size=len(FIELDS)))
def test_rows_as_an_import_makes_them_convert_as_one_by_one(values):
    row = _typical(values)
    converter = RowConverter(FIELDS)
    converter._slowly = None  # such rows take the quick way (a text column's types in C)
    assert converter(row) == _one_by_one(row)


def test_a_row_of_another_width_is_refused():
    import pytest

    with pytest.raises(ValueError):
        RowConverter(FIELDS)([None] * (len(FIELDS) - 1))
    for fields in (FIELDS[:1], FIELDS[-1:], [Customer.name, Customer.next_due]):
        row = ["x" if f is Customer.name else None for f in fields]
        assert RowConverter(fields)(row) == _one_by_one_of(fields, row)


def _one_by_one_of(fields, values) -> tuple:
    return tuple(field.db_value(v) if type(v) not in (str, int, type(None)) or not
                 RowConverter([field]).steps[0][0] else v for field, v in zip(fields, values))
