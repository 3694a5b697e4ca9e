"""Which characters stored text may hold: the one rule, used on the way in (every write path
cleans with `services.validation.clean_text`, which applies it) and on the way out (the
presentation layer applies it again to whatever a database holds, since an older version or
another tool may have stored rows without it).

Removed: control characters (C0, DEL and C1, so ESC, BEL and CSI never reach a terminal), format
characters (bidi embeddings, overrides and isolates U+202A–202E and U+2066–2069, zero-width
spaces, the byte-order mark, soft hyphens), surrogates and private-use characters. Kept: the
zero-width joiner and non-joiner (U+200C, U+200D), which emoji sequences and Indic and Persian
writing need; nothing that CJK text uses is removed. Line and paragraph separators become line
breaks in text that may hold several lines, spaces in one-line text.

Imports nothing but the standard library: the command line's fastest paths use it.
"""

from __future__ import annotations

import unicodedata

REMOVED_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Co"))
"""Unicode categories taken out of stored text."""
KEPT_FORMAT = frozenset("\u200c\u200d")
"""Format characters that stay: the zero-width non-joiner and joiner."""
_BREAKS = frozenset("\n\u2028\u2029")


def strip_controls(text: str, *, multiline: bool = False) -> str:
    """`text` without control and format characters. With `multiline`, line breaks and tabs
    stay (CR LF becomes LF); without, each of them becomes a space."""
    probe = text.replace("\n", "").replace("\t", "") if multiline else text
    if probe.isprintable():  # the common case, in C: nothing to remove
        return text
    kept = []
    for ch in text:
        if ch in _BREAKS:
            kept.append("\n" if multiline else " ")
        elif ch == "\t":
            kept.append("\t" if multiline else " ")
        elif ch == "\r":
            if not multiline:
                kept.append(" ")
        elif ch in KEPT_FORMAT or unicodedata.category(ch) not in REMOVED_CATEGORIES:
            kept.append(ch)
    return "".join(kept)


def strip_controls_by_line(text: str, line_end: str = "\r\n") -> str:
    """A text file format's content (vCard, iCalendar: lines ended by CR LF) with the rule
    applied to each line, the line ends kept."""
    if text.replace(line_end, "").replace("\t", "").isprintable():
        return text
    return line_end.join(strip_controls(line, multiline=True) for line in text.split(line_end))
