"""A person at a customer (联系人) as the contact forms, the log form and `crmtui contact`
read them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ContactCard:
    """Every field of one contact, as stored."""

    id: int
    customer_id: int
    name: str
    role: str
    title: str
    department: str
    phones: tuple[str, ...]
    email: str
    im_id: str
    birthday: str
    """YYYY-MM-DD, --MM-DD when the year is not known, or ""."""
    notes: str
