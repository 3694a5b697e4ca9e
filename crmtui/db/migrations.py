"""Schema versions. A new database gets the latest schema at once; an older file is upgraded one
version at a time after a backup copy; a file from a newer crmtui is refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta, timezone

import peewee
from peewee import SQL, BigIntegerField, BooleanField, CharField, ForeignKeyField, TextField

from crmtui.db.connection import backup_sqlite, corrupt_error, schema_transaction
from crmtui.db.fields import IsoDateField, MoneyField, UtcDateTimeField
from crmtui.db.figures import create_figures, fill_figures
from crmtui.db.models import (
    MODELS,
    Appointment,
    AuditLog,
    CareDate,
    ChangeSet,
    Contact,
    Customer,
    CustomerChange,
    FieldChange,
    HolidayGreeting,
    Instruction,
    Interaction,
    Order,
    Payment,
    SchemaVersion,
    Setting,
    SurveyScore,
    Target,
    User,
    Win,
    database,
)
from crmtui.db.search import FTS_TABLE, create_search_index
from crmtui.db.team import apply_team_mode
from crmtui.errors import StorageError
from crmtui.i18n import _
from crmtui.rules import Tier, regular_until, value_tiers

LATEST_VERSION = 19


def _is_sqlite(db: peewee.Database) -> bool:
    return isinstance(db, peewee.SqliteDatabase)


def _write_search_documents(*, only_with_contacts: bool = False) -> None:
    from crmtui.search import search_document  # an upgrade step only: off every start

    people: dict[int, list[tuple[str, str, str]]] = {}
    if "contact" in database.get_tables():
        for customer_id, *person in (
            Contact.select(Contact.customer, Contact.name, Contact.phone, Contact.email)
            .order_by(Contact.id)
            .tuples()
        ):
            people.setdefault(customer_id, []).append(tuple(person))
    rows = Customer.select(
        Customer.id,
        Customer.name,
        Customer.company,
        Customer.phones,
        Customer.email,
        Customer.im_id,
        Customer.tags,
    ).tuples()
    documents = [
        (search_document(*fields, contacts=people.get(customer_id, ())), customer_id)
        for customer_id, *fields in rows
        if customer_id in people or not only_with_contacts
    ]
    mark = database.param
    database.cursor().executemany(
        f'UPDATE "customer" SET "search_doc" = {mark} WHERE "id" = {mark}', documents
    )


def _v2_search_index(db: peewee.Database) -> None:
    """v2: full-text search over names, companies, phones, e-mail and pinyin keys."""
    _write_search_documents()
    create_search_index(db)
    if _is_sqlite(db):
        db.execute_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def _v3_owner_indexes(db: peewee.Database) -> None:
    """v3: owner-leading indexes for the due list's drop-risk and referral sections; drop
    single-column indexes that a composite index already covers (they slow every insert)."""
    for name in (
        "customer_owner_id",
        "interaction_customer_id",
        "interaction_by_id",
        "sales_order_customer_id",
        "grade_change_customer_id",
    ):
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "customer_owner_id_cadence_due" '
        'ON "customer" ("owner_id", "cadence_due")'
    )
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "customer_owner_id_referral_moment_on" '
        'ON "customer" ("owner_id", "referral_moment_on")'
    )


def _v4_care_greeted(db: peewee.Database) -> None:
    """v4: care dates remember when the greeting was logged, so it leaves the due list."""
    from playhouse.migrate import SchemaMigrator, migrate  # an upgrade step only: off every start

    table = CareDate._meta.table_name
    if "greeted_on" not in {column.name for column in db.get_columns(table)}:
        migrate(
            SchemaMigrator.from_database(db).add_column(table, "greeted_on", CareDate.greeted_on)
        )


def _v5_dashboard_indexes(db: peewee.Database) -> None:
    """v5: indexes the dashboard's aggregates read instead of the wide customer rows (revenue
    ranking, stages and drop risks, conversion by source, grade movement); the new grade index
    leads with the grade, so the single-column one goes."""
    db.execute_sql('DROP INDEX IF EXISTS "customer_grade"')
    db.execute_sql('DROP INDEX IF EXISTS "grade_change_on"')
    for statement in (
        'CREATE INDEX IF NOT EXISTS "customer_grade_followups_status_cadence_due" '
        'ON "customer" ("grade", "followups", "status", "cadence_due")',
        'CREATE INDEX IF NOT EXISTS "customer_source_deal_status" '
        'ON "customer" ("source", "deal_status")',
        'CREATE INDEX IF NOT EXISTS "customer_revenue_desc" ON "customer" ("revenue" DESC)',
        'CREATE INDEX IF NOT EXISTS "customer_owner_id_revenue_desc" '
        'ON "customer" ("owner_id", "revenue" DESC)',
        'CREATE INDEX IF NOT EXISTS "grade_change_on_customer_id_from_grade_to_grade" '
        'ON "grade_change" ("on", "customer_id", "from_grade", "to_grade")',
    ):
        db.execute_sql(statement)


def _v6_holiday_greetings(db: peewee.Database) -> None:
    """v6: holiday greetings sent, so a customer leaves that holiday's greeting list."""

    db.create_tables([HolidayGreeting], safe=True)


def _v7_named_search_documents(db: peewee.Database) -> None:
    """v7: search documents mark where the name's tokens end, so a name match ranks first."""
    from crmtui.db.bulk import deferred_indexes  # an upgrade step only: off every start

    with deferred_indexes([]):  # the index is rebuilt once, not updated row by row
        _write_search_documents()


def _v8_audit_chain(db: peewee.Database) -> None:
    """v8: audit entries carry a hash chain (SQLite), so a deleted or edited entry shows."""
    from playhouse.migrate import SchemaMigrator, migrate  # an upgrade step only: off every start

    from crmtui.db.audit_chain import chain_existing  # an upgrade step only: off every start

    table = AuditLog._meta.table_name
    if "hash" not in {column.name for column in db.get_columns(table)}:
        migrate(SchemaMigrator.from_database(db).add_column(table, "hash", AuditLog.hash))
    if _is_sqlite(db):
        chain_existing(db)


def _v9_accounts(db: peewee.Database) -> None:
    """v9: key accounts (重点客户). Contacts gain a department, IM id and birthday, and several
    phone numbers in the one column; an interaction names the contact spoken to; account plans
    gain a yearly target amount and strengths, weaknesses, opportunities and threats; surveys
    a comment and scores on dimensions the team configures; reps get targets, and orders an
    index by the rep who booked them. Customers with contacts get search documents that hold
    them."""
    from playhouse.migrate import SchemaMigrator, migrate  # an upgrade step only: off every start

    def text(length: int | None = None):
        extra = {} if length is None else {"max_length": length}
        return (TextField if length is None else CharField)(
            default="", constraints=[SQL("DEFAULT ''")], **extra
        )

    migrator = SchemaMigrator.from_database(db)
    columns = {
        "contact": [("department", text(100)), ("im_id", text(100)), ("birthday", text(10))],
        "interaction": [
            (
                "contact_id",
                ForeignKeyField(Contact, field=Contact.id, null=True, on_delete="SET NULL"),
            ),
            ("contact_name", text(200)),
        ],
        "account_plan": [
            ("target_amount", MoneyField(null=True)),
            *((name, text()) for name in ("strengths", "weaknesses", "opportunities", "threats")),
            (
                "updated_by_id",
                ForeignKeyField(User, field=User.id, null=True, on_delete="SET NULL"),
            ),
        ],
        "survey": [("comment", text())],
    }
    operations = []
    for table, wanted in columns.items():
        have = {column.name for column in db.get_columns(table)}
        operations += [
            migrator.alter_add_column(table, name, field, allow_not_null=True)
            for name, field in wanted
            if name not in have
        ]
    if not _is_sqlite(db):  # several numbers now fit (SQLite never limited the length)
        operations.append(migrator.alter_column_type("contact", "phone", TextField()))
    migrate(*operations)
    db.create_tables([SurveyScore, Target], safe=True)
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "interaction_contact_id" ON "interaction" '
        '("contact_id") WHERE "contact_id" IS NOT NULL'
    )
    # each rep's orders in a target's period from the index alone; it leads with the rep, so
    # the rep's own index goes
    db.execute_sql('DROP INDEX IF EXISTS "sales_order_by_id"')
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "sales_order_by_id_on_amount" '
        'ON "sales_order" ("by_id", "on", "amount")'
    )
    _write_search_documents(only_with_contacts=True)


def _v10_sort_names(db: peewee.Database) -> None:
    """v10: customers sort by the pinyin of their names (周, 唐, 孔, 孙 as zhou, tang, kong,
    sun), read from a stored, indexed sort key."""
    from crmtui.search import sort_key  # an upgrade step only: off every start

    # Plain ALTER TABLE: peewee's SQLite migrator rebuilds the table for a NOT NULL column,
    # which would drop the search index's triggers.
    if "sort_name" not in {column.name for column in db.get_columns("customer")}:
        db.execute_sql('ALTER TABLE "customer" ADD COLUMN "sort_name" TEXT NOT NULL DEFAULT \'\'')
    rows = Customer.select(Customer.id, Customer.name).tuples()
    mark = database.param
    database.cursor().executemany(
        f'UPDATE "customer" SET "sort_name" = {mark} WHERE "id" = {mark}',
        [(sort_key(name), customer_id) for customer_id, name in rows],
    )
    db.execute_sql('CREATE INDEX IF NOT EXISTS "customer_sort_name" ON "customer" ("sort_name")')


TERMINATED_BY_STATUS = "relationship status was terminated"  # stored English (labels.STORED)
RESCHEDULE_ALL = "reschedule_all"
"""A Setting: every customer's next due is recomputed by the next daily catch-up (which knows
the user's settings; a migration does not)."""
CAUGHT_UP = "lifecycle_caught_up_on"
"""A Setting: the day lifecycles and value classes were last caught up (services.lifecycle)."""
REVENUE_COUNTED = "revenue_counts"
"""A Setting: what the stored revenue counts now (orders unless set), so a change of
`[revenue] counts` is noticed and every customer recounted once (services.receivables)."""


def _v11_lifecycle(db: peewee.Database) -> None:
    """v11: the customer lifecycle, value classes, maintenance visits and wins (客户维护).

    Adds the columns and tables, then fills them from what is stored: the order facts of every
    customer (last order, regular_until, profit = revenue, since no order has a cost yet), the
    lifecycle (`prospect` or `customer` by their orders; `terminated` where the relationship
    status a user set was terminated, with that as its reason — the status itself is kept as
    typed), the value class by revenue (the 80/20 tiers), and the follow-up count of the open
    opportunity (outbound answered contacts after the first, since the last order: every past
    sale is taken to have closed an opportunity). Lapsing and the new next due dates, which
    depend on the day and the team's settings, are left to the first daily catch-up.
    """
    from playhouse.migrate import SchemaMigrator, migrate  # an upgrade step only: off every start

    def text(default: str, length: int | None = None):
        field = TextField if length is None else CharField
        extra = {} if length is None else {"max_length": length}
        return field(default=default, constraints=[SQL(f"DEFAULT '{default}'")], **extra)

    migrator = SchemaMigrator.from_database(db)
    columns = {
        "customer": [
            ("lifecycle", text("prospect", 12)),
            ("lifecycle_reason", text("")),
            ("value_class", text("none", 12)),
            ("class_pinned", BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])),
            ("class_reason", text("")),
            ("due_rule", text("first_contact", 16)),
            ("last_order_on", IsoDateField(null=True)),
            ("regular_until", IsoDateField(null=True)),
            ("opportunity_since", UtcDateTimeField(null=True)),
            ("profit", BigIntegerField(default=0, constraints=[SQL("DEFAULT 0")])),
        ],
        "sales_order": [("cost", BigIntegerField(null=True))],
    }
    operations = []
    for table, wanted in columns.items():
        have = {column.name for column in db.get_columns(table)}
        operations += [
            migrator.alter_add_column(table, name, field, allow_not_null=True)
            for name, field in wanted
            if name not in have
        ]
    migrate(*operations)
    db.create_tables([Win, CustomerChange], safe=True)
    for statement in (
        'CREATE INDEX IF NOT EXISTS "customer_lifecycle_last_order_on" '
        'ON "customer" ("lifecycle", "last_order_on")',
        'CREATE INDEX IF NOT EXISTS "customer_profit_desc" ON "customer" ("profit" DESC)',
    ):
        db.execute_sql(statement)
    _v11_fill()
    Setting.insert(key=RESCHEDULE_ALL, value="1").on_conflict(
        conflict_target=[Setting.key], update={Setting.value: "1"}
    ).execute()


def _v11_fill() -> None:
    mark = database.param
    days: dict[int, list] = {}
    for customer_id, day in (
        Order.select(Order.customer, Order.on)
        .order_by(Order.customer, Order.on)
        .tuples()
        .iterator()
    ):
        days.setdefault(customer_id, []).append(day)
    # the open opportunity started after the day of the last sale (UTC: the zone is unknown)
    since = {
        cid: datetime.combine(found[-1] + timedelta(days=1), time(0), timezone.utc)
        - timedelta(seconds=1)
        for cid, found in days.items()
    }
    counted = (Interaction.direction == "out") & (Interaction.outcome != "no_answer")
    contacts: dict[int, int] = {}
    query = (
        Interaction.select(Interaction.customer, Interaction.at)
        .where(counted)
        .order_by(Interaction.customer)
    )
    for customer_id, at in query.tuples().iterator():
        opened = since.get(customer_id)
        if opened is None or at > opened:
            contacts[customer_id] = contacts.get(customer_id, 0) + 1
    customers = list(
        Customer.select(Customer.id, Customer.status, Customer.revenue.coerce(False)).tuples()
    )
    tiers = value_tiers({cid: cents for cid, _status, cents in customers if cents})
    rows = []
    for customer_id, status, cents in customers:
        found = days.get(customer_id)
        lifecycle = "terminated" if status == "terminated" else "customer" if found else "prospect"
        regular = regular_until(found) if found else None
        rows.append(
            (
                lifecycle,
                TERMINATED_BY_STATUS if lifecycle == "terminated" else "",
                str(tiers.get(customer_id, Tier.NONE)),
                found[-1].isoformat() if found else None,
                regular.isoformat() if regular else None,
                Customer.opportunity_since.db_value(since.get(customer_id)),
                int(cents or 0),
                max(0, contacts.get(customer_id, 0) - 1),
                customer_id,
            )
        )
    database.cursor().executemany(
        f'UPDATE "customer" SET "lifecycle" = {mark}, "lifecycle_reason" = {mark}, '
        f'"value_class" = {mark}, "last_order_on" = {mark}, "regular_until" = {mark}, '
        f'"opportunity_since" = {mark}, "profit" = {mark}, "followups" = {mark} '
        f'WHERE "id" = {mark}',
        rows,
    )
    now = datetime.now(timezone.utc)
    terminated = [
        (cid, now, now.date(), "lifecycle", "", "terminated", TERMINATED_BY_STATUS, None)
        for cid, status, _cents in customers
        if status == "terminated"
    ]
    if terminated:
        CustomerChange.insert_many(
            terminated,
            fields=[
                CustomerChange.customer,
                CustomerChange.at,
                CustomerChange.on,
                CustomerChange.what,
                CustomerChange.from_value,
                CustomerChange.to_value,
                CustomerChange.reason,
                CustomerChange.by,
            ],
        ).execute()


def _v12_period_indexes(db: peewee.Database) -> None:
    """v12: the order and win date indexes also hold the customer and the follow-ups, so
    retention and the wins' follow-up stages read a period from the index alone."""
    db.execute_sql('DROP INDEX IF EXISTS "sales_order_on"')
    db.execute_sql('DROP INDEX IF EXISTS "win_on"')
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "sales_order_on_customer_id" '
        'ON "sales_order" ("on", "customer_id")'
    )
    db.execute_sql('CREATE INDEX IF NOT EXISTS "win_on_followups" ON "win" ("on", "followups")')


def _v13_team_figures(db: peewee.Database) -> None:
    """v13: indexes the manager's figures read instead of the rows: the pipeline (open
    opportunities by grade and close month), each rep's wins in a period (leading with the
    rep, so the rep's own index goes), the prospects each rep won as customers, and a period's
    targets."""
    db.execute_sql('DROP INDEX IF EXISTS "win_by_id"')
    db.execute_sql('DROP INDEX IF EXISTS "target_starts_on_ends_on"')
    for statement in (
        'CREATE INDEX IF NOT EXISTS "target_period_user_id" ON "target" ("period", "user_id")',
        'CREATE INDEX IF NOT EXISTS "customer_need_grade_expected_close_expected_amount_status" '
        'ON "customer" ("need", "grade", "expected_close", "expected_amount", "status")',
        'CREATE INDEX IF NOT EXISTS "win_by_id_on_amount" ON "win" ("by_id", "on", "amount")',
        'CREATE INDEX IF NOT EXISTS "customer_change_what_to_value_from_value_on_by_id" '
        'ON "customer_change" ("what", "to_value", "from_value", "on", "by_id")',
    ):
        db.execute_sql(statement)


def _v14_appointments(db: peewee.Database) -> None:
    """v14: appointments (拜访计划): visits, calls and meetings at a time, with their purpose,
    preparation and the review after them."""

    db.create_tables([Appointment], safe=True)


CORRECTABLE_TABLES = ("interaction", "commitment", "sales_order", "care_date", "survey")
"""The records a user corrects or removes (`crmtui edit`, `crmtui rm`, the profile's tabs)."""


def _v15_corrections(db: peewee.Database) -> None:
    """v15: interactions, promises, orders, care dates and surveys carry a version, so a
    correction saved over a newer one is refused; every change to a customer's records is kept
    (who, when, each field before and after) for the history and for undo."""

    for table in CORRECTABLE_TABLES:
        if "version" not in {column.name for column in db.get_columns(table)}:
            # plain ALTER TABLE: the same statement on both backends, no table rebuilt
            db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1')
    db.create_tables([ChangeSet, FieldChange], safe=True)


def _v16_instructions(db: peewee.Database) -> None:
    """v16: the manager's instructions to reps about customers (上级指令)."""

    db.create_tables([Instruction], safe=True)


def _v17_receivables(db: peewee.Database) -> None:
    """v17: orders followed through delivery and payment (回款). Orders gain a planned and an
    actual delivery day, a delivery state, what was paid and what is still owed (and since
    when); payments are kept one by one. Orders recorded before this version are taken as
    delivered on their day and paid in full then (a payment each, by whoever booked the order),
    so an existing database does not wake up to years of receivables no one tracked."""

    have = {column.name for column in db.get_columns("sales_order")}
    for name, definition in (
        ("deliver_on", "DATE"),
        ("delivered_on", "DATE"),
        ("delivery", "VARCHAR(16) NOT NULL DEFAULT 'ordered'"),
        ("paid", "BIGINT NOT NULL DEFAULT 0"),
        ("owed", "BIGINT NOT NULL DEFAULT 0"),
        ("owed_since", "DATE"),
    ):
        if name not in have:
            db.execute_sql(f'ALTER TABLE "sales_order" ADD COLUMN "{name}" {definition}')
    db.create_tables([Payment], safe=True)
    db.execute_sql(
        'INSERT INTO "payment" ("order_id", "customer_id", "on", "amount", "method", '
        '"note", "by_id", "at") SELECT "id", "customer_id", "on", "amount", '
        '\'other\', \'\', "by_id", "created_at" FROM "sales_order" '
        'WHERE "delivery" = \'ordered\' AND "paid" = 0'
    )
    db.execute_sql(
        'UPDATE "sales_order" SET "delivery" = \'delivered\', '
        '"delivered_on" = "on", "paid" = "amount", "owed" = 0, "owed_since" = "on" '
        'WHERE "delivery" = \'ordered\' AND "paid" = 0'
    )
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "sales_order_owing" ON "sales_order" '
        '("owed_since", "customer_id", "owed") WHERE ("owed" > 0)'
    )
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "sales_order_pending_delivery" ON "sales_order" '
        '("deliver_on", "customer_id") '
        "WHERE (\"delivery\" IN ('ordered', 'partly_delivered'))"
    )


def _v18_revenue_rank(db: peewee.Database) -> None:
    """v18: the revenue indexes hold the customer's id after the revenue, so the 80/20
    ranking (revenue, then id) is read from the index alone: on PostgreSQL with a million
    customers the team's pareto figures took seconds of table reads."""
    db.execute_sql('DROP INDEX IF EXISTS "customer_revenue_desc"')
    db.execute_sql('DROP INDEX IF EXISTS "customer_owner_id_revenue_desc"')
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "customer_revenue_desc_id" ON "customer" ("revenue" DESC, "id")'
    )
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "customer_owner_id_revenue_desc_id" '
        'ON "customer" ("owner_id", "revenue" DESC, "id")'
    )


def _v19_figures(db: peewee.Database) -> None:
    """v19: figures the database keeps itself (crmtui.db.figures): what is owed per owner and
    day, kept by triggers on every write, so the receivables read a few rows per rep where
    they joined every order still owed to its customer. Filled in one statement."""
    create_figures(db)
    fill_figures(db)


# version -> the step that brings a database from version-1 to version
MIGRATIONS: dict[int, Callable[[peewee.Database], None]] = {
    2: _v2_search_index,
    3: _v3_owner_indexes,
    4: _v4_care_greeted,
    5: _v5_dashboard_indexes,
    6: _v6_holiday_greetings,
    7: _v7_named_search_documents,
    8: _v8_audit_chain,
    9: _v9_accounts,
    10: _v10_sort_names,
    11: _v11_lifecycle,
    12: _v12_period_indexes,
    13: _v13_team_figures,
    14: _v14_appointments,
    15: _v15_corrections,
    16: _v16_instructions,
    17: _v17_receivables,
    18: _v18_revenue_rank,
    19: _v19_figures,
}


def schema_version(db: peewee.Database) -> int | None:
    """The stored version; None for an empty database."""
    tables = set(db.get_tables())
    if not tables:
        return None
    if "schema_version" not in tables:
        raise StorageError(
            _("{database} is not a crmtui database (it holds other tables: {tables})").format(
                database=db.database, tables=", ".join(sorted(tables)[:4])
            )
        )
    row = SchemaVersion.select().first()
    if row is None:
        raise StorageError(
            _("{database} has no schema version; it was not made by crmtui").format(
                database=db.database
            )
        )
    return row.version


def ensure_schema(store, *, migrate: bool = True) -> None:
    """Create, check or upgrade the schema of an open store."""
    db = store.db
    try:
        version = schema_version(db)
    except peewee.DatabaseError as error:
        if store.path is not None:
            raise corrupt_error(store.path, error) from None
        raise StorageError(
            _("cannot read {target}: {error}").format(target=store.target, error=error)
        ) from None
    if version is None:
        if store.readonly:
            raise StorageError(
                _("{target} is empty and read-only; nothing to show").format(target=store.target)
            )
        _create_latest(db)
        return
    if version > LATEST_VERSION:
        raise StorageError(
            _(
                "{target} was written by a newer crmtui (schema {version}; this crmtui knows up to "
                "{latest}); upgrade crmtui to open it"
            ).format(target=store.target, version=version, latest=LATEST_VERSION)
        )
    if version < LATEST_VERSION:
        team = getattr(store, "team", None)
        if team is not None and not team.is_owner:
            raise StorageError(
                _(
                    "{target} uses schema {version} and needs an upgrade to {latest}; the "
                    "database owner ({owner}) runs `crmtui db migrate`"
                ).format(
                    target=store.target, version=version, latest=LATEST_VERSION, owner=team.owner
                )
            )
        if store.readonly or not migrate:
            raise StorageError(
                _(
                    "{target} uses schema {version} and needs an upgrade to {latest}; run "
                    "`crmtui db migrate` with write access"
                ).format(target=store.target, version=version, latest=LATEST_VERSION)
            )
        upgrade(store, version)


def _create_latest(db: peewee.Database) -> None:
    with schema_transaction():
        if schema_version(db) is not None:  # another process created it meanwhile
            return
        db.create_tables(MODELS)
        create_search_index(db)
        create_figures(db)
        SchemaVersion.create(version=LATEST_VERSION)


def upgrade(store, version: int) -> None:
    """Back up, then apply each step in one transaction per version."""
    if store.path is not None:
        backup = backup_sqlite(store.db, store.path, label=f"schema{version}")
        store.notices.append(
            _(
                "upgraded the database from schema {version} to {latest}; the previous file is "
                "kept at {backup}"
            ).format(version=version, latest=LATEST_VERSION, backup=backup)
        )
    for target in range(version + 1, LATEST_VERSION + 1):
        with schema_transaction():
            current = SchemaVersion.select().first().version
            if current >= target:  # another process upgraded it meanwhile
                continue
            MIGRATIONS[target](store.db)
            SchemaVersion.update(version=target).execute()
            if getattr(store, "team", None) is not None:  # new tables get grants and policies
                apply_team_mode(store.db)


__all__ = [
    "LATEST_VERSION",
    "MIGRATIONS",
    "ensure_schema",
    "schema_version",
    "FTS_TABLE",
    "database",
]
