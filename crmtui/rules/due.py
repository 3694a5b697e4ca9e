"""Items of the due list and their order (the Today screen, `crmtui due`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ._base import StrEnum
from .grades import Grade, grade_rank


class DueKind(StrEnum):
    """Kinds of due item, in the order of the Today screen's sections."""

    COMPLAINT = "complaint"
    PROMISE = "promise"
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


@dataclass(frozen=True)
class DueItem:
    """One line of the due list; ref_id is the complaint, commitment, care date or plan."""

    kind: DueKind
    customer_id: int
    customer: str
    company: str
    grade: Grade | None
    owner: str
    due: date
    overdue_days: int
    detail: str
    ref_id: int | None = None
    at_risk: bool = False
    owner_login: str = ""
    """The owner's login (`owner` is the name shown), for `owner:` filters."""

    def __post_init__(self) -> None:
        # Checked before converting: a long due list builds thousands of items.
        if self.kind.__class__ is not DueKind:
            object.__setattr__(self, "kind", DueKind(self.kind))
        if self.grade is not None and self.grade.__class__ is not Grade:
            object.__setattr__(self, "grade", _GRADES.get(self.grade) or Grade(self.grade))

    def to_json(self) -> dict:
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


def _sort_key(item: DueItem) -> tuple:
    grade = grade_rank(item.grade) if item.grade is not None else len(Grade)
    if item.kind is DueKind.FOLLOW_UP:
        head = (grade, item.due)
    else:
        head = (item.due, grade)
    # The trailing fields only break ties, so that the order never depends on the input's.
    tail = (
        item.customer, item.customer_id, item.ref_id is not None, item.ref_id or 0,
        item.detail, item.owner, item.company, item.overdue_days, item.at_risk,
    )
    return (_SECTION[item.kind], *head, *tail)


def order_due_items(items: Iterable[DueItem]) -> list[DueItem]:
    """The due list in section order; follow-ups by grade then most overdue, others by due date."""
    return sorted(items, key=_sort_key)
