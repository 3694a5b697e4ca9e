"""Where crmtui keeps its files. One module owns the paths so tests can redirect them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from crmtui.errors import CrmError
from crmtui.i18n import _

APP_NAME = "crmtui"


def user_path(path: str | os.PathLike[str]) -> Path:
    """A path as the user typed it, with `~` and `~login` expanded.

    `~name` for a login the system does not know is a clear refusal, not a crash.
    """
    try:
        return Path(path).expanduser()
    except RuntimeError:
        raise CrmError(
            _("{path}: there is no such user's home folder").format(path=os.fspath(path))
        ) from None


def _xdg_folder(variable: str, fallback: str) -> Path | None:
    """On Linux and the BSDs, the XDG base folder platformdirs gives (`$variable` when it is an
    absolute path, else `fallback` in the home folder), without importing platformdirs: its
    import costs a tenth of a login banner. None elsewhere, or when HOME is not absolute."""
    if sys.platform in ("darwin", "win32", "cygwin"):
        return None
    given = os.environ.get(variable, "")
    if os.path.isabs(given):
        return Path(given)
    home = os.environ.get("HOME", "")
    return Path(home, fallback) if os.path.isabs(home) else None


def data_directory() -> Path:
    override = os.environ.get("CRMTUI_DATA_DIR")
    if override:
        return Path(override)
    base = _xdg_folder("XDG_DATA_HOME", ".local/share")
    if base is not None:
        return base / APP_NAME
    # on first use: crmtui due must not load platformdirs
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    override = os.environ.get("CRMTUI_CONFIG")
    if override:
        return Path(override)
    base = _xdg_folder("XDG_CONFIG_HOME", ".config")
    if base is not None:
        return base / APP_NAME / "config.toml"
    # on first use: crmtui due must not load platformdirs
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def default_database() -> Path:
    return data_directory() / "crmtui.sqlite3"


def log_file() -> Path:
    """Unexpected errors are written here in full; the user sees one line that points to it."""
    return data_directory() / "crmtui.log"
