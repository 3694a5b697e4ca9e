"""Opening a database: its connection (`crmtui.db.connection`), then its schema brought up to
date (`crmtui.db.migrations`, which itself needs the connection's transactions and backups)."""

from __future__ import annotations

import os
from pathlib import Path

from crmtui.db.connection import Store, open_server, open_sqlite
from crmtui.db.migrations import ensure_schema
from crmtui.db.models import database
from crmtui.db.team import detect as detect_team_mode
from crmtui.locations import user_path


def open_store(
    target: str | os.PathLike[str], *, create: bool = True, migrate: bool = True
) -> Store:
    """Open (creating if needed) the database at `target` and bring its schema up to date."""
    text = os.fspath(target)
    if "://" in text and not text.startswith("sqlite:"):
        store = open_server(text)
    else:
        path = Path(text.removeprefix("sqlite:///") if text.startswith("sqlite:") else text)
        store = open_sqlite(user_path(path), create=create)
    database.initialize(store.db)
    try:
        if not store.is_sqlite:
            store.team = detect_team_mode(store.db)
        ensure_schema(store, migrate=migrate)
    except BaseException:
        store.close()
        raise
    return store
