"""Working the due list with the keys a rep presses, checked on the screen and in the database."""

from __future__ import annotations

from datetime import timedelta

from rich.cells import cell_len

from crmtui.app import CrmApp
from crmtui.db import Customer, Interaction
from crmtui.rules import DueKind
from crmtui.screens.dialogs.log import LogDialog
from crmtui.screens.dialogs.small import SnoozeDialog
from crmtui.screens.profile import ProfileScreen
from crmtui.screens.today import TodayScreen
from crmtui.services.customers import add_customer
from crmtui.services.interactions import log_interaction
from crmtui.widgets.due_list import DueList, is_appointment, item_key
from crmtui.widgets.lists import NavTable
from tests.app.conftest import press, screen_text, settle, type_text
from tests.conftest import TODAY


def due_list(app) -> DueList:
    return app.screen.query_one(DueList)


def shown(app) -> list:
    """The due items on Today (the schedule's appointments above them left out)."""
    return [item for item in due_list(app).items
            if item is not None and not is_appointment(item)]


async def cursor_on(pilot, kind: DueKind):
    """Move the cursor (with j) to the first item of a kind; return that item."""
    due = due_list(pilot.app)
    for _step in range(len(due.items)):
        item = due.highlighted_item
        if item is not None and not is_appointment(item) and item.kind is kind:
            return item
        await pilot.press("j")
    raise AssertionError(f"no {kind} item on Today")


async def test_today_opens_with_the_due_list_in_its_sections(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        items = shown(app)
        assert items, "the demo has items due today"
        kinds = [item.kind for item in items]
        order = list(DueKind)
        assert kinds == sorted(kinds, key=order.index)
        text = screen_text(app)
        assert "Follow-ups due" in text
        assert items[0].customer in text
        assert "boss (manager)" in text and "demo.sqlite3" in text


async def test_logging_from_today_takes_the_item_off_and_shows_it_in_the_timeline(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        item = await cursor_on(pilot, DueKind.FOLLOW_UP)
        before = Interaction.select().where(Interaction.customer == item.customer_id).count()

        await press(pilot, "l")
        assert isinstance(app.screen, LogDialog)
        await type_text(pilot, "quote call")
        await press(pilot, "tab", "tab", "tab", "tab")  # when, channel, outcome -> next step
        await type_text(pilot, "contract")
        await press(pilot, "tab")
        await type_text(pilot, "+3d")
        await press(pilot, "ctrl+s")

        assert isinstance(app.screen, TodayScreen)
        assert item_key(item) not in [item_key(i) for i in shown(app)]
        stored = Customer.get_by_id(item.customer_id)
        assert stored.next_due == TODAY + timedelta(days=3)
        assert stored.next_step == "contract"
        assert Interaction.select().where(
            Interaction.customer == item.customer_id).count() == before + 1

        # The interaction log lists it first; enter opens the profile, whose timeline has it.
        await press(pilot, "3")
        await press(pilot, "enter")
        assert isinstance(app.screen, ProfileScreen)
        assert app.screen.customer_id == item.customer_id
        await press(pilot, "right_square_bracket", "right_square_bracket")
        timeline = app.screen.query_one("#table-timeline", NavTable)
        newest = [str(cell) for cell in timeline.get_row_at(0)]
        assert newest[-2] == "11-26"
        assert newest[-1] == "quote call → contract"


async def test_a_kept_promise_leaves_with_the_contact(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        try:
            item = await cursor_on(pilot, DueKind.PROMISE)
        except AssertionError:
            return  # the seed gave boss no promise today; covered by the service tests
        await press(pilot, "l")
        await type_text(pilot, "samples sent")
        await press(pilot, "ctrl+s")
        assert item_key(item) not in [item_key(i) for i in shown(app)]


async def test_snooze_moves_the_follow_up_to_the_day_typed(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        item = await cursor_on(pilot, DueKind.FOLLOW_UP)
        await press(pilot, "s")
        assert isinstance(app.screen, SnoozeDialog)
        await press(pilot, "ctrl+u")
        await type_text(pilot, "mon")
        assert "Mon 2026-11-30" in screen_text(app)
        await press(pilot, "enter", "ctrl+s")
        assert isinstance(app.screen, TodayScreen)
        assert item.customer_id not in [i.customer_id for i in shown(app)
                                        if i.kind is DueKind.FOLLOW_UP]
        assert Customer.get_by_id(item.customer_id).next_due == TODAY + timedelta(days=7)


async def test_a_care_date_cannot_be_snoozed_and_says_why(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        try:
            await cursor_on(pilot, DueKind.CARE)
        except AssertionError:
            return
        await press(pilot, "s")
        assert isinstance(app.screen, TodayScreen)
        assert any("care date cannot move" in n.message for n in app._notifications)


async def test_a_manager_switches_between_own_and_everyones_items(app, demo_ctx):
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        mine = shown(app)
        assert {item.owner for item in mine} == {demo_ctx.user.label}
        assert "mine" in screen_text(app)
        await press(pilot, "a")
        everyone = shown(app)
        assert len(everyone) > len(mine)
        assert len({item.owner for item in everyone}) > 1
        assert "everyone" in screen_text(app)
        assert "Owner" in screen_text(app)  # the owner column appears
        await press(pilot, "a")
        assert shown(app) == mine


async def test_a_rep_has_no_everyone_switch(demo_ctx):
    from tests.conftest import as_user

    rep = as_user(demo_ctx, "li.na")
    app = CrmApp(rep)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert {item.owner for item in shown(app)} <= {"李娜"}
        await press(pilot, "a")
        assert {item.owner for item in shown(app)} <= {"李娜"}
        assert "Mine/all" not in screen_text(app)


async def test_filter_in_place_and_escape_clears_it(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        everything = shown(app)
        target = everything[-1]
        await press(pilot, "slash")
        await type_text(pilot, target.customer.split()[0])
        filtered = shown(app)
        assert target in filtered and len(filtered) <= len(everything)
        await press(pilot, "ctrl+u")
        await type_text(pilot, "grade:Z")
        assert "grades A–E" in screen_text(app)
        await press(pilot, "escape")
        assert shown(app) == everything
        assert app.focused is due_list(app)


async def test_an_empty_day_says_so_and_shows_what_comes_next(ctx, clock):
    customer = add_customer(ctx, {"name": "王小明", "company": "重庆华信"})
    log_interaction(ctx, customer.id, summary="intro", next_on="+4d", next_step="demo")
    app = CrmApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Nothing is due today." in text
        assert "Coming up:" in text
        assert "王小明" in text and "11-27" in text and "demo" in text



async def test_a_line_the_scroll_bar_cuts_ends_in_an_ellipsis(ctx, clock):
    for number in range(30):  # more lines than 24 rows hold, so the list scrolls
        customer = add_customer(ctx, {"name": f"客户{number}"})
        log_interaction(ctx, customer.id, summary="intro", at=f"{TODAY - timedelta(days=1)} 10:00",
                        next_on=TODAY.isoformat(),
                        next_step="send the revised quotation with the new delivery terms")
    app = CrmApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        due = due_list(app)
        width = due.scrollable_content_region.width
        assert due.max_scroll_y > 0 and width < due.size.width  # a scroll bar took cells
        first = next(index for index, item in enumerate(due.items) if item is not None)
        assert due.line_text(first).cell_len > width  # the line is longer than the room
        drawn = due.render_line(first).text
        assert cell_len(drawn) == width and drawn.endswith("…")
        assert drawn.rstrip("…") in screen_text(app)
