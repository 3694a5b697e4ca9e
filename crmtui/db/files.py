"""The SQLite file and the files beside it: created private to their owner (or to the group of
a group-shared directory), and the marker that asks the next open to check the file."""

from __future__ import annotations

import os
import stat
from contextlib import suppress
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"


def file_mode_for(directory: Path) -> int:
    """0600 for a private file; 0660 when the directory is shared with a group: group-writable
    but not writable by everyone (a world-writable directory such as /tmp shares with no group)."""
    try:
        bits = directory.stat().st_mode
    except OSError:
        return 0o600
    shared = bool(bits & stat.S_IWGRP) and not bits & stat.S_IWOTH
    return 0o660 if shared else 0o600


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


def suspect_marker(path: Path) -> Path:
    """A file beside the database saying the last session met an I/O error there."""
    return path.with_name(path.name + "-needs-check")


def mark_suspect(path: Path | None) -> None:
    """Ask the next open to check the file (best effort: a full disk may refuse even this)."""
    if path is None:
        return
    with suppress(OSError):
        create_private_file(suspect_marker(path))
