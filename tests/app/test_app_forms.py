"""Forms: validation beside each field as you type, nothing typed lost on a refusal, nothing
half-saved, optimistic locking, and a database that refuses the write."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from textual.widgets import Input

from crmtui.db import Customer, GradeChange, Interaction, Order
from crmtui.screens.dialogs.customer import CustomerForm
from crmtui.screens.dialogs.log import LogDialog
from crmtui.screens.dialogs.small import OrderDialog, RegradeDialog
from crmtui.screens.profile import ProfileScreen
from crmtui.screens.today import TodayScreen
from crmtui.services.customers import update_customer
from crmtui.widgets.form import FieldRow
from crmtui.widgets.lists import NavTable
from tests.app.conftest import press, screen_text, settle, type_text
from tests.conftest import as_user


def row(app, field: str) -> FieldRow:
    return app.screen.query_one(f"#row-{field}", FieldRow)


def note(app, field: str) -> str:
    found = row(app, field)
    if found.error is not None:
        return found.error
    return str(found.query_one(".field-note").render())


async def open_profile(pilot, customer_id: int) -> None:
    pilot.app.open_profile(customer_id)
    await settle(pilot)
    assert isinstance(pilot.app.screen, ProfileScreen)


def boss_customer(ctx, **where) -> Customer:
    query = Customer.select().where(Customer.owner == ctx.user.id)
    for name, value in where.items():
        query = query.where(getattr(Customer, name) == value)
    return query.order_by(Customer.id).first()


async def test_a_new_customer_with_a_bad_email_is_refused_beside_the_field_then_saved(
        app, demo_ctx):
    before = Customer.select().count()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "2", "n")
        assert isinstance(app.screen, CustomerForm)
        await type_text(pilot, "Zoe Quinn")
        await press(pilot, "tab", "tab", "tab", "tab")  # company, title, phones -> e-mail
        await type_text(pilot, "zoe@")
        assert "is not an e-mail address" in note(app, "email")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CustomerForm)  # still open, with everything typed
        assert row(app, "name").value == "Zoe Quinn"
        assert "fix the fields marked in red" in screen_text(app)
        assert Customer.select().count() == before

        await type_text(pilot, "example.com")
        assert row(app, "email").error is None
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)  # a new customer opens at once
        saved = Customer.get(Customer.name == "Zoe Quinn")
        assert saved.email == "zoe@example.com"
        assert saved.owner_id == demo_ctx.user.id
        assert app.screen.customer_id == saved.id


async def test_empty_required_fields_and_bad_dates_are_named_and_nothing_is_logged(
        app, demo_ctx):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        assert isinstance(app.screen, LogDialog)
        customer_id = app.screen.target.customer_id
        count = Interaction.select().where(Interaction.customer == customer_id).count()
        await press(pilot, "tab", "tab", "tab", "tab", "tab")  # when, channel … -> next date
        await type_text(pilot, "2026-02-30")
        assert "February 2026 has 28 days" in screen_text(app)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, LogDialog)
        assert row(app, "summary").error == "required"
        assert app.focused is row(app, "summary").control  # the first bad field
        await type_text(pilot, "x" * 3)
        assert Interaction.select().where(Interaction.customer == customer_id).count() == count
        # a promise without a due date: the service's reason, shown beside the due field
        app.screen.query_one("#field-next_on").value = ""
        app.screen.query_one("#field-promise", Input).value = "send the price list"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, LogDialog)
        assert row(app, "promise_due").error == "a promise needs a due date"
        assert Interaction.select().where(Interaction.customer == customer_id).count() == count
        await press(pilot, "escape", "tab", "enter")  # asked: discard what was typed
        assert isinstance(app.screen, TodayScreen)


async def test_order_form_refuses_bad_amounts_overlong_text_and_strips_pasted_controls(
        app, demo_ctx):
    customer = boss_customer(demo_ctx)
    revenue = customer.revenue
    orders = Order.select().where(Order.customer == customer.id).count()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_profile(pilot, customer.id)
        await press(pilot, "o")
        assert isinstance(app.screen, OrderDialog)
        await type_text(pilot, "12,3x")
        assert "is not an amount" in note(app, "amount")
        await press(pilot, "tab")
        app.screen.query_one("#field-product", Input).value = "P" * 201
        await settle(pilot)
        assert "too long: 201 characters, at most 200" in note(app, "product")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, OrderDialog)
        assert Order.select().where(Order.customer == customer.id).count() == orders
        app.screen.query_one("#field-amount", Input).value = "1,200.50"
        app.screen.query_one("#field-product", Input).value = "Pro\x1b[31m licence\x00"
        await settle(pilot)
        assert row(app, "amount").error is None and row(app, "product").error is None
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
    order = Order.select().where(Order.customer == customer.id).order_by(Order.id.desc()).get()
    assert order.amount == Decimal("1200.50")
    assert order.product == "Pro[31m licence"
    assert Customer.get_by_id(customer.id).revenue == revenue + Decimal("1200.50")


async def test_regrade_with_a_pinned_grade_shows_in_the_grade_history(app, demo_ctx):
    customer = boss_customer(demo_ctx, grade_pinned=False, need="potential")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_profile(pilot, customer.id)
        await press(pilot, "R")
        assert isinstance(app.screen, RegradeDialog)
        await press(pilot, "tab", "tab")  # need -> expected close -> pin
        await press(pilot, "enter", "down", "enter")  # the first grade: A
        assert row(app, "pin").value == "A"
        assert "pinned by hand" in screen_text(app)
        await press(pilot, "ctrl+s")
        assert row(app, "reason").error == "a pinned grade needs a reason"
        assert app.focused is row(app, "reason").control
        await type_text(pilot, "board decided")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        await press(pilot, *["right_square_bracket"] * 6)
        grades = app.screen.query_one("#table-grades", NavTable)
        newest = [str(cell) for cell in grades.get_row_at(0)]
        assert newest[1] == "D → A"
        assert newest[3] == "pinned: board decided"
    stored = Customer.get_by_id(customer.id)
    assert (stored.grade, stored.grade_pinned, stored.pin_reason) == ("A", True, "board decided")
    assert GradeChange.select().where(GradeChange.customer == customer.id,
                                      GradeChange.to_grade == "A").count() == 1


async def test_an_edit_refused_by_a_newer_save_keeps_the_edit_and_reapplies_it(
        app, demo_ctx):
    from crmtui.db import User

    customer = boss_customer(demo_ctx)
    User.create(login="mia", display_name="Mia Manager", role="manager",
                created_at=demo_ctx.now())
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_profile(pilot, customer.id)
        await press(pilot, "e")
        assert isinstance(app.screen, CustomerForm)
        company = app.screen.query_one("#field-company", Input)
        company.value = "Mine Ltd"
        await settle(pilot)
        # someone else saves the same customer meanwhile
        update_customer(as_user(demo_ctx, "mia"), customer.id, {"title": "CTO"})
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CustomerForm)
        text = screen_text(app)
        assert "was changed by Mia Manager" in text
        assert company.value == "Mine Ltd"
        assert Customer.get_by_id(customer.id).company != "Mine Ltd"

        await press(pilot, "ctrl+r")
        assert row(app, "title").value == "CTO"
        assert row(app, "company").value == "Mine Ltd"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
    stored = Customer.get_by_id(customer.id)
    assert (stored.company, stored.title) == ("Mine Ltd", "CTO")


async def test_a_locked_database_keeps_the_form_open_with_its_content(
        app, demo_ctx, db_path, monkeypatch):
    # The worker threads' connections wait 0.2 s for a lock instead of 5 s, and give up after
    # a few such waits.
    demo_ctx.store.busy_timeout = 0.2
    demo_ctx.store.db._timeout = 0.2
    demo_ctx.store.db._pragmas = [(k, 200 if k == "busy_timeout" else v)
                                  for k, v in demo_ctx.store.db._pragmas]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        customer_id = app.screen.target.customer_id
        count = Interaction.select().where(Interaction.customer == customer_id).count()
        await type_text(pilot, "locked")
        other = sqlite3.connect(db_path, timeout=0)
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            await press(pilot, "ctrl+s")
            assert isinstance(app.screen, LogDialog)
            assert "stayed busy" in screen_text(app)
            assert row(app, "summary").value == "locked"
        finally:
            other.rollback()
            other.close()
        assert Interaction.select().where(Interaction.customer == customer_id).count() == count
        await press(pilot, "ctrl+s")  # the lock is gone: the same form saves
        assert isinstance(app.screen, TodayScreen)
    assert Interaction.select().where(Interaction.customer == customer_id).count() == count + 1


async def test_a_read_only_database_refuses_saves_with_a_notice(app, demo_ctx):
    demo_ctx.store.readonly = True
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "read-only" in screen_text(app)
        await press(pilot, "l")
        await type_text(pilot, "hello")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, LogDialog)
        assert "read-only; nothing was changed" in screen_text(app)
        assert row(app, "summary").value == "hello"


# -- forms keep what you typed -----------------------------------------------------------------

async def order_dialog(pilot, customer_id: int) -> None:
    await settle(pilot)
    await open_profile(pilot, customer_id)
    await press(pilot, "o")
    assert isinstance(pilot.app.screen, OrderDialog)


async def test_typing_into_a_prefilled_field_replaces_it(app, demo_ctx):
    """Quantity shows 1: tab into it and type 3, and the order is for 3 (it used to be 13)."""
    customer = boss_customer(demo_ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await order_dialog(pilot, customer.id)
        await pilot.press(*"500")
        await press(pilot, "tab", "tab", "tab")  # product, date -> quantity
        assert app.focused.id == "field-quantity"
        await press(pilot, "3")
        assert row(app, "quantity").value == "3"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
    order = Order.select().where(Order.customer == customer.id).order_by(Order.id.desc()).get()
    assert (order.quantity, order.amount) == (3, Decimal("500"))


async def test_a_refused_field_is_corrected_at_the_end_of_what_was_typed(app, demo_ctx):
    customer = boss_customer(demo_ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await order_dialog(pilot, customer.id)
        await pilot.press(*"12x")
        await press(pilot, "tab", "ctrl+s")  # refused: back to the amount, nothing selected
        assert app.focused.id == "field-amount"
        await press(pilot, "backspace", "0")
        assert row(app, "amount").value == "120"


async def test_escape_on_a_changed_form_asks_before_throwing_it_away(app, demo_ctx):
    from crmtui.screens.dialogs.form import DiscardDialog

    customer = boss_customer(demo_ctx)
    orders = Order.select().count()
    async with app.run_test(size=(100, 30)) as pilot:
        await order_dialog(pilot, customer.id)
        await press(pilot, "escape")  # nothing typed: closes at once
        assert isinstance(app.screen, ProfileScreen)
        await press(pilot, "o", "7", "escape")
        assert isinstance(app.screen, DiscardDialog)
        assert "lose what you typed" in screen_text(app)
        await press(pilot, "escape")  # keep editing
        assert isinstance(app.screen, OrderDialog) and row(app, "amount").value == "7"
        await press(pilot, "escape", "enter")  # enter: the focused "Keep editing"
        assert isinstance(app.screen, OrderDialog)
        await press(pilot, "escape", "tab", "enter")  # Discard
        assert isinstance(app.screen, ProfileScreen)
    assert Order.select().count() == orders


async def test_ctrl_q_on_a_changed_form_asks_and_again_quits(app, demo_ctx):
    from crmtui.screens.dialogs.form import DiscardDialog

    customer = boss_customer(demo_ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await order_dialog(pilot, customer.id)
        await press(pilot, "9", "ctrl+q")
        assert isinstance(app.screen, DiscardDialog) and app.is_running
        assert "Quit and lose what you typed" in screen_text(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, OrderDialog) and row(app, "amount").value == "9"
        await press(pilot, "ctrl+q", "ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_a_contact_is_logged_back_dated_with_a_multi_line_summary(app, demo_ctx):
    from datetime import datetime, timezone

    from textual.widgets import TextArea

    customer = boss_customer(demo_ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_profile(pilot, customer.id)
        await press(pilot, "l")
        assert isinstance(app.screen, LogDialog)
        summary = app.screen.query_one("#field-summary", TextArea)
        assert app.focused is summary
        await pilot.press(*"called about the quote")
        await press(pilot, "tab")
        assert app.focused.id != "field-summary"
        await type_text(pilot, "tomorrow 10:00")
        assert "still to come" in screen_text(app)
        await press(pilot, "ctrl+u")
        await type_text(pilot, "yesterday 15:30")
        assert "Sun 2026-11-22 15:30" in screen_text(app)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
    logged = (Interaction.select().where(Interaction.customer == customer.id)
              .order_by(Interaction.id.desc()).get())
    assert logged.summary == "called about the quote"
    assert logged.at.replace(tzinfo=timezone.utc) == datetime(2026, 11, 22, 15, 30,
                                                              tzinfo=timezone.utc)


async def test_inputs_are_as_wide_as_the_dialog(app, demo_ctx):
    customer = boss_customer(demo_ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await order_dialog(pilot, customer.id)
        dialog = app.screen.query_one("#dialog")
        quantity = app.screen.query_one("#field-quantity", Input)
        assert quantity.region.right >= dialog.region.right - 3
