"""A large batch's same values are written into its INSERT once (bulk._same_written_once): what
SQLite stores is what binding every value stores, value and storage class."""

from __future__ import annotations

import random
import sqlite3

import pytest

from crmtui.db.bulk import SAME_FROM, _same_written_once

_COLUMNS = [
    ("t", "TEXT"),
    ("i", "INTEGER"),
    ("n", "NUMERIC"),
    ("r", "REAL"),
    ("b", "BLOB"),
    ("x", ""),
]
_VALUES = [
    None,
    "",
    "O'Brien",
    "''",
    "a\nb",
    "张三",
    "-- not a comment",
    "?",
    "0",
    "a\x00b",
    0,
    -1,
    7,
    2**63 - 1,
    -(2**63),
    True,
    False,
    1.5,
    1.0,
    0.0,
    b"\x00\x01",
]


def _stored(rows: list[tuple], *, same_once: bool) -> list[tuple]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (" + ", ".join(f"{n} {kind}" for n, kind in _COLUMNS) + ")")
    width = len(_COLUMNS)
    if same_once:
        marks, values = _same_written_once(rows, width)
    else:
        marks, values = ", ".join("?" * width), rows
    db.executemany(f"INSERT INTO t VALUES ({marks})", values)
    picked = ", ".join(f"{n}, typeof({n})" for n, _kind in _COLUMNS)
    return db.execute(f"SELECT {picked} FROM t ORDER BY rowid").fetchall()


@pytest.mark.parametrize("seed", range(40))
def test_writing_the_same_values_once_stores_what_binding_them_stores(seed):
    rng = random.Random(seed)
    count = rng.choice([1, SAME_FROM - 1, SAME_FROM, 150])
    # each column the same value in every row, or one of two, or any
    shapes = [rng.choice(["same", "same", "two", "any"]) for _ in _COLUMNS]
    firsts = [rng.choice(_VALUES) for _ in _COLUMNS]
    seconds = [rng.choice(_VALUES) for _ in _COLUMNS]
    rows = []
    for n in range(count):
        row = []
        for shape, first, second in zip(shapes, firsts, seconds, strict=True):
            if shape == "same" or (shape == "two" and n % 9):
                row.append(first)
            elif shape == "two":
                row.append(second)
            else:
                row.append(rng.choice(_VALUES))
        rows.append(tuple(row))
    assert _stored(rows, same_once=True) == _stored(rows, same_once=False)


@pytest.mark.parametrize("value", _VALUES, ids=repr)
def test_each_value_the_same_in_a_whole_batch_is_stored_as_bound(value):
    rows = [(value, value, value, value, value, value)] * SAME_FROM
    assert _stored(rows, same_once=True) == _stored(rows, same_once=False)


@pytest.mark.parametrize("equal", [(1, True, 1.0), (0, False, 0.0, -0.0), ("0", 0)], ids=repr)
def test_values_equal_in_python_but_not_alike_are_bound(equal):
    rows = [(equal[n % len(equal)],) * len(_COLUMNS) for n in range(SAME_FROM)]
    assert _stored(rows, same_once=True) == _stored(rows, same_once=False)


def test_only_a_large_batch_writes_its_same_values_once():
    rows = [("same", n, None, 1.5) for n in range(SAME_FROM)]
    marks, values = _same_written_once(rows, 4)
    assert marks == "'same', ?, NULL, ?"
    assert values[:2] == [(0, 1.5), (1, 1.5)]
    marks, values = _same_written_once(rows[:-1], 4)
    assert marks == "?, ?, ?, ?" and values == rows[:-1]
    marks, values = _same_written_once([("it's", 1)] * SAME_FROM, 2)
    assert marks == "'it''s', 1" and values == [()] * SAME_FROM


def test_an_integer_too_large_to_bind_is_refused_as_binding_refuses_it():
    rows = [(2**64, n, 0, 0, 0, 0) for n in range(SAME_FROM)]
    for same_once in (False, True):
        with pytest.raises(OverflowError):
            _stored(rows, same_once=same_once)
