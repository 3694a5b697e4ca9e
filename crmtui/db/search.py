"""Customer search in storage: FTS5 on SQLite (its table and triggers are made here), a substring
match of search_doc elsewhere."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import peewee

from crmtui.db.models import Customer, database
from crmtui.db.rows import tuple_rows

FTS_TABLE = "customer_fts"
_FTS_DDL = [
    # External-content FTS5 over customer.search_doc, kept in step by triggers so every writer
    # (forms, CLI, bulk import) updates the index in its own transaction.
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        search_doc, content='customer', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')""",
    f"""CREATE TRIGGER IF NOT EXISTS customer_fts_insert AFTER INSERT ON customer BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_doc) VALUES (new.id, new.search_doc); END""",
    f"""CREATE TRIGGER IF NOT EXISTS customer_fts_delete AFTER DELETE ON customer BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_doc)
        VALUES ('delete', old.id, old.search_doc); END""",
    f"""CREATE TRIGGER IF NOT EXISTS customer_fts_update AFTER UPDATE OF search_doc ON customer
        BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_doc)
        VALUES ('delete', old.id, old.search_doc);
        INSERT INTO {FTS_TABLE}(rowid, search_doc) VALUES (new.id, new.search_doc); END""",
]


def create_search_index(db: peewee.Database) -> None:
    """The full-text index and the triggers that keep it in step (SQLite only: elsewhere search
    matches search_doc directly)."""
    if isinstance(db, peewee.SqliteDatabase):
        for statement in _FTS_DDL:
            db.execute_sql(statement)


LOAD_SETTINGS = {"hashsize": 4 * 1024 * 1024, "automerge": 8}
"""FTS5's settings while a load writes many documents: each statement's documents flushed as one
segment, not in pieces of FTS5's default 1 MB, and segments merged eight at a time, not four.
Tokens, positions and prefixes are untouched, so every query answers the same. Indexing the
100,000 documents of bench/import_csv.py in statements of 2,000: 35.9 → 20.0 billion
instructions (valgrind), for at most 4 MB more memory while the transaction lasts."""
_FTS5_DEFAULTS = {"hashsize": 1024 * 1024, "automerge": 4}
"""What FTS5 uses for a setting it does not find stored."""


@contextmanager
def loading_settings(db: peewee.Database) -> Iterator[None]:
    """LOAD_SETTINGS for a load inside the caller's transaction, then the stored ones (or FTS5's
    defaults) again, so that forms and other writers keep merging as before. A failure rolls
    the settings back with the transaction. Nothing to do without SQLite's index."""
    if not isinstance(db, peewee.SqliteDatabase) or FTS_TABLE not in db.get_tables():
        yield
        return
    marks = ", ".join("?" for _ in LOAD_SETTINGS)
    stored = dict(
        db.execute_sql(
            f"SELECT k, v FROM {FTS_TABLE}_config WHERE k IN ({marks})", list(LOAD_SETTINGS)
        ).fetchall()
    )
    _configure(db, LOAD_SETTINGS)
    yield
    _configure(db, {name: stored.get(name, _FTS5_DEFAULTS[name]) for name in LOAD_SETTINGS})


def _configure(db: peewee.Database, settings: Mapping[str, object]) -> None:
    for name, value in settings.items():
        db.execute_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES (?, ?)", (name, value))


def index_search_documents(connection: sqlite3.Connection, first_id: int, last_id: int) -> None:
    """Add the search documents of customers first_id..last_id to the full-text index, as the
    insert trigger would row by row: for a load that dropped the triggers
    (`bulk.deferred_indexes`). Takes the SQLite connection itself, so that a loader can run it
    in a thread (SQLite works without Python's lock) while it prepares the next batch."""
    connection.execute(
        f"INSERT INTO {FTS_TABLE}(rowid, search_doc) "
        "SELECT id, search_doc FROM customer WHERE id BETWEEN ? AND ?",
        (first_id, last_id),
    )


def matching_customer_ids(
    terms: list[str], match: str, *, owner_id: int | None, limit: int
) -> list[int]:
    """Ids whose search document has every term as a word prefix, in id order, at most `limit`.

    The FTS query shape is chosen for speed per keystroke: unscoped, the index alone answers;
    for one owner, prefixes of one or two letters (which match a large share of everyone) stream
    matches and stop at `limit`, while longer ones intersect their small match set with the
    owner's ids (measured at 100k customers: each shape is several times slower on the other's
    side of that line).
    """
    if not terms:
        return []
    if isinstance(database.obj, peewee.SqliteDatabase):
        if owner_id is None:
            sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? LIMIT ?"
            params: tuple[object, ...] = (match, limit)
        elif max(len(t) for t in terms) <= 2:
            sql = (
                f"SELECT c.id FROM {FTS_TABLE} f CROSS JOIN customer c ON c.id = f.rowid "
                f"WHERE {FTS_TABLE} MATCH ? AND c.owner_id = ? LIMIT ?"
            )
            params = (match, owner_id, limit)
        else:
            sql = (
                f"SELECT id FROM customer WHERE owner_id = ? AND id IN "
                f"(SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?) LIMIT ?"
            )
            params = (owner_id, match, limit)
        return [row[0] for row in database.execute_sql(sql, params)]
    query = Customer.select(Customer.id)
    doc = peewee.Value(" ").concat(Customer.search_doc)
    for term in terms:  # the same "typed word starts a token" match over the space-separated doc
        query = query.where(doc.contains(" " + term))
    if owner_id is not None:
        query = query.where(Customer.owner == owner_id)
    rows = tuple_rows(query.order_by(Customer.id).limit(limit), tuple[int])
    return [customer_id for (customer_id,) in rows]
