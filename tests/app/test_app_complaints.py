"""The Complaints screen as support staff and managers work it: the queue's keys pressed, then
the screen and the database checked; the complaint's own screen; a complaint from a profile;
changes made by others noticed while the screen is open."""

from __future__ import annotations


import asyncio
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

from crmtui.app import CrmApp
from crmtui.db import Complaint, ComplaintEvent, Customer, Survey
from crmtui.present.styles import SLA_STYLES
from crmtui.rules import DueItem, DueKind
from crmtui.screens.base import CrmScreen
from crmtui.screens.complaint import ComplaintScreen
from crmtui.screens.complaints import ComplaintsScreen
from crmtui.screens.dialogs.complaint import (
    AcknowledgeDialog,
    CloseDialog,
    NewComplaintDialog,
    OwnerDialog,
    ResolveDialog,
)
from crmtui.screens.profile import ProfileScreen
from crmtui.screens.today import TodayScreen
from crmtui.services import complaints as service
from crmtui.services.customers import add_customer
from crmtui.widgets.complaint_list import ComplaintList
from crmtui.widgets.due_list import DueList
from tests.app.conftest import (
    APP_NOW,
    customer_of,
    palette_finds,
    press,
    screen_text,
    settle,
    type_text,
    until,
)
from tests.conftest import as_user


@pytest.fixture
def quick_watch(monkeypatch):
    """Screens ask for changes every 0.1 s instead of every few seconds."""
    monkeypatch.setattr(CrmScreen, "CHANGE_CHECK_SECONDS", 0.1)


def queue(app) -> ComplaintList:
    return app.screen.query_one(ComplaintList)


def shown_ids(app) -> list[int]:
    return [row.id for row in queue(app).items]


def footer_line(app) -> str:
    return screen_text(app).splitlines()[-1]


def count_change_checks(screen) -> list[bool]:
    """Every answer of the screen's change watch from now on (each look for changes by others)."""
    watch = screen._change_watch
    answers: list[bool] = []
    asked = watch.changed

    def changed() -> bool:
        answers.append(asked())
        return answers[-1]

    watch.changed = changed
    return answers


def notices(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def open_queue(pilot) -> None:
    await settle(pilot)
    await press(pilot, "4")
    assert isinstance(pilot.app.screen, ComplaintsScreen)


async def cursor_to(pilot, complaint_id: int) -> None:
    await press(pilot, "g")
    for _step in range(len(queue(pilot.app).items)):
        row = queue(pilot.app).highlighted_item
        if row is not None and row.id == complaint_id:
            return
        await pilot.press("j")
    raise AssertionError(f"complaint #{complaint_id} is not in the queue")


async def to_field(pilot, name: str) -> None:
    pilot.app.screen.rows[name].focus_control()
    await settle(pilot)


async def fill(pilot, text: str) -> None:
    """Replace the text of the focused input."""
    pilot.app.focused.value = ""
    await type_text(pilot, text)


def stored(complaint_id: int) -> Complaint:
    return Complaint.get_by_id(complaint_id)


def timeline(complaint_id: int) -> list[tuple[str, str, str, str]]:
    return [(e.kind, e.from_value, e.to_value, e.by.login) for e in
            ComplaintEvent.select().where(ComplaintEvent.complaint == complaint_id)
            .order_by(ComplaintEvent.id)]


async def in_another_connection(function, *args, **kwargs):
    """Another user's save: a thread of its own has its own database connection."""
    def run():
        from crmtui.db import database

        try:
            return function(*args, **kwargs)
        finally:
            database.close()

    return await asyncio.to_thread(run)


# -- the queue ------------------------------------------------------------------------------------

async def test_the_queue_is_sorted_by_time_left_and_coloured_by_service_level(app, queue_ctx,
                                                                                demo_ctx):
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        expected = service.complaint_queue(demo_ctx, status=(*service.OPEN, "resolved"))
        assert shown_ids(app) == [row.id for row in expected]
        assert queue_ctx.closed not in shown_ids(app)  # closed ones only on request
        assert shown_ids(app)[-1] == queue_ctx.resolved  # a stopped clock after the running
        text = screen_text(app)
        assert "6 open · 1 late · 1 at risk · 1 resolved" in text
        line = next(line for line in text.splitlines() if "发货延迟一周" in line
                    and "critical" in line)
        assert "10m left" in line and "new" in line and "邵霞" in line
        working = next(line for line in text.splitlines() if "Wrong colour" in line)
        assert "support" in working and "11-24 10:00" in working  # owner, promised
        assert "paused" in next(line for line in text.splitlines() if "Manual in" in line)

        # the time left is drawn in the command line's colour of its state
        rows = queue(app).items
        for index, row in enumerate(rows):
            drawn = queue(app).line_text(index)
            words = drawn.plain.split()
            styles = {str(span.style) for span in drawn.spans}
            if row.sla.time_left is not None:
                assert SLA_STYLES[row.sla.state.value] in styles, (row.id, words)
        at_risk = rows[shown_ids(app).index(queue_ctx.at_risk)]
        assert at_risk.sla.state.value == "at_risk"


async def test_the_list_moves_with_j_k_g_and_page_keys(app, queue_ctx):
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        ids = shown_ids(app)
        assert queue(app).highlighted_item.id == ids[0]
        await press(pilot, "j", "j")
        assert queue(app).highlighted_item.id == ids[2]
        await press(pilot, "k")
        assert queue(app).highlighted_item.id == ids[1]
        await press(pilot, "G")
        assert queue(app).highlighted_item.id == ids[-1]
        await press(pilot, "g")
        assert queue(app).highlighted_item.id == ids[0]
        await press(pilot, "pagedown")
        assert queue(app).highlighted_item.id == ids[-1]
        await press(pilot, "pageup")
        assert queue(app).highlighted_item.id == ids[0]


async def test_acknowledging_asks_the_promised_time_then_w_starts_work(app, queue_ctx):
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await cursor_to(pilot, queue_ctx.new)
        await press(pilot, "A")
        assert isinstance(app.screen, AcknowledgeDialog)
        await type_text(pilot, "tomorrow 10:00")
        assert "Tue 2026-11-24 10:00 · in 16h" in screen_text(app)
        await press(pilot, "tab")
        await type_text(pilot, "told them: by tomorrow morning")
        await press(pilot, "ctrl+s")

        assert isinstance(app.screen, ComplaintsScreen)
        complaint = stored(queue_ctx.new)
        assert complaint.status == "acknowledged"
        assert complaint.promised_at == datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
        assert complaint.acknowledged_at == APP_NOW
        assert complaint.owner.login == "boss"  # whoever answers first takes it
        assert any("promised 2026-11-24 10:00" in n for n in notices(app))
        assert queue(app).highlighted_item.id == queue_ctx.new
        assert queue(app).highlighted_item.status == "acknowledged"

        await press(pilot, "w")
        assert stored(queue_ctx.new).status == "in_progress"
        assert queue(app).highlighted_item.status == "in_progress"
        assert timeline(queue_ctx.new)[-4:] == [
            ("status", "new", "acknowledged", "boss"),
            ("promise", "", "2026-11-24T10:00:00+00:00", "boss"),
            ("owner", "", "boss", "boss"),
            ("status", "acknowledged", "in_progress", "boss"),
        ]


async def test_a_promised_time_in_the_past_is_refused_in_the_dialog(app, queue_ctx):
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await cursor_to(pilot, queue_ctx.new)
        version = stored(queue_ctx.new).version
        await press(pilot, "A")
        await type_text(pilot, "10:00")  # today 10:00; it is 18:00
        assert "2026-11-23 10:00 is not in the future" in screen_text(app)
        await press(pilot, "tab")
        await type_text(pilot, "a note to keep")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, AcknowledgeDialog)  # still open, everything kept
        assert app.screen.rows["promise"].value == "10:00"
        assert app.screen.rows["note"].value == "a note to keep"
        assert "Not saved" in screen_text(app)
        assert stored(queue_ctx.new).status == "new"
        assert stored(queue_ctx.new).version == version

        await to_field(pilot, "promise")
        await fill(pilot, "fri 15:30")
        assert "Fri 2026-11-27 15:30" in screen_text(app)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ComplaintsScreen)
        assert stored(queue_ctx.new).promised_at == datetime(2026, 11, 27, 15, 30,
                                                             tzinfo=timezone.utc)


async def test_resolve_with_a_note_then_close_with_satisfaction(app, queue_ctx):
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await cursor_to(pilot, queue_ctx.working)
        await press(pilot, "F")
        assert isinstance(app.screen, ResolveDialog)
        await press(pilot, "ctrl+s")  # the resolution is required
        assert isinstance(app.screen, ResolveDialog)
        assert stored(queue_ctx.working).status == "in_progress"
        await type_text(pilot, "sent the grey ones")
        await press(pilot, "tab")
        await type_text(pilot, "picking error")
        await press(pilot, "ctrl+s")

        complaint = stored(queue_ctx.working)
        assert (complaint.status, complaint.resolution, complaint.root_cause) == (
            "resolved", "sent the grey ones", "picking error")
        assert complaint.resolved_at == APP_NOW
        # resolved ones stay in the queue until closed, after the open ones
        assert queue(app).highlighted_item.id == queue_ctx.working
        assert queue(app).highlighted_item.status == "resolved"

        await press(pilot, "C")
        assert isinstance(app.screen, CloseDialog)
        await type_text(pilot, "7")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CloseDialog)
        assert "between 1 and 5" in screen_text(app)
        assert stored(queue_ctx.working).status == "resolved"
        await fill(pilot, "5")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ComplaintsScreen)
        complaint = stored(queue_ctx.working)
        assert (complaint.status, complaint.satisfaction) == ("closed", 5)
        assert Survey.get(Survey.complaint == complaint.id).overall == 5
        assert any("satisfaction 5/5" in n for n in notices(app))
        assert queue_ctx.working not in shown_ids(app)  # closed: gone from the queue


async def test_an_illegal_move_shows_the_services_message_and_changes_nothing(app, queue_ctx):
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await cursor_to(pilot, queue_ctx.new)
        before = (stored(queue_ctx.new).version, timeline(queue_ctx.new))
        await until(pilot, lambda: "A Ack" in footer_line(app),
                    "the footer to offer the moves of a new complaint, once the cursor rests")
        footer = footer_line(app)
        assert "A Ack" in footer and "C Close" not in footer and "F Resolve" not in footer

        await press(pilot, "C")  # not offered for a new complaint, but the key answers
        assert isinstance(app.screen, ComplaintsScreen)  # no dialog
        assert ("cannot close complaint #{id}: it is new; from new it can go to acknowledged; "
                "resolve it with a resolution note first").format(id=queue_ctx.new) \
            in notices(app)
        await press(pilot, "w")
        assert any(n.startswith(f"cannot start work on complaint #{queue_ctx.new}: it is new")
                   for n in notices(app))
        await press(pilot, "Z")
        assert any(n.startswith(f"cannot reopen complaint #{queue_ctx.new}: it is new")
                   for n in notices(app))
        assert (stored(queue_ctx.new).version, timeline(queue_ctx.new)) == before
        assert stored(queue_ctx.new).status == "new"


async def test_wait_for_the_customer_and_resume_with_shift_w(app, queue_ctx):
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await cursor_to(pilot, queue_ctx.waiting)
        resolve_by = stored(queue_ctx.waiting).resolve_by
        await press(pilot, "W")  # resumes: paused for 4 hours
        complaint = stored(queue_ctx.waiting)
        assert complaint.status == "in_progress" and complaint.waiting_since is None
        assert complaint.resolve_by == resolve_by + timedelta(hours=4)
        last = (ComplaintEvent.select().where(ComplaintEvent.complaint == queue_ctx.waiting)
                .order_by(ComplaintEvent.id.desc()).first())
        assert (last.to_value, last.note) == ("in_progress", "clock paused 4h")
        await press(pilot, "W")
        assert stored(queue_ctx.waiting).status == "waiting_customer"
        assert "paused" in screen_text(app)


async def test_severity_owner_reopen_and_a_note(app, queue_ctx):
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await cursor_to(pilot, queue_ctx.new)
        await press(pilot, "exclamation_mark")
        app.screen.rows["severity"].value = "critical"
        await press(pilot, "tab")
        await type_text(pilot, "customer is a key account")
        await press(pilot, "ctrl+s")
        complaint = stored(queue_ctx.new)
        assert complaint.severity == "critical"
        assert complaint.respond_by == complaint.opened_at + timedelta(hours=1)

        await press(pilot, "O")
        assert isinstance(app.screen, OwnerDialog)
        app.screen.rows["owner"].value = "support"
        await press(pilot, "ctrl+s")
        assert stored(queue_ctx.new).owner.login == "support"
        assert queue(app).highlighted_item.owner == "support"

        await press(pilot, "N")
        await type_text(pilot, "customer called again")
        await press(pilot, "ctrl+s")
        assert ComplaintEvent.get((ComplaintEvent.complaint == queue_ctx.new)
                                  & (ComplaintEvent.kind == "note")).note \
            == "customer called again"

        await cursor_to(pilot, queue_ctx.resolved)
        await press(pilot, "Z")
        await type_text(pilot, "the credit note bounced")
        await press(pilot, "ctrl+s")
        complaint = stored(queue_ctx.resolved)
        assert complaint.status == "reopened" and complaint.resolved_at is None
        assert timeline(queue_ctx.resolved)[-1] == ("status", "resolved", "reopened", "boss")


# -- filters --------------------------------------------------------------------------------------

async def test_filters_mine_unassigned_severity_status_words_and_closed(app, queue_ctx):
    async with app.run_test(size=(120, 30)) as pilot:
        await open_queue(pilot)
        everything = shown_ids(app)

        rows = {row.id: row for row in queue(app).items}
        mine = {i for i in everything if rows[i].owner == "boss"}

        async def filtered(text: str, shows: Callable[[list[int]], bool]) -> list[int]:
            """Type the filter, wait until the queue `shows` its rows, take them."""
            await press(pilot, "slash")
            await fill(pilot, text)
            await until(pilot, lambda: shows(shown_ids(app)), f"the queue filtered by {text!r}")
            await press(pilot, "enter")
            return shown_ids(app)

        def exactly(expected) -> Callable[[list[int]], bool]:
            return lambda ids: ids == expected

        unassigned = [i for i in everything if rows[i].owner is None]
        assert await filtered("unassigned", exactly(unassigned)) == unassigned
        assert set(await filtered("mine", lambda ids: set(ids) == mine)) == mine
        assert "boss (manager) · mine" in screen_text(app)
        urgent = [i for i in everything if rows[i].severity in ("critical", "high")]
        assert await filtered("severity:crit,high", exactly(urgent)) == urgent
        new = [i for i in everything if rows[i].status == "new"]
        assert await filtered("status:new", exactly(new)) == new
        invoices = [queue_ctx.new, queue_ctx.resolved]
        assert await filtered("invoice", exactly(invoices)) == invoices
        supports = [i for i in everything if rows[i].owner == "support"]
        assert await filtered("owner:supp", exactly(supports)) == supports
        assert queue_ctx.closed in await filtered("closed", lambda ids: queue_ctx.closed in ids)
        only_closed = await filtered("closed status:closed", lambda ids: ids == [
            row.id for row in queue(app).items if row.status == "closed"] and ids != [])
        assert only_closed == [row.id for row in queue(app).items if row.status == "closed"]
        refused = "severity: one of critical, high, normal, low"
        kept = shown_ids(app)
        assert await filtered("severity:urgent", lambda ids: refused in screen_text(app)) == kept
        assert refused in screen_text(app)  # refused, list kept

        await press(pilot, "slash", "escape")
        await until(pilot, lambda: shown_ids(app) == everything, "the whole queue again")
        await press(pilot, "a")  # mine, and again everyone's
        await until(pilot, lambda: set(shown_ids(app)) == mine, "boss's complaints")
        await press(pilot, "a")
        await until(pilot, lambda: shown_ids(app) == everything, "everyone's complaints")
        assert shown_ids(app) == everything
        assert "boss (manager) · everyone" in screen_text(app)


async def test_a_rep_sees_complaints_on_their_own_customers_and_may_add_notes(demo_ctx,
                                                                                queue_ctx):
    rep = as_user(demo_ctx, "li.na")
    app = CrmApp(rep)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_queue(pilot)
        customers = {row.customer_id for row in queue(app).items}
        assert customers and all(Customer.get_by_id(c).owner.login == "li.na" for c in customers)
        assert queue_ctx.working in shown_ids(app) and queue_ctx.new not in shown_ids(app)
        footer = screen_text(app).splitlines()[-1]
        assert "A Ack" not in footer and "N Note" in footer
        await cursor_to(pilot, queue_ctx.working)
        await press(pilot, "F")
        assert isinstance(app.screen, ComplaintsScreen)
        assert stored(queue_ctx.working).status == "in_progress"
        await press(pilot, "N")
        await type_text(pilot, "the customer phoned me about it")
        await press(pilot, "ctrl+s")
        assert timeline(queue_ctx.working)[-1][0] == "note"
        assert timeline(queue_ctx.working)[-1][3] == "li.na"


# -- the complaint's own screen --------------------------------------------------------------------

async def test_the_detail_shows_the_timeline_after_actions_and_the_customers_contacts(
        app, queue_ctx):
    async with app.run_test(size=(120, 50)) as pilot:
        await open_queue(pilot)
        await cursor_to(pilot, queue_ctx.new)
        await press(pilot, "A")
        await type_text(pilot, "+2h")
        await press(pilot, "ctrl+s", "w")
        await press(pilot, "enter")
        assert isinstance(app.screen, ComplaintScreen)
        text = screen_text(app)
        assert f"Complaint #{queue_ctx.new}" in text and "Invoice address wrong" in text
        for words in ("opened: Invoice address wrong", "new → acknowledged",
                      "promised the customer an answer by 2026-11-23 20:00",
                      "owner nobody → boss",
                      "acknowledged → in_progress", "Recent contacts with 秦俊"):
            assert words in text, words
        assert text.index("new → acknowledged") < text.index("acknowledged → in_progress")
        customer = Customer.get_by_id(customer_of("boss", 1))
        latest = customer.interactions.order_by(-customer.interactions.model.at).first()
        assert latest.summary[:20] in text

        # the queue's keys work here too
        await press(pilot, "F")
        await type_text(pilot, "address corrected, invoice re-sent")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ComplaintScreen)
        assert stored(queue_ctx.new).status == "resolved"
        assert "in_progress → resolved: address corrected, invoice re-sent" in screen_text(app)

        await press(pilot, "enter")  # the customer's profile, one key away
        assert isinstance(app.screen, ProfileScreen)
        assert app.screen.customer_id == customer.id
        await press(pilot, "escape")
        assert isinstance(app.screen, ComplaintScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, ComplaintsScreen)


async def test_a_change_made_meanwhile_is_reported_and_the_dialog_keeps_the_input(
        app, queue_ctx, demo_ctx):
    support = as_user(demo_ctx, "support")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await cursor_to(pilot, queue_ctx.working)
        await press(pilot, "F")
        await type_text(pilot, "refund")
        await in_another_connection(service.assign, support, queue_ctx.working, "boss")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ResolveDialog)
        notice = str(app.screen.query_one("#notice").content)
        assert notice == (
            f"complaint #{queue_ctx.working} was changed by 客服 Support at 2026-11-23 18:00 "
            "after you opened it; reload it and try again. It is now in progress; what you "
            "typed is kept: ctrl+s applies it to their version.")
        assert app.screen.rows["resolution"].value == "refund"
        assert stored(queue_ctx.working).status == "in_progress"
        await press(pilot, "ctrl+s")  # applied to their version
        assert isinstance(app.screen, ComplaintsScreen)
        complaint = stored(queue_ctx.working)
        assert (complaint.status, complaint.owner.login) == ("resolved", "boss")

        # a move without a dialog, on a row someone changed since it was drawn
        await cursor_to(pilot, queue_ctx.at_risk)
        version = stored(queue_ctx.at_risk).version
        await in_another_connection(service.acknowledge, support, queue_ctx.at_risk, "+1h")
        await in_another_connection(service.start_work, support, queue_ctx.at_risk)
        await in_another_connection(service.wait_for_customer, support, queue_ctx.at_risk)
        assert queue(app).highlighted_item.version == version  # not yet seen here
        await press(pilot, "W")
        conflict = next(n for n in notices(app) if "after you opened it" in n)
        assert f"complaint #{queue_ctx.at_risk} was changed by" in conflict
        assert stored(queue_ctx.at_risk).status == "waiting_customer"  # theirs stands
        assert queue(app).highlighted_item.status == "waiting_customer"  # reloaded


# -- new complaints --------------------------------------------------------------------------------

async def test_x_on_a_profile_opens_a_complaint_that_shows_in_the_queue_and_on_today_once_at_risk(
        app, demo_ctx, clock, quick_watch):
    customer = Customer.get_by_id(customer_of("boss", 3))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_profile(customer.id)
        await settle(pilot)
        await press(pilot, "x")
        assert isinstance(app.screen, NewComplaintDialog)
        app.screen.rows["severity"].value = "critical"
        await to_field(pilot, "summary")
        await type_text(pilot, "machine stopped after the update")
        await to_field(pilot, "category")
        await type_text(pilot, "quality")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        complaint = Complaint.get(Complaint.summary == "machine stopped after the update")
        assert (complaint.customer_id, complaint.severity, complaint.category,
                complaint.status) == (customer.id, "critical", "quality", "new")
        assert complaint.respond_by == APP_NOW + timedelta(hours=1)
        assert any(n.startswith(f"Complaint #{complaint.id} opened") for n in notices(app))

        await press(pilot, "4")
        rows = queue(app).items
        late = [row for row in rows if row.sla.state.value == "breached"]
        assert rows[len(late)].id == complaint.id  # an hour left: the most urgent after those late
        assert rows[len(late)].sla.time_left == timedelta(hours=1)

        def on_today() -> bool:
            return any(item and item.kind is DueKind.COMPLAINT and item.ref_id == complaint.id
                       for item in app.screen.query_one(DueList).items)

        await press(pilot, "1")
        assert isinstance(app.screen, TodayScreen) and not on_today()  # 60 minutes left: ok
        clock.now = APP_NOW + timedelta(minutes=44)
        await until(pilot, lambda: app.screen._reloaded_at == clock.now,
                    "Today read again once its clock moved")
        assert not on_today()  # 16 minutes left: still more than a quarter of the hour
        clock.now = APP_NOW + timedelta(minutes=45)
        await until(pilot, on_today, "the complaint on Today once at risk")
        assert on_today()  # at risk: the minute a quarter is left, without a key pressed
        assert "machine stopped" in screen_text(app)


async def test_n_in_the_queue_chooses_the_customer_by_searching(app, queue_ctx, demo_ctx):
    customer = Customer.get_by_id(customer_of("li.na", 3))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        await press(pilot, "n")
        assert isinstance(app.screen, NewComplaintDialog)
        await press(pilot, "ctrl+s")  # no customer yet
        assert isinstance(app.screen, NewComplaintDialog)
        assert "pick one: type part of a name, then enter" in screen_text(app)
        await type_text(pilot, customer.name)
        await settle(pilot)
        assert f"#{customer.id} {customer.name}" in screen_text(app)  # matches below the field
        await press(pilot, "enter")  # takes the first match, then the next field: the summary
        assert f"→ #{customer.id} {customer.name}" in screen_text(app)
        await type_text(pilot, "damaged packaging")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ComplaintsScreen)
        complaint = Complaint.get(Complaint.summary == "damaged packaging")
        assert complaint.customer_id == customer.id and complaint.severity == "normal"
        assert complaint.id in shown_ids(app)
        # the cursor is on the new complaint, so the keys offered are its own
        assert queue(app).highlighted_item.id == complaint.id
        await until(pilot, lambda: "A Ack" in footer_line(app),
                    "the footer to offer the new complaint's moves, once the cursor rests")
        footer = footer_line(app)
        assert "A Ack" in footer and "C Close" not in footer


# -- noticing others -----------------------------------------------------------------------------

async def test_changes_made_elsewhere_show_up_after_the_watch_interval(app, queue_ctx, demo_ctx,
                                                                      quick_watch):
    support = as_user(demo_ctx, "support")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        before = shown_ids(app)
        await in_another_connection(service.acknowledge, support, queue_ctx.at_risk, "+3h")
        created = await in_another_connection(
            service.open_complaint, support, customer_of("boss", 4), "normal", "noticed by itself")
        await until(pilot, lambda: set(shown_ids(app)) == set(before) | {created.id},
                    "the complaint opened elsewhere in the queue")
        assert set(shown_ids(app)) == set(before) | {created.id}
        row = next(row for row in queue(app).items if row.id == queue_ctx.at_risk)
        assert (row.status, row.owner) == ("acknowledged", "support")

        # Today, for the owner of the customer, picks up an at-risk complaint support opened
        await press(pilot, "1")
        late = await in_another_connection(
            service.open_complaint, support, customer_of("boss", 5), "critical", "line down",
            opened_at=APP_NOW - timedelta(minutes=55))

        def late_on_today() -> bool:
            return any(isinstance(item, DueItem) and item.ref_id == late.id
                       and item.kind is DueKind.COMPLAINT
                       for item in app.screen.query_one(DueList).items)

        await until(pilot, late_on_today, "the at-risk complaint on Today")
        assert late_on_today()

        # and enter on it opens the complaint
        due = app.screen.query_one(DueList)
        due.move_to(next(i for i, item in enumerate(due.items)
                         if isinstance(item, DueItem) and item.ref_id == late.id
                         and item.kind is DueKind.COMPLAINT))
        await press(pilot, "enter")
        assert isinstance(app.screen, ComplaintScreen)
        assert app.screen.complaint_id == late.id


async def test_other_lists_and_the_profile_reload_only_when_something_changed(
        app, demo_ctx, quick_watch):
    calls = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        screen = app.screen
        original = screen.load_data
        screen.load_data = lambda: (calls.append("customers"), original())[-1]
        looks = count_change_checks(screen)
        await until(pilot, lambda: len(looks) >= 3, "three looks for changes")
        assert calls == []  # nobody changed anything
        await in_another_connection(add_customer, demo_ctx, {"name": "Zeta Newcomer"})
        await until(pilot, lambda: calls != [], "the list read again after a change elsewhere")
        seen = len(looks)
        await until(pilot, lambda: len(looks) >= seen + 3, "three more looks for changes")
        assert calls == ["customers"]  # once
        await press(pilot, "G")
        assert "Zeta Newcomer" in screen_text(app)


# -- keys, help and palette ----------------------------------------------------------------------

async def test_help_palette_and_remapped_complaint_keys(demo_ctx, queue_ctx):
    demo_ctx.config = demo_ctx.config._replace(keys={"complaint-ack": "K", "view-complaints": "0"})
    app = CrmApp(demo_ctx)
    async with app.run_test(size=(130, 60)) as pilot:
        await settle(pilot)
        assert " 0 Complaints " in screen_text(app)
        await press(pilot, "0")
        assert isinstance(app.screen, ComplaintsScreen)
        await cursor_to(pilot, queue_ctx.new)
        await press(pilot, "A")
        assert isinstance(app.screen, ComplaintsScreen)
        await press(pilot, "K")
        assert isinstance(app.screen, AcknowledgeDialog)
        await press(pilot, "escape", "question_mark")
        text = screen_text(app)
        for words in ("Complaints  (this screen)", "Acknowledge a complaint", "Wait for the",
                      "Reopen", "handler", "A note on a complaint", "Mine or everyone's"):
            assert words in text, words
        # the remapped key is the one help shows
        assert re.search(r"\bK +Acknowledge a complaint", text)
        await press(pilot, "escape", "ctrl+p")
        await type_text(pilot, f"#{queue_ctx.waiting}")
        await palette_finds(pilot, f"complaint: #{queue_ctx.waiting} ")
        assert f"complaint: #{queue_ctx.waiting} Manual in English only" in screen_text(app)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        assert app.screen.complaint_id == queue_ctx.waiting


async def test_the_profiles_complaints_tab_and_the_palette_open_complaints(app, queue_ctx):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_profile(customer_of("boss"))
        await settle(pilot)
        for _tab in range(4):  # overview, contacts, timeline, orders -> complaints
            await press(pilot, "right_square_bracket")
        assert "发货延迟一周" in screen_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, ComplaintScreen)
        assert app.screen.complaint_id == queue_ctx.at_risk
        await press(pilot, "escape", "escape", "ctrl+p")
        await type_text(pilot, "complaint: new")
        await palette_finds(pilot, "complaint: new…", top=True)
        await press(pilot, "enter")
        assert isinstance(app.screen, NewComplaintDialog)
        assert app.screen.customer_id is None  # the customer is searched for


async def test_the_severity_of_a_closed_complaint_is_refused_before_asking(app, queue_ctx):
    async with app.run_test(size=(120, 30)) as pilot:
        await open_queue(pilot)
        await press(pilot, "slash")
        await fill(pilot, "closed status:closed")
        await until(pilot, lambda: shown_ids(app) == [queue_ctx.closed], "only the closed one")
        await press(pilot, "enter")
        assert shown_ids(app) == [queue_ctx.closed]
        await press(pilot, "exclamation_mark")
        assert isinstance(app.screen, ComplaintsScreen)  # no dialog
        assert (f"cannot change the severity of complaint #{queue_ctx.closed}: it is closed; "
                "reopen it first") in notices(app)
        assert stored(queue_ctx.closed).severity == "normal"


async def test_a_passed_promise_and_a_complaint_resolved_days_ago_are_flagged(app, queue_ctx,
                                                                              clock):
    """The working one was promised for 10:00 the next morning; the resolved one waits to be
    closed. Three days on, both say so."""
    clock.now = APP_NOW + timedelta(days=3)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_queue(pilot)
        text = screen_text(app)
        assert "1 to close" in text
        await cursor_to(pilot, queue_ctx.working)
        line = next(line for line in screen_text(app).splitlines()
                    if "Wrong colour delivered" in line)
        assert "11-24 10:00!" in line  # promised, passed: marked
        assert "passed: tell the customer" in screen_text(app)  # and said under the list
        await press(pilot, "enter")
        assert "11-24 10:00! (passed" in screen_text(app)  # and on the complaint itself
        await press(pilot, "escape")
        await cursor_to(pilot, queue_ctx.resolved)
        assert "resolved!" in next(line for line in screen_text(app).splitlines()
                                   if "Invoice sent twice" in line)
        assert "close it with the customer's satisfaction" in screen_text(app)
