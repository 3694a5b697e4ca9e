"""Correcting, removing and undoing from the app: the profile's tabs of records (`e`/`enter`
edits the highlighted record in its creation dialog, `d` removes it after asking), `u` undoes
the user's last change after showing it, the History tab, and Today saying why an item left."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from textual.widgets import DataTable, Input, TabbedContent

from crmtui.db import Customer, Interaction, Order, User
from crmtui.screens.dialogs.corrections import RemoveRecordDialog, UndoDialog
from crmtui.screens.dialogs.log import EditInteractionDialog, LogDialog
from crmtui.screens.dialogs.small import OrderDialog
from crmtui.screens.profile import ProfileScreen
from crmtui.services.customers import add_customer
from crmtui.services.interactions import log_interaction, record_order
from crmtui.widgets.form import FieldRow
from tests.app.conftest import APP_NOW, press, screen_text, settle
from tests.conftest import as_user


async def open_profile(pilot, customer_id: int) -> None:
    pilot.app.open_profile(customer_id)
    await settle(pilot)
    assert isinstance(pilot.app.screen, ProfileScreen)


async def go_to_tab(pilot, name: str) -> DataTable:
    """Press ] until the tab shows (as a user does), and return its table."""
    tabs = pilot.app.screen.query_one(TabbedContent)
    for _press in range(12):
        if tabs.active == name:
            break
        await press(pilot, "right_square_bracket")
    assert tabs.active == name
    return pilot.app.screen.query_one(f"#table-{name}", DataTable)


def cursor_key(table: DataTable) -> str:
    return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value


async def test_edit_an_orders_quantity_by_tabbing_into_it_and_typing(app, demo_ctx):
    customer = add_customer(demo_ctx, {"name": "丁一", "need": "clear", "expected_close": "+1m"})
    order = record_order(demo_ctx, customer.id, amount="1200", quantity="1",
                         product="Pro licence")
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await open_profile(pilot, customer.id)
        table = await go_to_tab(pilot, "orders")
        assert cursor_key(table) == str(order.id)
        await press(pilot, "e")
        assert isinstance(app.screen, OrderDialog)
        assert app.screen.query_one("#field-quantity", Input).value == "1"
        # amount → product → date → quantity, as a user tabs through the form
        await press(pilot, "tab", "tab", "tab")
        assert app.focused is app.screen.query_one("#field-quantity", Input)
        await press(pilot, "3", "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        assert Order.get_by_id(order.id).quantity == 3  # what was typed, not 13
        assert "3" in [str(cell) for cell in table.get_row_at(0)]
        await go_to_tab(pilot, "history")
        assert "quantity: 1 → 3" in screen_text(app)


async def test_remove_an_interaction_and_next_due_and_follow_ups_move_back(
        app, demo_ctx, clock):
    customer = add_customer(demo_ctx, {"name": "丁二", "need": "clear", "expected_close": "+2m"})
    clock.now = APP_NOW - timedelta(days=3)
    log_interaction(demo_ctx, customer.id, summary="intro call")
    before = Customer.get_by_id(customer.id)
    clock.now = APP_NOW - timedelta(hours=1)
    second = log_interaction(demo_ctx, customer.id, summary="pricing call", next_on="+10d")
    clock.now = APP_NOW
    moved = Customer.get_by_id(customer.id)
    assert (moved.followups, moved.next_due) != (before.followups, before.next_due)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await open_profile(pilot, customer.id)
        table = await go_to_tab(pilot, "timeline")
        assert cursor_key(table) == str(second.interaction.id)
        await press(pilot, "d")
        assert isinstance(app.screen, RemoveRecordDialog)
        assert "pricing call" in screen_text(app)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        assert table.row_count == 1
        assert before.next_due.isoformat() in screen_text(app)
    back = Customer.get_by_id(customer.id)
    assert (back.followups, back.next_due, back.grade) == \
        (before.followups, before.next_due, before.grade)
    assert not Interaction.select().where(Interaction.id == second.interaction.id).exists()


async def test_removing_the_sale_moves_the_grade_back(app, demo_ctx):
    customer = add_customer(demo_ctx, {"name": "丁三", "need": "clear", "expected_close": "+5d"})
    record_order(demo_ctx, customer.id, amount="8000")
    assert Customer.get_by_id(customer.id).grade == "D"
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await open_profile(pilot, customer.id)
        await go_to_tab(pilot, "orders")
        await press(pilot, "d", "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        header = str(app.screen.query_one("#header").render())
        assert "丁三" in header
    back = Customer.get_by_id(customer.id)
    assert (back.grade, back.need, back.revenue) == ("A", "clear", Decimal(0))


async def test_u_after_a_log_shows_the_log_then_undoes_it(app, demo_ctx):
    customer = add_customer(demo_ctx, {"name": "丁四"})
    before = Customer.get_by_id(customer.id)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await open_profile(pilot, customer.id)
        await press(pilot, "l")
        assert isinstance(app.screen, LogDialog)
        app.screen.query_one("#row-summary", FieldRow).value = "called about the quote"
        await press(pilot, "ctrl+s")
        assert Interaction.select().where(Interaction.customer == customer.id).count() == 1
        await press(pilot, "u")
        assert isinstance(app.screen, UndoDialog)
        assert "Undo: log for 丁四 at 18:00" in screen_text(app)
        assert Interaction.select().where(Interaction.customer == customer.id).count() == 1
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        await press(pilot, "u")  # nothing left to undo: one clear notice, nothing changed
        assert isinstance(app.screen, ProfileScreen)
        assert any("nothing to undo" in str(n.message) for n in app._notifications)
    after = Customer.get_by_id(customer.id)
    assert not Interaction.select().where(Interaction.customer == customer.id).exists()
    assert (after.next_due, after.followups, after.last_contact_at) == \
        (before.next_due, before.followups, None)


async def test_enter_on_a_contact_row_corrects_it_and_escape_changes_nothing(app, demo_ctx):
    customer = add_customer(demo_ctx, {"name": "丁五"})
    logged = log_interaction(demo_ctx, customer.id, summary="first").interaction
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await open_profile(pilot, customer.id)
        await go_to_tab(pilot, "timeline")
        await press(pilot, "enter")
        assert isinstance(app.screen, EditInteractionDialog)
        assert app.screen.query_one("#row-summary", FieldRow).value == "first"
        await press(pilot, "escape")
        assert isinstance(app.screen, ProfileScreen)
        await press(pilot, "enter")
        await press(pilot, "f", "i", "x", "e", "d", "ctrl+s")  # the text was selected: replaced
        assert isinstance(app.screen, ProfileScreen)
    assert Interaction.get_by_id(logged.id).summary == "fixed"


async def test_a_record_changed_by_someone_else_meanwhile_is_refused_in_the_form(
        app, demo_ctx):
    customer = add_customer(demo_ctx, {"name": "丁六"})
    order = record_order(demo_ctx, customer.id, amount="100")
    User.create(login="ming", display_name="Ming", role="manager", created_at=APP_NOW)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await open_profile(pilot, customer.id)
        await go_to_tab(pilot, "orders")
        await press(pilot, "e")
        assert isinstance(app.screen, OrderDialog)
        from crmtui.services.corrections import remove_record

        remove_record(as_user(demo_ctx, "ming"), "order", order.id)
        app.screen.query_one("#row-note", FieldRow).value = "rush"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, OrderDialog)  # kept open with what was typed
        assert "deleted by Ming at 2026-11-23 18:00" in screen_text(app)
        assert app.screen.query_one("#row-note", FieldRow).value == "rush"
    assert not Order.select().where(Order.id == order.id).exists()


async def test_today_says_why_an_item_left_when_a_colleague_settled_it(app, demo_ctx, clock):
    from crmtui.screens.today import TodayScreen

    User.create(login="ming", display_name="王芳", role="manager", created_at=APP_NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        follow_up = next(item for item in app.screen.items if item.kind.value == "follow_up")
        clock.now = APP_NOW + timedelta(minutes=42)
        log_interaction(as_user(demo_ctx, "ming"), follow_up.customer_id, summary="called",
                        next_on="+7d")
        app.screen.reload()
        await settle(pilot)
        assert all(item.customer_id != follow_up.customer_id for item in app.screen.items)
        assert f"Left the list: {follow_up.customer}: logged by 王芳 18:42" in screen_text(app)


async def test_a_manager_reassigns_with_O_and_in_the_customer_form(app, demo_ctx):
    from textual.widgets import Select

    from crmtui.screens.dialogs.corrections import ReassignDialog
    from crmtui.screens.dialogs.customer import CustomerForm

    customer = add_customer(demo_ctx, {"name": "丁七"})
    li_na = User.get(User.login == "li.na")
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await open_profile(pilot, customer.id)
        await press(pilot, "O")
        assert isinstance(app.screen, ReassignDialog)
        select = app.screen.query_one("#field-owner", Select)
        assert select.value == "boss"
        select.value = "li.na"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        assert f"owner {li_na.display_name} (li.na)" in screen_text(app)
        assert Customer.get_by_id(customer.id).owner_id == li_na.id
        await press(pilot, "e")
        assert isinstance(app.screen, CustomerForm)
        await settle(pilot)
        owner = app.screen.query_one("#field-owner", Select)
        assert owner.value == "li.na"
        owner.value = "boss"
        app.screen.query_one("#field-company", Input).value = "丁氏集团"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
    stored = Customer.get_by_id(customer.id)
    assert (stored.owner_id, stored.company) == (demo_ctx.user.id, "丁氏集团")


async def test_a_rep_is_offered_no_reassign(demo_ctx, clock):
    from crmtui.app import CrmApp
    from tests.app.conftest import customer_of

    rep = as_user(demo_ctx, "li.na")
    app = CrmApp(rep)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await open_profile(pilot, customer_of("li.na"))
        await press(pilot, "O")
        assert isinstance(app.screen, ProfileScreen)  # not offered: nothing opens
