"""CSV with a header row, as spreadsheets write it.

Encodings: UTF-8 with or without a byte-order mark, UTF-16 (Excel's "Unicode text"), and
GB18030/GBK as Chinese Excel saves "CSV". The delimiter (comma, semicolon or tab) is the one the
header line uses most outside quotes. Records carry the physical line they start on, counting
the newlines inside quoted values, so a report points at the line a spreadsheet user can find.
"""

from __future__ import annotations

import codecs
import csv
import io
from typing import Iterable, Mapping, Sequence

from crmtui.errors import CrmError
from crmtui.i18n import _
from crmtui.plaintext import strip_controls
from crmtui.services.transfer.columns import (
    IMPORT_FIELDS,
    JOINED_FIELDS,
    field_for_column,
    is_export_only,
)
from crmtui.services.transfer.records import SourceFile, SourceRecord

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_CJK = ("\u3400", "\u9fff")


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text of a file and the name of its encoding."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise CrmError(_("{name} is an Excel workbook, not CSV; save it as \"CSV UTF-8\" "
                         "first").format(name=name))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise CrmError(_("{name} starts like UTF-16 text but is not; save it as \"CSV "
                             "UTF-8\"").format(name=name)) from None
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError:
        raise CrmError(_("{name} is neither UTF-8 nor GB18030 (GBK) text; save it as "
                         "\"CSV UTF-8\"").format(name=name)) from None


def sniff_delimiter(text: str) -> str:
    """The delimiter the first non-empty line uses most outside quotes (comma on a tie)."""
    header = ""
    for line in io.StringIO(text, newline=""):
        if line.strip():
            header = line
            break
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def parse_mapping(pairs: Iterable[str]) -> dict[str, str | None]:
    """--map COLUMN=FIELD options: column -> field, or None to ignore the column."""
    mapping: dict[str, str | None] = {}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        column, target = column.strip(), target.strip()
        if not sep or not column:
            raise CrmError(_("--map takes COLUMN=FIELD, not '{pair}'").format(pair=pair))
        if target in ("", "-"):
            mapping[column] = None
        elif target not in IMPORT_FIELDS:
            raise CrmError(_("--map {pair}: '{field}' is not a field; the fields are {fields}")
                           .format(pair=pair, field=target, fields=", ".join(IMPORT_FIELDS)))
        else:
            mapping[column] = target
    return mapping


def read_csv(text: str, *, encoding: str = "UTF-8",
             mapping: Mapping[str, str | None] | None = None) -> SourceFile:
    delimiter = sniff_delimiter(text)
    source = SourceFile(kind="csv", records=[], encoding=encoding, delimiter=delimiter)
    rows = _physical_rows(text, delimiter)
    header: Sequence[str] | None = None
    for line, row, problem in rows:
        if problem and header is None:
            source.problems.append(_("the header row (line {line}) is unreadable: {problem}")
                                   .format(line=line, problem=problem))
            return source
        if header is None:
            header = row
            columns = _columns(header, mapping or {}, source)
            continue
        record = SourceRecord(line=line)
        if problem:
            record.problems.append(problem)
        else:
            _fill(record, row, columns, len(header))
        source.records.append(record)
    if header is None:
        source.problems.append(_("the file is empty; it needs a header row and one row per "
                                 "customer"))
    elif "name" not in source.labels and not {"first_name", "last_name"} & source.labels.keys():
        source.problems.append(_(
            "no column holds the customer's name (columns: {columns}); name one with "
            "--map COLUMN=name").format(columns=", ".join(h for h in header if h.strip())))
    return source


def _physical_rows(text: str, delimiter: str):
    """(first line, values, problem) for each non-blank record of the file."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    last_line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            start, last_line = last_line + 1, reader.line_num
            yield start, [], _("unreadable CSV ({error}); check the quotes on this row").format(
                error=error)
            continue
        start, last_line = last_line + 1, reader.line_num
        if any(cell.strip() for cell in row):
            yield start, row, None


def _columns(header: Sequence[str], mapping: Mapping[str, str | None],
             source: SourceFile) -> list[str | None]:
    """The import field of each column (None: ignored)."""
    by_key = {}
    for given, target in mapping.items():
        found = [h for h in header if h.strip() == given.strip()]
        if not found:
            raise CrmError(_("--map {column}: the file has no column '{column}' (columns: "
                             "{columns})").format(column=given,
                                                  columns=", ".join(h for h in header if h)))
        by_key[given.strip()] = target
    columns: list[str | None] = []
    for title in header:
        clean = title.strip().lstrip("\ufeff")
        if clean in by_key:
            target = by_key[clean]
        else:
            target = field_for_column(clean)
        if target is None and clean and not is_export_only(clean) and clean not in by_key:
            source.ignored_columns.append(clean)
        if target is not None:
            known = source.labels.get(target)
            source.labels[target] = f"{known}, {clean}" if known else clean
        columns.append(target)
    return columns


def _fill(record: SourceRecord, row: Sequence[str], columns: Sequence[str | None],
          width: int) -> None:
    if len(row) > width and any(cell.strip() for cell in row[width:]):
        record.problems.append(_(
            "{n} values for {width} columns; a value holding the delimiter must be in quotes")
            .format(n=len(row), width=width))
        return
    values = record.values
    for target, cell in zip(columns, row):
        if target is None:
            continue
        cell = cell.strip()
        if not cell:
            continue
        if cell[0] == "'" and cell[1:2] in ("=", "@"):
            cell = cell[1:]  # the guard a crmtui export puts before formula-like text
        if target in values:
            if target in JOINED_FIELDS:
                values[target] += JOINED_FIELDS[target] + cell
            continue
        values[target] = cell
    first, last = values.pop("first_name", ""), values.pop("last_name", "")
    if (first or last) and not values.get("name"):
        cjk = any(_CJK[0] <= ch <= _CJK[1] for ch in first + last)
        values["name"] = (last + first) if cjk else " ".join(p for p in (first, last) if p)


def write_csv(out, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write a header and rows; values holding delimiters, quotes or newlines are quoted."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        # stored text is only ever text, in files too (rows an older version stored unclean)
        writer.writerow([strip_controls(value, multiline=True) if isinstance(value, str)
                         else value for value in row])
        count += 1
    return count
