"""The profile's key-account keys: on the Contacts tab `n` adds a contact, `enter` edits the one
under the cursor and `delete` (or `d`) removes it (after asking); `P` creates or edits the account
plan; `S` records a satisfaction survey. Offered only to whoever may change the customer."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable, TabbedContent

from crmtui.i18n import N_, _
from crmtui.screens.base import CrmScreen
from crmtui.screens.profile_view import ProfileView
from crmtui.services.contacts import visible_contact

ACCOUNT_ACTIONS = frozenset({"new_contact", "remove_contact", "plan", "survey"})
CONTACT_ACTIONS = frozenset({"new_contact", "remove_contact"})


ACCOUNT_BINDINGS: list[BindingType] = [
    Binding(
        "n",
        "new_contact",
        N_("New contact"),
        id="new-contact",
        show=False,
        tooltip=N_("add a person at this customer (Contacts tab)"),
    ),
    Binding(
        "delete",
        "remove_contact",
        N_("Remove contact"),
        id="remove-contact",
        show=False,
        tooltip=N_("remove the contact under the cursor (Contacts tab)"),
    ),
    Binding(
        "P",
        "plan",
        N_("Plan"),
        id="account-plan",
        show=False,
        tooltip=N_("the account plan (重点客户计划): targets, visit cycle, SWOT, review"),
    ),
    Binding(
        "S",
        "survey",
        N_("Survey"),
        id="survey",
        show=False,
        tooltip=N_("a satisfaction survey with the customer's comment"),
    ),
]
"""The profile's keys for them, after its own. The footer is full at 80 columns, so the Contacts
tab says its keys in a line of its own (contacts_keys) and `?` lists them all."""


def contacts_keys(editable: bool, any_contacts: bool) -> str:
    """The Contacts tab's line of keys, for whoever may change the customer."""
    if not editable:
        return ""
    if not any_contacts:
        return _("n new contact")
    return _("n new contact · enter edit · d delete")


class ProfileAccountKeys(CrmScreen):
    """The base of ProfileScreen (with ProfileRecordKeys), which sets `customer_id` and loads
    `view`."""

    customer_id: int
    view: ProfileView | None

    def _after_save(self, result: Any, message: str) -> None:
        if result is not None:
            self.app.notify(message, title=_("Saved"))
            self.reload()

    tab_after_load: str | None = None
    """A tab to show once the profile is read again (the plan, after it was saved)."""

    def account_action_allowed(self, action: str) -> bool | None:
        """check_action for ACCOUNT_ACTIONS: hidden unless the user may change the customer;
        the contact keys only on the Contacts tab (remove: with a contact under the cursor)."""
        view = self.view
        if view is None:
            return None
        if not view.editable:
            return False
        if action in CONTACT_ACTIONS:
            if self.query_one(TabbedContent).active != "contacts":
                return False
            if action == "remove_contact":
                return self._contact_under_cursor() is not None or None
        return True

    def _contact_under_cursor(self) -> int | None:
        table = self.query_one("#table-contacts", DataTable)
        if not table.row_count or not table.show_cursor:
            return None
        key, _column = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0))
        return int(key.value) if key.value and key.value.isdigit() else None

    @on(TabbedContent.TabActivated)
    def _account_keys_follow_tab(self) -> None:
        self.refresh_bindings()

    def action_new_contact(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.accounts import ContactDialog

        view = self.view
        if view is None:
            return
        self.app.push_screen(
            ContactDialog(view.customer_id, view.name),
            lambda contact: self._after_save(
                contact, _("Contact {name} added.").format(name=contact.name) if contact else ""
            ),
        )

    @on(DataTable.RowSelected, "#table-contacts")
    def _contact_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        view = self.view
        if view is None or not view.editable or not key or not key.isdigit():
            return
        self._with_contact(int(key), self._edit_contact)

    def action_remove_contact(self) -> None:
        contact_id = self._contact_under_cursor()
        if contact_id is not None:
            self._with_contact(contact_id, self._ask_remove)

    def _with_contact(self, contact_id: int, then) -> None:
        self.call_service(visible_contact, self.ctx, contact_id, done=then, group="action")

    def _edit_contact(self, facts) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.accounts import ContactDialog

        view = self.view
        if view is None:
            return
        self.app.push_screen(
            ContactDialog(view.customer_id, view.name, facts),
            lambda contact: self._after_save(
                contact, _("Contact {name} saved.").format(name=contact.name) if contact else ""
            ),
        )

    def _ask_remove(self, facts) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.accounts import RemoveContactDialog

        view = self.view
        if view is None:
            return
        self.app.push_screen(
            RemoveContactDialog(view.customer_id, view.name, facts),
            lambda contact: self._after_save(
                contact, _("Contact {name} removed.").format(name=contact.name) if contact else ""
            ),
        )

    def action_plan(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.services.plans import plan_status

        view = self.view
        if view is None:
            return
        self.call_service(
            plan_status, self.ctx, view.customer_id, done=self._edit_plan, group="action"
        )

    def _edit_plan(self, status) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.accounts import PlanDialog

        view = self.view
        if view is None:
            return
        plan = status.plan if status is not None else None

        def saved(result) -> None:
            if result is None:
                return
            message = _("Account plan saved; review on {day}.").format(
                day=result.plan.review_on.isoformat()
            )
            self.tab_after_load = "plan"
            self._after_save(result, message)

        self.app.push_screen(PlanDialog(view.customer_id, view.name, plan), saved)

    def action_survey(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.accounts import SurveyDialog

        view = self.view
        if view is None:
            return
        self.app.push_screen(
            SurveyDialog(view.customer_id, view.name),
            lambda survey: self._after_save(survey, _("Survey recorded.")),
        )


__all__ = ["ProfileAccountKeys", "ACCOUNT_ACTIONS", "ACCOUNT_BINDINGS"]
