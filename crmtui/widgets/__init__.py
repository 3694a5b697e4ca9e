"""Reusable widgets: grade badge, date input, due list, paged tables, filter bar, status line."""

from crmtui.widgets.date_input import DateInput, describe_day, resolve_date
from crmtui.widgets.due_list import DueList
from crmtui.widgets.filter_bar import FilterBar, FilterQuery, parse_filter
from crmtui.widgets.form import FieldRow
from crmtui.widgets.grade import GradeBadge
from crmtui.widgets.lists import PAGE_SIZE, ListTable, NavTable, ProfileRows
from crmtui.widgets.status import StatusLine

__all__ = [
    "DateInput", "describe_day", "resolve_date", "DueList", "FilterBar",
    "FilterQuery", "parse_filter", "FieldRow", "GradeBadge", "PAGE_SIZE", "ListTable", "NavTable",
    "ProfileRows", "StatusLine",
]
