"""Excel workbooks: a sheet of customers and a sheet of their contacts, with titled columns."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from crmtui.db import (
    Customer,
)
from crmtui.db.rows import tuple_rows
from crmtui.i18n import _, current_language, pgettext
from crmtui.labels import label
from crmtui.services.context import Context
from crmtui.services.transfer.columns import COLUMN_TITLES, CONTACT_SHEET_TITLES
from crmtui.services.transfer.contacts import (
    CONTACT_FIELDS,
)
from crmtui.services.transfer.export_scope import (
    CSV_COLUMNS,
    archive_values,
    contacts_of,
    customers_in_scope,
    first_care,
    logins_by_id,
)
from crmtui.services.transfer.values import CareSpec
from crmtui.services.transfer.workbook import write_workbook


def _sheet_value(value: Any, column: str) -> Any:
    """A stored value as a workbook cell: dates and amounts typed, choices in the interface
    language as the import reads them back, yes/no as words."""
    if value is None or value == "":
        return ""
    if isinstance(value, CareSpec):
        if value.year and not value.lunar:
            return date(value.year, value.month, value.day)
        return _care_words(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if column in _CHOICE_LABELS and isinstance(value, str):
        return label(_CHOICE_LABELS[column], value)
    return value


_CHOICE_LABELS = {
    "need": "need",
    "status": "status",
    "deal_status": "deal",
    "source": "source",
    "cadence": "cadence",
}


def _care_words(spec: CareSpec) -> str:
    """A lunar or yearless date as text the import reads: 农历闰--04-15 in Chinese."""
    text = spec.to_text()
    if current_language() == "zh" and spec.lunar:
        day = text.split(" ")[-1]
        return "农历" + ("闰" if spec.leap else "") + day
    return text


def sheet_headers() -> tuple[list[str], list[str]]:
    """The customers' and the contacts' sheet headers in the interface language."""
    customers = [pgettext("column", COLUMN_TITLES[name]) for name in CSV_COLUMNS]
    contacts = [pgettext("column", title) for title in CONTACT_SHEET_TITLES] + [
        pgettext("column", spec.title) for spec in CONTACT_FIELDS
    ]
    return customers, contacts


def write_xlsx_export(
    ctx: Context, path: Path, owner_id: int | None, instance: str
) -> tuple[int, int]:
    """A workbook: the customers on one sheet, their contacts on a second. (customers,
    contacts)."""
    logins = logins_by_id()
    care = first_care(owner_id)
    customer_header, contact_header = sheet_headers()

    def customer_rows() -> Iterator[list[Any]]:
        for c in customers_in_scope(owner_id).iterator():
            values = archive_values(ctx, c, logins, care)
            yield [_sheet_value(values[name], name) for name in CSV_COLUMNS]

    in_scope = customers_in_scope(owner_id).select(Customer.id, Customer.name)
    names = dict(tuple_rows(in_scope, tuple[int, str]))
    counted = [0]

    def contact_rows() -> Iterator[list[Any]]:
        for customer_id, people in contacts_of(owner_id):
            for contact in people:
                counted[0] += 1
                yield [customer_id, names.get(customer_id, "")] + [
                    _sheet_value(getattr(contact, spec.name), "")
                    if spec.name != "role"
                    else _role_word(contact.role)
                    for spec in CONTACT_FIELDS
                ]

    count = write_workbook(
        path,
        [
            (_("Customers"), customer_header, customer_rows()),
            (_("Contacts"), contact_header, contact_rows()),
        ],
    )
    return count, counted[0]


def _role_word(role: str) -> str:
    return label("contact_role", role)
