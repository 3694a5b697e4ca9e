"""A customer as a list, a search hit or a picker shows them: the archive's headline facts and
the owner's name, read in one query."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from crmtui.views.profile import Person


@dataclass(frozen=True, slots=True)
class CustomerRow:
    """One customer in the customers list, a search's hits or the palette."""

    id: int
    name: str
    company: str
    grade: str
    grade_pinned: bool
    status: str
    next_due: date
    last_contact_on: date | None
    phones: tuple[str, ...]
    email: str
    tags: str
    """Comma-separated, as stored."""
    owner: str
    """The owner's login."""
    owner_name: str
    """The owner's display name, or their login when they have none."""
    version: int
    chased: bool = True
    """On the chase lists (not terminated): only then is a past next due day overdue."""


@dataclass(frozen=True, slots=True)
class EditableCustomer:
    """A customer as the edit form reads it: the archive's editable fields as stored (by the
    names of validation.CUSTOMER_FIELDS), the version a save is checked against, and the
    owner's login."""

    id: int
    name: str
    version: int
    owner: str
    stored: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class SavedCustomer:
    """A customer as a write left them (added, edited, regraded, reassigned, given a
    lifecycle or value class, snoozed): what the dialog's caller and the command line say."""

    id: int
    name: str
    grade: str
    grade_pinned: bool
    next_due: date
    status: str
    lifecycle: str
    lifecycle_reason: str
    value_class: str
    class_pinned: bool
    class_reason: str
    owner: Person
    version: int
