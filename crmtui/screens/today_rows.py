"""Today's rows, an appointment of the schedule or a due item, and what the filter of the list
matches in each (`grade:`, `kind:` with `kind:appointment` for the schedule, `owner:` by name or
login, and words)."""

from __future__ import annotations

from crmtui.labels import label
from crmtui.present.schedule import details
from crmtui.rules import DueItem, DueKind
from crmtui.services.appointment_views import AppointmentView
from crmtui.widgets.filter_bar import FilterQuery, grades, one_of

Row = DueItem | AppointmentView
"""A line of the list: an appointment of the schedule, or a due item."""

APPOINTMENT = "appointment"
"""The filter's kind for the schedule's rows (kind:appointment)."""
FILTER_KEYS = {
    "grade": grades,
    "kind": one_of((*(kind.value for kind in DueKind), APPOINTMENT)),
    "owner": str.lower,
}


def matches(item: Row, query: FilterQuery) -> bool:
    values = query.values
    if isinstance(item, AppointmentView):
        if "grade" in values or values.get("kind", APPOINTMENT) != APPOINTMENT:
            return False
        if "owner" in values and values["owner"] not in item.user.lower():
            return False
        words = (
            item.customer,
            item.company,
            details(item),
            label("purpose", item.purpose),
            label("appointment_kind", item.kind),
        )
        return all(word in " ".join(words).casefold() for word in query.text.casefold().split())
    if "grade" in values and (item.grade is None or item.grade.value not in values["grade"]):
        return False
    if "kind" in values and item.kind.value != values["kind"]:
        return False
    if (
        "owner" in values
        and values["owner"] not in item.owner.lower()
        and values["owner"] != item.owner_login.lower()
    ):  # a name, or a login
        return False
    if query.text:
        haystack = " ".join((item.customer, item.company, item.detail, item.owner)).casefold()
        return all(word in haystack for word in query.text.casefold().split())
    return True
