"""One meaning per key: every binding of every screen, dialog and widget of crmtui against the
key table (crmtui.keys), the table against the README and `?`, and the footers at 80×24."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

import crmtui
from crmtui.app import CrmApp
from crmtui.i18n import _
from crmtui.keys import KEY_TABLE, SECTIONS, entry_for, readme_section
from crmtui.screens.base import CrmScreen
from crmtui.screens.profile import ProfileScreen
from crmtui.widgets.due_list import is_appointment
from crmtui.widgets.footer import FittingFooter
from crmtui.widgets.footer_key import FooterKey
from crmtui.widgets.localized import binding_text
from tests.app.conftest import palette_finds, palette_hits, press, screen_text, settle, until
from tests.app.world import World
from tests.conftest import as_user

ROOT = Path(__file__).resolve().parents[2]

MOVEMENT_KEYS = frozenset({"j", "k", "g", "G", "up", "down", "home", "end", "pageup",
                           "pagedown"})
MOVEMENT_ACTIONS = frozenset({
    "cursor_down", "cursor_up", "scroll_top", "scroll_bottom", "first", "last", "page_down",
    "page_up", "next_figure", "previous_figure", "scroll(1)", "scroll(-1)", "scroll_down",
    "scroll_up", "move(1)", "move(-1)", "page(1)", "page(-1)",
})
"""What the movement keys may do: move, and nothing else."""


def crmtui_classes() -> list[type[DOMNode]]:
    """Every screen, dialog and widget class crmtui defines (its modules all imported)."""
    for module in pkgutil.walk_packages(crmtui.__path__, "crmtui."):
        if module.name.startswith(("crmtui.screens", "crmtui.widgets", "crmtui.app")):
            importlib.import_module(module.name)
    found, todo = [], [DOMNode]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("crmtui."):
                found.append(sub)
    return sorted(set(found), key=lambda cls: (cls.__module__, cls.__qualname__))


def own_bindings() -> list[tuple[str, Binding]]:
    """(where, binding) for each binding crmtui's classes declare themselves."""
    bindings = []
    for cls in crmtui_classes():
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and not binding.system:
                bindings.append((f"{cls.__module__}.{cls.__qualname__}", binding))
    return bindings


def test_the_walk_finds_the_screens_and_dialogs():
    names = {cls.__qualname__ for cls in crmtui_classes()}
    assert {"TodayScreen", "ProfileScreen", "ComplaintsScreen", "DashboardScreen",
            "FormDialog", "HelpScreen", "CrmApp", "DueList"} <= names
    assert len(own_bindings()) > 50


def test_every_key_means_one_thing_across_the_app():
    """A key bound to an action its table entry does not list is a second meaning."""
    wrong = []
    for where, binding in own_bindings():
        for key in (k.strip() for k in binding.key.split(",")):
            use = entry_for(key)
            if use is None:
                wrong.append(f"{where}: {key!r} ({binding.action}) is not in the key table")
            elif binding.id not in use.ids:
                wrong.append(f"{where}: {key!r} means {use.meaning!r}, but is bound to "
                             f"{binding.action} (id {binding.id!r})")
            elif use.planned:
                wrong.append(f"{where}: {key!r} is bound now: drop planned=True from its entry "
                             "in crmtui/keys.py and run python tools/keys.py readme")
    assert not wrong, "\n".join(wrong)


def test_movement_keys_only_move():
    wrong = [f"{where}: {binding.key} -> {binding.action}" for where, binding in own_bindings()
             if MOVEMENT_KEYS & {k.strip() for k in binding.key.split(",")}
             and binding.action not in MOVEMENT_ACTIONS]
    assert not wrong


def test_the_table_promises_only_keys_that_are_bound():
    bound = {(k.strip(), binding.id) for _where, binding in own_bindings()
             for k in binding.key.split(",")}
    missing = [f"{key!r} ({use.meaning})" for use in KEY_TABLE if not use.planned
               for key in use.keys if not any((key, i) in bound for i in use.ids)]
    assert not missing, "in the table but bound nowhere: " + ", ".join(missing)


def test_every_entry_has_sections_that_exist():
    names = {section.name for section in SECTIONS}
    assert all(use.where and set(use.where) <= names for use in KEY_TABLE)


def test_the_readme_shows_the_key_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_section() in readme, "run python tools/keys.py readme"


def test_regrade_left_g_and_the_complaint_moves_have_keys_of_their_own():
    assert entry_for("g").ids == ("list-top",)
    assert entry_for("R").ids == ("regrade",)
    for key, binding_id in (("A", "complaint-ack"), ("W", "complaint-wait"),
                            ("F", "complaint-resolve"), ("C", "complaint-close"),
                            ("Z", "complaint-reopen"), ("exclamation_mark", "complaint-severity"),
                            ("O", "complaint-owner"), ("N", "complaint-note")):
        assert binding_id in entry_for(key).ids
    # `a` is mine/all on Complaints too
    assert entry_for("a").ids == ("scope",)


@pytest.mark.parametrize("binding_id", sorted({i for use in KEY_TABLE if not use.planned
                                               for i in use.ids}))
def test_every_id_of_the_table_is_remappable(binding_id):
    from crmtui.screens.help import known_binding_ids

    assert binding_id in known_binding_ids()


# -- the footers at 80×24 -------------------------------------------------------------------------

def in_language(ctx, lang: str):
    ctx.config = ctx.config._replace(lang=lang)
    return ctx


def footer_line(app) -> str:
    """The footer's keys (the palette key left out), checked to be whole: every key shown ends
    inside the footer and reads as key and words on the screen's last line."""
    footer = app.screen.query_one(FittingFooter)
    line = screen_text(app).splitlines()[-1]
    keys = list(footer.query(FooterKey))
    assert keys, "an empty footer"
    for key in keys:
        assert key.region.right <= footer.region.right, f"{key.description!r} is cut"
        assert f"{key.key_display} {key.description}".strip() in line, key.description
        # in the interface language already: translating the words again changes nothing (an
        # English msgid shown under --lang zh would turn Chinese)
        for words in (key.description, str(key.tooltip or "")):
            assert binding_text(words) == words, f"{words!r} is not in the interface language"
    if isinstance(app.screen, CrmScreen):  # a dialog's fields take `?` as text
        assert any(key.key == "question_mark" for key in keys), "no ? in the footer"
    return line.split("▏")[0].rstrip()


async def to_start(pilot) -> None:
    app = pilot.app
    while len(app.screen_stack) > 1:
        app.pop_screen()
        await settle(pilot)
    app.action_view("today")
    await settle(pilot)



def footer_follows_cursor(screen) -> bool:
    """The queue's footer offers the moves of the highlighted complaint's status (it is rebuilt
    once the cursor rests, so the footer snapshots must wait for it)."""
    row = screen.current_row()
    return screen._footer_status == (row.status if row else None)


def journeys(world: World) -> dict[str, Any]:
    """Screen or dialog -> the steps from Today that open it (keys, or a coroutine), in the
    hand-made world (tests/app/world.py)."""
    queue = world.complaints

    def profile(*keys: str):
        async def go(pilot) -> None:
            pilot.app.open_profile(world["邵霞"])  # a complaint open, so support may log
            await settle(pilot)
            await until(pilot, lambda: pilot.app.screen.view is not None, "the profile read")
            await press(pilot, *keys)
        return go

    def complaint(complaint_id: int, *keys: str):
        async def go(pilot) -> None:
            await press(pilot, "4")
            screen = pilot.app.screen
            await until(pilot, lambda: screen.read is not None, "the queue read")
            index = next(i for i, row in enumerate(screen.queue.items) if row.id == complaint_id)
            screen.queue.move_to(index)
            await until(pilot, lambda: footer_follows_cursor(screen),
                        "the footer to follow the cursor once it rests")
            await press(pilot, *keys)
        return go

    def on_today(kind: str, *keys: str):
        async def go(pilot) -> None:
            due = pilot.app.screen.query_one("#due")
            due.move_to(next(i for i, item in enumerate(due.items)
                             if item is not None and not is_appointment(item)
                             and item.kind.value == kind))
            await press(pilot, *keys)
        return go

    def on_appointment(*keys: str):
        async def go(pilot) -> None:
            due = pilot.app.screen.query_one("#due")
            due.move_to(next(i for i, item in enumerate(due.items) if is_appointment(item)))
            await until(pilot, lambda: is_appointment(pilot.app.screen.current_item()),
                        "the cursor on an appointment")
            await press(pilot, *keys)
        return go

    def figure(name: str, *keys: str):
        async def go(pilot) -> None:
            from crmtui.screens.dashboard import DashboardScreen, Figure

            await press(pilot, "5")
            screen = pilot.app.screen
            assert isinstance(screen, DashboardScreen)
            await until(pilot, lambda: screen.figures is not None and not screen.refreshing,
                        "the figures read")
            screen.query_one(f"#{name}", Figure).focus()
            await press(pilot, "enter", *keys)
            await until(pilot, lambda: getattr(pilot.app.screen, "data", True) is not None,
                        "the screen read")
        return go

    return {
        "today": (), "today help": ("question_mark",),
        "today log": ("l",), "today follow-up": on_today("follow_up"),
        "today snooze": on_today("follow_up", "s"),
        "today appointment": on_appointment(), "today move": on_appointment("m"),
        "today cancel": on_appointment("d"), "today book": on_today("follow_up", "b"),
        "today tomorrow": ("t",),
        "customers": ("2",), "customers new": ("2", "n"),
        "interactions": ("3",),
        "complaints new complaint": complaint(queue.new),
        "complaints in progress": complaint(queue.working),
        "complaints resolved": complaint(queue.resolved),
        "complaint detail": complaint(queue.working, "enter"),
        "complaint acknowledge": complaint(queue.new, "A"),
        "complaint resolve": complaint(queue.working, "F"),
        "complaint new": ("4", "n"),
        "dashboard": ("5",),
        "dashboard customers behind": figure("promoted"),
        "targets": figure("targets"),
        "profile": profile(),
        "profile contacts": profile(*["right_square_bracket"]),
        "profile timeline": profile(*["right_square_bracket"] * 2),
        "profile regrade": profile("R"), "profile order": profile("o"),
        "profile promise": profile("p"), "profile care": profile("c"),
        "profile complaint": profile("x"), "profile edit": profile("e"),
        "profile plan": profile("P"),
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_every_footer_fits_80x24_whole_with_help(world_ctx, world, lang, snapshot,
                                                        monkeypatch):
    monkeypatch.setattr(CrmScreen, "CHANGE_CHECK_SECONDS", 3600.0)
    app = CrmApp(in_language(world_ctx, lang))
    footers = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for name, steps in journeys(world).items():
            await to_start(pilot)
            if callable(steps):
                await steps(pilot)
            else:
                await press(pilot, *steps)
            footers[name] = f"{type(app.screen).__name__}: {footer_line(app)}"
    assert footers == snapshot


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_palette_speaks_the_language_and_leaves_the_keys_to_help(demo_ctx, lang):
    """The palette's actions (the screen's keys) and Textual's commands in the interface
    language; not Textual's Keys panel, which would show the keys' words in English: `?` lists
    every key."""
    app = CrmApp(in_language(demo_ctx, lang))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+p")
        await palette_finds(pilot, _("Theme"))
        hits = palette_hits(app)
        assert _("action: {what}").format(what=_("Log")) in hits  # Today's `l`
        assert _("Screenshot") in hits
        assert not [hit for hit in hits if hit.startswith(_("Keys"))]
        commands = list(app.get_system_commands(app.screen))
        assert app.action_show_help_panel not in [command.callback for command in commands]
        if lang == "zh":
            assert not [hit for hit in hits if hit.startswith(("action: ", "Theme", "Keys"))]


async def footer_after(pilot, steps) -> str:
    await to_start(pilot)
    if callable(steps):
        await steps(pilot)
    else:
        await press(pilot, *steps)
    return footer_line(pilot.app)


async def test_support_is_offered_only_the_keys_support_can_use(world_ctx, world, snapshot):
    """Support logs a contact only with a customer who has an open complaint, and changes no
    customer: no Edit, Regrade, Order… on a profile; on Today (open complaints) `l` is there."""
    app = CrmApp(as_user(world_ctx, "support"))
    quiet = world["Robert Schmidt"]  # no complaint
    footers = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for name, steps in journeys(world).items():
            if name in ("today", "profile", "complaints in progress", "complaint detail",
                        "interactions"):
                footers[name] = await footer_after(pilot, steps)

        async def quiet_profile(pilot) -> None:
            app.open_profile(quiet)
            await settle(pilot)
            await until(pilot, lambda: app.screen.view is not None, "the profile read")

        footers["profile without a complaint"] = await footer_after(pilot, quiet_profile)
        await press(pilot, "l", "e", "o", "R")  # keys not offered do nothing
        assert isinstance(app.screen, ProfileScreen)
    assert footers == snapshot
    assert "l Log" in footers["today"]
    assert "l Log" in footers["profile"] and "x Complaint" in footers["profile"]
    for key in ("l Log", "e Edit", "o Order", "p Promise", "R Regrade", "c Care"):
        assert key not in footers["profile without a complaint"]
        assert key[2:] not in footers["profile"] or key == "l Log"


async def test_support_logs_a_call_about_an_open_complaint(demo_ctx, queue_ctx):
    """From Today's complaint item; the contact is stored with support as its author."""
    from crmtui.db import Interaction
    from crmtui.screens.dialogs.log import LogDialog

    support = as_user(demo_ctx, "support")
    app = CrmApp(support)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        item = screen.current_item()
        assert item is not None and item.kind.value == "complaint"
        await press(pilot, "l")
        assert isinstance(app.screen, LogDialog)
        await pilot.press(*"called about the delay")
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, LogDialog)
    logged = (Interaction.select().where(Interaction.customer == item.customer_id)
              .order_by(Interaction.id.desc()).first())
    assert logged.summary == "called about the delay" and logged.by.login == "support"
