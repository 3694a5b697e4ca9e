"""Contacts (the people at a customer) in every import and export format, from one table.

`CONTACT_FIELDS` lists each field of the Contact model that travels with its customer: the
column title (a CSV's `contact_1_<name>` columns, a workbook's Contacts sheet), how a typed value
is checked, the vCard property a contact card uses, and other column names a file may use.
Adding a field to Contact and one line here carries it through CSV, workbooks, vCards, vdirs
and JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from crmtui.i18n import NC_, _, catalogue, pgettext
from crmtui.labels import LABELS
from crmtui.patterns import lazy_pattern
from crmtui.services.contacts import clean_birthday
from crmtui.services.transfer.columns import column_key
from crmtui.services.validation import (
    CONTACT_ROLES,
    FieldError,
    clean_email,
    clean_phones,
    optional_text,
    required_text,
)


def _role(value: Any, today: date) -> str:
    """A contact's part in the decision: the stored word, its English label or its Chinese one."""
    text = " ".join(str(value or "").split()).lower()
    if not text:
        return "user"
    zh = catalogue("zh")
    for role, english in LABELS["contact_role"].items():
        if text in (role, english, zh.pgettext("contact role", english)):
            return role
    raise FieldError(
        _("'{text}' is not one of {options}").format(text=text, options=", ".join(CONTACT_ROLES))
    )


@dataclass(frozen=True)
class ContactField:
    name: str
    """The Contact model's field, and the key in JSON."""
    title: str
    """Column title in English, marked in the "column" context (translated in workbooks)."""
    clean: Callable[[Any, date], Any]
    vcard: str = ""
    """The vCard property of a contact card; empty: X-CRMTUI-<NAME>."""
    aliases: tuple[str, ...] = ()
    """Other column names read as this field (Chinese headers, other tools' words)."""

    @property
    def property(self) -> str:
        return self.vcard or "X-CRMTUI-" + self.name.upper().replace("_", "-")


CONTACT_FIELDS: tuple[ContactField, ...] = (
    ContactField(
        "name", NC_("column", "Name"), required_text(200), "FN", ("姓名", "名字", "full name")
    ),
    ContactField(
        "title", NC_("column", "Title"), optional_text(100), "TITLE", ("职务", "职位", "job title")
    ),
    ContactField("role", NC_("column", "Role"), _role, "ROLE", ("角色", "决策角色")),
    ContactField("phone", NC_("column", "Phone"), clean_phones, "TEL", ("电话", "手机", "mobile")),
    ContactField(
        "email", NC_("column", "E-mail"), clean_email, "EMAIL", ("邮箱", "电子邮件", "email")
    ),
    ContactField(
        "note",
        NC_("column", "Note"),
        optional_text(2000, multiline=True),
        "NOTE",
        ("备注", "notes"),
    ),
    ContactField(
        "department", NC_("column", "Department"), optional_text(100), "", ("部门", "dept")
    ),
    ContactField("im_id", NC_("column", "IM"), optional_text(100), "", ("微信", "wechat")),
    ContactField("birthday", NC_("column", "Birthday"), clean_birthday, "BDAY", ("生日",)),
)
CONTACT_FIELD_NAMES = tuple(f.name for f in CONTACT_FIELDS)
_BY_NAME = {f.name: f for f in CONTACT_FIELDS}

# "Contact 2 - E-mail", "contact_2_email", "联系人2 邮箱": a numbered contact's field.
_NUMBERED = lazy_pattern(r"^(?:contact|联系人)(\d{1,3})(.+)$")
_keys: dict[str, str] | None = None


def _field_keys() -> dict[str, str]:
    """Folded column name -> contact field: its name, its title in English and Chinese, aliases."""
    global _keys
    if _keys is None:
        zh = catalogue("zh")
        keys: dict[str, str] = {}
        for spec in CONTACT_FIELDS:
            for name in (spec.name, spec.title, zh.pgettext("column", spec.title), *spec.aliases):
                keys.setdefault(column_key(name), spec.name)
        _keys = keys
    return _keys


def contact_field_for(title: str) -> str | None:
    """The contact field a column of a Contacts sheet names ("E-mail", "邮箱"), or None."""
    return _field_keys().get(column_key(title))


def numbered_contact_column(title: str) -> tuple[int, str] | None:
    """(number, field) of a column such as "Contact 2 - E-mail" or "联系人2邮箱", or None."""
    match = _NUMBERED.match(column_key(title))
    if not match:
        return None
    field = _field_keys().get(match.group(2))
    number = int(match.group(1))
    return (number, field) if field and number >= 1 else None


def contact_column(number: int, field: str) -> str:
    """The column a crmtui CSV export writes: contact_2_email."""
    return f"contact_{number}_{field}"


def field_title(field: str) -> str:
    """A contact field's title in the interface language, for messages and sheet headers."""
    return pgettext("column", _BY_NAME[field].title)


def clean_contact(values: Mapping[str, str], today: date) -> tuple[dict[str, Any], dict[str, str]]:
    """(clean values, field -> reason) for one contact as written in a file."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in CONTACT_FIELDS:
        text = values.get(spec.name, "")
        try:
            value = spec.clean(text, today)
        except FieldError as error:
            errors[spec.name] = str(error)
            continue
        cleaned[spec.name] = value
    return cleaned, errors


def contact_text(value: Any) -> str:
    """A stored contact value as a file writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


__all__ = [
    "CONTACT_FIELDS",
    "CONTACT_FIELD_NAMES",
    "ContactField",
    "clean_contact",
    "contact_column",
    "contact_field_for",
    "contact_text",
    "field_title",
    "numbered_contact_column",
]
