"""Checking an import's records: each source record becomes a row ready for the database, or a
rejection with every reason, by the form's own validation (SPEC §5).

A large file is checked in worker processes (forked, so each has the checker); what they send
back is kept small, since the importing process reads every row of it: the customer's values
as the database takes them, its identity keys, its grade history line, care dates and contacts.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, TypeVar

from crmtui.db import CareDate, Customer, User
from crmtui.db.bulk import RowConverter
from crmtui.errors import Forbidden, InvalidInput, NotFound
from crmtui.i18n import _
from crmtui.patterns import lazy_pattern
from crmtui.rules import Grade, Need, grade_for, grade_reason
from crmtui.search import search_document, sort_key
from crmtui.services.context import Context
from crmtui.services.customer_columns import follow_up_dates
from crmtui.services.transfer.chunk import KEY_KINDS, CheckedChunk, pack
from crmtui.services.transfer.columns import EXTRA_FIELDS, choice_value, flag_value
from crmtui.services.transfer.contacts import clean_contact, field_title
from crmtui.services.transfer.records import (
    Row,
    RowReading,
    RowRecords,
    SourceFile,
    SourceRecord,
)
from crmtui.services.transfer.report import Rejection
from crmtui.services.transfer.values import amount_text, date_text, parse_care_text
from crmtui.services.validation import (
    CUSTOMER_FIELDS,
    FieldError,
    checked_field,
    clean_date,
    grade_value,
    optional_text,
)

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

_EXTRA = frozenset(EXTRA_FIELDS)
# Form fields whose spreadsheet spelling is turned into the form's first (明显需求 → clear,
# 2026/12/1 → 2026-12-1, 1.2万 → 12000).
_CONVERTED: dict[str, Callable[[str, str], str]] = {
    **dict.fromkeys(("need", "status", "deal_status", "source", "cadence"), choice_value),
    "expected_close": lambda _key, text: date_text(text),
    **dict.fromkeys(("expected_amount", "credit_limit"), lambda _key, text: amount_text(text)),
}
_GRADE_SUFFIX = lazy_pattern(r"\s*(级|类|級|類|grade)$", re.IGNORECASE)
_EXTENSION = lazy_pattern(r"\s*(?:x|ext\.?)\s*\d", re.IGNORECASE)
_NOT_DIGIT = lazy_pattern(r"\D")

ROW_COLUMNS = [
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
"""The customer columns a checked row carries, in the order of its values."""
_NAME, _PHONES, _EMAIL, _GRADE = (
    ROW_COLUMNS.index(c) for c in ("name", "phones", "email", "grade")
)


class CheckedRow(NamedTuple):
    """A record that passed every check, as the database takes it (a plain tuple, so that
    sending it from a worker process costs little)."""

    line: int
    file: str
    values: tuple[Any, ...]
    """The customer row's own columns (ROW_COLUMNS), ready for the database."""
    keys: list[tuple[str, str]]
    """(kind, key) pairs that identify the customer: normalised phones and the e-mail."""
    pinned: bool
    history_reason: str
    care: list[tuple[str, int, int, int | None, bool, bool]]
    """(kind, month, day, year, lunar, leap) of each care date."""
    contacts: list[dict[str, Any]]

    @property
    def name(self) -> str:
        name: str = self.values[_NAME]
        return name

    @property
    def phones(self) -> str:
        phones: str = self.values[_PHONES]
        return phones

    @property
    def email(self) -> str:
        email: str = self.values[_EMAIL]
        return email

    @property
    def grade(self) -> str:
        grade: str = self.values[_GRADE]
        return grade


def chunk_rows(chunk: CheckedChunk) -> list[CheckedRow]:
    """The chunk's accepted rows with their lines, values and identity keys (for the duplicate
    check: their care dates and contacts are left out)."""
    keys: list[list[tuple[str, str]]] = [[] for _ in chunk.lines]
    for kind in KEY_KINDS:  # the order identity_keys gives them in
        for key, row in zip(*chunk.keys.get(kind, ([], [])), strict=True):
            keys[row].append((kind, key))
    pinned = set(chunk.pinned)
    return [
        CheckedRow(line, file, values, row_keys, position in pinned, reason, [], [])
        for position, (line, file, values, row_keys, reason) in enumerate(
            zip(chunk.lines, chunk.files, chunk.values, keys, chunk.reasons, strict=True)
        )
    ]


CARE_COLUMNS = ["kind", "month", "day", "year", "lunar", "leap"]
"""A care date's columns as a chunk carries them (after the row it belongs to)."""


def phone_key(phone: str) -> str:
    """Digits of a phone number as dialled at home: +86 138…, 0086 138… and 138… are one key."""
    number = _EXTENSION.split(phone, maxsplit=1)[0]
    digits = _NOT_DIGIT.sub("", number)
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


_MEMO_SIZE = 50_000
"""Entries kept of each memo of the rules' answers (about a few MB); a larger file starts over."""
_MEMO_TEXT = 200
"""Texts up to this long have their cleaned value remembered (which bounds the memo's size)."""
_CLEANED_SIZE = 8_000
"""Field texts remembered: a file's names, phones and e-mails are each new and fill the memo,
which then starts over; its choices, dates and amounts are seen again within a few rows."""


class Checker:
    """Turns source records into checked rows or rejections."""

    def __init__(self, ctx: Context, source: SourceFile, owner: str | None) -> None:
        self.ctx = ctx
        self.today = ctx.today()
        self.labels = source.labels
        self.users = {u.login.lower(): u for u in User.select()}
        self.users_by_name: dict[str, list[User]] = {}
        for user in self.users.values():
            self.users_by_name.setdefault(user.display_name.strip().lower(), []).append(user)
        self.fixed_owner = self._owner_option(owner)
        self.pool: Any = None
        self.workers = 1
        meta = Customer._meta.fields
        self.to_database = RowConverter([meta[name] for name in ROW_COLUMNS])
        self.care_to_database = RowConverter([CareDate._meta.fields[c] for c in CARE_COLUMNS])
        self.defaults = [(name, meta[name].default) for name in CUSTOMER_FIELDS]
        # The grade rules and the follow-up schedule depend on a few facts of a record (and on
        # today, fixed for the import): their answers repeat across a file.
        self._grades: dict[tuple[Any, ...], tuple[Grade, str]] = {}
        self._follow_ups: dict[tuple[Any, ...], tuple[date, date]] = {}
        self._cleaned: dict[tuple[str, str], tuple[bool, Any]] = {}

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

    def check(self, record: SourceRecord) -> CheckedRow | Rejection:
        values = dict(record.values)
        name = values.get("name", "")
        if record.problems:
            return Rejection(record.line, name, tuple(record.problems), record.file)
        today = self.today
        errors: dict[str, str] = {}
        extra = dict.fromkeys(_EXTRA, "")
        for key in _EXTRA.intersection(values):
            extra[key] = values.pop(key)
        if not values.get("name"):
            errors["name"] = _("required")
        cleaned = self._clean_fields(values, errors)

        care = []
        for kind in ("birthday", "anniversary"):
            if extra[kind]:
                try:
                    spec = parse_care_text(extra[kind], today, kind)
                except FieldError as error:
                    errors[kind] = str(error)
                    continue
                if spec is not None:
                    care.append((spec.kind, spec.month, spec.day, spec.year, spec.lunar, spec.leap))
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
        rules_grade, why = self._grade(cleaned["need"], cleaned.get("expected_close"))
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
        grade = (imported_grade if pinned and imported_grade is not None else rules_grade).value
        next_due, cadence_due = self._follow_up(
            grade, cleaned.get("cadence"), last_contact_on, next_step_on
        )
        get = cleaned.get
        phones, email = get("phones", ""), get("email", "")
        row = self.to_database(
            (
                *[get(name, default) for name, default in self.defaults],
                grade,
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
                    phones,
                    email,
                    get("im_id", ""),
                    get("tags", ""),
                ),
                sort_key(cleaned["name"]),
            ),
        )
        return CheckedRow(
            record.line,
            record.file,
            row,
            identity_keys(phones, email),
            pinned,
            history,
            care,
            contacts,
        )

    def _clean_fields(self, values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
        """The form's `clean_fields` of a record's fields, each first turned from its
        spreadsheet spelling (_CONVERTED), with the refusals added to `errors`. Each field's
        answer depends only on its text and today, and a file repeats its choices, dates,
        amounts and titles: each (field, text) is worked out once."""
        cleaned: dict[str, Any] = {}
        refused = False
        memo = self._cleaned
        for name, text in values.items():
            key = (name, text)
            found = memo.get(key)
            if found is None:
                found = self._clean_field(name, text)
                if len(text) <= _MEMO_TEXT:  # a long text (notes) is seldom seen twice
                    if len(memo) >= _CLEANED_SIZE:
                        memo.clear()
                    memo[key] = found
            if found[0]:
                cleaned[name] = found[1]
            else:
                errors[name] = found[1]
                refused = True
        return {} if refused else cleaned

    def _clean_field(self, name: str, text: str) -> tuple[bool, Any]:
        """`checked_field` of the text, first turned from its spreadsheet spelling."""
        convert = _CONVERTED.get(name)
        return checked_field(name, text if convert is None else convert(name, text), self.today)

    def _grade(self, need: str, close: date | None) -> tuple[Grade, str]:
        """The rules' grade for a need and close date, and why (stored in English)."""
        found = self._grades.get((need, close))
        if found is None:
            if len(self._grades) >= _MEMO_SIZE:
                self._grades.clear()
            as_need = Need(need)
            found = (
                grade_for(as_need, close, self.today),
                grade_reason(as_need, close, self.today),
            )
            self._grades[need, close] = found
        return found

    def _follow_up(
        self,
        grade: str,
        cadence: str | None,
        last_contact_on: date | None,
        next_step_on: date | None,
    ) -> tuple[date, date]:
        """(next_due, cadence_due) of a new customer with these facts."""
        key = (grade, cadence, last_contact_on, next_step_on)
        found = self._follow_ups.get(key)
        if found is None:
            if len(self._follow_ups) >= _MEMO_SIZE:
                self._follow_ups.clear()
            found = follow_up_dates(
                self.ctx.config,
                grade=grade,
                own_cadence=cadence,
                created_on=self.today,
                last_contact_on=last_contact_on,
                next_step_on=next_step_on,
            )
            self._follow_ups[key] = found
        return found

    def check_chunk(self, records: Iterable[SourceRecord]) -> CheckedChunk:
        return pack((self.check(record) for record in records), self.care_to_database)

    def check_all(self, records: Iterable[SourceRecord], size: int) -> Iterator[CheckedChunk]:
        """The records checked in order, in chunks of `size` (POOL_CHUNK in worker processes,
        when there is a pool)."""
        if self.pool is None:
            for chunk in _chunks(records, size):
                yield self.check_chunk(chunk)
            return
        # A few chunks in flight per worker: enough to keep them busy, while the file is read
        # only as fast as the rows are taken (Pool.imap would read it all ahead).
        pending: deque[AsyncResult[CheckedChunk]] = deque()
        jobs: Iterator[tuple[Callable[..., CheckedChunk], tuple[Any, ...]]]
        if isinstance(records, RowRecords):  # the workers read the rows' cells too
            jobs = (
                (_read_and_check_in_worker, (records.reader, chunk))
                for chunk in _chunks(records.rows, POOL_CHUNK)
            )
        else:
            jobs = ((_check_in_worker, (chunk,)) for chunk in _chunks(records, POOL_CHUNK))
        for job, arguments in jobs:
            pending.append(self.pool.apply_async(job, arguments))
            if len(pending) > 2 * self.workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

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

    def __getstate__(self) -> NoReturn:
        # what a worker process is sent: nothing (it has a fork's copy)
        raise TypeError("a checker is not sent to the workers")

    def _text(self, errors: dict[str, str], key: str, value: str, limit: int) -> str:
        if not value:
            return ""
        try:
            return optional_text(limit)(value, self.today)
        except FieldError as error:
            errors[key] = str(error)
            return ""

    def _date(self, errors: dict[str, str], key: str, value: str) -> date | None:
        try:
            return clean_date(date_text(value), self.today) if value else None
        except FieldError as error:
            errors[key] = str(error)
            return None


def _need_implied_by(grade: Grade | None) -> str:
    """The need a grade implies when the file gives none: A–C clear, E none, D potential."""
    if grade in (Grade.A, Grade.B, Grade.C):
        return str(Need.CLEAR)
    if grade is Grade.E:
        return str(Need.NONE)
    return str(Need.POTENTIAL)


POOL_FILE_BYTES = 2_000_000
"""A file this large is checked in worker processes (about 10,000 spreadsheet rows)."""
MAX_WORKERS = 4
POOL_CHUNK = 2000
"""Records a worker checks at a time: each chunk costs the pool's threads in the importing
process about as much as a few hundred rows do (500 a chunk: 0.7 s of their CPU at 100,000
rows, 2,000: 0.3 s), for about 4 MB more memory a chunk in flight."""
_WORKER_CHECKER: Checker | None = None


def _check_in_worker(records: list[SourceRecord]) -> CheckedChunk:
    assert _WORKER_CHECKER is not None
    return _WORKER_CHECKER.check_chunk(records)


def _read_and_check_in_worker(reader: RowReading, rows: list[Row]) -> CheckedChunk:
    assert _WORKER_CHECKER is not None
    return _WORKER_CHECKER.check_chunk(reader.record(*row) for row in rows)


_Item = TypeVar("_Item")


def _chunks(items: Iterable[_Item], size: int) -> Iterator[list[_Item]]:
    chunk: list[_Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


__all__ = [
    "CARE_COLUMNS",
    "Checker",
    "CheckedChunk",
    "CheckedRow",
    "ROW_COLUMNS",
    "chunk_rows",
    "identity_keys",
    "phone_key",
]
