"""The crash log: full tracebacks of unexpected errors, for the user to read or send on.

A traceback can hold customer names and other stored text, so the log is private: created 0600
in a 0700 folder, and narrowed to 0600 if an older crmtui left it readable by others.
"""

from __future__ import annotations

import os
import stat
import traceback

from crmtui.locations import log_file


def write_log(error: BaseException) -> str:
    """Append the full traceback to the log file; its path, or '' if it cannot be written."""
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            if stat.S_IMODE(os.fstat(fd).st_mode) != 0o600:
                os.fchmod(fd, 0o600)
            os.write(fd, "".join(traceback.format_exception(error)).encode("utf-8", "replace"))
        finally:
            os.close(fd)
    except OSError:
        return ""
    return str(path)
