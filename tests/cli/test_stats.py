"""`crmtui stats`, `crmtui report` and `crmtui survey` as a user runs them (in-process, on the
test's clock), on data made through the services at fixed times before it."""

from __future__ import annotations

import sqlite3
from datetime import datetime, time, timedelta, timezone

import pytest

from crmtui.db import User
from crmtui.services.complaints import acknowledge, open_complaint
from crmtui.services.customers import add_customer, regrade
from crmtui.services.interactions import log_interaction, record_order
from crmtui.services.surveys import record_survey
from tests.cli.test_commands import assert_one_clear_line
from tests.conftest import Clock, as_user, make_context


@pytest.fixture
def shop(cli, clock):
    """Made ten days ago: 张三 (referral, pinned A three days ago, 800 in orders), Li
    (canvass, 200), and rita's Ray (pinned B two days ago). A critical complaint about Li
    answered in ten minutes yesterday; a survey of 张三 now; the manager called Li today."""
    now = clock.now
    today = now.date()
    clock = Clock(datetime.combine(today - timedelta(days=10), time(9), timezone.utc))
    ctx = make_context(cli.db, clock)
    User.create(login="rita", display_name="Rita", role="rep", created_at=clock.now)
    rita = as_user(ctx, "rita")
    zhang = add_customer(ctx, {"name": "张三", "source": "referral"}).id
    li = add_customer(ctx, {"name": "Li", "source": "canvass"}).id
    ray = add_customer(rita, {"name": "Ray"}).id
    clock.now = datetime.combine(today - timedelta(days=3), time(9), timezone.utc)
    regrade(ctx, zhang, pin="A", reason="decision this month")
    clock.now = datetime.combine(today - timedelta(days=2), time(9), timezone.utc)
    regrade(rita, ray, pin="B", reason="budget approved")
    clock.now = datetime.combine(today - timedelta(days=1), time(10), timezone.utc)
    record_order(ctx, zhang, amount="800")
    record_order(ctx, li, amount="200")
    complaint = open_complaint(ctx, li, "critical", "device stops")
    clock.now += timedelta(minutes=10)
    acknowledge(ctx, complaint.id, "+2h")
    clock.now = now
    record_survey(ctx, zhang, {"overall": 4, "product": 5})
    log_interaction(ctx, li, summary="asked about the second unit")
    ctx.store.close()
    return {"zhang": zhang, "li": li, "ray": ray}


def test_stats_json_for_the_team(cli, shop):
    result = cli("stats", "--json", "--all", "--period", "7")
    assert result.code == 0, result.err
    data = result.json()
    assert data["grades"] == {"A": 1, "B": 1, "C": 0, "D": 1, "E": 0}
    assert {k: data["movement"][k] for k in ("promotions", "demotions", "new", "promoted",
                                            "demoted")} == {
        "promotions": 2, "demotions": 0, "new": 0, "promoted": [shop["zhang"], shop["ray"]],
        "demoted": []}
    assert data["open_stages"]["first"]["customers"] == 3
    # both sales were repeat orders (no clear need): no win to place beside the reference
    assert data["followup_stages"]["first"] == {"wins": 0, "share": None, "reference": 2}
    assert data["followup_stages"]["4-11"]["reference"] == 80
    assert data["retention"]["previous_buyers"] == 0
    assert data["lapsed"]["customers"] == 0
    assert data["key_customers"] == [shop["zhang"]]  # 800 of 1000: exactly 80%
    assert data["key_share"] == 0.8
    assert data["conversion_by_source"] == {
        "canvass": {"customers": 1, "won": 1, "rate": 1.0},
        "referral": {"customers": 1, "won": 1, "rate": 1.0},
        "": {"customers": 1, "won": 0, "rate": 0.0}}
    assert data["csi"][-1]["csi"] == 87.5  # 4 and 5
    assert (data["sla"]["opened"], data["sla"]["response"]["met"]) == (1, 1)
    assert data["overdue_by_rep"] == {"boss": 1, "rita": 1}  # 张三 and Ray never called

    month = cli("stats", "--json", "--all", "--period", "30").json()
    assert month["movement"]["new"] == 3


def test_stats_json_lists_every_customer_at_risk_where_the_dashboard_carries_the_first(
    cli, shop, monkeypatch
):
    monkeypatch.setattr("crmtui.services.stats.AT_RISK_CARRIED", 1)
    data = cli("stats", "--json", "--all").json()
    assert data["at_risk_count"] == len(data["at_risk"]) == 2
    assert [row["customer"] for row in data["at_risk"]] == ["张三", "Ray"]


def test_stats_json_is_scoped_to_the_user(cli, shop):
    rep = cli("stats", "--json", "--all", user="rita").json()
    assert rep["grades"] == {"A": 0, "B": 1, "C": 0, "D": 0, "E": 0}
    assert rep["key_customers"] == [] and rep["key_share"] is None
    mine = cli("stats", "--json").json()  # the manager's own customers
    assert mine["grades"]["B"] == 0 and mine["team"] is False


def test_stats_as_text(cli, shop):
    result = cli("stats", "--all")
    assert result.code == 0, result.err
    for text in ("Customers per grade", "Grade × rep", "Wins by the follow-up",
                 "Open customers by follow-ups", "Keeping customers", "retention: of", "lapsed, to win back",
                 "Revenue 80/20",
                 "1 key customers of 2", "Conversion by source", "CSI", "service levels"):
        assert text in result.out
    assert result.err == ""


def test_a_period_other_than_7_30_90_is_a_usage_error(cli):
    result = cli("stats", "--period", "14")
    assert result.code == 2 and "invalid choice" in result.err


def test_daily_report_json_and_text(cli, shop):
    data = cli("report", "daily", "--json").json()
    assert [d["customer"] for d in data["done"]] == ["Li"]
    assert data["kind"] == "daily" and data["start"] == data["end"] == data["date"]
    assert {item["customer"] for item in data["plan"]} >= {"张三"}
    text = cli("report", "daily")
    assert text.code == 0, text.err
    for section in ("Daily report", "Done (1)", "Missed", "Promises kept", "New complaints",
                    "Grade changes", "Orders", "Plan for"):
        assert section in text.out


def test_weekly_report_covers_monday_to_the_day(cli, shop):
    data = cli("report", "weekly", "--json").json()
    today = datetime.fromisoformat(data["date"]).date()
    assert data["start"] == (today - timedelta(days=today.weekday())).isoformat()
    assert data["end"] == today.isoformat()


@pytest.mark.parametrize(("options", "start"), [
    (("--format", "html", "-o", "{dir}/day.html"), "<!DOCTYPE html>"),
    (("-o", "{dir}/day.html"), "<!DOCTYPE html>"),
    (("--format", "svg", "-o", "{dir}/day.svg"), "<svg"),
])
def test_a_report_written_as_a_file_for_mailing(cli, shop, tmp_path, options, start):
    options = [o.format(dir=tmp_path) for o in options]
    result = cli("report", "daily", *options)
    assert result.code == 0, result.err
    path = tmp_path / options[-1].rsplit("/", 1)[1]
    assert str(path) in result.out
    assert path.stat().st_mode & 0o777 == 0o600  # customer data: private, as every export
    assert list(tmp_path.glob(".*.tmp")) == []
    content = path.read_text(encoding="utf-8")
    assert content.lstrip().startswith(start)
    assert "Daily report" in content.replace("&#160;", " ") and "Li" in content
    with sqlite3.connect(cli.db) as connection:
        assert connection.execute(
            "SELECT action, entity FROM audit_log WHERE detail LIKE ?", (f"%{path}%",)
        ).fetchall() == [("export", "report")]


@pytest.mark.parametrize(("fmt", "start"), [("html", "<!DOCTYPE html>"), ("svg", "<svg")])
def test_a_report_without_a_file_goes_to_standard_output_as_export_does(cli, shop, tmp_path,
                                                                        fmt, start, monkeypatch):
    monkeypatch.chdir(tmp_path)
    done = cli("report", "weekly", "--format", fmt)
    assert done.code == 0, done.err
    assert done.out.lstrip().startswith(start) and "Weekly report" in done.out.replace(
        "&#160;", " ")
    assert not list(tmp_path.glob("report-*")) and not list(tmp_path.glob(".*.tmp"))
    with sqlite3.connect(cli.db) as connection:
        assert connection.execute(
            "SELECT action, entity FROM audit_log WHERE detail LIKE '%standard output'"
        ).fetchall() == [("export", "report")]


@pytest.mark.parametrize(("args", "fragments"), [
    (("--date", "2026-13-45"), ("date",)),
    (("--date", "someday"), ("date", "someday")),
    (("--date", "+3d"), ("has not come yet",)),
    (("-o", "{dir}/day.txt"), ("--format html",)),
    (("--json", "-o", "{dir}/day.html"), ("not JSON",)),
    (("-o", "{dir}/missing/day.html"), ("no directory",)),
])
def test_bad_report_options_get_one_clear_line(cli, shop, tmp_path, args, fragments):
    args = [a.format(dir=tmp_path) for a in args]
    assert_one_clear_line(cli("report", "daily", *args), *fragments)


def test_json_and_a_file_format_together_are_a_usage_error(cli):
    result = cli("report", "daily", "--json", "--format", "html")
    assert result.code == 2 and "not allowed with" in result.err


def test_survey_from_the_shell(cli, shop):
    result = cli("survey", "张三", "--service", "5", "--value", "3", "--json")
    assert result.code == 0, result.err
    assert {k: result.json()[k] for k in ("customer_id", "service", "value")} == {
        "customer_id": shop["zhang"], "service": 5, "value": 3}
    assert_one_clear_line(cli("survey", "张三", "--overall", "9"), "overall", "between 1 and 5")
    assert_one_clear_line(cli("survey", "张三"), "at least one score")


def test_text_that_looks_like_markup_is_printed_as_typed(cli):
    assert cli("add", "[red]Mallory[/]", "--company", "[/] Ltd").code == 0
    assert cli("log", "[red]Mallory[/]", "--summary", "said [bold]no[/]").code == 0
    report = cli("report", "daily")
    assert report.code == 0, report.err
    assert "[red]Mallory[/]" in report.out and "said [bold]no[/]" in report.out
    assert "– → D" in report.out  # a new customer's first grade comes from none
    assert cli("stats").code == 0
