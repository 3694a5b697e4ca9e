"""Getting around: views by key, the command palette's customer jump, help, remapped keys, long
lists fetched a page at a time, filters, and the profile's tabs."""

from __future__ import annotations

import io

from rich.console import Console
from textual.command import CommandPalette
from textual.widgets import Static, Tree

from crmtui.app import CrmApp
from crmtui.db import AccountPlan, Customer
from crmtui.screens.customers import CustomersScreen
from crmtui.screens.dialogs.log import LogDialog
from crmtui.screens.help import HelpScreen, known_binding_ids
from crmtui.screens.interactions import InteractionsScreen
from crmtui.screens.profile import ProfileScreen
from crmtui.screens.today import TodayScreen
from crmtui.search import sort_key
from crmtui.services.customers import add_customer
from crmtui.services.interactions import add_care_date
from crmtui.widgets.lists import PAGE_SIZE, ListTable, NavTable
from tests.app.conftest import (
    customer_of,
    palette_finds,
    press,
    screen_text,
    settle,
    type_text,
    until,
)


async def test_number_keys_switch_views_and_q_quits(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        assert isinstance(app.screen, CustomersScreen)
        await press(pilot, "3")
        assert isinstance(app.screen, InteractionsScreen)
        await press(pilot, "1")
        assert isinstance(app.screen, TodayScreen)
        await press(pilot, "q")
        assert app.return_code == 0 and not app.is_running


async def test_the_palette_jumps_to_a_customer_by_name(app, demo_ctx):
    customer = Customer.select().where(Customer.name.contains(" ")).order_by(Customer.id).first()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        assert CommandPalette.is_open(app)
        await type_text(pilot, customer.name.split()[1].lower())
        await palette_finds(pilot, f"customer: {customer.name}")
        assert f"customer: {customer.name}" in screen_text(app)
        await type_text(pilot, " " + customer.name.split()[0][:3].lower())
        await palette_finds(pilot, f"customer: {customer.name}", top=True)
        await press(pilot, "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        assert app.screen.customer_id == customer.id
        assert customer.name in screen_text(app)


async def test_the_palette_finds_by_company_and_phone_digits(ctx):
    target = add_customer(ctx, {"name": "张三", "company": "重庆华信", "phones": "138 1234 5678"})
    add_customer(ctx, {"name": "李四", "company": "北京恒通", "phones": "139 0000 1111"})
    app = CrmApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for query in ("华信", "5678"):
            await press(pilot, "ctrl+p")
            await type_text(pilot, query)
            await palette_finds(pilot, "customer: 张三")
            text = screen_text(app)
            assert "customer: 张三 · 重庆华信" in text and "李四" not in text
            await press(pilot, "escape")
        await press(pilot, "ctrl+p")
        await type_text(pilot, "5678")
        await palette_finds(pilot, "customer: 张三", top=True)
        await press(pilot, "down", "enter")
        assert isinstance(app.screen, ProfileScreen) and app.screen.customer_id == target.id


async def test_help_lists_the_keys_of_every_screen(app):
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "Today  (this screen)" in screen_text(app)  # opened at the screen's keys
        console = Console(width=100, file=io.StringIO(), record=True)
        for section in app.screen.query(".help-section").results(Static):
            console.print(section.content)
        text = console.export_text()
        for words in ("Everywhere", "Today  (this screen)", "Customers", "Interactions",
                      "Customer profile", "Lists", "Forms", "Snooze", "Mine or everyone's",
                      "Regrade", "Record a promise", "Sort", "New: a new item", "The next tab",
                      "Command palette"):
            assert words in text, words
        assert {"log", "snooze", "regrade", "new-customer", "view-today", "help",
                "quit", "form-save"} <= known_binding_ids()
        await press(pilot, "escape")
        assert isinstance(app.screen, TodayScreen)


async def test_keys_are_remapped_from_the_config_file(demo_ctx):

    demo_ctx.config = demo_ctx.config._replace(keys={"log": "L", "view-customers": "c",
                                                     "no-such-action": "x"})
    app = CrmApp(demo_ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("no-such-action" in n.message for n in app._notifications)
        await press(pilot, "l")
        assert isinstance(app.screen, TodayScreen)
        await press(pilot, "L")
        assert isinstance(app.screen, LogDialog)
        await press(pilot, "escape", "c")
        assert isinstance(app.screen, CustomersScreen)
        assert " c Customers " in screen_text(app)


async def test_customers_come_a_page_at_a_time_sorted_and_filtered(app, demo_ctx):
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "a", "2")
        table = app.screen.query_one("#list", ListTable)
        assert table.row_count == PAGE_SIZE
        assert "120 customers" in screen_text(app)
        await press(pilot, "G")  # the end of the list, not of the first page
        await settle(pilot)
        assert table.row_count == 120 and table.cursor_row == 119
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert names == sorted(names, key=sort_key)  # by pinyin: 白 (bai) among the b's
        await press(pilot, "greater_than_sign")
        assert "sorted by company" in screen_text(app)
        await press(pilot, "slash")
        await type_text(pilot, "grade:A")
        expected = Customer.select().where(Customer.grade == "A").count()
        await until(pilot, lambda: table.row_count == expected, "the grade A customers")
        assert table.row_count == expected
        assert {str(table.get_row_at(i)[2]).rstrip("*") for i in range(table.row_count)} == {"A"}
        await type_text(pilot, " status:nope")
        assert "status: one of existing, intent" in screen_text(app)
        assert table.row_count == expected  # a bad filter keeps the last good list
        await press(pilot, "escape")
        await until(pilot, lambda: table.row_count == PAGE_SIZE, "the unfiltered first page")


async def test_the_interaction_log_filters_by_channel_and_date(app, demo_ctx):
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "3", "slash")
        await type_text(pilot, "channel:wechat since:-7d")
        table = app.screen.query_one("#list", ListTable)

        def channels() -> set[str]:
            return {str(table.get_row_at(i)[2]) for i in range(table.row_count)}

        await until(pilot, lambda: channels() == {"wechat"}, "only wechat contacts listed")
        assert table.row_count > 0
        days = [str(table.get_row_at(i)[0])[:10] for i in range(table.row_count)]
        assert min(days) >= "2026-11-16"
        await type_text(pilot, " channel:pigeon")
        assert "channel: one of" in screen_text(app)


async def test_the_profile_shows_care_dates_in_both_calendars_referrals_and_the_plan(
        ctx, clock):
    parent = add_customer(ctx, {"name": "介绍人"})
    child = add_customer(ctx, {"name": "王小明"}, referred_by=parent.id)
    grandchild = add_customer(ctx, {"name": "Zoe"}, referred_by=child.id)
    add_care_date(ctx, child.id, month=10, day=17, lunar=True)  # 农历十月十七 = 2026-11-25
    AccountPlan.create(customer=child.id, products="Pro licence", review_on="2027-02-01",
                       updated_at=ctx.now())
    app = CrmApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_profile(child.id)
        await settle(pilot)
        screen = app.screen
        care = screen.query_one("#table-care", NavTable)
        assert [str(c) for c in care.get_row_at(0)][:4] == ["birthday", "lunar 10/17",
                                                            "2026-11-25", "lunar 10/17"]
        tree = screen.query_one("#referral-tree", Tree)
        assert "介绍人" in str(tree.root.label)
        middle = tree.root.children[0]
        assert "王小明" in str(middle.label) and "this customer" in str(middle.label)
        assert "Zoe" in str(middle.children[0].label)
        await press(pilot, *["right_square_bracket"] * 8)
        assert "Pro licence" in screen_text(app)
        # a referral in the tree opens its own profile
        tree.select_node(middle.children[0])
        await settle(pilot)
        assert app.screen.customer_id == grandchild.id
        await press(pilot, "escape")
        assert app.screen.customer_id == child.id


async def test_crmtui_demo_opens_the_app_on_a_throwaway_database(monkeypatch):
    from crmtui import cli

    seen = {}

    def fake_run(self):
        seen["customers"] = Customer.select().count()
        seen["target"] = self.ctx.store.target
        seen["screen"] = self.DEFAULT_MODE

    monkeypatch.setattr(CrmApp, "run", fake_run)
    monkeypatch.setenv("CRMTUI_USER", "boss")
    assert cli.main(["--demo"]) == 0
    assert seen["customers"] == 200
    assert seen["target"].endswith("demo.sqlite3")
    assert seen["screen"] == "today"


async def test_the_status_line_names_every_view_at_80_columns(demo_ctx):
    """The database's name, the role and the space around the names give way before the views'
    names do (they read `1 Today  2  3  4  5` once)."""
    from crmtui.widgets.status import StatusLine

    names = ("Today", "Customers", "Interactions", "Complaints", "Dashboard")

    def status(app) -> str:
        return app.screen.query_one(StatusLine).render().plain

    app = CrmApp(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for view in "12345":
            await press(pilot, view)
            line = status(app)
            assert all(name in line for name in names), line
            assert "boss ·" in line and len(line) <= 80  # who, and whose (mine, everyone)
        await press(pilot, "1")
        app.open_profile(customer_of("boss"))
        await settle(pilot)
        name = app.screen.view.name
        assert name in status(app) and "boss" in status(app)  # whose profile, who you are
    async with CrmApp(demo_ctx).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        line = status(pilot.app)
        assert "boss (manager)" in line and "demo.sqlite3" in line  # room for everything
