"""Stored text is only ever text, in the app: on a database whose every text field holds markup,
escape sequences, bidi controls and very long words (tests/hostile.py), every screen, tab and
dialog opens without a crash, and nothing on screen holds a control character. Markup shows as
typed."""

from __future__ import annotations

from textual.screen import ModalScreen

from crmtui.app import CrmApp
from crmtui.screens.complaint import ComplaintScreen
from crmtui.screens.complaints import ComplaintsScreen
from crmtui.screens.customers import CustomersScreen
from crmtui.screens.dashboard import DashboardScreen
from crmtui.screens.interactions import InteractionsScreen
from crmtui.screens.profile import TAB_TITLES, ProfileScreen
from crmtui.screens.today import TodayScreen
from crmtui.services.worklist import SNOOZABLE
from crmtui.widgets.due_list import DueList, is_appointment
from tests.app.conftest import (
    APP_NOW,
    palette_finds,
    press,
    screen_text,
    settle,
    type_text,
)
from tests.conftest import TODAY
from tests.hostile import build_hostile, forbidden_in


class Tour:
    """Keys pressed one step at a time, the screen checked after each."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.app = pilot.app
        self.seen: set[str] = set()
        self.steps = 0
        self.where = "start"

    async def check(self, where: str) -> str:
        self.where = where  # named by a crash found when the app shuts down
        await settle(self.pilot)
        assert self.app.is_running, f"the app ended at {where}"
        text = screen_text(self.app)
        bad = forbidden_in(text)
        assert not bad, f"{where}: the screen holds {bad} in " + repr(
            [line for line in text.splitlines() if forbidden_in(line)][:3])
        self.seen.add(type(self.app.screen).__name__)
        self.steps += 1
        return text

    async def press(self, *keys: str, where: str = "") -> str:
        await press(self.pilot, *keys)
        return await self.check(where or " ".join(keys))

    async def dialogs(self, keys, where: str) -> None:
        """Each key in turn: whatever it opens is checked, then closed with escape."""
        base = self.app.screen
        for key in keys:
            await self.press(key, where=f"{where} {key}")
            opened = 0
            while self.app.screen is not base and opened < 3:
                opened += 1
                await self.press("escape", where=f"{where} {key} escape")
            assert self.app.screen is base, f"{where} {key}: could not go back"


COMPLAINT_MOVES = ("A", "F", "C", "Z", "exclamation_mark", "O", "N")
"""Acknowledge, resolve, close, reopen, severity, owner, note: each asks in a dialog."""


async def test_every_screen_tab_and_dialog_shows_stored_text_as_text(ctx, clock):
    world = build_hostile(ctx, clock, TODAY)
    clock.now = APP_NOW
    app = CrmApp(ctx)
    tour = None
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            tour = Tour(pilot)
            await visit_everything(tour, world)
    except Exception as error:  # a crash inside the app surfaces when it shuts down
        where = tour.where if tour is not None else "start"
        raise AssertionError(f"the app failed after: {where}") from error
    print(f"hostile text in the app: {len(tour.seen)} kinds of screen, {tour.steps} views")
    assert {"TodayScreen", "CustomersScreen", "InteractionsScreen", "ComplaintsScreen",
            "DashboardScreen", "ProfileScreen", "ComplaintScreen", "FigureCustomersScreen",
            "HelpScreen", "CommandPalette", "LogDialog", "SnoozeDialog", "CustomerForm",
            "RegradeDialog", "OrderDialog", "PromiseDialog", "CareDialog", "NewComplaintDialog",
            "AcknowledgeDialog", "ResolveDialog", "CloseDialog", "ReopenDialog",
            "SeverityDialog", "OwnerDialog", "NoteDialog", "RemoveRecordDialog", "UndoDialog",
            "ReassignDialog", "SurveyDialog", "BookDialog", "MoveDialog",
            "CancelAppointmentDialog"} <= tour.seen


async def visit_everything(tour: Tour, world) -> None:
    app, pilot = tour.app, tour.pilot
    text = await tour.check("start")
    assert isinstance(app.screen, TodayScreen)
    assert "[/] closer" in text
    due = app.screen.query_one(DueList)
    planned = next(index for index, item in enumerate(due.items)
                   if is_appointment(item) and item.status == "planned" and not item.missed)
    due.move_to(planned)  # the schedule's appointment: logged, booked, moved, cancelled
    await tour.dialogs("lbmd", "today schedule")
    for index, item in enumerate(due.items):  # one logged and snoozed in dialogs
        if item is not None and not is_appointment(item) and item.kind in SNOOZABLE:
            due.move_to(index)
            break
    await tour.dialogs("lsb", "today")
    await tour.press("t", where="today tomorrow")
    await tour.press("t", where="today again")
    await tour.press("a", where="today everyone")
    await tour.press("slash", where="today filter")
    await type_text(pilot, "[/] [bold]")  # what is typed shows as typed too
    await tour.check("today filter typed")
    await tour.press("escape", "escape", where="today filter cleared")

    await tour.press("2")
    assert isinstance(app.screen, CustomersScreen)
    for _sort in range(7):
        await tour.press("greater_than_sign", where="customers sort")
    await tour.dialogs("n", "customers")
    await tour.press("3")
    assert isinstance(app.screen, InteractionsScreen)
    await tour.dialogs("l", "interactions")

    app.open_profile(world.customer)
    text = await tour.check("profile")
    assert "[/] closer" in text and "[link=http://x]y[/link]" in text
    await tour.dialogs("elRopcxOub", "profile")
    for _tab in TAB_TITLES:
        await tour.press("right_square_bracket", where="profile tab")
        await tour.dialogs("ed", "profile tab")  # a record's correction, and its removal
    await tour.press("escape")

    await tour.press("4")
    assert isinstance(app.screen, ComplaintsScreen)
    queue = app.screen.queue
    states = {}
    for index, row in enumerate(queue.items):
        states.setdefault(row.status, index)
    for status, index in states.items():  # each state offers its own moves
        queue.move_to(index)
        await tour.check(f"complaint {status}")
        await tour.dialogs(COMPLAINT_MOVES, f"complaint {status}")
    await tour.dialogs("n", "complaints")
    await tour.press("enter", where="complaint detail")
    assert isinstance(app.screen, ComplaintScreen)
    await tour.dialogs(COMPLAINT_MOVES, "complaint detail")
    await tour.press("enter", where="complaint's customer")
    assert isinstance(app.screen, ProfileScreen)
    await tour.press("escape", "escape")

    await tour.press("5")
    assert isinstance(app.screen, DashboardScreen)
    for _figure in range(10):
        await tour.press("tab", where="dashboard figure")
        if app.screen.current_behind() is not None:
            await tour.press("enter", where="figure customers")
            await tour.press("escape")
    await tour.press("z", where="dashboard period")

    await tour.press("question_mark", where="help")
    await tour.press("escape")
    await tour.press("ctrl+p", where="palette")
    await type_text(pilot, "closer")
    await palette_finds(pilot, "customer: ")
    await tour.check("palette customers")
    await tour.press("escape")
    await tour.press("ctrl+p")
    await type_text(pilot, f"#{world.complaints['new'][0]}")
    await palette_finds(pilot, f"complaint: #{world.complaints['new'][0]} ")
    await tour.check("palette complaint")
    await tour.press("escape")
    assert not isinstance(app.screen, ModalScreen)
