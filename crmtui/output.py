"""Printing for the command line: JSON for scripts, and the console that prints for people
(rich, imported when first used). What is printed is made by `crmtui.present`."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any, cast

from crmtui.plaintext import strip_controls
from crmtui.present import Memo

if TYPE_CHECKING:
    from rich.console import Console  # loaded only once something is printed


def _default(value: Any) -> Any:
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
    return _printable(json.dumps(data, default=_default, ensure_ascii=False, indent=indent))


def _printable(text: str) -> str:
    if text.isprintable() or text.replace("\n", "").isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == "\n" else _json_escape(ch) for ch in text)


def json_string(text: str) -> str:
    """A string as JSON, as `json_text` writes it (`encode_basestring`, then what a terminal
    would act on escaped): checked value by value, the user's text alone rather than the
    whole output."""
    encoded = encode_basestring(text)
    return encoded if encoded.isprintable() else _printable(encoded)


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


def emit_json_objects(objects: Iterable[str], chunk: int = 2000) -> None:
    """Print JSON objects, each already written as text by `json_row_format` (whose strings are
    terminal-safe), as `emit_json` prints a list of them, byte for byte, writing as they come
    (a manager's due list has tens of thousands)."""
    if sys.stdout.isatty():  # indented for people: the plain path
        emit_json([json.loads(text) for text in objects])
        return
    write, batch, opened = sys.stdout.write, [], False
    for text in objects:
        batch.append(text)
        if len(batch) == chunk:
            write((", " if opened else "[") + ", ".join(batch))
            batch, opened = [], True
    tail = ", ".join(batch)
    write((", " + tail if tail else "") if opened else "[" + tail)
    write("]\n")


_JSON_KINDS = {
    "text": "{e(v%d)}",
    "text?": "{N if v%d is None else e(v%d)}",
    "int": "{I(v%d)}",
    "int?": "{N if v%d is None else I(v%d)}",
    "date": '"{D[v%d]}"',
}


def json_row_format(
    columns: Sequence[tuple[str, str]],
    *,
    fixed: Mapping[str, Any] | None = None,
    read: Mapping[str, int | tuple[int, Mapping[Any, str]]] | None = None,
    width: int | None = None,
) -> Callable[[Sequence[Any]], str]:
    """A function writing a row (a tuple) as the JSON object `json.dumps(dict(zip(names, row)),
    ensure_ascii=False)` gives, for columns of a known kind each: "text", "int", "date", and
    "text?" or "int?" for one that may be None. It is one f-string made for the columns (as
    namedtuple makes its class): several times quicker than encoding value by value.

    By default column i is the row's value i. `fixed` gives columns that hold the same value in
    every row (written once, not read). `read` says where in the row a column's value is: a
    position, or (position, texts) with `texts[value]` the value's JSON text (a `Memo`; a string
    as `json_string` writes it); `width` is then the length of the rows (by default one past the
    last position read). Strings are terminal-safe as `json_text` writes them."""
    fixed, read = fixed or {}, read or {}
    fields, namespace = [], {"e": json_string, "I": int.__repr__, "N": "null"}
    read_at = []
    for index, (name, kind) in enumerate(columns):
        if not name.isidentifier() or kind not in _JSON_KINDS:
            raise ValueError(f"not a JSON column: {name!r} ({kind!r})")
        if name in fixed:
            namespace[f"F{index}"] = json_text(fixed[name])
            fields.append(f'"{name}": {{F{index}}}')
            continue
        where = read.get(name, index)
        if isinstance(where, tuple):
            position, texts = where
            namespace[f"T{index}"] = texts
            fields.append(f'"{name}": {{T{index}[v{position}]}}')
        else:
            position = where
            fields.append(f'"{name}": ' + _JSON_KINDS[kind].replace("%d", str(position)))
        read_at.append(position)
    names = [f"v{i}" for i in range(width or (max(read_at, default=-1) + 1))]
    unpack = f"    {', '.join(names)}, = row\n" if names else ""
    source = f"def format_row(row):\n{unpack}    return f'{{{{{', '.join(fields)}}}}}'\n"
    # date.isoformat is slow, and a long list repeats few days
    namespace["D"] = Memo(date.isoformat)
    exec(source, namespace)  # noqa: S102 (made from the checked names and kinds above)
    return cast("Callable[[Sequence[Any]], str]", namespace["format_row"])


_console: Console | None = None


def console() -> Console:
    """The command line's console: no highlighting, no emoji codes, and never a control
    character from the text it prints (see `text_only_console`)."""
    global _console
    if _console is None:
        _console = text_only_console()
    return _console


def plain_width() -> int | None:
    """The width `console()` would print at, when it would write no styles: output that is not
    a terminal, with nothing set to make rich treat it as one. Printing plain lines then need
    not load rich (most of a `crmtui due` into a pipe's time). None when rich must decide.

    rich's own rules (`Console.is_terminal`, `Console.size`): a width in COLUMNS, else the first
    of standard input, output and error that is a terminal, else 80."""
    forced = "TTY_COMPATIBLE" in os.environ or "FORCE_COLOR" in os.environ
    if forced or _console is not None or sys.platform == "win32" or "IPython" in sys.modules:
        return None
    try:
        if sys.stdout.isatty():
            return None
    except ValueError:  # closed
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return int(columns) or None  # rich prints at a width of 0 as it can: its call
    width = 0
    for descriptor in (0, 1, 2):
        try:
            width = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):  # not a terminal
            continue
        break
    return width or 80


def forget_console() -> None:
    """Drop the console: the next command run in this process (`main()` called again) makes
    one for the terminal it finds (its width, NO_COLOR)."""
    global _console
    _console = None


def text_only_console(**options: Any) -> Console:
    """A rich Console that prints text as text: whatever a renderable holds, its segments
    reach the terminal without control characters (rich's own styles still do), so a stored
    value missed on its way to the screen cannot retitle a terminal or set its clipboard.
    Markup is still the caller's to avoid: stored text goes in as `Text`. Options are rich's
    Console options."""
    # on first use: rich loads only once something is printed or drawn
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.segment import Segment

    class TextOnlyConsole(Console):
        def render(
            self, renderable: RenderableType, options: ConsoleOptions | None = None
        ) -> Iterable[Segment]:
            for segment in super().render(renderable, options):
                text = segment.text
                if segment.control is None and not text.isprintable():
                    clean = strip_controls(text, multiline=True)
                    if clean != text:
                        segment = Segment(clean, segment.style)
                yield segment

    console = TextOnlyConsole(**{"highlight": False, "emoji": False, **options})
    # on first use: crmtui due must not load crmtui.present.styles
    from crmtui.present.styles import use_colour

    use_colour(not console.no_color)  # NO_COLOR: the meaning styles turn to bold and reverse
    return console


def say(message: str, **options: Any) -> None:
    """Print a line that may quote stored or typed text (a confirmation, a notice): as plain
    text, never as markup."""
    console().print(message, markup=False, highlight=False, **options)
