"""Rows of cells with a header, as CSV files and workbook sheets hold them, into source records.

One reader for every tabular source, so a CSV file and a sheet are read alike: the header is
the row among the first few that names the most known columns (title rows above it, such as a
merged "客户名单" across the sheet, are passed over), a second header row below it fills the
names of merged group headings (联系方式 over 手机 and 邮箱), and each column is read as a
customer field, a numbered contact's field (contact_2_email), the record's own id, or a part of
a Google or Outlook column group that `layouts` puts together.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from crmtui.errors import CrmError
from crmtui.i18n import _
from crmtui.services.transfer.columns import (
    JOINED_FIELDS,
    column_key,
    field_for_column,
    is_export_only,
)
from crmtui.services.transfer.contacts import numbered_contact_column
from crmtui.services.transfer.layouts import Layout, detect_layout, person_name
from crmtui.services.transfer.records import (
    Row,
    RowRecords,
    SourceContact,
    SourceFile,
    SourceRecord,
)

HEADER_SCAN = 10
"""How many non-blank rows at the top may hold the header (title rows above it)."""

# Spreadsheets run a cell starting with these as a formula; an export puts ' before them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_REF_KEYS = {column_key(k) for k in ("id", "编号", "客户编号")}

Slot = tuple[Any, ...]
"""What a column holds: (its index, FIELD, field) | (index, CONTACT, number, field) |
(index, REF) | (index, PART, a layout's slot, title)."""

# Slots: what one column holds.
FIELD, CONTACT, REF, PART = range(4)


def unguard(cell: str) -> str:
    """A cell without the ' an export put before formula-like text (one of them, when text typed
    as '=x was exported as ''=x)."""
    if cell[0] == "'" and cell.lstrip("'").startswith(FORMULA_START):
        return cell[1:]
    return cell


class TableReader:
    """Reads header and rows of one table into a SourceFile (its records stream)."""

    def __init__(
        self,
        source: SourceFile,
        mapping: Mapping[str, str | None] | None = None,
        *,
        row_word: str = "line",
        guarded: bool = True,
    ) -> None:
        self.source = source
        # A CSV export puts ' before formula-like text; a workbook's text cells are text as written.
        self.guarded = guarded
        self.mapping = {k.strip(): v for k, v in (mapping or {}).items()}
        self.row_word = row_word
        self.layout: Layout | None = None
        self.slots: list[Slot] = []
        self.width = 0

    # -- the header ---------------------------------------------------------------------------

    def _slot(self, title: str, layout: Layout | None) -> tuple[Any, ...] | None:
        clean = title.strip().lstrip("\ufeff")
        if not clean:
            return None
        if clean in self.mapping:
            target = self.mapping[clean]
            return (FIELD, target) if target else None
        if layout is not None:
            found = layout.slot(clean)
            if found is not None:
                return None if found is Layout.IGNORE else (PART, found, clean)
        numbered = numbered_contact_column(clean)
        if numbered:
            return (CONTACT, numbered[0], numbered[1])
        target = field_for_column(clean)
        if target is not None:
            return (FIELD, target)
        if clean == "#" or column_key(clean) in _REF_KEYS:
            return (REF,)
        return None

    def _score(self, cells: Sequence[str]) -> int:
        layout = detect_layout(cells)
        return sum(1 for cell in cells if self._slot(cell, layout) is not None)

    def read(self, rows: Iterable[Row]) -> SourceFile:
        source = self.source
        rows = iter(rows)
        top: list[Row] = []
        for row in rows:
            if row[2] is not None and not top:
                source.problems.append(
                    _("the header row ({where}) is unreadable: {problem}").format(
                        where=self._where(row[0]), problem=row[2]
                    )
                )
                return source
            top.append(row)
            if row[2] is not None or len(top) >= HEADER_SCAN:
                break
        if not top:
            source.problems.append(
                _("the file is empty; it needs a header row and one row per customer")
            )
            return source
        scores = [self._score(cells) if problem is None else -1 for _line, cells, problem in top]
        best = max(range(len(top)), key=lambda i: (scores[i], -i)) if max(scores) > 0 else 0
        header = list(top[best][1])
        rest = top[best + 1 :]
        if rest and rest[0][2] is None and self._is_subheader(header, rest[0][1]):
            header = [sub.strip() or top_title for top_title, sub in _padded(header, rest[0][1])]
            rest = rest[1:]
        self._columns(header)
        source.records = RowRecords(
            itertools.chain(rest, rows),
            RowReader(self.slots, self.width, self.layout, guarded=self.guarded),
        )
        if (
            "name" not in source.labels
            and not {"first_name", "last_name"} & source.labels.keys()
            and not (self.layout and self.layout.has_name(header))
        ):
            source.problems.append(
                _(
                    "no column holds the customer's name (columns: {columns}); name one with "
                    "--map COLUMN=name"
                ).format(columns=", ".join(h for h in header if h.strip()))
            )
        return source

    def _where(self, line: int) -> str:
        if self.row_word == "row":
            return _("row {n}").format(n=line)
        return _("line {n}").format(n=line)

    def _is_subheader(self, header: Sequence[str], below: Sequence[str]) -> bool:
        """True when the row below the header names columns the header leaves blank or groups."""
        layout = detect_layout(header)
        named = [(i, cell) for i, cell in enumerate(below) if cell.strip()]
        if not named or any(self._slot(cell, layout) is None for _i, cell in named):
            return False
        return any(
            i >= len(header) or not header[i].strip() or self._slot(header[i], layout) is None
            for i, _cell in named
        )

    def _columns(self, header: Sequence[str]) -> None:
        source = self.source
        for given in self.mapping:
            if not any(h.strip() == given for h in header):
                raise CrmError(
                    _(
                        "--map {column}: the file has no column '{column}' (columns: {columns})"
                    ).format(column=given, columns=", ".join(h for h in header if h))
                )
        self.layout = detect_layout(header)
        source.layout = self.layout.name if self.layout else ""
        self.width = len(header)
        for index, title in enumerate(header):
            clean = title.strip().lstrip("\ufeff")
            slot = self._slot(clean, self.layout)
            if slot is None:
                if (
                    clean
                    and not is_export_only(clean)
                    and clean not in self.mapping
                    and not (self.layout and self.layout.ignores(clean))
                ):
                    source.ignored_columns.append(clean)
                continue
            if slot[0] == FIELD:
                known = source.labels.get(slot[1])
                source.labels[slot[1]] = f"{known}, {clean}" if known else clean
            self.slots.append((index, *slot))


class RowReader:
    """Reads a row of cells as its source record, by the columns the header named. It holds
    only what the header decided, so it can be sent to a worker process with a chunk of rows."""

    def __init__(
        self, slots: list[Slot], width: int, layout: Layout | None, *, guarded: bool = True
    ) -> None:
        self.slots = slots
        self.guarded = guarded
        self.width = width
        self.layout = layout

    def record(self, line: int, row: Sequence[str], problem: str | None) -> SourceRecord:
        record = SourceRecord(line=line)
        if problem:
            record.problems.append(problem)
            return record
        width = self.width
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            record.problems.append(
                _(
                    "{n} values for {width} columns; "
                    "a value holding the delimiter must be in quotes"
                ).format(n=len(row), width=width)
            )
            return record
        values = record.values
        contacts: dict[int, dict[str, str]] = {}
        parts: list[tuple[Any, Any, str]] = []
        size = len(row)
        for slot in self.slots:
            index = slot[0]
            if index >= size:
                break
            cell = row[index].strip()
            if not cell:
                continue
            if self.guarded and cell[0] == "'":
                cell = unguard(cell)
            kind = slot[1]
            if kind == FIELD:
                target = slot[2]
                if target in values:
                    if target in JOINED_FIELDS:
                        values[target] += JOINED_FIELDS[target] + cell
                    continue
                values[target] = cell
            elif kind == CONTACT:
                contacts.setdefault(slot[2], {})[slot[3]] = cell
            elif kind == REF:
                record.ref = cell
            else:
                parts.append((slot[2], slot[3], cell))
        if parts and self.layout is not None:  # parts come from a layout's columns only
            self.layout.combine(parts, record)
        for number in sorted(contacts):
            record.contacts.append(
                SourceContact(where=_("Contact {n}").format(n=number), values=contacts[number])
            )
        first, last = values.pop("first_name", ""), values.pop("last_name", "")
        if (first or last) and not values.get("name"):
            values["name"] = person_name(first, last)
        return record


def _padded(top: Sequence[str], below: Sequence[str]) -> Iterator[tuple[str, str]]:
    for index in range(max(len(top), len(below))):
        yield (top[index] if index < len(top) else "", below[index] if index < len(below) else "")


__all__ = ["TableReader", "RowReader", "FORMULA_START", "unguard", "person_name"]
