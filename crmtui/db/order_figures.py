"""The order figures' SQL, kept by triggers (crmtui.db.figures creates them): `order_day`, the
team's orders per day by the lifecycle their customer is in now, `rep_order_day`, each user's
orders booked per day (targets and the reps side by side), and `buy_day`, each buying day of a
customer with the previous one, which retention counts from. Each builder writes the same
statements for SQLite and PostgreSQL (`sqlite` picks the dialect)."""

from __future__ import annotations

from datetime import date

LONG_AGO = date(1, 1, 1)
"""buy_day's previous buying day when there was none within PREVIOUS_WITHIN days."""

PREVIOUS_WITHIN = 180
"""buy_day keeps the previous buying day exactly up to this many days back: retention over the
longest period (90 days) compares it with days at most 179 days before."""

ORDER_DAY_COLUMNS = '"on", "lifecycle", "amount", "orders"'

ORDER_DAY_FROM_SCRATCH = (
    'SELECT o."on", c."lifecycle", SUM(o."amount"), COUNT(*) FROM "sales_order" o '
    'JOIN "customer" c ON c."id" = o."customer_id" GROUP BY o."on", c."lifecycle"'
)


def _add_orders(table: str, keys: str, rows: str, sqlite: bool) -> str:
    """Add the `rows` (the table's `keys`, then amount and orders: a SELECT or VALUES) to
    `table`'s sums, row by row on its keys."""
    target = f'"{table}"' if sqlite else f'"{table}" AS t'
    current = "" if sqlite else "t."
    return (
        f'INSERT INTO {target} ({keys}, "amount", "orders") {rows} ON CONFLICT ({keys}) DO UPDATE '
        f'SET "amount" = {current}"amount" + excluded."amount", '
        f'"orders" = {current}"orders" + excluded."orders"; '
    )


def order_day_change(row: str, sign: str, sqlite: bool) -> str:
    """Add (sign '') or take away (sign '-') the order `row` on its customer's lifecycle."""
    return (
        _add_orders(
            "order_day",
            '"on", "lifecycle"',
            f'SELECT {row}."on", c."lifecycle", {sign}{row}."amount", {sign}1 FROM "customer" c '
            f'WHERE c."id" = {row}."customer_id"',
            sqlite,
        )
        + f'DELETE FROM "order_day" WHERE "on" = {row}."on" AND "orders" = 0; '
    )


REP_ORDER_DAY_COLUMNS = '"by_id", "on", "amount", "orders"'

REP_ORDER_DAY_FROM_SCRATCH = (
    'SELECT "by_id", "on", SUM("amount"), COUNT(*) FROM "sales_order" GROUP BY "by_id", "on"'
)

REP_ORDER_DAY_MOVED = (
    'OLD."on" <> NEW."on" OR OLD."amount" <> NEW."amount" OR OLD."by_id" <> NEW."by_id"'
)


def rep_order_day_change(row: str, sign: str, sqlite: bool) -> str:
    """Add (sign '') or take away (sign '-') the order `row` on the day and user who booked it."""
    return _add_orders(
        "rep_order_day",
        '"by_id", "on"',
        f'VALUES ({row}."by_id", {row}."on", {sign}{row}."amount", {sign}1)',
        sqlite,
    ) + (
        f'DELETE FROM "rep_order_day" WHERE "by_id" = {row}."by_id" AND "on" = {row}."on" '
        'AND "orders" = 0; '
    )


def _customer_order_days(lifecycle: str, sign: str, sqlite: bool) -> str:
    """Add (sign '') or take away (sign '-') all the orders of the customer NEW on
    `lifecycle`."""
    return _add_orders(
        "order_day",
        '"on", "lifecycle"',
        f'SELECT "on", {lifecycle}, {sign}SUM("amount"), {sign}COUNT(*) FROM "sales_order" '
        'WHERE "customer_id" = NEW."id" GROUP BY "on"',
        sqlite,
    )


def lifecycle_moved(sqlite: bool) -> str:
    return (
        _customer_order_days('OLD."lifecycle"', "-", sqlite)
        + _customer_order_days('NEW."lifecycle"', "", sqlite)
        + 'DELETE FROM "order_day" WHERE "orders" = 0 AND "on" IN '
        '(SELECT "on" FROM "sales_order" WHERE "customer_id" = NEW."id"); '
    )


ORDER_DAY_MOVED = (
    'OLD."on" <> NEW."on" OR OLD."amount" <> NEW."amount" OR OLD."customer_id" <> NEW."customer_id"'
)


def _long_ago(sqlite: bool) -> str:
    return f"'{LONG_AGO.isoformat()}'" if sqlite else f"DATE '{LONG_AGO.isoformat()}'"


def _previous_key(day: str, before: str, sqlite: bool) -> str:
    """buy_day's key for a buying day `day` whose previous one is `before` (or NULL)."""
    window = f"date({day}, '-{PREVIOUS_WITHIN} days')" if sqlite else f"({day} - {PREVIOUS_WITHIN})"
    return f"CASE WHEN {before} >= {window} THEN {before} ELSE {_long_ago(sqlite)} END"


def buy_change(row: str, delta: int, sqlite: bool) -> str:
    """Count the buying day of the order `row` in (delta 1) or out (delta -1) of buy_day: a
    no-op when the customer has another order that day; otherwise the day itself counts with
    its previous buying day, and the customer's next buying day moves from following the
    previous one to following this one. Every look at the orders leaves `row` itself out, so
    the same statements count a row in after its insert or out after its delete, or either
    way while it still stands (PostgreSQL's BEFORE triggers)."""
    target = '"buy_day"' if sqlite else '"buy_day" AS t'
    current = "" if sqlite else "t."
    same = f'"sales_order" s WHERE s."customer_id" = {row}."customer_id" AND s."id" <> {row}."id"'
    before = f'(SELECT MAX(s."on") FROM {same} AND s."on" < {row}."on")'
    after = f'(SELECT MIN(s."on") FROM {same} AND s."on" > {row}."on")'
    others = f'EXISTS (SELECT 1 FROM {same} AND s."on" = {row}."on")'
    days = f'(SELECT {row}."on" AS "x", {before} AS "p", {after} AS "n" WHERE NOT {others})'
    own, after_before, after_own = (
        _previous_key(day, previous, sqlite)
        for day, previous in (('w."x"', 'w."p"'), ('w."n"', 'w."p"'), ('w."n"', 'w."x"'))
    )
    changes = (
        f'SELECT w."x" AS "day", {own} AS "prev", ({delta}) AS "d" FROM {days} AS w '
        f'UNION ALL SELECT w."n", {after_before}, ({-delta}) FROM {days} AS w '
        'WHERE w."n" IS NOT NULL '
        f'UNION ALL SELECT w."n", {after_own}, ({delta}) FROM {days} AS w WHERE w."n" IS NOT NULL'
    )
    return (
        f'INSERT INTO {target} ("on", "prev_on", "customers") '
        f'SELECT c."day", c."prev", SUM(c."d") FROM ({changes}) AS c WHERE TRUE '
        'GROUP BY c."day", c."prev" HAVING SUM(c."d") <> 0 '
        'ON CONFLICT ("on", "prev_on") DO UPDATE '
        f'SET "customers" = {current}"customers" + excluded."customers"; '
        f'DELETE FROM "buy_day" WHERE "customers" = 0 AND "on" IN ({row}."on", {after}); '
    )


def buy_day_from_scratch(sqlite: bool) -> str:
    key = _previous_key('d."on"', 'd."prev"', sqlite)
    return (
        f'SELECT d."on", {key}, COUNT(*) FROM (SELECT "customer_id", "on", '
        'LAG("on") OVER (PARTITION BY "customer_id" ORDER BY "on") AS "prev" '
        'FROM (SELECT DISTINCT "customer_id", "on" FROM "sales_order") AS u) AS d '
        f'GROUP BY d."on", {key}'
    )
