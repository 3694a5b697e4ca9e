"""Excel workbooks (.xlsx) in and out, with openpyxl.

A sheet is read as a CSV file is (`table.TableReader`): the same column names, checks and
all-or-nothing, with the sheet's row numbers in every message. Dates typed as Excel dates arrive
as dates, numbers typed as numbers (a phone number, an amount) as their digits. A second sheet
whose rows name a customer id (`Customer id` / `客户编号`) holds contacts, as crmtui's own export
writes them. An old binary workbook (.xls) and a password-protected one are both OLE2 containers
openpyxl cannot open: each gets its own message.

openpyxl is imported only when a workbook is read or written.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from crmtui.errors import CrmError, NotFound
from crmtui.i18n import _
from crmtui.services.transfer.columns import column_key
from crmtui.services.transfer.contacts import contact_field_for
from crmtui.services.transfer.records import SourceContact, SourceFile, SourceRecord
from crmtui.services.transfer.table import TableReader

Sheet = Any
"""An openpyxl worksheet (openpyxl has no type information); Book, its workbook."""
Book = Any

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
_ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")
CUSTOMER_REF_KEYS = {column_key(k) for k in ("customer id", "customer #", "客户编号", "客户id")}
_SCAN_ROWS = 10


def is_workbook(head: bytes) -> bool:
    return head.startswith((ZIP_SIGNATURE, OLE2_SIGNATURE))


def refuse_unreadable(data: bytes, name: str) -> None:
    """One clear message for the workbooks openpyxl cannot read."""
    if data.startswith(OLE2_SIGNATURE):
        if _ENCRYPTED_STREAM in data:
            raise CrmError(
                _(
                    "{name} is a password-protected workbook; open it in Excel, remove "
                    "the password (File › Info › Protect Workbook) and save it again"
                ).format(name=name)
            )
        raise CrmError(
            _(
                "{name} is an Excel 97–2003 workbook (.xls); open it in Excel or WPS "
                'and save it as .xlsx (or "CSV UTF-8")'
            ).format(name=name)
        )


def cell_text(value: Any) -> str:
    """A typed cell as the importer reads text: a date as 2026-12-01, 13800138000.0 as digits."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e18:
            return str(int(value))
        return format(value, ".15g")
    return str(value)


def _open(path: Path, data: bytes) -> Book:
    refuse_unreadable(data, path.name)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise CrmError(
            _("{name} starts like a workbook but is damaged (not a complete .xlsx file)").format(
                name=path.name
            )
        ) from None
    if "xl/workbook.bin" in names:
        raise CrmError(
            _("{name} is a binary Excel workbook (.xlsb); save it as .xlsx").format(name=path.name)
        )
    if "xl/workbook.xml" not in names:
        raise CrmError(
            _(
                "{name} is a zip archive but not an Excel workbook; crmtui reads .xlsx, "
                "CSV and vCard"
            ).format(name=path.name)
        )
    import openpyxl  # slow to import: only when a workbook is read

    warnings.filterwarnings("ignore", module="openpyxl")  # styles it cannot read: not our data
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zip, XML and key errors alike on damaged files
        raise CrmError(
            _("{name}: the workbook cannot be read ({error})").format(
                name=path.name,
                error=str(error).splitlines()[0] if str(error) else type(error).__name__,
            )
        ) from None


def _rows(sheet: Sheet) -> Iterator[tuple[int, list[str], None]]:
    """(row number, cells as text, None) for each non-blank row of a sheet."""
    sheet.reset_dimensions()  # a stated size of a million rows must not be walked
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [cell_text(v) for v in values]
        if any(c.strip() for c in cells):
            yield number, cells, None


def _has_data(sheet: Sheet) -> bool:
    for _row in _rows(sheet):
        return True
    return False


def _contacts_header(sheet: Sheet) -> tuple[int, list[str]] | None:
    """(row, header) when the sheet is a Contacts sheet (its name says so) listing contacts by
    customer id, else None."""
    title = column_key(sheet.title)
    if "contact" not in title and "联系人" not in title:
        return None
    for count, (number, cells, _p) in enumerate(_rows(sheet)):
        keys = {column_key(c) for c in cells}
        if keys & CUSTOMER_REF_KEYS and any(contact_field_for(c) == "name" for c in cells):
            return number, cells
        if count >= _SCAN_ROWS:
            break
    return None


def read_workbook(
    path: Path,
    data: bytes,
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
) -> SourceFile:
    book = _open(path, data)
    try:
        names = list(book.sheetnames)
        contacts_sheet = next(
            (n for n in names if n != sheet and _contacts_header(book[n]) is not None), None
        )
        if sheet is not None:
            chosen = (
                sheet
                if sheet in names
                else next((n for n in names if n.strip().lower() == sheet.strip().lower()), None)
            )
            if chosen is None:
                raise NotFound(
                    _("{name} has no sheet '{sheet}'; its sheets: {sheets}").format(
                        name=path.name, sheet=sheet, sheets=", ".join(names)
                    )
                )
        else:
            filled = [n for n in names if n != contacts_sheet and _has_data(book[n])]
            if not filled:
                raise CrmError(_("{name}: no sheet holds any data").format(name=path.name))
            if len(filled) > 1:
                raise CrmError(
                    _(
                        "{name} has several sheets with data ({sheets}); choose one "
                        "with --sheet NAME"
                    ).format(name=path.name, sheets=", ".join(filled))
                )
            chosen = filled[0]
    except BaseException:
        book.close()
        raise
    contacts = _read_contacts(book[contacts_sheet]) if contacts_sheet else {}
    source = SourceFile(kind="xlsx", encoding="", sheet=chosen)
    TableReader(source, mapping, row_word="row", guarded=False).read(_rows(book[chosen]))
    if source.problems:
        book.close()
        return source
    source.records = _with_contacts(source.records, contacts, contacts_sheet or "", book)
    return source


def _read_contacts(sheet: Sheet) -> dict[str, list[tuple[int, SourceContact]]]:
    """Customer id -> (row, contact) of a Contacts sheet."""
    found = _contacts_header(sheet)
    if found is None:
        return {}
    header_row, header = found
    fields = [contact_field_for(title) for title in header]
    refs = [column_key(title) in CUSTOMER_REF_KEYS for title in header]
    contacts: dict[str, list[tuple[int, SourceContact]]] = {}
    for number, cells, _p in _rows(sheet):
        if number <= header_row:
            continue
        ref = next(
            (cells[i].strip() for i, is_ref in enumerate(refs) if is_ref and i < len(cells)), ""
        )
        values: dict[str, str] = {}
        for index, field in enumerate(fields):
            if field and index < len(cells) and cells[index].strip():
                values[field] = cells[index].strip()
        where = _("{sheet} row {n}").format(sheet=sheet.title, n=number)
        contacts.setdefault(ref, []).append((number, SourceContact(where=where, values=values)))
    return contacts


def _with_contacts(
    records: Iterable[SourceRecord],
    contacts: dict[str, list[tuple[int, SourceContact]]],
    sheet: str,
    book: Book,
) -> Iterator[SourceRecord]:
    """The customer records with their contacts; then a problem for each contact whose customer
    id is not in the customers' sheet."""
    try:
        for record in records:
            for _number, contact in contacts.pop(record.ref, []) if record.ref else ():
                record.contacts.append(contact)
            yield record
        for ref, rows in contacts.items():
            for number, contact in rows:
                yield SourceRecord(
                    line=number,
                    file=sheet,
                    values={"name": contact.values.get("name", "")},
                    problems=[
                        _(
                            "a contact of customer id '{ref}', which is not in the customers' sheet"
                        ).format(ref=ref)
                        if ref
                        else _("a contact without a customer id")
                    ],
                )
    finally:
        book.close()


# -- writing ------------------------------------------------------------------------------------


def write_workbook(
    path: Path, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]
) -> int:
    """Write sheets of (title, header, rows of typed values); returns the rows of the first.

    Text is always written as text (never run as a formula), dates as dates, amounts as numbers.
    """
    from openpyxl import Workbook  # slow to import: only when a workbook is written

    # on first use: openpyxl is heavy and only this path needs it
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    first_count = 0
    for position, (title, header, rows) in enumerate(sheets):
        sheet = book.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        for index, name in enumerate(header):
            width = sum(2 if ord(ch) > 0x2E7F else 1 for ch in name)
            sheet.column_dimensions[_column_letter(index)].width = max(10, min(40, width + 4))
        bold = Font(bold=True)
        head = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            head.append(cell)
        sheet.append(head)
        count = 0
        for row in rows:
            out: list[Any] = []
            for value in row:
                if isinstance(value, str):
                    if not value:
                        out.append(None)
                        continue
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"  # text, even when it starts with =
                    out.append(cell)
                elif isinstance(value, Decimal):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = "#,##0.00"
                    out.append(cell)
                elif isinstance(value, date):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = "yyyy-mm-dd"
                    out.append(cell)
                else:
                    out.append(value)
            sheet.append(out)
            count += 1
        if position == 0:
            first_count = count
    book.save(path)
    return first_count


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter  # loaded by the writer already

    letter: str = get_column_letter(index + 1)
    return letter
