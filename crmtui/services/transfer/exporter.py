"""Exports (SPEC §5): CSV (crmtui's own layout, or Google's or Outlook's), Excel workbooks,
vCard files and vdirs that re-import to the same customers with their contacts, an iCalendar
file of the user's follow-ups, promises and care dates, and JSON of everything the user may see.

A rep (and a manager, by default) exports their own customers; a manager exports everyone's
with `everyone`. Every export is written to the audit log, so an export needs a writable
database. A file is written private (like the database) beside its destination and moved into
place only once the audit entry is saved.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from peewee import ForeignKeyField, fn

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
    Setting,
    Survey,
    User,
)
from crmtui.db.connection import file_mode_for
from crmtui.errors import CrmError, InvalidInput, StorageError
from crmtui.i18n import _
from crmtui.locations import user_path
from crmtui.patterns import lazy_pattern
from crmtui.services.access import require_manager
from crmtui.services.context import Context, writes
from crmtui.services.transfer.contacts import (
    CONTACT_FIELD_NAMES,
    CONTACT_FIELDS,
    contact_column,
    contact_text,
)
from crmtui.services.transfer.table import FORMULA_START
from crmtui.services.transfer.values import CareSpec

FORMATS = ("csv", "vcf", "ics", "json", "xlsx", "vdir")
FOLLOW_UP_DAYS = 90
"""The calendar holds follow-ups due within this many days (and every overdue one)."""
CHUNK = 500

# The columns of a CSV export, in order. The import reads every one of them back except the
# last few, which are figures derived from the history.
CSV_COLUMNS = (
    "id",
    "name",
    "company",
    "title",
    "phones",
    "email",
    "address",
    "im_id",
    "native_place",
    "education",
    "family",
    "personality",
    "notes",
    "tags",
    "goals",
    "opinions",
    "situation",
    "competitors",
    "membership",
    "birthday",
    "anniversary",
    "need",
    "expected_close",
    "expected_amount",
    "grade",
    "grade_pinned",
    "pin_reason",
    "cadence",
    "status",
    "deal_status",
    "source",
    "credit_limit",
    "credit_rating",
    "owner",
    "last_contact",
    "next_step",
    "next_step_on",
    "next_due",
    "followups",
    "revenue",
    "created_on",
)
# crmtui fields a vCard has no property for: written as X-CRMTUI-<FIELD>.
VCARD_EXTRA = (
    "im_id",
    "native_place",
    "education",
    "family",
    "personality",
    "goals",
    "opinions",
    "situation",
    "competitors",
    "membership",
    "need",
    "expected_close",
    "expected_amount",
    "grade",
    "grade_pinned",
    "pin_reason",
    "cadence",
    "status",
    "deal_status",
    "source",
    "credit_limit",
    "credit_rating",
    "owner",
    "last_contact",
    "next_step",
    "next_step_on",
)
# Columns written as numbers: a number there stays a number (no formula guard before a sign).
NUMERIC_COLUMNS = frozenset(("id", "expected_amount", "credit_limit", "followups", "revenue"))


@dataclass(frozen=True)
class ExportResult:
    format: str
    customers: int
    items: int
    """What the file holds: customers, or calendar events for ics."""
    destination: str
    everyone: bool
    layout: str = "crmtui"
    contacts: int = 0
    """Contacts written with their customers."""
    contacts_left_out: int = 0
    """Contacts of the customers that the chosen layout cannot hold (Google's, Outlook's)."""
    unchanged: int = 0
    """vdir: files already holding the card written."""
    others: int = 0
    """vdir: card files in the folder that this export did not write."""


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
        found.setdefault(
            (care.customer_id, care.kind),
            CareSpec(care.kind, care.month, care.day, care.year, care.lunar, care.leap),
        )
    return found


def _archive_values(
    ctx: Context, customer: Customer, logins: dict[int, str], care: dict[tuple[int, str], CareSpec]
) -> dict[str, Any]:
    """A customer's importable fields (and the derived figures) as stored, by CSV column."""
    values = {
        name: getattr(customer, name)
        for name in CSV_COLUMNS
        if name in Customer._meta.fields and name != "owner"
    }
    values["owner"] = logins.get(customer.owner_id, "")
    values["last_contact"] = (
        ctx.local_date(customer.last_contact_at) if customer.last_contact_at else None
    )
    for kind in ("birthday", "anniversary"):
        values[kind] = care.get((customer.id, kind))
    return {name: values.get(name) for name in CSV_COLUMNS}


def _archive(
    ctx: Context, customer: Customer, logins: dict[int, str], care: dict[tuple[int, str], CareSpec]
) -> dict[str, str]:
    """A customer's importable fields (and the derived figures) as text, by CSV column."""
    values = _archive_values(ctx, customer, logins, care)
    for kind in ("birthday", "anniversary"):
        values[kind] = values[kind].to_text() if values[kind] else ""
    return {name: _text(value) for name, value in values.items()}


def _contacts_of(owner_id: int | None) -> Iterator[tuple[int, list[Contact]]]:
    """(customer id, its contacts) in customer id order, for the customers in scope."""
    query = Contact.select(Contact).join(Customer, on=Contact.customer)
    if owner_id is not None:
        query = query.where(Customer.owner == owner_id)
    current, group = None, []
    for contact in query.order_by(Contact.customer, Contact.id).iterator():
        if contact.customer_id != current:
            if group:
                yield current, group
            current, group = contact.customer_id, []
        group.append(contact)
    if group:
        yield current, group


class _ContactsByCustomer:
    """Each customer's contacts as customers are read in id order (one query, merged)."""

    def __init__(self, owner_id: int | None) -> None:
        self._groups = _contacts_of(owner_id)
        self._next = next(self._groups, None)
        self.count = 0

    def of(self, customer_id: int) -> list[Contact]:
        while self._next is not None and self._next[0] < customer_id:
            self._next = next(self._groups, None)
        if self._next is not None and self._next[0] == customer_id:
            found = self._next[1]
            self._next = next(self._groups, None)
            self.count += len(found)
            return found
        return []


def _most_contacts(owner_id: int | None) -> int:
    """The most contacts any customer in scope has (the CSV's contact column groups)."""
    query = Contact.select(Contact.customer, fn.COUNT(Contact.id).alias("n")).join(
        Customer, on=Contact.customer
    )
    if owner_id is not None:
        query = query.where(Customer.owner == owner_id)
    counts = query.group_by(Contact.customer).tuples()
    return max((n for _cid, n in counts), default=0)


def _count_contacts(owner_id: int | None) -> int:
    query = Contact.select().join(Customer, on=Contact.customer)
    if owner_id is not None:
        query = query.where(Customer.owner == owner_id)
    return query.count()


# -- CSV ------------------------------------------------------------------------------------------

_NUMBER = lazy_pattern(r"[+-]?\d+(\.\d+)?")


def safe_cell(text: str, numeric: bool = False) -> str:
    """Text a spreadsheet would run as a formula, with a ' before it (imports take it off); a
    number in a numeric column stays a number."""
    if text.startswith(FORMULA_START) and not (numeric and _NUMBER.fullmatch(text)):
        return "'" + text
    return text


_DIGITS_ONLY = lazy_pattern(r"[+-]?[\d\s().-]+")


def contacts_tool_cell(text: str) -> str:
    """A cell of Google's or Outlook's layout, read by their importers, which keep a ' as part
    of the value: phone numbers and dates (+86 138…, --07-04), which can call no function, are
    written as they are; other formula-like text is guarded as in crmtui's own CSV."""
    if text[:1] in "+-" and _DIGITS_ONLY.fullmatch(text):
        return text
    return safe_cell(text)


def write_csv_export(
    ctx: Context, out, owner_id: int | None, instance: str, layout: str = "crmtui"
) -> tuple[int, int]:
    """(customers, contacts written)."""
    from crmtui.services.transfer.csvfile import write_csv

    logins = dict(User.select(User.id, User.login).tuples())
    care = _first_care(owner_id)
    if layout != "crmtui":
        from crmtui.services.transfer.layouts import (
            GOOGLE_HEADER,
            OUTLOOK_HEADER,
            google_row,
            outlook_row,
        )

        header, build = (
            (GOOGLE_HEADER, google_row) if layout == "google" else (OUTLOOK_HEADER, outlook_row)
        )

        def rows():
            for c in _customers(owner_id).iterator():
                values = _archive(ctx, c, logins, care)
                yield [
                    contacts_tool_cell(v)
                    for v in build(
                        values,
                        c.phone_list,
                        c.tag_list,
                        care.get((c.id, "birthday")),
                        care.get((c.id, "anniversary")),
                    )
                ]

        return write_csv(out, header, rows()), 0
    most = _most_contacts(owner_id)
    header = list(CSV_COLUMNS) + [
        contact_column(n, f) for n in range(1, most + 1) for f in CONTACT_FIELD_NAMES
    ]
    contacts = _ContactsByCustomer(owner_id)
    numeric = [name in NUMERIC_COLUMNS for name in CSV_COLUMNS]

    def crmtui_rows():
        for c in _customers(owner_id).iterator():
            row = [
                safe_cell(v, n)
                for v, n in zip(_archive(ctx, c, logins, care).values(), numeric, strict=True)
            ]
            people = contacts.of(c.id)
            for contact in people:
                row += [safe_cell(contact_text(getattr(contact, f))) for f in CONTACT_FIELD_NAMES]
            row += [""] * (len(CONTACT_FIELD_NAMES) * (most - len(people)))
            yield row

    count = write_csv(out, header, crmtui_rows())
    return count, contacts.count


# -- vCard ----------------------------------------------------------------------------------------


def _vcard_date(spec: CareSpec | None) -> str:
    if spec is None or spec.lunar:
        return ""
    return (f"{spec.year:04d}" if spec.year else "--") + f"{spec.month:02d}{spec.day:02d}"


def _uid(instance: str, kind: str, row_id: int) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"crmtui:{instance}:{kind}:{row_id}"))


def vcard_cards(
    ctx: Context, owner_id: int | None, instance: str
) -> Iterator[tuple[int, int | None, str]]:
    """(customer id, contact id or None, card text): each customer in scope, then its
    contacts' cards."""
    from crmtui import __version__
    from crmtui.services.transfer.vcard import Card, card_text, contact_card_text

    product = f"-//crmtui//crmtui {__version__}//EN"
    logins = dict(User.select(User.id, User.login).tuples())
    care = _first_care(owner_id)
    contacts = _ContactsByCustomer(owner_id)
    for customer in _customers(owner_id).iterator():
        values = _archive(ctx, customer, logins, care)
        birthday = care.get((customer.id, "birthday"))
        anniversary = care.get((customer.id, "anniversary"))
        extra = [(name, values[name]) for name in VCARD_EXTRA]
        for kind, spec in (("birthday", birthday), ("anniversary", anniversary)):
            if spec is not None and spec.lunar:
                extra.append((kind, spec.to_text()))
        uid = _uid(instance, "customer", customer.id)
        yield (
            customer.id,
            None,
            card_text(
                Card(
                    uid=uid,
                    name=customer.name,
                    company=customer.company,
                    title=customer.title,
                    phones=customer.phone_list,
                    email=customer.email,
                    address=customer.address,
                    notes=customer.notes,
                    tags=customer.tag_list,
                    birthday=_vcard_date(birthday),
                    anniversary=_vcard_date(anniversary),
                    revision=customer.updated_at.strftime("%Y%m%dT%H%M%SZ"),
                    extra=extra,
                ),
                product,
            ),
        )
        for contact in contacts.of(customer.id):
            contact_uid = _uid(instance, "contact", contact.id)
            yield (
                customer.id,
                contact.id,
                contact_card_text(
                    contact_uid,
                    uid,
                    customer.company or customer.name,
                    {f: contact_text(getattr(contact, f)) for f in CONTACT_FIELD_NAMES},
                    product,
                ),
            )


def write_vcard_export(ctx: Context, out, owner_id: int | None, instance: str) -> tuple[int, int]:
    """(customers, contacts written)."""
    counts = [0, 0]
    for _customer_id, contact_id, text in vcard_cards(ctx, owner_id, instance):
        out.write(text)
        counts[contact_id is not None] += 1
    return counts[0], counts[1]


# -- Excel ----------------------------------------------------------------------------------------


def _sheet_value(value: Any, column: str) -> Any:
    """A stored value as a workbook cell: dates and amounts typed, choices in the interface
    language as the import reads them back, yes/no as words."""
    from crmtui.labels import label

    if value is None or value == "":
        return ""
    if isinstance(value, CareSpec):
        if value.year and not value.lunar:
            return date(value.year, value.month, value.day)
        return _care_words(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if column in _CHOICE_LABELS and isinstance(value, str):
        return label(_CHOICE_LABELS[column], value)
    return value


_CHOICE_LABELS = {
    "need": "need",
    "status": "status",
    "deal_status": "deal",
    "source": "source",
    "cadence": "cadence",
}


def _care_words(spec: CareSpec) -> str:
    """A lunar or yearless date as text the import reads: 农历闰--04-15 in Chinese."""
    from crmtui.i18n import current_language

    text = spec.to_text()
    if current_language() == "zh" and spec.lunar:
        day = text.split(" ")[-1]
        return "农历" + ("闰" if spec.leap else "") + day
    return text


def sheet_headers() -> tuple[list[str], list[str]]:
    """The customers' and the contacts' sheet headers in the interface language."""
    from crmtui.i18n import pgettext
    from crmtui.services.transfer.columns import COLUMN_TITLES, CONTACT_SHEET_TITLES

    customers = [pgettext("column", COLUMN_TITLES[name]) for name in CSV_COLUMNS]
    contacts = [pgettext("column", title) for title in CONTACT_SHEET_TITLES] + [
        pgettext("column", spec.title) for spec in CONTACT_FIELDS
    ]
    return customers, contacts


def write_xlsx_export(
    ctx: Context, path: Path, owner_id: int | None, instance: str
) -> tuple[int, int]:
    """A workbook: the customers on one sheet, their contacts on a second. (customers,
    contacts)."""
    from crmtui.services.transfer.workbook import write_workbook

    logins = dict(User.select(User.id, User.login).tuples())
    care = _first_care(owner_id)
    customer_header, contact_header = sheet_headers()

    def customer_rows():
        for c in _customers(owner_id).iterator():
            values = _archive_values(ctx, c, logins, care)
            yield [_sheet_value(values[name], name) for name in CSV_COLUMNS]

    names = dict(_customers(owner_id).select(Customer.id, Customer.name).tuples())
    counted = [0]

    def contact_rows():
        for customer_id, people in _contacts_of(owner_id):
            for contact in people:
                counted[0] += 1
                yield [customer_id, names.get(customer_id, "")] + [
                    _sheet_value(getattr(contact, spec.name), "")
                    if spec.name != "role"
                    else _role_word(contact.role)
                    for spec in CONTACT_FIELDS
                ]

    count = write_workbook(
        path,
        [
            (_("Customers"), customer_header, customer_rows()),
            (_("Contacts"), contact_header, contact_rows()),
        ],
    )
    return count, counted[0]


def _role_word(role: str) -> str:
    from crmtui.labels import label

    return label("contact_role", role)


# -- vdir -----------------------------------------------------------------------------------------


def write_vdir_export(ctx: Context, writer, owner_id: int | None, instance: str) -> tuple[int, int]:
    """Every card into the vdir writer (files are moved into place after the audit)."""
    from crmtui.services.transfer.vdir import file_name

    counts = [0, 0]
    for customer_id, contact_id, text in vcard_cards(ctx, owner_id, instance):
        writer.add(file_name(customer_id, contact_id), text)
        counts[contact_id is not None] += 1
    return counts[0], counts[1]


# -- iCalendar ------------------------------------------------------------------------------------


def calendar_export(ctx: Context, owner_id: int | None, instance: str) -> tuple[bytes, int, int]:
    """(file bytes, events, customers in scope)."""
    from crmtui.labels import label
    from crmtui.rules import day_window
    from crmtui.services.transfer.ics import Care, FollowUp, Promise, Visit, calendar_bytes

    today = ctx.today()
    horizon = today + timedelta(days=FOLLOW_UP_DAYS)
    follow_ups = [
        FollowUp(c.id, c.name, c.company, c.grade, c.next_due, c.next_step, ", ".join(c.phone_list))
        for c in _customers(owner_id)
        .where(Customer.next_due <= horizon)
        .order_by(Customer.next_due, Customer.id)
    ]
    promises = [
        Promise(p.id, p.customer_id, p.customer.name, p.text, p.due)
        for p in _of_scope(Commitment, owner_id)
        .where(Commitment.status == "open")
        .order_by(Commitment.due, Commitment.id)
    ]
    care = [
        Care(
            c.id,
            c.customer_id,
            c.customer.name,
            c.kind,
            c.month,
            c.day,
            c.year,
            c.lunar,
            c.leap,
            c.note,
        )
        for c in _of_scope(CareDate, owner_id).order_by(CareDate.month, CareDate.day)
    ]
    # the appointments from today on: the user's own schedule, or everyone's
    query = (
        Appointment.select(Appointment, Customer.id, Customer.name, Customer.company)
        .join(Customer, on=Appointment.customer)
        .where(Appointment.starts_at >= day_window(today, ctx.zone)[0])
    )
    if owner_id is not None:
        query = query.where(Appointment.user == owner_id)
    appointments = [
        Visit(
            a.id,
            a.customer_id,
            a.customer.name,
            a.customer.company,
            label("appointment_kind", a.kind),
            a.starts_at,
            a.ends_at,
            a.place,
            label("purpose", a.purpose),
            a.prep,
            a.contact_name,
            a.status == "cancelled",
        )
        for a in query.order_by(Appointment.starts_at, Appointment.id)
    ]
    owner = ctx.user.login if owner_id is not None else _("everyone")
    data, events = calendar_bytes(
        instance=instance,
        owner=owner,
        today=today,
        stamp=ctx.now(),
        follow_ups=follow_ups,
        promises=promises,
        care=care,
        lead_days=ctx.config.care_lead_days,
        appointments=appointments,
    )
    return data, events, _customers(owner_id).count()


# -- JSON -----------------------------------------------------------------------------------------

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
    ("instructions", Instruction, lambda m: (m.due, m.id)),
    ("appointments", Appointment, lambda m: (m.starts_at, m.id)),
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
    ids = [row[0] for row in _customers(owner_id).select(Customer.id).tuples()]
    count = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        children: dict[str, dict[int, list]] = {}
        for key, model, order in _CHILDREN:
            grouped: dict[int, list] = {}
            for row in model.select().where(model.customer.in_(chunk)):
                grouped.setdefault(row.customer_id, []).append(row)
            children[key] = {cid: sorted(rows, key=order) for cid, rows in grouped.items()}
        complaint_ids = [k.id for rows in children["complaints"].values() for k in rows]
        events: dict[int, list] = {}
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
                    _record(row, logins, skip=("customer",))
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


# -- writing and auditing -------------------------------------------------------------------------


def export(
    ctx: Context,
    fmt: str,
    destination: Path | None = None,
    *,
    everyone: bool = False,
    stdout=None,
    layout: str = "crmtui",
) -> ExportResult:
    """Write an export to `destination` (or standard output) and record it in the audit log."""
    from crmtui.services.audit import audit
    from crmtui.services.transfer.layouts import LAYOUTS

    if fmt not in FORMATS:
        raise InvalidInput.one(
            "format",
            _("'{fmt}' is not one of {formats}").format(fmt=fmt, formats=", ".join(FORMATS)),
        )
    if layout not in LAYOUTS:
        raise InvalidInput.one(
            "layout",
            _("'{layout}' is not one of {layouts}").format(
                layout=layout, layouts=", ".join(LAYOUTS)
            ),
        )
    if layout != "crmtui" and fmt != "csv":
        raise CrmError(
            _("--layout {layout} is a layout of CSV files; use it with --format csv").format(
                layout=layout
            )
        )
    if fmt in ("xlsx", "vdir") and destination is None:
        raise CrmError(
            _(
                "--format xlsx writes a file and --format vdir a folder; name it "
                "(crmtui export --format {fmt} PATH)"
            ).format(fmt=fmt)
        )
    if ctx.store.readonly:
        raise StorageError(
            _(
                "exports are written to the audit log, and {db} is read-only; nothing was exported"
            ).format(db=ctx.store.target)
        )
    owner_id = _scope_owner(ctx, everyone)
    folder = _vdir_folder(destination) if fmt == "vdir" else None
    instance = instance_id(ctx)  # made in its own short transaction, before the reading starts
    temporary = (
        private_temporary_file(destination) if destination is not None and folder is None else None
    )
    vdir = None
    contacts = unchanged = others = 0
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
            elif fmt == "xlsx":
                customers, contacts = write_xlsx_export(ctx, temporary, owner_id, instance)
            elif fmt == "vdir":
                from crmtui.services.transfer.vdir import VdirWriter

                vdir = VdirWriter(folder, file_mode_for(folder))
                customers, contacts = write_vdir_export(ctx, vdir, owner_id, instance)
            else:
                if fmt == "json":

                    def writer(ctx, out, owner_id, instance):
                        return write_json_export(ctx, out, owner_id, instance), 0
                elif fmt == "csv":

                    def writer(ctx, out, owner_id, instance):
                        return write_csv_export(ctx, out, owner_id, instance, layout)
                else:
                    writer = write_vcard_export
                if temporary is None:
                    customers, contacts = writer(ctx, stdout or sys.stdout, owner_id, instance)
                else:
                    # Excel reads UTF-8 CSV right only with a byte-order mark.
                    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
                    with open(temporary, "w", encoding=encoding, newline="") as out:
                        customers, contacts = writer(ctx, out, owner_id, instance)
            if fmt != "ics":
                items = customers
            left_out = _count_contacts(owner_id) if layout != "crmtui" else 0
        shown = str(destination) if destination is not None else _("standard output")
        writes(
            lambda c: audit(
                c,
                "export",
                "customer",
                None,
                _("{fmt}: {n} customers ({scope}) to {where}").format(
                    fmt=fmt if layout == "crmtui" else f"{fmt} ({layout})",
                    n=customers,
                    scope=_("all") if owner_id is None else _("own"),
                    where=shown,
                ),
            ),
            record=False,
        )(ctx)  # if the rename fails, nothing was exported
        if temporary is not None:
            os.replace(temporary, destination)
            temporary = None
        if vdir is not None:
            vdir.commit()
            unchanged, others = vdir.unchanged, vdir.others()
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        if vdir is not None:
            vdir.discard()
    return ExportResult(
        format=fmt,
        customers=customers,
        items=items,
        destination=shown,
        everyone=owner_id is None,
        layout=layout,
        contacts=contacts,
        contacts_left_out=left_out,
        unchanged=unchanged,
        others=others,
    )


def _vdir_folder(destination: Path) -> Path:
    """The vdir's folder, made when its parent exists."""
    folder = user_path(destination)
    if folder.exists() and not folder.is_dir():
        raise CrmError(_("{path} is a file; a vdir is a folder").format(path=folder))
    if not folder.exists():
        if not folder.parent.is_dir():
            raise CrmError(_("there is no directory {path}").format(path=folder.parent))
        try:
            folder.mkdir(mode=0o700 if file_mode_for(folder.parent) == 0o600 else 0o770)
        except OSError as error:
            raise CrmError(
                _("cannot make the folder {path}: {reason}").format(
                    path=folder, reason=error.strerror
                )
            ) from None
    return folder


def private_temporary_file(destination: Path) -> Path:
    """A new private file beside the destination (same directory, so the rename is atomic)."""
    destination = user_path(destination)
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
            raise CrmError(
                _("cannot write {path}: {reason}").format(path=destination, reason=error.strerror)
            ) from None
        os.fchmod(fd, mode)
        os.close(fd)
        return path
    raise CrmError(_("cannot write {path}").format(path=destination))


__all__ = [
    "FORMATS",
    "CSV_COLUMNS",
    "ExportResult",
    "export",
    "instance_id",
    "private_temporary_file",
    "safe_cell",
    "sheet_headers",
]
