"""The message catalogue: extract the messages from the code, refresh the Chinese .po, check it.

    python tools/catalogue.py refresh   # add new messages (untranslated), drop unused ones,
                                        # then compile the .mo for a source checkout
    python tools/catalogue.py check     # what is missing, untranslated, fuzzy or inconsistent
    python tools/catalogue.py adopt OTHER.po   # take OTHER's translations where ours have none
                                        # (after a merge conflict: keep one side, refresh, adopt
                                        # the other side's file)

Messages are the string literals passed to _(), N_(), pgettext() and NC_() in crmtui/ (babel's
Python extractor, the same as `pybabel extract -k NC_:1c,2`). Needs babel (in the test extra).
"""

from __future__ import annotations

import io
import re
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "crmtui"
KEYWORDS = {**DEFAULT_KEYWORDS, "NC_": ((1, "c"), 2)}
LOCALES = ("zh_CN",)
PO_WIDTH = 100
HEADER = ("# Simplified Chinese messages of crmtui (domain words: SPEC §2).\n"
          "# Refresh with `python tools/catalogue.py refresh`; see README, Translations.")


def po_path(locale: str, root: Path = ROOT) -> Path:
    return root / PACKAGE / "locale" / locale / "LC_MESSAGES" / f"{PACKAGE}.po"


def extract(root: Path = ROOT) -> Catalog:
    """Every message the code uses, with where it is used."""
    catalog = Catalog(project=PACKAGE, charset="utf-8")
    found = extract_from_dir(root, method_map=[(f"{PACKAGE}/**.py", "python")],
                             keywords=KEYWORDS, comment_tags=("Translators:",),
                             strip_comment_tags=True)
    for filename, lineno, message, comments, context in found:
        if isinstance(message, tuple):  # plural forms are not used
            message = message[0]
        if not message:
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def write(catalog: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    # Sorted and without source locations: branches that add messages merge without conflicts
    # in lines they did not touch.
    write_po(buffer, catalog, width=PO_WIDTH, ignore_obsolete=True, include_lineno=False,
             no_location=True, sort_output=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def compile_mo(po: Path) -> Path:
    """Write the .mo beside the .po (fuzzy entries left out), as the package build does."""
    mo = po.with_suffix(".mo")
    with mo.open("wb") as file:
        write_mo(file, read(po), use_fuzzy=False)
    return mo


_FORMAT_FIELD = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[sd]")


def placeholders(text: str) -> list[str]:
    """The {name} fields (with conversion and format spec) and %(name)s fields of a message."""
    fields = []
    try:
        for _literal, name, spec, conversion in string.Formatter().parse(text):
            if name is not None:
                fields.append(f"{{{name}{'!' + conversion if conversion else ''}"
                              f"{':' + spec if spec else ''}}}")
    except ValueError:
        fields.append("<unbalanced braces>")
    fields += [match.group(0) for match in _FORMAT_FIELD.finditer(text)]
    return sorted(fields)


def _key(message) -> str:
    return (f"[{message.context}] " if message.context else "") + message.id


@dataclass
class Problems:
    missing: list[str] = field(default_factory=list)
    """Used in the code, not in the catalogue."""
    untranslated: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    """Entries whose translation has other {fields} than the English."""

    def __bool__(self) -> bool:
        return bool(self.missing or self.untranslated or self.fuzzy or self.placeholders)

    def report(self) -> str:
        lines = []
        for title, entries in (("missing from the catalogue", self.missing),
                               ("not translated", self.untranslated),
                               ("fuzzy (check, then remove the fuzzy flag)", self.fuzzy),
                               ("placeholders differ", self.placeholders)):
            if entries:
                lines.append(f"{len(entries)} {title}:")
                lines += [f"  {entry}" for entry in entries]
        return "\n".join(lines)


def problems(code: Catalog, translated: Catalog) -> Problems:
    """What stops the translated catalogue from covering the code's messages."""
    found = Problems()
    for message in code:
        if not message.id:
            continue
        entry = translated.get(message.id, context=message.context)
        where = ", ".join(sorted({f"{file}:{line}" for file, line in message.locations}))
        if entry is None:
            found.missing.append(f"{_key(message)!r}  ({where})")
        elif entry.fuzzy:
            found.fuzzy.append(repr(_key(message)))
        elif not entry.string:
            found.untranslated.append(f"{_key(message)!r}  ({where})")
    for entry in translated:
        if entry.id and entry.string and placeholders(entry.id) != placeholders(entry.string):
            found.placeholders.append(
                f"{_key(entry)!r}: {placeholders(entry.id)} vs {entry.string!r}")
    return found


def refresh(root: Path = ROOT) -> None:
    code = extract(root)
    for locale in LOCALES:
        path = po_path(locale, root)
        if path.exists():
            catalog = read(path)
            catalog.update(code, update_creation_date=False)
        else:
            catalog = Catalog(locale=locale, project=PACKAGE, version="", charset="utf-8",
                              fuzzy=False, header_comment=HEADER,
                              language_team="Simplified Chinese", last_translator="crmtui")
            catalog.update(code, update_creation_date=False)
        write(catalog, path)
        compile_mo(path)
        print(f"{path.relative_to(root)}: {sum(1 for m in catalog if m.id)} messages")


def check(root: Path = ROOT) -> int:
    code = extract(root)
    status = 0
    for locale in LOCALES:
        found = problems(code, read(po_path(locale, root)))
        if found:
            print(f"{locale}:\n{found.report()}")
            status = 1
    return status


def adopt(other: Path, root: Path = ROOT) -> int:
    """Fill untranslated entries of our catalogue from another .po of the same locale (a fuzzy
    entry is a guess by refresh, so the other's checked translation replaces it)."""
    source = read(other)
    adopted = 0
    for locale in LOCALES:
        path = po_path(locale, root)
        catalog = read(path)
        for message in catalog:
            if not message.id or (message.string and not message.fuzzy):
                continue
            entry = source.get(message.id, context=message.context)
            if entry is not None and entry.string and not entry.fuzzy:
                message.string = entry.string
                message.flags.discard("fuzzy")
                adopted += 1
        write(catalog, path)
        compile_mo(path)
    print(f"adopted {adopted} translations from {other}")
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "refresh":
        refresh()
    elif command == "check":
        sys.exit(check())
    elif command == "adopt" and len(sys.argv) == 3:
        sys.exit(adopt(Path(sys.argv[2])))
    else:
        print(__doc__)
        sys.exit(2)
