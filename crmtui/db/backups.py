"""Backups of an SQLite database: consistent online copies, private like the original, kept in
a `backups` folder beside it; and which of them can be restored."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from contextlib import suppress
from pathlib import Path
from urllib.parse import quote

import peewee

from crmtui.db.failures import disk_full_error, first_line
from crmtui.db.files import SQLITE_HEADER, create_private_file, file_mode_for
from crmtui.errors import StorageError
from crmtui.i18n import _
from crmtui.locations import user_path


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
                return str(rows[0])
            connection.execute("SELECT version FROM schema_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as error:
        return first_line(error)
    return None


def backup_sqlite(
    db: peewee.SqliteDatabase, path: Path, destination: Path | None = None, *, label: str = ""
) -> Path:
    """A consistent online copy through SQLite's backup API, private like the original: 0600,
    or 0660 when the database's directory is group-shared.

    The copy is written under a temporary name beside the destination and renamed only once
    it is complete and opens, so a full disk or a crash never leaves an empty or partial file
    where a backup is expected."""
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
            error.strerror if isinstance(error, OSError) and error.strerror else first_line(error)
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
