"""What an export reads: the customers in the user's scope with their records, and each
customer's values in crmtui's own columns."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

from peewee import ModelSelect, fn

from crmtui.db import (
    CareDate,
    Contact,
    Customer,
    Setting,
    User,
)
from crmtui.db.rows import tuple_rows
from crmtui.i18n import _
from crmtui.services.access import require_manager
from crmtui.services.context import Context, writes
from crmtui.services.transfer.values import CareSpec

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


def scope_owner(ctx: Context, everyone: bool) -> int | None:
    """The owner whose customers are exported, or None for everyone (managers only)."""
    if everyone:
        require_manager(ctx, _("export every rep's customers"))
        return None
    return ctx.user.id


def customers_in_scope(owner_id: int | None) -> ModelSelect[Customer]:
    query = Customer.select()
    if owner_id is not None:
        query = query.where(Customer.owner == owner_id)
    return query.order_by(Customer.id)


def of_scope(model: type[Any], owner_id: int | None) -> ModelSelect[Any]:
    """Rows of a child model (one with a `customer` key) whose customer is in scope."""
    query: ModelSelect[Any] = model.select(model, Customer.id, Customer.name).join(
        Customer, on=model.customer
    )
    if owner_id is not None:
        query = query.where(Customer.owner == owner_id)
    return query


def logins_by_id() -> dict[int, str]:
    """Every user's login by id, for the columns that name a user."""
    return dict(tuple_rows(User.select(User.id, User.login), tuple[int, str]))


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


def first_care(owner_id: int | None) -> dict[tuple[int, str], CareSpec]:
    """The first birthday and anniversary of each customer in scope."""
    found: dict[tuple[int, str], CareSpec] = {}
    query = of_scope(CareDate, owner_id).where(CareDate.kind.in_(("birthday", "anniversary")))
    for care in query.order_by(CareDate.id):
        found.setdefault(
            (care.customer_id, care.kind),
            CareSpec(care.kind, care.month, care.day, care.year, care.lunar, care.leap),
        )
    return found


def archive_values(
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


def archive(
    ctx: Context, customer: Customer, logins: dict[int, str], care: dict[tuple[int, str], CareSpec]
) -> dict[str, str]:
    """A customer's importable fields (and the derived figures) as text, by CSV column."""
    values = archive_values(ctx, customer, logins, care)
    for kind in ("birthday", "anniversary"):
        values[kind] = values[kind].to_text() if values[kind] else ""
    return {name: _text(value) for name, value in values.items()}


def contacts_of(owner_id: int | None) -> Iterator[tuple[int, list[Contact]]]:
    """(customer id, its contacts) in customer id order, for the customers in scope."""
    query = Contact.select(Contact).join(Customer, on=Contact.customer)
    if owner_id is not None:
        query = query.where(Customer.owner == owner_id)
    current: int | None = None
    group: list[Contact] = []
    for contact in query.order_by(Contact.customer, Contact.id).iterator():
        if contact.customer_id != current:
            if current is not None:
                yield current, group
            current, group = contact.customer_id, []
        group.append(contact)
    if current is not None:
        yield current, group


class ContactsByCustomer:
    """Each customer's contacts as customers are read in id order (one query, merged)."""

    def __init__(self, owner_id: int | None) -> None:
        self._groups = contacts_of(owner_id)
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


def most_contacts(owner_id: int | None) -> int:
    """The most contacts any customer in scope has (the CSV's contact column groups)."""
    query = Contact.select(Contact.customer, fn.COUNT(Contact.id).alias("n")).join(
        Customer, on=Contact.customer
    )
    if owner_id is not None:
        query = query.where(Customer.owner == owner_id)
    counts = tuple_rows(query.group_by(Contact.customer), tuple[int, int])
    return max((n for _customer_id, n in counts), default=0)


def count_contacts(owner_id: int | None) -> int:
    query = Contact.select().join(Customer, on=Contact.customer)
    if owner_id is not None:
        query = query.where(Customer.owner == owner_id)
    return query.count()
