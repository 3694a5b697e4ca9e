"""A customer's history: who changed what, when, each field before and after.

The history is the change sets services.journal records, with the complaint timelines beside
them (complaint events already keep who moved a complaint from what to what). It is what the
profile's History tab and `crmtui history NAME` show, what Today reads to say why an item
left the list when a colleague settled it, and what undo (services.undo) checks and reverses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import JOIN

from crmtui.db import (
    ChangeSet,
    Complaint,
    ComplaintEvent,
    Customer,
    FieldChange,
    User,
)
from crmtui.db.rows import tuple_rows
from crmtui.errors import CrmError
from crmtui.services.access import (
    get_visible_customer,
)
from crmtui.services.context import Context
from crmtui.services.journal import (
    ENTITIES,
    column_of,
    decode,
    load,
)


class Damaged(CrmError):
    """A history row that is not what crmtui writes (changed by another tool)."""


@dataclass(frozen=True)
class FieldMove:
    """One field of one record: its value before and after (decoded; a whole record created
    or removed has field '' and its values as a dict)."""

    entity: str
    entity_id: int
    field: str
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        return {
            "record": self.entity,
            "id": self.entity_id,
            "field": self.field or None,
            "old": _json_value(self.old),
            "new": _json_value(self.new),
        }


def _json_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class HistoryEntry:
    """One change to a customer: a change set, or a complaint's timeline event."""

    id: int | None
    """The change set (None for a complaint event)."""
    at: datetime
    by: str
    """The display name of who changed it ('' when unknown)."""
    login: str
    origin: str
    """app, cli, or '' for a complaint event."""
    action: str
    """services.journal.ACTIONS, or `complaint`."""
    entity: str
    entity_id: int | None
    fields: tuple[FieldMove, ...] = ()
    undone_by: int | None = None
    """The change set that undid this one."""
    undoes: int | None = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "by": self.login or None,
            "origin": self.origin or None,
            "action": self.action,
            "record": self.entity,
            "record_id": self.entity_id,
            "undone_by": self.undone_by,
            "undoes": self.undoes,
            "note": self.note or None,
            "changes": [move.to_json() for move in self.fields],
        }


def _decoded(entity: str, name: str, raw: str | None) -> Any:
    """A stored value as Python (a damaged one as its text)."""
    try:
        value = load(raw)
    except ValueError:
        return raw
    if entity not in ENTITIES:
        return value
    if not name:
        if not isinstance(value, dict):
            return value
        model = ENTITIES[entity]
        return {
            key: (decode(model._meta.fields[key], item) if key in model._meta.fields else item)
            for key, item in value.items()
        }
    try:
        return decode(column_of(entity, name), value)
    except (KeyError, ValueError, TypeError):
        return value


def history_of(ctx: Context, customer_id: int, *, limit: int = 200) -> list[HistoryEntry]:
    """The customer's changes, newest first: change sets and complaint events together."""
    customer = get_visible_customer(ctx, customer_id)
    sets = list(
        ChangeSet.select(ChangeSet, User)
        .join(User, JOIN.LEFT_OUTER, on=ChangeSet.by)
        .where(ChangeSet.customer == customer.id)
        .order_by(ChangeSet.id.desc())
        .limit(limit)
    )
    moves: dict[int, list[FieldMove]] = {}
    if sets:
        for set_id, entity, number, name, old, new in tuple_rows(
            FieldChange.select(
                FieldChange.change_set,
                FieldChange.entity,
                FieldChange.entity_id,
                FieldChange.field,
                FieldChange.old,
                FieldChange.new,
            )
            .where(FieldChange.change_set.in_([s.id for s in sets]))
            .order_by(FieldChange.id),
            tuple[int, str, int, str, Any, Any],
        ):
            moves.setdefault(set_id, []).append(
                FieldMove(
                    entity=entity,
                    entity_id=number,
                    field=name,
                    old=_decoded(entity, name, old),
                    new=_decoded(entity, name, new),
                )
            )
    _owners_by_login(moves)
    undone = {row.undoes: row.id for row in sets if row.undoes is not None}
    if sets:
        undone.update(
            {
                undoes: number
                for number, undoes in tuple_rows(
                    ChangeSet.select(ChangeSet.id, ChangeSet.undoes).where(
                        ChangeSet.undoes.in_([s.id for s in sets])
                    ),
                    tuple[int, int],
                )
            }
        )
    entries = [
        HistoryEntry(
            id=row.id,
            at=row.at,
            by=row.by.label if row.by is not None else "",
            login=row.by.login if row.by is not None else "",
            origin=row.origin,
            action=row.action,
            entity=row.entity,
            entity_id=row.entity_id,
            fields=tuple(moves.get(row.id, ())),
            undone_by=undone.get(row.id),
            undoes=row.undoes,
        )
        for row in sets
    ]
    events = (
        ComplaintEvent.select(ComplaintEvent, User)
        .join(User, JOIN.LEFT_OUTER, on=ComplaintEvent.by)
        .switch(ComplaintEvent)
        .join(Complaint)
        .where(Complaint.customer == customer.id)
        .order_by(ComplaintEvent.at.desc(), ComplaintEvent.id.desc())
        .limit(limit)
    )
    entries += [
        HistoryEntry(
            id=None,
            at=event.at,
            by=event.by.label if event.by_id else "",
            login=event.by.login if event.by_id else "",
            origin="",
            action="complaint",
            entity="complaint",
            entity_id=event.complaint_id,
            fields=(
                FieldMove(
                    "complaint",
                    event.complaint_id,
                    event.kind,
                    event.from_value or None,
                    event.to_value or None,
                ),
            ),
            note=event.note,
        )
        for event in events
    ]
    entries.sort(key=lambda e: (e.at, e.id or 0), reverse=True)
    return entries[:limit]


def _owners_by_login(moves: dict[int, list[FieldMove]]) -> None:
    """Owners are kept as user ids: shown by their logins."""
    owners = [
        (set_id, index, move)
        for set_id, found in moves.items()
        for index, move in enumerate(found)
        if move.entity == "customer" and move.field == "owner"
    ]
    ids = {
        value for _s, _i, move in owners for value in (move.old, move.new) if isinstance(value, int)
    }
    logins: dict[int, str] = (
        dict(
            tuple_rows(
                User.select(User.id, User.login).where(User.id.in_(list(ids))), tuple[int, str]
            )
        )
        if ids
        else {}
    )
    for set_id, index, move in owners:
        moves[set_id][index] = FieldMove(
            move.entity,
            move.entity_id,
            move.field,
            logins.get(move.old, move.old),
            logins.get(move.new, move.new),
        )


@dataclass(frozen=True)
class Settled:
    """Why a customer left someone's due list: a colleague changed their records."""

    customer_id: int
    customer: str
    action: str
    by: str
    at: datetime


def settled_by_others(ctx: Context, customer_ids: list[int], since: datetime) -> list[Settled]:
    """The latest change by someone else to each of these customers since `since` (for the
    customers that left the user's list), newest first."""
    if not customer_ids:
        return []
    rows = (
        ChangeSet.select(ChangeSet, User, Customer.name)
        .join(User, JOIN.LEFT_OUTER, on=ChangeSet.by)
        .switch(ChangeSet)
        .join(Customer)
        .where(
            ChangeSet.customer.in_(customer_ids[:500])
            & (ChangeSet.at >= since)
            & ((ChangeSet.by != ctx.user.id) | ChangeSet.by.is_null())
        )
        .order_by(ChangeSet.id.desc())
    )
    found: dict[int, Settled] = {}
    for row in rows:
        if row.customer_id not in found:
            found[row.customer_id] = Settled(
                customer_id=row.customer_id,
                customer=row.customer.name,
                action=row.action,
                by=row.by.label if row.by is not None else "",
                at=row.at,
            )
    return list(found.values())


__all__ = ["FieldMove", "HistoryEntry", "history_of", "Settled", "settled_by_others", "Damaged"]
