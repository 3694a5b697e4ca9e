"""What a database error means: someone else writing (retry), a full disk, a failed read or write
of the file, a damaged file, a refusal by the server's grants; and the one sentence for the
user. Both drivers' errors are read through what peewee wraps."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from crmtui.errors import StorageError
from crmtui.i18n import _

INSUFFICIENT_PRIVILEGE = "42501"
"""PostgreSQL's SQLSTATE for a grant or row-level policy that refuses."""
# PostgreSQL: serialization failure, deadlock, lock timeout. Retrying the transaction is the cure.
_RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03"}
_PG_DISK_FULL = "53100"
SQLITE_FULL = 13
SQLITE_IOERR = 10


def causes(error: BaseException | None) -> Iterator[BaseException]:
    """The error and what it wraps or interrupted: peewee keeps the driver's exception as
    `orig`, and a failed commit's rollback error holds the commit's error as its context."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = getattr(error, "orig", None) or error.__cause__ or error.__context__


def _code_of(error: BaseException) -> str | None:
    """A PostgreSQL driver's SQLSTATE (psycopg2's `pgcode`, psycopg's `sqlstate`)."""
    code = getattr(error, "pgcode", None) or getattr(error, "sqlstate", None)
    return str(code) if code else None


def sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of a PostgreSQL error, wherever it is wrapped."""
    return next((code for cause in causes(error) if (code := _code_of(cause))), None)


def is_retryable(error: BaseException) -> bool:
    """True for errors that mean "someone else was writing": retrying the transaction helps."""
    for cause in causes(error):
        if _code_of(cause) in _RETRYABLE_SQLSTATES:
            return True
        text = str(cause).lower()
        if (
            "database is locked" in text
            or "database is busy" in text
            or "database table is locked" in text
        ):
            return True
    return False


def is_disk_full(error: BaseException) -> bool:
    for cause in causes(error):
        if getattr(cause, "sqlite_errorcode", None) == SQLITE_FULL:
            return True
        if isinstance(cause, OSError) and cause.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if _code_of(cause) == _PG_DISK_FULL:
            return True
        text = str(cause).lower()
        if "database or disk is full" in text or "no space left on device" in text:
            return True
    return False


def is_io_error(error: BaseException) -> bool:
    """A failed read or write of the file itself (not a lock or a constraint)."""
    for cause in causes(error):
        code = getattr(cause, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in (SQLITE_IOERR, SQLITE_FULL):
            return True
        if "disk i/o error" in str(cause).lower():
            return True
    return is_disk_full(error)


def is_corruption(error: Exception) -> bool:
    text = str(error).lower()
    return "malformed" in text or "file is not a database" in text


def disk_full_error(error: BaseException, where: str | os.PathLike[str]) -> StorageError | None:
    """One sentence saying the disk is full and where, or None when `error` is no such thing.
    `where` is the database the error met; a file being written (an export, a backup) that
    the error names is reported instead."""
    if not is_disk_full(error):
        return None
    text = os.fspath(where)
    named = next(
        (
            cause.filename
            for cause in causes(error)
            if isinstance(cause, OSError) and cause.filename
        ),
        None,
    )
    if named is None and "://" in text and not text.startswith("sqlite:"):
        return StorageError(
            _("the database server's disk is full ({target}); nothing was changed").format(
                target=without_password(text)
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
    import shutil  # only once a disk is full: off every start

    folder = path if path.is_dir() else path.parent
    try:
        free: float = shutil.disk_usage(folder).free
    except OSError:
        return "?"
    for unit in ("bytes", "KB", "MB", "GB"):
        if free < 1024 or unit == "GB":
            return f"{free} {unit}" if unit == "bytes" else f"{free:.1f} {unit}"
        free /= 1024
    return "?"


def first_line(error: BaseException) -> str:
    """The first line of an error's text (drivers add context lines), or its class's name."""
    text = str(error).strip() or error.__class__.__name__
    return text.splitlines()[0]


def without_password(url: str) -> str:
    """The URL to show: its password masked."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)
