"""The footer's own key widget: its width is what `fitting` counts, a click runs the key, a key
that is not available now is dim and only rings the bell."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from crmtui.widgets.footer import FittingFooter, key_width
from crmtui.widgets.footer_key import FooterKey
from tests.app.conftest import until


class KeysScreen(Screen):
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("l", "log", "Log"),
        Binding("o", "order", "New order"),
        Binding("x", "complaint", "Complaint"),
    ]

    def __init__(self, compact: bool) -> None:
        super().__init__()
        self.compact = compact
        self.done: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield FittingFooter(compact=self.compact)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "complaint" else True  # None: shown, but dim

    def action_help(self) -> None:
        self.done.append("help")

    def action_log(self) -> None:
        self.done.append("log")

    def action_order(self) -> None:
        self.done.append("order")

    def action_complaint(self) -> None:
        self.done.append("complaint")


class KeysApp(App[None]):
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, compact: bool) -> None:
        super().__init__()
        self.compact = compact
        self.bells = 0

    def on_mount(self) -> None:
        self.push_screen(KeysScreen(self.compact))

    def bell(self) -> None:
        self.bells += 1


def keys_of(app: KeysApp) -> dict[str, FooterKey]:
    return {key.key: key for key in app.screen.query(FooterKey)}


@pytest.mark.parametrize("compact", [False, True])
async def test_each_key_takes_the_cells_the_footer_counts(compact):
    app = KeysApp(compact)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: len(keys_of(app)) == 4)
        keys = keys_of(app)
        # the compact footer puts one cell after each key (Footer's CSS, by the type name)
        gap = 1 if compact else 0
        for key in keys.values():
            assert key.has_class("-compact") is compact
            assert key.styles.margin.right == gap
            assert key.region.width + gap == key_width(key.key_display, key.description, compact)
        assert keys["l"].region.x == keys["question_mark"].region.right + gap
        assert keys["x"].has_class("-disabled") and not keys["l"].has_class("-disabled")


async def test_a_click_runs_the_key_and_a_dim_key_only_rings_the_bell():
    app = KeysApp(compact=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: len(keys_of(app)) == 4)
        screen = app.screen
        assert isinstance(screen, KeysScreen)
        await pilot.click(keys_of(app)["o"])
        await until(pilot, lambda: screen.done == ["order"])
        await pilot.click(keys_of(app)["x"])
        await until(pilot, lambda: app.bells == 1)
        assert screen.done == ["order"]
