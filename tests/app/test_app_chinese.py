"""The app in Simplified Chinese and with Chinese data: the language from the config, snapshots
of the main screens at 80×24 in both languages, typing Chinese into a form, the palette's pinyin
jump, and care dates in both calendars."""

from __future__ import annotations

from datetime import date

import pytest
from textual.command import CommandPalette

from crmtui.app import CrmApp
from crmtui.db import CareDate, Customer
from crmtui.screens.dialogs.care import CareDialog
from crmtui.screens.dialogs.customer import CustomerForm
from crmtui.screens.profile import ProfileScreen
from crmtui.services.customers import add_customer, find_customers
from crmtui.services.interactions import add_care_date, log_interaction, record_order
from crmtui.widgets.form import FieldRow
from crmtui.widgets.lists import NavTable
from tests.app.conftest import palette_finds, press, screen_text, settle, type_text
from tests.app.test_app_snapshots import steps

LANGUAGES = [pytest.param("en", id="en"), pytest.param("zh", id="zh")]


def in_language(ctx, lang: str):
    ctx.config = ctx.config._replace(lang=lang)
    return ctx


# -- the language -------------------------------------------------------------------------------

async def test_the_app_speaks_the_configured_language(demo_ctx):
    app = CrmApp(in_language(demo_ctx, "zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "1 今天  2 客户  3 联系记录" in text and "(经理)" in text
        assert "到期的承诺" in text and "l 记录" in text and "^p 命令面板" in text
        assert "Today" not in text and "palette" not in text


# -- snapshots (the hand-made world: 邵霞 has a Chinese name and company, orders, and care dates
# in both calendars, a lunar one in a leap month) ----------------------------------------------

# Today with this data is test_app_schedule's test_today_with_a_schedule (in Chinese) and
# test_app_snapshots' test_today (in English); the customers list and the profile overview in
# English are test_app_snapshots' test_customers and test_profile.
CHINESE = [pytest.param("zh", id="zh")]


@pytest.mark.parametrize("lang", CHINESE)
def test_customers_with_chinese_data(snap_compare, world_ctx, lang):
    assert snap_compare(CrmApp(in_language(world_ctx, lang)), terminal_size=(80, 24),
                        run_before=steps("2"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_profile_care_dates_in_both_calendars(snap_compare, world_ctx, world, lang):
    customer_id = world["邵霞"]
    assert snap_compare(CrmApp(in_language(world_ctx, lang)), terminal_size=(80, 24),
                        run_before=steps(*["right_square_bracket"] * 5,
                                         then=lambda app: app.open_profile(customer_id)))


@pytest.mark.parametrize("lang", CHINESE)
def test_profile_overview_with_chinese_data(snap_compare, world_ctx, world, lang):
    customer_id = world["邵霞"]
    assert snap_compare(CrmApp(in_language(world_ctx, lang)), terminal_size=(80, 24),
                        run_before=steps(then=lambda app: app.open_profile(customer_id)))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_log_form_with_chinese_text(snap_compare, world_ctx, lang):
    async def run_before(pilot) -> None:
        await settle(pilot)
        # 邵霞's complaint at risk, the first due item below the schedule's three appointments
        await press(pilot, "j", "j", "j", "l")
        await type_text(pilot, "电话沟通报价，客户很满意")
        await press(pilot, "tab", "tab", "tab", "tab")  # when, channel, outcome -> next step
        await type_text(pilot, "周五上门演示")
        await press(pilot, "tab")
        await type_text(pilot, "周五")

    assert snap_compare(CrmApp(in_language(world_ctx, lang)), terminal_size=(80, 24),
                        run_before=run_before)


# -- typing Chinese -----------------------------------------------------------------------------

async def test_typing_a_chinese_name_into_the_form_saves_it(ctx):
    app = CrmApp(in_language(ctx, "zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "2", "n")
        assert isinstance(app.screen, CustomerForm)
        await pilot.press(*"张三")  # one key event per character, as a terminal sends them
        await press(pilot, "tab")
        await pilot.press(*"重庆华信")
        await settle(pilot)
        assert app.screen.query_one("#row-name", FieldRow).value == "张三"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        assert "张三" in screen_text(app) and "重庆华信" in screen_text(app)
    saved = Customer.get(Customer.name == "张三")
    assert saved.company == "重庆华信"
    assert [c.id for c in find_customers(ctx, "zs")] == [saved.id]
    assert [c.id for c in find_customers(ctx, "chongqing")] == [saved.id]


@pytest.mark.parametrize("query", ["zs", "zhangsan", "chongqing"])
async def test_the_palette_jumps_by_pinyin(ctx, query):
    target = add_customer(ctx, {"name": "张三", "company": "重庆华信"})
    add_customer(ctx, {"name": "李四", "company": "北京恒通"})
    app = CrmApp(in_language(ctx, "zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        assert CommandPalette.is_open(app)
        await type_text(pilot, query)
        await palette_finds(pilot, "客户：张三", top=True)
        text = screen_text(app)
        assert "客户：张三 · 重庆华信" in text and "李四" not in text
        await press(pilot, "down", "enter")
        assert isinstance(app.screen, ProfileScreen) and app.screen.customer_id == target.id


# -- care dates ---------------------------------------------------------------------------------

async def test_a_lunar_birthday_added_on_the_profile_shows_in_both_calendars(ctx, clock):
    customer = add_customer(ctx, {"name": "王小明"})
    app = CrmApp(in_language(ctx, "zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_profile(customer.id)
        await settle(pilot)
        await press(pilot, "c")
        assert isinstance(app.screen, CareDialog)
        await press(pilot, "tab")  # kind (birthday) -> date
        await type_text(pilot, "农历八月十五")
        outcome = str(app.screen.query_one("#outcome").render())
        assert "2027-09-15" in outcome and "农历八月十五" in outcome  # today is 2026-11-23
        await type_text(pilot, "x")
        assert "不是日期" in app.screen.query_one("#row-date", FieldRow).error
        await press(pilot, "backspace", "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        care = CareDate.get(CareDate.customer == customer.id)
        assert (care.kind, care.month, care.day, care.lunar, care.leap) == (
            "birthday", 8, 15, True, False)
        text = screen_text(app)
        assert "农历八月十五，下次 2027-09-15" in text
        await press(pilot, *["right_square_bracket"] * 5)
        table = app.screen.query_one("#table-care", NavTable)
        assert [str(c) for c in table.get_row_at(0)][:4] == ["生日", "农历八月十五", "2027-09-15",
                                                            "农历八月十五"]


async def test_a_solar_date_with_the_lunar_box_ticked_is_lunar(ctx):
    customer = add_customer(ctx, {"name": "Zoe"})
    app = CrmApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_profile(customer.id)
        await settle(pilot)
        await press(pilot, "c", "tab")
        await type_text(pilot, "1-1")
        await press(pilot, "tab", "space")  # the lunar box
        assert "2027-02-06" in str(app.screen.query_one("#outcome").render())  # 春节 2027
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        assert "lunar 1/1, next 2027-02-06" in screen_text(app)
    care = CareDate.get(CareDate.customer == customer.id)
    assert (care.month, care.day, care.lunar) == (1, 1, True)


def test_the_due_list_names_lunar_dates_in_each_language(ctx, clock):
    from crmtui.i18n import set_language
    from crmtui.services.due import due_list

    customer = add_customer(ctx, {"name": "王小明"})
    add_care_date(ctx, customer.id, month=10, day=17, lunar=True)  # 2026-11-25
    [item] = [i for i in due_list(ctx) if i.kind.value == "care"]
    assert item.due == date(2026, 11, 25)
    assert item.detail == "birthday · lunar 10/17 · in 2d"
    set_language("zh")
    [item] = [i for i in due_list(ctx) if i.kind.value == "care"]
    assert item.detail == "生日 · 农历十月十七 · 2天后"


def test_grade_history_and_orders_read_in_chinese(ctx):
    from crmtui.i18n import set_language
    from crmtui.screens.profile import load_profile

    customer = add_customer(ctx, {"name": "张三", "need": "clear", "expected_close": "+20d"})
    record_order(ctx, customer.id, amount="12000", product="专业版", next_close="+20d")
    log_interaction(ctx, customer.id, summary="报价", channel="wechat", outcome="positive")
    set_language("zh")
    view = load_profile(ctx, customer.id)
    [change] = view.tabs["grades"].rows
    assert change[-1] == "新客户：明显需求，2026-12-13 成交，一个月内"
    [contact] = view.tabs["timeline"].rows
    assert contact[1:3] == ("微信", "积极")
    assert "明显需求 · 成交 2026-12-13" in str(view.overview.columns[1]._cells)
