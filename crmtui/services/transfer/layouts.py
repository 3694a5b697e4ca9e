"""Google Contacts and Outlook CSV, both ways: their columns into customer fields on import, and
a customer written in their layout on export (`crmtui export --format csv --layout google`,
in layout_export).

Google puts several values of one kind in one cell joined by " ::: " (two mobile numbers, the
groups `* myContacts ::: VIP`) and numbers its column groups (`Phone 2 - Type`, `Phone 2 -
Value`, `Address 1 - City`); Outlook names its columns (`Business Phone`, `Home Street`,
`E-mail 2 Address`). What the model has no field for is kept in the notes as a labelled line
(a second e-mail, a website, a fax number); the primary value (Google's `*` type) comes first;
address sets join into one address each, one line per set, business first; `Manager's Name` and
`Assistant's Name` (Google's manager and assistant relations) become the customer's contacts.
Neither layout can hold crmtui's contacts list, grades or follow-up: an export in Google's
layout keeps crmtui's own fields as Google custom fields, which import back; Outlook has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from crmtui.i18n import _
from crmtui.patterns import lazy_pattern
from crmtui.services.transfer.columns import IMPORT_FIELDS
from crmtui.services.transfer.records import SourceContact, SourceRecord

GOOGLE_SEPARATOR = " ::: "


_GOOGLE_GROUP = lazy_pattern(
    r"^(e-mail|phone|address|organization|website|event|im|relation|"
    r"custom field|external id)\s+(\d+)\s*-\s*(.+)$",
    re.IGNORECASE,
)


_SPACES = lazy_pattern(r"\s+")


_US_DATE = lazy_pattern(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")


_CJK = lazy_pattern(r"[\u3400-\u9fff]")


def _key(title: str) -> str:
    return _SPACES.sub(" ", title.strip().lower())


def _split_google(text: str, title: str, record: SourceRecord) -> list[str]:
    """A Google cell's values: "a ::: b" → [a, b]; an empty value between them is a problem."""
    if ":::" not in text:
        return [text]
    values = [v.strip() for v in text.split(":::")]
    if any(not v for v in values):
        record.problems.append(
            _("{column}: an empty value between ' ::: ' in '{text}'").format(
                column=title, text=text
            )
        )
        return [v for v in values if v]
    return values


Slot = tuple[Any, ...]
"""What a column holds in a layout: its kind first, then what the kind needs (the name part,
the field, a phone's rank…)."""


class Layout:
    """How one tool's columns are read: `slot` names the part a column holds, `combine` turns a
    row's parts into customer fields, contacts and notes lines."""

    name = ""
    CONTACTS: tuple[str, ...] = ()
    """The contacts whose columns the layout has (Outlook's manager and assistant)."""
    IGNORE = object()
    """The slot of a column the tool writes that crmtui keeps nothing of (Gender, Mileage…)."""

    def slot(self, title: str) -> Slot | object | None:
        raise NotImplementedError

    def ignores(self, title: str) -> bool:
        return self.slot(title) is Layout.IGNORE

    def has_name(self, header: Sequence[str]) -> bool:
        return any(
            isinstance(s, tuple) and s[0] == "name"
            for s in (self.slot(h) for h in header if h.strip())
        )

    def combine(self, parts: list[tuple[Any, Any, str]], record: SourceRecord) -> None:
        """Parts are (slot, column title, text) in column order."""
        values = record.values
        name: dict[str, str] = {}
        phones: list[tuple[int, str]] = []
        """(rank, number): Google's primary first, Outlook's by kind of phone, else in order."""
        emails: list[tuple[bool, str, str]] = []
        addresses: dict[Any, dict[str, str]] = {}  # by order of appearance, primary first
        notes: list[str] = []
        family: list[str] = []
        tags: list[str] = []
        groups: dict[tuple[str, int], dict[str, tuple[str, str]]] = {}
        org: dict[str, str] = {}
        for slot, title, text in parts:
            kind = slot[0]
            if kind == "name":
                name[slot[1]] = text
            elif kind == "field":
                _set(values, slot[1], text)
            elif kind == "phone":
                phones.append((slot[1], text))
            elif kind == "fax":
                notes.append(f"{slot[1]}: {text}")
            elif kind == "email":
                emails.append((False, "", text))
            elif kind == "address":
                addresses.setdefault(slot[1], {})[slot[2]] = text
            elif kind == "note":
                notes.append(f"{slot[1]}: {text}")
            elif kind == "family":
                family.append(f"{slot[1]}: {text}")
            elif kind == "org":
                org[slot[1]] = text
            elif kind == "tags":
                tags.extend(t.strip() for t in text.split(slot[1]) if t.strip())
            elif kind == "groups":
                tags.extend(_google_groups(_split_google(text, title, record)))
            elif kind == "date":
                _set(values, slot[1], outlook_date(text))
            elif kind == "contact":
                contact = next((c for c in record.contacts if c.where == slot[1]), None)
                if contact is None:
                    contact = SourceContact(where=slot[1], values={"title": slot[1]})
                    record.contacts.append(contact)
                contact.values[slot[2]] = text
            elif kind == "group":  # Google's numbered groups: (group, number) -> part -> text
                groups.setdefault((slot[1], slot[2]), {})[slot[3]] = (title, text)
        for (group, _number), cells in groups.items():
            self._google_group(group, cells, record, phones, emails, addresses, notes, family, org)
        if name and not values.get("name"):
            values["name"] = _person(name)
        if org.get("occupation") and not org.get("title") and not values.get("title"):
            org["title"] = org["occupation"]
        if org.get("name"):
            _set(values, "company", org["name"])
        title = org.get("title") or values.get("title", "")
        if org.get("department"):
            title = f"{title} ({org['department']})" if title else org["department"]
        if title:
            values["title"] = title
        for contact in [c for c in record.contacts if c.where in self.CONTACTS]:
            if not contact.values.get("name"):  # an assistant's phone without their name
                record.contacts.remove(contact)
                notes.extend(
                    f"{contact.where} ({k}): {v}" for k, v in contact.values.items() if k != "title"
                )
        if phones:
            _join(values, "phones", ", ".join(p for _rank, p in sorted(phones, key=lambda p: p[0])))
        if emails:  # the primary in the e-mail field, the others first in the notes
            ordered = sorted(emails, key=lambda e: not e[0])
            rest = ordered
            if not values.get("email"):
                values["email"] = ordered[0][2]
                rest = ordered[1:]
            notes[:0] = [
                _("E-mail ({kind}): {address}").format(kind=kind, address=address)
                if kind
                else _("E-mail: {address}").format(address=address)
                for _first, kind, address in rest
            ]
        lines = [_address(parts) for _key, parts in sorted(addresses.items())]
        if any(lines):
            _join(values, "address", "\n".join(line for line in lines if line), "\n")
        if tags:
            _join(values, "tags", ",".join(tags), ",")
        if family:
            _join(values, "family", "\n".join(family), "\n")
        if notes:
            _join(values, "notes", "\n".join(notes), "\n")

    def _google_group(
        self,
        group: str,
        cells: dict[str, tuple[str, str]],
        record: SourceRecord,
        phones: list[tuple[int, str]],
        emails: list[tuple[bool, str, str]],
        addresses: dict[Any, dict[str, str]],
        notes: list[str],
        family: list[str],
        org: dict[str, str],
    ) -> None:
        kind = cells.get("type", ("", ""))[1]
        primary = kind.startswith("*")
        kind = kind.lstrip("* ").strip()
        value_title, value = cells.get("value", ("", ""))
        if group == "phone":
            for number in _split_google(value, value_title, record) if value else ():
                if re.search(r"fax|pager|传真", kind, re.IGNORECASE):
                    notes.append(f"{kind}: {number}")
                else:
                    phones.append((0 if primary else 100, number))
        elif group == "e-mail":
            for address in _split_google(value, value_title, record) if value else ():
                emails.append((primary, kind, address))
        elif group == "address":
            parts = {part: text for part, (_t, text) in cells.items()}
            addresses[(0 if primary else 1, len(addresses))] = parts
        elif group == "organization":
            for part in ("name", "title", "department"):
                if part in cells and not org.get(part):
                    org[part] = cells[part][1]
        elif group == "website":
            for url in _split_google(value, value_title, record) if value else ():
                notes.append(
                    _("Website ({kind}): {url}").format(kind=kind, url=url)
                    if kind
                    else _("Website: {url}").format(url=url)
                )
        elif group == "event" and value:
            if kind.lower() in ("anniversary", "纪念日") and not record.values.get("anniversary"):
                record.values["anniversary"] = value
            else:
                notes.append(f"{kind or _('Event')}: {value}")
        elif group == "im":
            handles = _split_google(value, value_title, record) if value else []
            if handles and not record.values.get("im_id"):
                record.values["im_id"] = handles.pop(0)
            service = cells.get("service", ("", ""))[1]
            notes.extend(f"{service or kind or 'IM'}: {h}" for h in handles)
        elif group == "relation" and value:
            if kind.lower() in ("manager", "assistant"):
                record.contacts.append(
                    SourceContact(where=cells["value"][0], values={"name": value, "title": kind})
                )
            else:
                family.append(f"{kind}: {value}" if kind else value)
        elif group == "custom field" and value:
            # crmtui's own fields, as an export in this layout writes them
            target = kind if kind in IMPORT_FIELDS else None
            if target and target not in record.values:
                record.values[target] = value
            elif kind or value:
                notes.append(f"{kind}: {value}" if kind else value)


def _set(values: dict[str, str], field: str, text: str) -> None:
    if text and field not in values:
        values[field] = text


def _join(values: dict[str, str], field: str, text: str, separator: str = ", ") -> None:
    if not text:
        return
    values[field] = f"{values[field]}{separator}{text}" if values.get(field) else text


def person_name(given: str, family: str, middle: str = "") -> str:
    """A name from its parts: family name first for Chinese (李 + 伟 = 李伟), else given first."""
    if _CJK.search(given + family):
        return family + middle + given
    return " ".join(p for p in (given, middle, family) if p)


def _person(parts: dict[str, str]) -> str:
    if parts.get("full"):
        return parts["full"]
    return person_name(parts.get("given", ""), parts.get("family", ""), parts.get("middle", ""))


def _address(parts: dict[str, str]) -> str:
    """One address from its parts (a formatted one wins): street lines, then city, region, code,
    country; in Chinese order when the parts are Chinese."""
    if parts.get("formatted"):
        return parts["formatted"]
    street = ", ".join(
        parts[k]
        for k in ("street", "street 2", "street 3", "extended address", "po box")
        if parts.get(k)
    )
    city, region, code, country = (
        parts.get(k, "") for k in ("city", "region", "postal code", "country")
    )
    if _CJK.search(street + city + region + country):
        return "".join(p for p in (country, region, city, street) if p) + (
            f" {code}" if code else ""
        )
    return ", ".join(
        p for p in (street, city, " ".join(p for p in (region, code) if p), country) if p
    )


def _google_groups(groups: Iterable[str]) -> list[str]:
    """Google's groups as tags: `* myContacts` is every contact (dropped), `* starred` is the
    starred tag, other system groups (`* friends`) lose their star."""
    tags = []
    for group in groups:
        if group.startswith("*"):
            group = group.lstrip("* ").strip()
            if group.lower() in ("mycontacts", "my contacts"):
                continue
        if group:
            tags.append(group)
    return tags


def outlook_date(text: str) -> str:
    """Outlook's dates: "0/0/00" is none; 3/15/1985 is month/day (day/month when the first
    number cannot be a month); anything else is left to the usual date reading."""
    value = text.strip()
    if value in ("0/0/00", "0/0/0000", "1/1/4501") or value.startswith("4501"):
        return ""
    if m := _US_DATE.match(value):
        first, second, year = (int(g) for g in m.groups())
        if len(m.group(3)) == 2:
            year += 1900 if year > 30 else 2000
        month, day = (second, first) if first > 12 else (first, second)
        return f"{year:04d}-{month:02d}-{day:02d}"
    return value


_GOOGLE_PARTS = {
    "type": "type",
    "label": "type",
    "value": "value",
    "formatted": "formatted",
    "street": "street",
    "city": "city",
    "po box": "po box",
    "region": "region",
    "postal code": "postal code",
    "country": "country",
    "extended address": "extended address",
    "name": "name",
    "title": "title",
    "department": "department",
    "service": "service",
}


class GoogleLayout(Layout):
    name = "google"
    COLUMNS = {
        "name": ("name", "full"),
        "given name": ("name", "given"),
        "first name": ("name", "given"),
        "additional name": ("name", "middle"),
        "middle name": ("name", "middle"),
        "family name": ("name", "family"),
        "last name": ("name", "family"),
        "birthday": ("field", "birthday"),
        "notes": ("field", "notes"),
        "hobby": ("field", "personality"),
        "occupation": ("org", "occupation"),
        "organization name": ("org", "name"),
        "organization title": ("org", "title"),
        "organization department": ("org", "department"),
        "group membership": ("groups",),
        "labels": ("groups",),
        "nickname": ("note", "Nickname"),
    }
    IGNORED = {
        "yomi name",
        "given name yomi",
        "additional name yomi",
        "family name yomi",
        "name prefix",
        "name suffix",
        "initials",
        "short name",
        "maiden name",
        "gender",
        "location",
        "billing information",
        "directory server",
        "mileage",
        "sensitivity",
        "priority",
        "subject",
        "language",
        "photo",
        "file as",
        "phonetic first name",
        "phonetic middle name",
        "phonetic last name",
        "organization phonetic name",
        "organization 1 - yomi name",
        "organization 1 - symbol",
        "organization 1 - location",
        "organization 1 - job description",
        "organization 1 - type",
    }

    def slot(self, title: str) -> Slot | object | None:
        key = _key(title)
        if key in self.COLUMNS:
            return self.COLUMNS[key]
        if key in self.IGNORED:
            return Layout.IGNORE
        if m := _GOOGLE_GROUP.match(key):
            part = _GOOGLE_PARTS.get(m.group(3).strip())
            if part is None:
                return Layout.IGNORE
            return ("group", m.group(1).lower(), int(m.group(2)), part)
        return None


OUTLOOK_PHONES = (
    "Primary Phone",
    "Mobile Phone",
    "Business Phone",
    "Business Phone 2",
    "Company Main Phone",
    "Home Phone",
    "Home Phone 2",
    "Other Phone",
    "Car Phone",
    "Callback",
    "Radio Phone",
    "ISDN",
    "TTY/TDD Phone",
    "Telex",
    "Assistant's Phone",
)


OUTLOOK_FAXES = ("Business Fax", "Home Fax", "Other Fax", "Pager")


_ADDRESS_PARTS = {
    "street": "street",
    "street 2": "street 2",
    "street 3": "street 3",
    "address po box": "po box",
    "city": "city",
    "state": "region",
    "postal code": "postal code",
    "country": "country",
    "country/region": "country",
    "address": "formatted",
}


class OutlookLayout(Layout):
    name = "outlook"
    CONTACTS = ("Manager", "Assistant")
    COLUMNS: dict[str, Slot] = {
        "first name": ("name", "given"),
        "middle name": ("name", "middle"),
        "last name": ("name", "family"),
        "company": ("field", "company"),
        "job title": ("org", "title"),
        "department": ("org", "department"),
        "profession": ("org", "occupation"),
        "e-mail address": ("email", 1),
        "e-mail 2 address": ("email", 2),
        "e-mail 3 address": ("email", 3),
        "birthday": ("date", "birthday"),
        "anniversary": ("date", "anniversary"),
        "notes": ("field", "notes"),
        "categories": ("tags", ";"),
        "hobby": ("field", "personality"),
        "spouse": ("family", "Spouse"),
        "children": ("family", "Children"),
        "manager's name": ("contact", "Manager", "name"),
        "assistant's name": ("contact", "Assistant", "name"),
        "assistant's phone": ("contact", "Assistant", "phone"),
        "web page": ("note", "Web page"),
        "personal web page": ("note", "Personal web page"),
        "referred by": ("note", "Referred by"),
        "office location": ("note", "Office"),
        "nickname": ("note", "Nickname"),
        "keywords": ("note", "Keywords"),
        "imaddress": ("field", "im_id"),
        "im address": ("field", "im_id"),
    }
    IGNORED = {
        "title",
        "suffix",
        "initials",
        "gender",
        "language",
        "internet free busy",
        "location",
        "account",
        "mileage",
        "billing information",
        "directory server",
        "sensitivity",
        "priority",
        "private",
        "user 1",
        "user 2",
        "user 3",
        "user 4",
        "organizational id number",
        "government id number",
        "schools",
        "given yomi",
        "surname yomi",
        "company yomi",
        "e-mail type",
        "e-mail display name",
        "e-mail 2 type",
        "e-mail 2 display name",
        "e-mail 3 type",
        "e-mail 3 display name",
    }

    def __init__(self) -> None:
        self.columns = dict(self.COLUMNS)
        for order, title in enumerate(OUTLOOK_PHONES):
            if title != "Assistant's Phone":
                self.columns[title.lower()] = ("phone", order)
        for title in OUTLOOK_FAXES:
            self.columns[title.lower()] = ("fax", title)
        for order, place in enumerate(("business", "home", "other")):
            for suffix, part in _ADDRESS_PARTS.items():
                self.columns[f"{place} {suffix}"] = ("address", order, part)

    def slot(self, title: str) -> Slot | object | None:
        key = _key(title)
        if key in self.columns:
            return self.columns[key]
        if key in self.IGNORED:
            return Layout.IGNORE
        return None


def detect_layout(header: Sequence[str]) -> Layout | None:
    """Google's or Outlook's layout when the header is theirs, else None."""
    keys = {_key(h) for h in header if h and h.strip()}
    if any(_GOOGLE_GROUP.match(k) for k in keys) or "group membership" in keys:
        return GoogleLayout()
    outlook = {
        "first name",
        "last name",
        "job title",
        "business phone",
        "mobile phone",
        "home phone",
        "business street",
        "categories",
        "e-mail 2 address",
    }
    if "e-mail address" in keys and len(outlook & keys) >= 2:
        return OutlookLayout()
    return None
