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
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import peewee

from crmtui.db.models import database
from crmtui.db.team import TeamMode
from crmtui.db.team import detect as detect_team_mode
from crmtui.errors import StorageError
from crmtui.i18n import _

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
    """What the user gave (a path or a URL without its password), for messages and the status line."""
    path: Path | None = None
    """The SQLite file, or None for a server database."""
    readonly: bool = False
    notices: list[str] = field(default_factory=list)
    busy_timeout: float = BUSY_TIMEOUT_SECONDS
    team: "TeamMode | None" = None
    """PostgreSQL with roles enforced by the server (see crmtui.db.team); None elsewhere."""

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()


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
        raise StorageError(_("CRMTUI_BUSY_TIMEOUT must be a number of seconds, not {text!r}")
                           .format(text=text))
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


def open_store(target: str | os.PathLike, *, create: bool = True, migrate: bool = True) -> Store:
    """Open (creating if needed) the database at `target` and bring its schema up to date."""
    from crmtui.db.migrations import ensure_schema

    text = os.fspath(target)
    if "://" in text and not text.startswith("sqlite:"):
        store = _open_server(text)
    else:
        path = Path(text.removeprefix("sqlite:///") if text.startswith("sqlite:") else text)
        store = _open_sqlite(path.expanduser(), create=create)
    database.initialize(store.db)
    try:
        if not store.is_sqlite:
            store.team = detect_team_mode(store.db)
        ensure_schema(store, migrate=migrate)
    except BaseException:
        store.close()
        raise
    return store


def _open_server(url: str) -> Store:
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
                shown=shown)
        ) from None
    except peewee.PeeweeException as error:
        raise StorageError(_("cannot connect to {shown}: {error}").format(
            shown=shown, error=_first_line(error))) from None
    except RuntimeError as error:
        raise StorageError(_("cannot open {shown}: {error}").format(
            shown=shown, error=error)) from None
    return Store(db=db, target=shown, busy_timeout=timeout)


def _open_sqlite(path: Path, *, create: bool) -> Store:
    if path.is_dir():
        raise StorageError(_("{path} is a directory, not a database file").format(path=path))
    if not path.exists():
        if not create:
            raise StorageError(_("there is no database at {path}").format(path=path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            reason = "not a directory" if isinstance(error, FileExistsError) else error.strerror
            raise StorageError(_("cannot create the database at {path}: {reason}").format(
                path=path, reason=reason)) from None
        try:
            create_private_file(path)
        except FileExistsError:
            pass  # another process created it first
        except OSError as error:
            raise StorageError(_("cannot create the database at {path}: {strerror}").format(
                path=path, strerror=error.strerror)) from None
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StorageError(_("cannot read {path}: {strerror}").format(
            path=path, strerror=error.strerror)) from None
    if header and header != SQLITE_HEADER:
        raise StorageError(_("{path} is not a crmtui database (it is not an SQLite file)").format(
            path=path))

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
        notices.append(_("{path} is read-only: you can look but not change anything").format(
            path=path))
        db = peewee.SqliteDatabase(
            f"file:{quote(str(path))}?mode=ro" + ("&immutable=1" if _frozen(path) else ""),
            uri=True,
            pragmas={"foreign_keys": 1, "busy_timeout": int(timeout * 1000)},
            timeout=timeout,
            check_same_thread=False,
        )
    store = Store(db=db, target=str(path), path=path, readonly=not writable, notices=notices,
                  busy_timeout=timeout)
    try:
        db.connect()
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except peewee.DatabaseError as error:
        store.close()
        if store.readonly and "readonly" in str(error).replace("-", ""):
            raise StorageError(
                _("{path} is read-only and cannot be read here: changes still in its -wal file "
                  "need someone with write access to open it once").format(path=path)) from None
        raise corrupt_error(path, error) from None
    return store


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
        return StorageError(_("{path} is locked by another program; try again in a moment")
                            .format(path=path))
    hint = _("run `crmtui --db {path} db check`").format(path=path)
    latest = latest_backup(path)
    if latest:
        hint += _(", or restore the latest backup with `crmtui --db {path} db restore {backup}`"
                  ).format(path=path, backup=latest)
    return StorageError(_("{path} cannot be read as a database ({message}); {hint}").format(
        path=path, message=message, hint=hint))


def backup_directory(path: Path) -> Path:
    return path.parent / "backups"


def latest_backup(path: Path) -> Path | None:
    folder = backup_directory(path)
    if not folder.is_dir():
        return None
    candidates = sorted(folder.glob(f"{path.stem}-*.sqlite3"), key=lambda p: p.stat().st_mtime)
    return candidates[-1] if candidates else None


def backup_sqlite(db: peewee.SqliteDatabase, path: Path, destination: Path | None = None,
                  *, label: str = "") -> Path:
    """A consistent online copy through SQLite's backup API, private like the original: 0600,
    or 0660 when the database's directory is group-shared."""
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
    destination = destination.expanduser()
    if destination.exists():
        raise StorageError(_("{destination} already exists; choose another file name").format(
            destination=destination))
    try:
        create_private_file(destination, mode)
    except OSError as error:
        raise StorageError(_("cannot write the backup {destination}: {strerror}").format(
            destination=destination, strerror=error.strerror)) from None
    target = sqlite3.connect(str(destination))
    try:
        db.connection().backup(target)
    finally:
        target.close()
    return destination


def _make_backup_folder(folder: Path, file_mode: int) -> None:
    folder_mode = 0o770 if file_mode == 0o660 else 0o700
    try:
        folder.mkdir(exist_ok=True, mode=folder_mode)
        if stat.S_IMODE(folder.stat().st_mode) & 0o777 != folder_mode \
                and folder.stat().st_uid == os.getuid():
            # mkdir's mode is narrowed by the umask; keep a shared folder's setgid bit
            keep = folder.stat().st_mode & stat.S_ISGID
            folder.chmod(folder_mode | keep)
    except OSError as error:
        raise StorageError(_("cannot create the backup folder {folder}: {strerror}").format(
            folder=folder, strerror=error.strerror)) from None


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


def is_retryable(error: BaseException) -> bool:
    """True for errors that mean "someone else was writing": retrying the transaction helps."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        code = getattr(error, "pgcode", None) or getattr(error, "sqlstate", None)
        if code in _RETRYABLE_SQLSTATES:
            return True
        text = str(error).lower()
        if "database is locked" in text or "database is busy" in text \
                or "database table is locked" in text:
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
                raise StorageError(_(
                    "the database stayed busy (other users are saving); nothing was changed, "
                    "try again")) from None
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
