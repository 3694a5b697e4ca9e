"""CSV exports in crmtui's own layout, with cells that spreadsheets will not run as formulas."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from crmtui.patterns import lazy_pattern
from crmtui.services.context import Context
from crmtui.services.transfer.contacts import (
    CONTACT_FIELD_NAMES,
    contact_column,
    contact_text,
)
from crmtui.services.transfer.csvfile import write_csv
from crmtui.services.transfer.export_scope import (
    CSV_COLUMNS,
    ContactsByCustomer,
    archive,
    customers_in_scope,
    first_care,
    logins_by_id,
    most_contacts,
)
from crmtui.services.transfer.layout_export import (
    GOOGLE_HEADER,
    OUTLOOK_HEADER,
    google_row,
    outlook_row,
)
from crmtui.services.transfer.table import FORMULA_START

# Columns written as numbers: a number there stays a number (no formula guard before a sign).
NUMERIC_COLUMNS = frozenset(("id", "expected_amount", "credit_limit", "followups", "revenue"))


_NUMBER = lazy_pattern(r"[+-]?\d+(\.\d+)?")


def safe_cell(text: str, numeric: bool = False) -> str:
    """Text a spreadsheet would run as a formula, with a ' before it (imports take it off); a
    number in a numeric column stays a number. Text that already begins with ' before a formula
    sign gets one more, so that the import's taking one off gives back what was typed."""
    if text.lstrip("'").startswith(FORMULA_START) and not (numeric and _NUMBER.fullmatch(text)):
        return "'" + text
    return text


_DIGITS_ONLY = lazy_pattern(r"[+-]?[\d\s().-]+")


def contacts_tool_cell(text: str) -> str:
    """A cell of Google's or Outlook's layout, read by their importers, which keep a ' as part
    of the value: phone numbers and dates (+86 138…, --07-04), which can call no function, are
    written as they are; other formula-like text is guarded as in crmtui's own CSV."""
    if text[:1] in "+-" and _DIGITS_ONLY.fullmatch(text):
        return text
    return safe_cell(text)


def write_csv_export(
    ctx: Context, out: TextIO, owner_id: int | None, instance: str, layout: str = "crmtui"
) -> tuple[int, int]:
    """(customers, contacts written)."""
    logins = logins_by_id()
    care = first_care(owner_id)
    if layout != "crmtui":
        header, build = (
            (GOOGLE_HEADER, google_row) if layout == "google" else (OUTLOOK_HEADER, outlook_row)
        )

        def rows() -> Iterator[list[str]]:
            for c in customers_in_scope(owner_id).iterator():
                values = archive(ctx, c, logins, care)
                yield [
                    contacts_tool_cell(v)
                    for v in build(
                        values,
                        c.phone_list,
                        c.tag_list,
                        care.get((c.id, "birthday")),
                        care.get((c.id, "anniversary")),
                    )
                ]

        return write_csv(out, header, rows()), 0
    most = most_contacts(owner_id)
    columns = list(CSV_COLUMNS) + [
        contact_column(n, f) for n in range(1, most + 1) for f in CONTACT_FIELD_NAMES
    ]
    contacts = ContactsByCustomer(owner_id)
    numeric = [name in NUMERIC_COLUMNS for name in CSV_COLUMNS]

    def crmtui_rows() -> Iterator[list[str]]:
        for c in customers_in_scope(owner_id).iterator():
            row = [
                safe_cell(v, n)
                for v, n in zip(archive(ctx, c, logins, care).values(), numeric, strict=True)
            ]
            people = contacts.of(c.id)
            for contact in people:
                row += [safe_cell(contact_text(getattr(contact, f))) for f in CONTACT_FIELD_NAMES]
            row += [""] * (len(CONTACT_FIELD_NAMES) * (most - len(people)))
            yield row

    count = write_csv(out, columns, crmtui_rows())
    return count, contacts.count
