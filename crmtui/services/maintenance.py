"""Looking after the database: integrity check, consistency of stored derived columns, backups."""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import peewee
from peewee import fn

from crmtui.config import Config
from crmtui.db import (
    LATEST_VERSION,
    AccountPlan,
    Customer,
    Order,
    Payment,
    Store,
    User,
    backup_sqlite,
    open_store,
)
from crmtui.db.audit_chain import verify_chain
from crmtui.db.connection import (
    SQLITE_HEADER,
    backup_directory,
    create_private_file,
    file_mode_for,
    write_transaction,
)
from crmtui.db.figures import figures_out_of_step
from crmtui.db.grade_days import grade_days_out_of_step
from crmtui.db.rows import tuple_rows
from crmtui.db.search import FTS_TABLE
from crmtui.errors import CrmError, StorageError
from crmtui.i18n import _
from crmtui.locations import user_path
from crmtui.services.access import require_manager
from crmtui.services.audit import audit
from crmtui.services.context import Context, open_context, os_login, utc_now, writes
from crmtui.services.customer_columns import schedule_of


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

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "problems": self.problems, "lines": self.lines}


def check_database(target: str | os.PathLike[str], config: Config | None = None) -> CheckReport:
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
        return check_store(store, config, report)
    finally:
        store.close()


def check_store(
    store: Store, config: Config | None = None, report: CheckReport | None = None
) -> CheckReport:
    """The checks of `crmtui db check` on an open store."""
    report = report or CheckReport()
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
                db.execute_sql(
                    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)"
                )
                report.good(_("search index"))
            except peewee.DatabaseError as error:
                report.bad(_("search index: {error}").format(error=error))
        _check_access(store, report)
        _check_derived(report, config or Config())
        _check_figures(store, db, report)
    except (peewee.DatabaseError, sqlite3.DatabaseError) as error:  # raw: raised while fetching
        report.bad(str(error).splitlines()[0])
    return report


def _check_access(store: Store, report: CheckReport) -> None:
    """Who enforces the roles here, and whether the audit log is whole."""
    if store.is_sqlite:
        report.good(_("roles are checked by crmtui: everyone who can write the file is trusted"))
        chain = verify_chain(store.db)
        for problem in chain.problems:
            report.bad(problem)
        if not chain.problems:
            report.good(_("audit log: {n} entries, hash chain intact").format(n=chain.entries))
    elif store.team is not None:
        report.good(
            _("team mode: the server enforces the roles; you are the database role {role}").format(
                role=store.team.session_user
            )
        )
    else:
        report.good(
            _(
                "single-role mode: everyone connects as one database role and crmtui "
                "checks the roles; `crmtui db setup-roles` has the server enforce them"
            )
        )


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


def _check_figures(store: Store, db: peewee.Database, report: CheckReport) -> None:
    """The figures the database keeps by its triggers (db.figures) against a count from the
    records they sum. Not for a rep where the server enforces the roles: they see only their own
    records, and not the team's figures."""
    team = getattr(store, "team", None)
    if team is not None and not team.is_owner:
        rep = db.execute_sql(
            "SELECT pg_has_role(session_user, %s, 'MEMBER')", (team.group_role("rep"),)
        ).fetchone()[0]
        if rep:
            return
    counts = {**figures_out_of_step(db), "grade_change": grade_days_out_of_step(db)}
    differing = {table: rows for table, rows in counts.items() if rows}
    if differing:
        report.bad(
            _("the dashboard's kept figures differ from the records in {n} rows ({tables})").format(
                n=sum(differing.values()), tables=", ".join(differing)
            )
        )
    else:
        report.good(_("the dashboard's kept figures"))


def _check_derived(report: CheckReport, config: Config) -> None:
    """Stored next_due, cadence_due and revenue must equal what the rules and orders give."""
    plans = dict(
        tuple_rows(
            AccountPlan.select(AccountPlan.customer, AccountPlan.visit_every_days).where(
                AccountPlan.visit_every_days.is_null(False)
            ),
            tuple[int, int],
        )
    )
    wrong_due = 0
    for c in Customer.select(
        Customer.id,
        Customer.grade,
        Customer.cadence,
        Customer.created_on,
        Customer.last_contact_on,
        Customer.next_step_on,
        Customer.next_due,
        Customer.cadence_due,
        Customer.lifecycle,
        Customer.value_class,
        Customer.last_order_on,
        Customer.regular_until,
    ).iterator():
        found = schedule_of(
            config,
            grade=c.grade,
            own_cadence=c.cadence,
            created_on=c.created_on,
            last_contact_on=c.last_contact_on,
            next_step_on=c.next_step_on,
            lifecycle=c.lifecycle,
            value_class=c.value_class,
            plan_every_days=plans.get(c.id) if c.lifecycle == "customer" else None,
            last_order_on=c.last_order_on,
            regular_until=c.regular_until,
        )
        if (found.next_due, found.cadence_due) != (c.next_due, c.cadence_due):
            wrong_due += 1
    if wrong_due:
        report.bad(
            _("{n} customers have a stored next due that the rules disagree with").format(
                n=wrong_due
            )
        )
    else:
        report.good(_("stored next due dates"))

    if config.receivables.revenue_counts == "payments":
        sums = dict(
            tuple_rows(
                Payment.select(Payment.customer, fn.SUM(Payment.amount)).group_by(Payment.customer),
                tuple[int, int],
            )
        )
    else:  # returned orders are no revenue
        sums = dict(
            tuple_rows(
                Order.select(Order.customer, fn.SUM(Order.amount))
                .where(Order.delivery != "returned")
                .group_by(Order.customer),
                tuple[int, int],
            )
        )
    wrong_revenue = 0
    for cid, revenue in Customer.select(Customer.id, Customer.revenue).tuples().iterator():
        expected = Order.amount.python_value(sums.get(cid, 0))
        if (revenue or Decimal(0)) != (expected or Decimal(0)):
            wrong_revenue += 1
    if wrong_revenue:
        report.bad(
            _(
                "{n} customers have a stored revenue that differs from their orders (or "
                "payments, as [revenue] counts)"
            ).format(n=wrong_revenue)
        )
    else:
        report.good(_("stored revenue"))


def backup(ctx: Context, destination: Path | None = None) -> Path:
    """A copy of the whole database (managers only, like any export of every customer)."""
    require_manager(ctx, _("back up the database"))
    if not ctx.store.is_sqlite:
        raise CrmError(_("back up a PostgreSQL database with pg_dump"))
    db, file = ctx.store.db, ctx.store.path
    assert isinstance(db, peewee.SqliteDatabase) and file is not None  # is_sqlite
    path = backup_sqlite(db, file, destination)
    if not ctx.store.readonly:
        writes(lambda c: audit(c, "backup", detail=str(path)))(ctx)
    return path


# -- restore ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    replaced_copy: Path | None
    """Where the database that was replaced is kept (None when there was none)."""
    schema_version: int
    notices: list[str]


def inspect_backup(path: Path) -> int:
    """The schema version of a crmtui database file; CrmError saying why it is not usable."""
    if not path.is_file():
        raise CrmError(_("there is no file {path}").format(path=path))
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise CrmError(
            _("cannot read {path}: {reason}").format(path=path, reason=error.strerror)
        ) from None
    if header != SQLITE_HEADER:
        raise CrmError(
            _(
                "{path} is not a crmtui database (it is not an SQLite file); nothing was restored"
            ).format(path=path)
        )
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            problems = [r[0] for r in connection.execute("PRAGMA integrity_check").fetchall()]
            tables = {
                r[0]
                for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            version: int | None = None
            if {"schema_version", "customer", "user"} <= tables:
                row = connection.execute("SELECT version FROM schema_version").fetchone()
                version = row[0] if row else None
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise CrmError(
            _("{path} cannot be read as a database ({error}); nothing was restored").format(
                path=path, error=str(error).splitlines()[0]
            )
        ) from None
    if problems != ["ok"]:
        raise CrmError(
            _("{path} fails the integrity check ({problem}); nothing was restored").format(
                path=path, problem=problems[0]
            )
        )
    if version is None:
        raise CrmError(
            _("{path} is not a crmtui database (no crmtui schema); nothing was restored").format(
                path=path
            )
        )
    if version > LATEST_VERSION:
        raise CrmError(
            _(
                "{path} was written by a newer crmtui (schema {version}; this crmtui "
                "knows up to {latest}); nothing was restored"
            ).format(path=path, version=version, latest=LATEST_VERSION)
        )
    return version


def restore(
    target: str,
    source: Path,
    *,
    login: str | None = None,
    as_user: str | None = None,
    config: Config | None = None,
) -> RestoreResult:
    """Replace the SQLite database at `target` with the crmtui database file `source`.

    The file is checked first (SQLite, integrity, a crmtui schema this version can open). When
    the current database opens, only a manager may replace it and a consistent copy of it is
    kept in backups/; a database too damaged to open is copied there as it is. The content is
    copied in with SQLite's backup API, which other connections see as one write; a file that
    SQLite cannot write into is swapped for a fresh copy instead. An older schema is upgraded
    by the first open afterwards, which also records the restore in the audit log.

    `login` and `as_user` are as for `open_context`; a database too damaged to open cannot say
    who its managers are, so its restore is recorded under the login that ran it.
    """
    # on first use: only this path needs it
    import shutil

    text = str(target)
    if "://" in text and not text.startswith("sqlite:"):
        raise CrmError(
            _(
                "restore works on SQLite files; restore a PostgreSQL database with "
                "pg_restore or psql"
            )
        )
    path = Path(text.removeprefix("sqlite:///") if text.startswith("sqlite:") else text)
    path = user_path(path)
    source = user_path(source)
    version = inspect_backup(source)
    if path.exists() and os.path.samefile(path, source):
        raise CrmError(_("{path} is the database itself; give a backup file").format(path=path))

    replaced = None
    intact = False
    acting = login or os_login()
    if path.exists():
        try:
            ctx = open_context(path, login=login, as_user=as_user, config=config, create=False)
        except StorageError:
            ctx = None  # too damaged (or too new) to open: keep the file as it is
        if ctx is not None:
            try:
                acting = ctx.user.login
                if ctx.role != "manager":
                    raise CrmError(_("only a manager can restore the database"))
                if ctx.store.readonly:
                    raise StorageError(
                        _("{path} is read-only; nothing was restored").format(path=path)
                    )
                db = ctx.store.db
                assert isinstance(db, peewee.SqliteDatabase)  # opened from a file
                replaced = backup_sqlite(db, path, label="before-restore")
                intact = True
            finally:
                ctx.store.close()
        else:
            folder = backup_directory(path)
            folder.mkdir(
                exist_ok=True, mode=0o700 if file_mode_for(path.parent) == 0o600 else 0o770
            )
            replaced = folder / f"{path.stem}-{time.strftime('%Y%m%d-%H%M%S')}-damaged.sqlite3"
            create_private_file(replaced)
            shutil.copyfile(path, replaced)
            for suffix in ("-wal", "-shm"):
                extra = Path(str(path) + suffix)
                if extra.exists():
                    shutil.copyfile(extra, Path(str(replaced) + suffix))
    else:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        create_private_file(path)
        intact = True

    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if intact:
            writer = sqlite3.connect(str(path), timeout=5)
            try:
                reader.backup(writer)
            finally:
                writer.close()
        else:
            fresh = path.parent / f".{path.name}.restore-{os.getpid()}"
            create_private_file(fresh)
            try:
                writer = sqlite3.connect(str(fresh))
                try:
                    reader.backup(writer)
                finally:
                    writer.close()
                for suffix in ("-wal", "-shm"):
                    Path(str(path) + suffix).unlink(missing_ok=True)
                os.replace(fresh, path)
            finally:
                fresh.unlink(missing_ok=True)
    except sqlite3.OperationalError as error:
        raise StorageError(
            _("could not restore into {path} ({error}); the database is as it was{kept}").format(
                path=path,
                error=str(error).splitlines()[0],
                kept=_(", and a copy is at {copy}").format(copy=replaced) if replaced else "",
            )
        ) from None
    finally:
        reader.close()

    store = open_store(path)
    try:
        from crmtui.db.audit_chain import append_entry  # hashing: only when a restore is logged

        # None when the restored database is another team's, where this login is no user.
        user = User.get_or_none(User.login == acting)
        with write_transaction():
            append_entry(
                at=utc_now(),
                user_id=user.id if user else None,
                action="restore",
                entity="database",
                detail=_("from {source}; replaced copy kept at {copy}").format(
                    source=source, copy=replaced or _("(none)")
                ),
            )
        notices = list(store.notices)
    finally:
        store.close()
    return RestoreResult(
        restored_from=source, replaced_copy=replaced, schema_version=version, notices=notices
    )
