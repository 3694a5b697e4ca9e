"""Opening a database from a path or URL, safely.

SQLite files are created private to their owner (or group, when the directory is group-shared),
opened in WAL mode with foreign keys, a busy timeout and synchronous=NORMAL. A file that is not a
database, a corrupt one, a read-only one and one written by a newer crmtui each get one clear
message. PostgreSQL URLs go through ``playhouse.db_url``. Writes run in transactions that queue
(or retry) behind other users' writes.

Beside it: the file and its marker (crmtui.db.files), what an error means (crmtui.db.failures)
and backups (crmtui.db.backups), which callers may also reach from here.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import struct
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import peewee

from crmtui.db.backups import backup_directory, backup_sqlite, latest_backup
from crmtui.db.failures import (
    INSUFFICIENT_PRIVILEGE,
    disk_full_error,
    first_line,
    is_corruption,
    is_io_error,
    is_retryable,
    sqlstate,
    without_password,
)
from crmtui.db.files import (
    SQLITE_HEADER,
    create_private_file,
    file_mode_for,
    mark_suspect,
    suspect_marker,
)
from crmtui.db.models import database
from crmtui.db.team import TeamMode
from crmtui.errors import StorageError
from crmtui.i18n import _

BUSY_TIMEOUT_SECONDS = 5.0
"""How long one statement waits for another user's write to finish (env CRMTUI_BUSY_TIMEOUT)."""
WRITE_PATIENCE = 3
"""A write is retried for up to this many busy timeouts before the user is told to try again."""

log = logging.getLogger("crmtui.db")
_T = TypeVar("_T")


class Store:
    """An open database and what the user should know about it (a plain class: a dataclass
    costs every command's start more than it gives)."""

    __slots__ = ("db", "target", "path", "readonly", "notices", "busy_timeout", "team")

    def __init__(
        self,
        db: peewee.Database,
        target: str,
        path: Path | None = None,
        readonly: bool = False,
        notices: list[str] | None = None,
        busy_timeout: float = BUSY_TIMEOUT_SECONDS,
        team: TeamMode | None = None,
    ) -> None:
        self.db = db
        self.target = target
        """What the user gave (a path or a URL without its password), for messages and the
        status line."""
        self.path = path
        """The SQLite file, or None for a server database."""
        self.readonly = readonly
        self.notices: list[str] = [] if notices is None else notices
        self.busy_timeout = busy_timeout
        self.team = team
        """PostgreSQL with roles enforced by the server (see crmtui.db.team); None elsewhere."""

    def __repr__(self) -> str:
        return f"Store(target={self.target!r}, readonly={self.readonly!r})"

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()
            if self.path is not None:
                key = str(self.path)
                _OPEN_HERE[key] = _OPEN_HERE.get(key, 1) - 1


def busy_timeout() -> float:
    text = os.environ.get("CRMTUI_BUSY_TIMEOUT", "").strip()
    if not text:
        return BUSY_TIMEOUT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1
    if not 0.01 <= seconds <= 3600:
        raise StorageError(
            _("CRMTUI_BUSY_TIMEOUT must be a number of seconds, not {text!r}").format(text=text)
        )
    return seconds


_OPEN_HERE: dict[str, int] = {}
"""SQLite files this process has open, and how many times (see `_left_unfinished`)."""


def open_server(url: str) -> Store:
    from playhouse.db_url import connect, parse  # PostgreSQL only: off an SQLite start

    shown = without_password(url)
    timeout = busy_timeout()
    # A writer waiting on a row lock gives up like an SQLite writer, and is retried.
    options = parse(url).get("options", "")
    if "lock_timeout" not in options:
        options = f"{options} -c lock_timeout={int(timeout * 1000)}".strip()
    try:
        db = connect(url, options=options)
        db.connect()
    except ImportError:
        raise StorageError(
            _("cannot open {shown}: the PostgreSQL driver is missing; install crmtui[pg]").format(
                shown=shown
            )
        ) from None
    except peewee.PeeweeException as error:
        raise StorageError(
            _("cannot connect to {shown}: {error}").format(shown=shown, error=first_line(error))
        ) from None
    except RuntimeError as error:
        raise StorageError(
            _("cannot open {shown}: {error}").format(shown=shown, error=error)
        ) from None
    return Store(db=db, target=shown, busy_timeout=timeout)


def open_sqlite(path: Path, *, create: bool) -> Store:
    if path.is_dir():
        raise StorageError(_("{path} is a directory, not a database file").format(path=path))
    if not path.exists():
        if not create:
            raise StorageError(_("there is no database at {path}").format(path=path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            reason = "not a directory" if isinstance(error, FileExistsError) else error.strerror
            raise StorageError(
                _("cannot create the database at {path}: {reason}").format(path=path, reason=reason)
            ) from None
        try:
            create_private_file(path)
        except FileExistsError:
            pass  # another process created it first
        except OSError as error:
            raise StorageError(
                _("cannot create the database at {path}: {strerror}").format(
                    path=path, strerror=error.strerror
                )
            ) from None
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StorageError(
            _("cannot read {path}: {strerror}").format(path=path, strerror=error.strerror)
        ) from None
    if header and header != SQLITE_HEADER:
        raise StorageError(
            _("{path} is not a crmtui database (it is not an SQLite file)").format(path=path)
        )

    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    timeout = busy_timeout()
    notices = []
    if writable:
        db = peewee.SqliteDatabase(
            str(path),
            pragmas={
                "journal_mode": "wal",
                "foreign_keys": 1,
                "synchronous": 1,
                "busy_timeout": int(timeout * 1000),
            },
            timeout=timeout,
            check_same_thread=False,
        )
    else:
        notices.append(
            _("{path} is read-only: you can look but not change anything").format(path=path)
        )
        db = peewee.SqliteDatabase(
            f"file:{quote(str(path))}?mode=ro" + ("&immutable=1" if _frozen(path) else ""),
            uri=True,
            pragmas={"foreign_keys": 1, "busy_timeout": int(timeout * 1000)},
            timeout=timeout,
            check_same_thread=False,
        )
    store = Store(
        db=db,
        target=str(path),
        path=path,
        readonly=not writable,
        notices=notices,
        busy_timeout=timeout,
    )
    unfinished = _left_unfinished(path)
    try:
        db.connect()
        _OPEN_HERE[str(path)] = _OPEN_HERE.get(str(path), 0) + 1
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        if unfinished:
            problem = quick_check(db)
            if problem:
                raise peewee.DatabaseError(f"database disk image is malformed: {problem}")
            notices.append(
                _(
                    "{path} was left by a session that did not finish (a crash or a "
                    "disk error); a quick check found it sound"
                ).format(path=path)
            )
            # a read-only folder: the next open with write access removes it
            with suppress(OSError):
                suspect_marker(path).unlink(missing_ok=True)
    except peewee.DatabaseError as error:
        store.close()
        if store.readonly and "readonly" in str(error).replace("-", ""):
            raise StorageError(
                _(
                    "{path} is read-only and cannot be read here: changes still in its -wal file "
                    "need someone with write access to open it once"
                ).format(path=path)
            ) from None
        raise corrupt_error(path, error) from None
    return store


def quick_check(db: peewee.Database) -> str | None:
    """SQLite's quick integrity check (pages, records, no index cross-check); the first
    problem, or None."""
    try:
        rows = [row[0] for row in db.execute_sql("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as error:  # too damaged to check: that is the answer
        return str(error)
    return None if rows == ["ok"] else rows[0]


def _left_unfinished(path: Path) -> bool:
    """Whether the file should be checked as it is opened: after an I/O error (the marker), or
    after a session that ended without closing it (a crash, kill -9, power loss), which leaves
    a write-ahead log that no running process holds. Costs two stat calls when neither holds,
    which is every normal open."""
    if suspect_marker(path).exists():
        return True
    wal = path.with_name(path.name + "-wal")
    try:
        if wal.stat().st_size == 0:
            return False
    except OSError:
        return False
    if _OPEN_HERE.get(str(path), 0) > 0:
        return False  # this process has it open: the log is ours
    return _held_by_no_one(path.with_name(path.name + "-shm"))


# SQLite's unix VFS keeps a read lock on this byte of the -shm file for as long as a
# connection is open (UNIX_SHM_DMS, the "dead man switch", in os_unix.c).
_SHM_DEAD_MAN_SWITCH = 128


def _held_by_no_one(shm: Path) -> bool:
    """True when no process holds the database open (no lock on the -shm file's dead man
    switch). Only asks (F_GETLK), never locks, so it cannot disturb another connection; on
    systems where the question is not portable, assumes someone does."""
    if not sys.platform.startswith("linux"):
        return False
    import fcntl  # Unix only (not on Windows)

    try:
        fd = os.open(shm, os.O_RDONLY)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        layout = "hhqqi4x"  # struct flock on Linux: type, whence, start, len, pid
        probe = struct.pack(layout, fcntl.F_WRLCK, os.SEEK_SET, _SHM_DEAD_MAN_SWITCH, 1, 0)
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, probe)
        held: int = struct.unpack(layout, answer)[0]
        return held == fcntl.F_UNLCK
    except OSError:
        return False
    finally:
        os.close(fd)


def _frozen(path: Path) -> bool:
    """True when no one has the file open for writing and no one can: SQLite may then read it
    without its shared-memory file, which a read-only directory cannot hold."""
    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    unsaved = wal.exists() and wal.stat().st_size > 0
    return not shm.exists() and not unsaved and not os.access(path.parent, os.W_OK)


def corrupt_error(path: Path, error: Exception) -> StorageError:
    message = first_line(error)
    if "locked" in message or "busy" in message:
        return StorageError(
            _("{path} is locked by another program; try again in a moment").format(path=path)
        )
    hint = _("run `crmtui --db {path} db check`").format(path=path)
    latest = latest_backup(path)
    if latest:
        hint += _(
            ", or restore the latest backup with `crmtui --db {path} db restore {backup}`"
        ).format(path=path, backup=latest)
    return StorageError(
        _("{path} cannot be read as a database ({message}); {hint}").format(
            path=path, message=message, hint=hint
        )
    )


def retry_writes(function: Callable[[], _T], *, patience: float) -> _T:
    """Run `function()` (which opens its own transaction), retrying while others hold the
    database, for up to `patience` seconds; then raise StorageError. Jittered backoff keeps
    PostgreSQL's instant serialization failures from retrying in lockstep."""
    import random  # only while others write: off every start

    deadline = time.monotonic() + patience
    delay = 0.01
    attempt = 0
    while True:
        attempt += 1
        try:
            return function()
        except Exception as error:
            if not is_retryable(error):
                raise
            if time.monotonic() >= deadline:
                log.info("gave up after %d attempts: %s", attempt, first_line(error))
                raise StorageError(
                    _(
                        "the database stayed busy (other users are saving); nothing was changed, "
                        "try again"
                    )
                ) from None
            log.info("retrying (attempt %d): %s", attempt, first_line(error))
            time.sleep(random.uniform(delay / 2, delay))
            delay = min(delay * 2, 0.5)


def _is_sqlite() -> bool:
    return isinstance(database.obj, peewee.SqliteDatabase)


@contextmanager
def write_transaction() -> Iterator[peewee._transaction | peewee._savepoint]:
    """A write transaction: begun IMMEDIATE on SQLite, so a read-then-write cannot deadlock
    (writers queue for the lock); SERIALIZABLE on PostgreSQL, so concurrent writers behave as
    if they had queued (the loser gets a serialization failure and is retried)."""
    if database.in_transaction():
        with database.atomic() as transaction:  # a savepoint inside the caller's transaction
            yield transaction
    elif _is_sqlite():
        with database.atomic("IMMEDIATE") as transaction:
            yield transaction
    else:
        with database.atomic("SERIALIZABLE") as transaction:
            yield transaction


@contextmanager
def schema_transaction() -> Iterator[peewee._transaction | peewee._savepoint]:
    """Creating or upgrading the schema, one process at a time, seeing what others did first."""
    if _is_sqlite():
        with database.atomic("IMMEDIATE") as transaction:
            yield transaction
    else:
        with database.atomic() as transaction:  # read committed: re-reads see the winner's work
            database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            yield transaction


_SCHEMA_LOCK = 0x63726D74  # "crmt"


__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "WRITE_PATIENCE",
    "Store",
    "busy_timeout",
    "corrupt_error",
    "open_server",
    "open_sqlite",
    "quick_check",
    "retry_writes",
    "schema_transaction",
    "write_transaction",
    # the files, failures and backups of a database, as callers reach them from here
    "INSUFFICIENT_PRIVILEGE",
    "SQLITE_HEADER",
    "backup_directory",
    "backup_sqlite",
    "create_private_file",
    "disk_full_error",
    "file_mode_for",
    "is_corruption",
    "is_io_error",
    "is_retryable",
    "latest_backup",
    "mark_suspect",
    "sqlstate",
    "suspect_marker",
]
