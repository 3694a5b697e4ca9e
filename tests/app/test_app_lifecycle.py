"""After the sale, with the keys a user presses: Today's Win back section, and the profile's
value class and lifecycle keys — checked on the screen and in the database."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from crmtui.app import CrmApp
from crmtui.db import Customer, CustomerChange, Interaction
from crmtui.rules import DueKind
from crmtui.screens.dialogs.lifecycle import LifecycleDialog, ValueClassDialog
from crmtui.screens.dialogs.log import LogDialog
from crmtui.screens.dialogs.small import SnoozeDialog
from crmtui.screens.profile import ProfileScreen
from crmtui.screens.today import TodayScreen
from crmtui.services.customers import add_customer
from crmtui.services.interactions import log_interaction, record_order
from crmtui.services.receivables import record_payment
from crmtui.widgets.due_list import DueList
from tests.app.conftest import press, screen_text, settle, type_text, until
from tests.conftest import NOW, TODAY, as_user


def at(clock, day: date) -> None:
    clock.now = datetime(day.year, day.month, day.day, 10, tzinfo=timezone.utc)


def shown(app) -> list:
    return [item for item in app.screen.query_one(DueList).items if item is not None]


@pytest.fixture
def drifters(ctx, clock):
    """Two buyers whose one order is more than 180 days old: 王芳 never called since she lapsed
    (a win-back due), Acme called last week (not due yet)."""
    ids = []
    for name in ("王芳", "Acme"):
        at(clock, date(2026, 3, 2))
        customer = add_customer(ctx, {"name": name, "company": "重庆华信"})
        log_interaction(ctx, customer.id, summary="intro")
        order = record_order(ctx, customer.id, amount="50000")
        record_payment(ctx, order.id, "50000")  # paid: nothing owed stays on Today
        ids.append(customer.id)
    at(clock, TODAY.replace(day=16))
    log_interaction(ctx, ids[1], summary="how are things?")
    clock.now = NOW
    return ids


async def cursor_on(pilot, kind: DueKind):
    due = pilot.app.screen.query_one(DueList)
    for _step in range(len(due.items)):
        item = due.highlighted_item
        if item is not None and item.kind is kind:
            return item
        await pilot.press("j")
    raise AssertionError(f"no {kind} item on Today")


async def test_win_back_section_lists_the_lapsed_and_a_call_settles_it(ctx, drifters):
    wang, acme = drifters
    app = CrmApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        text = screen_text(app)
        assert "Win back (1)" in text
        assert "no order since 2026-03-02" in text
        assert "1 to win back" in text  # the summary line counts them apart
        [item] = [i for i in shown(app) if i.kind is DueKind.WIN_BACK]
        assert item.customer_id == wang
        assert Customer.get_by_id(wang).lifecycle == "lapsed"  # the day's catch-up lapsed her
        assert Customer.get_by_id(acme).lifecycle == "lapsed"

        await cursor_on(pilot, DueKind.WIN_BACK)
        await press(pilot, "l")
        assert isinstance(app.screen, LogDialog)
        await type_text(pilot, "we miss you: new catalogue sent")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, TodayScreen)
        assert not [i for i in shown(app) if i.kind is DueKind.WIN_BACK]
        assert "Win back" not in screen_text(app)
        assert Interaction.select().where(Interaction.customer == wang).count() == 2
        customer = Customer.get_by_id(wang)
        assert customer.next_due > TODAY and customer.lifecycle == "lapsed"


async def test_a_win_back_call_can_be_snoozed(ctx, drifters):
    wang, _acme = drifters
    app = CrmApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await cursor_on(pilot, DueKind.WIN_BACK)
        await press(pilot, "s")
        assert isinstance(app.screen, SnoozeDialog)
        await press(pilot, "ctrl+u")
        await type_text(pilot, "+2w")
        await press(pilot, "enter", "ctrl+s")
        assert isinstance(app.screen, TodayScreen)
        assert not [i for i in shown(app) if i.kind is DueKind.WIN_BACK]
        assert Customer.get_by_id(wang).next_due == date(2026, 12, 7)
        assert CustomerChange.select().where(CustomerChange.to_value == "lapsed").count() == 2


async def open_profile(pilot, customer_id: int) -> None:
    pilot.app.open_profile(customer_id)
    await settle(pilot)
    assert isinstance(pilot.app.screen, ProfileScreen)


async def test_v_pins_a_value_class_with_a_reason_and_unpins_it(ctx, drifters):
    wang, _acme = drifters
    app = CrmApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_profile(pilot, wang)
        await press(pilot, "v")
        assert isinstance(app.screen, ValueClassDialog)
        assert "(by the figures)" in screen_text(app)
        await press(pilot, "enter", "down", "enter")  # the first class after the figures: key
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ValueClassDialog)  # a pin needs its reason
        assert "a reason is required" in screen_text(app)
        assert not Customer.get_by_id(wang).class_pinned
        await type_text(pilot, "strategic account")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        stored = Customer.get_by_id(wang)
        assert (stored.value_class, stored.class_pinned, stored.class_reason) == (
            "key", True, "strategic account")
        assert "strategic account" in screen_text(app)

        await press(pilot, "v")
        assert isinstance(app.screen, ValueClassDialog)
        assert "(pinned: strategic account)" in screen_text(app)
        await press(pilot, "enter", "up", "enter")  # back to "by the figures"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
    stored = Customer.get_by_id(wang)
    assert not stored.class_pinned
    changes = [(change.to_value, change.reason) for change in CustomerChange.select().where(
        CustomerChange.customer == wang, CustomerChange.what == "value_class").order_by(
        CustomerChange.id)]
    assert changes[-2:] == [("key", "pinned: strategic account"),
                           (stored.value_class, "unpinned")]


async def test_t_terminates_a_customer_off_today_and_makes_them_active_again(ctx, drifters):
    wang, _acme = drifters
    app = CrmApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert [i for i in shown(app) if i.customer_id == wang]
        await open_profile(pilot, wang)
        await press(pilot, "T")
        assert isinstance(app.screen, LifecycleDialog)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, LifecycleDialog)  # the reason is required
        await type_text(pilot, "went with a competitor")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        stored = Customer.get_by_id(wang)
        assert (stored.lifecycle, stored.lifecycle_reason) == ("terminated",
                                                               "went with a competitor")
        await press(pilot, "escape")
        await press(pilot, "r")
        assert isinstance(app.screen, TodayScreen)
        assert not [i for i in shown(app) if i.customer_id == wang]

        await open_profile(pilot, wang)
        await press(pilot, "T")
        assert "is terminated (went with a competitor)" in screen_text(app)
        await type_text(pilot, "signed again")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
    stored = Customer.get_by_id(wang)
    assert (stored.lifecycle, stored.lifecycle_reason) == ("lapsed", "")
    assert CustomerChange.select().where(CustomerChange.customer == wang,
                                         CustomerChange.reason == "signed again").count() == 1


async def test_support_is_not_offered_the_class_or_lifecycle_keys(ctx, rep_ctx, drifters):
    wang, _acme = drifters
    app = CrmApp(as_user(ctx, "sam"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_profile(pilot, wang)
        await press(pilot, "v", "T")
        assert isinstance(app.screen, ProfileScreen)
        assert not app.screen.check_action("value_class", ())
        assert not app.screen.check_action("lifecycle", ())
    stored = Customer.get_by_id(wang)
    assert (stored.class_pinned, stored.lifecycle) == (False, "lapsed")


async def test_a_terminated_customer_is_not_shown_overdue_in_the_customers_list(ctx):
    """Nobody chases a terminated customer: their past next due day is shown, unmarked."""
    from crmtui.services.lifecycle import set_lifecycle

    late = add_customer(ctx, {"name": "Late Larry"})
    gone = add_customer(ctx, {"name": "Gone Gina"})
    set_lifecycle(ctx, gone.id, "terminated", reason="closed down")
    past = date.fromordinal(TODAY.toordinal() - 5)  # days go by after both were last touched
    Customer.update(next_due=past).where(Customer.id.in_([late.id, gone.id])).execute()
    app = CrmApp(ctx)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        await until(pilot, lambda: "Gone Gina" in screen_text(app), "the customers list")
        lines = screen_text(app).splitlines()
        larry = next(line for line in lines if "Late Larry" in line)
        gina = next(line for line in lines if "Gone Gina" in line)
        assert past.isoformat() + "!" in larry
        assert past.isoformat() in gina and past.isoformat() + "!" not in gina
