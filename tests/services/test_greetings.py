"""Holiday greetings (节日问候): the dates come from the holidays library, the customers from the
chosen grades or tiers, and a logged greeting settles the holiday for that customer."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from crmtui import festivals
from crmtui.config import Config, Greetings, load_config
from crmtui.errors import CrmError
from crmtui.i18n import set_language
from crmtui.rules import DueKind, Grade, Tier
from crmtui.services.customers import add_customer
from crmtui.services.due import due_list
from crmtui.services.grading import move_grades_if_due
from crmtui.services.interactions import log_interaction, record_order
from crmtui.services.worklist import log_due_item, snooze_refusal

FESTIVALS = ("Spring Festival", "Mid-Autumn Festival")


@pytest.mark.parametrize("year, name, day", [
    (2026, "Spring Festival", date(2026, 2, 17)),
    (2027, "Spring Festival", date(2027, 2, 6)),
    (2026, "Mid-Autumn Festival", date(2026, 9, 25)),
    (2027, "Mid-Autumn Festival", date(2027, 9, 15)),
    (2027, "春节", date(2027, 2, 6)),
    (2027, "中秋节", date(2027, 9, 15)),
    (2027, "chinese new year", date(2027, 2, 6)),
    (2026, "Chinese New Year's Eve", date(2026, 2, 16)),
    (2026, "Dragon Boat Festival", date(2026, 6, 19)),
])
def test_the_library_knows_each_years_lunar_holidays(year, name, day):
    holiday = festivals.find("CN", year, name)
    assert holiday is not None and holiday.day == day


def test_a_holiday_is_its_first_day_and_days_in_lieu_are_not_holidays():
    names = festivals.known_names("CN", 2026)
    assert names.count("Chinese New Year (Spring Festival)") == 1
    assert not any("observed" in name or "substituted" in name for name in names)
    assert festivals.find("CN", 2026, "no such day") is None


def test_upcoming_holidays_within_the_lead_days_across_the_new_year():
    upcoming = festivals.upcoming("CN", FESTIVALS, date(2027, 1, 30), 7)
    assert [(h.key, h.day) for h in upcoming] == [
        ("Chinese New Year (Spring Festival)", date(2027, 2, 6))]
    assert festivals.upcoming("CN", FESTIVALS, date(2027, 1, 29), 7) == []
    assert festivals.upcoming("CN", FESTIVALS, date(2027, 2, 6), 0)[0].day == date(2027, 2, 6)
    assert festivals.upcoming("CN", FESTIVALS, date(2027, 2, 7), 7) == []
    assert [h.day for h in festivals.upcoming("CN", FESTIVALS, date(2026, 12, 28), 45)] == [
        date(2027, 2, 6)]


def _greetings(ctx, **settings) -> None:
    ctx.config = ctx.config._replace(greetings=Greetings(holidays=FESTIVALS, **settings))


def _at(clock, day: date) -> None:
    clock.now = datetime(day.year, day.month, day.day, 10, 0, tzinfo=timezone.utc)


def _greeted(ctx, day: date | None = None) -> list[str]:
    return sorted(i.customer for i in due_list(ctx, day, kinds={DueKind.GREETING}))


@pytest.fixture
def book(ctx, clock):
    """An A, a C that is a key customer by revenue, a C without revenue and a dead (E) one."""
    _at(clock, date(2026, 11, 23))
    add_customer(ctx, {"name": "甲 A", "need": "clear", "expected_close": "+10d"})
    key = add_customer(ctx, {"name": "乙 key", "need": "clear", "expected_close": "+5m"})
    record_order(ctx, key.id, amount="900000", next_close="+5m")  # the next deal: still C
    small = add_customer(ctx, {"name": "丙 small", "need": "clear", "expected_close": "+5m"})
    record_order(ctx, small.id, amount="1000", next_close="+5m")
    add_customer(ctx, {"name": "丁 C", "need": "clear", "expected_close": "+5m"})
    add_customer(ctx, {"name": "戊 dead", "need": "none"})
    _at(clock, date(2027, 1, 31))
    return ctx


def test_off_by_default(book):
    assert book.config.greetings.holidays == ()
    assert _greeted(book) == []


def test_greetings_for_the_chosen_grades_or_tiers(book):
    _greetings(book, grades=frozenset({Grade.A}), tiers=frozenset({Tier.KEY}))
    items = due_list(book, kinds={DueKind.GREETING})
    assert sorted(i.customer for i in items) == ["乙 key", "甲 A"]
    assert {(i.due, i.detail, i.overdue_days) for i in items} == {
        (date(2027, 2, 6), "Chinese New Year (Spring Festival) · in 6d", 0)}
    set_language("zh")
    assert {i.detail for i in due_list(book, kinds={DueKind.GREETING})} == {"春节 · 6天后"}
    # they are a section of the whole due list, after the care dates
    kinds = [i.kind for i in due_list(book)]
    assert DueKind.GREETING in kinds
    assert kinds.index(DueKind.GREETING) > max(
        (n for n, kind in enumerate(kinds) if kind in (DueKind.FOLLOW_UP, DueKind.CARE)),
        default=-1)


@pytest.mark.parametrize("grades, tiers, expected", [
    ({Grade.C}, set(), ["丁 C", "乙 key", "丙 small"]),
    (set(), {Tier.KEY}, ["乙 key"]),
    (set(), {Tier.ORDINARY}, ["丙 small"]),
    (set(), {Tier.NONE}, ["丁 C", "戊 dead", "甲 A"]),
    (set(), set(), ["丁 C", "丙 small", "乙 key", "甲 A"]),  # all but grade E
])
def test_grade_and_tier_filters(book, grades, tiers, expected):
    _greetings(book, grades=frozenset(grades), tiers=frozenset(tiers))
    assert _greeted(book) == sorted(expected)


def test_tiers_follow_the_revenue_ranking(ctx, clock):
    _at(clock, date(2026, 11, 23))
    for name, amount in (("key", "800"), ("important 1", "100"), ("important 2", "50"),
                         ("ordinary", "50")):
        record_order(ctx, add_customer(ctx, {"name": name}).id, amount=amount)
    _at(clock, date(2027, 2, 1))
    move_grades_if_due(ctx)  # the day's catch-up re-ranks those whom later orders moved
    for tiers, expected in (({Tier.KEY}, ["key"]),
                            ({Tier.IMPORTANT}, ["important 1", "important 2"]),
                            ({Tier.ORDINARY}, ["ordinary"]),
                            ({Tier.KEY, Tier.ORDINARY}, ["key", "ordinary"])):
        _greetings(ctx, tiers=frozenset(tiers))
        assert _greeted(ctx) == expected, tiers


def test_only_within_the_lead_days(book, clock):
    _greetings(book, lead_days=3)
    assert _greeted(book) == []
    assert len(_greeted(book, date(2027, 2, 3))) == 4
    assert len(_greeted(book, date(2027, 2, 6))) == 4
    assert _greeted(book, date(2027, 2, 7)) == []
    assert len(_greeted(book, date(2027, 9, 12))) == 4  # Mid-Autumn


def test_logging_a_greeting_settles_that_holiday_only(book, clock):
    _greetings(book, grades=frozenset({Grade.A}))
    [item] = due_list(book, kinds={DueKind.GREETING})
    log_interaction(book, item.customer_id, summary="an ordinary call")
    assert _greeted(book) == ["甲 A"]  # only a greeting settles it
    log_due_item(book, DueKind.GREETING, item.customer_id, summary="新年快乐", channel="wechat")
    assert _greeted(book) == []
    log_due_item(book, DueKind.GREETING, item.customer_id, summary="again")  # no second record
    _at(clock, date(2027, 9, 10))
    assert _greeted(book) == ["甲 A"]  # Mid-Autumn is another holiday
    _at(clock, date(2028, 1, 20))
    assert [i.due for i in due_list(book, kinds={DueKind.GREETING})] == [date(2028, 1, 26)]


def test_a_greeting_cannot_be_snoozed():
    assert snooze_refusal(DueKind.GREETING)


def test_reps_see_greetings_for_their_own_customers(ctx, rep_ctx, clock):
    _at(clock, date(2026, 11, 23))
    add_customer(rep_ctx, {"name": "Rita's"})
    add_customer(ctx, {"name": "Boss's"})
    _at(clock, date(2027, 2, 1))
    _greetings(rep_ctx)
    _greetings(ctx)
    assert _greeted(rep_ctx) == ["Rita's"]
    assert _greeted(ctx) == ["Boss's"]
    assert sorted(i.customer for i in due_list(ctx, everyone=True,
                                               kinds={DueKind.GREETING})) == ["Boss's", "Rita's"]


def test_the_config_names_holidays_the_library_knows(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[greetings]\nholidays = ["Spring Festival", "中秋节"]\nlead_days = 10\n'
                    'grades = ["a", "B"]\ntiers = ["key"]\n', encoding="utf-8")
    greetings = load_config(path).greetings
    assert greetings == Greetings(holidays=("Spring Festival", "中秋节"), lead_days=10,
                                  grades=frozenset({Grade.A, Grade.B}),
                                  tiers=frozenset({Tier.KEY}), country="CN")
    path.write_text('[greetings]\nholidays = ["Sprint Festival"]\n', encoding="utf-8")
    with pytest.raises(CrmError, match="Sprint Festival not known for CN; use one of .*"
                                       "Chinese New Year \\(Spring Festival\\)"):
        load_config(path)
    path.write_text('[greetings]\nholidays = ["Spring Festival"]\nlead_days = 90\n',
                    encoding="utf-8")
    with pytest.raises(CrmError, match="lead_days must be between 0 and 60"):
        load_config(path)
    assert Config().greetings.holidays == ()

