"""The footer of the main screens: the keys of the screen, and the command palette's key beside
them rather than on top of them.

Textual's Footer docks the palette key over the other keys. Where those overflow a narrow
terminal, the edge of a key underneath can fall inside a wide (CJK) character of the palette key
("命令面板"), and that character is drawn as blanks; side by side, nothing lies underneath.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Footer

from crmtui.i18n import _


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
        key = app.get_key_display(Binding(app.COMMAND_PALETTE_BINDING, "command_palette",
                                          key_display=app.COMMAND_PALETTE_DISPLAY))
        text = Text(key, style=self.app.theme_variables.get("footer-key-foreground", ""))
        text.stylize("bold")
        text.append(" " + _("palette"))
        return text

    def on_click(self) -> None:
        self.app.action_command_palette()


class KeysFooter(Horizontal):
    """The screen's keys (Textual's Footer) and the palette key, side by side at the bottom."""

    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        background: $footer-background;
    }
    KeysFooter > Footer {
        dock: none;
        width: 1fr;
    }
    """

    def __init__(self, compact: bool = False) -> None:
        super().__init__()
        self._compact = compact

    def compose(self) -> ComposeResult:
        yield Footer(show_command_palette=False, compact=self._compact)
        if self.app.ENABLE_COMMAND_PALETTE:
            yield PaletteKey()
