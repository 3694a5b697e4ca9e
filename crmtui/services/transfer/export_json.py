"""The JSON export: every customer the user may see, with all their records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TextIO

from peewee import ForeignKeyField

from crmtui.db import (
    AccountPlan,
    Appointment,
    CareDate,
    Commitment,
    Complaint,
    ComplaintEvent,
    Contact,
    Customer,
    GradeChange,
    HolidayGreeting,
    Instruction,
    Interaction,
    Order,
    Survey,
    User,
)
from crmtui.db.models import BaseModel
from crmtui.db.rows import tuple_rows
from crmtui.output import json_text
from crmtui.services.context import Context
from crmtui.services.transfer.export_scope import customers_in_scope

CHUNK = 500


# (key, model, sort key): every one of these models has a `customer` key
_CHILDREN: tuple[tuple[str, type[Any], Callable[[Any], Any]], ...] = (
    ("contacts", Contact, lambda m: m.id),
    ("interactions", Interaction, lambda m: (m.at, m.id)),
    ("promises", Commitment, lambda m: (m.due, m.id)),
    ("orders", Order, lambda m: (m.on, m.id)),
    ("complaints", Complaint, lambda m: (m.opened_at, m.id)),
    ("care_dates", CareDate, lambda m: m.id),
    ("surveys", Survey, lambda m: (m.at, m.id)),
    ("grade_history", GradeChange, lambda m: (m.at, m.id)),
    ("holiday_greetings", HolidayGreeting, lambda m: (m.day, m.id)),
    ("instructions", Instruction, lambda m: (m.due, m.id)),
    ("appointments", Appointment, lambda m: (m.starts_at, m.id)),
)

_KEPT_BY_DATABASE = {"grade_history": ("prev_on", "next_on")}
"""Columns the database works out itself (crmtui.db.grade_days): not part of the records."""


def _record(row: BaseModel, logins: dict[int, str], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every column of a row; users as their login, other references as ids."""
    data: dict[str, Any] = {}
    for field in type(row)._meta.sorted_fields:
        if field.name in skip:
            continue
        value = row.__data__.get(field.name)
        if isinstance(field, ForeignKeyField) and field.rel_model is User:
            value = logins.get(value)
        data[field.name] = value
    return data


def write_json_export(ctx: Context, out: TextIO, owner_id: int | None, instance: str) -> int:
    users = list(User.select().order_by(User.id))
    logins = {u.id: u.login for u in users}
    header = {
        "format": "crmtui",
        "version": 1,
        "exported_at": ctx.now(),
        "exported_by": ctx.user.login,
        "scope": "own" if owner_id is not None else "all",
        "users": [
            {"login": u.login, "display_name": u.display_name, "role": u.role, "active": u.active}
            for u in users
        ],
    }
    out.write(json_text(header)[:-1] + ', "customers": [\n')
    in_scope = customers_in_scope(owner_id).select(Customer.id)
    ids = [customer_id for (customer_id,) in tuple_rows(in_scope, tuple[int])]
    count = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        children: dict[str, dict[int, list[Any]]] = {}
        for key, model, order in _CHILDREN:
            grouped: dict[int, list[Any]] = {}
            for row in model.select().where(model.customer.in_(chunk)):
                grouped.setdefault(row.customer_id, []).append(row)
            children[key] = {cid: sorted(rows, key=order) for cid, rows in grouped.items()}
        complaint_ids = [k.id for rows in children["complaints"].values() for k in rows]
        events: dict[int, list[dict[str, Any]]] = {}
        for event in (
            ComplaintEvent.select()
            .where(ComplaintEvent.complaint.in_(complaint_ids))
            .order_by(ComplaintEvent.at, ComplaintEvent.id)
        ):
            events.setdefault(event.complaint_id, []).append(
                _record(event, logins, skip=("complaint",))
            )
        plans = {
            p.customer_id: p for p in AccountPlan.select().where(AccountPlan.customer.in_(chunk))
        }
        for customer in Customer.select().where(Customer.id.in_(chunk)).order_by(Customer.id):
            data = _record(customer, logins, skip=("search_doc",))
            for key, _model, _order in _CHILDREN:
                data[key] = [
                    _record(row, logins, skip=("customer", *_KEPT_BY_DATABASE.get(key, ())))
                    for row in children[key].get(customer.id, [])
                ]
            for complaint in data["complaints"]:
                complaint["events"] = events.get(complaint["id"], [])
            plan = plans.get(customer.id)
            data["account_plan"] = _record(plan, logins, skip=("customer",)) if plan else None
            out.write(("" if count == 0 else ",\n") + json_text(data))
            count += 1
    out.write("\n]}\n")
    return count
