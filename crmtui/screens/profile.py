"""The customer profile (SPEC §4.2): a header with what matters at a glance, and tabs for the
archive, contacts, the interactions timeline, orders, complaints, care dates, grade history,
referrals and the account plan. `e` edit, `l` log, `g` regrade, `o` order, `p` promise, `c` a care
date (solar or lunar; both calendars are shown), `x` a complaint (enter on one in the complaints
tab opens it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static, TabbedContent, TabPane, Tabs, Tree

from crmtui.i18n import N_, _
from crmtui.labels import label, lunar_text, stored_text
from crmtui.output import money
from crmtui.present.text import plain
from crmtui.screens.base import CrmScreen
from crmtui.services.profile import ReferralNode
from crmtui.widgets.grade import grade_badge, grade_style, grade_text
from crmtui.widgets.lists import NavTable
from crmtui.widgets.text import clip, local_moment, short_day, short_moment

Column = tuple[str, int | None]
"""A table column: its heading and a width (None: the rest of the screen)."""


@dataclass(frozen=True)
class TabRows:
    columns: list[Column]
    rows: list[tuple]
    empty: str
    keys: tuple[str, ...] = ()
    """Row keys, when enter on a row opens it."""


@dataclass(frozen=True)
class ProfileView:
    """What the profile shows, read and formatted in a worker so the UI thread never queries."""

    customer_id: int
    name: str
    header: Text
    overview: Any
    tabs: dict[str, TabRows]
    referrals: ReferralNode
    plan: Any | None
    editable: bool
    facts: Any
    """GradeFacts for the regrade dialog."""
    company: str = ""
    grade: str = ""


def _header(ctx, p) -> Text:
    c = p.customer
    text = grade_badge(c.grade)
    text.append(" ")
    text.append(plain(c.name, "bold"))
    text.append(f"  #{c.id}", style="dim")
    for part in (c.company, c.title):
        if part:
            text.append(" · ")
            text.append(plain(part))
    text.append("\n")
    next_bits = [label("cadence", p.cadence)]
    if c.next_step:
        next_bits.append(c.next_step)
    status = [_("tier {tier}").format(tier=label("tier", p.tier)),
              f"{label('status', c.status)} / {label('deal', c.deal_status)}",
              _("owner {name}").format(name=p.owner.label),
              _("next due {day} ({why})").format(day=c.next_due.isoformat(),
                                                 why=_("; ").join(next_bits)),
              _("{n} follow-ups").format(n=c.followups)]
    text.append(plain(" · ".join(status)))
    flags = []
    if c.grade_pinned:
        flags.append(_("grade pinned: {reason}").format(reason=stored_text(c.pin_reason)))
    if p.slipped:
        flags.append(_("close date slipped"))
    if p.no_estimate:
        flags.append(_("no close estimate"))
    if not p.editable:
        flags.append(_("read-only for you"))
    if flags:
        text.append("\n")
        text.append(plain(" · ".join(flags), "bold yellow"))
    return text


def _overview(ctx, p) -> Table:
    c = p.customer
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    close = c.expected_close.isoformat() if c.expected_close else _("no estimate")
    rows = [
        (_("Phones"), ", ".join(c.phone_list)),
        (_("E-mail"), c.email),
        (_("WeChat / IM"), c.im_id),
        (_("Need"), label("need", c.need) + " · " + _("close {day}").format(day=close)
         + (f" · {money(c.expected_amount)}" if c.expected_amount else "")),
        (_("Source"), label("source", c.source)),
        (_("Last contact"), local_moment(c.last_contact_at, ctx.zone)),
        (_("Revenue"), money(c.revenue) if c.revenue else ""),
        (_("Tags"), ", ".join(c.tag_list)),
        (_("Address"), c.address),
        (_("Membership"), c.membership),
        (_("Native place"), c.native_place),
        (_("Education"), c.education),
        (_("Family"), c.family),
        (_("Hobbies"), c.personality),
        (_("Goals, plans"), c.goals),
        (_("Likes, dislikes"), c.opinions),
        (_("Problems, needs"), c.situation),
        (_("Competitors"), c.competitors),
        (_("Credit"), " · ".join(x for x in (money(c.credit_limit), c.credit_rating) if x)),
        (_("Notes"), c.notes),
    ]
    if p.referred_by is not None:
        rows.append((_("Referred by"), f"{p.referred_by.name} #{p.referred_by.id}"))
    for occurrence in p.care:
        rows.append((label("care", occurrence.care.kind), care_summary(occurrence)))
    for title, value in rows:
        if value:
            grid.add_row(title, plain(value, multiline=True))
    for interaction in p.interactions[:3]:
        grid.add_row(_("Recent"), plain(f"{local_moment(interaction.at, ctx.zone)[:10]}  "
                     f"{label('channel', interaction.channel)} · {interaction.summary}"))
    promises = [x for x in p.promises if x.status == "open"]
    for promise in promises:
        late = promise.due < ctx.today()
        grid.add_row(_("Promise"), plain(f"{promise.due.isoformat()}  {promise.text}",
                                         "bold red" if late else ""))
    return grid


def care_date_text(care) -> str:
    """A care date as it was set, in its calendar: 03-15, 农历八月十五 / lunar 8/15."""
    if care.lunar:
        return lunar_text(care.month, care.day, care.leap)
    return f"{care.month:02d}-{care.day:02d}"


def care_summary(occurrence) -> str:
    """Both calendars at once: the date as set, and its next day in the other calendar."""
    care, lunar = occurrence.care, occurrence.next_lunar
    if care.lunar:
        text = _("{date}, next {next}").format(date=care_date_text(care),
                                                next=occurrence.next_on.isoformat())
    else:
        text = _("{date}, next {next} ({lunar})").format(
            date=care_date_text(care), next=occurrence.next_on.isoformat(),
            lunar=lunar_text(lunar.month, lunar.day, lunar.leap))
    if care.year and care.kind == "birthday" and not care.lunar:
        text += " · " + _("born {year}").format(year=care.year)
    return text + (f" · {care.note}" if care.note else "")


def _plan(p) -> Table | None:
    plan = p.plan
    if plan is None:
        return None
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for title, value in (
        (_("Review on"), plan.review_on.isoformat()),
        (_("Products"), plan.products),
        (_("Target price"), money(plan.target_price)),
        (_("Target volume"), str(plan.target_volume or "")),
        (_("Visit every"), _("{n} days").format(n=plan.visit_every_days)
         if plan.visit_every_days else ""),
        (_("Services"), plan.services),
        (_("Progress"), plan.progress),
    ):
        if value:
            grid.add_row(title, plain(value, multiline=True))
    return grid


def load_profile(ctx, customer_id: int) -> ProfileView:
    """Runs in a worker: the profile and its referral tree, formatted for display."""
    from crmtui.screens.dialogs.small import GradeFacts
    from crmtui.services.profile import customer_profile, referral_tree

    p = customer_profile(ctx, customer_id)
    c = p.customer
    zone, today = ctx.zone, ctx.today()
    tabs = {
        "contacts": TabRows(
            [(_("Name"), 16), (_("Title"), 14), (_("Role"), 14), (_("Phone"), 16),
             (_("E-mail"), None)],
            [(x.name, x.title, label("contact_role", x.role), x.phone, x.email)
             for x in p.contacts], _("No contacts recorded.")),
        "timeline": TabRows(
            [(_("When"), 11), (_("Channel"), 7), (_("Outcome"), 9), (_("By"), 8),
             (_("Next"), 5), (_("Summary"), None)],
            [(short_moment(i.at, zone, today), label("channel", i.channel),
              label("outcome", i.outcome),
              clip(i.by.label, 8), short_day(i.next_on, today),
              i.summary + (f" → {i.next_step}" if i.next_step else ""))
             for i in p.interactions], _("No interactions yet: press l to log the first.")),
        "orders": TabRows(
            [(_("Date"), 10), (_("Product"), 20), (_("Qty"), 5), (_("Amount"), 14),
             (_("Note"), None)],
            [(o.on.isoformat(), o.product, str(o.quantity),
              Text(money(o.amount), justify="right"),
              " · ".join(x for x in (o.gift, o.note) if x)) for o in p.orders],
            _("No orders yet: press o to record one.")),
        "complaints": TabRows(
            [(_("Opened"), 11), (_("Severity"), 8), (_("Status"), 16), (_("Summary"), None)],
            [(short_moment(k.opened_at, zone, today), label("severity", k.severity),
              label("complaint_status", k.status), k.summary) for k in p.complaints],
            _("No complaints."), keys=tuple(str(k.id) for k in p.complaints)),
        "care": TabRows(
            [(_("Kind"), 11), (_("Date"), 16), (_("Next"), 10), (_("Lunar"), 15),
             (_("Note"), None)],
            [(label("care", o.care.kind), care_date_text(o.care)
              + (f" ({o.care.year})" if o.care.year else ""), o.next_on.isoformat(),
              lunar_text(o.next_lunar.month, o.next_lunar.day, o.next_lunar.leap), o.care.note)
             for o in p.care], _("No care dates: press c to add a birthday.")),
        "grades": TabRows(
            [(_("When"), 11), (_("Change"), 7), (_("By"), 10), (_("Reason"), None)],
            [(short_moment(g.at, zone, today),
              Text.assemble(grade_text(g.from_grade) if g.from_grade else Text("·"), " → ",
                            grade_text(g.to_grade)),
              g.by.label if g.by_id else _("calendar"), stored_text(g.reason))
             for g in p.grade_history],
            _("No grade changes.")),
    }
    facts = GradeFacts(customer_id=c.id, name=c.name, need=c.need,
                       expected_close=c.expected_close, grade=c.grade, pinned=c.grade_pinned,
                       pin_reason=c.pin_reason, version=c.version)
    return ProfileView(customer_id=c.id, name=c.name, header=_header(ctx, p),
                       overview=_overview(ctx, p), tabs=tabs,
                       referrals=referral_tree(ctx, c.id), plan=_plan(p), editable=p.editable,
                       facts=facts, company=c.company, grade=c.grade)


TAB_TITLES = {
    "overview": N_("Overview"), "contacts": N_("Contacts"), "timeline": N_("Timeline"),
    "orders": N_("Orders"), "complaints": N_("Complaints"), "care": N_("Care"),
    "grades": N_("Grades"), "referrals": N_("Referrals"), "plan": N_("Plan"),
}


class ProfileScreen(CrmScreen):
    CSS_PATH = "profile.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="back"),
        Binding("e", "edit", N_("Edit"), id="edit", tooltip=N_("edit the archive")),
        Binding("l", "log", N_("Log"), id="log", tooltip=N_("log a contact")),
        Binding("g", "regrade", N_("Regrade"), id="regrade",
                tooltip=N_("need, expected close, or pin a grade")),
        Binding("o", "order", N_("Order"), id="order", tooltip=N_("record an order")),
        Binding("p", "promise", N_("Promise"), id="promise", tooltip=N_("record a promise")),
        Binding("c", "care", N_("Care date"), id="care-date",
                tooltip=N_("a birthday or anniversary, solar or lunar (农历)")),
        Binding("x", "complaint", N_("Complaint"), id="complaint",
                tooltip=N_("record a complaint from this customer")),
        Binding("right_square_bracket", "next_tab", N_("Next tab"), id="next-tab"),
        Binding("left_square_bracket", "previous_tab", N_("Previous tab"), id="previous-tab",
                show=False),
        Binding("r", "reload", N_("Reload"), id="reload", show=False),
    ]

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.view: ProfileView | None = None

    def heading(self) -> str:
        return _("Customer")

    def compose_body(self) -> ComposeResult:
        yield Static(_("Loading…"), id="header")
        with TabbedContent(id="tabs"):
            with TabPane(_(TAB_TITLES["overview"]), id="overview"):
                with VerticalScroll(id="overview-scroll"):
                    yield Static("", id="overview-text")
            for name in ("contacts", "timeline", "orders", "complaints", "care", "grades"):
                with TabPane(_(TAB_TITLES[name]), id=name):
                    yield NavTable(id=f"table-{name}")
            with TabPane(_(TAB_TITLES["referrals"]), id="referrals"):
                yield Tree("", id="referral-tree")
            with TabPane(_(TAB_TITLES["plan"]), id="plan"):
                with VerticalScroll(id="plan-scroll"):
                    yield Static("", id="plan-text")

    def on_mount(self) -> None:
        self.query_one(TabbedContent).hide_tab("plan")

    def load_data(self) -> None:
        self.call_service(load_profile, self.ctx, self.customer_id, done=self._loaded,
                          failed=self._load_failed, group="load")

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
            self._fill(self.query_one(f"#table-{name}", NavTable), tab, width)
        self._fill_tree(view.referrals)
        tabs = self.query_one(TabbedContent)
        if view.plan is not None:
            self.query_one("#plan-text", Static).update(view.plan)
            tabs.show_tab("plan")
        else:
            tabs.hide_tab("plan")
        self.refresh_bindings()

    def _fill(self, table: DataTable, tab: TabRows, width: int) -> None:
        cursor = table.cursor_row if table.row_count else 0
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
                row = (*row[:rest], clip(row[rest], max(12, width - fixed)), *row[rest + 1:])
            rows.append(row)
        if tab.keys:
            for row, key in zip(rows, tab.keys):
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
        text = Text()
        text.append(node.grade, style=grade_style(node.grade))
        text.append(" ")
        text.append(plain(node.name, "bold" if node.id == self.customer_id else ""))
        if node.company:
            text.append(plain(f" · {node.company}", "dim"))
        if node.id == self.customer_id:
            text.append("  ◀ " + _("this customer"), style="italic")
        return text

    # -- keys -----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "log", "regrade", "order", "promise", "care"):
            if self.view is None:
                return None
            return self.view.editable or None
        if action == "complaint":  # support opens complaints on profiles it only reads
            return self.view is not None or None
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

    def _after_save(self, result, message: str) -> None:
        if result is not None:
            self.app.notify(message, title=_("Saved"))
            self.reload()

    def action_edit(self) -> None:
        from crmtui.screens.dialogs.customer import CustomerForm

        self.app.push_screen(CustomerForm(self.customer_id),
                             lambda saved: self._after_save(saved, _("Customer saved.")))

    def action_log(self) -> None:
        from crmtui.screens.dialogs.log import LogDialog, LogTarget

        view = self.view
        if view is None:
            return

        def logged(result) -> None:
            if result is not None:
                customer = result.result.customer
                self._after_save(result, _("Logged; next due {due}.").format(
                    due=customer.next_due.isoformat()))

        self.app.push_screen(
            LogDialog(LogTarget(view.customer_id, view.name, view.company, view.grade)), logged)

    def action_regrade(self) -> None:
        from crmtui.screens.dialogs.small import RegradeDialog

        if self.view is None:
            return
        self.app.push_screen(RegradeDialog(self.view.facts), lambda customer: self._after_save(
            customer, _("Grade {grade}.").format(grade=customer.grade) if customer else ""))

    def action_order(self) -> None:
        from crmtui.screens.dialogs.small import OrderDialog

        if self.view is None:
            return
        self.app.push_screen(OrderDialog(self.customer_id, self.view.name),
                             lambda order: self._after_save(order, _("Order recorded.")))

    def action_promise(self) -> None:
        from crmtui.screens.dialogs.small import PromiseDialog

        if self.view is None:
            return
        self.app.push_screen(PromiseDialog(self.customer_id, self.view.name),
                             lambda promise: self._after_save(promise, _("Promise recorded.")))

    def action_care(self) -> None:
        from crmtui.screens.dialogs.care import CareDialog

        if self.view is None:
            return
        self.app.push_screen(CareDialog(self.customer_id, self.view.name),
                             lambda care: self._after_save(care, _("Care date added.")))

    def action_complaint(self) -> None:
        from crmtui.screens.dialogs.complaint import NewComplaintDialog, opened_message

        if self.view is None:
            return
        self.app.push_screen(NewComplaintDialog(self.customer_id, self.view.name),
                             lambda complaint: self._after_save(
                                 complaint, opened_message(self.ctx, complaint)))
