"""The daily catch-up (客户维护, once a day): customers whose time ran out lapse, value classes
move with everyone's orders, `status` 'terminated' becomes the lifecycle, and only the customers
that moved are rescheduled. Set-based: one ranking query returns only the customers whose class
differs, one index range the customers who lapse. On a PostgreSQL team database, where the
server shows a rep only their own customers, ranking is left to a manager (the catch-up runs on
a manager's first command of the day)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from peewee import Case, Select, Window, fn

from crmtui.db import AccountPlan, Customer, Setting
from crmtui.db.migrations import CAUGHT_UP, RESCHEDULE_ALL, TERMINATED_BY_STATUS
from crmtui.db.rows import tuple_rows
from crmtui.rules import (
    Lifecycle,
    Tier,
)
from crmtui.services.context import Context, writes
from crmtui.services.customer_columns import schedule_of
from crmtui.services.lifecycle import (
    IMPORTANT_SHARE,
    KEY_SHARE,
    LIFECYCLE,
    VALUE_CLASS,
    ranking_column,
    record_change,
)


@writes(record=False)  # housekeeping, not a change the user asked for
def catch_up(ctx: Context) -> dict[str, int]:
    """Once a day (and after an upgrade): terminate where only the status says so, lapse the
    customers whose time ran out (and un-lapse them if lapse_days grew), reclassify whoever
    the ranking moved, and reschedule those customers. Returns how many of each."""
    today = ctx.today()
    done = {"terminated": _terminate_by_status(ctx), "lapsed": 0, "returned": 0, "classes": 0}
    moved = set()
    for target, rows in _lapse_moves(ctx, today).items():
        for customer_id, old, last_order in rows:
            reason = (
                f"no order since {last_order}"
                if target == Lifecycle.LAPSED.value
                else "lapse days changed"
            )  # labels.STORED
            record_change(ctx, customer_id, LIFECYCLE, old, target, reason, by=None)
        ids = [row[0] for row in rows]
        for start in range(0, len(ids), 500):
            Customer.update(lifecycle=target).where(
                Customer.id.in_(ids[start : start + 500])
            ).execute()
        done["lapsed" if target == Lifecycle.LAPSED.value else "returned"] = len(ids)
        moved.update(ids)
    for customer_id, old, new in _class_moves(ctx):
        record_change(ctx, customer_id, VALUE_CLASS, old, new, "", by=None)
        Customer.update(value_class=new).where(Customer.id == customer_id).execute()
        done["classes"] += 1
        moved.add(customer_id)
    everyone = Setting.get_or_none(Setting.key == RESCHEDULE_ALL) is not None
    done["rescheduled"] = reschedule_many(ctx, None if everyone else sorted(moved))
    if everyone:
        Setting.delete().where(Setting.key == RESCHEDULE_ALL).execute()
    Setting.insert(key=CAUGHT_UP, value=today.isoformat()).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: today.isoformat()}
    ).execute()
    return done


def _terminate_by_status(ctx: Context) -> int:
    """Rows written with status terminated by a path that knows no lifecycle (a bulk import):
    terminated, with the status as the reason."""
    rows = list(
        tuple_rows(
            Customer.select(Customer.id, Customer.lifecycle).where(
                (Customer.status == "terminated")
                & (Customer.lifecycle != Lifecycle.TERMINATED.value)
            ),
            tuple[int, str],
        )
    )
    ids = [customer_id for customer_id, _old in rows]
    for customer_id, old in rows:
        record_change(
            ctx,
            customer_id,
            LIFECYCLE,
            old,
            Lifecycle.TERMINATED.value,
            TERMINATED_BY_STATUS,
            by=None,
        )
    if ids:
        Customer.update(
            lifecycle=Lifecycle.TERMINATED.value, lifecycle_reason=TERMINATED_BY_STATUS
        ).where(Customer.id.in_(ids)).execute()
    return len(ids)


def _lapse_moves(ctx: Context, today: date) -> dict[str, list[tuple[int, str, date]]]:
    """rules.is_lapsed in SQL: customers to lapse, and lapsed ones who no longer are (the
    team's lapse_days grew). Both read the (lifecycle, last_order_on) index."""
    cutoff = today - timedelta(days=ctx.config.maintenance.lapse_days)
    lapsed = (Customer.last_order_on < cutoff) & (
        Customer.regular_until.is_null() | (Customer.regular_until < today)
    )
    columns = (Customer.id, Customer.lifecycle, Customer.last_order_on)
    to_lapse = Customer.select(*columns).where(
        (Customer.lifecycle == Lifecycle.CUSTOMER.value) & lapsed
    )
    back = Customer.select(*columns).where((Customer.lifecycle == Lifecycle.LAPSED.value) & ~lapsed)
    return {
        Lifecycle.LAPSED.value: list(tuple_rows(to_lapse, tuple[int, str, date])),
        Lifecycle.CUSTOMER.value: list(tuple_rows(back, tuple[int, str, date])),
    }


def _ratio(share: Decimal) -> tuple[int, int]:
    numerator, denominator = share.as_integer_ratio()
    return numerator, denominator


def _class_moves(ctx: Context) -> list[tuple[int, str, str]]:
    """(id, stored class, class by the figures) of every unpinned customer whose stored class
    the ranking no longer gives: rules.tier_at over a running sum in integer cents, so the
    bounds are exact."""
    column = ranking_column(ctx)
    cents = column.coerce(False)
    total = int(Customer.select(fn.SUM(cents)).where(column > 0).scalar() or 0)
    moves: list[tuple[int, str, str]] = []
    unpinned = Customer.class_pinned == False  # noqa: E712
    if total > 0:
        window = Window(
            order_by=[column.desc(), Customer.id], frame_type=Window.ROWS, start=Window.preceding()
        )
        ranked = (
            Customer.select(
                Customer.id.alias("customer_id"),
                Customer.value_class.alias("stored"),
                Customer.class_pinned.alias("pinned"),
                cents.alias("amount"),
                fn.SUM(cents).over(window).alias("running"),
            )
            .where(column > 0)
            .window(window)
            .alias("ranked")
        )
        key_n, key_d = _ratio(KEY_SHARE)
        important_n, important_d = _ratio(IMPORTANT_SHARE)
        found = Case(
            None,
            [
                ((ranked.c.running - ranked.c.amount) * key_d < key_n * total, Tier.KEY.value),
                (ranked.c.running * important_d <= important_n * total, Tier.IMPORTANT.value),
            ],
            Tier.ORDINARY.value,
        )
        query = (
            Select([ranked], [ranked.c.customer_id, ranked.c.stored, found])
            .where((ranked.c.pinned == False) & (found != ranked.c.stored))  # noqa: E712
            .bind(Customer._meta.database)
        )
        moves += tuple_rows(query, tuple[int, str, str])
    nothing = Customer.select(Customer.id, Customer.value_class).where(
        unpinned & (column <= 0) & (Customer.value_class != Tier.NONE.value)
    )
    moves += [
        (cid, stored, Tier.NONE.value) for cid, stored in tuple_rows(nothing, tuple[int, str])
    ]
    return moves


def reschedule_many(ctx: Context, ids: list[int] | None) -> int:
    """Recompute the stored schedule of the given customers (None: everyone), writing only the
    rows that change. Returns how many changed."""
    if ids is not None and not ids:
        return 0
    plans = dict(
        tuple_rows(
            AccountPlan.select(AccountPlan.customer, AccountPlan.visit_every_days).where(
                AccountPlan.visit_every_days.is_null(False)
            ),
            tuple[int, int],
        )
    )
    c = Customer
    columns = (
        c.id,
        c.grade,
        c.cadence,
        c.created_on,
        c.last_contact_on,
        c.next_step_on,
        c.lifecycle,
        c.value_class,
        c.last_order_on,
        c.regular_until,
        c.next_due,
        c.cadence_due,
        c.due_rule,
    )
    batches = [None] if ids is None else [ids[i : i + 500] for i in range(0, len(ids), 500)]
    changed = []
    for batch in batches:
        query = c.select(*columns)
        if batch is not None:
            query = query.where(c.id.in_(batch))
        for (
            cid,
            grade,
            own,
            created_on,
            last_on,
            step_on,
            lifecycle,
            value_class,
            last_order,
            regular,
            next_due,
            cadence_due,
            rule,
        ) in query.tuples().iterator():
            found = schedule_of(
                ctx.config,
                grade=grade,
                own_cadence=own,
                created_on=created_on,
                last_contact_on=last_on,
                next_step_on=step_on,
                lifecycle=lifecycle,
                value_class=value_class,
                plan_every_days=plans.get(cid) if lifecycle == Lifecycle.CUSTOMER.value else None,
                last_order_on=last_order,
                regular_until=regular,
            )
            if (found.next_due, found.cadence_due, found.rule.value) != (
                next_due,
                cadence_due,
                rule,
            ):
                changed.append(
                    (
                        found.next_due.isoformat(),
                        found.cadence_due.isoformat(),
                        found.rule.value,
                        cid,
                    )
                )
    if changed:
        mark = Customer._meta.database.param
        Customer._meta.database.cursor().executemany(
            f'UPDATE "customer" SET "next_due" = {mark}, "cadence_due" = {mark}, '
            f'"due_rule" = {mark} WHERE "id" = {mark}',
            changed,
        )
    return len(changed)
