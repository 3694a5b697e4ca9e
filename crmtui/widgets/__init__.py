"""Reusable widgets: grade badge, date input, due list, paged tables, filter bar, status line."""

from crmtui.widgets.date_input import DateInput, describe_day, resolve_date
from crmtui.widgets.due_list import DueColumns, DueList
from crmtui.widgets.filter_bar import FilterBar, FilterQuery, parse_filter
from crmtui.widgets.form import FieldRow
from crmtui.widgets.grade import GradeBadge, grade_badge, grade_style, grade_text
from crmtui.widgets.lists import PAGE_SIZE, ListTable, NavTable, ProfileRows
from crmtui.widgets.status import StatusLine
from crmtui.widgets.text import clip, fit, local_moment, short_day

__all__ = [
    "DateInput", "describe_day", "resolve_date", "DueColumns", "DueList", "FilterBar",
    "FilterQuery", "parse_filter", "FieldRow", "GradeBadge", "grade_badge", "grade_style",
    "grade_text", "PAGE_SIZE", "ListTable", "NavTable", "ProfileRows", "StatusLine", "clip", "fit",
    "local_moment", "short_day",
]
