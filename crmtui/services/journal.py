"""Recording changes for the history (who, when, each field before and after) and for undo.

A write that changes a customer's records opens a journal with `journal(ctx, action, customer)`,
tells it which records it created, updated or deleted, and on leaving the journal writes one
`ChangeSet` with a `FieldChange` per field: the customer's own fields are compared with what
they were when the journal opened, so everything the write changed on the customer is kept
without each service listing it. A service called inside another's journal adds to it (a
promise made while logging is part of the log).

Values are kept as the database stores them, JSON-encoded, so that undo can put back exactly
what was there. Figures the services recompute from the records (next due, revenue, follow-up
counts…) are not kept: undo recomputes them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from peewee import JOIN, Field, ForeignKeyField, Model, SqliteDatabase

from crmtui.db import (
    Appointment,
    CareDate,
    ChangeSet,
    Commitment,
    Customer,
    FieldChange,
    Interaction,
    Order,
    Survey,
    SurveyScore,
    User,
    Win,
    database,
)
from crmtui.db.rows import prepared, tuple_rows, written_once
from crmtui.services.context import Context

ENTITIES: dict[str, type[Model]] = {
    "customer": Customer,
    "interaction": Interaction,
    "order": Order,
    "promise": Commitment,
    "care": CareDate,
    "survey": Survey,
    "win": Win,
    "appointment": Appointment,
}
"""What a change names (`FieldChange.entity`), and the table it is in."""

NOT_KEPT = frozenset({"id", "version", "updated_at"})
"""Columns no history keeps: the id names the record, the version and the time of the last
save move with every save."""
CUSTOMER_NOT_KEPT = NOT_KEPT | {
    "updated_at",
    "updated_by",
    "search_doc",
    "sort_name",
    # recomputed from the records by the services (and by undo)
    "next_due",
    "cadence_due",
    "due_rule",
    "followups",
    "last_contact_at",
    "last_contact_on",
    "revenue",
    "profit",
    "last_order_on",
    "regular_until",
}
SCORES = "scores"
"""A survey's scores on the team's own dimensions (rows of survey_score), kept as one field."""

ACTIONS = (
    "log",
    "promise",
    "promise_done",
    "promise_broken",
    "promise_snooze",
    "order",
    "care",
    "survey",
    "snooze",
    "regrade",
    "pin",
    "edit",
    "delete",
    "status",
    "class",
    "reassign",
    "undo",
)
"""What a change set did, as `ChangeSet.action` stores it (labels.label("action", …))."""


def _not_kept(entity: str) -> frozenset[str]:
    return CUSTOMER_NOT_KEPT if entity == "customer" else NOT_KEPT


def encode(column: Field[Any], value: Any) -> Any:
    """A value as a JSON-encodable stored value (money in cents, times as stored text)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return column.db_value(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return column.db_value(value)
    if isinstance(value, Model):
        return value.get_id()
    return value


def decode(column: Field[Any], value: Any) -> Any:
    """The Python value of an encoded value."""
    if value is None:
        return None
    return column.python_value(value)


def record_values(entity: str, record: Model) -> dict[str, Any]:
    """The kept columns of a record, encoded (a survey with its extra scores)."""
    skip = _not_kept(entity)
    values = {
        column.name: encode(column, record.__data__.get(column.name))
        for column in type(record)._meta.sorted_fields
        if column.name not in skip
    }
    if entity == "survey" and record.get_id() is not None:
        values[SCORES] = dict(
            tuple_rows(
                SurveyScore.select(SurveyScore.dimension, SurveyScore.score).where(
                    SurveyScore.survey == record.get_id()
                ),
                tuple[str, int],
            )
        )
    return values


def current_values(entity: str, entity_id: int) -> dict[str, Any] | None:
    """The kept columns of the stored record, or None when it is not there."""
    model = ENTITIES[entity]
    record = model.get_or_none(model._meta.primary_key == entity_id)
    return None if record is None else record_values(entity, record)


def column_of(entity: str, name: str) -> Field[Any]:
    column: Field[Any] = ENTITIES[entity]._meta.fields[name]
    return column


def fk_columns(entity: str) -> set[str]:
    return {f.name for f in ENTITIES[entity]._meta.sorted_fields if isinstance(f, ForeignKeyField)}


@dataclass
class Journal:
    """One change being recorded (see the module notes)."""

    ctx: Context
    action: str
    customer_id: int
    entity: str
    entity_id: int | None
    undoes: int | None = None
    before: dict[str, Any] = field(default_factory=dict)
    rows: list[tuple[str, int, str, Any, Any]] = field(default_factory=list)
    """(entity, id, field, old, new), in the order they happened."""
    after: dict[str, Any] | None = None
    """The customer's kept fields as the block leaves them, when the service knows them
    (`saved`): finishing need not read them back."""

    def saved(self, customer: Customer) -> None:
        """`customer` was just saved whole and nothing else writes its row before the journal
        closes (a contact logged, the app's most frequent write): its kept fields are what the
        database holds."""
        self.after = record_values("customer", customer)

    def created(self, entity: str, record: Model) -> None:
        self.rows.append((entity, record.get_id(), "", None, record_values(entity, record)))

    def deleted(self, entity: str, record: Model) -> None:
        self.rows.append((entity, record.get_id(), "", record_values(entity, record), None))

    def updated(self, entity: str, record: Model, before: dict[str, Any]) -> None:
        """Keep each field of `record` that differs from `before` (from `record_values`)."""
        after = record_values(entity, record)
        for name, old in before.items():
            if after.get(name) != old:
                self.rows.append((entity, record.get_id(), name, old, after.get(name)))

    def finish(self) -> ChangeSet | None:
        """Write the change set: the records' changes and every kept customer field that
        moved (None when nothing changed, or the customer is gone)."""
        after = self.after if self.after is not None else stored_customer(self.customer_id)
        if after is None:
            return None
        rows = list(self.rows) + [
            ("customer", self.customer_id, name, old, after.get(name))
            for name, old in self.before.items()
            if after.get(name) != old
        ]
        if not rows:
            return None
        change = ChangeSet(
            customer=self.customer_id,
            at=self.ctx.now(),
            by=self.ctx.user.id,
            origin=self.ctx.origin,
            action=self.action,
            entity=self.entity,
            entity_id=self.entity_id,
            undoes=self.undoes,
        )
        fields = [
            (self.customer_id, entity, number, name, _dump(old), _dump(new))
            for entity, number, name, old, new in rows
        ]
        if isinstance(database.obj, SqliteDatabase):
            change.save(force_insert=True)
            FieldChange.insert_many(
                [(change.id, *row) for row in fields],
                fields=[
                    FieldChange.change_set,
                    FieldChange.customer,
                    FieldChange.entity,
                    FieldChange.entity_id,
                    FieldChange.field,
                    FieldChange.old,
                    FieldChange.new,
                ],
            ).execute()
        else:
            change.id = _insert_at_once(change, fields)
        return change


_CHANGE_COLUMNS = ("customer", "at", "by", "origin", "action", "entity", "entity_id", "undoes")


_FIELD_COLUMNS = ("customer_id", "entity", "entity_id", "field", "old", "new")


def _insert_at_once(change: ChangeSet, fields: list[tuple[Any, ...]]) -> int:
    """The change set and its fields in one statement (PostgreSQL: a round trip fewer for
    every write), the fields numbered in the order they happened; the change set's id."""
    columns = [ChangeSet._meta.fields[name] for name in _CHANGE_COLUMNS]
    names = ", ".join(f'"{column.column_name}"' for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    kept = ", ".join(f'"{name}"' for name in _FIELD_COLUMNS)
    read = ", ".join(f'"v"."{name}"' for name in _FIELD_COLUMNS)
    # typed: prepared, a VALUES list's values would be text
    values = ", ".join(
        ["(%s::integer, %s::integer, %s, %s::integer, %s, %s::text, %s::text)"] * len(fields)
    )
    sql = (
        f'WITH "change" AS (INSERT INTO "change_set" ({names}) VALUES ({marks}) RETURNING "id") '
        f'INSERT INTO "field_change" ("change_set_id", {kept}) '
        f'SELECT "change"."id", {read} FROM "change", (VALUES {values}) AS "v" ("n", {kept}) '
        'ORDER BY "v"."n" RETURNING "change_set_id"'
    )
    params = [column.db_value(change.__data__.get(column.name)) for column in columns]
    params += [value for n, row in enumerate(fields) for value in (n, *row)]
    number: int = database.execute_sql(prepared(sql, len(params)), params).fetchone()[0]
    return number


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


@contextmanager
def journal(
    ctx: Context,
    action: str,
    customer: Customer,
    *,
    entity: str = "customer",
    entity_id: int | None = None,
    undoes: int | None = None,
) -> Iterator[Journal]:
    """Record what the block changes as one change set; inside another journal of the same
    customer, add to that one instead."""
    open_one = ctx.journal
    if open_one is not None and open_one.customer_id == customer.id:
        try:
            yield open_one
        finally:
            open_one.after = None  # the outer block may write the customer after this one
        return
    started = Journal(
        ctx=ctx,
        action=action,
        customer_id=customer.id,
        entity=entity,
        entity_id=customer.id if entity == "customer" and entity_id is None else entity_id,
        undoes=undoes,
        before=_customer_before(customer),
    )
    ctx.journal = started
    try:
        yield started
        started.finish()
    finally:
        ctx.journal = open_one


def _customer_before(customer: Customer) -> dict[str, Any]:
    """The customer's kept fields as stored: from the object when it is as read, else read
    again (a service may have changed it in memory before opening the journal)."""
    if not customer.is_dirty() and customer.id is not None:
        return record_values("customer", customer)
    return stored_customer(customer.id) or {}


_CUSTOMER_KEPT = [
    column for column in Customer._meta.sorted_fields if column.name not in CUSTOMER_NOT_KEPT
]


def stored_customer(customer_id: int) -> dict[str, Any] | None:
    """The customer's kept fields as stored (record_values), or None when it is gone (every
    logged contact reads them: the statement is written once)."""
    columns = _CUSTOMER_KEPT
    sql = written_once(
        "customer's kept fields",
        lambda: Customer.select(*columns).where(Customer.id == customer_id),
        [customer_id],
    )
    row = database.execute_sql(sql, (customer_id,)).fetchone()
    if row is None:
        return None
    return {
        column.name: encode(column, column.python_value(raw))
        for column, raw in zip(columns, row, strict=True)
    }


@dataclass(frozen=True)
class LastChange:
    """Who last changed a record, and when (for a refusal that names them)."""

    by: str
    at: datetime
    action: str


def last_change_of(
    entity: str, entity_id: int, *, after: int = 0, name: str | None = None
) -> LastChange | None:
    """The newest recorded change of a record (of one field of it, with `name`) in a change
    set newer than `after`."""
    query = (
        ChangeSet.select(ChangeSet.at, ChangeSet.action, User.login, User.display_name)
        .join(FieldChange, on=FieldChange.change_set == ChangeSet.id)
        .switch(ChangeSet)
        .join(User, on=ChangeSet.by, join_type=JOIN.LEFT_OUTER)
        .where(
            (FieldChange.entity == entity)
            & (FieldChange.entity_id == entity_id)
            & (ChangeSet.id > after)
        )
    )
    if name is not None:
        query = query.where((FieldChange.field == name) | (FieldChange.field == ""))
    row: tuple[datetime, str, str | None, str | None] | None = (
        query.order_by(ChangeSet.id.desc()).tuples().first()
    )
    if row is None:
        return None
    at, action, login, display = row
    return LastChange(by=display or login or "", at=at, action=action)


def deletion_of(entity: str, entity_id: int) -> tuple[LastChange, int] | None:
    """Who deleted a record, when, and the customer it belonged to; None when no deletion of
    it is recorded."""
    row: tuple[datetime, str, str | None, str | None, int] | None = (
        ChangeSet.select(
            ChangeSet.at, ChangeSet.action, User.login, User.display_name, FieldChange.customer
        )
        .join(FieldChange, on=FieldChange.change_set == ChangeSet.id)
        .switch(ChangeSet)
        .join(User, on=ChangeSet.by, join_type=JOIN.LEFT_OUTER)
        .where(
            (FieldChange.entity == entity)
            & (FieldChange.entity_id == entity_id)
            & (FieldChange.field == "")
            & FieldChange.new.is_null()
        )
        .order_by(ChangeSet.id.desc())
        .tuples()
        .first()
    )
    if row is None:
        return None
    at, action, login, display, customer_id = row
    return LastChange(by=display or login or "", at=at, action=action), customer_id


def creation_of(entity: str, entity_id: int) -> ChangeSet | None:
    """The change set that created a record, when it was recorded."""
    creation: ChangeSet | None = (
        ChangeSet.select()
        .join(FieldChange, on=FieldChange.change_set == ChangeSet.id)
        .where(
            (FieldChange.entity == entity)
            & (FieldChange.entity_id == entity_id)
            & (FieldChange.field == "")
            & FieldChange.old.is_null()
        )
        .order_by(ChangeSet.id.desc())
        .first()
    )
    return creation


def customer_fields_of(change: ChangeSet) -> dict[str, tuple[Any, Any]]:
    """The customer's fields a change set moved: name -> (old, new), decoded."""
    found = {}
    for name, old, new in tuple_rows(
        FieldChange.select(FieldChange.field, FieldChange.old, FieldChange.new).where(
            (FieldChange.change_set == change.id) & (FieldChange.entity == "customer")
        ),
        tuple[str, str | None, str | None],
    ):
        column = column_of("customer", name)
        found[name] = (decode(column, load(old)), decode(column, load(new)))
    return found


__all__ = [
    "ENTITIES",
    "ACTIONS",
    "SCORES",
    "Journal",
    "journal",
    "record_values",
    "current_values",
    "encode",
    "decode",
    "load",
    "column_of",
    "last_change_of",
    "deletion_of",
    "creation_of",
    "customer_fields_of",
    "LastChange",
]
