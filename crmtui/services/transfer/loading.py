"""Putting an import's checked rows into the database: customers, their first grade history
line, care dates and contacts, in batches inside the import's one transaction."""

from __future__ import annotations

import threading
from contextlib import ExitStack

from crmtui.db import CareDate, Contact, Customer, GradeChange
from crmtui.db.bulk import (
    LOAD_KEEPS_WITHOUT_DAYS,
    bulk_insert,
    defaults_of,
    deferred_first_grade_days,
    deferred_indexes,
    deferred_insert_figures,
    reserve_ids,
)
from crmtui.db.figures import TRIGGER_INDEXES
from crmtui.db.models import database
from crmtui.db.search import index_search_documents
from crmtui.services.context import Context
from crmtui.services.transfer.checking import CARE_COLUMNS, ROW_COLUMNS, CheckedChunk
from crmtui.services.transfer.contacts import CONTACT_FIELD_NAMES

DEFERRED_INDEX_ROWS = 20_000
"""A load this large (or larger than what is stored) rebuilds indexes once instead of per row."""

_CUSTOMER_COLUMNS = ["id", *ROW_COLUMNS, "created_at", "created_on", "updated_at", "updated_by"]
_GRADE_CHANGE_COLUMNS = ["customer", "at", "on", "from_grade", "to_grade", "reason", "by"]
_CARE_COLUMNS = ["customer", *CARE_COLUMNS]
_GRADE = ROW_COLUMNS.index("grade")


class Loader:
    """Inserts checked records in batches inside the import's transaction. Once a load has put
    in more rows than were stored (and many, or the database held few), the secondary indexes
    are dropped and built once at the end, the kept figures are counted once from the customers
    (after the indexes, which answer most of the counts) instead of by a trigger per row, and
    the grade changes, each its new customer's first, go in without the trigger that would look
    for their neighbours (there are none): much quicker than row by row. The search index
    (SQLite's) takes each batch's documents in a thread while the next batch is being checked
    and gathered, instead of one rebuild at the end that nothing overlaps."""

    def __init__(self, ctx: Context, batch: int) -> None:
        self.ctx = ctx
        self.batch = batch
        """Rows inserted at a time: a database holding fewer has its indexes rebuilt by any
        larger load."""
        self.now, self.today, self.zone = ctx.now(), ctx.today(), ctx.zone
        meta = Customer._meta.fields
        self.fields = [meta[name] for name in _CUSTOMER_COLUMNS]
        extra, self.defaults = defaults_of(Customer, self.fields)
        self.fields += extra
        self.stored = Customer.select().count()
        self.inserted = 0
        self.first_id: int | None = None
        self.last_id: int | None = None
        self.deferred = ExitStack()
        self.deferring = False
        self.search_by_batch = False
        self.indexing: threading.Thread | None = None
        self.indexing_error: BaseException | None = None

    def insert(self, chunk: CheckedChunk) -> None:
        """Put the chunk's accepted rows in."""
        self.wait()  # the connection does one thing at a time
        total = self.inserted + len(chunk.values)
        if (
            not self.deferring
            and total > self.stored
            and (total >= DEFERRED_INDEX_ROWS or self.stored < self.batch)
        ):
            # Entered in this order, they end in the other: the indexes are built first, so
            # that counting the figures then reads most of them from an index, not the table.
            self.deferred.enter_context(deferred_insert_figures(Customer))
            days_aside = self.deferred.enter_context(deferred_first_grade_days())
            self.search_by_batch = self.deferred.enter_context(
                deferred_indexes(
                    [Customer, GradeChange, CareDate, Contact],
                    rebuild_search=False,
                    keep=LOAD_KEEPS_WITHOUT_DAYS if days_aside else TRIGGER_INDEXES,
                )
            )
            self.deferring = True
        ids = reserve_ids(Customer, len(chunk.values))
        by = self.ctx.user.id
        # The same moment, day and defaults on every row, converted for the database once; the
        # chunk's values are converted already: each table's rows are built in one pass.
        now, today = (
            Customer.created_at.db_value(self.now),
            Customer.created_on.db_value(self.today),  # type: ignore[no-untyped-call]  # stubs
        )
        tail = (now, today, now, by, *self.defaults)
        bulk_insert(
            Customer,
            self.fields,
            [(cid, *values, *tail) for cid, values in zip(ids, chunk.values, strict=True)],
            converted=True,
        )
        bulk_insert(
            GradeChange,
            [GradeChange._meta.fields[name] for name in _GRADE_CHANGE_COLUMNS],
            [
                (cid, now, today, None, values[_GRADE], reason, by)
                for cid, values, reason in zip(ids, chunk.values, chunk.reasons, strict=True)
            ],
            converted=True,
        )
        bulk_insert(
            CareDate,
            [CareDate._meta.fields[name] for name in _CARE_COLUMNS],
            [(ids[care[0]], *care[1:]) for care in chunk.care],
            converted=True,
        )
        contact_fields = [Contact._meta.fields[name] for name in CONTACT_FIELD_NAMES]
        bulk_insert(
            Contact,
            [Contact.customer, *contact_fields],
            [
                (ids[row], *(contact[name] for name in CONTACT_FIELD_NAMES))
                for row, contact in chunk.contacts
            ],
        )
        self.inserted += len(chunk.values)
        self.first_id = ids[0] if self.first_id is None else self.first_id
        self.last_id = ids[-1]
        if self.search_by_batch:
            self._index_search(ids[0], ids[-1])

    def _index_search(self, first_id: int, last_id: int) -> None:
        connection = database.connection()  # this thread's: the import's transaction

        def index() -> None:
            try:
                index_search_documents(connection, first_id, last_id)
            except BaseException as error:  # raised in the importing thread by wait()
                self.indexing_error = error

        self.indexing = threading.Thread(target=index, name="import-search-index", daemon=True)
        self.indexing.start()

    def wait(self) -> None:
        """Let the search index take the last batch; raise what went wrong there."""
        if self.indexing is not None:
            self.indexing.join()
            self.indexing = None
        error, self.indexing_error = self.indexing_error, None
        if error is not None:
            raise error

    def stop(self) -> None:
        """Before the transaction ends whatever happened: nothing may use the connection then."""
        if self.indexing is not None:
            self.indexing.join()
            self.indexing = None

    def finish(self) -> tuple[int, int] | None:
        """Build what was deferred; the first and last id inserted."""
        self.wait()
        self.deferred.close()
        if self.first_id is None or self.last_id is None:
            return None
        return (self.first_id, self.last_id)
