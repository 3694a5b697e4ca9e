"""Opening a database from a path or URL, safely.

SQLite files are created private to their owner (or group, when the directory is group-shared),
opened in WAL mode with foreign keys, a busy timeout and synchronous=NORMAL. A file that is not a
database, a corrupt one, a read-only one and one written by a newer crmtui each get one clear
message. PostgreSQL URLs go through ``playhouse.db_url``.
"""

from __future__ import annotations

import logging
import os
import stat
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import peewee

from crmtui.db.models import database
from crmtui.db.team import TeamMode
from crmtui.errors import StorageError
from crmtui.i18n import _
from crmtui.locations import user_path

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 5.0
"""How long one statement waits for another user's write to finish (env CRMTUI_BUSY_TIMEOUT)."""
WRITE_PATIENCE = 3
"""A write is retried for up to this many busy timeouts before the user is told to try again."""
# PostgreSQL: serialization failure, deadlock, lock timeout. Retrying the transaction is the cure.
_RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03"}

log = logging.getLogger("crmtui.db")


@dataclass
class Store:
    """An open database and what the user should know about it."""

    db: peewee.Database
    target: str
    """What the user gave (a path or a URL without its password), for messages and the status
    line."""
    path: Path | None = None
    """The SQLite file, or None for a server database."""
    readonly: bool = False
    notices: list[str] = field(default_factory=list)
    busy_timeout: float = BUSY_TIMEOUT_SECONDS
    team: TeamMode | None = None
    """PostgreSQL with roles enforced by the server (see crmtui.db.team); None elsewhere."""

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()
            if self.path is not None:
                key = str(self.path)
                _OPEN_HERE[key] = _OPEN_HERE.get(key, 1) - 1


def file_mode_for(directory: Path) -> int:
    """0600 for a private file; 0660 when the directory is shared with a group: group-writable
    but not writable by everyone (a world-writable directory such as /tmp shares with no group)."""
    try:
        bits = directory.stat().st_mode
    except OSError:
        return 0o600
    shared = bool(bits & stat.S_IWGRP) and not bits & stat.S_IWOTH
    return 0o660 if shared else 0o600


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


def create_private_file(path: Path, mode: int | None = None) -> None:
    """Create an empty file with the right mode before SQLite touches it (SQLite gives its -wal
    and -shm files the database file's mode)."""
    if mode is None:
        mode = file_mode_for(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
    try:
        os.fchmod(fd, mode)  # the umask may have narrowed a group-shared mode
    finally:
        os.close(fd)


_OPEN_HERE: dict[str, int] = {}
"""SQLite files this process has open, and how many times (see `_left_unfinished`)."""


def open_server(url: str) -> Store:
    from playhouse.db_url import connect, parse

    shown = _without_password(url)
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
            _("cannot connect to {shown}: {error}").format(shown=shown, error=_first_line(error))
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
    rows = [row[0] for row in db.execute_sql("PRAGMA quick_check").fetchall()]
    return None if rows == ["ok"] else rows[0]


def suspect_marker(path: Path) -> Path:
    """A file beside the database saying the last session met an I/O error there."""
    return path.with_name(path.name + "-needs-check")


def mark_suspect(path: Path | None) -> None:
    """Ask the next open to check the file (best effort: a full disk may refuse even this)."""
    if path is None:
        return
    with suppress(OSError):
        create_private_file(suspect_marker(path))


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
    import sys

    if not sys.platform.startswith("linux"):
        return False
    import fcntl
    import struct

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
        return struct.unpack(layout, answer)[0] == fcntl.F_UNLCK
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


def is_corruption(error: Exception) -> bool:
    text = str(error).lower()
    return "malformed" in text or "file is not a database" in text


def corrupt_error(path: Path, error: Exception) -> StorageError:
    message = _first_line(error)
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


def backup_directory(path: Path) -> Path:
    return path.parent / "backups"


def latest_backup(path: Path) -> Path | None:
    """The newest backup of the database at `path` that opens and passes a quick check."""
    folder = backup_directory(path)
    if not folder.is_dir():
        return None
    candidates = sorted(
        folder.glob(f"{path.stem}-*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for candidate in candidates[:10]:
        if backup_problem(candidate) is None:
            return candidate
    return None


def backup_problem(path: Path) -> str | None:
    """Why the file is not a backup that can be restored (empty, not SQLite, damaged, not
    crmtui's), or None when it opens and passes SQLite's quick check."""
    import sqlite3

    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        return error.strerror
    if header != SQLITE_HEADER:
        return _("empty") if not header else _("not an SQLite file")
    try:
        # immutable: read the file as it is, making no -wal or -shm beside it
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro&immutable=1", uri=True)
        try:
            rows = [row[0] for row in connection.execute("PRAGMA quick_check").fetchall()]
            if rows != ["ok"]:
                return rows[0]
            connection.execute("SELECT version FROM schema_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as error:
        return _first_line(error)
    return None


def backup_sqlite(
    db: peewee.SqliteDatabase, path: Path, destination: Path | None = None, *, label: str = ""
) -> Path:
    """A consistent online copy through SQLite's backup API, private like the original: 0600,
    or 0660 when the database's directory is group-shared.

    The copy is written under a temporary name beside the destination and renamed only once
    it is complete and opens, so a full disk or a crash never leaves an empty or partial file
    where a backup is expected."""
    import sqlite3

    mode = None
    if destination is None:
        mode = file_mode_for(path.parent)
        folder = backup_directory(path)
        _make_backup_folder(folder, mode)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        suffix = f"-{label}" if label else ""
        destination = folder / f"{path.stem}-{stamp}{suffix}.sqlite3"
        counter = 1
        while destination.exists():
            counter += 1
            destination = folder / f"{path.stem}-{stamp}{suffix}-{counter}.sqlite3"
    destination = user_path(destination)
    if destination.exists():
        raise StorageError(
            _("{destination} already exists; choose another file name").format(
                destination=destination
            )
        )
    partial = destination.with_name(f".{destination.name}.partial-{os.getpid()}")
    try:
        create_private_file(partial, mode)
        target = sqlite3.connect(str(partial))
        try:
            db.connection().backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one file, whole by itself
        finally:
            target.close()
        problem = backup_problem(partial)
        if problem is not None:
            raise StorageError(_("the copy does not open ({problem})").format(problem=problem))
        os.replace(partial, destination)
    except (OSError, sqlite3.Error, peewee.DatabaseError, StorageError) as error:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        full = disk_full_error(error, destination)
        if full is not None:
            raise StorageError(_("no backup was written: {reason}").format(reason=full)) from None
        reason = (
            error.strerror if isinstance(error, OSError) and error.strerror else _first_line(error)
        )
        raise StorageError(
            _("cannot write the backup {destination}: {reason}").format(
                destination=destination, reason=reason
            )
        ) from None
    return destination


def _make_backup_folder(folder: Path, file_mode: int) -> None:
    folder_mode = 0o770 if file_mode == 0o660 else 0o700
    try:
        folder.mkdir(exist_ok=True, mode=folder_mode)
        if (
            stat.S_IMODE(folder.stat().st_mode) & 0o777 != folder_mode
            and folder.stat().st_uid == os.getuid()
        ):
            # mkdir's mode is narrowed by the umask; keep a shared folder's setgid bit
            keep = folder.stat().st_mode & stat.S_ISGID
            folder.chmod(folder_mode | keep)
    except OSError as error:
        raise StorageError(
            _("cannot create the backup folder {folder}: {strerror}").format(
                folder=folder, strerror=error.strerror
            )
        ) from None


INSUFFICIENT_PRIVILEGE = "42501"
"""PostgreSQL's SQLSTATE for a grant or row-level policy that refuses."""


def sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of a PostgreSQL error (peewee keeps the driver's exception as `orig`)."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        code = getattr(error, "pgcode", None) or getattr(error, "sqlstate", None)
        if code:
            return code
        error = getattr(error, "orig", None) or error.__cause__ or error.__context__
    return None


SQLITE_FULL = 13
SQLITE_IOERR = 10
_PG_DISK_FULL = "53100"


def _causes(error: BaseException | None):
    """The error and what it wraps or interrupted: peewee keeps the driver's exception as
    `orig`, and a failed commit's rollback error holds the commit's error as its context."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = getattr(error, "orig", None) or error.__cause__ or error.__context__


def is_disk_full(error: BaseException) -> bool:
    import errno

    for cause in _causes(error):
        if getattr(cause, "sqlite_errorcode", None) == SQLITE_FULL:
            return True
        if isinstance(cause, OSError) and cause.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if (getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)) == _PG_DISK_FULL:
            return True
        text = str(cause).lower()
        if "database or disk is full" in text or "no space left on device" in text:
            return True
    return False


def is_io_error(error: BaseException) -> bool:
    """A failed read or write of the file itself (not a lock or a constraint)."""
    for cause in _causes(error):
        code = getattr(cause, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in (SQLITE_IOERR, SQLITE_FULL):
            return True
        if "disk i/o error" in str(cause).lower():
            return True
    return is_disk_full(error)


def disk_full_error(error: BaseException, where: str | os.PathLike) -> StorageError | None:
    """One sentence saying the disk is full and where, or None when `error` is no such thing.
    `where` is the database the error met; a file being written (an export, a backup) that
    the error names is reported instead."""
    if not is_disk_full(error):
        return None
    text = os.fspath(where)
    named = next(
        (
            cause.filename
            for cause in _causes(error)
            if isinstance(cause, OSError) and cause.filename
        ),
        None,
    )
    if named is None and "://" in text and not text.startswith("sqlite:"):
        return StorageError(
            _("the database server's disk is full ({target}); nothing was changed").format(
                target=_without_password(text)
            )
        )
    path = Path(
        os.fsdecode(named) if named is not None else text.removeprefix("sqlite:///")
    ).expanduser()
    return StorageError(
        _(
            "the disk holding {path} is full ({free} free); nothing was changed, "
            "free some space and try again"
        ).format(path=path, free=_free_space(path))
    )


def _free_space(path: Path) -> str:
    import shutil

    folder = path if path.is_dir() else path.parent
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return "?"
    for unit in ("bytes", "KB", "MB", "GB"):
        if free < 1024 or unit == "GB":
            return f"{free} {unit}" if unit == "bytes" else f"{free:.1f} {unit}"
        free /= 1024
    return "?"


def is_retryable(error: BaseException) -> bool:
    """True for errors that mean "someone else was writing": retrying the transaction helps."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        code = getattr(error, "pgcode", None) or getattr(error, "sqlstate", None)
        if code in _RETRYABLE_SQLSTATES:
            return True
        text = str(error).lower()
        if (
            "database is locked" in text
            or "database is busy" in text
            or "database table is locked" in text
        ):
            return True
        # peewee keeps the driver's exception as `orig`
        error = getattr(error, "orig", None) or error.__cause__ or error.__context__
    return False


def retry_writes(function, *, patience: float):
    """Run `function()` (which opens its own transaction), retrying while others hold the
    database, for up to `patience` seconds; then raise StorageError. Jittered backoff keeps
    PostgreSQL's instant serialization failures from retrying in lockstep."""
    import random

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
                log.info("gave up after %d attempts: %s", attempt, _first_line(error))
                raise StorageError(
                    _(
                        "the database stayed busy (other users are saving); nothing was changed, "
                        "try again"
                    )
                ) from None
            log.info("retrying (attempt %d): %s", attempt, _first_line(error))
            time.sleep(random.uniform(delay / 2, delay))
            delay = min(delay * 2, 0.5)


def _is_sqlite() -> bool:
    return isinstance(database.obj, peewee.SqliteDatabase)


@contextmanager
def write_transaction():
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
def schema_transaction():
    """Creating or upgrading the schema, one process at a time, seeing what others did first."""
    if _is_sqlite():
        with database.atomic("IMMEDIATE") as transaction:
            yield transaction
    else:
        with database.atomic() as transaction:  # read committed: re-reads see the winner's work
            database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            yield transaction


_SCHEMA_LOCK = 0x63726D74  # "crmt"


def _first_line(error: Exception) -> str:
    text = str(error).strip() or error.__class__.__name__
    return text.splitlines()[0]


def _without_password(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)
