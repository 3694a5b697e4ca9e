"""Noticing that other users changed the database, cheaply enough to ask every few seconds.

A screen left open keeps a ChangeWatch and asks `changed()` on a timer and when it regains
focus; only when the answer is yes does it reload its rows. Asking reads no table:

- SQLite: ``PRAGMA data_version``, which moves when another connection commits to the file
  (answered from shared memory, no disk read). It is per connection, so ask from one thread
  (a Textual timer runs on the app's thread); asked from another thread, the answer is yes.
- PostgreSQL: the server's transaction snapshot (``txid_current_snapshot()``), which moves
  whenever a writing transaction ends. It covers the whole server, so writes to other
  databases on it also answer yes: a harmless extra reload.

A yes may be the user's own save from a worker thread; reloading then is harmless too.
"""

from __future__ import annotations

import threading

import peewee


def _marker(db: peewee.Database) -> tuple:
    if isinstance(db, peewee.SqliteDatabase):
        version = db.execute_sql("PRAGMA data_version").fetchone()[0]
        return threading.get_ident(), version
    return (db.execute_sql("SELECT txid_current_snapshot()::text").fetchone()[0],)


class ChangeWatch:
    """Remembers where the database was; `changed()` says whether anyone committed since."""

    def __init__(self, ctx) -> None:
        self._db = ctx.store.db
        self._mark = _marker(self._db)

    def changed(self) -> bool:
        """True (once) when someone committed since the last call or since the watch began."""
        mark = _marker(self._db)
        if mark == self._mark:
            return False
        self._mark = mark
        return True
