"""The footer of every screen and dialog: the keys that fit, whole, and the command palette's key
beside them.

Textual's Footer shows every key and lets the last ones run off the edge, cut mid-word; at 80
columns (and in Chinese, where a word is twice as wide) that hid `?` and the tab keys. This one
keeps `?` always, then the screen's keys in the order the screen declares them (most used first),
and leaves out whole keys that do not fit; `?` lists them all.

Textual's Footer also docks the palette key over the other keys, where the edge of a key
underneath could fall inside a wide (CJK) character of the palette key ("命令面板"); here they
stand side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from crmtui.i18n import _
from crmtui.widgets.footer_key import FooterKey
from crmtui.widgets.localized import binding_text, in_language

ALWAYS_SHOWN = ("help",)
"""Binding ids the footer never drops (`?`, which lists every key)."""


def key_width(key_display: str, description: str, compact: bool) -> int:
    """Cells a FooterKey takes, by Footer's CSS: in full style the key padded one each side and
    the description one on the right; in compact style the description one on the left and a
    margin of one after the key."""
    if not description:
        return cell_len(key_display) + (1 if compact else 2)
    if compact:
        return cell_len(key_display) + 1 + cell_len(description) + 1
    return 1 + cell_len(key_display) + 1 + cell_len(description) + 1


def fitting(
    bindings: Iterable[tuple[Binding, bool, str]],
    room: int,
    compact: bool,
    display: Callable[[Binding], str],
) -> list[tuple[Binding, bool, str]]:
    """The bindings to show in `room` cells: those in ALWAYS_SHOWN first claim their room, then
    the others in order until one does not fit; the order shown is the order given."""
    shown = list(bindings)
    widths = [
        key_width(display(binding), binding.description, compact)
        for binding, _enabled, _tooltip in shown
    ]
    kept = {index for index, (binding, _e, _t) in enumerate(shown) if binding.id in ALWAYS_SHOWN}
    left = room - sum(widths[index] for index in kept)
    for index in range(len(shown)):
        if index in kept:
            continue
        if widths[index] > left:
            break
        kept.add(index)
        left -= widths[index]
    return [entry for index, entry in enumerate(shown) if index in kept]


class FittingFooter(Footer):
    """Textual's Footer with only the keys that fit whole (see `fitting`)."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(show_command_palette=False, compact=compact)
        self._composed_width = 0
        self._screen_bindings_known = False

    def bindings_changed(self, screen: Screen) -> None:
        self._screen_bindings_known = True  # composed only once the screen's keys are known
        super().bindings_changed(screen)

    def shown_bindings(self, width: int) -> list[tuple[Binding, bool, str]]:
        """The screen's keys that fit in `width`, with their words in the interface language."""
        seen: set[str] = set()
        bindings = []
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            # one key per action (`d` and `delete` remove the same contact)
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                # translated before fitting: a Chinese word is as wide as two letters
                bindings.append((in_language(binding), enabled, binding_text(tooltip)))
        first = list(getattr(self.screen, "FOOTER_FIRST", ()))
        bindings.sort(
            key=lambda entry: first.index(entry[0].id) if entry[0].id in first else len(first)
        )  # stable: the others keep their order
        return fitting(bindings, width, self.compact, self.app.get_key_display)

    def compose(self) -> ComposeResult:
        if not self._screen_bindings_known:
            return
        width = self.size.width or self.app.size.width
        self._composed_width = width
        for binding, enabled, tooltip in self.shown_bindings(width):
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)

    def on_resize(self, event: events.Resize) -> None:
        if self._screen_bindings_known and event.size.width != self._composed_width:
            self.call_after_refresh(self.recompose)


class PaletteKey(Widget):
    """The command palette's key and name; a click opens the palette."""

    DEFAULT_CSS = """
    PaletteKey {
        width: auto;
        height: 1;
        padding: 0 1 0 0;
        border-left: vkey $foreground 20%;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    """

    def render(self) -> Text:
        app = self.app
        key = app.get_key_display(
            Binding(
                app.COMMAND_PALETTE_BINDING,
                "command_palette",
                key_display=app.COMMAND_PALETTE_DISPLAY,
            )
        )
        text = Text(key, style=self.app.theme_variables.get("footer-key-foreground", ""))
        text.stylize("bold")
        text.append(" " + _("palette"))
        return text

    def on_click(self) -> None:
        self.app.action_command_palette()


class KeysFooter(Horizontal):
    """The screen's keys (FittingFooter) and the palette key, side by side at the bottom."""

    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        background: $footer-background;
    }
    KeysFooter > FittingFooter {
        dock: none;
        width: 1fr;
    }
    """

    def __init__(self, compact: bool = False) -> None:
        super().__init__()
        self._compact = compact

    def compose(self) -> ComposeResult:
        yield FittingFooter(compact=self._compact)
        if self.app.ENABLE_COMMAND_PALETTE:
            yield PaletteKey()
