"""Reusable widgets: grade badge, date input, due list, paged tables, filter bar, status line.

`from crmtui.widgets import X` loads only X's module (PEP 562): the app's first screen should not
wait for the forms' date input or the paged tables."""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    **dict.fromkeys(("DateInput", "describe_day", "resolve_date"), "date_input"),
    "DueList": "due_list",
    **dict.fromkeys(("FilterBar", "FilterQuery", "parse_filter"), "filter_bar"),
    "FieldRow": "form",
    "GradeBadge": "grade",
    **dict.fromkeys(("PAGE_SIZE", "ListTable", "NavTable", "ProfileRows"), "lists"),
    "StatusLine": "status",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    module = _HOMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
