"""The profile's records: `l` log, `o` order, `p` promise, `c` care date, `x` complaint, `b` book,
`$` payment, `i` instruction, `R` regrade, `v` value class, `T` lifecycle, `O` reassign; on the
tabs of records `e` or `enter` corrects the highlighted one and `d` removes it (after asking)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.coordinate import Coordinate
from textual.widgets import DataTable, TabbedContent

from crmtui.i18n import _
from crmtui.labels import label, weekday_name
from crmtui.present.text import user_text
from crmtui.screens.dialogs.care import CareDialog
from crmtui.screens.dialogs.complaint import NewComplaintDialog, opened_message
from crmtui.screens.dialogs.corrections import ReassignDialog, RemoveRecordDialog
from crmtui.screens.dialogs.form import FormDialog
from crmtui.screens.dialogs.log import EditInteractionDialog, LogDialog, LogTarget
from crmtui.screens.dialogs.small import OrderDialog, PromiseDialog, RegradeDialog
from crmtui.screens.profile_accounts import ProfileAccountKeys
from crmtui.widgets.lists import NavTable

ROW_KINDS = {
    "timeline": "interaction",
    "orders": "order",
    "promises": "promise",
    "care": "care",
    "surveys": "survey",
}
"""The tabs whose rows are corrected (`e`, `enter`) and removed (`d`): the kind of record."""


class ProfileRecordKeys(ProfileAccountKeys):
    """The base of ProfileScreen, after ProfileAccountKeys."""

    def _record_under_cursor(self) -> tuple[str, int] | None:
        """(kind, id) of the record highlighted on the current tab of records."""
        tab = self.query_one(TabbedContent).active
        kind = ROW_KINDS.get(tab)
        if kind is None:
            return None
        table = self.query_one(f"#table-{tab}", DataTable)
        if not table.row_count or not table.show_cursor:
            return None
        key, _column = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0))
        return (kind, int(key.value)) if key.value and key.value.isdigit() else None

    @on(
        DataTable.RowSelected,
        "#table-timeline, #table-orders, #table-promises, #table-care, #table-surveys",
    )
    def _record_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        tab = self.query_one(TabbedContent).active
        if self.view is None or not self.view.editable or tab not in ROW_KINDS:
            return
        if key and key.isdigit():
            self._correct(ROW_KINDS[tab], int(key))

    def _correct(self, kind: str, number: int) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.services.corrections import read_record

        self.call_service(
            read_record, self.ctx, kind, number, done=self._edit_record, group="action"
        )

    def _edit_record(self, record) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.accounts import SurveyDialog

        view = self.view
        if view is None:
            return
        kind = record.kind
        dialog: FormDialog[Any]
        if kind == "interaction":
            dialog = EditInteractionDialog(
                LogTarget(view.customer_id, view.name, view.company, view.grade), record
            )
        elif kind == "order":
            dialog = OrderDialog(view.customer_id, view.name, record)
        elif kind == "promise":
            dialog = PromiseDialog(view.customer_id, view.name, record)
        elif kind == "care":
            dialog = CareDialog(view.customer_id, view.name, record)
        else:
            dialog = SurveyDialog(view.customer_id, view.name, record=record)
        saved = _("{record} #{id} saved.").format(
            record=label("record", kind).capitalize(), id=record.id
        )
        self.app.push_screen(dialog, lambda result: self._after_save(result, saved))

    def action_reassign(self) -> None:
        view = self.view
        if view is None:
            return
        self.app.push_screen(
            ReassignDialog(view.customer_id, view.name, view.owner),
            lambda customer: self._after_save(
                customer,
                _("{name}: owner {owner}").format(
                    name=customer.name, owner=user_text(customer.owner)
                )
                if customer
                else "",
            ),
        )

    def action_delete_row(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.services.corrections import read_record

        tab = self.query_one(TabbedContent).active
        if tab == "contacts":
            self.action_remove_contact()
            return
        found = self._record_under_cursor()
        if found is not None:
            self.call_service(read_record, self.ctx, *found, done=self._ask_removal, group="action")

    def _ask_removal(self, record) -> None:
        self.app.push_screen(
            RemoveRecordDialog(record),
            lambda removed: self._after_save(removed, str(removed) if removed else ""),
        )

    def action_log(self) -> None:
        view = self.view
        if view is None:
            return

        def logged(result) -> None:
            if result is not None:
                customer = result.result.customer
                self._after_save(
                    result, _("Logged; next due {due}.").format(due=customer.next_due.isoformat())
                )

        self.app.push_screen(
            LogDialog(LogTarget(view.customer_id, view.name, view.company, view.grade)), logged
        )

    def action_regrade(self) -> None:
        if self.view is None:
            return
        self.app.push_screen(
            RegradeDialog(self.view.facts),
            lambda customer: self._after_save(
                customer, _("Grade {grade}.").format(grade=customer.grade) if customer else ""
            ),
        )

    def action_value_class(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.lifecycle import ValueClassDialog

        if self.view is None:
            return
        self.app.push_screen(
            ValueClassDialog(self.view.class_facts),
            lambda customer: self._after_save(
                customer,
                _("Value class {value_class}.").format(
                    value_class=label("tier", customer.value_class)
                )
                if customer
                else "",
            ),
        )

    def action_lifecycle(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.lifecycle import LifecycleDialog

        if self.view is None:
            return
        self.app.push_screen(
            LifecycleDialog(self.view.class_facts),
            lambda customer: self._after_save(
                customer,
                _("Lifecycle {lifecycle}.").format(lifecycle=label("lifecycle", customer.lifecycle))
                if customer
                else "",
            ),
        )

    def action_order(self) -> None:
        if self.view is None:
            return
        self.app.push_screen(
            OrderDialog(self.customer_id, self.view.name),
            lambda order: self._after_save(order, _("Order recorded.")),
        )

    def action_promise(self) -> None:
        if self.view is None:
            return
        self.app.push_screen(
            PromiseDialog(self.customer_id, self.view.name),
            lambda promise: self._after_save(promise, _("Promise recorded.")),
        )

    def action_care(self) -> None:
        if self.view is None:
            return
        self.app.push_screen(
            CareDialog(self.customer_id, self.view.name),
            lambda care: self._after_save(care, _("Care date added.")),
        )

    def action_book(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.appointment import BookDialog

        if self.view is None:
            return

        def booked(row) -> None:
            if row is None:
                return
            when = row.starts_at.astimezone(self.ctx.zone)
            self._after_save(
                row,
                _("Booked for {day} {time}.").format(
                    day=f"{weekday_name(when.date())} {when.date().isoformat()}",
                    time=when.strftime("%H:%M"),
                ),
            )

        self.app.push_screen(BookDialog(self.customer_id, self.view.name), booked)

    def action_complaint(self) -> None:
        if self.view is None:
            return
        self.app.push_screen(
            NewComplaintDialog(self.customer_id, self.view.name),
            lambda complaint: self._after_save(complaint, opened_message(self.ctx, complaint)),
        )

    def action_pay(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.followthrough import PaymentDialog

        view = self.view
        if view is None:
            return
        tabs = self.query_one(TabbedContent)
        table = self.query_one("#table-orders", NavTable)
        order_id = None
        if tabs.active == "orders" and table.row_count and view.orders:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            order_id = int(key) if key and key.isdigit() else None
        if order_id is None:
            tabs.active = "orders"
            self.app.notify(_("Choose the order on the Orders tab, then press $."))
            return
        owed, ordered_on = view.orders[order_id]
        if not owed:
            self.app.notify(
                _("Nothing is owed on order #{id}.").format(id=order_id), severity="warning"
            )
            return
        self.app.push_screen(
            PaymentDialog(order_id, view.name, owed, ordered_on),
            lambda paid: self._after_save(paid, _("Payment recorded.")),
        )

    def action_instruct(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.followthrough import InstructionDialog

        view = self.view
        if view is None:
            return
        self.app.push_screen(
            InstructionDialog(view.customer_id, view.name, view.owner, view.owner_name),
            lambda given: self._after_save(
                given, _("Instruction given to {owner}.").format(owner=view.owner_name)
            ),
        )
