"""The crash log: full tracebacks of unexpected errors, for the user to read or send on.

A traceback can hold customer names and other stored text, so the log is private: created 0600
in a 0700 folder, and narrowed to 0600 if an older crmtui left it readable by others.
"""

from __future__ import annotations

import os
import stat
import traceback

from crmtui.locations import log_file

PANEL_TOP, PANEL_BOTTOM = "╭", "╰"
"""The corners a Rich traceback draws its panels with (a frame's panel, a syntax error's)."""


def write_log(error: BaseException) -> str:
    """Append the full traceback to the log file; its path, or '' if it cannot be written."""
    return write_log_text("".join(traceback.format_exception(error)))


def write_log_text(text: str) -> str:
    """Append `text` (a traceback already written out) to the log file; its path, or '' if it
    cannot be written."""
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            if stat.S_IMODE(os.fstat(fd).st_mode) != 0o600:
                os.fchmod(fd, 0o600)
            os.write(fd, text.encode("utf-8", "replace"))
        finally:
            os.close(fd)
    except OSError:
        return ""
    return str(path)


def without_locals(text: str) -> str:
    """A Rich traceback (as plain text) without the panels of each frame's local variables:
    the log keeps where it failed, not the values (stored text, addresses) it was holding."""
    kept: list[str] = []
    closing = -1  # the column of the open locals panel's corners, while inside one
    for line in text.splitlines(keepends=True):
        if closing >= 0:
            if line[closing : closing + 1] == PANEL_BOTTOM:
                closing = -1
            continue
        column = line.find(PANEL_TOP)
        if column >= 0 and " locals " in line:
            closing = column
            continue
        kept.append(line)
    return "".join(kept)


def rich_traceback_error(text: str) -> tuple[str, str] | None:
    """The kind and message of the exception a Rich traceback (as plain text) ends with, or None
    if `text` holds no traceback.

    Rich draws each exception's frames in a panel titled "Traceback (most recent call last)" and
    writes "Kind: message" under it, wrapped to the width it had; chained exceptions come first,
    so the last panel at the left edge is the exception that was raised (panels inside a group's
    sub-exception are indented). A wrapped line keeps the space it broke at; a message's own line
    breaks become spaces, so the message reads as one line.
    """
    lines = text.splitlines()
    starts = [
        index
        for index, line in enumerate(lines)
        if line.startswith(PANEL_TOP) and "Traceback" in line
    ]
    if not starts:
        return None
    in_panel = False
    words: list[str] = []
    for line in lines[starts[-1] :]:
        if in_panel:
            in_panel = not line.startswith(PANEL_BOTTOM)
        elif line.startswith(PANEL_TOP):
            if words:
                break
            in_panel = True
        elif not line.strip() or line.startswith("[NOTE]"):
            if words:
                break
        else:
            words.append(line if line.endswith(" ") else line + " ")
    kind, _colon, message = "".join(words).strip().partition(": ")
    return kind, message
