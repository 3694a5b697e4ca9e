"""The top line of every screen: where you are, who you are, which database, what you see."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from crmtui.i18n import _
from crmtui.labels import label
from crmtui.present.text import safe

if TYPE_CHECKING:  # the app imports the widgets
    from textual import getters

    from crmtui.app import CrmApp


def shorten_path(target: str) -> str:
    home = os.path.expanduser("~")
    if home not in ("", "/") and target.startswith(home + os.sep):
        return "~" + target[len(home) :]
    return target


DATABASE_ROOM = 20
"""Cells of the database's name worth shortening the views' names for."""


class StatusLine(Widget):
    """The views and their keys on the left (the current one marked, then the title of a screen
    opened on top of it); user, role, scope, database and a read-only flag on the right.

    Reads the app each time it paints; call `refresh()` when the scope changes.
    """

    if TYPE_CHECKING:  # what `self.app` is, for the type checker (the app's own attributes)
        app = getters.app(CrmApp)

    DEFAULT_CSS = """
    StatusLine {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, title: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = safe(title)

    def set_title(self, title: str) -> None:
        """A title that may be stored text (a customer's name)."""
        self.title = safe(title)
        self.refresh()

    def _left(self, form: str = "full") -> Text:
        """The views: `full` each name padded; `compact` the other views' names with one space
        between; `short` the other views by their keys alone."""
        app = self.app
        text = Text()
        for key, title, current in app.view_tabs():
            if current:
                label = f" {key} {title} "
            elif form == "short":
                label = f" {key} "
            elif form == "compact":
                label = f" {key} {title}"
            else:
                label = f" {key} {title} "
            text.append(label, style="bold reverse" if current else "dim")
        if self.screen is not app.screen_stack[0] and self.title:
            text.append(" › ", style="dim")
            text.append(self.title, style="bold")
        return text

    def render(self) -> Text:
        app = self.app
        ctx = app.ctx
        width = max(10, self.content_size.width)
        role = f" ({label('role', ctx.role)})"
        scope = getattr(self.screen, "scope_label", None)  # a screen with a scope of its own
        scope = app.scope_label if scope is None else scope
        scope = " · " + scope if scope else ""
        user = safe(ctx.user.label)
        flag = " · " + _("read-only") if ctx.store.readonly else ""
        database = safe(shorten_path(ctx.store.target))
        wanted = min(cell_len(database), DATABASE_ROOM)

        def needs(left: Text, who: str, database_room: int) -> int:
            return cell_len(left.plain) + cell_len(who) + cell_len(flag) + database_room + 5

        # What gives way, in turn, when the line is narrow: the space around the views' names,
        # the database's name, the role, and last the other views' names (their keys stay).
        # A long path is cut rather than taking the names' place.
        candidates = (
            (self._left(), user + role + scope, wanted),
            (self._left("compact"), user + role + scope, wanted),
            (self._left(), user + role + scope, 0),
            (self._left("compact"), user + role + scope, 0),
            (self._left(), user + scope, 0),
            (self._left("compact"), user + scope, 0),
        )
        left, who = self._left("short"), user + role + scope
        for views, person, database_room in candidates:
            if needs(views, person, database_room) - (0 if database_room else 3) <= width:
                left, who = views, person
                break
        room = width - cell_len(left.plain) - cell_len(who) - cell_len(flag) - 5
        if room < 8:
            database = ""
        elif cell_len(database) > room:
            database = "…" + database[-(room - 1) :]
        right = Text(who)
        if database:
            right.append(" · " + database, style="dim")
        if flag:
            right.append(flag, style="bold yellow")
        right.append(" ")
        gap = max(1, width - cell_len(left.plain) - cell_len(right.plain))
        line = left + Text(" " * gap) + right
        line.truncate(width)
        return line
