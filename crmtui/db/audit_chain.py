"""The audit log's hash chain, on SQLite files.

Everyone who may write a shared SQLite file can also change it with `sqlite3`, so the file itself
cannot stop an audit entry being deleted or edited. The chain makes it visible: each entry's
`hash` covers its own content and the hash of the entry before it, and the newest entry's id and
hash are kept as the chain's head (a setting). `crmtui db check` walks the chain and names the
entries that were deleted or changed. Someone who recomputes every hash after their change can
still hide it; preventing changes needs PostgreSQL's enforced roles (crmtui.db.team).

Entries are appended inside IMMEDIATE write transactions, so appends are serialised and the chain
never forks. On PostgreSQL `hash` stays empty: in team mode the server keeps the log
append-only, and a database every user reaches through one role is as open as an SQLite file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

import peewee

from crmtui.db.models import AuditLog, Setting, database
from crmtui.i18n import _

HEAD_KEY = "audit_head"
GENESIS = ""


def entry_hash(
    previous: str,
    entry_id: int,
    at: str,
    user_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: str,
) -> str:
    """The hash of one entry, from the stored values (timestamps as stored text)."""
    payload = json.dumps(
        [previous, entry_id, at, user_id, action, entity, entity_id, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _chained() -> bool:
    return isinstance(database.obj, peewee.SqliteDatabase)


def _head() -> tuple[int, str] | None:
    row = Setting.get_or_none(Setting.key == HEAD_KEY)
    if row is None:
        return None
    number, _, digest = row.value.partition(" ")
    return int(number), digest


def _set_head(entry_id: int, digest: str) -> None:
    value = f"{entry_id} {digest}"
    Setting.insert(key=HEAD_KEY, value=value).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: value}
    ).execute()


def append_entry(
    *,
    at: datetime,
    user_id: int | None,
    action: str,
    entity: str = "",
    entity_id: int | None = None,
    detail: str = "",
) -> AuditLog:
    """Add an entry inside the caller's write transaction (chained on SQLite)."""
    if not _chained():
        return AuditLog.create(
            at=at, user=user_id, action=action, entity=entity, entity_id=entity_id, detail=detail
        )
    last = database.execute_sql(
        'SELECT id, hash FROM "audit_log" ORDER BY id DESC LIMIT 1'
    ).fetchone()
    head = _head()
    # The head, not the last row, is what the next entry follows: after the newest entries are
    # deleted, the next one still points at what was there, and the gap stays visible.
    previous = head[1] if head else (last[1] or GENESIS if last else GENESIS)
    entry_id = max(last[0] if last else 0, head[0] if head else 0) + 1
    stamp = AuditLog.at.db_value(at)
    digest = entry_hash(previous, entry_id, stamp, user_id, action, entity, entity_id, detail)
    AuditLog.insert(
        id=entry_id,
        at=at,
        user=user_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=detail,
        hash=digest,
    ).execute()
    _set_head(entry_id, digest)
    return AuditLog(
        id=entry_id,
        at=at,
        user=user_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=detail,
        hash=digest,
    )


def chain_existing(db: peewee.Database) -> int:
    """Hash every entry in id order and set the head (the schema migration that adds the
    chain). Returns how many entries were chained."""
    rows = db.execute_sql(
        'SELECT id, at, user_id, action, entity, entity_id, detail FROM "audit_log" ORDER BY id'
    ).fetchall()
    previous = GENESIS
    updates = []
    for entry_id, at, user_id, action, entity, entity_id, detail in rows:
        previous = entry_hash(
            previous, entry_id, _text(at), user_id, action, entity or "", entity_id, detail or ""
        )
        updates.append((previous, entry_id))
    if updates:
        db.cursor().executemany('UPDATE "audit_log" SET "hash" = ? WHERE "id" = ?', updates)
        _set_head(updates[-1][1], updates[-1][0])
    return len(updates)


def _text(value: datetime | str | None) -> str:
    if isinstance(value, datetime):  # a driver that converts: back to the stored text
        return AuditLog.at.db_value(value)
    return value if value is not None else ""


@dataclass
class ChainReport:
    entries: int = 0
    problems: list[str] = field(default_factory=list)
    """Each problem names the entries concerned."""


def verify_chain(db: peewee.Database) -> ChainReport:
    """Walk the chain: a link that does not hold means the entry was changed, or (when ids
    are missing before it) that entries were deleted; a head ahead of the newest entry means
    the newest entries were deleted."""
    report = ChainReport()
    rows = db.execute_sql(
        "SELECT id, at, user_id, action, entity, entity_id, detail, hash "
        'FROM "audit_log" ORDER BY id'
    ).fetchall()
    previous, previous_id = GENESIS, 0
    for entry_id, at, user_id, action, entity, entity_id, detail, stored in rows:
        report.entries += 1
        expected = entry_hash(
            previous, entry_id, _text(at), user_id, action, entity or "", entity_id, detail or ""
        )
        if stored != expected:
            if entry_id != previous_id + 1:
                report.problems.append(_missing(previous_id + 1, entry_id - 1))
            elif stored is None:
                report.problems.append(
                    _("audit entry #{id} has no hash: it was written around crmtui").format(
                        id=entry_id
                    )
                )
            else:
                report.problems.append(
                    _("audit entry #{id} was changed after it was written").format(id=entry_id)
                )
        previous, previous_id = stored or "", entry_id
    try:
        head = _head()
    except ValueError:
        head = (-1, "")
    if head is None:
        if rows:
            report.problems.append(
                _("the audit log's head is missing (the newest entries may have been deleted)")
            )
    elif head[0] > previous_id:
        report.problems.append(_missing(previous_id + 1, head[0]))
    elif head != (previous_id, previous):
        report.problems.append(
            _("the audit log's head does not match entry #{id}: it was changed").format(
                id=previous_id
            )
        )
    return report


def _missing(first: int, last: int) -> str:
    if first == last:
        return _("audit entry #{id} was deleted").format(id=first)
    return _("audit entries #{first} to #{last} were deleted").format(first=first, last=last)
