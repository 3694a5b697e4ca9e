"""Widgets on their own: the date and date-time inputs, the filter parser, CJK-safe columns,
charts."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from rich.cells import cell_len
from rich.console import Console
from textual.app import App, ComposeResult

from crmtui.cells import fit
from crmtui.present.charts import Bar, BarRows, ColumnChart
from crmtui.present.complaint import sla_words
from crmtui.present.due import DueColumns
from crmtui.present.numbers import bar
from crmtui.rules import DueItem, DueKind
from crmtui.widgets.complaint_list import ComplaintColumns
from crmtui.widgets.date_input import DateInput, DateTimeInput
from crmtui.widgets.filter_bar import parse_filter, some_of
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


def test_a_due_day_of_another_year_reads_its_year_not_a_cut_date():
    columns = DueColumns.for_width(80, owner=False)
    old = TODAY.replace(year=TODAY.year - 1, month=8, day=12)
    item = DueItem(kind=DueKind.PAYMENT, customer_id=1, customer="蔡杰", company="", grade="B",
                   owner="", due=old, overdue_days=(TODAY - old).days, detail="owed")
    shown = columns.line(item, TODAY).plain
    assert f" {old.year}! " in shown and "…" not in shown


class MomentApp(App):
    def compose(self) -> ComposeResult:
        now = datetime(2026, 11, 23, 18, 0, tzinfo=timezone.utc)
        yield DateTimeInput(now=lambda: now, required=True, future=True)


async def test_the_date_time_input_shows_the_time_meant_or_refuses_a_past_one():
    app = MomentApp()
    async with app.run_test() as pilot:
        widget = app.query_one(DateTimeInput)
        note = widget.query_one(".date-note")
        assert str(note.render()) == "required"
        for typed, moment, shown in (
            ("+4h", datetime(2026, 11, 23, 22, 0), "Mon 2026-11-23 22:00 · in 4h"),
            ("+30min", datetime(2026, 11, 23, 18, 30), "Mon 2026-11-23 18:30 · in 30m"),
            ("tomorrow 10:00", datetime(2026, 11, 24, 10, 0), "Tue 2026-11-24 10:00 · in 16h"),
            ("2026-12-01 14:00", datetime(2026, 12, 1, 14, 0), "Tue 2026-12-01 14:00 · in 7d 20h"),
        ):
            widget.value = typed
            await pilot.pause()
            assert widget.moment == moment.replace(tzinfo=timezone.utc), typed
            assert str(note.render()) == shown
        for typed, reason in (
            ("17:59", "2026-11-23 17:59 is not in the future; pick a later time"),
            ("-1h", "2026-11-23 17:00 is not in the future; pick a later time"),
            ("25:00", "25:00 is not a time of day; use 00:00 to 23:59"),
        ):
            widget.value = typed
            await pilot.pause()
            assert widget.moment is None
            assert str(note.render()) == reason
            assert note.has_class("-error")


def test_some_of_takes_several_values_each_by_an_unambiguous_start():
    severity = some_of(("critical", "high", "normal", "low"))
    assert severity("crit,high") == ("critical", "high")
    assert severity("low,low") == ("low",)
    query = parse_filter("mine severity:c,h status:x", {"severity": severity,
                                                        "status": some_of(("new", "closed"))})
    assert (query.text, dict(query.values)) == ("mine", {"severity": ("critical", "high")})
    assert query.errors == {"status": "status: one of new, closed"}


def test_queue_columns_fit_the_width_with_wide_characters():
    from crmtui.services.complaints import ClockFacts, QueueRow, SlaClock
    from crmtui.rules import SlaState

    def row(customer, summary, state=SlaState.AT_RISK, left=timedelta(minutes=10)):
        opened = datetime(2026, 11, 23, 17, 10, tzinfo=timezone.utc)
        facts = ClockFacts("new", opened, None, opened + timedelta(hours=1),
                           opened + timedelta(days=1), None)
        return QueueRow(12, 1, customer, "", "critical", None, None, summary, "", "phone", None,
                        1, facts, SlaClock("respond", opened + timedelta(hours=1), state, left))

    for width in (79, 119):
        columns = ComplaintColumns.for_width(width)
        chinese = columns.line(row("欧阳建国", "发货延迟一周，客户很生气"), timezone.utc, TODAY)
        latin = columns.line(row("Bob Li", "Late delivery, angry customer"), timezone.utc,
                             TODAY)
        assert cell_len(chinese.plain) == cell_len(latin.plain) == width
        assert cell_len(columns.header().plain) == width
        assert "10m left" in latin.plain
    paused = SlaClock("resolve", None, SlaState.OK, timedelta(days=13), paused=True)
    late = SlaClock("resolve", None, SlaState.BREACHED, -timedelta(hours=3, minutes=5))
    assert (sla_words(paused), sla_words(late)) == ("paused 13d", "3h 5m late")
    assert sla_words(SlaClock("", None, SlaState.BREACHED, None)) == "late"


def drawn(renderable, width: int) -> list[str]:
    console = Console(width=width, color_system=None, legacy_windows=False)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get().rstrip("\n").split("\n")


def test_a_bar_is_drawn_in_eighths_of_a_cell():
    assert bar(0, 10) == "" and bar(1, 10) == "█" * 10
    assert bar(0.5, 3) == "█▌" and bar(1 / 80, 10) == "▏"
    assert bar(2.0, 4) == "████" and bar(-1, 4) == ""  # clamped to 0..1


def test_bar_rows_give_the_bars_what_the_text_leaves_and_keep_columns_aligned():
    rows = BarRows([("A", Bar(1.0), "12", "60.0%"), ("张三", Bar(0.25), "3", "15.0%"),
                    ("C", Bar(None), "0", "–")], right=(2, 3), max_bar=100)
    for width in (40, 80):
        lines = drawn(rows, width)
        assert all(cell_len(line) <= width for line in lines)
        bar_width = width - (4 + 2 + 5) - 3
        assert lines[0] == "A    " + "█" * bar_width + " 12 60.0%"
        assert lines[1].startswith("张三 " + bar(0.25, bar_width) + " ")
        assert lines[1].endswith("  3 15.0%") and lines[2].endswith("  0     –")
    assert cell_len(drawn(BarRows([("x", Bar(1.0))], max_bar=8), 80)[0]) == 10


def test_the_column_chart_rises_to_its_values_and_marks_where_the_highlight_ends():
    chart = ColumnChart([0.5, 1.0, 1.0, 1.0], height=2, highlight=1, caption="customers")
    lines = drawn(chart, 6 + 4 * 4)
    assert lines == ["100% ┤    ████████████",
                     "     │████████████████",
                     "  0% └───┴────────────",
                     "      customers"]
    assert drawn(ColumnChart([]), 40) == [""]
    narrow = drawn(ColumnChart([0.2] * 20, height=3), 30)
    assert all(cell_len(line) <= 30 for line in narrow)
    assert narrow[2] == "     │" + "▅" * 20  # 0.2 of 3 lines: 4.8 eighths of the first

