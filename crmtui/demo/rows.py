"""Row buffers per table, flushed in bulk: each row a dict keyed by the model's field names, so
a value can only land in the column it names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import peewee

from crmtui.db import (
    AccountPlan,
    Appointment,
    CareDate,
    Commitment,
    Complaint,
    ComplaintEvent,
    Contact,
    Customer,
    CustomerChange,
    GradeChange,
    Instruction,
    Interaction,
    Order,
    Payment,
    Survey,
    SurveyScore,
    Target,
    Win,
)
from crmtui.db.bulk import bulk_insert

Row = dict[str, Any]

TABLES: dict[str, type[peewee.Model]] = {
    "customer": Customer,
    "contact": Contact,
    "interaction": Interaction,
    "commitment": Commitment,
    "order": Order,
    "payment": Payment,
    "instruction": Instruction,
    "win": Win,
    "change": CustomerChange,
    "care": CareDate,
    "complaint": Complaint,
    "event": ComplaintEvent,
    "survey": Survey,
    "survey_score": SurveyScore,
    "grade": GradeChange,
    "plan": AccountPlan,
    "target": Target,
    "appointment": Appointment,
}
"""The buffers in the order they are flushed: children after their customers."""


class Rows:
    def __init__(self) -> None:
        self.rows: dict[str, list[Row]] = {name: [] for name in TABLES}
        self.counts = {name: 0 for name in TABLES}

    def add(self, table: str, row: Row) -> None:
        self.rows[table].append(row)

    def flush(self) -> None:
        for name, model in TABLES.items():
            rows = self.rows[name]
            if rows:
                names = list(rows[0])
                fields = [model._meta.fields[field] for field in names]
                self.counts[name] += bulk_insert(model, fields, _values(name, names, rows))
                rows.clear()


def _values(table: str, names: list[str], rows: list[Row]) -> Iterator[tuple[Any, ...]]:
    """Each row's values in the order of `names`; a row with other fields is a mistake."""
    for row in rows:
        if len(row) != len(names):
            raise ValueError(f"a {table} row has the fields {sorted(row)}, not {sorted(names)}")
        yield tuple(row[name] for name in names)
