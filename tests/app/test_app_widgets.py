"""Widgets on their own: the date input, the filter parser, CJK-safe columns."""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len
from textual.app import App, ComposeResult

from crmtui.rules import DueItem, DueKind
from crmtui.widgets.date_input import DateInput
from crmtui.widgets.due_list import DueColumns
from crmtui.widgets.filter_bar import parse_filter
from crmtui.widgets.text import fit
from tests.conftest import TODAY


class DateApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list = []

    def compose(self) -> ComposeResult:
        yield DateInput(today=TODAY, required=True)

    def on_date_input_changed(self, event: DateInput.Changed) -> None:
        self.changes.append((event.day, event.error))


async def test_the_date_input_says_which_day_was_meant_or_what_is_wrong():
    app = DateApp()
    async with app.run_test() as pilot:
        widget = app.query_one(DateInput)
        note = widget.query_one(".date-note")
        assert str(note.render()) == "required"
        for typed, day, shown in (
            ("fri", date(2026, 11, 27), "Fri 2026-11-27 · in 4 days"),
            ("tomorrow", date(2026, 11, 24), "Tue 2026-11-24 · tomorrow"),
            ("+2w", date(2026, 12, 7), "Mon 2026-12-07 · in 14 days"),
            ("2026-12-01", date(2026, 12, 1), "Tue 2026-12-01 · in 8 days"),
        ):
            widget.value = typed
            await pilot.pause()
            assert widget.day == day
            assert str(note.render()) == shown
            assert app.changes[-1] == (day, None)
        widget.value = "someday"
        await pilot.pause()
        assert widget.day is None
        assert "'someday' is not a date" in str(note.render())
        assert note.has_class("-error")


def test_filters_split_words_from_checked_keys():
    def grade(text):
        if text.upper() not in "ABCDE":
            raise ValueError("grades A–E")
        return text.upper()

    query = parse_filter("grade:b 张 three", {"grade": grade})
    assert (query.text, dict(query.values), query.ok) == ("张 three", {"grade": "B"}, True)
    assert parse_filter("grade:z", {"grade": grade}).errors == {"grade": "grade: grades A–E"}
    assert "unknown filter colour:" in parse_filter("colour:red", {"grade": grade}).errors["colour"]
    assert parse_filter("10:30 call", {"grade": grade}).text == "10:30 call"


def test_wide_characters_line_up_with_latin_ones():
    assert fit("张三丰", 5) == "张三…"
    assert cell_len(fit("重庆华信科技有限公司", 9)) == 9
    assert fit("Bob", 5) == "Bob  "
    columns = DueColumns.for_width(80, owner=True)

    def line(name, company):
        item = DueItem(kind=DueKind.FOLLOW_UP, customer_id=1, customer=name, company=company,
                       grade="A", owner="王芳", due=TODAY, overdue_days=0, detail="cadence")
        return columns.line(item, TODAY).plain

    chinese, latin = line("欧阳建国", "重庆华信科技有限公司"), line("Bob Li", "Acme Ltd")
    assert cell_len(chinese) == cell_len(latin)
    assert cell_len(chinese[:chinese.index("A ")]) == cell_len(latin[:latin.index("A ")])
