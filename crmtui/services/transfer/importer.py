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

import multiprocessing
import os
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from crmtui.db import CareDate, Contact, Customer, GradeChange, User
from crmtui.db.bulk import bulk_insert, db_values, deferred_indexes, reserve_ids
from crmtui.errors import CrmError, Forbidden, InvalidInput, NotFound
from crmtui.i18n import _
from crmtui.patterns import lazy_pattern
from crmtui.rules import Grade, Need, grade_for, grade_reason
from crmtui.search import search_document, sort_key
from crmtui.services.audit import audit
from crmtui.services.context import Context, writes
from crmtui.services.customer_columns import follow_up_dates
from crmtui.services.transfer.columns import choice_value, flag_value
from crmtui.services.transfer.contacts import CONTACT_FIELD_NAMES, clean_contact, field_title
from crmtui.services.transfer.csvfile import decode, open_text, read_csv
from crmtui.services.transfer.records import SourceFile, SourceRecord
from crmtui.services.transfer.values import CareSpec, amount_text, date_text, parse_care_text
from crmtui.services.transfer.vcard import looks_like_vcard, read_vcards
from crmtui.services.transfer.vdir import read_vdir
from crmtui.services.transfer.workbook import is_workbook, read_workbook
from crmtui.services.validation import (
    CUSTOMER_FIELDS,
    FieldError,
    clean_date,
    clean_fields,
    grade_value,
    optional_text,
)

# A load this large (or larger than what is stored) rebuilds indexes once instead of per row.
DEFERRED_INDEX_ROWS = 20_000

_EXTRA = frozenset(
    (
        "birthday",
        "anniversary",
        "grade",
        "grade_pinned",
        "pin_reason",
        "owner",
        "last_contact",
        "next_step",
        "next_step_on",
        "first_name",
        "last_name",
    )
)
# Form fields whose spreadsheet spelling is turned into the form's first (明显需求 → clear,
# 2026/12/1 → 2026-12-1, 1.2万 → 12000).
_CONVERTED = {
    **dict.fromkeys(("need", "status", "deal_status", "source", "cadence"), choice_value),
    "expected_close": lambda _key, text: date_text(text),
    **dict.fromkeys(("expected_amount", "credit_limit"), lambda _key, text: amount_text(text)),
}
_GRADE_SUFFIX = lazy_pattern(r"\s*(级|类|級|類|grade)$", re.IGNORECASE)


# -- the report -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rejection:
    line: int
    name: str
    reasons: tuple[str, ...]
    file: str = ""
    """The file of a vdir, or the sheet of a workbook's contact, the line is in."""

    def to_json(self) -> dict:
        return {
            "line": self.line,
            "file": self.file or None,
            "name": self.name,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Duplicate:
    """A record not imported because its customer is already there."""

    line: int
    name: str
    match: str
    """What matched: "phone 138 1234 5678" or "e-mail a@b.cn"."""
    file: str = ""
    existing_id: int | None = None
    existing_name: str = ""
    existing_owner: str = ""
    earlier_line: int | None = None
    """The line of the file's earlier record for the same customer."""
    merge: tuple[int, int] | None = None
    """(keep, other) when the record matches two existing customers: they are one person."""

    @property
    def merge_command(self) -> str | None:
        return f"crmtui merge {self.merge[0]} {self.merge[1]}" if self.merge else None

    def to_json(self) -> dict:
        return {
            "line": self.line,
            "file": self.file or None,
            "name": self.name,
            "match": self.match,
            "existing_id": self.existing_id,
            "existing_name": self.existing_name,
            "existing_owner": self.existing_owner,
            "earlier_line": self.earlier_line,
            "merge": self.merge_command,
        }


@dataclass
class ImportReport:
    file: str
    kind: str
    encoding: str
    delimiter: str
    records: int = 0
    imported: int = 0
    """Customers created (with dry_run: that would be created)."""
    pinned: int = 0
    care_dates: int = 0
    contacts: int = 0
    """Contacts created with the customers (with dry_run: that would be)."""
    rejected: list[Rejection] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)
    layout: str = ""
    sheet: str = ""
    dry_run: bool = False
    skip_bad: bool = False
    committed: bool = False
    ids: tuple[int, int] | None = None
    """The first and last id created."""

    @property
    def blocked(self) -> bool:
        """True when bad records stopped the whole import."""
        return bool(self.rejected) and not self.skip_bad

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "kind": self.kind,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "layout": self.layout or None,
            "sheet": self.sheet or None,
            "records": self.records,
            "imported": self.imported,
            "pinned": self.pinned,
            "care_dates": self.care_dates,
            "contacts": self.contacts,
            "rejected": [r.to_json() for r in self.rejected],
            "duplicates": [d.to_json() for d in self.duplicates],
            "ignored_columns": self.ignored_columns,
            "ignored_files": self.ignored_files,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "first_id": self.ids[0] if self.ids else None,
            "last_id": self.ids[1] if self.ids else None,
        }


# -- one checked record ---------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    fields: dict[str, Any]
    owner_id: int
    grade: Grade
    pinned: bool
    pin_reason: str
    history_reason: str
    care: list[CareSpec]
    last_contact_on: date | None
    next_step: str
    next_step_on: date | None
    keys: list[tuple[str, str]]
    """(kind, key) pairs that identify the customer: normalised phones and the e-mail."""
    contacts: list[dict[str, Any]]
    file: str = ""
    values: tuple = ()
    """The customer row's own columns (_ROW_COLUMNS), ready for the database."""


def phone_key(phone: str) -> str:
    """Digits of a phone number as dialled at home: +86 138…, 0086 138… and 138… are one key."""
    number = re.split(r"(?i)\s*(?:x|ext\.?)\s*\d", phone, maxsplit=1)[0]
    digits = re.sub(r"\D", "", number)
    if digits.startswith("00"):
        digits = digits[2:]
    elif phone.strip().startswith("+"):
        pass
    else:
        return digits
    if digits.startswith("86") and len(digits) >= 12:  # China: mobile 1…, landline 0 + area
        rest = digits[2:]
        return rest if rest.startswith("1") and len(rest) == 11 else "0" + rest
    return digits


def identity_keys(phones: str, email: str) -> list[tuple[str, str]]:
    keys = [("phone", phone_key(p)) for p in phones.split(",") if p.strip()]
    keys = [k for k in keys if len(k[1]) >= 7]  # too short to say two people are one
    if email:
        keys.append(("email", email.lower()))
    return keys


class _Checker:
    """Turns source records into checked rows or rejections."""

    def __init__(self, ctx: Context, source: SourceFile, owner: str | None) -> None:
        self.ctx = ctx
        self.today = ctx.today()
        self.labels = source.labels
        self.users = {u.login.lower(): u for u in User.select()}
        self.users_by_name = {}
        for user in self.users.values():
            self.users_by_name.setdefault(user.display_name.strip().lower(), []).append(user)
        self.fixed_owner = self._owner_option(owner)
        self.pool = None
        self.workers = 1
        meta = Customer._meta.fields
        self.row_fields = [meta[name] for name in _ROW_COLUMNS]
        self.defaults = {name: meta[name].default for name in CUSTOMER_FIELDS}

    def _owner_option(self, login: str | None) -> User | None:
        if not login:
            return None
        user = self.users.get(login.lower())
        if user is None:
            raise NotFound(_("no user {login}").format(login=login))
        if user.id != self.ctx.user.id and not self.ctx.is_manager:
            raise Forbidden(_("only a manager can import customers for another rep"))
        return user

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def owner_for(self, text: str, errors: dict[str, str]) -> int:
        if self.fixed_owner is not None:
            return self.fixed_owner.id
        if not text:
            return self.ctx.user.id
        user = self.users.get(text.lower())
        if user is None:
            named = self.users_by_name.get(text.lower(), [])
            user = named[0] if len(named) == 1 else None
        if user is None:
            errors["owner"] = _("no user '{login}'").format(login=text)
        elif user.id != self.ctx.user.id and not self.ctx.is_manager:
            errors["owner"] = _(
                "'{login}' is another rep; only a manager imports customers for other reps"
            ).format(login=text)
        elif user.role == "support":
            errors["owner"] = _(
                "'{login}' is in support; customers belong to reps and managers"
            ).format(login=text)
        else:
            return user.id
        return self.ctx.user.id

    def check(self, record: SourceRecord) -> _Row | Rejection:
        values = dict(record.values)
        name = values.get("name", "")
        if record.problems:
            return Rejection(record.line, name, tuple(record.problems), record.file)
        today = self.today
        errors: dict[str, str] = {}
        extra = dict.fromkeys(_EXTRA, "")
        for key in _EXTRA.intersection(values):
            extra[key] = values.pop(key)
        for key in _CONVERTED.keys() & values.keys():
            values[key] = _CONVERTED[key](key, values[key])
        if not values.get("name"):
            errors["name"] = _("required")
        try:
            cleaned = clean_fields(values, today)
        except InvalidInput as error:
            errors.update(error.errors)
            cleaned = {}

        care = []
        for kind in ("birthday", "anniversary"):
            if extra[kind]:
                try:
                    care.append(parse_care_text(extra[kind], today, kind))
                except FieldError as error:
                    errors[kind] = str(error)
        imported_grade = None
        if extra["grade"]:
            try:
                imported_grade = grade_value(_GRADE_SUFFIX.sub("", extra["grade"]))
            except InvalidInput as error:
                errors["grade"] = error.errors["grade"]
        pinned_flag = flag_value(extra["grade_pinned"]) if extra["grade_pinned"] else False
        if pinned_flag is None:
            errors["grade_pinned"] = _("'{text}' is not yes or no").format(
                text=extra["grade_pinned"]
            )
        elif pinned_flag and imported_grade is None and "grade" not in errors:
            errors["grade_pinned"] = _("a pinned grade needs a grade")
        pin_reason = self._text(errors, "pin_reason", extra["pin_reason"], 500)
        next_step = self._text(errors, "next_step", extra["next_step"], 500)
        last_contact_on = self._date(errors, "last_contact", extra["last_contact"])
        if last_contact_on is not None and last_contact_on > today:
            errors["last_contact"] = _("cannot be in the future")
        next_step_on = self._date(errors, "next_step_on", extra["next_step_on"])
        owner_id = (
            self.owner_for(extra["owner"], errors)
            if extra["owner"] or self.fixed_owner
            else self.ctx.user.id
        )
        reasons = [f"{self.label(key)}: {reason}" for key, reason in errors.items()]
        contacts = []
        for contact in record.contacts:
            cleaned_contact, problems = clean_contact(contact.values, today)
            reasons += [
                f"{contact.where} – {field_title(key)}: {reason}"
                for key, reason in problems.items()
            ]
            contacts.append(cleaned_contact)
        if reasons:
            return Rejection(record.line, name, tuple(reasons), record.file)

        if "source" in cleaned and cleaned["source"] is None:
            cleaned["source"] = ""  # optional choices are stored as "", not NULL
        if "need" not in cleaned:
            cleaned["need"] = _need_implied_by(imported_grade)
        need, close = Need(cleaned["need"]), cleaned.get("expected_close")
        rules_grade = grade_for(need, close, today)
        why = grade_reason(need, close, today)
        if extra["grade_pinned"]:
            pinned = bool(pinned_flag)
        else:
            pinned = imported_grade is not None and imported_grade != rules_grade
        if pinned:
            pin_reason = pin_reason or "imported grade"  # stored in English (labels.STORED)
            history = f"pinned on import ({pin_reason}); the rules give {rules_grade.value}: {why}"
        else:
            pin_reason = ""
            history = f"imported: {why}"  # stored in English (labels.STORED)
        grade = imported_grade if pinned else rules_grade
        next_due, cadence_due = follow_up_dates(
            self.ctx.config,
            grade=grade.value,
            own_cadence=cleaned.get("cadence"),
            created_on=today,
            last_contact_on=last_contact_on,
            next_step_on=next_step_on,
        )
        get = cleaned.get
        values = db_values(
            self.row_fields,
            (
                *[get(name, self.defaults[name]) for name in CUSTOMER_FIELDS],
                grade.value,
                pinned,
                pin_reason,
                next_step,
                next_step_on,
                next_due,
                cadence_due,
                datetime.combine(last_contact_on, time(12), self.ctx.zone)
                if last_contact_on
                else None,
                last_contact_on,
                owner_id,
                search_document(
                    cleaned["name"],
                    get("company", ""),
                    get("phones", ""),
                    get("email", ""),
                    get("im_id", ""),
                    get("tags", ""),
                ),
                sort_key(cleaned["name"]),
            ),
        )
        return _Row(
            line=record.line,
            fields=cleaned,
            owner_id=owner_id,
            grade=grade,
            pinned=pinned,
            pin_reason=pin_reason,
            history_reason=history,
            care=care,
            last_contact_on=last_contact_on,
            next_step=next_step,
            next_step_on=next_step_on,
            keys=identity_keys(cleaned.get("phones", ""), cleaned.get("email", "")),
            contacts=contacts,
            file=record.file,
            values=values,
        )

    def check_all(self, records: Iterable[SourceRecord]) -> Iterator[_Row | Rejection]:
        """Each record checked, in order: in worker processes when there is a pool."""
        if self.pool is None:
            for record in records:
                yield self.check(record)
            return
        # A few chunks in flight per worker: enough to keep them busy, while the file is read
        # only as fast as the rows are taken (Pool.imap would read it all ahead).
        pending: deque = deque()
        for chunk in _chunks(records, POOL_CHUNK):
            pending.append(self.pool.apply_async(_check_in_worker, (chunk,)))
            if len(pending) > 2 * self.workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()

    def start_pool(self, size_in_bytes: int) -> None:
        """Check in worker processes (forked: each has this checker) when the file is large
        and there are cores to share it: checking a record and making its search document is
        most of an import's work."""
        workers = min(os.cpu_count() or 1, MAX_WORKERS)
        if size_in_bytes < POOL_FILE_BYTES or workers < 2 or not hasattr(os, "fork"):
            return
        global _WORKER_CHECKER
        _WORKER_CHECKER = self
        self.workers = workers
        self.pool = multiprocessing.get_context("fork").Pool(workers)

    def stop_pool(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def __getstate__(self):  # what a worker process is sent: nothing (it has a fork's copy)
        raise TypeError("a checker is not sent to the workers")

    def _text(self, errors: dict, key: str, value: str, limit: int) -> str:
        if not value:
            return ""
        try:
            return optional_text(limit)(value, self.today)
        except FieldError as error:
            errors[key] = str(error)
            return ""

    def _date(self, errors: dict, key: str, value: str) -> date | None:
        try:
            return clean_date(date_text(value), self.today) if value else None
        except FieldError as error:
            errors[key] = str(error)
            return None


def _need_implied_by(grade: Grade | None) -> str:
    """The need a grade implies when the file gives none: A–C clear, E none, D potential."""
    if grade in (Grade.A, Grade.B, Grade.C):
        return Need.CLEAR.value
    if grade is Grade.E:
        return Need.NONE.value
    return Need.POTENTIAL.value


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


def _refuse_options(path: Path, mapping, sheet: str | None, what: str) -> None:
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
    checker = _Checker(ctx, sources[0], owner)
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
    checker: _Checker,
    report: ImportReport,
    **reading,
) -> ImportReport:
    if report.dry_run:
        _load(sources.pop(), checker, report, None)
        return report

    @writes
    def run(ctx: Context) -> None:
        # A retried transaction (PostgreSQL's serialization failures) reads the file again.
        source = sources.pop() if sources else read_source(path, **reading)
        loader = _Loader(ctx)
        _load(source, checker, report, loader)
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


POOL_FILE_BYTES = 2_000_000
"""A file this large is checked in worker processes (about 10,000 spreadsheet rows)."""
MAX_WORKERS = 4
POOL_CHUNK = 500
_WORKER_CHECKER: _Checker | None = None


def _check_in_worker(records: list[SourceRecord]) -> list[_Row | Rejection]:
    return [_WORKER_CHECKER.check(record) for record in records]


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Blocked(Exception):
    """Bad records without skip_bad: nothing is imported."""


BATCH = 2000
"""Checked records inserted at a time."""


def _load(
    source: SourceFile, checker: _Checker, report: ImportReport, loader: _Loader | None
) -> None:
    """Check every record of the source into the report, dropping duplicates, and hand the
    accepted ones to `loader` (None: a dry run) while no bad record has blocked the import."""
    for name in ("records", "imported", "pinned", "care_dates", "contacts"):
        setattr(report, name, 0)
    report.rejected.clear()
    report.duplicates.clear()
    duplicates = _Duplicates()
    batch: list[_Row] = []
    for row in checker.check_all(source.records):  # not kept once inserted
        report.records += 1
        if isinstance(row, Rejection):
            report.rejected.append(row)
            continue
        duplicate = duplicates.of(row)
        if duplicate is not None:
            report.duplicates.append(duplicate)
            continue
        report.imported += 1
        report.pinned += row.pinned
        report.care_dates += len(row.care)
        report.contacts += len(row.contacts)
        if loader is not None and not report.blocked:
            batch.append(row)
            if len(batch) >= BATCH:
                loader.insert(batch)
                batch = []
    if loader is not None and not report.blocked and batch:
        loader.insert(batch)


class _Duplicates:
    """Tells a record whose customer is already stored, or came earlier in the file."""

    def __init__(self) -> None:
        self.existing: dict[tuple[str, str], int] = {}
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
                for key in keys:
                    self.existing.setdefault(key, cid)
        self.logins = dict(User.select(User.id, User.login).tuples())
        self.seen: dict[tuple[str, str], tuple[int, str]] = {}
        """Key -> (line, file) of the file's first record with it."""

    def of(self, row: _Row) -> Duplicate | None:
        name = row.fields["name"]
        hits = [(key, self.existing[key]) for key in row.keys if key in self.existing]
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
        earlier = next((self.seen[key] for key in row.keys if key in self.seen), None)
        if earlier is not None:
            key = next(k for k in row.keys if self.seen.get(k) is earlier)
            return Duplicate(
                line=row.line,
                name=name,
                match=_describe(key, row),
                file=row.file,
                earlier_line=earlier[0],
            )
        marker = (row.line, row.file)
        for key in row.keys:
            self.seen.setdefault(key, marker)
        return None


def _describe(key: tuple[str, str], row: _Row) -> str:
    kind, value = key
    if kind == "email":
        return _("e-mail {address}").format(address=row.fields.get("email", value))
    phone = next(
        (p.strip() for p in row.fields.get("phones", "").split(",") if phone_key(p) == value), value
    )
    return _("phone {number}").format(number=phone)


_ROW_COLUMNS = [
    *CUSTOMER_FIELDS,
    "grade",
    "grade_pinned",
    "pin_reason",
    "next_step",
    "next_step_on",
    "next_due",
    "cadence_due",
    "last_contact_at",
    "last_contact_on",
    "owner",
    "search_doc",
    "sort_name",
]
_CUSTOMER_COLUMNS = ["id", *_ROW_COLUMNS, "created_at", "created_on", "updated_at", "updated_by"]


class _Loader:
    """Inserts checked records in batches inside the import's transaction. Once a load has put
    in more rows than were stored (and many, or the database held few), the secondary indexes
    and the search index are dropped, and built once at the end: much quicker than updating
    them row by row."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.now, self.today, self.zone = ctx.now(), ctx.today(), ctx.zone
        meta = Customer._meta.fields
        self.fields = [meta[name] for name in _CUSTOMER_COLUMNS]
        self.stored = Customer.select().count()
        self.inserted = 0
        self.first_id: int | None = None
        self.last_id: int | None = None
        self.deferred = ExitStack()
        self.deferring = False

    def insert(self, rows: list[_Row]) -> None:
        total = self.inserted + len(rows)
        if (
            not self.deferring
            and total > self.stored
            and (total >= DEFERRED_INDEX_ROWS or self.stored < BATCH)
        ):
            self.deferred.enter_context(
                deferred_indexes([Customer, GradeChange, CareDate, Contact])
            )
            self.deferring = True
        ids = reserve_ids(Customer, len(rows))
        by = self.ctx.user.id
        # the same moment and day on every row: converted for the database once
        now, today = (
            Customer.created_at.db_value(self.now),
            Customer.created_on.db_value(self.today),
        )
        bulk_insert(
            Customer,
            self.fields,
            ((cid, *row.values, now, today, now, by) for cid, row in zip(ids, rows, strict=True)),
            converted=True,
        )
        bulk_insert(
            GradeChange,
            [
                GradeChange.customer,
                GradeChange.at,
                GradeChange.on,
                GradeChange.from_grade,
                GradeChange.to_grade,
                GradeChange.reason,
                GradeChange.by,
            ],
            (
                (cid, now, today, None, row.grade.value, row.history_reason, by)
                for cid, row in zip(ids, rows, strict=True)
            ),
        )
        bulk_insert(
            CareDate,
            [
                CareDate.customer,
                CareDate.kind,
                CareDate.month,
                CareDate.day,
                CareDate.year,
                CareDate.lunar,
                CareDate.leap,
            ],
            (
                (cid, spec.kind, spec.month, spec.day, spec.year, spec.lunar, spec.leap)
                for cid, row in zip(ids, rows, strict=True)
                for spec in row.care
            ),
        )
        contact_fields = [Contact._meta.fields[name] for name in CONTACT_FIELD_NAMES]
        bulk_insert(
            Contact,
            [Contact.customer, *contact_fields],
            (
                (cid, *(contact[name] for name in CONTACT_FIELD_NAMES))
                for cid, row in zip(ids, rows, strict=True)
                for contact in row.contacts
            ),
        )
        self.inserted += len(rows)
        self.first_id = ids[0] if self.first_id is None else self.first_id
        self.last_id = ids[-1]

    def finish(self) -> tuple[int, int] | None:
        """Build what was deferred; the first and last id inserted."""
        self.deferred.close()
        return (self.first_id, self.last_id) if self.first_id is not None else None


__all__ = ["ImportReport", "Rejection", "Duplicate", "import_file", "read_source", "phone_key"]
