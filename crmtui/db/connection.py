"""Opening a database from a path or URL, safely.

SQLite files are created private to their owner (or group, when the directory is group-shared),
opened in WAL mode with foreign keys, a busy timeout and synchronous=NORMAL. A file that is not a
database, a corrupt one, a read-only one and one written by a newer crmtui each get one clear
message. PostgreSQL URLs go through ``playhouse.db_url``.
"""

from __future__ import annotations

import os
import stat
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import peewee

from crmtui.db.models import database
from crmtui.errors import StorageError

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 5
WRITE_ATTEMPTS = 5


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

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()


def file_mode_for(directory: Path) -> int:
    """0600 for a private file; 0660 when the directory is shared with a group (group-writable)."""
    try:
        shared = bool(directory.stat().st_mode & stat.S_IWGRP)
    except OSError:
        shared = False
    return 0o660 if shared else 0o600


def create_private_file(path: Path) -> None:
    """Create an empty file with the right mode before SQLite touches it (WAL files follow it)."""
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
        ensure_schema(store, migrate=migrate)
    except BaseException:
        store.close()
        raise
    return store


def _open_server(url: str) -> Store:
    from playhouse.db_url import connect

    shown = _without_password(url)
    try:
        db = connect(url)
        db.connect()
    except ImportError:
        raise StorageError(
            f"cannot open {shown}: the PostgreSQL driver is missing; install crmtui[pg]"
        ) from None
    except peewee.PeeweeException as error:
        raise StorageError(f"cannot connect to {shown}: {_first_line(error)}") from None
    except RuntimeError as error:
        raise StorageError(f"cannot open {shown}: {error}") from None
    return Store(db=db, target=shown)


def _open_sqlite(path: Path, *, create: bool) -> Store:
    if path.is_dir():
        raise StorageError(f"{path} is a directory, not a database file")
    if not path.exists():
        if not create:
            raise StorageError(f"there is no database at {path}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            reason = "not a directory" if isinstance(error, FileExistsError) else error.strerror
            raise StorageError(f"cannot create the database at {path}: {reason}") from None
        try:
            create_private_file(path)
        except FileExistsError:
            pass  # another process created it first
        except OSError as error:
            raise StorageError(f"cannot create the database at {path}: {error.strerror}") from None
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StorageError(f"cannot read {path}: {error.strerror}") from None
    if header and header != SQLITE_HEADER:
        raise StorageError(f"{path} is not a crmtui database (it is not an SQLite file)")

    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    notices = []
    if writable:
        db = peewee.SqliteDatabase(
            str(path),
            pragmas={
                "journal_mode": "wal",
                "foreign_keys": 1,
                "synchronous": 1,
                "busy_timeout": BUSY_TIMEOUT_SECONDS * 1000,
            },
            timeout=BUSY_TIMEOUT_SECONDS,
            check_same_thread=False,
        )
    else:
        notices.append(f"{path} is read-only: you can look but not change anything")
        db = peewee.SqliteDatabase(
            f"file:{quote(str(path))}?mode=ro",
            uri=True,
            pragmas={"foreign_keys": 1, "busy_timeout": BUSY_TIMEOUT_SECONDS * 1000},
            timeout=BUSY_TIMEOUT_SECONDS,
            check_same_thread=False,
        )
    store = Store(db=db, target=str(path), path=path, readonly=not writable, notices=notices)
    try:
        db.connect()
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except peewee.DatabaseError as error:
        store.close()
        raise corrupt_error(path, error) from None
    return store


def corrupt_error(path: Path, error: Exception) -> StorageError:
    message = _first_line(error)
    if "locked" in message or "busy" in message:
        return StorageError(f"{path} is locked by another program; try again in a moment")
    hint = f"run `crmtui --db {path} db check`"
    latest = latest_backup(path)
    if latest:
        hint += f", or restore the latest backup with `crmtui --db {path} db restore {latest}`"
    return StorageError(f"{path} cannot be read as a database ({message}); {hint}")


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
    """A consistent online copy through SQLite's backup API, private like the original."""
    import sqlite3

    if destination is None:
        folder = backup_directory(path)
        folder.mkdir(exist_ok=True, mode=0o700 if file_mode_for(path.parent) == 0o600 else 0o770)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        suffix = f"-{label}" if label else ""
        destination = folder / f"{path.stem}-{stamp}{suffix}.sqlite3"
        counter = 1
        while destination.exists():
            counter += 1
            destination = folder / f"{path.stem}-{stamp}{suffix}-{counter}.sqlite3"
    destination = destination.expanduser()
    if destination.exists():
        raise StorageError(f"{destination} already exists; choose another file name")
    try:
        create_private_file(destination)
    except OSError as error:
        raise StorageError(f"cannot write the backup {destination}: {error.strerror}") from None
    target = sqlite3.connect(str(destination))
    try:
        db.connection().backup(target)
    finally:
        target.close()
    return destination


def is_retryable(error: Exception) -> bool:
    text = str(error).lower()
    return any(s in text for s in ("database is locked", "database is busy", "deadlock detected",
                                   "could not serialize"))


@contextmanager
def write_transaction():
    """A write transaction begun IMMEDIATE on SQLite, so a read-then-write cannot deadlock."""
    if isinstance(database.obj, peewee.SqliteDatabase):
        with database.atomic("IMMEDIATE") as transaction:
            yield transaction
    else:
        with database.atomic() as transaction:
            yield transaction


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
