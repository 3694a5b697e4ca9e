"""The terminal app (SPEC §4): Today, Customers and Interactions as modes, the profile pushed on
top, dialogs as modal screens, a command palette that also jumps to customers, and help."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from concurrent.futures import Future
from typing import IO, Any, ClassVar, cast

import peewee
from rich.console import Console
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.theme import Theme

from crmtui.crashlog import rich_traceback_error, without_locals, write_log, write_log_text
from crmtui.errors import CrmError
from crmtui.i18n import N_, _, set_language
from crmtui.palette import CrmCommands
from crmtui.present.styles import ansi_theme, use_colour
from crmtui.present.text import safe
from crmtui.screens.base import ServiceCalls
from crmtui.screens.views import VIEWS, view_named
from crmtui.services.changes import ChangeProbe
from crmtui.services.context import Context
from crmtui.widgets.status import StatusLine

CALM = Theme(
    name="crmtui",
    # xterm-256 palette colours, so a 256-colour terminal shows exactly these
    primary="#5f87af",
    secondary="#87afaf",
    accent="#d7af5f",
    warning="#d7875f",
    error="#d75f5f",
    success="#87af87",
    foreground="#d0d0d0",
    background="#1c1c1c",
    surface="#262626",
    panel="#303030",
    dark=True,
    variables={
        "block-cursor-background": "#3a3a3a",
        "block-cursor-foreground": "#ffffff",
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-background": "#303030",
        "footer-key-foreground": "#d7af5f",
        "input-selection-background": "#5f87af 40%",
    },
)


def _view_bindings() -> list[BindingType]:
    # Not in the footer: the status line shows the views with their keys.
    return [
        Binding(
            view.key,
            f"app.view('{view.name}')",
            view.title,
            id=f"view-{view.name}",
            tooltip=view.description,
            show=False,
        )
        for view in VIEWS
    ]


class CrmApp(ServiceCalls, App[None]):
    """crmtui's app. The Context (store, user, config, clock) is given, so tests fix the clock."""

    TITLE = "crmtui"
    CSS_PATH = "app.tcss"
    MODES: ClassVar[dict[str, Any]] = {view.name: view.make for view in VIEWS}
    DEFAULT_MODE: ClassVar[str] = VIEWS[0].name
    COMMANDS = App.COMMANDS | {CrmCommands}
    COMMAND_PALETTE_DISPLAY = "^p"
    BINDINGS: ClassVar[list[BindingType]] = [
        *_view_bindings(),
        Binding("question_mark", "help", N_("Help"), id="help", tooltip=N_("every key")),
        Binding("q", "quit", N_("Quit"), id="quit"),
        Binding(
            "u",
            "undo",
            N_("Undo"),
            id="undo",
            show=False,
            tooltip=N_("undo your last change in the app (shown first, then asked)"),
        ),
        Binding("ctrl+q", "request_quit", N_("Quit"), id="quit-now", show=False, priority=True),
        Binding(
            "ctrl+p",
            "command_palette",
            N_("palette"),
            id="command-palette",
            show=False,
            key_display="^p",
            priority=True,
            tooltip=N_("Open the command palette"),
        ),
    ]
    # Textual's own words that crmtui shows (the footer's palette key, the palette's commands)
    TEXTUAL_MESSAGES = (
        N_("palette"),
        N_("Open the command palette"),
        N_("Search for commands…"),
        N_("Quit the app and return to the command prompt."),
        N_("Theme"),
        N_("Change the current theme"),
        N_("Quit the application as soon as possible"),
        N_("Maximize"),
        N_("Maximize the focused widget"),
        N_("Minimize"),
        N_("Minimize the widget and restore to normal size"),
        N_("Screenshot"),
        N_("Save an SVG 'screenshot' of the current screen"),
    )

    # ANSI colours (grades, clocks) in truecolor that stay apart on a 16-colour terminal
    ansi_theme_dark = Reactive(ansi_theme(), init=False)

    def __init__(
        self, ctx: Context, *, everyone: bool = False, early_today: Future | None = None
    ) -> None:
        if ctx.config.lang:  # --lang, else the config file's (the command line chose already)
            set_language(ctx.config.lang)
        super().__init__()
        use_colour(not self.no_color)  # Textual reads NO_COLOR: monochrome, and no colour here
        self.ctx = ctx
        self.everyone = everyone and self.can_see_everyone
        self._early_today = early_today
        self.keymap: dict[str, str] = dict(ctx.config.keys)
        self.change_probe = ChangeProbe(ctx)
        """Where the screens look for changes by others, off the interface's thread."""
        self.register_theme(CALM)
        self.theme = CALM.name

    # -- scope -----------------------------------------------------------------------------------
    @property
    def can_see_everyone(self) -> bool:
        """Managers (and support, for complaints) may switch between their own and everyone's."""
        return self.ctx.role in ("manager", "support")

    @property
    def scope_label(self) -> str:
        if not self.can_see_everyone:
            return ""
        return _("everyone") if self.everyone else _("mine")

    def take_early_today(self) -> Future | None:
        """The Today list read while the app started (once, and only for the user's own items)."""
        early, self._early_today = self._early_today, None
        return None if self.everyone else early

    def view_tabs(self) -> list[tuple[str, str, bool]]:
        """(key, title, is current) of each view the user may open, for the status line."""
        tabs = []
        for view in VIEWS:
            if view.allows(self.ctx.role):
                key = self.keymap.get(f"view-{view.name}", view.key).split(",")[0].strip()
                tabs.append((key, _(view.title), view.name == self.current_mode))
        return tabs

    def toggle_scope(self) -> bool:
        self.everyone = not self.everyone and self.can_see_everyone
        for line in self.screen.query(StatusLine):
            line.refresh()
        return self.everyone

    # -- start ----------------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.keymap:
            # on first use: kept out of the app's start-up imports
            from crmtui.screens.help import known_binding_ids

            unknown = sorted(set(self.keymap) - known_binding_ids())
            if unknown:
                self.notify(
                    _("config [keys]: no action called {names}").format(names=", ".join(unknown)),
                    severity="warning",
                    timeout=10,
                )
            self.set_keymap(self.keymap)
        for notice in self.ctx.store.notices:
            self.notify(notice, severity="warning", timeout=10)

    def on_unmount(self) -> None:
        self.change_probe.close()

    # -- navigation -----------------------------------------------------------------------------
    def action_view(self, name: str) -> None:
        view = view_named(name)
        if not view.allows(self.ctx.role):
            self.notify(
                _("{title} is not available to your role").format(title=_(view.title)),
                severity="warning",
            )
            return
        # Leaving a view closes what was opened on top of it (a profile), so coming back with
        # its key shows the view itself.
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.switch_mode(name)

    async def action_request_quit(self) -> None:
        """ctrl+q: quit, asking first when a form holds changes (ctrl+q again quits)."""
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.form import DiscardDialog, FormDialog

        if isinstance(self.screen, DiscardDialog):
            self.exit()
            return
        changed = next(
            (
                screen
                for screen in reversed(self.screen_stack)
                if isinstance(screen, FormDialog) and screen.has_changes
            ),
            None,
        )
        if changed is None:
            self.exit()
            return
        self.push_screen(
            DiscardDialog(changed.title_text(), quitting=True),
            lambda quit: self.exit() if quit else None,
        )

    def action_command_palette(self) -> None:
        # is_open takes an App[object]; App is invariant in its result type (ours is None)
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(
                CommandPalette(placeholder=_("Search for commands…"), id="--command-palette")
            )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's own words in the interface language; not Textual's "Keys" panel, which
        # shows the bindings' descriptions untranslated: `?` lists every key
        keys_panel = (self.action_show_help_panel, self.action_hide_help_panel)
        for command in super().get_system_commands(screen):
            if command.callback in keys_panel:
                continue
            yield SystemCommand(
                _(command.title), _(command.help), command.callback, command.discover
            )

    def action_help(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.help import HelpScreen

        self.push_screen(HelpScreen(getattr(self.screen, "KEYS_SECTION", "everywhere")))

    # -- undo -----------------------------------------------------------------------------------
    def action_undo(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.services.undo import undo_preview

        if isinstance(self.screen, ModalScreen):  # a dialog is open: finish it first
            return
        self.call_service(undo_preview, self.ctx, done=self._confirm_undo, group="undo")

    def _confirm_undo(self, plan) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.corrections import UndoDialog

        self.push_screen(UndoDialog(plan), self._undone)

    def _undone(self, plan) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.present.history import undo_text

        if plan is None:
            return
        self.notify(
            _("Undone: {what}").format(what=undo_text(plan, self.ctx.zone, self.ctx.today())),
            title=_("Undone"),
        )
        reload = getattr(self.screen, "reload", None)
        if callable(reload):
            reload()

    def open_profile(self, customer_id: int) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.profile import ProfileScreen

        self.push_screen(ProfileScreen(customer_id))

    def open_complaint(self, complaint_id: int) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.complaint import ComplaintScreen

        self.push_screen(ComplaintScreen(complaint_id))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity="information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification, as plain text: messages quote names, summaries and typed text, which
        must never be read as markup (pass markup=True for a message that holds none of them)."""
        super().notify(
            safe(message, multiline=True),
            title=safe(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    # -- errors ---------------------------------------------------------------------------------
    def report_error(self, error: BaseException, *, title: str | None = None) -> None:
        """One clear notice: the service's sentence for a CrmError, a logged summary otherwise."""
        if isinstance(error, CrmError):
            self.notify(str(error), title=title or _("Not done"), severity="error", timeout=8)
            return
        where = write_log(error)
        if isinstance(error, peewee.DatabaseError):
            first = (str(error).splitlines() or [type(error).__name__])[0]
            message = _("database error: {error}; nothing was changed").format(error=first)
        else:
            message = _("unexpected error: {kind}: {error}").format(
                kind=type(error).__name__, error=error
            )
        if where:
            message += " " + _("(details in {path})").format(path=where)
        self.notify(message, title=title or _("Not done"), severity="error", timeout=12)


def run_app(ctx: Context, early_today: Future | None = None) -> int:
    """Run the app on an open Context until the user quits; the store is closed after.

    An unhandled exception ends the app (Textual's rule). Textual writes its traceback on the
    app's error console once the terminal is restored: here that console writes to a buffer, the
    traceback goes to the crash log and the user reads one line that points to it.
    """
    ending = io.StringIO()
    try:
        app = CrmApp(ctx, early_today=early_today)
        app.error_console = ending_console(ending)
        app.run()
    finally:
        ctx.store.close()
    report_ending(ending.getvalue())
    return app.return_code or 0


def ending_console(file: IO[str]) -> Console:
    """The app's error console: plain text into `file`, each line as long as it was drawn."""
    return Console(file=file, markup=False, highlight=False, color_system=None, soft_wrap=True)


def report_ending(written: str) -> None:
    """What the app wrote on its error console as it ended, for the user: a traceback as one
    line (the traceback itself to the log), anything else as it was written."""
    error = rich_traceback_error(written)
    if error is None:
        sys.stderr.write(written)
        return
    kind, message = error
    where = write_log_text(without_locals(written))
    line = _("unexpected error: {kind}: {error}").format(kind=kind, error=message)
    if where:
        line += " " + _("(details in {path})").format(path=where)
    sys.stderr.write("crmtui: " + safe(line) + "\n")  # the program's name is not translated
