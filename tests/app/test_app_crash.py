"""An unhandled exception in the app: the terminal gets one line, the crash log the traceback, the
exit code is 1; under Textual's test harness the exception still reaches the test."""

from __future__ import annotations

import fcntl
import io
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable

import pytest
from rich.console import Console
from rich.segment import Segments
from rich.traceback import Traceback

from crmtui.app import CrmApp, ending_console, report_ending
from crmtui.crashlog import rich_traceback_error, without_locals
from crmtui.locations import log_file

FAILURE = "the crash test's own failure"
HELD = "held-in-a-local"

# The real app, crashing when F12 is pressed (a key crmtui does not use).
CRASHING_APP = f"""
import sys
from crmtui import cli
from crmtui.app import CrmApp

def crash_on_f12(self, event):
    if event.key == "f12":
        held = "-".join(["held", "in", "a", "local"])  # the value is not in the source shown
        raise RuntimeError({FAILURE!r})

CrmApp.on_key = crash_on_f12
sys.exit(cli.main(sys.argv[1:]))
"""

ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")
LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"


class Terminal:
    """A program on a pseudo-terminal of 80×24, and everything it wrote there."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, follower = os.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.process = subprocess.Popen(
            argv, stdin=follower, stdout=follower, stderr=follower, env=env,
            start_new_session=True,
        )
        os.close(follower)
        self.written = bytearray()
        self.closed = False

    def text(self) -> str:
        return ESCAPE.sub("", self.written.decode("utf-8", "replace"))

    def read_until(self, condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
        """Read what the program writes until `condition()` holds (or the terminal closes, when
        the program ends); fail saying what after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not condition():
            if self.closed:
                raise AssertionError(f"the program ended before {what}:\n{self.text()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout:g} s, in vain, for {what}:\n{self.text()}")
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # EIO: every end of the terminal is closed
                    chunk = b""
                self.written += chunk
                self.closed = not chunk

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=20)
        os.close(self.master)


@pytest.mark.slow
def test_a_crash_leaves_one_line_on_the_terminal_and_the_traceback_in_the_log(tmp_path):
    data = tmp_path / "data"
    env = {**os.environ, "CRMTUI_DATA_DIR": str(data),
           "CRMTUI_CONFIG": str(tmp_path / "config.toml"), "CRMTUI_USER": "boss",
           "LANG": "C.UTF-8", "TERM": "xterm-256color", "TZ": "UTC"}
    for name in ("CRMTUI_DB", "LC_ALL", "LC_MESSAGES", "TMUX", "NO_COLOR"):
        env.pop(name, None)
    terminal = Terminal([sys.executable, "-c", CRASHING_APP, "--db", str(tmp_path / "crm.db")],
                        env)
    try:
        terminal.read_until(lambda: "? Help" in terminal.text(), "the app's footer")
        os.write(terminal.master, b"\x1b[24~")  # F12, as xterm sends it
        terminal.read_until(lambda: terminal.closed, "the app to end")
        assert terminal.process.wait(timeout=20) == 1
    finally:
        terminal.close()

    log = data / "crmtui.log"
    line = f"crmtui: unexpected error: RuntimeError: {FAILURE} (details in {log})"
    # what stays on the terminal once the app has given it back: that line, nothing else
    after = ESCAPE.sub("", terminal.written.split(LEAVE_ALTERNATE_SCREEN)[-1].decode("utf-8"))
    assert after.strip().splitlines() == [line]
    assert "Traceback" not in terminal.text()
    assert terminal.text().count(FAILURE) == 1
    logged = log.read_text(encoding="utf-8")
    assert "Traceback" in logged and "crash_on_f12" in logged
    assert HELD not in logged  # the frames' local variables are left out
    assert logged.rstrip().endswith(f"RuntimeError: {FAILURE}")
    assert oct(log.stat().st_mode & 0o777) == oct(0o600)


async def test_under_the_test_harness_the_exception_reaches_the_test(ctx, monkeypatch):
    def crash_on_f12(self, event):
        if event.key == "f12":
            raise RuntimeError(FAILURE)

    monkeypatch.setattr(CrmApp, "on_key", crash_on_f12, raising=False)
    app = CrmApp(ctx)
    with pytest.raises(RuntimeError, match=FAILURE):
        async with app.run_test() as pilot:
            await pilot.press("f12")
    assert app.return_code == 1


# -- reading the traceback Textual writes ---------------------------------------------------------

def as_textual_writes(fail: Callable[[], object], width: int = 80) -> str:
    """The traceback of what `fail()` raises, as Textual writes it on the error console (drawn
    at the terminal's width, then printed) and run_app's console keeps it (plain text)."""
    screen = Console(width=width, force_terminal=True, color_system="truecolor",
                     file=io.StringIO())
    try:
        fail()
    except Exception:
        traceback = Traceback(show_locals=True, width=None, locals_max_length=5)
        drawn = Segments(screen.render(traceback, screen.options))
    kept = io.StringIO()
    ending_console(kept).print(drawn)
    return kept.getvalue()


def raise_(error: BaseException) -> None:
    raise error


def chained() -> None:
    try:
        raise KeyError("first")
    except KeyError as error:
        raise ValueError("second") from error


def while_handling() -> None:
    try:
        raise KeyError("first")
    except KeyError:
        raise LookupError("second")  # noqa: B904 - the point is the implicit chain


def with_note() -> None:
    error = ValueError("noted")
    error.add_note("a note on it")
    raise error


def group() -> None:
    # Python 3.11 and later only
    raise ExceptionGroup("several", [ValueError("one"), TypeError("two")])  # noqa: F821


def syntax() -> None:
    compile("def broken(:\n", "typed.py", "exec")


LONG = "a rather long message " * 8


NEWER = [  # notes and exception groups came with Python 3.11
    (with_note, ("ValueError", "noted")),
    (group, ("ExceptionGroup", "several (2 sub-exceptions)")),
] if sys.version_info >= (3, 11) else []


@pytest.mark.parametrize(("fail", "error"), [
    (lambda: raise_(RuntimeError("boom")), ("RuntimeError", "boom")),
    (lambda: raise_(RuntimeError()), ("RuntimeError", "")),
    (lambda: raise_(RuntimeError(LONG)), ("RuntimeError", LONG.strip())),
    (lambda: raise_(RuntimeError("two\nlines")), ("RuntimeError", "two lines")),
    (lambda: raise_(RuntimeError("客户 张三 " * 10)),
     ("RuntimeError", ("客户 张三 " * 10).strip())),
    (chained, ("ValueError", "second")),
    (while_handling, ("LookupError", "second")),
    (syntax, ("SyntaxError", "invalid syntax")),
    *NEWER,
])
@pytest.mark.parametrize("width", [80, 120])
def test_the_raised_exception_is_read_from_the_traceback(fail, error, width):
    assert rich_traceback_error(as_textual_writes(fail, width)) == error


def holding_a_value() -> None:
    held = "-".join(["held", "in", "a", "local"])  # noqa: F841
    chained()


def test_the_log_keeps_the_frames_but_not_their_local_variables():
    written = as_textual_writes(holding_a_value)
    assert HELD in written and "─ locals ─" in written
    logged = without_locals(written)
    assert HELD not in logged and "─ locals ─" not in logged
    assert "in holding_a_value" in logged and "in chained" in logged and "KeyError" in logged
    assert rich_traceback_error(logged) == ("ValueError", "second")


def test_anything_else_textual_writes_as_it_ends_is_passed_on(capsys):
    report_ending("a message on leaving\n")
    assert capsys.readouterr().err == "a message on leaving\n"
    assert rich_traceback_error("a message on leaving\n") is None
    assert not log_file().exists()
