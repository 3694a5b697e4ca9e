"""vCard files and vdirs: a card per customer and per contact, with stable UIDs."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import TextIO

from crmtui import __version__
from crmtui.services.context import Context
from crmtui.services.transfer.contacts import (
    CONTACT_FIELD_NAMES,
    contact_text,
)
from crmtui.services.transfer.export_scope import (
    VCARD_EXTRA,
    ContactsByCustomer,
    archive,
    customers_in_scope,
    first_care,
    logins_by_id,
)
from crmtui.services.transfer.values import CareSpec
from crmtui.services.transfer.vcard import Card, card_text, contact_card_text
from crmtui.services.transfer.vdir import VdirWriter, file_name


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
    product = f"-//crmtui//crmtui {__version__}//EN"
    logins = logins_by_id()
    care = first_care(owner_id)
    contacts = ContactsByCustomer(owner_id)
    for customer in customers_in_scope(owner_id).iterator():
        values = archive(ctx, customer, logins, care)
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


def write_vcard_export(
    ctx: Context, out: TextIO, owner_id: int | None, instance: str
) -> tuple[int, int]:
    """(customers, contacts written)."""
    counts = [0, 0]
    for _customer_id, contact_id, text in vcard_cards(ctx, owner_id, instance):
        out.write(text)
        counts[contact_id is not None] += 1
    return counts[0], counts[1]


def write_vdir_export(
    ctx: Context, writer: VdirWriter, owner_id: int | None, instance: str
) -> tuple[int, int]:
    """Every card into the vdir writer (files are moved into place after the audit)."""
    counts = [0, 0]
    for customer_id, contact_id, text in vcard_cards(ctx, owner_id, instance):
        writer.add(file_name(customer_id, contact_id), text)
        counts[contact_id is not None] += 1
    return counts[0], counts[1]
