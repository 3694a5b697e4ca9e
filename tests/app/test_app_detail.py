"""Read the whole row: under every list a line shows the highlighted row uncut, and columns
that say nothing for the viewer (the owner, on a rep's own customers) are left out."""

from __future__ import annotations

from rich.cells import cell_len

from crmtui.app import CrmApp
from crmtui.db import Customer
from crmtui.screens.profile import ProfileScreen
from crmtui.services.interactions import log_interaction
from crmtui.widgets.detail_line import DetailLine
from crmtui.widgets.due_list import DueList, is_appointment
from tests.app.conftest import customer_of, press, screen_text, settle, until
from tests.conftest import as_user

LONG = ("called about the quote for the second warehouse; they want the price held until the "
        "board meets on Friday and a sample of the blue fabric sent to Chongqing")


def detail(app) -> str:
    line = app.screen.query_one(DetailLine)
    return "" if line.has_class("-empty") else str(line.render())


def flat(text: str) -> str:
    return " ".join(text.split())


async def test_interactions_and_the_profile_timeline_show_the_whole_summary(app, demo_ctx):
    customer = customer_of("boss")
    log_interaction(demo_ctx, customer, summary=LONG)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        assert "called about the q…" in screen_text(app)  # the table cuts it…
        assert LONG in flat(detail(app))  # …the line under it does not
        assert LONG in flat(screen_text(app))
        app.open_profile(customer)
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        assert detail(app) == ""  # the overview is text already
        await press(pilot, "right_square_bracket", "right_square_bracket")  # the timeline
        assert LONG in flat(detail(app))


async def test_today_and_complaints_show_the_highlighted_row_whole(app, queue_ctx):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        item = app.screen.current_item()
        assert is_appointment(item)  # the schedule comes first
        assert item.customer in detail(app) and "–" in detail(app)  # its time, 10:00–11:00
        if item.prep:
            assert " ".join(item.prep.split()) in flat(detail(app))
        due = app.screen.query_one(DueList)
        due.move_to(next(i for i, row in enumerate(due.items)
                         if row is not None and not is_appointment(row)))
        await until(pilot, lambda: not is_appointment(app.screen.current_item())
                    and app.screen.current_item().detail in detail(app),
                    "the line under the list to follow the cursor")
        item = app.screen.current_item()
        assert item.detail in detail(app) and item.customer in detail(app)
        await press(pilot, "j")
        assert app.screen.current_item().detail in detail(app)
        await press(pilot, "4")
        row = app.screen.current_row()
        assert row.summary in detail(app) and f"#{row.id}" in detail(app)


async def test_a_reps_customers_have_no_owner_column_a_managers_team_has(demo_ctx):
    rep = CrmApp(as_user(demo_ctx, "li.na"))
    async with rep.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        headings = [str(column.label) for column in rep.screen.table.columns.values()]
        assert "Owner" not in headings and "Company" in headings
        assert "owner li.na" in detail(rep) or "owner " in detail(rep)
    boss = CrmApp(demo_ctx)
    async with boss.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        assert "Owner" not in [str(c.label) for c in boss.screen.table.columns.values()]
        await press(pilot, "a")  # everyone's: now whose it is says something
        assert "Owner" in [str(c.label) for c in boss.screen.table.columns.values()]
        owners = {Customer.get_by_id(boss.screen.customer_of[key]).owner.login
                  for key in list(boss.screen.customer_of)[:40]}
        assert len(owners) > 1


async def test_one_customer_is_one_customer(app, demo_ctx):
    name = Customer.get_by_id(customer_of("boss")).name
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "2", "slash")
        await pilot.press(*name)
        await until(pilot, lambda: "1 customer ·" in screen_text(app), "the one customer found")
        assert "1 customer ·" in screen_text(app) and "1 customers" not in screen_text(app)


async def test_the_line_under_the_list_takes_the_lines_its_row_needs(app, demo_ctx):
    log_interaction(demo_ctx, customer_of("boss"), summary=LONG)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        line = app.screen.query_one(DetailLine)
        assert LONG in flat(detail(app)) and line.size.height >= 3  # wrapped
        moves = 0
        while max(map(cell_len, detail(app).splitlines())) > 70:  # to a row whose lines fit
            await press(pilot, "j")
            moves += 1
            assert moves < 20, "a short row among the first twenty"
        lines = len(detail(app).splitlines())
        await until(pilot, lambda: line.size.height == lines, "the line to shrink to its text")
        await press(pilot, *["k"] * moves)
        assert LONG in flat(detail(app))
        await until(pilot, lambda: line.size.height > lines, "the line to grow again")
