"""What an import reports: the records rejected (by line, with every reason), the duplicates of
stored customers or of earlier records, and the counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Rejection:
    line: int
    name: str
    reasons: tuple[str, ...]
    file: str = ""
    """The file of a vdir, or the sheet of a workbook's contact, the line is in."""

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "file": self.file or None,
            "name": self.name,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Duplicate:
    """A record not imported because its customer is already there."""

    line: int
    name: str
    match: str
    """What matched: "phone 138 1234 5678" or "e-mail a@b.cn"."""
    file: str = ""
    existing_id: int | None = None
    existing_name: str = ""
    existing_owner: str = ""
    earlier_line: int | None = None
    """The line of the file's earlier record for the same customer."""
    merge: tuple[int, int] | None = None
    """(keep, other) when the record matches two existing customers: they are one person."""

    @property
    def merge_command(self) -> str | None:
        return f"crmtui merge {self.merge[0]} {self.merge[1]}" if self.merge else None

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "file": self.file or None,
            "name": self.name,
            "match": self.match,
            "existing_id": self.existing_id,
            "existing_name": self.existing_name,
            "existing_owner": self.existing_owner,
            "earlier_line": self.earlier_line,
            "merge": self.merge_command,
        }


@dataclass
class ImportReport:
    file: str
    kind: str
    encoding: str
    delimiter: str
    records: int = 0
    imported: int = 0
    """Customers created (with dry_run: that would be created)."""
    pinned: int = 0
    care_dates: int = 0
    contacts: int = 0
    """Contacts created with the customers (with dry_run: that would be)."""
    rejected: list[Rejection] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)
    layout: str = ""
    sheet: str = ""
    dry_run: bool = False
    skip_bad: bool = False
    committed: bool = False
    ids: tuple[int, int] | None = None
    """The first and last id created."""

    @property
    def blocked(self) -> bool:
        """True when bad records stopped the whole import."""
        return bool(self.rejected) and not self.skip_bad

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "layout": self.layout or None,
            "sheet": self.sheet or None,
            "records": self.records,
            "imported": self.imported,
            "pinned": self.pinned,
            "care_dates": self.care_dates,
            "contacts": self.contacts,
            "rejected": [r.to_json() for r in self.rejected],
            "duplicates": [d.to_json() for d in self.duplicates],
            "ignored_columns": self.ignored_columns,
            "ignored_files": self.ignored_files,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "first_id": self.ids[0] if self.ids else None,
            "last_id": self.ids[1] if self.ids else None,
        }
