"""Addresses for mail clients: what `crmtui find QUERY --format mutt` prints for mutt's
query_command and aerc's address-book-cmd.

The customers `find` finds (pinyin included) that have an e-mail address, each followed by their
contacts with an address; then contacts whose own name or address holds the query, among the
customers the user may see. Contacts' names are matched as typed (no pinyin): their names are not
in the search index.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from crmtui.db import Contact, Customer
from crmtui.services.access import owner_filter
from crmtui.services.context import Context
from crmtui.services.customers import find_customers


@dataclass(frozen=True)
class MailAddress:
    address: str
    name: str
    organisation: str
    """The customer's company (or the customer's name, for a contact of a customer without one)."""


def mail_addresses(ctx: Context, text: str, *, limit: int = 50) -> list[MailAddress]:
    found: list[MailAddress] = []
    seen: set[tuple[str, str]] = set()

    def add(address: str, name: str, organisation: str) -> None:
        key = (address.lower(), name)
        if address and key not in seen and len(found) < limit:
            seen.add(key)
            found.append(MailAddress(address, name, organisation))

    customers = find_customers(ctx, text, limit=limit)
    contacts: dict[int, list[Contact]] = {}
    if customers:
        for contact in (
            Contact.select()
            .where(Contact.customer.in_([c.id for c in customers]), Contact.email != "")
            .order_by(Contact.id)
        ):
            contacts.setdefault(contact.customer_id, []).append(contact)
    for customer in customers:
        add(customer.email, customer.name, customer.company)
        for contact in contacts.get(customer.id, []):
            add(contact.email, contact.name, customer.company or customer.name)
    words = text.strip()
    if words and len(found) < limit:
        query = (
            Contact.select(Contact, Customer)
            .join(Customer, on=Contact.customer)
            .where(
                Contact.email != "", Contact.name.contains(words) | Contact.email.contains(words)
            )
            .order_by(Contact.name, Contact.id)
            .limit(limit)
        )
        owner = owner_filter(ctx, everyone=True)
        if owner is not None:
            query = query.where(Customer.owner == owner)
        for contact in query:
            theirs = contact.customer
            add(contact.email, contact.name, theirs.company or theirs.name)
    return found


def field(text: str) -> str:
    """A value as one tab-separated field: no tabs, line breaks or control characters."""
    cleaned = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text
    )
    return " ".join(cleaned.split())


def mutt_lines(header: str, addresses: list[MailAddress]) -> list[str]:
    """The query output mutt and aerc read: a first line for people, then address TAB name TAB
    organisation per line."""
    return [field(header)] + [
        "\t".join((field(a.address), field(a.name) or field(a.address), field(a.organisation)))
        for a in addresses
    ]
