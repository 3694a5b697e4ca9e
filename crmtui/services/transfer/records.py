"""What a reader hands the importer: one record per customer, with where it starts in the file.

Every source (CSV, workbook, vCard file, vdir) yields records through `SourceFile.records`, an
iterator, so the importer checks them one at a time whatever the format and a reader can stream
a large file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class SourceContact:
    """One contact person of a record: contact field -> text as written in the file."""

    where: str
    """How a message names it: "Contact 2", "Contacts row 7", "card at line 40"."""
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class SourceRecord:
    """One row of a CSV file or a sheet, or one vCard: import field -> text as written."""

    line: int
    """The physical line (a sheet's row) the record starts on, 1-based."""
    values: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    """What made the record unreadable (broken quoting, too many values…)."""
    contacts: list[SourceContact] = field(default_factory=list)
    file: str = ""
    """The file the record is in, when a source has several (a vdir)."""
    ref: str = ""
    """The record's id in its source (a crmtui export's id, a vCard's UID), for what refers
    to it (a Contacts sheet's rows, contact cards)."""


Row = tuple[int, Sequence[str], "str | None"]
"""(line the row starts on, cells as text, problem reading it)."""


class RowReading(Protocol):
    def record(self, line: int, row: Sequence[str], problem: str | None) -> SourceRecord: ...


class RowRecords:
    """A table's records, each read from its row of cells as it is asked for. The importer's
    worker processes may read them instead: `rows` with the `reader` that makes records of
    them (the importing process then only passes cells on)."""

    def __init__(self, rows: Iterable[Row], reader: RowReading) -> None:
        self.rows = rows
        self.reader = reader

    def __iter__(self) -> Iterator[SourceRecord]:
        record = self.reader.record
        for line, cells, problem in self.rows:
            yield record(line, cells, problem)


@dataclass
class SourceFile:
    """A source read for import: its records and what the reader found out about it."""

    kind: str  # csv | xlsx | vcard | vdir
    records: Iterable[SourceRecord] = ()
    encoding: str = "UTF-8"
    delimiter: str = ""
    layout: str = ""
    """The exporting tool whose column layout was recognised: google | outlook | "" (any)."""
    sheet: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    """Import field -> the column or property name the file uses, for messages."""
    ignored_columns: list[str] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Problems with the source as a whole (no name column…): nothing can be imported."""

    def __iter__(self) -> Iterator[SourceRecord]:
        return iter(self.records)
