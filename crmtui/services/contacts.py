"""The people at a customer (联系人) and their part in the decision: who decides (谁是决策人),
who influences, who buys, who uses.

A rep adds, edits and removes the contacts of their own customers, a manager anyone's; support
reads them. Each write rebuilds the customer's search document in the same transaction, so a
contact's name (or its pinyin) finds the customer. Removing a contact is kept in the audit log;
the interactions that named the contact keep the name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from crmtui.db import Contact, Customer
from crmtui.errors import CrmError, InvalidInput, NotFound
from crmtui.i18n import _
from crmtui.patterns import lazy_pattern
from crmtui.search import name_matches, query_terms, search_document
from crmtui.services.access import get_editable_customer, get_visible_customer, record_id
from crmtui.services.audit import audit
from crmtui.services.context import Context, writes
from crmtui.services.customer_columns import refresh_search
from crmtui.services.validation import (
    CONTACT_ROLES,
    FieldError,
    choice,
    clean_email,
    clean_fields,
    clean_phones,
    optional_text,
    required_text,
)
from crmtui.views.contacts import ContactCard

DEFAULT_ROLE = "other"

_BIRTHDAY = (
    lazy_pattern(r"(?:(\d{4})-|--)?(\d{1,2})-(\d{1,2})"),  # 1985-03-15, 03-15, --03-15
    lazy_pattern(r"(?:(\d{4})|--)(\d{2})(\d{2})"),
)  # vCard's 19850315, --0315


def clean_birthday(value: Any, today: date | None = None) -> str:
    """A birthday as YYYY-MM-DD, or --MM-DD (as vCard writes it) when the year is not known;
    typed as 1985-03-15, 03-15 or --03-15 (or as vCard's 19850315 and --0315)."""
    text = "" if value is None else str(value).strip().replace("/", "-")
    if not text:
        return ""
    match = _BIRTHDAY[0].fullmatch(text) or _BIRTHDAY[1].fullmatch(text)
    if match is None:
        raise FieldError(
            _("'{text}' is not a birthday (write 1985-03-15, or 03-15 without the year)").format(
                text=value
            )
        )
    year_text, month_text, day_text = match.groups()  # the month and day are always there
    year = int(year_text) if year_text else None
    month, day = int(month_text), int(day_text)
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: 02-29 without a year is a day
    except ValueError:
        raise FieldError(_("'{text}' is not a day of the year").format(text=value)) from None
    if year is not None and (year < 1900 or (today is not None and date(year, month, day) > today)):
        raise FieldError(_("'{text}' is not a birthday in the past").format(text=value))
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


CONTACT_FIELDS: dict[str, Callable[[Any, date], Any]] = {
    "name": required_text(200),
    "role": choice(CONTACT_ROLES),
    "title": optional_text(100),
    "department": optional_text(100),
    "phones": clean_phones,
    "email": clean_email,
    "im_id": optional_text(100),
    "birthday": clean_birthday,
    "notes": optional_text(2000, multiline=True),
}
"""Each field as forms and the command line name it; `phones` and `notes` are stored in the
`phone` and `note` columns."""

_COLUMNS = {"phones": "phone", "notes": "note"}


def _cleaned(ctx: Context, values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = clean_fields(values, ctx.today(), CONTACT_FIELDS)
    return {_COLUMNS.get(name, name): value for name, value in cleaned.items()}


def _refresh_search(customer: Customer) -> None:
    refresh_search(customer)
    Customer.update(search_doc=customer.search_doc).where(Customer.id == customer.id).execute()


@writes
def add_contact(ctx: Context, customer_id: int, values: Mapping[str, Any]) -> ContactCard:
    """A new contact at the customer; a name is required, the role defaults to `other`."""
    customer = get_editable_customer(ctx, customer_id)
    values = {"role": DEFAULT_ROLE, **{k: v for k, v in values.items() if v is not None}}
    values.setdefault("name", "")
    cleaned = _cleaned(ctx, values)
    contact = Contact.create(customer=customer, **cleaned)
    _refresh_search(customer)
    return contact_card(contact)


def _editable_contact(ctx: Context, contact_id: Any) -> tuple[Contact, Customer]:
    contact = _contact(contact_id)
    try:
        customer = get_editable_customer(ctx, contact.customer_id)
    except NotFound:
        raise NotFound(_("no contact with id {id}").format(id=contact_id)) from None
    return contact, customer


def _contact(contact_id: Any) -> Contact:
    number = record_id(contact_id)  # none beyond any id stored: the database cannot hold it
    if number is None:
        raise NotFound(_("'{text}' is not a contact id").format(text=contact_id))
    contact = Contact.get_or_none(Contact.id == number)
    if contact is None:
        raise NotFound(_("no contact with id {id}").format(id=number))
    return contact


@writes
def update_contact(ctx: Context, contact_id: Any, changes: Mapping[str, Any]) -> ContactCard:
    """Change the fields given (None leaves a field as it is; an empty text clears it)."""
    contact, customer = _editable_contact(ctx, contact_id)
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        raise InvalidInput.one("contact", _("say what to change"))
    cleaned = _cleaned(ctx, changes)
    for name, value in cleaned.items():
        setattr(contact, name, value)
    contact.save()
    if {"name", "phone", "email"} & cleaned.keys():
        _refresh_search(customer)
    return contact_card(contact)


@writes
def remove_contact(ctx: Context, contact_id: Any) -> ContactCard:
    """Remove a contact (audited); interactions that named them keep the name."""
    contact, customer = _editable_contact(ctx, contact_id)
    Contact.delete().where(Contact.id == contact.id).execute()
    _refresh_search(customer)
    audit(
        ctx,
        "delete",
        "contact",
        contact.id,
        f"{contact.name} ({contact.role}) at {customer.name} (#{customer.id})",
    )
    return contact_card(contact)


def visible_contact(ctx: Context, contact_id: Any) -> ContactCard:
    """A contact whose customer the user may see."""
    contact = _contact(contact_id)
    try:
        get_visible_customer(ctx, contact.customer_id)
    except NotFound:
        raise NotFound(_("no contact with id {id}").format(id=contact_id)) from None
    return contact_card(contact)


def contacts_of(ctx: Context, customer_id: int) -> list[ContactCard]:
    """The customer's contacts: decision makers first, then by name."""
    get_visible_customer(ctx, customer_id)
    rank = {role: place for place, role in enumerate(CONTACT_ROLES)}
    rows = Contact.select().where(Contact.customer == customer_id)
    ordered = sorted(rows, key=lambda c: (rank.get(c.role, len(rank)), c.name.casefold(), c.id))
    return [contact_card(contact) for contact in ordered]


def contact_card(contact: Contact) -> ContactCard:
    return ContactCard(
        id=contact.id,
        customer_id=contact.customer_id,
        name=contact.name,
        role=contact.role,
        title=contact.title,
        department=contact.department,
        phones=tuple(contact.phone_list),
        email=contact.email,
        im_id=contact.im_id,
        birthday=contact.birthday or "",
        notes=contact.note,
    )


def contact_field(customer_id: int, contact: Any) -> Contact | None:
    """A form's contact field: the customer's contact by id or name, None when left empty, and
    the reason as a FieldError when it names nobody."""
    if contact is None or (isinstance(contact, str) and not contact.strip()):
        return None
    try:
        return find_contact(customer_id, contact)
    except InvalidInput as error:
        raise FieldError(" ".join(error.errors.values())) from None
    except CrmError as error:
        raise FieldError(str(error)) from None


def find_contact(customer_id: int, text: Any) -> Contact:
    """The customer's contact a typed name means: the exact name (any case), else the one
    contact whose name (or its pinyin) starts with what was typed; an int is a contact's id."""
    if isinstance(text, int):
        contact = Contact.get_or_none((Contact.id == text) & (Contact.customer == customer_id))
        if contact is None:
            raise InvalidInput.one(
                "contact", _("no contact #{id} at this customer").format(id=text)
            )
        return contact
    typed = str(text or "").strip()
    if not typed:
        raise InvalidInput.one("contact", _("required"))
    people = list(Contact.select().where(Contact.customer == customer_id).order_by(Contact.id))
    exact = [c for c in people if c.name.casefold() == typed.casefold()]
    terms = query_terms(typed)
    found = exact or [c for c in people if terms and name_matches(search_document(c.name), terms)]
    if len(found) == 1:
        return found[0]
    if not found:
        known = ", ".join(c.name for c in people[:8]) or _("none yet")
        raise InvalidInput.one(
            "contact",
            _("no contact '{text}' at this customer (contacts: {known})").format(
                text=typed, known=known
            ),
        )
    raise CrmError(
        _("'{text}' matches several contacts: {names}; type more of the name").format(
            text=typed, names=", ".join(f"{c.name} (#{c.id})" for c in found[:5])
        )
    )


def contact_json(contact: ContactCard) -> dict[str, Any]:
    return {
        "id": contact.id,
        "customer_id": contact.customer_id,
        "name": contact.name,
        "role": contact.role,
        "title": contact.title,
        "department": contact.department,
        "phones": list(contact.phones),
        "email": contact.email,
        "im_id": contact.im_id,
        "birthday": contact.birthday or None,
        "notes": contact.notes,
    }


__all__ = [
    "CONTACT_ROLES",
    "CONTACT_FIELDS",
    "DEFAULT_ROLE",
    "clean_birthday",
    "add_contact",
    "update_contact",
    "remove_contact",
    "visible_contact",
    "contacts_of",
    "contact_card",
    "find_contact",
    "contact_json",
]
