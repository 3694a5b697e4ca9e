"""Errors a user can act on. Each carries one clear sentence; the CLI prints it and exits 1."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime


class CrmError(Exception):
    """A problem the user can understand and fix (bad input, missing record, locked database)."""


class NotFound(CrmError):
    """A customer, complaint or user that does not exist."""


class Forbidden(CrmError):
    """The user's role does not allow the action."""


class StorageError(CrmError):
    """The database cannot be opened or written: locked, read-only, corrupt or newer."""


class Conflict(CrmError):
    """Someone else saved the record since it was read (optimistic locking)."""

    def __init__(
        self, message: str, *, changed_by: str = "", changed_at: datetime | None = None
    ) -> None:
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at


class InvalidInput(CrmError):
    """One or more fields were rejected; `errors` maps field name to the reason."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in self.errors.items()))

    @classmethod
    def one(cls, field: str, reason: str) -> InvalidInput:
        return cls({field: reason})
