"""Stored text on its way to a terminal: as a rich `Text` (never parsed as markup) or a plain
string, without control characters whatever the database holds (the rule of
`crmtui.plaintext`, which writes already apply: this guards against rows stored without it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crmtui.plaintext import strip_controls

if TYPE_CHECKING:
    from rich.text import Text


def safe(value: Any, *, multiline: bool = False) -> str:
    """Stored text as a string fit for a terminal (one line unless `multiline`); '' for None."""
    if value is None:
        return ""
    return strip_controls(value if isinstance(value, str) else str(value), multiline=multiline)


def plain(value: Any, style: str = "", *, multiline: bool = False) -> "Text":
    """Stored text as a `Text` in `style`: shown as typed, markup and all."""
    from rich.text import Text  # here: commands that print JSON import this module, not rich

    return Text(safe(value, multiline=multiline), style=style)


def user_text(user: Any) -> str:
    """A user as shown where the login matters (to filter by it, to reassign to it): the name
    with the login, '王芳 (wang.fang)'; the login alone when they are the same."""
    name, login = safe(getattr(user, "display_name", "")), safe(getattr(user, "login", ""))
    if name and name != login:
        return f"{name} ({login})"
    return login
