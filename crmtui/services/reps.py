"""Each rep side by side (managers): customers per grade, follow-ups done and missed, new
customers won, wins, orders against target, complaints per 100 customers, satisfaction and
service levels, for a month, a quarter or a year so far.

Every figure is one aggregate grouped by user (or by the customers' owner), read from an index
that leads with the user or the period: nothing is read per customer.

What counts for whom:

- customers, their grades and the follow-ups missed (due in the period before today, still
  not done) are the owner's;
- follow-ups done are the interactions a user logged (summed per UTC day by the database,
  rep_interaction_day, with the partial days at the period's edges read from the interactions);
  orders, wins and new customers are the user's who booked them (services.targets);
- complaints, service levels and satisfaction are about the owner's customers: complaints
  opened in the period, answered and resolved within their targets (of those measured),
  and the CSI of the surveys given in the period over the configured dimensions.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from functools import reduce
from typing import Any, TypeVar

from peewee import (
    BaseQuery,
    Case,
    Expression,
    Function,
    ModelSelect,
    fn,
)

from crmtui.db import (
    Complaint,
    Customer,
    Interaction,
    Survey,
    SurveyScore,
    Target,
    User,
    Win,
    database,
)
from crmtui.db.models import RepInteractionDay
from crmtui.db.rows import among, tuple_rows
from crmtui.errors import Forbidden, NotFound
from crmtui.i18n import _
from crmtui.rules import DIMENSIONS, Period, PeriodKind, csi_of_total, period_of
from crmtui.services.access import require_manager
from crmtui.services.context import Context
from crmtui.services.figures.grades import RepFigures, due_per_owner, rep_figures
from crmtui.services.figures.scope import (
    GRADES,
    CustomerRow,
    Scope,
    count_rows,
    customer_rows_where,
)
from crmtui.services.targets import new_customers_by_user, orders_by_user, period_value

SORTS = (
    "name",
    *GRADES,
    "customers",
    "done",
    "missed",
    "new",
    "wins",
    "orders",
    "share",
    "complaints",
    "csi",
    "service",
)
"""The columns the comparison sorts by (largest first, except the name)."""


@dataclass(frozen=True)
class RepRow:
    login: str
    name: str
    grades: dict[str, int]
    done: int
    """Interactions logged in the period."""
    missed: int
    """Follow-ups that fell due in the period before today and are still not done."""
    new_customers: int
    wins: int
    won: Decimal
    """The wins' amount."""
    orders: Decimal
    target: Decimal | None
    complaints: int
    answered: tuple[int, int]
    """Complaints of the period answered within target: (met, measured)."""
    resolved: tuple[int, int]
    csi: float | None

    @property
    def customers(self) -> int:
        return sum(self.grades.values())

    @property
    def share(self) -> float | None:
        """Orders against the target of the period."""
        return float(self.orders / self.target) if self.target else None

    @property
    def complaints_per_100(self) -> float | None:
        return round(self.complaints * 100 / self.customers, 1) if self.customers else None

    @property
    def service(self) -> float | None:
        """Share of the period's complaints resolved within target, of those measured."""
        met, measured = self.resolved
        return met / measured if measured else None

    def sort_key(self, column: str) -> Any:
        """Largest first (a grade's column: most customers at it), rows without the figure
        last; by name, A to Z."""
        if column in GRADES:
            return (False, -self.grades.get(column, 0), self.name.casefold(), self.login)
        if column == "name":  # the comparison's own order (500 rows): no figures to gather
            return (False, 0, self.name.casefold(), self.login)
        figures: dict[str, Decimal | float | None] = {
            "customers": self.customers,
            "done": self.done,
            "missed": self.missed,
            "new": self.new_customers,
            "wins": self.wins,
            "orders": self.orders,
            "share": self.share,
            "complaints": self.complaints_per_100,
            "csi": self.csi,
            "service": self.service,
        }
        value = figures[column]
        return (value is None, -(value or 0), self.name.casefold(), self.login)

    def to_json(self) -> dict[str, Any]:
        def share(pair: tuple[int, int]) -> float | None:
            return round(pair[0] / pair[1], 4) if pair[1] else None

        return {
            "login": self.login,
            "name": self.name,
            "grades": self.grades,
            "customers": self.customers,
            "followups_done": self.done,
            "followups_missed": self.missed,
            "new_customers": self.new_customers,
            "wins": self.wins,
            "won": self.won,
            "orders": self.orders,
            "target": self.target,
            "share": None if self.share is None else round(self.share, 4),
            "complaints": self.complaints,
            "complaints_per_100": self.complaints_per_100,
            "answered_in_time": share(self.answered),
            "resolved_in_time": share(self.resolved),
            "csi": self.csi,
        }


@dataclass(frozen=True)
class RepComparison:
    period: Period
    day: date
    rows: list[RepRow]

    def sorted(self, column: str) -> list[RepRow]:
        return sorted(self.rows, key=lambda row: row.sort_key(column))

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period.key,
            "kind": self.period.kind.value,
            "starts_on": self.period.start,
            "until": min(self.day, self.period.end),
            "reps": [row.to_json() for row in self.rows],
        }


def _bounds(period: Period, day: date, zone: tzinfo) -> tuple[date, datetime, datetime]:
    until = min(period.end, day)
    return (
        until,
        datetime.combine(period.start, time(0), zone),
        datetime.combine(until + timedelta(days=1), time(0), zone),
    )


_Row = TypeVar("_Row", bound=tuple[Any, ...])


def _driver_rows(query: BaseQuery, row: type[_Row]) -> list[_Row]:
    """The query's rows as the database driver gives them (tuple_rows' contract otherwise):
    peewee's conversion of the rows, one per rep for each figure, cost as much as the SQL on a
    team of 500. Only for values the caller converts itself (ids, counts, sums in cents)."""
    rows: list[_Row] = database.execute(query).fetchall()
    return rows


def _per_user(query: ModelSelect[Any]) -> dict[int, int]:
    return {uid: int(n or 0) for uid, n in _driver_rows(query, tuple[int, int | None])}


def _count(condition: Expression) -> Function:
    return fn.SUM(Case(None, [(condition, 1)], 0))


def rep_comparison(
    ctx: Context,
    period: Any = None,
    *,
    kind: PeriodKind | str = "month",
    day: date | None = None,
    figures: list[RepFigures] | None = None,
) -> RepComparison:
    """One row per user who owns customers, for the period (default: the `kind` holding the
    day) up to the day. Managers only. `figures` are the team's grade × rep figures of the
    day, when the caller has them already."""
    require_manager(ctx, _("compare reps"))
    day = day or ctx.today()
    found = period_value(period, kind) if period else period_of(kind, day)
    until, start_at, end_at = _bounds(found, day, ctx.zone)
    if figures is None:
        figures = rep_figures(Scope(owner_id=None, day=day, zone=ctx.zone))
    users = {
        uid: (login, name)
        for uid, login, name in _driver_rows(
            User.select(User.id, User.login, User.display_name), tuple[int, str, str]
        )
    }
    logins = {login: uid for uid, (login, _n) in users.items()}
    ids = [logins[row.login] for row in figures]
    targets = {
        uid: amount
        for uid, amount in tuple_rows(
            Target.select(Target.user, Target.amount).where(Target.period == found.key),
            tuple[int, Decimal | None],
        )
    }
    ids += [uid for uid in targets if uid not in ids]
    if not ids:
        return RepComparison(period=found, day=day, rows=[])
    grades = {row.login: row.grades for row in figures}
    started = found.start <= day

    done = _interactions_by_user(start_at, end_at) if started else {}
    due_before = min(day, found.end + timedelta(days=1))  # due in the period, before today
    missed = due_per_owner(ids, since=found.start, until=due_before) if started else {}
    orders = orders_by_user(ids, found.start, until) if started else {}
    new = new_customers_by_user(ids, found.start, until) if started else {}
    wins = (
        {
            uid: (int(n), Decimal(int(cents or 0)) / 100)
            for uid, n, cents in _driver_rows(
                Win.select(Win.by, count_rows(), fn.SUM(Win.amount).coerce(False))
                .where((Win.on >= found.start) & (Win.on <= until) & among(Win.by, ids))
                .group_by(Win.by),
                tuple[int, int, int | None],
            )
        }
        if started
        else {}
    )
    service = _service_levels(ctx, start_at, end_at) if started else {}
    csi = _csi(ctx, start_at, end_at) if started else {}
    rows = []
    for uid in ids:
        login, name = users[uid]
        complaints, answered, resolved = service.get(uid, (0, (0, 0), (0, 0)))
        count, amount = wins.get(uid, (0, Decimal(0)))
        rows.append(
            RepRow(
                login=login,
                name=name or login,
                grades=grades.get(login, dict.fromkeys(GRADES, 0)),
                done=done.get(uid, 0),
                missed=missed.get(uid, 0),
                new_customers=new.get(uid, 0),
                wins=count,
                won=amount.quantize(Decimal("0.01")),
                orders=orders.get(uid, Decimal("0.00")),
                target=targets.get(uid),
                complaints=complaints,
                answered=answered,
                resolved=resolved,
                csi=csi.get(uid),
            )
        )
    rows.sort(key=lambda row: row.sort_key("name"))
    return RepComparison(period=found, day=day, rows=rows)


_HALF_DAY = timedelta(hours=12)


def utc_day_pieces(
    start: datetime, end: datetime
) -> tuple[tuple[date, date] | None, list[tuple[datetime, datetime, int]]]:
    """[start, end) (aware) as the whole UTC days to sum from rep_interaction_day (first, last;
    None for none) and the pieces of days to read from the interactions: (from, to in UTC,
    +1 to add or -1 to take away). A period's bounds are local midnights: a day cut at an edge
    is read either as its part inside or as the whole day less its part outside, the shorter."""
    start, end = (moment.astimezone(timezone.utc) for moment in (start, end))
    floor = datetime.combine(start.date(), time(0), timezone.utc)
    ceiling = datetime.combine(end.date(), time(0), timezone.utc)
    ceiling += timedelta(days=1) if ceiling < end else timedelta(0)
    first, last = floor.date(), ceiling.date() - timedelta(days=1)
    if first == last:  # one UTC day: what is inside, or the day less what is outside
        outside = (start - floor) + (ceiling - end)
        if end - start <= outside:
            return None, [(start, end, 1)]
        pieces = [(floor, start, -1), (end, ceiling, -1)]
        return (first, last), [piece for piece in pieces if piece[0] < piece[1]]
    pieces = []
    if start > floor:
        if start - floor > _HALF_DAY:
            first += timedelta(days=1)
            pieces.append((start, floor + timedelta(days=1), 1))
        else:
            pieces.append((floor, start, -1))
    if end < ceiling:
        if ceiling - end > _HALF_DAY:
            last -= timedelta(days=1)
            pieces.append((ceiling - timedelta(days=1), end, 1))
        else:
            pieces.append((end, ceiling, -1))
    return ((first, last) if first <= last else None), pieces


def _interactions_by_user(start: datetime, end: datetime) -> dict[int, int]:
    """The interactions each user logged from `start` to `end`: the whole UTC days from the
    figure the database keeps, the days cut at the period's edges from the (by, at) index.
    Everyone's, where the other figures take the list of ids: writing 500 ids into a query
    costs peewee a few milliseconds."""
    days, pieces = utc_day_pieces(start, end)
    found: dict[int, int] = {}
    if days is not None:
        d = RepInteractionDay
        query = (
            d.select(d.by_id, fn.SUM(d.interactions))
            .where((d.on >= days[0]) & (d.on <= days[1]))
            .group_by(d.by_id)
        )
        found = _per_user(query)
    if pieces:
        i = Interaction.alias("i")
        counts = [
            i.select(count_rows()).where((i.by == User.id) & (i.at >= lo) & (i.at < hi))
            for lo, hi, _sign in pieces
        ]
        rows = _driver_rows(User.select(User.id, *counts), tuple[int, ...])
        for uid, *numbers in rows:
            change = sum(int(n) * sign for n, (_lo, _hi, sign) in zip(numbers, pieces, strict=True))
            found[uid] = found.get(uid, 0) + change
    return found


def _service_levels(
    ctx: Context, start: datetime, end: datetime
) -> dict[int, tuple[int, tuple[int, int], tuple[int, int]]]:
    """Per owner of the customers: complaints opened in the period, and (met, measured) of the
    first-response and resolution targets (as services.complaints.complaint_metrics counts)."""
    k = Complaint
    now = ctx.now()
    answered = k.acknowledged_at.is_null(False)
    resolved = k.resolved_at.is_null(False)
    late_before_pause = k.waiting_since.is_null(False) & (k.resolve_by < k.waiting_since)
    running_late = k.waiting_since.is_null() & (k.resolve_by < now)
    response_met = answered & (k.acknowledged_at <= k.respond_by)
    response_missed = (answered & (k.acknowledged_at > k.respond_by)) | (
        ~answered & (k.respond_by < now)
    )
    resolution_met = resolved & (k.resolved_at <= k.resolve_by)
    resolution_missed = (resolved & (k.resolved_at > k.resolve_by)) | (
        ~resolved & (late_before_pause | running_late)
    )
    query = (
        k.select(
            Customer.owner,
            fn.COUNT(k.id),
            _count(response_met),
            _count(response_missed),
            _count(resolution_met),
            _count(resolution_missed),
        )
        .join(Customer, on=(k.customer == Customer.id))
        .where((k.opened_at >= start) & (k.opened_at < end))
        .group_by(Customer.owner)
    )
    found = {}
    for owner, opened, r_met, r_missed, s_met, s_missed in _driver_rows(
        query, tuple[int, int, int | None, int | None, int | None, int | None]
    ):
        r_met, r_missed, s_met, s_missed = (int(x or 0) for x in (r_met, r_missed, s_met, s_missed))
        found[owner] = (int(opened), (r_met, r_met + r_missed), (s_met, s_met + s_missed))
    return found


def _csi(ctx: Context, start: datetime, end: datetime) -> dict[int, float | None]:
    """Per owner of the customers: the CSI of the period's surveys over the configured
    dimensions (the five columns configured, and the team's own dimensions' scores)."""
    dimensions = ctx.config.survey.dimensions
    s = Survey
    columns = [getattr(s, name) for name in DIMENSIONS if name in dimensions]
    own = [name for name in dimensions if name not in DIMENSIONS]
    totals: dict[int, list[int]] = {}
    if columns:
        points = reduce(operator.add, (fn.COALESCE(column, 0) for column in columns))
        given = reduce(operator.add, (fn.COUNT(column) for column in columns))
        query = (
            s.select(Customer.owner, fn.SUM(points), given)
            .join(Customer, on=(s.customer == Customer.id))
            .where((s.at >= start) & (s.at < end))
            .group_by(Customer.owner)
        )
        for owner, total, count in _driver_rows(query, tuple[int, int | None, int | None]):
            totals[owner] = [int(total or 0), int(count or 0)]
    if own:
        scores = (
            SurveyScore.select(Customer.owner, fn.SUM(SurveyScore.score), fn.COUNT(SurveyScore.id))
            .join(s, on=(SurveyScore.survey == s.id))
            .join(Customer, on=(s.customer == Customer.id))
            .where((s.at >= start) & (s.at < end) & SurveyScore.dimension.in_(own))
            .group_by(Customer.owner)
        )
        for owner, total, count in _driver_rows(scores, tuple[int, int | None, int | None]):
            pair = totals.setdefault(owner, [0, 0])
            pair[0] += int(total or 0)
            pair[1] += int(count or 0)
    return {owner: csi_of_total(total, count) for owner, (total, count) in totals.items()}


OVERDUE = "overdue"
"""rep_customers' filter for the customers whose follow-up is overdue."""


def rep_customers(
    ctx: Context,
    login: str,
    *,
    grade: str | None = None,
    day: date | None = None,
    limit: int = 1000,
) -> tuple[list[CustomerRow], int]:
    """A rep's customers (at a grade, or `OVERDUE`), the most pressing next due first; the
    first `limit`, and how many there are. Managers and support open anyone's, a rep their
    own."""
    user = User.get_or_none(User.login == login)
    if user is None:
        raise NotFound(_("no user {login}").format(login=login))
    if ctx.role == "rep" and user.id != ctx.user.id:
        raise Forbidden(_("a rep sees their own customers only"))
    day = day or ctx.today()
    where = Customer.owner == user.id
    if grade == OVERDUE:
        where &= Customer.next_due < day
    elif grade:
        where &= Customer.grade == grade
    total = Customer.select().where(where).count()
    query = customer_rows_where(where).order_by(Customer.next_due, Customer.id).limit(limit)
    rows = tuple_rows(query, tuple[int, str, str, str, str, date, Decimal])
    return [CustomerRow(*row) for row in rows], total


__all__ = ["SORTS", "RepRow", "RepComparison", "rep_comparison", "OVERDUE", "rep_customers"]
