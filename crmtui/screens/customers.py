"""Customers (SPEC §4.6): every customer you may see, sorted and filtered in SQL, a page at a time.
`n` adds a customer (the same form as editing), `e` edits the one under the cursor, `s` changes
the sort, `/` filters by text or by grade:, owner:, status:, tag:, source:."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from crmtui.cells import clip
from crmtui.i18n import N_, _
from crmtui.labels import label
from crmtui.present.styles import OVERDUE_MARK, grade_text, overdue_style
from crmtui.present.text import plain
from crmtui.present.time import short_day
from crmtui.screens.paged import Page, PagedScreen, Row
from crmtui.services.validation import SOURCES, STATUSES, clean_tags
from crmtui.views.customers import CustomerRow
from crmtui.widgets.filter_bar import FilterQuery, grades, one_of
from crmtui.widgets.lists import PAGE_SIZE

SORTS = ("name", "company", "grade", "next_due", "revenue", "last_contact", "created")
SORT_TITLES = {
    "name": N_("name"),
    "company": N_("company"),
    "grade": N_("grade"),
    "next_due": N_("next due"),
    "revenue": N_("revenue"),
    "last_contact": N_("last contact"),
    "created": N_("newest"),
}


FILTER_KEYS = {
    "grade": grades,
    "owner": str.lower,
    "status": one_of(STATUSES),
    "tag": clean_tags,
    "source": one_of(SOURCES),
}


def due_text(day: date, today: date, *, chased: bool = True) -> Text:
    """The next due day; an overdue one marked with ! as well as in red (a terminated
    customer's day is only shown: nobody chases them)."""
    if chased and day < today:
        return Text(day.isoformat() + OVERDUE_MARK, style=overdue_style())
    return Text(day.isoformat())


def customer_detail(c: CustomerRow, today: date) -> Text:
    """One customer whole, for the line under the list."""
    text = Text()
    text.append(plain(c.name, "bold"))
    for part in (
        c.company,
        label("status", c.status),
        _("owner {name}").format(name=c.owner_name),
    ):
        if part:
            text.append(" · ")
            text.append(plain(part))
    text.append(" · " + _("grade {grade}").format(grade=c.grade))
    text.append(" · " + _("next due {day}").format(day=c.next_due.isoformat()))
    if c.chased and c.next_due < today:
        text.append(" (" + _("overdue") + ")", style="bold")
    more = [", ".join(c.phones), c.email, c.tags.replace(",", " ")]
    if any(more):
        text.append("\n")
        text.append(plain(" · ".join(part for part in more if part)))
    return text


class CustomersScreen(PagedScreen):
    KEYS_SECTION = "customers"
    HEADING = N_("Customers")
    FILTER_KEYS = FILTER_KEYS
    FILTER_HINT = N_("name, company, phone, pinyin… or grade:A owner:li.na status: tag: source:")
    COUNT_TEXT = N_("{n:,} customers")
    COUNT_ONE = N_("{n:,} customer")
    FOOTER_FIRST = ("profile", "new-customer", "edit")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", N_("New"), id="new-customer", tooltip=N_("add a customer")),
        Binding("e", "edit", N_("Edit"), id="edit", tooltip=N_("edit the customer")),
        Binding(
            "greater_than_sign",
            "sort",
            N_("Sort"),
            id="sort",
            tooltip=N_("name, company, grade, next due, revenue, last contact, newest"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort = "name"

    def describe(self) -> str:
        return _("sorted by {what}").format(what=_(SORT_TITLES[self.sort]))

    @property
    def shows_owner(self) -> bool:
        """The owner column, only where the list holds others' customers (not a rep's own)."""
        # on first use: kept out of the app's start-up imports
        from crmtui.services.access import owner_filter

        return owner_filter(self.ctx, everyone=self.app.everyone) is None

    def widths(self, width: int) -> dict[str, int]:
        wide = width >= 110
        owner = (12 if wide else 9) if self.shows_owner else 0
        # the owner's room goes to the company when there is no owner column
        return {
            "name": 18 if wide else 14,
            "company": (26 if wide else 16) + ((12 if wide else 9) - owner),
            "owner": owner,
        }

    def columns(self, width: int) -> list[tuple[str, int]]:
        w = self.widths(width)
        owner = [(_("Owner"), w["owner"])] if w["owner"] else []
        columns = [
            (_("Name"), w["name"]),
            (_("Company"), w["company"]),
            ("G", 2),
            *owner,
            (_("Status"), 10),
            (_("Next due"), 11),
        ]
        if width < 110:
            return columns
        columns += [(_("Last"), 5), (_("Phone"), 16)]
        used = sum(w for _label, w in columns) + 2 * len(columns)
        return [*columns, (_("Tags"), max(6, width - used - 4))]

    def fetch(self, query: FilterQuery, offset: int, width: int, limit: int = PAGE_SIZE) -> Page:
        # on first use: kept out of the app's start-up imports
        from crmtui.services.customers import list_customers

        values = query.values
        page = list_customers(
            self.ctx,
            text=query.text,
            grade=",".join(values.get("grade", ())) or None,
            owner=values.get("owner"),
            status=values.get("status"),
            tag=values.get("tag"),
            source=values.get("source"),
            sort=self.sort,
            offset=offset,
            limit=limit,
            everyone=self.app.everyone,
        )
        wide = width >= 110
        w = self.widths(width)
        today = self.ctx.today()
        rows = []
        for c in page.rows:
            cells = [
                clip(c.name, w["name"]),
                clip(c.company, w["company"]),
                grade_text(c.grade, pinned=c.grade_pinned),
            ]
            if w["owner"]:
                cells.append(clip(c.owner_name, w["owner"]))
            cells += [label("status", c.status), due_text(c.next_due, today, chased=c.chased)]
            if wide:
                cells += [
                    short_day(c.last_contact_on, today) if c.last_contact_on else "",
                    c.phones[0] if c.phones else "",
                    c.tags.replace(",", " "),
                ]
            rows.append(
                Row(
                    str(c.id), c.id, tuple(cells), customer=c.name, detail=customer_detail(c, today)
                )
            )
        return Page(rows=rows, offset=offset, total=page.total, limit=limit)

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.reload()

    def action_new(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.customer import CustomerForm

        def created(customer) -> None:
            if customer is not None:
                self.app.notify(_("{name} added.").format(name=customer.name), title=_("Saved"))
                self.app.open_profile(customer.id)

        self.app.push_screen(CustomerForm(), created)

    def action_edit(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.customer import CustomerForm

        customer_id = self.current_customer()
        if customer_id is None:
            return

        def saved(customer) -> None:
            if customer is not None:
                self.app.notify(_("{name} saved.").format(name=customer.name), title=_("Saved"))
                self.reload()

        self.app.push_screen(CustomerForm(customer_id), saved)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new", "edit") and self.ctx.role == "support":
            return False
        return super().check_action(action, parameters)
