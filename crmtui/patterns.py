"""Regular expressions compiled the first time they are used.

A module-level `re.compile` runs at import, and the command line imports many modules that
define patterns it never uses on its way (`crmtui due` parses no date formats): compiling them
all cost about a sixth of a short command's start. `lazy_pattern` takes the same arguments and
answers the same methods, compiling on the first call.
"""

from __future__ import annotations

import re
from typing import Any, cast


class _LazyPattern:
    def __init__(self, source: str, flags: int) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:  # match, search, sub, pattern, groupindex…
        value = getattr(self.compiled(), name)
        setattr(self, name, value)  # found directly from now on: as quick as the pattern's own
        return value

    def __repr__(self) -> str:
        return f"lazy_pattern({self._source!r}, {self._flags!r})"


def lazy_pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, done when the pattern is first used."""
    return cast("re.Pattern[str]", _LazyPattern(source, flags))
