"""vCard 2.1, 3.0 and 4.0 in, vCard 4.0 out.

vobject parses the content lines of every version (folding, escapes, parameters, the
quoted-printable of 2.1 phones); this module reads the values the way each version writes them —
4.0's `tel:` URIs, `--MMDD` birthdays and quoted TYPE lists, Apple's X-APPLE-OMIT-YEAR — and
writes 4.0 itself, since vobject writes only 3.0. Photos, logos, sounds and keys are dropped
before parsing: the CRM keeps none of them and they are most of a phone's export.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from crmtui.i18n import _
from crmtui.patterns import lazy_pattern
from crmtui.plaintext import strip_controls
from crmtui.services.transfer.columns import IMPORT_FIELDS
from crmtui.services.transfer.contacts import CONTACT_FIELDS
from crmtui.services.transfer.records import SourceContact, SourceFile, SourceRecord

VObject = Any
"""A vobject component or line: vobject has no type information."""
CardItem = SourceRecord | tuple[str, SourceRecord]
"""A card as parse_cards reads it: a customer's record, or (its customer's UID, a record holding
a contact card)."""

_LINE_BREAK = lazy_pattern(r"\r\n|\r|\n")
_BINARY_PROPERTY = lazy_pattern(r"^(?:[\w-]+\.)?(PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)
_CJK = lazy_pattern(r"[\u3400-\u9fff\uf900-\ufaff]")
X_PREFIX = "X-CRMTUI-"

LABELS = {
    "name": "FN",
    "company": "ORG",
    "title": "TITLE",
    "phones": "TEL",
    "email": "EMAIL",
    "address": "ADR",
    "notes": "NOTE",
    "tags": "CATEGORIES",
    "birthday": "BDAY",
    "anniversary": "ANNIVERSARY",
    "im_id": "IMPP",
}


def looks_like_vcard(text: str) -> bool:
    for line in _LINE_BREAK.split(text[:4096].lstrip("\ufeff")):
        if line.strip():
            return line.strip().upper() == "BEGIN:VCARD"
    return False


def split_cards(text: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(first line, card text) of each card, binary properties removed; and (line, problem)."""
    cards: list[tuple[int, str]] = []
    problems: list[tuple[int, str]] = []
    current: list[str] | None = None
    start = 0
    skipping = False
    for number, line in enumerate(_LINE_BREAK.split(text.lstrip("\ufeff")), start=1):
        upper = line.strip().upper()
        if current is None:
            if upper == "BEGIN:VCARD":
                current, start, skipping = [line.strip()], number, False
            elif upper:
                problems.append((number, _("text outside a vCard")))
            continue
        if skipping:
            if line[:1] in (" ", "\t"):
                continue  # folded continuation of a photo
            skipping = False
            if not line.strip():
                continue  # vCard 2.1 ends base64 data with a blank line
        if upper == "END:VCARD":
            current.append(line.strip())
            cards.append((start, "\r\n".join(current) + "\r\n"))
            current = None
        elif upper == "BEGIN:VCARD":
            problems.append((start, _("a vCard without END:VCARD")))
            current, start = [line.strip()], number
        elif _BINARY_PROPERTY.match(line):
            skipping = True
        elif line.strip() or line[:1] in (" ", "\t"):
            current.append(line)
    if current is not None:
        problems.append((start, _("a vCard without END:VCARD")))
    return cards, problems


def read_vcards(text: str, *, encoding: str = "UTF-8") -> SourceFile:
    source = SourceFile(kind="vcard", encoding=encoding, labels=vcard_labels())
    items = parse_cards(text)
    if not items:
        source.problems.append(_("the file holds no vCard"))
    source.records = assemble(items)
    return source


def vcard_labels() -> dict[str, str]:
    return {f: LABELS.get(f, X_PREFIX + f.upper().replace("_", "-")) for f in IMPORT_FIELDS}


def parse_cards(text: str, file: str = "") -> list[CardItem]:
    """The cards of one file: a customer's record, or (the customer's UID, a record holding the
    contact card) for a contact card (RELATED;TYPE=contact), in the file's order."""
    import vobject  # slow to import: only when cards are read

    cards, stray = split_cards(text)
    items: list[CardItem] = [
        SourceRecord(line=line, file=file, problems=[problem]) for line, problem in stray
    ]
    for line, card_text in cards:
        record = SourceRecord(line=line, file=file)
        try:
            card = vobject.readOne(card_text, allowQP=True)
        except Exception as error:  # vobject raises its own and binascii errors alike
            record.problems.append(
                _("not a readable vCard ({error})").format(
                    error=str(error).splitlines()[0] if str(error) else type(error).__name__
                )
            )
            items.append(record)
            continue
        customer = contact_of(card)
        if customer:
            record.contacts.append(
                SourceContact(
                    where=_("the contact card at line {n}").format(n=line),
                    values=contact_card_values(card),
                )
            )
            items.append((customer, record))
            continue
        record.values = card_values(card)
        uid = card.contents.get("uid")
        record.ref = _text(uid[0].value) if uid else ""
        items.append(record)
    items.sort(key=lambda item: (item[1] if isinstance(item, tuple) else item).line)
    return items


def assemble(items: list[CardItem]) -> list[SourceRecord]:
    """Customer records with their contact cards attached by UID, in order; a contact card whose
    customer is not among the cards is a problem of its own."""
    by_uid = {item.ref: item for item in items if isinstance(item, SourceRecord) and item.ref}
    records = []
    for item in items:
        if not isinstance(item, tuple):
            records.append(item)
            continue
        uid, holder = item
        customer = by_uid.get(uid)
        if customer is not None:
            customer.contacts.extend(holder.contacts)
        else:
            contact = holder.contacts[0]
            holder.values = {"name": contact.values.get("name", "")}
            holder.contacts = []
            holder.problems.append(
                _("a contact card of {uid}, whose card is not among those imported").format(uid=uid)
            )
            records.append(holder)
    return records


def contact_of(card: VObject) -> str:
    """The UID of the customer a contact card belongs to (RELATED;TYPE=contact), or ""."""
    for line in card.contents.get("related", []):
        if "CONTACT" in _params(line):
            return _text(line.value)
    return ""


def contact_card_values(card: VObject) -> dict[str, str]:
    """Contact field -> text, read through the contact field table's vCard properties."""
    values = {}
    for spec in CONTACT_FIELDS:
        lines = card.contents.get(spec.property.lower())
        if not lines:
            continue
        text = _text(_preferred(lines)[0].value)
        values[spec.name] = phone_text(text) if spec.property == "TEL" else text
    if not values.get("name") and card.contents.get("n"):
        n = card.contents["n"][0].value
        values["name"] = _name_of(_text(getattr(n, "given", "")), _text(getattr(n, "family", "")))
    return {k: v for k, v in values.items() if v}


def _name_of(given: str, family: str) -> str:
    return (
        family + given if _CJK.search(family + given) else " ".join(p for p in (given, family) if p)
    )


def _params(line: VObject) -> set[str]:
    """TYPE values and bare parameters of a property, upper case (TYPE="voice,cell" splits)."""
    found: set[str] = set()
    for value in line.params.get("TYPE", []):
        found.update(v.strip().upper() for v in value.split(","))
    found.update(p.upper() for p in getattr(line, "singletonparams", []) or [])
    if line.params.get("PREF"):
        found.add("PREF")
    return found


def _preferred(lines: Sequence[VObject]) -> list[VObject]:
    """Lines with PREF (or TYPE=pref) first, otherwise in the card's order."""
    return sorted(lines, key=lambda ln: 0 if "PREF" in _params(ln) else 1)


def _text(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return " ".join(str(v).strip() for v in value if str(v).strip())
    return str(value).strip()


def phone_text(value: str) -> str:
    """A TEL value as text: `tel:+1-555-0100;ext=12` → `+1-555-0100 x12`."""
    text = value.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
        number, _sep, params = text.partition(";")
        ext = re.search(r"(?:^|;)ext=(\d+)", params)
        text = number + (f" x{ext.group(1)}" if ext else "")
    return text


def _date_text(line: VObject) -> str | None:
    """A BDAY or ANNIVERSARY as the import reads it: 1985-03-15 or --03-15; None when text."""
    if any(v.lower() == "text" for v in line.params.get("VALUE", [])):
        return None
    value = _text(line.value)
    value = re.split(r"[T ]", value, maxsplit=1)[0] if len(value) > 10 else value
    if m := re.fullmatch(r"--(\d{2})-?(\d{2})", value):
        return f"--{m.group(1)}-{m.group(2)}"
    if m := re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", value):
        if line.params.get("X-APPLE-OMIT-YEAR"):
            return f"--{m.group(2)}-{m.group(3)}"
        return "-".join(m.groups())
    return value


def address_text(adr: VObject) -> str:
    """A structured ADR as one line, in the order its language writes addresses."""
    parts = [
        getattr(adr, name, "")
        for name in ("box", "extended", "street", "city", "region", "code", "country")
    ]
    parts = [_text(p) for p in parts]
    box, extended, street, city, region, code, country = parts
    if _CJK.search("".join(parts)):
        return "".join(p for p in (country, region, city, street, extended, box) if p) + (
            f" {code}" if code else ""
        )
    region_code = " ".join(p for p in (region, code) if p)
    return ", ".join(p for p in (box, street, extended, city, region_code, country) if p)


def card_values(card: VObject) -> dict[str, str]:
    """Import field -> text, from one parsed vCard."""
    contents = card.contents
    values: dict[str, str] = {}

    def first(name: str) -> str:
        lines = contents.get(name.lower())
        return _text(lines[0].value) if lines else ""

    name = first("FN")
    if not name and contents.get("n"):
        n = contents["n"][0].value
        name = _name_of(_text(getattr(n, "given", "")), _text(getattr(n, "family", "")))
    values["name"] = name
    values["title"] = first("TITLE")
    org = contents.get("org")
    if org:
        units = org[0].value if isinstance(org[0].value, list) else [org[0].value]
        units = [str(u).strip() for u in units if str(u).strip()]
        if units:
            values["company"] = units[0]
        if len(units) > 1:  # departments: ORG:Company;Sales;EMEA
            department = " / ".join(units[1:])
            values["title"] = f"{values['title']} ({department})" if values["title"] else department
    phones = [phone_text(_text(line.value)) for line in _preferred(contents.get("tel", []))]
    values["phones"] = ", ".join(p for p in phones if p)
    emails = [_text(line.value) for line in _preferred(contents.get("email", []))]
    emails = [e for e in emails if e]
    notes = [first("NOTE")]
    if emails:
        values["email"] = emails[0]
        notes += [_("E-mail: {address}").format(address=e) for e in emails[1:]]
    if contents.get("adr"):
        values["address"] = address_text(contents["adr"][0].value)
    values["notes"] = "\n".join(n for n in notes if n)
    tags = []
    for line in contents.get("categories", []):
        tags += [_text(v) for v in (line.value if isinstance(line.value, list) else [line.value])]
    values["tags"] = ",".join(t for t in tags if t)
    for line in contents.get("impp", []) + contents.get("x-wechat", []) + contents.get("x-qq", []):
        handle = _text(line.value)
        values["im_id"] = (
            handle.split(":", 1)[1] if re.match(r"^[a-z][\w+.-]*:", handle) else handle
        )
        break
    for prop, field in (
        ("bday", "birthday"),
        ("anniversary", "anniversary"),
        ("x-anniversary", "anniversary"),
    ):
        if contents.get(prop) and field not in values:
            text = _date_text(contents[prop][0])
            if text:
                values[field] = text
    for key, lines in contents.items():
        if key.upper().startswith(X_PREFIX):
            field = key.upper()[len(X_PREFIX) :].lower().replace("-", "_")
            if field in IMPORT_FIELDS:
                values[field] = _text(lines[0].value)
    return {k: v for k, v in values.items() if v}


# -- writing vCard 4.0 ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """What an exported card holds; `extra` are crmtui fields written as X-CRMTUI- properties."""

    uid: str
    name: str
    company: str = ""
    title: str = ""
    phones: Sequence[str] = ()
    email: str = ""
    address: str = ""
    notes: str = ""
    tags: Sequence[str] = ()
    birthday: str = ""  # 19850315 or --0315
    anniversary: str = ""
    revision: str = ""  # 20261123T100000Z
    extra: Sequence[tuple[str, str]] = ()


def escape(text: str) -> str:
    """A property value as vCard writes it; stored text is only ever text (rows an older
    version stored unclean lose their control characters here)."""
    text = strip_controls(text, multiline=True)
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > 75:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(ch)
        size += width
    out.append("".join(current))
    return "\r\n".join(out)


def split_name(name: str) -> tuple[str, str]:
    """(family, given) for N: Chinese names split after the surname, others at the last space."""
    if _CJK.search(name) and " " not in name:
        surname = 2 if len(name) >= 4 or name[:2] in _COMPOUND_SURNAMES else 1
        return name[:surname], name[surname:]
    given, _sep, family = name.rpartition(" ")
    return (family, given) if given else (name, "")


_COMPOUND_SURNAMES = {
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "轩辕",
    "端木",
    "独孤",
    "南宫",
    "西门",
}


def card_text(card: Card, product: str) -> str:
    family, given = split_name(card.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"PRODID:{product}",
        f"UID:{card.uid}",
        "KIND:individual",
        f"FN:{escape(card.name)}",
        f"N:{escape(family)};{escape(given)};;;",
    ]
    if card.company:
        lines.append(f"ORG:{escape(card.company)}")
    if card.title:
        lines.append(f"TITLE:{escape(card.title)}")
    for index, phone in enumerate(card.phones):
        lines.append(f"TEL;TYPE=voice{';PREF=1' if index == 0 else ''}:{escape(phone)}")
    if card.email:
        lines.append(f"EMAIL;PREF=1:{escape(card.email)}")
    if card.address:
        lines.append(f"ADR:;;{escape(card.address)};;;;")
    if card.birthday:
        lines.append(f"BDAY:{card.birthday}")
    if card.anniversary:
        lines.append(f"ANNIVERSARY:{card.anniversary}")
    if card.notes:
        lines.append(f"NOTE:{escape(card.notes)}")
    if card.tags:
        lines.append("CATEGORIES:" + ",".join(escape(t) for t in card.tags))
    for name, value in card.extra:
        if value != "":
            lines.append(f"{X_PREFIX}{name.upper().replace('_', '-')}:{escape(value)}")
    if card.revision:
        lines.append(f"REV:{card.revision}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def contact_card_text(
    uid: str, customer_uid: str, organization: str, values: Mapping[str, str], product: str
) -> str:
    """A contact person's own card: ORG is the customer's company, RELATED;TYPE=contact links it
    to the customer's card, and each contact field goes to its property in the field table."""
    family, given = split_name(values.get("name", ""))
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"PRODID:{product}",
        f"UID:{uid}",
        "KIND:individual",
        f"N:{escape(family)};{escape(given)};;;",
    ]
    for spec in CONTACT_FIELDS:
        value = values.get(spec.name, "")
        if value != "":
            lines.append(f"{spec.property}:{escape(value)}")
    if organization:
        lines.append(f"ORG:{escape(organization)}")
    lines.append(f"RELATED;TYPE=contact:{customer_uid}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def write_vcards(out: TextIO, cards: Iterable[Card], product: str) -> int:
    count = 0
    for card in cards:
        out.write(card_text(card, product))
        count += 1
    return count
