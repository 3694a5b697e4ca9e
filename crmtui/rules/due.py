"""Items of the due list and their order (the Today screen, `crmtui due`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from operator import itemgetter
from typing import Any

from ._base import StrEnum
from .grades import GRADE_ORDER, Grade


class DueKind(StrEnum):
    """Kinds of due item, in the order of the Today screen's sections."""

    COMPLAINT = "complaint"
    INSTRUCTION = "instruction"
    """The manager's instruction about a customer (上级指令), until reported done."""
    PROMISE = "promise"
    DELIVERY = "delivery"
    """An order to deliver today (or late)."""
    PAYMENT = "payment"
    """An order whose payment is overdue (回款)."""
    FOLLOW_UP = "follow_up"
    WIN_BACK = "win_back"
    """A lapsed customer to win back (挽回)."""
    CARE = "care"
    GREETING = "greeting"
    REFERRAL = "referral"
    DROPPED = "dropped"
    REVIEW = "review"


_SECTION = {kind: i for i, kind in enumerate(DueKind)}
_GRADES = {grade.value: grade for grade in Grade}


class DueItem:
    """One line of the due list; ref_id is the complaint, instruction, commitment, care date or
    plan. A value: compared and hashed by its fields, never changed once made (a plain class
    with slots, not a frozen dataclass: a team's list makes tens of thousands, and a dataclass
    costs more to make and to import)."""

    __slots__ = (
        "kind",
        "customer_id",
        "customer",
        "company",
        "grade",
        "owner",
        "due",
        "overdue_days",
        "detail",
        "ref_id",
        "at_risk",
        "owner_login",
    )
    kind: DueKind
    customer_id: int
    customer: str
    company: str
    grade: Grade | None
    owner: str
    due: date
    overdue_days: int
    detail: str
    ref_id: int | None
    at_risk: bool
    owner_login: str
    """The owner's login (`owner` is the name shown), for `owner:` filters."""

    def __init__(
        self,
        kind: DueKind | str,
        customer_id: int,
        customer: str,
        company: str,
        grade: Grade | str | None,
        owner: str,
        due: date,
        overdue_days: int,
        detail: str,
        ref_id: int | None = None,
        at_risk: bool = False,
        owner_login: str = "",
    ) -> None:
        self.kind = kind if kind.__class__ is DueKind else DueKind(kind)
        self.grade = (
            grade
            if grade is None or grade.__class__ is Grade
            else _GRADES.get(grade) or Grade(grade)
        )
        self.customer_id = customer_id
        self.customer = customer
        self.company = company
        self.owner = owner
        self.due = due
        self.overdue_days = overdue_days
        self.detail = detail
        self.ref_id = ref_id
        self.at_risk = at_risk
        self.owner_login = owner_login

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not DueItem:
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"DueItem({fields})"

    def to_json(self) -> dict[str, Any]:
        """The item as `crmtui due --json` prints it."""
        return {
            "kind": self.kind.value,
            "customer_id": self.customer_id,
            "customer": self.customer,
            "company": self.company,
            "grade": self.grade.value if self.grade is not None else None,
            "owner": self.owner,
            "due": self.due.isoformat(),
            "overdue_days": self.overdue_days,
            "detail": self.detail,
            "ref_id": self.ref_id,
        }


def overdue_days(due: date, today: date) -> int:
    """Days past due, 0 when not yet due."""
    return max(0, (today - due).days)


# section-grade-day packed, then the fields that break ties (see due_sort_key)
SortKey = tuple[int, str, int, bool, int, str, str, str, int, bool]
_GRADE_RANK = {grade.value: rank for rank, grade in enumerate(GRADE_ORDER)}


def due_sort_key(
    kind: DueKind,
    grade: Grade | str | None,
    due: date,
    customer: str,
    customer_id: int,
    ref_id: int | None,
    detail: str,
    owner: str,
    company: str,
    overdue: int,
    at_risk: bool,
) -> SortKey:
    """Where a due item goes in the list, from its fields (items and bulk rows sort alike): by
    section, then follow-ups by grade and due day, the others by due day and grade."""
    rank = _GRADE_RANK[grade] if grade is not None else len(_GRADE_RANK)
    # (section, grade, day) packed in one number, which most comparisons of a long list settle
    day = due.toordinal()  # below 10**6 (year 2738)
    head = rank * 10**6 + day if kind is DueKind.FOLLOW_UP else day * 10 + rank
    # The trailing fields only break ties, so that the order never depends on the input's.
    return (
        _SECTION[kind] * 10**8 + head,
        customer,
        customer_id,
        ref_id is not None,
        ref_id or 0,
        detail,
        owner,
        company,
        overdue,
        at_risk,
    )


def _sort_key(item: DueItem) -> SortKey:
    return due_sort_key(
        item.kind,
        item.grade,
        item.due,
        item.customer,
        item.customer_id,
        item.ref_id,
        item.detail,
        item.owner,
        item.company,
        item.overdue_days,
        item.at_risk,
    )


_FOLLOW_UP_LINE_KEY = itemgetter(3, 5, 1, 0)
_LINE_KEY = itemgetter(5, 3, 1, 0, 7)


def section_line_key(kind: DueKind) -> Callable[[Sequence[Any]], Any]:
    """The order of one section's lines, as a key over tuples of (customer id, name, company,
    grade letter, owner id, due day, detail, ref id, …): the order `due_sort_key` gives, for a
    section whose lines are of one customer and ref id each and whose grades are letters (the
    letters sort as the grades rank). A key picked out in C: a team's list sorts tens of
    thousands of lines."""
    return _FOLLOW_UP_LINE_KEY if kind is DueKind.FOLLOW_UP else _LINE_KEY


def order_due_items(items: Iterable[DueItem]) -> list[DueItem]:
    """The due list in section order; follow-ups by grade then most overdue, others by due date."""
    return sorted(items, key=_sort_key)
