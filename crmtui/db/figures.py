"""Figures the database keeps up to date itself: small aggregate tables that triggers on the
tables they sum maintain in the transaction of every write, whoever writes (the services, an
import, another process, raw SQL), so the dashboard reads a few hundred rows where it would
scan history.

- `owed_day`: per owner (of the customer) and day owed since, what is owed on the orders still
  owed and how many they are — the receivables, aged at read time.
- `pipeline_day`: per grade and day of the expected close, the team's open opportunities (need
  clear, not terminated, an expected amount, grade A–D) and their expected amount; a customer
  with no expected close counts on NO_CLOSE_DAY.
- `grade_tally`, `stage_tally`, `source_tally`, `lifecycle_tally`, `due_tally`,
  `revenue_tally`: customers per owner and grade, the team's open customers per grade and
  follow-ups, the team's customers per source and deal status, customers per owner and
  lifecycle, per owner, next due day and whether anyone chases them, and the team's customers
  and revenue per band of revenue (`Tally` below: counts of customers, one generated trigger
  set each).
- `order_day`: the team's orders per day by the lifecycle their customer is in now.
- `rep_order_day`: the orders each user booked per day (targets, each rep side by side).
- `rep_interaction_day`: the interactions each user logged per UTC day (its SQL beside).
- `buy_day`: each (customer, day) with orders counted by that day and the customer's previous
  buying day (LONG_AGO beyond PREVIOUS_WITHIN days; both, and the SQL of these two, in
  crmtui.db.order_figures): retention counts from it. Its triggers look at the customer's
  neighbouring orders, so on PostgreSQL they run BEFORE each row, where a statement's earlier
  rows are already visible (AFTER row triggers all see its end).

Deleting a customer first clears what its orders owe and then deletes its orders (BEFORE DELETE
triggers), so the figures never depend on whether the cascading deletes of its orders still see
the customer.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from typing import NamedTuple

import peewee

from crmtui.db import interaction_figures as interactions
from crmtui.db.dialect_ddl import run_dialect_ddl
from crmtui.db.grade_days import TRIGGER_INDEX as GRADE_DAYS_INDEX
from crmtui.db.models import (
    BuyDay,
    DueTally,
    GradeTally,
    LifecycleTally,
    OrderDay,
    OwedDay,
    PipelineDay,
    RepInteractionDay,
    RepOrderDay,
    RevenueTally,
    SourceTally,
    StageTally,
)
from crmtui.db.order_figures import (
    ORDER_DAY_COLUMNS,
    ORDER_DAY_FROM_SCRATCH,
    ORDER_DAY_MOVED,
    REP_ORDER_DAY_COLUMNS,
    REP_ORDER_DAY_FROM_SCRATCH,
    REP_ORDER_DAY_MOVED,
    buy_change,
    buy_day_from_scratch,
    lifecycle_moved,
    order_day_change,
    rep_order_day_change,
)

NO_CLOSE_DAY = date(1, 1, 1)
"""pipeline_day's day for the opportunities with no expected close (a key cannot be NULL)."""

_OWED_KEY = 'COALESCE({row}."owed_since", {row}."on")'

_OWED_FROM_SCRATCH = (
    'SELECT c."owner_id", COALESCE(o."owed_since", o."on") AS "day", SUM(o."owed"), COUNT(*) '
    'FROM "sales_order" o JOIN "customer" c ON c."id" = o."customer_id" '
    'WHERE o."owed" > 0 GROUP BY c."owner_id", COALESCE(o."owed_since", o."on")'
)

_OPEN = (
    "{row}.\"need\" = 'clear' AND {row}.\"status\" <> 'terminated' "
    "AND {row}.\"expected_amount\" IS NOT NULL AND {row}.\"grade\" IN ('A', 'B', 'C', 'D')"
)
"""A customer counted in the pipeline (services.pipeline's open opportunity)."""

_PIPELINE_COLUMNS = '"grade", "close_on", "customers", "amount"'


def _close_on(row: str, sqlite: bool) -> str:
    none = f"'{NO_CLOSE_DAY.isoformat()}'" if sqlite else f"DATE '{NO_CLOSE_DAY.isoformat()}'"
    return f'COALESCE({row}."expected_close", {none})'


def _pipeline_from_scratch(sqlite: bool) -> str:
    day = _close_on("c", sqlite)
    return (
        f'SELECT c."grade", {day}, COUNT(*), SUM(c."expected_amount") '
        f'FROM "customer" c WHERE {_OPEN.format(row="c")} GROUP BY c."grade", {day}'
    )


def _pipeline_change(row: str, sign: str, sqlite: bool) -> str:
    """Add (sign '') or take away (sign '-') the customer `row` in the pipeline."""
    target = '"pipeline_day"' if sqlite else '"pipeline_day" AS p'
    current = "" if sqlite else "p."
    day = _close_on(row, sqlite)
    return (
        f"INSERT INTO {target} ({_PIPELINE_COLUMNS}) "
        f'SELECT {row}."grade", {day}, {sign}1, {sign}{row}."expected_amount" '
        f"WHERE {_OPEN.format(row=row)} "
        'ON CONFLICT ("grade", "close_on") DO UPDATE '
        f'SET "customers" = {current}"customers" + excluded."customers", '
        f'"amount" = {current}"amount" + excluded."amount"; '
        f'DELETE FROM "pipeline_day" WHERE "grade" = {row}."grade" AND "close_on" = {day} '
        'AND "customers" = 0;'
    )


_PIPELINE_MOVED = (
    '({open_old} OR {open_new}) AND (OLD."grade" <> NEW."grade" OR OLD."need" <> NEW."need" '
    'OR OLD."status" <> NEW."status" '
    'OR OLD."expected_amount" {distinct} NEW."expected_amount" '
    'OR OLD."expected_close" {distinct} NEW."expected_close")'
)


def _pipeline_moved(sqlite: bool) -> str:
    return _PIPELINE_MOVED.format(
        open_old=f"({_OPEN.format(row='OLD')})",
        open_new=f"({_OPEN.format(row='NEW')})",
        distinct="IS NOT" if sqlite else "IS DISTINCT FROM",
    )


REVENUE_BAND = (
    'LENGTH(CAST({row}."revenue" AS TEXT)) * 1000 '
    '+ CAST(SUBSTR(CAST({row}."revenue" AS TEXT), 1, 3) AS INTEGER)'
)
"""revenue_tally's band of a revenue in cents: its number of digits and its first three, so
the bands rank as the revenues do and each spans at most 1% of its revenues
(services.figures.sales.revenue_band_range gives a band's range back)."""


class Tally(NamedTuple):
    """A count of customers kept per key: `keys` are (column, SQL expression over the row
    `{row}`), `counted` the condition a customer must meet (over `{row}`), `sums` the
    (column, expression) summed beside the count."""

    table: str
    keys: tuple[tuple[str, str], ...]
    counted: str = "TRUE"
    sums: tuple[tuple[str, str], ...] = ()

    def _sums(self, row: str) -> list[str]:
        return [expression.format(row=row) for _column, expression in self.sums]

    def _keys(self, row: str) -> list[str]:
        return [expression.format(row=row) for _column, expression in self.keys]

    def _when(self, row: str) -> str:
        return f"({self.counted.format(row=row)})"

    def upsert(self, row: str, sign: str, sqlite: bool) -> str:
        """The statement adding the customer `row` to its count (sign '') or taking it out ('-')."""
        columns = ", ".join(f'"{column}"' for column, _expression in self.keys)
        target = f'"{self.table}"' if sqlite else f'"{self.table}" AS t'
        current = "" if sqlite else "t."
        counted = ["customers", *(column for column, _expression in self.sums)]
        values = ", ".join([*self._keys(row), f"{sign}1", *(f"{sign}{e}" for e in self._sums(row))])
        added = ", ".join(f'"{c}" = {current}"{c}" + excluded."{c}"' for c in counted)
        return (
            f"INSERT INTO {target} ({self.columns()}) "
            f"SELECT {values} WHERE {self._when(row)} "
            f"ON CONFLICT ({columns}) DO UPDATE SET {added}"
        )

    def emptied(self, row: str) -> str:
        """The statement deleting the count of the customer `row` once it holds no customer."""
        matches = " AND ".join(
            f'"{column}" = {expression}'
            for (column, _e), expression in zip(self.keys, self._keys(row), strict=True)
        )
        return f'DELETE FROM "{self.table}" WHERE {matches} AND "customers" = 0;'

    def change(self, row: str, sign: str, sqlite: bool) -> str:
        """Count the customer `row` in (sign '') or out (sign '-')."""
        upsert = self.upsert(row, sign, sqlite)
        if not sign:  # counted in: no count can have dropped to 0
            return upsert + "; "
        if sqlite:
            return f"{upsert}; {self.emptied(row)}"
        # only when this count reached 0 (every save that moved a tally looked for one)
        return (
            f'DECLARE remaining bigint; BEGIN {upsert} RETURNING t."customers" '
            f"INTO remaining; IF remaining = 0 THEN {self.emptied(row)} END IF; END; "
        )

    def moved(self, sqlite: bool) -> str:
        """The update trigger's condition: counted before or after, and a key or whether it is
        counted changed."""
        distinct = "IS NOT" if sqlite else "IS DISTINCT FROM"
        changes = [
            f"({old}) {distinct} ({new})"
            for old, new in zip(
                self._keys("OLD") + self._sums("OLD"),
                self._keys("NEW") + self._sums("NEW"),
                strict=True,
            )
        ]
        changes.append(f"{self._when('OLD')} {distinct} {self._when('NEW')}")
        return f"({self._when('OLD')} OR {self._when('NEW')}) AND ({' OR '.join(changes)})"

    def from_scratch(self) -> str:
        keys = ", ".join(self._keys("c"))
        sums = "".join(f", SUM({expression})" for expression in self._sums("c"))
        return (
            f'SELECT {keys}, COUNT(*){sums} FROM "customer" c WHERE {self._when("c")} '
            f"GROUP BY {keys}"
        )

    def columns(self) -> str:
        names = [*(c for c, _e in self.keys), "customers", *(c for c, _e in self.sums)]
        return ", ".join(f'"{name}"' for name in names)

    def sqlite_ddl(self) -> list[str]:
        name = f"figures_{self.table}"
        return [
            f'CREATE TRIGGER IF NOT EXISTS "{name}_insert" AFTER INSERT ON "customer" '
            f"WHEN {self._when('NEW')} BEGIN {self.change('NEW', '', True)} END",
            f'CREATE TRIGGER IF NOT EXISTS "{name}_update" AFTER UPDATE ON "customer" '
            f"WHEN {self.moved(True)} BEGIN {self.change('OLD', '-', True)} "
            f"{self.change('NEW', '', True)} END",
            f'CREATE TRIGGER IF NOT EXISTS "{name}_delete" AFTER DELETE ON "customer" '
            f"WHEN {self._when('OLD')} BEGIN {self.change('OLD', '-', True)} END",
        ]

    def postgres_triggers(self) -> tuple[str, list[tuple[str, str, str, str, str]]]:
        """The function's body, and the triggers (name, table, event, condition, function)."""
        name = f"figures_{self.table}"
        body = (
            f"IF TG_OP <> 'INSERT' THEN {self.change('OLD', '-', False)} END IF; "
            f"IF TG_OP <> 'DELETE' THEN {self.change('NEW', '', False)} END IF; "
        )
        return body, [
            (f"{name}_insert", "customer", "AFTER INSERT", f"WHEN {self._when('NEW')}", name),
            (f"{name}_update", "customer", "AFTER UPDATE", f"WHEN ({self.moved(False)})", name),
            (f"{name}_delete", "customer", "AFTER DELETE", f"WHEN {self._when('OLD')}", name),
        ]


TALLIES = (
    Tally("grade_tally", (("owner_id", '{row}."owner_id"'), ("grade", '{row}."grade"'))),
    Tally(
        "stage_tally",
        (("grade", '{row}."grade"'), ("followups", '{row}."followups"')),
        "{row}.\"grade\" IN ('A', 'B', 'C', 'D') AND {row}.\"status\" <> 'terminated'",
    ),
    Tally(
        "source_tally",
        (("source", "COALESCE({row}.\"source\", '')"), ("deal_status", '{row}."deal_status"')),
    ),
    Tally(
        "lifecycle_tally", (("owner_id", '{row}."owner_id"'), ("lifecycle", '{row}."lifecycle"'))
    ),
    Tally(
        "due_tally",
        (
            ("owner_id", '{row}."owner_id"'),
            ("next_due", '{row}."next_due"'),
            ("chased", "CASE WHEN {row}.\"lifecycle\" = 'terminated' THEN 0 ELSE 1 END"),
        ),
    ),
    Tally(
        "revenue_tally",
        (("band", REVENUE_BAND),),
        '{row}."revenue" > 0',
        (("revenue", '{row}."revenue"'),),
    ),
)


TRIGGER_INDEXES = frozenset({"sales_order_customer_id_on", GRADE_DAYS_INDEX})
"""Indexes the triggers look up for every row written: a bulk load keeps them (without the
(customer, day) index, each order's buy_day trigger would read every order)."""

_BUY_DAY_MOVED = 'OLD."on" <> NEW."on" OR OLD."customer_id" <> NEW."customer_id"'

_ORDERS_GO_FIRST = 'DELETE FROM "sales_order" WHERE "customer_id" = OLD."id"; '
"""A customer's orders are deleted before the customer (not by the cascade after it), so the
order figures' triggers still see whose they were, on either database."""

FIGURE_TABLES = (
    "owed_day",
    "pipeline_day",
    *(tally.table for tally in TALLIES),
    "order_day",
    "buy_day",
    "rep_order_day",
    "rep_interaction_day",
)

_ORDER_MOVED = (
    '{when} (OLD."owed" > 0 OR NEW."owed" > 0) AND (OLD."owed" <> NEW."owed" '
    'OR OLD."owed_since" IS DISTINCT FROM NEW."owed_since" OR OLD."on" <> NEW."on" '
    'OR OLD."customer_id" <> NEW."customer_id")'
)


def _sqlite_ddl() -> list[str]:
    def add(row: str) -> str:
        return (
            'INSERT INTO "owed_day" ("owner_id", "owed_since", "owed", "orders") '
            f'SELECT "owner_id", {_OWED_KEY.format(row=row)}, {row}."owed", 1 FROM "customer" '
            f'WHERE "id" = {row}."customer_id" AND {row}."owed" > 0 '
            'ON CONFLICT ("owner_id", "owed_since") DO UPDATE '
            'SET "owed" = "owed" + excluded."owed", "orders" = "orders" + 1;'
        )

    def take(row: str) -> str:
        where = (
            f'WHERE "owner_id" = (SELECT "owner_id" FROM "customer" WHERE "id" = '
            f'{row}."customer_id") AND "owed_since" = {_OWED_KEY.format(row=row)}'
        )
        return (
            f'UPDATE "owed_day" SET "owed" = "owed" - {row}."owed", "orders" = "orders" - 1 '
            f'{where} AND {row}."owed" > 0; '
            f'DELETE FROM "owed_day" {where} AND "orders" = 0;'
        )

    def customer_orders(owner: str, sign: str) -> str:
        return (
            'INSERT INTO "owed_day" ("owner_id", "owed_since", "owed", "orders") '
            f'SELECT {owner}, COALESCE("owed_since", "on"), {sign}SUM("owed"), {sign}COUNT(*) '
            'FROM "sales_order" WHERE "customer_id" = NEW."id" AND "owed" > 0 '
            'GROUP BY COALESCE("owed_since", "on") '
            'ON CONFLICT ("owner_id", "owed_since") DO UPDATE '
            'SET "owed" = "owed" + excluded."owed", "orders" = "orders" + excluded."orders";'
        )

    moved = _ORDER_MOVED.format(when="WHEN").replace("IS DISTINCT FROM", "IS NOT")
    owner_moved = (
        customer_orders('OLD."owner_id"', "-")
        + customer_orders('NEW."owner_id"', "")
        + 'DELETE FROM "owed_day" WHERE "owner_id" = OLD."owner_id" AND "orders" = 0;'
    )
    return [
        'CREATE TRIGGER IF NOT EXISTS "figures_order_insert" AFTER INSERT ON "sales_order" '
        f'WHEN NEW."owed" > 0 BEGIN {add("NEW")} END',
        'CREATE TRIGGER IF NOT EXISTS "figures_order_update" AFTER UPDATE ON "sales_order" '
        f"{moved} BEGIN {take('OLD')} {add('NEW')} END",
        'CREATE TRIGGER IF NOT EXISTS "figures_order_delete" AFTER DELETE ON "sales_order" '
        f'WHEN OLD."owed" > 0 BEGIN {take("OLD")} END',
        'CREATE TRIGGER IF NOT EXISTS "figures_customer_owner" AFTER UPDATE OF "owner_id" '
        f'ON "customer" WHEN OLD."owner_id" <> NEW."owner_id" BEGIN {owner_moved} END',
        'CREATE TRIGGER IF NOT EXISTS "figures_customer_delete" BEFORE DELETE ON "customer" '
        'BEGIN UPDATE "sales_order" SET "owed" = 0 '
        'WHERE "customer_id" = OLD."id" AND "owed" > 0; END',
        'CREATE TRIGGER IF NOT EXISTS "figures_pipeline_insert" AFTER INSERT ON "customer" '
        f"WHEN {_OPEN.format(row='NEW')} BEGIN {_pipeline_change('NEW', '', True)} END",
        'CREATE TRIGGER IF NOT EXISTS "figures_pipeline_update" AFTER UPDATE ON "customer" '
        f"WHEN {_pipeline_moved(True)} BEGIN {_pipeline_change('OLD', '-', True)} "
        f"{_pipeline_change('NEW', '', True)} END",
        'CREATE TRIGGER IF NOT EXISTS "figures_pipeline_delete" AFTER DELETE ON "customer" '
        f"WHEN {_OPEN.format(row='OLD')} BEGIN {_pipeline_change('OLD', '-', True)} END",
        *(statement for tally in TALLIES for statement in tally.sqlite_ddl()),
        'CREATE TRIGGER IF NOT EXISTS "figures_order_day_insert" AFTER INSERT ON "sales_order" '
        f"BEGIN {order_day_change('NEW', '', True)} END",
        'CREATE TRIGGER IF NOT EXISTS "figures_order_day_update" AFTER UPDATE ON "sales_order" '
        f"WHEN {ORDER_DAY_MOVED} BEGIN {order_day_change('OLD', '-', True)} "
        f"{order_day_change('NEW', '', True)} END",
        'CREATE TRIGGER IF NOT EXISTS "figures_order_day_delete" AFTER DELETE ON "sales_order" '
        f"BEGIN {order_day_change('OLD', '-', True)} END",
        'CREATE TRIGGER IF NOT EXISTS "figures_order_day_lifecycle" AFTER UPDATE OF "lifecycle" '
        f'ON "customer" WHEN OLD."lifecycle" <> NEW."lifecycle" BEGIN {lifecycle_moved(True)} END',
        'CREATE TRIGGER IF NOT EXISTS "figures_rep_order_day_insert" AFTER INSERT ON "sales_order" '
        f"BEGIN {rep_order_day_change('NEW', '', True)} END",
        'CREATE TRIGGER IF NOT EXISTS "figures_rep_order_day_update" AFTER UPDATE ON "sales_order" '
        f"WHEN {REP_ORDER_DAY_MOVED} BEGIN {rep_order_day_change('OLD', '-', True)} "
        f"{rep_order_day_change('NEW', '', True)} END",
        'CREATE TRIGGER IF NOT EXISTS "figures_rep_order_day_delete" AFTER DELETE ON "sales_order" '
        f"BEGIN {rep_order_day_change('OLD', '-', True)} END",
        'CREATE TRIGGER IF NOT EXISTS "figures_buy_day_insert" AFTER INSERT ON "sales_order" '
        f"BEGIN {buy_change('NEW', 1, True)} END",
        'CREATE TRIGGER IF NOT EXISTS "figures_buy_day_update" AFTER UPDATE ON "sales_order" '
        f"WHEN {_BUY_DAY_MOVED} BEGIN {buy_change('OLD', -1, True)} "
        f"{buy_change('NEW', 1, True)} END",
        'CREATE TRIGGER IF NOT EXISTS "figures_buy_day_delete" AFTER DELETE ON "sales_order" '
        f"BEGIN {buy_change('OLD', -1, True)} END",
        'CREATE TRIGGER IF NOT EXISTS "figures_customer_orders" BEFORE DELETE ON "customer" '
        f"BEGIN {_ORDERS_GO_FIRST} END",
        *interactions.rep_interaction_day_sqlite(),
    ]


def _old_out_new_in(change: Callable[[str, str, bool], str]) -> str:
    """A PostgreSQL trigger body taking the old row out of a figure and putting the new one in
    (`change(row, sign, sqlite)`), for whichever of the two the operation has."""
    return (
        "IF TG_OP <> 'INSERT' THEN "
        + change("OLD", "-", False)
        + " END IF; IF TG_OP <> 'DELETE' THEN "
        + change("NEW", "", False)
        + " END IF; "
    )


def _postgres_ddl(schema: str) -> list[str]:
    path = f'SET search_path = "{schema}", pg_catalog, pg_temp'

    # SECURITY DEFINER: in team mode a rep's write keeps figures they may not write themselves
    def function(name: str, body: str, result: str = "NULL") -> str:
        return (
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
            f"SECURITY DEFINER {path} AS $body$ BEGIN {body} RETURN {result}; END $body$"
        )

    take = (
        "IF TG_OP <> 'INSERT' AND OLD.\"owed\" > 0 THEN "
        'UPDATE "owed_day" d SET "owed" = d."owed" - OLD."owed", "orders" = d."orders" - 1 '
        'FROM "customer" c WHERE c."id" = OLD."customer_id" AND d."owner_id" = c."owner_id" '
        f'AND d."owed_since" = {_OWED_KEY.format(row="OLD")}; '
        'DELETE FROM "owed_day" d USING "customer" c WHERE c."id" = OLD."customer_id" '
        'AND d."owner_id" = c."owner_id" '
        f'AND d."owed_since" = {_OWED_KEY.format(row="OLD")} AND d."orders" = 0; '
        "END IF; "
    )
    add = (
        "IF TG_OP <> 'DELETE' AND NEW.\"owed\" > 0 THEN "
        'INSERT INTO "owed_day" AS d ("owner_id", "owed_since", "owed", "orders") '
        f'SELECT c."owner_id", {_OWED_KEY.format(row="NEW")}, NEW."owed", 1 FROM "customer" c '
        'WHERE c."id" = NEW."customer_id" ON CONFLICT ("owner_id", "owed_since") DO UPDATE '
        'SET "owed" = d."owed" + EXCLUDED."owed", "orders" = d."orders" + 1; '
        "END IF; "
    )

    def customer_orders(owner: str, sign: str) -> str:
        return (
            'INSERT INTO "owed_day" AS d ("owner_id", "owed_since", "owed", "orders") '
            f'SELECT {owner}, COALESCE("owed_since", "on"), {sign}SUM("owed"), {sign}COUNT(*) '
            'FROM "sales_order" WHERE "customer_id" = NEW."id" AND "owed" > 0 '
            'GROUP BY COALESCE("owed_since", "on") '
            'ON CONFLICT ("owner_id", "owed_since") DO UPDATE '
            'SET "owed" = d."owed" + EXCLUDED."owed", "orders" = d."orders" + EXCLUDED."orders"; '
        )

    owner_moved = (
        customer_orders('OLD."owner_id"', "-")
        + customer_orders('NEW."owner_id"', "")
        + 'DELETE FROM "owed_day" WHERE "owner_id" = OLD."owner_id" AND "orders" = 0; '
    )
    clear = 'UPDATE "sales_order" SET "owed" = 0 WHERE "customer_id" = OLD."id" AND "owed" > 0; '
    pipeline = _old_out_new_in(_pipeline_change)
    order_day = _old_out_new_in(order_day_change)
    # BEFORE: each row's look at the orders sees the rows before it in the same statement
    # (AFTER triggers would all see the statement's end)
    buy_day = (
        "IF TG_OP <> 'INSERT' THEN "
        + buy_change("OLD", -1, False)
        + " END IF; IF TG_OP <> 'DELETE' THEN "
        + buy_change("NEW", 1, False)
        + " END IF; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; "
    )
    rep_order_day = _old_out_new_in(rep_order_day_change)
    statements = [
        function("figures_order_day", order_day),
        function("figures_rep_order_day", rep_order_day),
        function("figures_order_day_lifecycle", lifecycle_moved(False)),
        function("figures_buy_day", buy_day, "NEW"),
        function("figures_customer_orders", _ORDERS_GO_FIRST, "OLD"),
        function("figures_customer_pipeline", pipeline),
        function("figures_order_owed", take + add),
        function("figures_customer_owner", owner_moved),
        # BEFORE DELETE: NULL would cancel the delete
        function("figures_customer_delete", clear, "OLD"),
    ]
    triggers = [
        ("figures_order_insert", "sales_order", "AFTER INSERT", 'WHEN (NEW."owed" > 0)',
         "figures_order_owed"),
        ("figures_order_update", "sales_order", "AFTER UPDATE",
         "WHEN (" + _ORDER_MOVED.format(when="") + ")", "figures_order_owed"),
        ("figures_order_delete", "sales_order", "AFTER DELETE", 'WHEN (OLD."owed" > 0)',
         "figures_order_owed"),
        ("figures_customer_owner", "customer", 'AFTER UPDATE OF "owner_id"',
         'WHEN (OLD."owner_id" <> NEW."owner_id")', "figures_customer_owner"),
        ("figures_customer_delete", "customer", "BEFORE DELETE", "", "figures_customer_delete"),
        ("figures_pipeline_insert", "customer", "AFTER INSERT",
         f'WHEN ({_OPEN.format(row="NEW")})', "figures_customer_pipeline"),
        ("figures_pipeline_update", "customer", "AFTER UPDATE",
         f"WHEN ({_pipeline_moved(False)})", "figures_customer_pipeline"),
        ("figures_pipeline_delete", "customer", "AFTER DELETE",
         f'WHEN ({_OPEN.format(row="OLD")})', "figures_customer_pipeline"),
        ("figures_order_day_insert", "sales_order", "AFTER INSERT", "", "figures_order_day"),
        ("figures_order_day_update", "sales_order", "AFTER UPDATE",
         f"WHEN ({ORDER_DAY_MOVED})", "figures_order_day"),
        ("figures_order_day_delete", "sales_order", "AFTER DELETE", "", "figures_order_day"),
        ("figures_order_day_lifecycle", "customer", 'AFTER UPDATE OF "lifecycle"',
         'WHEN (OLD."lifecycle" <> NEW."lifecycle")', "figures_order_day_lifecycle"),
        ("figures_rep_order_day_insert", "sales_order", "AFTER INSERT", "",
         "figures_rep_order_day"),
        ("figures_rep_order_day_update", "sales_order", "AFTER UPDATE",
         f"WHEN ({REP_ORDER_DAY_MOVED})", "figures_rep_order_day"),
        ("figures_rep_order_day_delete", "sales_order", "AFTER DELETE", "",
         "figures_rep_order_day"),
        ("figures_buy_day_insert", "sales_order", "BEFORE INSERT", "", "figures_buy_day"),
        ("figures_buy_day_update", "sales_order", "BEFORE UPDATE",
         f"WHEN ({_BUY_DAY_MOVED})", "figures_buy_day"),
        ("figures_buy_day_delete", "sales_order", "BEFORE DELETE", "", "figures_buy_day"),
        ("figures_customer_orders", "customer", "BEFORE DELETE", "", "figures_customer_orders"),
    ]  # fmt: skip
    for table, (body, more) in (
        *((tally.table, tally.postgres_triggers()) for tally in TALLIES),
        ("rep_interaction_day", interactions.rep_interaction_day_postgres()),
    ):
        statements.append(function(f"figures_{table}", body))
        triggers.extend(more)
    for name, table, event, when, call in triggers:
        statements.append(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
        statements.append(
            f'CREATE TRIGGER "{name}" {event} ON "{table}" FOR EACH ROW {when} '
            f"EXECUTE FUNCTION {call}()"
        )
    return statements


_AT_RISK_ROWS = "\"grade\" IN ('A', 'B', 'C') AND \"followups\" < 4 AND \"status\" <> 'terminated'"
"""The customers at risk of being dropped but for their cadence (services.figures.grades'
at_risk: the same terms, so the query uses the index; tests hold the two together)."""


_AT_RISK_INDEX = (
    'CREATE INDEX IF NOT EXISTS "customer_at_risk" ON "customer" ("cadence_due", "id") '
    'INCLUDE ("owner_id", "name", "company", "grade", "followups", "last_contact_on") '
    f"WHERE {_AT_RISK_ROWS}"
)
"""PostgreSQL's drop risks in the order listed, holding every column the list shows: read from
the index alone, where a million customers' rows were ten thousand page reads. (SQLite plans
its statements before their parameters are bound, so it could not choose a partial index.)"""


def create_figures(db: peewee.Database) -> None:
    """The figure tables and the triggers that keep them, and on PostgreSQL the indexes the drop
    risks and each rep's complaints and surveys read (idempotent)."""
    db.create_tables(
        [OwedDay, PipelineDay, GradeTally, StageTally, SourceTally, LifecycleTally, DueTally]
        + [OrderDay, BuyDay, RevenueTally, RepOrderDay, RepInteractionDay],
        safe=True,
    )
    run_dialect_ddl(db, _sqlite_ddl, _postgres_ddl)
    if not isinstance(db, peewee.SqliteDatabase):
        db.execute_sql(_AT_RISK_INDEX)
        for index in interactions.OWNER_INDEXES:
            db.execute_sql(index)


def _from_scratch(db: peewee.Database) -> dict[str, tuple[str, str]]:
    """Per figure table: its columns, and the query counting them from the records."""
    sqlite = isinstance(db, peewee.SqliteDatabase)
    return {
        "owed_day": ('"owner_id", "owed_since", "owed", "orders"', _OWED_FROM_SCRATCH),
        "pipeline_day": (_PIPELINE_COLUMNS, _pipeline_from_scratch(sqlite)),
        **{tally.table: (tally.columns(), tally.from_scratch()) for tally in TALLIES},
        "order_day": (ORDER_DAY_COLUMNS, ORDER_DAY_FROM_SCRATCH),
        "buy_day": ('"on", "prev_on", "customers"', buy_day_from_scratch(sqlite)),
        "rep_order_day": (REP_ORDER_DAY_COLUMNS, REP_ORDER_DAY_FROM_SCRATCH),
        "rep_interaction_day": interactions.rep_interaction_day_from_scratch(sqlite),
    }


def fill_figures(db: peewee.Database, only: Collection[str] | None = None) -> None:
    """Recount every figure table (or the `only` ones) from the tables it sums: set-based, one
    statement each."""
    for table, (columns, counted) in _from_scratch(db).items():
        if only is None or table in only:
            db.execute_sql(f'DELETE FROM "{table}"')
            db.execute_sql(f'INSERT INTO "{table}" ({columns}) {counted}')


def figures_out_of_step(db: peewee.Database) -> dict[str, int]:
    """Per figure table, how many of its rows differ from a count from scratch (rows missing,
    extra or with other sums): all zero when the triggers kept them right."""
    found = {}
    for table, (columns, scratch) in _from_scratch(db).items():
        stored = f'SELECT {columns} FROM "{table}"'
        differing = 0
        for first, second in ((stored, scratch), (scratch, stored)):
            query = f'SELECT count(*) FROM ({first} EXCEPT {second}) AS "differing"'
            differing += int(db.execute_sql(query).fetchone()[0])
        found[table] = differing
    return found


__all__ = [
    "FIGURE_TABLES",
    "NO_CLOSE_DAY",
    "TRIGGER_INDEXES",
    "create_figures",
    "fill_figures",
    "figures_out_of_step",
]
