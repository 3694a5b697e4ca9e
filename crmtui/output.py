"""Printing for the command line: JSON for scripts, and the console that prints for people
(rich, imported when first used). What is printed is made by `crmtui.present`."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any


def _default(value: Any):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "to_json"):
        return value.to_json()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def json_text(data: Any, indent: int | None = None) -> str:
    """JSON with dates, Decimals and enums written the way every command writes them.

    Characters are written as they are, except those a terminal would act on or hide (C1
    controls, bidi overrides and other non-printing ones, which JSON itself lets through):
    those are escaped as \\uXXXX, so JSON on a terminal is text too."""
    text = json.dumps(data, default=_default, ensure_ascii=False, indent=indent)
    if text.isprintable() or text.replace("\n", "").isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == "\n" else _json_escape(ch) for ch in text)


def _json_escape(ch: str) -> str:
    # Outside strings JSON holds only ASCII and line breaks, so these are inside strings.
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def emit_json(data: Any) -> None:
    indent = 2 if sys.stdout.isatty() else None  # compact for scripts, readable on a terminal
    sys.stdout.write(json_text(data, indent))
    sys.stdout.write("\n")


_console = None


def console():
    """The command line's console: no highlighting, no emoji codes, and never a control
    character from the text it prints (see `text_only_console`)."""
    global _console
    if _console is None:
        _console = text_only_console()
    return _console


def text_only_console(**options):
    """A rich Console that prints text as text: whatever a renderable holds, its segments
    reach the terminal without control characters (rich's own styles still do), so a stored
    value missed on its way to the screen cannot retitle a terminal or set its clipboard.
    Markup is still the caller's to avoid: stored text goes in as `Text`. Options are rich's
    Console options."""
    from rich.console import Console
    from rich.segment import Segment

    from crmtui.plaintext import strip_controls

    class TextOnlyConsole(Console):
        def render(self, renderable, options=None):
            for segment in super().render(renderable, options):
                text = segment.text
                if segment.control is None and not text.isprintable():
                    clean = strip_controls(text, multiline=True)
                    if clean != text:
                        segment = Segment(clean, segment.style)
                yield segment

    console = TextOnlyConsole(**{"highlight": False, "emoji": False, **options})
    from crmtui.present.styles import use_colour

    use_colour(not console.no_color)  # NO_COLOR: the meaning styles turn to bold and reverse
    return console


def say(message: str, **options) -> None:
    """Print a line that may quote stored or typed text (a confirmation, a notice): as plain
    text, never as markup."""
    console().print(message, markup=False, highlight=False, **options)
