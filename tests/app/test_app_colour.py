"""Meaning without colour: grades, overdue days, at-risk and late clocks read as text or marks
too; with NO_COLOR the screen stays readable; on a 16-colour terminal (TERM=linux) at risk and
late, and each grade, keep colours of their own."""

from __future__ import annotations

import pytest
from rich.color import ColorSystem
from textual.color import Color

from crmtui.app import CrmApp
from crmtui.present.styles import use_colour
from tests.app.conftest import press, screen_text, settle


@pytest.fixture(autouse=True)
def _colour_again():
    yield
    use_colour(True)


def segments(app):
    """(text, foreground, background) of every run of the screen, colours resolved to RGB."""
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            style = segment.style
            if style is None or not segment.text.strip():
                continue
            yield segment.text, style.color, style.bgcolor


def standard(colour) -> int | None:
    """The colour a 16-colour terminal shows for a truecolor one (what Rich writes there)."""
    if colour is None:
        return None
    return colour.downgrade(ColorSystem.STANDARD).number


def colour_of(app, text: str) -> int | None:
    found = [fg for run, fg, _bg in segments(app) if text in run]
    assert found, f"{text!r} is not on the screen"
    return standard(found[0])


def luminance(colour) -> float:
    """WCAG relative luminance."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    rgb = Color.from_rich_color(colour)
    return 0.2126 * channel(rgb.r) + 0.7152 * channel(rgb.g) + 0.0722 * channel(rgb.b)


def contrast(fg, bg) -> float:
    """WCAG contrast ratio (1 to 21)."""
    light, dark = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


async def test_at_risk_and_late_and_each_grade_keep_their_own_colour_in_16_colours(
        world_ctx, snapshot):
    """The hand-made world: a late complaint and one at risk; boss's customers at grades A–E."""
    app = CrmApp(world_ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "4")
        queue = app.screen.queue
        rows = {row.sla.state.value: row for row in queue.items if row.sla.time_left is not None}
        assert {"at_risk", "breached"} <= set(rows)
        words = {state: app.screen.queue.columns.line(row, app.ctx.zone, app.ctx.today())
                 .plain.split()[1] for state, row in rows.items()}
        assert words["at_risk"].startswith("!")  # at risk reads without its colour
        colours = {state: colour_of(app, words[state]) for state in ("at_risk", "breached")}
        # at risk a yellow, late a red (Textual's own mapping showed yellow as a red here)
        assert colours["at_risk"] in (3, 11) and colours["breached"] in (1, 9)
        await press(pilot, "2")
        letters = {}
        for run, fg, _bg in segments(app):
            if run.strip() in "ABCDE" and len(run.strip()) == 1:
                letters.setdefault(run.strip(), standard(fg))
        assert len(set(letters.values())) == len(letters) >= 4, letters
        assert {"at risk": colours["at_risk"], "late": colours["breached"],
                **{f"grade {g}": c for g, c in sorted(letters.items())}} == snapshot


async def test_no_color_keeps_every_word_readable(demo_ctx, queue_ctx, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = CrmApp(demo_ctx)
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for view in ("1", "4", "2"):
            await press(pilot, view)
            weak = [(run, round(contrast(fg, bg), 1)) for run, fg, bg in segments(app)
                    if fg is not None and bg is not None and contrast(fg, bg) < 3
                    and any(char.isalnum() or char in "!·" for char in run)]  # not borders
            assert not weak, (view, weak[:5])
        await press(pilot, "1")
        assert "11-21!" in screen_text(app)  # an overdue day is marked, not only coloured


@pytest.mark.parametrize("view", ["1", "4"])
def test_no_color_snapshot(world_ctx, monkeypatch, snap_compare, view):
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot) -> None:
        await settle(pilot)
        await press(pilot, view)

    assert snap_compare(CrmApp(world_ctx), terminal_size=(80, 24), run_before=run_before)
