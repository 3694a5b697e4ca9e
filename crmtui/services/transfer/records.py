"""What a reader hands the importer: one record per customer, with the line it starts on."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourceRecord:
    """One row of a CSV file or one vCard: import field -> text as written in the file."""

    line: int
    """The physical line of the file the record starts on (1-based)."""
    values: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    """What made the record unreadable (broken quoting, too many values…)."""


@dataclass
class SourceFile:
    """A file read for import: its records and what the reader found out about it."""

    kind: str  # csv | vcard
    records: list[SourceRecord]
    encoding: str = "UTF-8"
    delimiter: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    """Import field -> the column or property name the file uses, for messages."""
    ignored_columns: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Problems with the file as a whole (no name column…): nothing can be imported."""
