"""The steps that bring an older database's schema up to date, one per version: new tables,
columns and indexes, and what they need filled in. Loaded only when a database needs an upgrade
(crmtui.db.migrations runs them in order, after a backup)."""

from __future__ import annotations

from collections.abc import Callable

import peewee
from peewee import ForeignKeyField, TextField
from playhouse.migrate import SchemaMigrator, migrate

from crmtui.db.audit_chain import chain_existing
from crmtui.db.bulk import deferred_indexes
from crmtui.db.fields import IsoDateField, MoneyField
from crmtui.db.figures import TALLIES, create_figures, fill_figures
from crmtui.db.grade_days import create_grade_days, fill_grade_days
from crmtui.db.models import (
    Appointment,
    AuditLog,
    CareDate,
    ChangeSet,
    Contact,
    Customer,
    FieldChange,
    GradeChange,
    HolidayGreeting,
    Instruction,
    Order,
    Payment,
    SurveyScore,
    Target,
    User,
    database,
)
from crmtui.db.rows import tuple_rows
from crmtui.db.search import FTS_TABLE, create_search_index
from crmtui.db.upgrade_columns import missing_columns, text_column
from crmtui.db.upgrade_lifecycle import v11_lifecycle
from crmtui.search import search_document, sort_key


def is_sqlite(db: peewee.Database) -> bool:
    return isinstance(db, peewee.SqliteDatabase)


def write_search_documents(*, only_with_contacts: bool = False) -> None:
    people: dict[int, list[tuple[str, str, str]]] = {}
    if "contact" in database.get_tables():
        contacts = Contact.select(
            Contact.customer, Contact.name, Contact.phone, Contact.email
        ).order_by(Contact.id)
        for customer_id, name, phone, email in tuple_rows(contacts, tuple[int, str, str, str]):
            people.setdefault(customer_id, []).append((name, phone, email))
    customers = Customer.select(
        Customer.id,
        Customer.name,
        Customer.company,
        Customer.phones,
        Customer.email,
        Customer.im_id,
        Customer.tags,
    )
    documents = [
        (
            search_document(
                name, company, phones, email, im_id, tags, contacts=people.get(customer_id, ())
            ),
            customer_id,
        )
        for customer_id, name, company, phones, email, im_id, tags in tuple_rows(
            customers, tuple[int, str, str, str, str, str, str]
        )
        if customer_id in people or not only_with_contacts
    ]
    mark = database.param
    database.cursor().executemany(
        f'UPDATE "customer" SET "search_doc" = {mark} WHERE "id" = {mark}', documents
    )


def v2_search_index(db: peewee.Database) -> None:
    """v2: full-text search over names, companies, phones, e-mail and pinyin keys."""
    write_search_documents()
    create_search_index(db)
    if is_sqlite(db):
        db.execute_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def v3_owner_indexes(db: peewee.Database) -> None:
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


def v4_care_greeted(db: peewee.Database) -> None:
    """v4: care dates remember when the greeting was logged, so it leaves the due list."""
    table = CareDate._meta.table_name
    if "greeted_on" not in {column.name for column in db.get_columns(table)}:
        migrate(
            SchemaMigrator.from_database(db).add_column(table, "greeted_on", CareDate.greeted_on)
        )


def v5_dashboard_indexes(db: peewee.Database) -> None:
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


def v6_holiday_greetings(db: peewee.Database) -> None:
    """v6: holiday greetings sent, so a customer leaves that holiday's greeting list."""

    db.create_tables([HolidayGreeting], safe=True)


def v7_named_search_documents(db: peewee.Database) -> None:
    """v7: search documents mark where the name's tokens end, so a name match ranks first."""
    with deferred_indexes([]):  # the index is rebuilt once, not updated row by row
        write_search_documents()


def v8_audit_chain(db: peewee.Database) -> None:
    """v8: audit entries carry a hash chain (SQLite), so a deleted or edited entry shows."""

    table = AuditLog._meta.table_name
    if "hash" not in {column.name for column in db.get_columns(table)}:
        migrate(SchemaMigrator.from_database(db).add_column(table, "hash", AuditLog.hash))
    if is_sqlite(db):
        chain_existing(db)


def v9_accounts(db: peewee.Database) -> None:
    """v9: key accounts (重点客户). Contacts gain a department, IM id and birthday, and several
    phone numbers in the one column; an interaction names the contact spoken to; account plans
    gain a yearly target amount and strengths, weaknesses, opportunities and threats; surveys
    a comment and scores on dimensions the team configures; reps get targets, and orders an
    index by the rep who booked them. Customers with contacts get search documents that hold
    them."""

    migrator = SchemaMigrator.from_database(db)
    columns = {
        "contact": [
            ("department", text_column(length=100)),
            ("im_id", text_column(length=100)),
            ("birthday", text_column(length=10)),
        ],
        "interaction": [
            (
                "contact_id",
                ForeignKeyField(Contact, field=Contact.id, null=True, on_delete="SET NULL"),
            ),
            ("contact_name", text_column(length=200)),
        ],
        "account_plan": [
            ("target_amount", MoneyField(null=True)),
            *(
                (name, text_column())
                for name in ("strengths", "weaknesses", "opportunities", "threats")
            ),
            (
                "updated_by_id",
                ForeignKeyField(User, field=User.id, null=True, on_delete="SET NULL"),
            ),
        ],
        "survey": [("comment", text_column())],
    }
    operations = missing_columns(db, migrator, columns)
    if not is_sqlite(db):  # several numbers now fit (SQLite never limited the length)
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
    write_search_documents(only_with_contacts=True)


def v10_sort_names(db: peewee.Database) -> None:
    """v10: customers sort by the pinyin of their names (周, 唐, 孔, 孙 as zhou, tang, kong,
    sun), read from a stored, indexed sort key."""
    # Plain ALTER TABLE: peewee's SQLite migrator rebuilds the table for a NOT NULL column,
    # which would drop the search index's triggers.
    if "sort_name" not in {column.name for column in db.get_columns("customer")}:
        db.execute_sql('ALTER TABLE "customer" ADD COLUMN "sort_name" TEXT NOT NULL DEFAULT \'\'')
    rows = tuple_rows(Customer.select(Customer.id, Customer.name), tuple[int, str])
    mark = database.param
    database.cursor().executemany(
        f'UPDATE "customer" SET "sort_name" = {mark} WHERE "id" = {mark}',
        [(sort_key(name), customer_id) for customer_id, name in rows],
    )
    db.execute_sql('CREATE INDEX IF NOT EXISTS "customer_sort_name" ON "customer" ("sort_name")')


def v12_period_indexes(db: peewee.Database) -> None:
    """v12: the order and win date indexes also hold the customer and the follow-ups, so
    retention and the wins' follow-up stages read a period from the index alone."""
    db.execute_sql('DROP INDEX IF EXISTS "sales_order_on"')
    db.execute_sql('DROP INDEX IF EXISTS "win_on"')
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "sales_order_on_customer_id" '
        'ON "sales_order" ("on", "customer_id")'
    )
    db.execute_sql('CREATE INDEX IF NOT EXISTS "win_on_followups" ON "win" ("on", "followups")')


def v13_team_figures(db: peewee.Database) -> None:
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


def v14_appointments(db: peewee.Database) -> None:
    """v14: appointments (拜访计划): visits, calls and meetings at a time, with their purpose,
    preparation and the review after them."""

    db.create_tables([Appointment], safe=True)


CORRECTABLE_TABLES = ("interaction", "commitment", "sales_order", "care_date", "survey")
"""The records a user corrects or removes (`crmtui edit`, `crmtui rm`, the profile's tabs)."""


def v15_corrections(db: peewee.Database) -> None:
    """v15: interactions, promises, orders, care dates and surveys carry a version, so a
    correction saved over a newer one is refused; every change to a customer's records is kept
    (who, when, each field before and after) for the history and for undo."""

    for table in CORRECTABLE_TABLES:
        if "version" not in {column.name for column in db.get_columns(table)}:
            # plain ALTER TABLE: the same statement on both backends, no table rebuilt
            db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1')
    db.create_tables([ChangeSet, FieldChange], safe=True)


def v16_instructions(db: peewee.Database) -> None:
    """v16: the manager's instructions to reps about customers (上级指令)."""

    db.create_tables([Instruction], safe=True)


def v17_receivables(db: peewee.Database) -> None:
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


def v18_revenue_rank(db: peewee.Database) -> None:
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


def v19_figures(db: peewee.Database) -> None:
    """v19: figures the database keeps itself (crmtui.db.figures): what is owed per owner and
    day, kept by triggers on every write, so the receivables read a few rows per rep where
    they joined every order still owed to its customer. Filled in one statement."""
    create_figures(db)
    fill_figures(db)


def v20_order_figures(db: peewee.Database) -> None:
    """v20: more figures the database keeps (crmtui.db.figures) for the team's dashboard:
    customers per owner and lifecycle (the lapsed count), per owner and next due day (overdue
    and missed follow-ups), the orders per day by their customer's lifecycle (what the lapsed
    bought), and the buying days by the previous one (retention). Filled set-based."""
    create_figures(db)
    fill_figures(db, only=("lifecycle_tally", "due_tally", "order_day", "buy_day"))


def v21_revenue_bands(db: peewee.Database) -> None:
    """v21: the team's customers and revenue per band of revenue, kept by the database
    (crmtui.db.figures), so the 80/20 ranking reads only the bands where its figures fall.
    Filled set-based."""
    create_figures(db)
    fill_figures(db, only=("revenue_tally",))


def v22_at_risk_index(db: peewee.Database) -> None:
    """v22: the drop risks read from an index holding the columns they list (crmtui.db.figures)."""
    create_figures(db)


def v23_people_sort_names(db: peewee.Database) -> None:
    """v23: people sort by a stored key, as customers do (v10), so the dashboard's reps and the
    complaint handlers are listed without loading pinyin."""
    if "sort_name" not in {column.name for column in db.get_columns("user")}:
        db.execute_sql('ALTER TABLE "user" ADD COLUMN "sort_name" TEXT NOT NULL DEFAULT \'\'')
    rows = db.execute_sql('SELECT "id", "display_name", "login" FROM "user"').fetchall()
    mark = database.param
    database.cursor().executemany(
        f'UPDATE "user" SET "sort_name" = {mark} WHERE "id" = {mark}',
        [(sort_key(name or login), user_id) for user_id, name, login in rows],
    )


def v24_rep_order_days(db: peewee.Database) -> None:
    """v24: the orders each user booked per day, kept by the database (crmtui.db.figures), so
    the targets and the reps side by side sum a few rows per rep where they read every order of
    the period. Filled set-based."""
    create_figures(db)
    fill_figures(db, only=("rep_order_day",))


def v25_grade_days(db: peewee.Database) -> None:
    """v25: each grade change holds the days of its customer's changes next to it, kept by the
    database (crmtui.db.grade_days), so the dashboard's movement groups only the customers with
    more than one change in the period; the movement index holds them too. Filled set-based."""
    migrator = SchemaMigrator.from_database(db)
    day = {"prev_on": IsoDateField(null=True), "next_on": IsoDateField(null=True)}
    migrate(*missing_columns(db, migrator, {"grade_change": list(day.items())}))
    fill_grade_days(db)
    db.execute_sql('DROP INDEX IF EXISTS "grade_change_on_customer_id_from_grade_to_grade"')
    db.execute_sql(
        "CREATE INDEX IF NOT EXISTS "
        '"grade_change_on_customer_id_from_grade_to_grade_prev_on_next_on" '
        'ON "grade_change" ("on", "customer_id", "from_grade", "to_grade", "prev_on", "next_on")'
    )
    create_grade_days(db)


def v26_rep_interaction_days(db: peewee.Database) -> None:
    """v26: the interactions each user logged per UTC day, kept by the database
    (crmtui.db.figures), so each rep side by side sums a few rows per rep where it read every
    interaction of the period; on PostgreSQL, indexes giving each customer's owner without the
    customer's row and the period's survey scores (complaints and CSI per owner). Filled
    set-based."""
    create_figures(db)
    fill_figures(db, only=("rep_interaction_day",))


def v27_grade_move_indexes(db: peewee.Database) -> None:
    """v27: the dashboard's movement reads the changes that moved a customer and those that
    added one from two partial indexes (crmtui.db.models.history), in place of one over both."""
    db.execute_sql(
        'DROP INDEX IF EXISTS "grade_change_on_customer_id_from_grade_to_grade_prev_on_next_on"'
    )
    db.create_tables([GradeChange], safe=True)  # its missing indexes: the two above


def v28_fewer_customer_indexes(db: peewee.Database) -> None:
    """v28: a contact logged moves the customer's due days, so its new row version goes into
    every index of the customer: drop the four no query needs (name: lists sort by sort_name;
    cadence_due: the owner's, the drop risks' and the stages' indexes serve its queries;
    (source, deal_status): the team's conversion is kept in source_tally, an owner's counted
    from the owner's index; updated_by: users are never deleted), and index only the customers
    someone referred (crmtui.db.models.archive)."""
    for name in (
        "customer_name",
        "customer_cadence_due",
        "customer_source_deal_status",
        "customer_updated_by_id",
        "customer_referred_by_id",
    ):
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
    db.create_tables([Customer], safe=True)  # its missing index: the referrals' partial one


def v29_owed_orders_index(db: peewee.Database) -> None:
    """v29: the owed orders' index holds the order's day too, so Today's overdue payments (a
    team has thousands) are read from it and the customers alone."""
    db.execute_sql('DROP INDEX IF EXISTS "sales_order_owing"')
    db.create_tables([Order], safe=True)  # its missing index: the one above


def v30_tallies_emptied_only_counting_out(db: peewee.Database) -> None:
    """v30: the customer tallies' triggers delete an emptied count only after counting a
    customer out, on PostgreSQL only when that count reached 0 (every logged contact moves its
    customer's due day: two deletes that could find nothing). The triggers are written again."""
    if is_sqlite(db):  # (SQLite's are created only where missing)
        for tally in TALLIES:
            for event in ("insert", "update", "delete"):
                db.execute_sql(f'DROP TRIGGER IF EXISTS "figures_{tally.table}_{event}"')
    create_figures(db)


# version -> the step that brings a database from version-1 to version
MIGRATIONS: dict[int, Callable[[peewee.Database], None]] = {
    2: v2_search_index,
    3: v3_owner_indexes,
    4: v4_care_greeted,
    5: v5_dashboard_indexes,
    6: v6_holiday_greetings,
    7: v7_named_search_documents,
    8: v8_audit_chain,
    9: v9_accounts,
    10: v10_sort_names,
    11: v11_lifecycle,
    12: v12_period_indexes,
    13: v13_team_figures,
    14: v14_appointments,
    15: v15_corrections,
    16: v16_instructions,
    17: v17_receivables,
    18: v18_revenue_rank,
    19: v19_figures,
    20: v20_order_figures,
    21: v21_revenue_bands,
    22: v22_at_risk_index,
    23: v23_people_sort_names,
    24: v24_rep_order_days,
    25: v25_grade_days,
    26: v26_rep_interaction_days,
    27: v27_grade_move_indexes,
    28: v28_fewer_customer_indexes,
    29: v29_owed_orders_index,
    30: v30_tallies_emptied_only_counting_out,
}
