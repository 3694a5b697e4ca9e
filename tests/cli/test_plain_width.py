"""`output.plain_width` stands in for rich's console when nothing is styled (`crmtui due` into
a pipe need not load rich): it must say what rich would, or leave rich to decide."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest

PROBE = """
import json
from crmtui import output
width = output.plain_width()
console = output.text_only_console()
print(json.dumps([width, console.width, console.color_system is None]))
"""
RICH_SAYS = ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE", "TERM", "NO_COLOR")


def probe(env: dict[str, str], *, terminal_in: int | None) -> tuple[int | None, int, bool]:
    """(plain_width, rich's width, rich writes no styles) with output into a pipe and input
    from a terminal `terminal_in` columns wide (or from /dev/null)."""
    environ = {k: v for k, v in os.environ.items() if k not in RICH_SAYS} | env
    if terminal_in is None:
        done = subprocess.run([sys.executable, "-c", PROBE], env=environ, text=True,
                              stdin=subprocess.DEVNULL, capture_output=True, check=True)
    else:
        controller, terminal = pty.openpty()
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 30, terminal_in, 0, 0))
        try:
            done = subprocess.run([sys.executable, "-c", PROBE], env=environ, text=True,
                                  stdin=terminal, capture_output=True, check=True)
        finally:
            os.close(terminal)
            os.close(controller)
    width, rich_width, no_styles = json.loads(done.stdout)
    return width, rich_width, no_styles


@pytest.mark.parametrize("terminal_in", [None, 123])
@pytest.mark.parametrize("env", [
    {}, {"COLUMNS": "57"}, {"COLUMNS": "57", "LINES": "9"}, {"COLUMNS": "x"}, {"COLUMNS": "0"},
    {"TERM": "dumb"}, {"NO_COLOR": "1"}, {"FORCE_COLOR": "1"}, {"FORCE_COLOR": ""},
    {"TTY_COMPATIBLE": "1"}, {"TTY_COMPATIBLE": "0"},
])
def test_the_width_is_richs_or_rich_decides(env, terminal_in):
    width, rich_width, no_styles = probe(env, terminal_in=terminal_in)
    if width is not None:
        assert no_styles and width == rich_width
    else:  # only when something is set that rich weighs, or a width rich handles its way
        assert env.get("COLUMNS") == "0" or {"FORCE_COLOR", "TTY_COMPATIBLE"} & env.keys()


def test_a_terminal_on_input_gives_its_width_to_a_pipe():
    assert probe({}, terminal_in=123)[0] == 123
    assert probe({}, terminal_in=None)[0] == 80
    assert probe({"COLUMNS": "57"}, terminal_in=123)[0] == 57
