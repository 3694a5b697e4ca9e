"""Importing customers from a CSV file, an Excel workbook, a vCard file or a vdir (SPEC §5).

Each source yields records (with the line or row they start on) through `SourceFile.records`;
from there one pipeline checks, reports and inserts them, whatever the format. Every record is
checked with the form's own validation; a report names each rejected record by
the line it starts on, with every reason. By default a file with any bad record imports nothing;
`skip_bad` imports the good ones. Records with the phone number or e-mail address of an existing
customer, or of an earlier record of the file, are reported and not created. The good records go
in as one transaction through bulk inserts, with the grade, next due date, search document and
grade history computed by the same functions the customer form uses.

A grade column keeps the team's judgement: it fills an empty need (A–C imply a clear need, E none)
and, when the rules then give another grade (no close date, say), the imported grade is pinned
with the reason "imported grade" until someone sets a close date and unpins it. A crmtui export says
which grades were pinned (grade_pinned), and then only those are pinned. The contacts a record
carries (contact columns, a Contacts sheet, contact cards) are checked with the contact field
table and go in with their customer, or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crmtui.db import Customer, User
from crmtui.db.rows import tuple_rows
from crmtui.errors import CrmError, Forbidden, NotFound
from crmtui.i18n import _
from crmtui.services.audit import audit
from crmtui.services.context import Context, writes
from crmtui.services.transfer.checking import (
    CheckedChunk,
    CheckedRow,
    Checker,
    chunk_rows,
    identity_keys,
    phone_key,
)
from crmtui.services.transfer.csvfile import decode, open_text, read_csv
from crmtui.services.transfer.loading import Loader
from crmtui.services.transfer.records import SourceFile
from crmtui.services.transfer.report import Duplicate, ImportReport, Rejection
from crmtui.services.transfer.vcard import looks_like_vcard, read_vcards
from crmtui.services.transfer.vdir import read_vdir
from crmtui.services.transfer.workbook import is_workbook, read_workbook

# -- reading the file -----------------------------------------------------------------------------


def read_source(
    path: Path,
    mapping: Mapping[str, str | None] | None = None,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
) -> SourceFile:
    """Read a CSV file, a workbook, a vCard file (by content, not name) or a vdir (a folder).
    A CSV file is streamed: its records are read as they are asked for."""
    if path.is_dir():
        _refuse_options(path, mapping, sheet, _("a folder of vCards"))
        return read_vdir(path, encoding)
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536)
        if is_workbook(head[:8]):
            return read_workbook(path, path.read_bytes(), sheet=sheet, mapping=mapping)
        stream, shown, named = open_text(path, head, encoding)
    except FileNotFoundError:
        raise NotFound(_("there is no file {path}").format(path=path)) from None
    except OSError as error:
        raise CrmError(
            _("cannot read {path}: {reason}").format(path=path, reason=error.strerror)
        ) from None
    if looks_like_vcard(stream.read(4096)):
        stream.close()
        text, shown = decode(path.read_bytes(), path.name, encoding)
        _refuse_options(path, mapping, sheet, _("a vCard file"))
        return read_vcards(text, encoding=shown)
    stream.seek(0)
    _refuse_options(path, None, sheet, _("a CSV file"))
    return read_csv(stream, encoding=shown, mapping=mapping, strip_marks=named)


def _refuse_options(
    path: Path, mapping: Mapping[str, str | None] | None, sheet: str | None, what: str
) -> None:
    if mapping:
        raise CrmError(
            _("--map names the columns of a CSV file or a sheet; {name} is {what}").format(
                name=path.name, what=what
            )
        )
    if sheet is not None:
        raise CrmError(
            _("--sheet names a sheet of a workbook; {name} is {what}").format(
                name=path.name, what=what
            )
        )


# -- the import -----------------------------------------------------------------------------------


def import_file(
    ctx: Context,
    path: Path,
    *,
    dry_run: bool = False,
    skip_bad: bool = False,
    mapping: Mapping[str, str | None] | None = None,
    owner: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
) -> ImportReport:
    """Read, check and (unless dry_run, or bad records without skip_bad) import a file.

    The file streams through once: each record is read, checked, compared with what is stored
    and with the file's earlier records, and inserted in batches, all inside one write
    transaction, so memory stays flat however long the file and a failure imports nothing. A
    bad record (without skip_bad) stops the inserting; the rest is still checked for the
    report, then the transaction is rolled back."""
    if ctx.role == "support":
        raise Forbidden(_("support can read profiles but not add customers"))
    if not dry_run:
        ctx.require_writable()
    path = Path(path)
    sources = [read_source(path, mapping, sheet=sheet, encoding=encoding)]
    if sources[0].problems:
        raise CrmError(
            _("{name}: {problem}; nothing was imported").format(
                name=path.name, problem="; ".join(sources[0].problems)
            )
        )
    report = ImportReport(
        file=str(path),
        kind=sources[0].kind,
        encoding=sources[0].encoding,
        delimiter=sources[0].delimiter,
        layout=sources[0].layout,
        sheet=sources[0].sheet,
        ignored_columns=sources[0].ignored_columns,
        ignored_files=sources[0].ignored_files,
        dry_run=dry_run,
        skip_bad=skip_bad,
    )
    checker = Checker(ctx, sources[0], owner)
    try:
        if path.is_file():
            checker.start_pool(path.stat().st_size)
        return _import(
            ctx, path, sources, checker, report, mapping=mapping, sheet=sheet, encoding=encoding
        )
    finally:
        checker.stop_pool()


def _import(
    ctx: Context,
    path: Path,
    sources: list[SourceFile],
    checker: Checker,
    report: ImportReport,
    **reading: Any,
) -> ImportReport:
    if report.dry_run:
        _load(sources.pop(), checker, report, None)
        return report

    @writes
    def run(ctx: Context) -> None:
        # A retried transaction (PostgreSQL's serialization failures) reads the file again.
        source = sources.pop() if sources else read_source(path, **reading)
        loader = Loader(ctx, BATCH)
        try:
            _load(source, checker, report, loader)
        finally:
            loader.stop()
        if report.blocked:
            raise _Blocked  # rolls back what went in before the first bad record
        report.ids = loader.finish()
        detail = _(
            "{file}: {imported} imported, {duplicates} duplicates, {rejected} rejected"
        ).format(
            file=path.name,
            imported=report.imported,
            duplicates=len(report.duplicates),
            rejected=len(report.rejected),
        )
        if report.ids:
            detail += f" (#{report.ids[0]}–#{report.ids[1]})"
        audit(ctx, "import", "customer", None, detail)

    try:
        run(ctx)
    except _Blocked:
        return report
    report.committed = True
    return report


class _Blocked(Exception):
    """Bad records without skip_bad: nothing is imported."""


BATCH = 2000
"""Checked records inserted at a time."""


def _load(
    source: SourceFile, checker: Checker, report: ImportReport, loader: Loader | None
) -> None:
    """Check every record of the source into the report, dropping duplicates, and hand the
    accepted ones to `loader` (None: a dry run) while no bad record has blocked the import."""
    for name in ("records", "imported", "pinned", "care_dates", "contacts"):
        setattr(report, name, 0)
    report.rejected.clear()
    report.duplicates.clear()
    duplicates = _Duplicates()
    for chunk in checker.check_all(source.records, BATCH):  # not kept once inserted
        report.records += chunk.records
        report.rejected.extend(chunk.rejected)
        if not duplicates.none_in(chunk):  # then record by record
            kept = []
            for position, row in enumerate(chunk_rows(chunk)):
                duplicate = duplicates.of(row)
                if duplicate is None:
                    kept.append(position)
                else:
                    report.duplicates.append(duplicate)
            chunk = chunk.only(kept)
        report.imported += len(chunk.lines)
        report.pinned += len(chunk.pinned)
        report.care_dates += len(chunk.care)
        report.contacts += len(chunk.contacts)
        if loader is not None and not report.blocked and chunk.lines:
            loader.insert(chunk)


class _Duplicates:
    """Tells a record whose customer is already stored, or came earlier in the file."""

    def __init__(self) -> None:
        # Keys are held per kind (phone, e-mail), each kind's keys as text: a large file's keys
        # are most of what the importing process holds, and a (kind, key) pair per key would
        # add a tuple to each.
        self.existing: defaultdict[str, dict[str, int]] = defaultdict(dict)
        self.facts: dict[int, tuple[str, int]] = {}
        for cid, name, owner_id, phones, email in (
            Customer.select(
                Customer.id, Customer.name, Customer.owner, Customer.phones, Customer.email
            )
            .tuples()
            .iterator()
        ):
            keys = identity_keys(phones, email)
            if keys:
                self.facts[cid] = (name, owner_id)
                for kind, key in keys:
                    self.existing[kind].setdefault(key, cid)
        self.logins = dict(tuple_rows(User.select(User.id, User.login), tuple[int, str]))
        self.seen: defaultdict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
        """Kind -> key -> (line, file) of the file's first record with it."""

    def none_in(self, chunk: CheckedChunk) -> bool:
        """Whether no row of the chunk is a duplicate (no key of it stored, seen earlier or
        twice in it): then its keys are remembered as `of` would, row by row, remember them."""
        known = [(kind, keys) for kind, (keys, _rows) in chunk.keys.items() if keys]
        for kind, keys in known:
            if (
                not self.existing[kind].keys().isdisjoint(keys)
                or not self.seen[kind].keys().isdisjoint(keys)
                or len(set(keys)) != len(keys)
            ):
                return False
        markers = list(zip(chunk.lines, chunk.files, strict=True))  # one per row, as `of` keeps
        for kind, (keys, rows) in chunk.keys.items():
            self.seen[kind].update(zip(keys, map(markers.__getitem__, rows), strict=True))
        return True

    def of(self, row: CheckedRow) -> Duplicate | None:
        name = row.name
        existing, seen = self.existing, self.seen
        hits = [
            ((kind, key), existing[kind][key]) for kind, key in row.keys if key in existing[kind]
        ]
        if hits:
            key, cid = hits[0]
            others = sorted({c for _k, c in hits})
            return Duplicate(
                line=row.line,
                name=name,
                match=_describe(key, row),
                file=row.file,
                existing_id=cid,
                existing_name=self.facts[cid][0],
                existing_owner=self.logins.get(self.facts[cid][1], ""),
                merge=(others[0], others[1]) if len(others) > 1 else None,
            )
        earlier = next((seen[kind][key] for kind, key in row.keys if key in seen[kind]), None)
        if earlier is not None:
            first = next((kind, k) for kind, k in row.keys if seen[kind].get(k) is earlier)
            return Duplicate(
                line=row.line,
                name=name,
                match=_describe(first, row),
                file=row.file,
                earlier_line=earlier[0],
            )
        marker = (row.line, row.file)
        for kind, text in row.keys:
            seen[kind].setdefault(text, marker)
        return None


def _describe(key: tuple[str, str], row: CheckedRow) -> str:
    kind, value = key
    if kind == "email":
        return _("e-mail {address}").format(address=row.email or value)
    phone = next((p.strip() for p in row.phones.split(",") if phone_key(p) == value), value)
    return _("phone {number}").format(number=phone)


__all__ = ["ImportReport", "Rejection", "Duplicate", "import_file", "read_source", "phone_key"]
