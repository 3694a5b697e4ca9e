"""A vdir: a folder of .vcf files, one card each, as khard and vdirsyncer keep an address book.

Reading takes every `*.vcf` (and `*.vcard`) file of the folder, in name order; other files (a
vdir's `color` and `displayname`, notes) are passed over and listed. Each file's records carry
its name, so a message points at the file. Contact cards link to their customer's card by UID
across files, as in one file.

Writing names each file by the customer's id (and a contact's after its customer's, so they sort
together and in order: customer-00000012.vcf, customer-00000012-contact-00000034.vcf), so a
second export to the same folder replaces the files of the first (and leaves alone a file whose
card did not change, so a sync sends only what changed).
"""

from __future__ import annotations

import os
from pathlib import Path

from crmtui.errors import CrmError
from crmtui.i18n import _
from crmtui.services.transfer.csvfile import decode
from crmtui.services.transfer.records import SourceFile, SourceRecord
from crmtui.services.transfer.vcard import (
    CardItem,
    assemble,
    looks_like_vcard,
    parse_cards,
    vcard_labels,
)

CARD_SUFFIXES = (".vcf", ".vcard")


def card_files(folder: Path) -> tuple[list[Path], list[str]]:
    """(the folder's card files in name order, the names of its other files)."""
    cards: list[Path] = []
    others: list[Path] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith(".") or not entry.is_file():
            continue
        (cards if entry.suffix.lower() in CARD_SUFFIXES else others).append(entry)
    return cards, [p.name for p in others]


def read_vdir(folder: Path, encoding: str | None = None) -> SourceFile:
    try:
        files, others = card_files(folder)
    except OSError as error:
        raise CrmError(
            _("cannot read {path}: {reason}").format(path=folder, reason=error.strerror)
        ) from None
    source = SourceFile(
        kind="vdir", encoding=encoding or "UTF-8", labels=vcard_labels(), ignored_files=others
    )
    if not files:
        books = sorted(
            p.name
            for p in folder.iterdir()
            if p.is_dir()
            and not p.name.startswith(".")
            and any(c.suffix.lower() in CARD_SUFFIXES for c in p.iterdir())
        )
        if books:
            source.problems.append(
                _(
                    "{path} holds no .vcf files, but its folders {folders} do: import one of them"
                ).format(path=folder, folders=", ".join(books))
            )
        else:
            source.problems.append(_("{path} holds no .vcf files").format(path=folder))
        return source
    items: list[CardItem] = []
    for path in files:
        try:
            text, _encoding = decode(path.read_bytes(), path.name, encoding)
        except OSError as error:
            items.append(
                SourceRecord(
                    line=1,
                    file=path.name,
                    problems=[_("cannot be read: {reason}").format(reason=error.strerror)],
                )
            )
            continue
        except CrmError as error:
            items.append(SourceRecord(line=1, file=path.name, problems=[str(error)]))
            continue
        if not looks_like_vcard(text):
            items.append(
                SourceRecord(
                    line=1,
                    file=path.name,
                    problems=[_("not a vCard (it does not start with BEGIN:VCARD)")],
                )
            )
            continue
        found = parse_cards(text, path.name)
        if not found:
            items.append(SourceRecord(line=1, file=path.name, problems=[_("holds no vCard")]))
        items.extend(found)
    source.records = assemble(items)
    return source


def file_name(customer_id: int, contact_id: int | None = None) -> str:
    """The file of a customer's card, or of one of its contacts' cards."""
    if contact_id is None:
        return f"customer-{customer_id:08d}.vcf"
    return f"customer-{customer_id:08d}-contact-{contact_id:08d}.vcf"


class VdirWriter:
    """Writes cards into a folder under temporary names; `commit` moves them into place."""

    def __init__(self, folder: Path, mode: int) -> None:
        self.folder = folder
        self.mode = mode
        self.pending: list[tuple[Path, Path]] = []
        self.written = 0
        self.unchanged = 0
        self.names: set[str] = set()

    def add(self, name: str, text: str) -> None:
        self.names.add(name)
        target = self.folder / name
        data = text.encode("utf-8")
        try:
            if target.read_bytes() == data:
                self.unchanged += 1
                return
        except OSError:
            pass
        temporary = self.folder / f".{name}.tmp"
        try:
            fd = os.open(temporary, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, self.mode)
            with os.fdopen(fd, "wb") as out:
                os.fchmod(out.fileno(), self.mode)
                out.write(data)
        except OSError as error:
            raise CrmError(
                _("cannot write {path}: {reason}").format(path=target, reason=error.strerror)
            ) from None
        self.pending.append((temporary, target))

    def commit(self) -> None:
        for temporary, target in self.pending:
            os.replace(temporary, target)
        self.written = len(self.pending)
        self.pending = []

    def discard(self) -> None:
        for temporary, _target in self.pending:
            temporary.unlink(missing_ok=True)
        self.pending = []

    def others(self) -> int:
        """Card files in the folder that this export did not write (deleted customers…)."""
        files, _rest = card_files(self.folder)
        return sum(1 for p in files if p.name not in self.names)
