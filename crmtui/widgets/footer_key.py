"""One key in the footer: the key and what it does; a click runs it.

Looks and behaves as Textual's own footer key (which Textual does not export): the same
component classes, padding, compact style, dim when unavailable and hover. The class is named
`FooterKey` on purpose: Textual's Footer styles its children by that type name (the margins
between keys in the compact style).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class FooterKey(Widget):
    """A key of the footer; `disabled` shows it dim and rings the bell when clicked, rather than
    disabling the widget (which would also lose the hover and the tooltip)."""

    DEFAULT_CSS = Path(__file__).with_name("footer_key.tcss").read_text(encoding="utf-8")
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description"}

    compact = reactive(True, toggle_class="-compact")
    """Compact style: no padding around the key, one space before the description."""

    def __init__(
        self,
        key: str,
        key_display: str,
        description: str,
        action: str,
        disabled: bool = False,
        tooltip: str = "",
    ) -> None:
        super().__init__(classes="-disabled" if disabled else "")
        self.key = key
        self.key_display = key_display
        self.description = description
        self.action = action
        self.set_reactive(Widget.shrink, False)  # a key is shown whole or not at all
        if tooltip:
            self.tooltip = tooltip

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer-key--key")
        if not self.description:
            text = Text(self.key_display, style=key_style)
        else:
            key_padding = self.get_component_styles("footer-key--key").padding
            description_padding = self.get_component_styles("footer-key--description").padding
            text = Text.assemble(
                (
                    " " * key_padding.left + self.key_display + " " * key_padding.right,
                    key_style,
                ),
                (
                    " " * description_padding.left
                    + self.description
                    + " " * description_padding.right,
                    self.get_component_rich_style("footer-key--description"),
                ),
            )
        text.stylize_before(self.rich_style)
        return text

    def on_mouse_down(self) -> None:
        if self.has_class("-disabled"):
            self.app.bell()
        else:
            self.app.simulate_key(self.key)
