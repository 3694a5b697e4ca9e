"""Looking after the database: integrity check, consistency of stored derived columns, backups."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import peewee
from peewee import fn

from crmtui.config import Config
from crmtui.db import Customer, Order, backup_sqlite, open_store
from crmtui.db.migrations import FTS_TABLE
from crmtui.errors import CrmError, StorageError
from crmtui.i18n import _
from crmtui.rules import Cadence, Grade, cadence_due, customer_due, default_cadence


@dataclass
class CheckReport:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def good(self, text: str) -> None:
        self.lines.append(f"ok  {text}")

    def bad(self, text: str) -> None:
        self.lines.append(f"BAD {text}")
        self.problems.append(text)

    def to_json(self) -> dict:
        return {"ok": self.ok, "problems": self.problems, "lines": self.lines}


def check_database(target, config: Config | None = None) -> CheckReport:
    report = CheckReport()
    try:
        store = open_store(target, create=False, migrate=False)
    except StorageError as error:
        report.bad(str(error))
        path = Path(str(target))
        if path.is_file():
            _raw_integrity(path, report)
        return report
    try:
        db = store.db
        report.good(_("schema version is current"))
        if store.is_sqlite:
            rows = [r[0] for r in db.execute_sql("PRAGMA integrity_check").fetchall()]
            if rows == ["ok"]:
                report.good(_("SQLite integrity check"))
            else:
                for row in rows[:20]:
                    report.bad(row)
            broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                report.bad(_("{n} rows point to missing rows").format(n=len(broken)))
            else:
                report.good(_("foreign keys"))
            try:
                db.execute_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) "
                               "VALUES ('integrity-check', 1)")
                report.good(_("search index"))
            except peewee.DatabaseError as error:
                report.bad(_("search index: {error}").format(error=error))
        _check_derived(report, config or Config())
    except (peewee.DatabaseError, sqlite3.DatabaseError) as error:  # raw: raised while fetching
        report.bad(str(error).splitlines()[0])
    finally:
        store.close()
    return report


def _raw_integrity(path: Path, report: CheckReport) -> None:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in connection.execute("PRAGMA integrity_check").fetchall()]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        report.bad(_("SQLite cannot check it: {error}").format(error=error))
        return
    for row in rows[:20]:
        (report.good if row == "ok" else report.bad)(f"integrity: {row}")


def _check_derived(report: CheckReport, config: Config) -> None:
    """Stored next_due, cadence_due and revenue must equal what the rules and orders give."""
    wrong_due = 0
    for c in Customer.select(Customer.id, Customer.grade, Customer.cadence, Customer.created_on,
                             Customer.last_contact_on, Customer.next_step_on, Customer.next_due,
                             Customer.cadence_due).iterator():
        cadence = Cadence(c.cadence) if c.cadence else default_cadence(Grade(c.grade),
                                                                       config.cadence)
        explicit = c.next_step_on
        if explicit is not None and c.last_contact_on is not None and explicit <= c.last_contact_on:
            explicit = None
        expected = customer_due(c.created_on, c.last_contact_on, cadence, explicit=explicit,
                                workdays_only=config.workdays_only)
        if expected != c.next_due or cadence_due(c.created_on, c.last_contact_on,
                                                 cadence) != c.cadence_due:
            wrong_due += 1
    if wrong_due:
        report.bad(_("{n} customers have a stored next due that the rules disagree with")
                   .format(n=wrong_due))
    else:
        report.good(_("stored next due dates"))
    sums = dict(Order.select(Order.customer, fn.SUM(Order.amount)).group_by(Order.customer)
                .tuples())
    wrong_revenue = 0
    for cid, revenue in Customer.select(Customer.id, Customer.revenue).tuples().iterator():
        expected = Order.amount.python_value(sums.get(cid, 0))
        if (revenue or Decimal(0)) != (expected or Decimal(0)):
            wrong_revenue += 1
    if wrong_revenue:
        report.bad(_("{n} customers have a stored revenue that differs from their orders")
                   .format(n=wrong_revenue))
    else:
        report.good(_("stored revenue"))


def backup(ctx, destination: Path | None = None) -> Path:
    """A copy of the whole database (managers only, like any export of every customer)."""
    from crmtui.services.access import require_manager
    from crmtui.services.audit import audit
    from crmtui.services.context import writes

    require_manager(ctx, _("back up the database"))
    if not ctx.store.is_sqlite:
        raise CrmError(_("back up a PostgreSQL database with pg_dump"))
    path = backup_sqlite(ctx.store.db, ctx.store.path, destination)
    if not ctx.store.readonly:
        writes(lambda c: audit(c, "backup", detail=str(path)))(ctx)
    return path
