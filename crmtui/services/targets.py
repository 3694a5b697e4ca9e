"""Sales targets (销售目标): a manager sets each rep's orders and new customers to win for a month,
a quarter or a year (yearly targets are set in December for the next year); results come from
what is recorded.

Decisions:

- Orders count for the user who booked them (the order's `by`: the rep who made the sale),
  read per rep from the (by, on, amount) index, so a period's sum never touches the orders
  themselves.
- New customers won are prospects whose first order made them customers in the period
  (the lifecycle change prospect → customer), counted for who booked that order.
- A period's days left count today; what is still missing is spread over them
  (rules.target_progress).
- Reps see their own targets, managers everyone's; only managers set them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from peewee import SQL, fn

from crmtui.db import CustomerChange, Target, User
from crmtui.db.models import RepOrderDay
from crmtui.db.rows import among, tuple_rows
from crmtui.errors import CrmError, InvalidInput, NotFound
from crmtui.i18n import _, explain
from crmtui.rules import (
    Period,
    PeriodError,
    PeriodKind,
    TargetProgress,
    days_left,
    parse_period,
    period_of,
    target_progress,
)
from crmtui.services.access import require_manager
from crmtui.services.audit import audit
from crmtui.services.context import Context, writes
from crmtui.services.validation import FieldError, clean_money, collect_field


def clean_count(value: Any, today: date | None = None) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise FieldError(_("'{text}' is not a whole number").format(text=value)) from None
    if number < 0:
        raise FieldError(_("must not be negative"))
    if number > 1_000_000:
        raise FieldError(_("too large"))
    return number


def period_value(text: Any, kind: PeriodKind | str | None = None) -> Period:
    """A period as typed (2026-12, 2027-Q1, 2027), or one clear message."""
    try:
        return parse_period(str(text or ""), kind)
    except PeriodError as error:
        raise InvalidInput.one(
            str(PeriodKind(kind)) if kind else "period", explain(error)
        ) from None


def _target_user(login: Any) -> User:
    user = User.get_or_none(User.login == str(login).strip())
    if user is None:
        raise NotFound(_("no user {login}").format(login=login))
    if not user.active:
        raise CrmError(_("{login} is deactivated and has no targets").format(login=user.login))
    if user.role == "support":
        raise CrmError(
            _("{login} is support staff and has no sales targets").format(login=user.login)
        )
    return user


@writes
def set_target(
    ctx: Context,
    login: Any,
    period: Any,
    *,
    kind: PeriodKind | str | None = None,
    amount: Any = None,
    new_customers: Any = None,
) -> Target:
    """Set (or change) a rep's target for a period: the amount of orders, the new customers to
    win, or both; a value not given stays as it was. Managers only."""
    require_manager(ctx, _("set targets"))
    errors: dict[str, str] = {}
    try:
        found = period_value(period, kind)
    except InvalidInput as error:
        errors.update(error.errors)
        found = None
    amount = collect_field(errors, "amount", clean_money, amount)
    new_customers = collect_field(errors, "new_customers", clean_count, new_customers)
    if not errors and amount is None and new_customers is None:
        errors["amount"] = _("give an amount of orders, a number of new customers, or both")
    if errors:
        raise InvalidInput(errors)
    assert found is not None  # else its error was raised above
    user = _target_user(login)
    target = Target.get_or_none((Target.user == user.id) & (Target.period == found.key))
    if target is None:
        target = Target(user=user, period=found.key, starts_on=found.start, ends_on=found.end)
    if amount is not None:
        target.amount = amount
    if new_customers is not None:
        target.new_customers = new_customers
    target.set_by_id = ctx.user.id
    target.set_at = ctx.now()
    target.save()
    return target


@writes
def remove_target(
    ctx: Context, login: Any, period: Any, *, kind: PeriodKind | str | None = None
) -> Target:
    require_manager(ctx, _("remove targets"))
    found = period_value(period, kind)
    user = User.get_or_none(User.login == str(login).strip())
    if user is None:
        raise NotFound(_("no user {login}").format(login=login))
    target = Target.get_or_none((Target.user == user.id) & (Target.period == found.key))
    if target is None:
        raise NotFound(
            _("{login} has no target for {period}").format(login=user.login, period=found.key)
        )
    target.delete_instance()
    audit(
        ctx,
        "delete",
        "target",
        target.id,
        f"{user.login} {found.key}: amount {target.amount}, new customers {target.new_customers}",
    )
    return target


def target_json(target: Target) -> dict[str, Any]:
    return {
        "login": target.user.login,
        "period": target.period,
        "starts_on": target.starts_on,
        "ends_on": target.ends_on,
        "amount": target.amount,
        "new_customers": target.new_customers,
    }


# -- results --------------------------------------------------------------------------------------


def _money(cents: int | None) -> Decimal:
    return (Decimal(int(cents or 0)) / 100).quantize(Decimal("0.01"))


def orders_by_user(user_ids: list[int], start: date, end: date) -> dict[int, Decimal]:
    """Orders booked by each user from `start` to `end` (both included), summed from what the
    database keeps per user and day (db.figures' rep_order_day)."""
    if not user_ids:
        return {}
    d = RepOrderDay
    query = (
        d.select(d.by_id, fn.SUM(d.amount).coerce(False))
        .where(among(d.by_id, user_ids) & (d.on >= start) & (d.on <= end))
        .group_by(d.by_id)
    )
    cents = dict(tuple_rows(query, tuple[int, int | None]))
    return {uid: _money(cents.get(uid)) for uid in dict.fromkeys(user_ids)}


def new_customers_by_user(user_ids: list[int], start: date, end: date) -> dict[int, int]:
    """Prospects who became customers from `start` to `end`, by who booked the order that made
    them customers (the lifecycle's change prospect → customer)."""
    if not user_ids:
        return {}
    c = CustomerChange
    query = (
        c.select(c.by, fn.COUNT(SQL("*")))  # not a column: read from the index alone
        .where(
            among(c.by, user_ids)
            & (c.what == "lifecycle")
            & (c.from_value == "prospect")
            & (c.to_value == "customer")
            & (c.on >= start)
            & (c.on <= end)
        )
        .group_by(c.by)
    )
    return {uid: int(n) for uid, n in tuple_rows(query, tuple[int, int])}


@dataclass(frozen=True)
class TargetRow:
    login: str
    name: str
    orders: Decimal
    won: int
    """New customers won in the period so far."""
    amount: TargetProgress | None
    """Orders against the amount target; None without one."""
    new_customers: TargetProgress | None

    def to_json(self) -> dict[str, Any]:
        def progress(p: TargetProgress | None, whole: bool) -> dict[str, Any] | None:
            if p is None:
                return None
            return {
                "target": int(p.target) if whole else p.target,
                "achieved": int(p.achieved) if whole else p.achieved,
                "remaining": int(p.remaining) if whole else p.remaining,
                "share": None if p.share is None else round(p.share, 4),
                "per_day": p.per_day,
            }

        return {
            "login": self.login,
            "name": self.name,
            "orders": self.orders,
            "new_customers_won": self.won,
            "amount": progress(self.amount, False),
            "new_customers": progress(self.new_customers, True),
        }


@dataclass(frozen=True)
class TargetBoard:
    """Every visible rep's target and results for one period, on one day."""

    period: Period
    day: date
    days_left: int
    rows: list[TargetRow]

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period.key,
            "kind": self.period.kind.value,
            "starts_on": self.period.start,
            "ends_on": self.period.end,
            "day": self.day,
            "days_left": self.days_left,
            "reps": [row.to_json() for row in self.rows],
        }


def target_board(
    ctx: Context, period: Any = None, *, kind: PeriodKind | str = "month", day: date | None = None
) -> TargetBoard:
    """Targets and results for a period (default: the `kind` holding `day`): a manager sees
    every rep (those without a target too), a rep their own row."""
    day = day or ctx.today()
    found = period_value(period, kind) if period else period_of(kind, day)
    until = min(found.end, day)
    # plain rows, not model instances: a team has hundreds of reps, each with a target
    t = Target
    targets = {
        user_id: (amount, new_customers)
        for user_id, amount, new_customers in tuple_rows(
            t.select(t.user, t.amount, t.new_customers).where(t.period == found.key),
            tuple[int, Decimal | None, int | None],
        )
    }
    users: list[tuple[int, str, str]]  # id, login, label
    if ctx.is_manager:
        u = User
        users = [
            (user_id, login, display_name or login)
            for user_id, login, display_name in tuple_rows(
                u.select(u.id, u.login, u.display_name).where(
                    u.id.in_(t.select(t.user).where(t.period == found.key))
                    | ((u.role == "rep") & u.active)
                ),
                tuple[int, str, str | None],
            )
        ]
    elif ctx.user.id in targets or ctx.role == "rep":
        users = [(ctx.user.id, ctx.user.login, ctx.user.label)]
    else:
        users = []
    ids = [user_id for user_id, _login, _label in users]
    orders = orders_by_user(ids, found.start, until) if until >= found.start else {}
    won = new_customers_by_user(ids, found.start, until) if until >= found.start else {}
    rows = []
    for user_id, login, label in users:
        amount, new_customers = targets.get(user_id, (None, None))
        achieved = orders.get(user_id, Decimal("0.00"))
        count = won.get(user_id, 0)
        rows.append(
            TargetRow(
                login=login,
                name=label,
                orders=achieved,
                won=count,
                amount=(
                    target_progress(amount, achieved, found, day) if amount is not None else None
                ),
                new_customers=(
                    target_progress(new_customers, count, found, day)
                    if new_customers is not None
                    else None
                ),
            )
        )
    rows.sort(
        key=lambda r: (
            r.amount is None,
            -(r.amount.share or 0) if r.amount else 0,
            r.name.casefold(),
            r.login,
        )
    )
    return TargetBoard(period=found, day=day, days_left=days_left(found, day), rows=rows)


__all__ = [
    "clean_count",
    "period_value",
    "set_target",
    "remove_target",
    "target_json",
    "orders_by_user",
    "new_customers_by_user",
    "TargetRow",
    "TargetBoard",
    "target_board",
]
