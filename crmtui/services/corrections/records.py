"""Finding the record to correct: the kinds, the stored row (or who deleted it), its editable
form, and a corrected record as `crmtui edit --json` writes it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from peewee import ForeignKeyField

from crmtui.db import (
    CareDate,
    Commitment,
    Customer,
    Interaction,
    Order,
    Survey,
    SurveyScore,
)
from crmtui.db.rows import tuple_rows
from crmtui.errors import Conflict, InvalidInput, NotFound
from crmtui.i18n import _
from crmtui.labels import label
from crmtui.present.time import moment as shown_moment
from crmtui.rules import DIMENSIONS
from crmtui.services.access import get_editable_customer, get_visible_customer, record_id
from crmtui.services.context import Context
from crmtui.services.journal import (
    deletion_of,
    last_change_of,
    record_values,
)
from crmtui.services.surveys import survey_editor
from crmtui.views.corrections import CorrectedRecord

KINDS = ("interaction", "order", "promise", "care", "survey")
"""What `crmtui edit` and `crmtui rm` correct (their KIND argument)."""


MODELS: dict[str, Any] = {
    "interaction": Interaction,
    "order": Order,
    "promise": Commitment,
    "care": CareDate,
    "survey": Survey,
}


def extra_scores(survey_id: int) -> dict[str, int]:
    """A survey's scores beyond the fixed dimensions (the team's own), by name."""
    query = SurveyScore.select(SurveyScore.dimension, SurveyScore.score).where(
        SurveyScore.survey == survey_id
    )
    return dict(tuple_rows(query, tuple[str, int]))


def kind_of(kind: Any) -> str:
    text = str(kind).strip().lower()
    if text not in KINDS:
        raise InvalidInput.one(
            "kind", _("'{text}' is not one of {kinds}").format(text=kind, kinds=", ".join(KINDS))
        )
    return text


def _stored(ctx: Context, kind: str, number_text: Any) -> Any:
    """The stored record, or NotFound saying it was deleted (and by whom, when the user may
    see its customer) or that there is none."""
    model = MODELS[kind]
    number = record_id(number_text)
    if number is None:
        raise NotFound(_("'{text}' is not an id").format(text=number_text))
    row = model.get_or_none(model.id == number)
    if row is not None:
        return row
    gone = deletion_of(kind, number)
    if gone is not None:
        change, customer_id = gone
        try:
            get_visible_customer(ctx, customer_id)
        except NotFound:
            gone = None
    if gone is not None:
        raise NotFound(
            _("{record} #{id} was deleted by {who} at {when}; nothing was changed").format(
                record=label("record", kind),
                id=number,
                who=change.by,
                when=shown_moment(change.at, ctx.zone),
            )
        )
    raise NotFound(_("no {record} with id {id}").format(record=label("record", kind), id=number))


def editable_record(
    ctx: Context,
    kind: str,
    number: Any,
    *,
    expected_version: int | None = None,
    expected: Mapping[str, Any] | None = None,
) -> tuple[Any, Customer]:
    """(record, customer) for a change by the user: the record must exist, its customer be
    theirs to change, and no one have saved it since it was read: its version is still
    `expected_version`, and its values still `expected` (journal.record_values as read; on
    SQLite the id of a record deleted meanwhile can be taken by a newer one, which the values
    tell apart)."""
    kind = kind_of(kind)
    row = _stored(ctx, kind, number)
    try:
        if kind == "survey":
            customer = survey_editor(ctx, row)
        else:
            customer = get_editable_customer(ctx, row.customer_id)
    except NotFound:
        raise NotFound(
            _("no {record} with id {id}").format(record=label("record", kind), id=row.id)
        ) from None
    if expected_version is not None and row.version != expected_version:
        raise changed_since(ctx, kind, row.id)
    if expected is not None and record_values(kind, row) != dict(expected):
        raise changed_since(ctx, kind, row.id)
    return row, customer


def changed_since(ctx: Context, kind: str, number: int, *, after: int = 0) -> Conflict:
    """The refusal of a change to a record someone saved since it was read."""
    last = last_change_of(kind, number, after=after)
    record = label("record", kind)
    if last is None:
        return Conflict(
            _(
                "{record} #{id} was changed after you opened it; reload, then apply "
                "your change again"
            ).format(record=record, id=number)
        )
    return Conflict(
        _(
            "{record} #{id} was changed by {who} at {when} after you opened it; "
            "reload, then apply your change again"
        ).format(record=record, id=number, who=last.by, when=shown_moment(last.at, ctx.zone)),
        changed_by=last.by,
        changed_at=last.at,
    )


def viewable_record(ctx: Context, kind: str, number: Any) -> Any:
    """A record whose customer the user may see (to fill an edit form)."""
    kind = kind_of(kind)
    row = _stored(ctx, kind, number)
    try:
        get_visible_customer(ctx, row.customer_id)
    except NotFound:
        raise NotFound(
            _("no {record} with id {id}").format(record=label("record", kind), id=row.id)
        ) from None
    return row


@dataclass(frozen=True)
class EditableRecord:
    """A record as read for a correction form: its values, and what the save checks that no
    one changed since (its version and its stored values)."""

    kind: str
    id: int
    customer_id: int
    customer: str
    version: int
    values: dict[str, Any]
    """The record's columns as Python values (a survey's: every score, by dimension)."""
    expected: dict[str, Any]
    """journal.record_values as read, for `expected=` of the save."""


def read_record(ctx: Context, kind: Any, number: Any) -> EditableRecord:
    """A record the user may correct, for the profile's edit and remove dialogs (a record of a
    customer they only read is refused now, not after the form is filled)."""
    kind = kind_of(kind)
    row, customer = editable_record(ctx, kind, number)
    values = {
        column.name: row.__data__.get(column.name)  # ids, not the records they name
        if isinstance(column, ForeignKeyField)
        else getattr(row, column.name)
        for column in type(row)._meta.sorted_fields
        if column.name not in ("customer", "by")
    }
    if kind == "survey":
        values["scores"] = {
            **{name: getattr(row, name) for name in DIMENSIONS if getattr(row, name) is not None},
            **extra_scores(row.id),
        }
    return EditableRecord(
        kind=kind,
        id=row.id,
        customer_id=customer.id,
        customer=customer.name,
        version=row.version,
        values=values,
        expected=record_values(kind, row),
    )


def corrected(kind: str, row: Any) -> CorrectedRecord:
    """A record as a correction left it, copied out of its row."""
    values = record_json(kind, row)
    for name in ("record", "id", "customer_id", "version"):
        values.pop(name)
    return CorrectedRecord(
        kind=kind_of(kind),
        id=row.id,
        customer_id=row.customer_id,
        version=row.version,
        values=values,
    )


def record_json(kind: str, row: Any) -> dict[str, Any]:
    """A corrected record as `crmtui edit --json` writes it."""
    kind = kind_of(kind)
    base = {"record": kind, "id": row.id, "customer_id": row.customer_id, "version": row.version}
    if kind == "interaction":
        return {
            **base,
            "at": row.at,
            "channel": row.channel,
            "direction": row.direction,
            "outcome": row.outcome,
            "summary": row.summary,
            "next_step": row.next_step,
            "next_on": row.next_on,
            "contact": row.contact_name or None,
            "referral_ask": row.referral_ask,
        }
    if kind == "order":
        return {
            **base,
            "on": row.on,
            "product": row.product,
            "quantity": row.quantity,
            "amount": row.amount,
            "cost": row.cost,
            "gift": row.gift,
            "note": row.note,
        }
    if kind == "promise":
        return {**base, "text": row.text, "due": row.due, "status": row.status}
    if kind == "care":
        return {
            **base,
            "kind": row.kind,
            "month": row.month,
            "day": row.day,
            "year": row.year,
            "lunar": row.lunar,
            "leap": row.leap,
            "note": row.note,
        }
    extra = extra_scores(row.id)
    return {
        **base,
        "at": row.at,
        "comment": row.comment,
        "scores": {
            **{name: getattr(row, name) for name in DIMENSIONS if getattr(row, name) is not None},
            **extra,
        },
    }
