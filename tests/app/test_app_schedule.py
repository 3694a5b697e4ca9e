"""Today's schedule with the keys a rep presses: the day's appointments above the due list, the
evening view (`t`), booking a due item (`b`), moving (`m`) and cancelling (`d`) an appointment,
booking from the profile; checked on the screen and in the database. Snapshots of Today with a
schedule at 80×24 and 120×40 in both languages."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crmtui.app import CrmApp
from crmtui.db import Appointment
from crmtui.rules import DueKind
from crmtui.screens.base import CrmScreen
from crmtui.screens.dialogs.appointment import BookDialog, CancelAppointmentDialog, MoveDialog
from crmtui.screens.dialogs.log import LogDialog
from crmtui.screens.profile import ProfileScreen
from crmtui.screens.today import TodayScreen
from crmtui.services.appointments import add_appointment
from crmtui.widgets.due_list import DueList, is_appointment
from crmtui.widgets.form import FieldRow
from tests.app.conftest import (
    APP_NOW,
    customer_of,
    press,
    screen_text,
    settle,
    type_text,
    until,
)
from tests.app.test_app_snapshots import steps

UTC = timezone.utc
LANGUAGES = [pytest.param("en", id="en"), pytest.param("zh", id="zh")]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def schedule_ctx(demo_ctx, clock):
    """boss's day on 23 November (the app opens at 18:00): a visit at 09:30 and a call at 14:00
    (over, not logged), a meeting at 19:00; a visit tomorrow at 10:00. Booked that morning,
    in place of the demo's own."""
    Appointment.delete().execute()
    clock.now = at(23, 8)
    first, second, third = (customer_of("boss", i) for i in range(3))
    add_appointment(demo_ctx, first, at="today 09:30", purpose="revenue",
                    place="客户办公室 3F", prep="带新价目表，谈2027年框架协议")
    add_appointment(demo_ctx, second, at="today 14:00", minutes=30, kind="call",
                    purpose="retain", prep="问上次投诉的处理是否满意")
    add_appointment(demo_ctx, third, at="today 19:00", minutes=90, kind="meeting",
                    purpose="develop", prep="演示新产品")
    add_appointment(demo_ctx, first, at="tomorrow 10:00", purpose="relationship")
    clock.now = APP_NOW
    return demo_ctx


def rows(app) -> list:
    return [item for item in app.screen.query_one(DueList).items if item is not None]


async def cursor_to(pilot, wanted):
    """Move the cursor down (j) to the first row `wanted(row)` accepts; return it."""
    due = pilot.app.screen.query_one(DueList)
    await press(pilot, "g")
    for _step in range(len(due.items)):
        item = due.highlighted_item
        if item is not None and wanted(item):
            return item
        await pilot.press("j")
    raise AssertionError("no such row on Today")


async def test_the_days_appointments_come_first_in_time_order(schedule_ctx):
    app = CrmApp(schedule_ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = rows(app)
        appointments = [row for row in shown if is_appointment(row)]
        assert [a.starts_at for a in appointments] == [at(23, 9, 30), at(23, 14), at(23, 19)]
        assert shown[:3] == appointments  # above the due list
        assert [a.missed for a in appointments] == [True, True, False]
        text = screen_text(app)
        assert "Schedule (3)" in text
        assert "09:30–10:30" in text and "带新价目表" in text and "revenue" in text
        assert "t tomorrow" in text


async def test_the_evening_view_books_a_due_item_then_moves_and_cancels_it(schedule_ctx):
    app = CrmApp(schedule_ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        assert app.screen.tomorrow
        text = screen_text(app)
        assert "Tomorrow" in text and "Tue 2026-11-24" in text and "t today" in text
        assert [a.starts_at for a in rows(app) if is_appointment(a)] == [at(24, 10)]

        item = await cursor_to(pilot, lambda row: not is_appointment(row)
                               and row.kind is DueKind.FOLLOW_UP)
        booked_before = Appointment.select().count()
        await press(pilot, "b")
        assert isinstance(app.screen, BookDialog)
        assert app.screen.query_one("#row-at", FieldRow).value == "tomorrow "
        await type_text(pilot, "10:30")  # overlaps the 10:00 visit: refused, nothing stored
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, BookDialog)
        assert "clashes with appointment" in app.screen.query_one("#row-at", FieldRow).error
        assert Appointment.select().count() == booked_before
        field = app.screen.query_one("#field-at").input
        field.value = "tomorrow 11:00"  # back to back with the 10:00 visit
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, TodayScreen)
        booked = Appointment.get((Appointment.customer == item.customer_id)
                                 & (Appointment.starts_at == at(24, 11)))
        assert (booked.kind, booked.minutes, booked.status) == ("visit", 60, "planned")
        assert [a.id for a in rows(app) if is_appointment(a)][-1] == booked.id
        assert "Schedule (2)" in screen_text(app)

        await cursor_to(pilot, lambda row: is_appointment(row) and row.id == booked.id)
        await press(pilot, "m")
        assert isinstance(app.screen, MoveDialog)
        app.screen.query_one("#field-at").input.value = "tomorrow 15:00"
        await settle(pilot)
        await press(pilot, "ctrl+s")
        moved = Appointment.get_by_id(booked.id)
        assert (moved.starts_at, moved.moves, moved.first_starts_at) == (at(24, 15), 1,
                                                                          at(24, 11))
        assert "15:00–16:00" in screen_text(app)

        await cursor_to(pilot, lambda row: is_appointment(row) and row.id == booked.id)
        await press(pilot, "d")
        assert isinstance(app.screen, CancelAppointmentDialog)
        await press(pilot, "escape")  # asked, and kept
        assert Appointment.get_by_id(booked.id).status == "planned"
        await press(pilot, "d", "ctrl+s")
        assert Appointment.get_by_id(booked.id).status == "cancelled"
        assert booked.id not in [a.id for a in rows(app) if is_appointment(a)]

        await press(pilot, "t")  # back to today
        assert not app.screen.tomorrow and "Schedule (3)" in screen_text(app)


async def test_booking_from_the_profile(schedule_ctx):
    customer = customer_of("boss", 4)
    app = CrmApp(schedule_ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_profile(customer)
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        await press(pilot, "b")
        assert isinstance(app.screen, BookDialog)
        await type_text(pilot, "fri 15:30")
        await press(pilot, "tab")
        await type_text(pilot, "x")  # 60x is not a length of time: marked, not saved
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, BookDialog)
        assert Appointment.select().where(Appointment.customer == customer).count() == 0
        assert "not a length" in app.screen.query_one("#row-minutes", FieldRow).error
        app.screen.query_one("#field-minutes").value = "45"
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
    stored = Appointment.get(Appointment.customer == customer)
    assert (stored.starts_at, stored.minutes) == (at(27, 15, 30), 45)


async def test_support_is_offered_no_booking(schedule_ctx):
    from tests.conftest import as_user

    app = CrmApp(as_user(schedule_ctx, "support"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "b book" not in screen_text(app)
        await press(pilot, "b")
        assert isinstance(app.screen, TodayScreen)


@pytest.fixture(autouse=True)
def _no_change_checks(monkeypatch):
    monkeypatch.setattr(CrmScreen, "CHANGE_CHECK_SECONDS", 3600.0)


# -- snapshots: boss's day in the hand-made world (a visit at 09:30 and a call at 14:00, both
# over and not logged, a meeting at 19:00; a visit tomorrow at 10:00) --------------------------

# in English this is test_app_snapshots' test_today, at both sizes
@pytest.mark.parametrize("lang", [pytest.param("zh", id="zh")])
@pytest.mark.parametrize("size", SIZES)
def test_today_with_a_schedule(snap_compare, world_ctx, size, lang):
    ctx = world_ctx
    ctx.config = ctx.config._replace(lang=lang)
    assert snap_compare(CrmApp(ctx), terminal_size=size, run_before=steps())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tomorrows_schedule(snap_compare, world_ctx, lang):
    ctx = world_ctx
    ctx.config = ctx.config._replace(lang=lang)
    assert snap_compare(CrmApp(ctx), terminal_size=(80, 24), run_before=steps("t"))


async def test_logging_a_visit_from_the_schedule_closes_it_with_the_review(schedule_ctx):
    from crmtui.db import Instruction

    Instruction.delete().execute()  # the demo's: this visit has none to ask about
    app = CrmApp(schedule_ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        visit = await cursor_to(pilot, lambda row: is_appointment(row)
                                and row.starts_at == at(23, 9, 30))
        await press(pilot, "l")
        assert isinstance(app.screen, LogDialog)
        dialog = app.screen
        assert dialog.query_one("#row-channel", FieldRow).value == "visit"
        text = screen_text(app)
        assert "Closes the appointment" in text and "09:30–10:30" in text and "Purpose met" in text
        assert not dialog.query_one("#row-instructions_done", FieldRow).display  # none open
        await type_text(pilot, "presented the 2027 price list")
        dialog.query_one("#field-purpose_met").focus()
        await press(pilot, "enter", "down", "down", "enter")  # (not answered), yes, partly
        assert dialog.query_one("#row-purpose_met", FieldRow).value == "partly"
        await press(pilot, "tab")
        await type_text(pilot, "framework agreement for 2027")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, TodayScreen)
        stored = Appointment.get_by_id(visit.id)
        assert (stored.status, stored.purpose_met, stored.still_open) == (
            "done", "partly", "framework agreement for 2027")
        assert stored.interaction.summary == "presented the 2027 price list"
        assert stored.interaction.channel == "visit"
        row = next(r for r in rows(app) if is_appointment(r) and r.id == visit.id)
        assert row.status == "done" and not row.missed
        assert "✓09:30–10:30" in screen_text(app)


async def test_the_review_asks_whether_the_managers_instructions_were_carried_out(
        schedule_ctx):
    """An instruction open about the 09:30 visit's customer: the log form names it and asks;
    the answer is kept with the visit, and the instruction stays open until reported done."""
    from crmtui.db import Instruction
    from crmtui.services.instructions import give_instruction

    Instruction.delete().execute()
    first = customer_of("boss", 0)
    given = give_instruction(schedule_ctx, "boss", first, "带上新价目表并确认预算", "today")
    app = CrmApp(schedule_ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        visit = await cursor_to(pilot, lambda row: is_appointment(row)
                                and row.starts_at == at(23, 9, 30))
        await press(pilot, "l")
        assert isinstance(app.screen, LogDialog)
        dialog = app.screen
        await settle(pilot)
        assert dialog.query_one("#row-instructions_done", FieldRow).display
        assert "带上新价目表并确认预算" in screen_text(app)
        await type_text(pilot, "presented the price list")
        dialog.query_one("#field-instructions_done").focus()
        await press(pilot, "enter", "down", "enter")  # (not answered), yes
        assert dialog.query_one("#row-instructions_done", FieldRow).value == "yes"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, TodayScreen)
        stored = Appointment.get_by_id(visit.id)
        assert (stored.status, stored.instructions_done) == ("done", "yes")
        assert Instruction.get_by_id(given.id).done_on is None  # reported done with `f`


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_review_after_a_visit(snap_compare, world_ctx, lang):
    """The log form on the 09:30 visit: it closes the appointment and asks the review."""
    ctx = world_ctx
    ctx.config = ctx.config._replace(lang=lang)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await press(pilot, "l")
        await until(pilot, lambda: isinstance(pilot.app.screen, LogDialog)
                    and pilot.app.screen.closing is not None,
                    "the log form to read the appointment it closes")
        await type_text(pilot, "演示了新价目表" if lang == "zh" else "presented the price list")

    assert snap_compare(CrmApp(ctx), terminal_size=(80, 24), run_before=run_before)
