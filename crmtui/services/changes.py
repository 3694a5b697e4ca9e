"""Noticing that other users changed the database, cheaply enough to ask every few seconds.

A screen left open keeps a ChangeWatch and asks `changed()` on a timer and when it regains
focus; only when the answer is yes does it reload its rows. Asking reads no table:

- SQLite: ``PRAGMA data_version``, which moves when another connection commits to the file
  (answered from shared memory, no disk read). It is per connection, so ask from one thread
  (the app asks on its ChangeProbe's one thread); asked from another thread, the answer is yes.
- PostgreSQL: the server's transaction snapshot (``txid_current_snapshot()``), which moves
  whenever a writing transaction ends. It covers the whole server, so writes to other
  databases on it also answer yes: a harmless extra reload.

A yes may be the user's own save from a worker thread; reloading then is harmless too.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

import peewee

if TYPE_CHECKING:
    from crmtui.services.context import Context

Answer = TypeVar("Answer")

CLOSE_WAIT_SECONDS = 5.0
"""How long closing waits for a probe still asking (a server that stopped answering)."""


def _marker(db: peewee.Database) -> tuple[object, ...]:
    if isinstance(db, peewee.SqliteDatabase):
        version = db.execute_sql("PRAGMA data_version").fetchone()[0]
        return threading.get_ident(), version
    return (db.execute_sql("SELECT txid_current_snapshot()::text").fetchone()[0],)


class ChangeWatch:
    """Remembers where the database was; `changed()` says whether anyone committed since."""

    def __init__(self, ctx: Context) -> None:
        self._db = ctx.store.db
        self._mark = _marker(self._db)

    def changed(self) -> bool:
        """True (once) when someone committed since the last call or since the watch began."""
        mark = _marker(self._db)
        if mark == self._mark:
            return False
        self._mark = mark
        return True


class ChangeProbe:
    """The one thread the app's change watches are made and asked on.

    Off the interface's thread, so a slow answer (a PostgreSQL round trip) never holds up the
    screen; one thread, so SQLite's per-connection answers can be compared, and asks queue
    behind each other instead of piling up on the database."""

    def __init__(self, ctx: Context) -> None:
        self._db = ctx.store.db
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="change-probe")

    def ask(self, question: Callable[[], Answer]) -> Future[Answer]:
        return self._thread.submit(question)

    def close(self) -> None:
        """Close the probe's own connection, then its thread."""
        # a probe stuck on a dead server: its connection is left to the process's end
        with contextlib.suppress(Exception):
            self._thread.submit(self._db.close).result(timeout=CLOSE_WAIT_SECONDS)
        self._thread.shutdown(wait=False)
