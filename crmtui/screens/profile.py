"""The customer profile (SPEC §4.2): a header with what matters at a glance, and tabs for the
archive, contacts, the interactions timeline, orders, promises, complaints, care dates, surveys,
grade history, the history of every change, appointments, referrals and the account plan. `e`
edit, `l` log, `R` regrade, `o` order, `p` promise, `c` a care date (solar or lunar; both
calendars are shown), `x` a complaint (enter on one in the complaints tab opens it), `v` the
value class by judgement, `T` terminate or make active again, `b` books an appointment. On the
tabs of records, `e` or `enter` corrects the highlighted one and `d` removes it (after asking);
elsewhere `e` edits the archive."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static, TabbedContent, TabPane, Tabs, Tree

from crmtui.cells import clip
from crmtui.i18n import N_, _
from crmtui.present.profile import (
    Section,
    referral_label,
)
from crmtui.screens.dialogs.customer import CustomerForm
from crmtui.screens.profile_accounts import (
    ACCOUNT_ACTIONS,
    ACCOUNT_BINDINGS,
    contacts_keys,
)
from crmtui.screens.profile_records import ROW_KINDS, ProfileRecordKeys
from crmtui.screens.profile_view import ProfileView, load_profile
from crmtui.services.profile import ReferralNode
from crmtui.widgets.detail_line import DetailLine, row_text
from crmtui.widgets.lists import NavTable

TAB_TITLES = {
    "overview": N_("Overview"),
    "contacts": N_("Contacts"),
    "timeline": N_("Timeline"),
    "orders": N_("Orders"),
    "promises": N_("Promises"),
    "complaints": N_("Complaints"),
    "care": N_("Care"),
    "surveys": N_("Surveys"),
    "grades": N_("Grades"),
    "history": N_("History"),
    "schedule": N_("Schedule"),
    "referrals": N_("Referrals"),
    "plan": N_("Plan"),
}


TABLE_TABS = ("contacts", "timeline", "orders", "complaints", "care", "grades")
"""The tabs that are tables, in order, before the referrals and the plan."""


LATER_TABS = ("promises", "surveys", "history", "schedule")
"""Tables after the plan (added later: the tabs before keep their places)."""


class ProfileScreen(ProfileRecordKeys):
    KEYS_SECTION = "profile"
    CSS_PATH = "profile.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        # most used first: the footer keeps these and drops the rest when narrow
        Binding("l", "log", N_("Log"), id="log", tooltip=N_("log a contact")),
        Binding("o", "order", N_("Order"), id="order", tooltip=N_("record an order")),
        Binding("p", "promise", N_("Promise"), id="promise", tooltip=N_("record a promise")),
        Binding(
            "x",
            "complaint",
            N_("Complaint"),
            id="complaint",
            tooltip=N_("record a complaint from this customer"),
        ),
        Binding("right_square_bracket", "next_tab", N_("Next tab"), id="next-tab"),
        Binding(
            "left_square_bracket", "previous_tab", N_("Previous tab"), id="previous-tab", show=False
        ),
        Binding(
            "e",
            "edit",
            N_("Edit"),
            id="edit",
            tooltip=N_("the highlighted record on a tab of records, else the archive"),
        ),
        Binding(
            "d",
            "delete_row",
            N_("Delete"),
            id="delete-row",
            show=False,
            tooltip=N_("remove the highlighted record (asks first; u undoes it)"),
        ),
        Binding(
            "c",
            "care",
            N_("Care date"),
            id="care-date",
            tooltip=N_("a birthday or anniversary, solar or lunar (农历)"),
        ),
        Binding(
            "R",
            "regrade",
            N_("Regrade"),
            id="regrade",
            tooltip=N_("need, expected close, or pin a grade"),
        ),
        Binding(
            "v",
            "value_class",
            N_("Class"),
            id="value-class",
            show=False,
            tooltip=N_("the value class by judgement (定性), or back to the figures"),
        ),
        Binding(
            "T",
            "lifecycle",
            N_("Lifecycle"),
            id="lifecycle",
            show=False,
            tooltip=N_("terminate the customer (已终止合作), or make them active again"),
        ),
        Binding(
            "dollar_sign",
            "pay",
            N_("Payment"),
            id="payment",
            show=False,
            tooltip=N_("record a payment on the highlighted order (Orders tab)"),
        ),
        Binding(
            "i",
            "instruct",
            N_("Instruct"),
            id="instruct",
            show=False,
            tooltip=N_("give the owner an instruction about this customer (managers)"),
        ),
        Binding(
            "O",
            "reassign",
            N_("Reassign"),
            id="reassign",
            show=False,
            tooltip=N_("give the customer to another owner (managers)"),
        ),
        Binding(
            "b",
            "book",
            N_("Book"),
            id="book",
            show=False,
            tooltip=N_("book a visit, call or meeting with the customer at a time"),
        ),
        Binding("escape", "back", N_("Back"), id="back"),
        Binding("r", "reload", N_("Reload"), id="reload", show=False),
        *ACCOUNT_BINDINGS,
    ]

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.view: ProfileView | None = None
        self.whole_rows: dict[str, list[tuple]] = {}
        """Each table's rows uncut (by table id), for the line under the tabs."""

    def heading(self) -> str:
        return _("Customer")

    def compose_body(self) -> ComposeResult:
        yield Static(_("Loading…"), id="header")
        with TabbedContent(id="tabs"):
            with TabPane(_(TAB_TITLES["overview"]), id="overview"):
                with VerticalScroll(id="overview-scroll"):
                    yield Static("", id="overview-text")
            for name in TABLE_TABS:
                with TabPane(_(TAB_TITLES[name]), id=name):
                    if name == "contacts":
                        yield Static("", id="contacts-keys", classes="tab-keys")
                    if name == "orders":
                        yield Static("", id="orders-keys", classes="tab-keys")
                    yield NavTable(id=f"table-{name}")
            with TabPane(_(TAB_TITLES["referrals"]), id="referrals"):
                yield Tree("", id="referral-tree")
            with TabPane(_(TAB_TITLES["plan"]), id="plan"):
                with VerticalScroll(id="plan-scroll"):
                    yield Static("", id="plan-text")
            for name in LATER_TABS:
                with TabPane(_(TAB_TITLES[name]), id=name):
                    yield NavTable(id=f"table-{name}")
        yield DetailLine(id="detail")

    def on_mount(self) -> None:
        self.query_one(TabbedContent).hide_tab("plan")

    def load_data(self) -> None:
        self.call_service(
            load_profile,
            self.ctx,
            self.customer_id,
            done=self._loaded,
            failed=self._load_failed,
            group="load",
        )

    def action_reload(self) -> None:
        self.reload()

    def _load_failed(self, error: BaseException) -> bool:
        if self.view is None:
            self.dismiss_profile()
        return False

    def dismiss_profile(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()

    # -- drawing --------------------------------------------------------------------------------
    def _loaded(self, view: ProfileView) -> None:
        self.view = view
        self.set_heading(view.name)
        self.query_one("#header", Static).update(view.header)
        self.query_one("#overview-text", Static).update(view.overview)
        width = max(60, self.app.size.width - 4)
        for name, tab in view.tabs.items():
            if name in TABLE_TABS or name in LATER_TABS:
                self._fill(self.query_one(f"#table-{name}", NavTable), tab, width)
        self._fill_tree(view.referrals)
        keys = contacts_keys(view.editable, bool(view.tabs["contacts"].rows))
        self.query_one("#contacts-keys", Static).update(keys)
        self.query_one("#contacts-keys", Static).display = bool(keys)
        owing = view.editable and any(owed for owed, _on in view.orders.values())
        hint = self.query_one("#orders-keys", Static)
        hint.update(
            Text(_("$ records a payment on the highlighted order"), style="dim") if owing else ""
        )
        hint.display = owing
        tabs = self.query_one(TabbedContent)
        if view.plan is not None or view.editable:
            empty = Text(
                _(
                    "No account plan yet: press P to make one (the year's targets, a "
                    "visit cycle, strengths and weaknesses, a review date)."
                ),
                style="dim",
            )
            self.query_one("#plan-text", Static).update(empty if view.plan is None else view.plan)
            tabs.show_tab("plan")
        else:
            tabs.hide_tab("plan")
        if self.tab_after_load is not None:
            tabs.active, self.tab_after_load = self.tab_after_load, None
        self._show_detail()
        self.refresh_bindings()

    def _fill(self, table: DataTable, tab: Section, width: int) -> None:
        cursor = table.cursor_row if table.row_count else 0
        self.whole_rows[table.id or ""] = list(tab.rows)
        table.clear(columns=True)
        if not tab.rows:  # the message across the whole table, not cut to the first column
            table.add_column("", width=width)
            table.add_row(Text(tab.empty, style="dim"))
            table.show_cursor = False
            return
        fixed = sum(w for _label, w in tab.columns if w) + 2 * len(tab.columns)
        for heading, column_width in tab.columns:
            table.add_column(heading, width=column_width or max(12, width - fixed))
        rest = next((i for i, (_l, w) in enumerate(tab.columns) if w is None), None)
        rows = []
        for row in tab.rows:
            if rest is not None and isinstance(row[rest], str):
                row = (*row[:rest], clip(row[rest], max(12, width - fixed)), *row[rest + 1 :])
            rows.append(row)
        if tab.keys:
            for row, key in zip(rows, tab.keys, strict=False):
                table.add_row(*row, key=key)
        else:
            table.add_rows(rows)
        table.move_cursor(row=min(cursor, len(rows) - 1))
        table.show_cursor = True

    def _fill_tree(self, root: ReferralNode) -> None:
        tree = self.query_one("#referral-tree", Tree)
        tree.clear()
        tree.show_root = True
        tree.root.set_label(self._tree_label(root))
        tree.root.data = root

        def add(parent, node: ReferralNode) -> None:
            for child in node.children:
                if child.children:
                    branch = parent.add(self._tree_label(child), data=child, expand=True)
                    add(branch, child)
                else:
                    parent.add_leaf(self._tree_label(child), data=child)

        add(tree.root, root)
        tree.root.expand_all()

    def _tree_label(self, node: ReferralNode) -> Text:
        return referral_label(node, self.customer_id)

    # -- keys -----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "instruct":
            return self.ctx.is_manager and self.view is not None
        if action == "reassign":
            return self.view is not None and self.ctx.is_manager
        if action == "delete_row":
            if self.view is None or not self.view.editable:
                return False
            tab = self.query_one(TabbedContent).active
            if tab == "contacts":
                return self._contact_under_cursor() is not None or None
            return tab in ROW_KINDS and (self._record_under_cursor() is not None or None)
        if action in (
            "edit",
            "log",
            "regrade",
            "order",
            "promise",
            "care",
            "value_class",
            "lifecycle",
            "pay",
            "book",
        ):
            if self.view is None:
                return None
            if action == "log":
                return self.view.loggable
            # not offered to whoever may not change the customer (support reads profiles)
            return self.view.editable
        if action == "complaint":  # support opens complaints on profiles it only reads
            return self.view is not None or None
        if action in ACCOUNT_ACTIONS:
            return self.account_action_allowed(action)
        return True

    def action_back(self) -> None:
        self.dismiss_profile()

    def action_next_tab(self) -> None:
        self.query_one(TabbedContent).query_one(Tabs).action_next_tab()

    def action_previous_tab(self) -> None:
        self.query_one(TabbedContent).query_one(Tabs).action_previous_tab()

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane
        target = next(iter(pane.query("NavTable, Tree, VerticalScroll")), None)
        if target is not None and target.focusable:
            target.focus()

    @on(DataTable.RowHighlighted)
    @on(TabbedContent.TabActivated)
    def _show_detail(self) -> None:
        """The highlighted row of the tab's table whole, under the tabs; nothing on the other
        tabs (they show their text whole already)."""
        detail = self.query_one(DetailLine)
        pane = self.query_one(TabbedContent).active_pane
        table = next(iter(pane.query(NavTable)), None) if pane is not None else None
        rows = self.whole_rows.get(table.id or "", []) if table is not None else []
        if table is None or not rows or not table.show_cursor or table.cursor_row >= len(rows):
            detail.show(None)
            return
        detail.show(row_text(rows[table.cursor_row]))

    @on(DataTable.RowSelected, "#table-complaints")
    def _complaint_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value and event.row_key.value.isdigit():
            self.app.open_complaint(int(event.row_key.value))

    @on(Tree.NodeSelected)
    def _referral_selected(self, event: Tree.NodeSelected) -> None:
        node: ReferralNode | None = event.node.data
        if node is None or node.id == self.customer_id:
            return
        if not node.visible:
            self.app.notify(_("That customer belongs to another rep."), severity="warning")
            return
        self.app.open_profile(node.id)

    def action_edit(self) -> None:
        """The highlighted record on a tab of records (a contact on Contacts), else the
        archive."""
        tab = self.query_one(TabbedContent).active
        if tab in ROW_KINDS:
            found = self._record_under_cursor()
            if found is not None:
                self._correct(*found)
            return
        if tab == "contacts":
            contact = self._contact_under_cursor()
            if contact is not None:
                self._with_contact(contact, self._edit_contact)
            return
        self.app.push_screen(
            CustomerForm(self.customer_id),
            lambda saved: self._after_save(saved, _("Customer saved.")),
        )
