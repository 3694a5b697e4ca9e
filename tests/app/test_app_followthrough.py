"""The manager's instructions and payments in the app, with the keys a rep presses: `f` on
Today's instruction reports it done with a note, `$` on the profile's Orders tab records a
payment; checked on the screen and in the database."""

from __future__ import annotations

from decimal import Decimal

from crmtui.app import CrmApp
from crmtui.db import Customer, Instruction, Order, Payment
from crmtui.rules import DueKind
from crmtui.screens.dialogs.followthrough import PaymentDialog, ReportDoneDialog
from crmtui.screens.dialogs.small import OrderDialog
from crmtui.screens.profile import ProfileScreen
from crmtui.services.instructions import give_instruction
from crmtui.services.interactions import record_order
from crmtui.widgets.lists import NavTable
from tests.app.conftest import press, screen_text, settle, type_text, until
from tests.app.test_app_today import cursor_on, shown


def boss_customer(ctx) -> Customer:
    return (Customer.select().where((Customer.owner == ctx.user.id)
                                    & (Customer.lifecycle != "terminated"))
            .order_by(Customer.id).first())


async def test_f_reports_the_instruction_done_with_a_note(demo_ctx):
    customer = boss_customer(demo_ctx)
    given = give_instruction(demo_ctx, "boss", customer.id, "Present the new price list",
                             "today")
    app = CrmApp(demo_ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        item = await cursor_on(pilot, DueKind.INSTRUCTION)
        assert item.ref_id == given.id
        text = screen_text(app)
        assert "Manager's instructions (1)" in text and "Present the new price list" in text
        assert "f Done" in text  # offered on the instruction
        await press(pilot, "f")
        assert isinstance(app.screen, ReportDoneDialog)
        await type_text(pilot, "Sent by e-mail; meeting Friday")
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, ReportDoneDialog)
        assert not [i for i in shown(app) if i.kind is DueKind.INSTRUCTION]
        assert "Manager's instructions" not in screen_text(app)
    done = Instruction.get_by_id(given.id)
    assert (done.note, done.done_on is not None) == ("Sent by e-mail; meeting Friday", True)


async def test_dollar_on_an_order_records_a_payment(demo_ctx):
    customer = boss_customer(demo_ctx)
    order = record_order(demo_ctx, customer.id, amount="12000", product="服务器",
                         over_limit=True)
    app = CrmApp(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_profile(customer.id)
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen)
                    and app.screen.view is not None, "the profile read")
        assert "owes" in screen_text(app)
        await press(pilot, "dollar_sign")  # not on the Orders tab: it goes there
        table = app.screen.query_one("#table-orders", NavTable)
        await until(pilot, lambda: app.screen.query_one("#tabs").active == "orders",
                    "the Orders tab shown")
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == str(
            order.id)  # the newest order first
        await press(pilot, "dollar_sign")
        await until(pilot, lambda: isinstance(app.screen, PaymentDialog), "the payment form")
        assert app.screen.values()["amount"] == "12000.00"  # all that is owed, to start with
        await press(pilot, "end", "ctrl+u")  # clear it, and type what was paid
        await type_text(pilot, "5000")
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ProfileScreen)
                    and "7,000.00" in screen_text(app), "what is still owed, on the Orders tab")
    [payment] = Payment.select().where(Payment.order == order.id)
    assert payment.amount == Decimal("5000.00")
    assert Order.get_by_id(order.id).owed == Decimal("7000.00")


async def test_an_order_past_the_credit_limit_asks_again(demo_ctx):
    customer = boss_customer(demo_ctx)
    Customer.update(credit_limit=Decimal("100")).where(Customer.id == customer.id).execute()
    before = Order.select().where(Order.customer == customer.id).count()
    app = CrmApp(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_profile(customer.id)
        await settle(pilot)
        await press(pilot, "o")
        assert isinstance(app.screen, OrderDialog)
        await type_text(pilot, "150")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, OrderDialog)  # asked first, with the amount over
        assert "past their credit limit of 100.00 by" in screen_text(app)
        assert Order.select().where(Order.customer == customer.id).count() == before
        await press(pilot, "ctrl+s")  # confirmed
        assert isinstance(app.screen, ProfileScreen)
    assert Order.select().where(Order.customer == customer.id).count() == before + 1
