"""The interaction log (SPEC §4.3): contacts across customers, newest first, a page at a time,
filtered by rep:, channel:, outcome:, since: and until: (dates as in every form), and by customer
name words. `enter` opens the customer, `l` logs another contact with them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from crmtui.cells import clip
from crmtui.i18n import N_, _
from crmtui.labels import label
from crmtui.present.text import plain
from crmtui.present.time import moment, short_moment
from crmtui.rules import parse_date
from crmtui.screens.paged import Page, PagedScreen, Row
from crmtui.services.validation import CHANNELS, OUTCOMES
from crmtui.views.interactions import InteractionRow
from crmtui.widgets.filter_bar import FilterQuery, KeyParser, one_of
from crmtui.widgets.lists import PAGE_SIZE


class _Day:
    """A filter date, parsed against the day the filter is typed."""

    def __init__(self, screen: InteractionsScreen) -> None:
        self.screen = screen

    def __call__(self, text: str):
        return parse_date(text, self.screen.ctx.today())  # DateInputError is a ValueError


def interaction_detail(i: InteractionRow, zone: tzinfo) -> Text:
    """One contact whole, for the line under the list."""
    text = Text()
    text.append(moment(i.at, zone) + " · ")
    text.append(plain(i.customer, "bold"))
    text.append(
        " · "
        + " · ".join(
            (
                label("channel", i.channel),
                label("outcome", i.outcome),
                _("by {login}").format(login=i.by_name),
            )
        )
    )
    text.append("\n")
    text.append(plain(i.summary))
    if i.next_step:
        text.append(" → ")
        text.append(plain(i.next_step))
    return text


class InteractionsScreen(PagedScreen):
    KEYS_SECTION = "interactions"
    HEADING = N_("Interactions")
    FILTER_HINT = N_("customer words… or rep:li.na channel:phone outcome: since:-7d until:")

    FOOTER_FIRST = ("profile", "log")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "log", N_("Log"), id="log"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._shown_loggable: bool | None = None

    def filter_keys(self) -> Mapping[str, KeyParser]:
        day = _Day(self)
        return {
            "rep": str.lower,
            "channel": one_of(CHANNELS),
            "outcome": one_of(OUTCOMES),
            "since": day,
            "until": day,
        }

    def columns(self, width: int) -> list[tuple[str, int]]:
        wide = width >= 110
        columns = [
            (_("When"), 16 if wide else 11),
            (_("Customer"), 16 if wide else 12),
            (_("Channel"), 7),
            (_("Outcome"), 9),
            (_("By"), 10 if wide else 8),
        ]
        used = sum(w for _label, w in columns) + 2 * len(columns)
        return [*columns, (_("Summary"), max(12, width - used - 4))]

    def fetch(self, query: FilterQuery, offset: int, width: int, limit: int = PAGE_SIZE) -> Page:
        # on first use: kept out of the app's start-up imports
        from crmtui.services.interactions import timeline

        values = query.values
        rows = timeline(
            self.ctx,
            rep=values.get("rep"),
            channel=values.get("channel"),
            outcome=values.get("outcome"),
            since=values.get("since"),
            until=values.get("until"),
            customer_text=query.text,
            offset=offset,
            limit=limit,
            everyone=self.app.everyone,
        )
        from crmtui.services.access import loggable_customers

        zone, today = self.ctx.zone, self.ctx.today()
        widths = [w for _label, w in self.columns(width)]
        loggable = loggable_customers(self.ctx, [i.customer_id for i in rows])
        return Page(
            rows=[
                Row(
                    str(i.id),
                    i.customer_id,
                    (
                        (
                            moment(i.at, zone)
                            if widths[0] >= 16
                            else short_moment(i.at, zone, today)
                        ),
                        clip(i.customer, widths[1]),
                        label("channel", i.channel),
                        label("outcome", i.outcome),
                        clip(i.by_name, widths[4]),
                        clip(i.summary, widths[5]),
                    ),
                    customer=i.customer,
                    can_log=i.customer_id in loggable,
                    detail=interaction_detail(i, zone),
                )
                for i in rows
            ],
            offset=offset,
            limit=limit,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "log":
            key = self.table.current_key
            if key is None:
                return None
            return self.can_log_at.get(key, False)  # support: while a complaint is open
        return super().check_action(action, parameters)

    @on(DataTable.RowHighlighted)
    def _row_changed(self) -> None:
        key = self.table.current_key
        loggable = key is not None and self.can_log_at.get(key, False)
        if loggable != self._shown_loggable:
            self._shown_loggable = loggable
            self.refresh_bindings()

    def action_log(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.log import LogDialog, LogTarget

        key = self.table.current_key
        customer_id = self.current_customer()
        if key is None or customer_id is None:
            return
        self.app.push_screen(
            LogDialog(LogTarget(customer_id, self.name_of.get(key, ""))), self._logged
        )

    def _logged(self, logged) -> None:
        if logged is not None:
            self.app.notify(
                _("Logged for {name}.").format(name=logged.result.customer.name), title=_("Saved")
            )
            self.reload()
