"""Exports (SPEC §5): CSV and vCard that re-import to the same customers, an iCalendar file of
the user's follow-ups, promises and care dates, and JSON of everything the user may see.

A rep (and a manager, by default) exports their own customers; a manager exports everyone's
with `everyone`. Every export is written to the audit log, so an export needs a writable
database. A file is written private (like the database) beside its destination and moved into
place only once the audit entry is saved.
"""

from __future__ import annotations

import os
import sys
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator

from peewee import ForeignKeyField

from crmtui.db import (
    AccountPlan,
    CareDate,
    Commitment,
    Complaint,
    ComplaintEvent,
    Contact,
    Customer,
    GradeChange,
    HolidayGreeting,
    Interaction,
    Order,
    Setting,
    Survey,
    User,
)
from crmtui.db.connection import file_mode_for
from crmtui.errors import CrmError, InvalidInput, StorageError
from crmtui.i18n import _
from crmtui.services.access import require_manager
from crmtui.services.context import Context, writes
from crmtui.services.transfer.values import CareSpec

FORMATS = ("csv", "vcf", "ics", "json")
FOLLOW_UP_DAYS = 90
"""The calendar holds follow-ups due within this many days (and every overdue one)."""
CHUNK = 500

# The columns of a CSV export, in order. The import reads every one of them back except the
# last few, which are figures derived from the history.
CSV_COLUMNS = (
    "id", "name", "company", "title", "phones", "email", "address", "im_id", "native_place",
    "education", "family", "personality", "notes", "tags", "goals", "opinions", "situation",
    "competitors", "membership", "birthday", "anniversary", "need", "expected_close",
    "expected_amount", "grade", "grade_pinned", "pin_reason", "cadence", "status", "deal_status",
    "source", "credit_limit", "credit_rating", "owner", "last_contact", "next_step",
    "next_step_on", "next_due", "followups", "revenue", "created_on",
)
# crmtui fields a vCard has no property for: written as X-CRMTUI-<FIELD>.
VCARD_EXTRA = (
    "im_id", "native_place", "education", "family", "personality", "goals", "opinions",
    "situation", "competitors", "membership", "need", "expected_close", "expected_amount",
    "grade", "grade_pinned", "pin_reason", "cadence", "status", "deal_status", "source",
    "credit_limit", "credit_rating", "owner", "last_contact", "next_step", "next_step_on",
)
# Spreadsheets run a cell starting with these as a formula; a leading ' keeps it text.
FORMULA_START = ("=", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportResult:
    format: str
    customers: int
    items: int
    """What the file holds: customers, or calendar events for ics."""
    destination: str
    everyone: bool


# -- common ---------------------------------------------------------------------------------------

def _scope_owner(ctx: Context, everyone: bool) -> int | None:
    """The owner whose customers are exported, or None for everyone (managers only)."""
    if everyone:
        require_manager(ctx, _("export every rep's customers"))
        return None
    return ctx.user.id


def _customers(owner_id: int | None):
    query = Customer.select()
    if owner_id is not None:
        query = query.where(Customer.owner == owner_id)
    return query.order_by(Customer.id)


def _of_scope(model, owner_id: int | None):
    """Rows of a child model whose customer is in scope."""
    query = model.select(model, Customer.id, Customer.name).join(Customer, on=model.customer)
    if owner_id is not None:
        query = query.where(Customer.owner == owner_id)
    return query


@writes(record=False)  # housekeeping: not what the user asked to save
def instance_id(ctx: Context) -> str:
    """A random id of this database, made once: the stable part of exported UIDs."""
    row = Setting.get_or_none(Setting.key == "instance_id")
    if row is None:
        row = Setting.create(key="instance_id", value=uuid.uuid4().hex)
    return row.value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _first_care(owner_id: int | None) -> dict[tuple[int, str], CareSpec]:
    """The first birthday and anniversary of each customer in scope."""
    found: dict[tuple[int, str], CareSpec] = {}
    query = _of_scope(CareDate, owner_id).where(CareDate.kind.in_(("birthday", "anniversary")))
    for care in query.order_by(CareDate.id):
        found.setdefault((care.customer_id, care.kind), CareSpec(
            care.kind, care.month, care.day, care.year, care.lunar, care.leap))
    return found


def _archive(ctx: Context, customer: Customer, logins: dict[int, str],
             care: dict[tuple[int, str], CareSpec]) -> dict[str, Any]:
    """A customer's importable fields (and the derived figures) as text, by CSV column."""
    values = {name: getattr(customer, name) for name in CSV_COLUMNS
              if name in Customer._meta.fields and name != "owner"}
    values["owner"] = logins.get(customer.owner_id, "")
    values["last_contact"] = ctx.local_date(customer.last_contact_at) \
        if customer.last_contact_at else None
    for kind in ("birthday", "anniversary"):
        spec = care.get((customer.id, kind))
        values[kind] = spec.to_text() if spec else ""
    return {name: _text(values.get(name)) for name in CSV_COLUMNS}


# -- CSV --------------------------------------------------------------------------------------------

def _safe_cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv_export(ctx: Context, out, owner_id: int | None, instance: str) -> int:
    from crmtui.services.transfer.csvfile import write_csv

    logins = dict(User.select(User.id, User.login).tuples())
    care = _first_care(owner_id)
    rows = ([_safe_cell(v) for v in _archive(ctx, c, logins, care).values()]
            for c in _customers(owner_id).iterator())
    return write_csv(out, CSV_COLUMNS, rows)


# -- vCard ------------------------------------------------------------------------------------------

def _vcard_date(spec: CareSpec | None) -> str:
    if spec is None or spec.lunar:
        return ""
    return (f"{spec.year:04d}" if spec.year else "--") + f"{spec.month:02d}{spec.day:02d}"


def write_vcard_export(ctx: Context, out, owner_id: int | None, instance: str) -> int:
    from crmtui import __version__
    from crmtui.services.transfer.vcard import Card, write_vcards

    logins = dict(User.select(User.id, User.login).tuples())
    care = _first_care(owner_id)

    def cards() -> Iterator[Card]:
        for customer in _customers(owner_id).iterator():
            values = _archive(ctx, customer, logins, care)
            birthday = care.get((customer.id, "birthday"))
            anniversary = care.get((customer.id, "anniversary"))
            extra = [(name, values[name]) for name in VCARD_EXTRA]
            for kind, spec in (("birthday", birthday), ("anniversary", anniversary)):
                if spec is not None and spec.lunar:
                    extra.append((kind, spec.to_text()))
            yield Card(
                uid="urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL,
                                                 f"crmtui:{instance}:customer:{customer.id}")),
                name=customer.name, company=customer.company, title=customer.title,
                phones=customer.phone_list, email=customer.email, address=customer.address,
                notes=customer.notes, tags=customer.tag_list,
                birthday=_vcard_date(birthday), anniversary=_vcard_date(anniversary),
                revision=customer.updated_at.strftime("%Y%m%dT%H%M%SZ"), extra=extra)

    return write_vcards(out, cards(), f"-//crmtui//crmtui {__version__}//EN")


# -- iCalendar --------------------------------------------------------------------------------------

def calendar_export(ctx: Context, owner_id: int | None, instance: str) -> tuple[bytes, int, int]:
    """(file bytes, events, customers in scope)."""
    from crmtui.services.transfer.ics import Care, FollowUp, Promise, calendar_bytes

    today = ctx.today()
    horizon = today + timedelta(days=FOLLOW_UP_DAYS)
    follow_ups = [
        FollowUp(c.id, c.name, c.company, c.grade, c.next_due, c.next_step,
                 ", ".join(c.phone_list))
        for c in _customers(owner_id).where(Customer.next_due <= horizon)
        .order_by(Customer.next_due, Customer.id)]
    promises = [
        Promise(p.id, p.customer_id, p.customer.name, p.text, p.due)
        for p in _of_scope(Commitment, owner_id).where(Commitment.status == "open")
        .order_by(Commitment.due, Commitment.id)]
    care = [
        Care(c.id, c.customer_id, c.customer.name, c.kind, c.month, c.day, c.year, c.lunar,
             c.leap, c.note)
        for c in _of_scope(CareDate, owner_id).order_by(CareDate.month, CareDate.day)]
    owner = ctx.user.login if owner_id is not None else _("everyone")
    data, events = calendar_bytes(
        instance=instance, owner=owner, today=today, stamp=ctx.now(),
        follow_ups=follow_ups, promises=promises, care=care,
        lead_days=ctx.config.care_lead_days)
    return data, events, _customers(owner_id).count()


# -- JSON ---------------------------------------------------------------------------------------

_CHILDREN: tuple[tuple[str, type, Callable], ...] = (
    ("contacts", Contact, lambda m: m.id),
    ("interactions", Interaction, lambda m: (m.at, m.id)),
    ("promises", Commitment, lambda m: (m.due, m.id)),
    ("orders", Order, lambda m: (m.on, m.id)),
    ("complaints", Complaint, lambda m: (m.opened_at, m.id)),
    ("care_dates", CareDate, lambda m: m.id),
    ("surveys", Survey, lambda m: (m.at, m.id)),
    ("grade_history", GradeChange, lambda m: (m.at, m.id)),
    ("holiday_greetings", HolidayGreeting, lambda m: (m.day, m.id)),
)


def _record(row, logins: dict[int, str], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every column of a row; users as their login, other references as ids."""
    data = {}
    for field in type(row)._meta.sorted_fields:
        if field.name in skip:
            continue
        value = row.__data__.get(field.name)
        if isinstance(field, ForeignKeyField) and field.rel_model is User:
            value = logins.get(value)
        data[field.name] = value
    return data


def write_json_export(ctx: Context, out, owner_id: int | None, instance: str) -> int:
    from crmtui.output import json_text

    users = list(User.select().order_by(User.id))
    logins = {u.id: u.login for u in users}
    header = {
        "format": "crmtui", "version": 1, "exported_at": ctx.now(),
        "exported_by": ctx.user.login, "scope": "own" if owner_id is not None else "all",
        "users": [{"login": u.login, "display_name": u.display_name, "role": u.role,
                   "active": u.active} for u in users],
    }
    out.write(json_text(header)[:-1] + ', "customers": [\n')
    ids = [row[0] for row in _customers(owner_id).select(Customer.id).tuples()]
    count = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        children: dict[str, dict[int, list]] = {}
        for key, model, order in _CHILDREN:
            grouped: dict[int, list] = {}
            for row in model.select().where(model.customer.in_(chunk)):
                grouped.setdefault(row.customer_id, []).append(row)
            children[key] = {cid: sorted(rows, key=order) for cid, rows in grouped.items()}
        complaint_ids = [k.id for rows in children["complaints"].values() for k in rows]
        events: dict[int, list] = {}
        for event in ComplaintEvent.select().where(ComplaintEvent.complaint.in_(complaint_ids)) \
                .order_by(ComplaintEvent.at, ComplaintEvent.id):
            events.setdefault(event.complaint_id, []).append(
                _record(event, logins, skip=("complaint",)))
        plans = {p.customer_id: p for p in
                 AccountPlan.select().where(AccountPlan.customer.in_(chunk))}
        for customer in Customer.select().where(Customer.id.in_(chunk)).order_by(Customer.id):
            data = _record(customer, logins, skip=("search_doc",))
            for key, _model, _order in _CHILDREN:
                data[key] = [_record(row, logins, skip=("customer",))
                             for row in children[key].get(customer.id, [])]
            for complaint in data["complaints"]:
                complaint["events"] = events.get(complaint["id"], [])
            plan = plans.get(customer.id)
            data["account_plan"] = _record(plan, logins, skip=("customer",)) if plan else None
            out.write(("" if count == 0 else ",\n") + json_text(data))
            count += 1
    out.write("\n]}\n")
    return count


# -- writing and auditing -------------------------------------------------------------------------

def export(ctx: Context, fmt: str, destination: Path | None = None, *,
           everyone: bool = False, stdout=None) -> ExportResult:
    """Write an export to `destination` (or standard output) and record it in the audit log."""
    from crmtui.services.audit import audit

    if fmt not in FORMATS:
        raise InvalidInput.one("format", _("'{fmt}' is not one of {formats}").format(
            fmt=fmt, formats=", ".join(FORMATS)))
    if ctx.store.readonly:
        raise StorageError(_("exports are written to the audit log, and {db} is read-only; "
                             "nothing was exported").format(db=ctx.store.target))
    owner_id = _scope_owner(ctx, everyone)
    instance = instance_id(ctx)  # made in its own short transaction, before the reading starts
    temporary = private_temporary_file(destination) if destination is not None else None
    try:
        with ctx.store.db.atomic():  # one snapshot of the database for the whole file
            if fmt == "ics":
                data, items, customers = calendar_export(ctx, owner_id, instance)
                if temporary is None:
                    out = stdout or sys.stdout
                    out.flush()
                    getattr(out, "buffer", out).write(data)
                else:
                    temporary.write_bytes(data)
            else:
                writer = {"csv": write_csv_export, "vcf": write_vcard_export,
                          "json": write_json_export}[fmt]
                if temporary is None:
                    items = customers = writer(ctx, stdout or sys.stdout, owner_id, instance)
                else:
                    # Excel reads UTF-8 CSV right only with a byte-order mark.
                    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
                    with open(temporary, "w", encoding=encoding, newline="") as out:
                        items = customers = writer(ctx, out, owner_id, instance)
        shown = str(destination) if destination is not None else _("standard output")
        writes(lambda c: audit(c, "export", "customer", None, _(
            "{fmt}: {n} customers ({scope}) to {where}").format(
            fmt=fmt, n=customers, scope=_("all") if owner_id is None else _("own"),
            where=shown)), record=False)(ctx)  # if the rename fails, nothing was exported
        if temporary is not None:
            os.replace(temporary, destination)
            temporary = None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
    return ExportResult(format=fmt, customers=customers, items=items, destination=shown,
                        everyone=owner_id is None)


def private_temporary_file(destination: Path) -> Path:
    """A new private file beside the destination (same directory, so the rename is atomic)."""
    destination = destination.expanduser()
    folder = destination.parent
    if destination.is_dir():
        raise CrmError(_("{path} is a directory; give a file name").format(path=destination))
    if not folder.is_dir():
        raise CrmError(_("there is no directory {path}").format(path=folder))
    mode = file_mode_for(folder)
    for _attempt in range(100):
        path = folder / f".{destination.name}.{uuid.uuid4().hex[:8]}.tmp"
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
        except FileExistsError:
            continue
        except OSError as error:
            raise CrmError(_("cannot write {path}: {reason}").format(
                path=destination, reason=error.strerror)) from None
        os.fchmod(fd, mode)
        os.close(fd)
        return path
    raise CrmError(_("cannot write {path}").format(path=destination))


__all__ = ["FORMATS", "CSV_COLUMNS", "ExportResult", "export", "instance_id",
           "private_temporary_file"]
