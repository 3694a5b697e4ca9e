"""The due list of the Today screen: the day's schedule first (its appointments in time order),
then one line per due item under a heading per section, in the order the rules give; the cursor
skips the headings. The lines are `crmtui.present.schedule`'s and `crmtui.present.due`'s, the
same as `crmtui agenda` and `crmtui due` print."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import date, timezone, tzinfo
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from crmtui.i18n import N_
from crmtui.present.due import DueColumns, section_heading, sections
from crmtui.present.schedule import ScheduleColumns, schedule_heading
from crmtui.rules import DueItem
from crmtui.widgets.line_list import LineList


def is_appointment(item: Any) -> bool:
    """A row of the schedule (an appointment's view) rather than a due item."""
    return item is not None and not isinstance(item, DueItem)


def item_key(item: Any) -> tuple:
    if is_appointment(item):
        return ("appointment", item.customer_id, item.id)
    return (item.kind.value, item.customer_id, item.ref_id)


class DueList(LineList[Any]):
    """The schedule's appointments, then due items under section headings; the cursor skips the
    headings.

    Drawn with the line API (LineList), so a manager's list of thousands of items costs no
    more per key than a rep's dozen.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select",
            N_("Profile"),
            id="profile",
            tooltip=N_("the customer's profile (on a complaint: the complaint)"),
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"due-list--heading"}

    DEFAULT_CSS = """
    DueList > .due-list--heading {
        color: $text-accent;
        text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.headings: dict[int, str] = {}
        self.columns = DueColumns.for_width(80, owner=False)
        self.schedule_columns = ScheduleColumns.for_width(80)
        self.today: date | None = None
        self.zone: tzinfo = timezone.utc
        self.schedule_keys = ""

    def show_items(
        self,
        items: Sequence[DueItem],
        *,
        today: date,
        owner: bool,
        width: int,
        keep: Hashable | None = None,
        schedule: Sequence[Any] = (),
        zone: tzinfo | None = None,
        schedule_keys: str = "",
    ) -> None:
        """Replace the list (the schedule's appointments first, in the user's `zone`, under a
        heading that names `schedule_keys`), keeping the cursor on the item keyed `keep` (or
        near it)."""
        self.columns = DueColumns.for_width(width, owner=owner)
        self.schedule_columns = ScheduleColumns.for_width(width, owner=owner)
        self.today = today
        self.zone = zone or self.zone
        self.schedule_keys = schedule_keys
        rows: list[Any] = []
        headings: dict[int, str] = {}
        if schedule:
            headings[0] = " " + schedule_heading(len(schedule))
            rows.append(None)
            rows.extend(schedule)
        for kind, section in sections(items).items():
            headings[len(rows)] = " " + section_heading(kind, len(section))
            rows.append(None)
            rows.extend(section)
        self.headings = headings
        self.set_items(rows, width=width, keep=keep)

    def row_key(self, item: Any) -> tuple:
        return item_key(item)

    def item_after(self, item: Any) -> Hashable | None:
        return self.key_after(item)

    def line_text(self, index: int) -> Text:
        item = self.items[index]
        if item is None:
            text = Text()
            text.append(
                self.headings[index], style=self.get_component_rich_style("due-list--heading")
            )
            if (
                index == 0
                and self.schedule_keys
                and self.items[1:2]
                and is_appointment(self.items[1])
            ):
                text.append("  " + self.schedule_keys, style="dim")
            return text
        if is_appointment(item):
            return self.schedule_columns.line(item, self.zone)
        assert self.today is not None  # set with the items
        return self.columns.line(item, self.today)

    def reveal_from(self, cursor: int) -> int:
        # the first item of a section scrolls into view with its heading
        return cursor - 1 if cursor > 0 and self.items[cursor - 1] is None else cursor
