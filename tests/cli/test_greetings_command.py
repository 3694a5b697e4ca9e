"""`crmtui greetings` and `crmtui log --greeting`, with the holidays in the config file."""

from __future__ import annotations

import pytest


@pytest.fixture
def greetings_cli(cli, tmp_path):
    (tmp_path / "config.toml").write_text(
        '[greetings]\nholidays = ["Mid-Autumn Festival"]\nlead_days = 7\n', encoding="utf-8")
    assert cli("add", "张三", "--company", "重庆华信").code == 0
    assert cli("add", "Li Si").code == 0
    return cli


def test_greetings_lists_who_to_greet_before_the_holiday(greetings_cli):
    cli = greetings_cli
    items = cli("greetings", "--date", "2026-09-20", "--json").json()
    assert sorted(i["customer"] for i in items) == ["Li Si", "张三"]
    assert {(i["kind"], i["due"]) for i in items} == {("greeting", "2026-09-25")}
    table = cli("--lang", "zh", "greetings", "--date", "2026-09-20")
    assert table.code == 0
    assert "中秋节 2026-09-25 （2 位待问候）" in table.out and "重庆华信" in table.out
    assert "Mid-Autumn Festival 2026-09-25 (2 to greet)" in cli(
        "greetings", "--date", "2026-09-20").out
    assert "No holiday for greetings within 7 days of 2026-09-10" in cli(
        "greetings", "--date", "2026-09-10").out
    due = cli("due", "--date", "2026-09-20")
    assert "Holiday greetings (2)" in due.out


def test_logging_with_greeting_settles_the_holiday(greetings_cli):
    cli = greetings_cli
    logged = cli("log", "张三", "--summary", "中秋快乐", "--channel", "wechat",
                 "--at", "2026-09-20 10:00", "--greeting")
    assert logged.code == 0, logged.err
    items = cli("greetings", "--date", "2026-09-20", "--json").json()
    assert [i["customer"] for i in items] == ["Li Si"]


def test_without_holidays_it_says_how_to_set_them(cli):
    result = cli("greetings")
    assert result.code == 0
    assert "[greetings] holidays" in result.out
    assert cli("greetings", "--json").json() == []
