"""The command line after the sale, in-process: orders that close opportunities, `status`,
`class`, `show` and `due` in text and JSON, `stats --json`, and bad input."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from crmtui.cli import main


@pytest.fixture
def run(tmp_path, capsys):
    database = str(tmp_path / "crm.sqlite3")

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            code = main(["--db", database, *argv], login="boss")
        except SystemExit as stop:  # usage errors: argparse exits
            code = stop.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def as_json(result) -> object:
    code, out, err = result
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def lead(run) -> str:
    assert run("add", "张三", "--need", "clear", "--close", "+3w")[0] == 0
    for summary, extra in (("first", ()), ("inbound", ("--direction", "in")),
                           ("nobody", ("--outcome", "no_answer")), ("quote", ())):
        assert run("log", "1", "--summary", summary, *extra)[0] == 0
    return "1"


def test_an_order_closes_the_opportunity_and_show_tells_it(run, lead):
    order = as_json(run("order", lead, "--amount", "12000", "--json"))
    assert order["win"]["followups"] == 1  # the quote; inbound and unanswered calls don't count
    assert (order["need"], order["expected_close"], order["grade"]) == ("potential", None, "D")
    assert (order["lifecycle"], order["value_class"]) == ("customer", "key")
    shown = as_json(run("show", lead, "--json"))
    assert shown["lifecycle"] == "customer"
    assert shown["value_class"] == {"class": "key", "pinned": False, "reason": ""}
    assert shown["maintenance"] == {"source": "class", "cadence": "weekly", "every_days": None}
    assert shown["wins"] == [{"date": date.today().isoformat(), "amount": "12000.00",
                              "followups": 1, "order_id": order["id"]}]
    assert shown["due_rule"] == "class"
    code, out, _err = run("show", lead)
    assert code == 0
    assert "Lifecycle" in out and "customer" in out
    assert "key customer · weekly visit" in out
    assert "after 1 follow-up" in out


def test_next_close_keeps_the_next_opportunity(run, lead):
    close = (date.today() + timedelta(days=60)).isoformat()
    order = as_json(run("order", lead, "--amount", "500", "--next-close", close, "--json"))
    assert (order["need"], order["expected_close"]) == ("clear", close)


@pytest.mark.parametrize(("argv", "code", "message"), [
    (("order", "1", "--amount", "10", "--next-close", "2000-01-01"), 1,
     "cannot be in the past"),
    (("order", "1", "--amount", "10", "--date", (date.today() - timedelta(days=30)).isoformat()),
     1, "before the customer was added"),
    (("status", "1", "terminated"), 1, "a reason is required"),
    (("status", "1", "lapsed", "--reason", "x"), 2, "invalid choice"),
    (("status", "1", "active", "--reason", "x"), 1, "is not terminated"),
    (("class", "1", "vip", "--reason", "x"), 2, "invalid choice"),
    (("class", "1", "key"), 1, "a reason is required"),
    (("class", "1"), 1, "or --unpin"),
    (("class", "1", "--unpin"), 1, "is not pinned"),
])
def test_bad_input_is_one_clear_message_and_changes_nothing(run, lead, argv, code, message):
    before = as_json(run("show", lead, "--json"))
    found, out, err = run(*argv)
    assert found == code
    assert message in err and "Traceback" not in err
    assert len([line for line in err.splitlines() if line.startswith("crmtui:")]) == 1
    after = as_json(run("show", lead, "--json"))
    assert after == before


def test_status_terminated_and_back(run, lead):
    done = as_json(run("status", lead, "terminated", "--reason", "went with a competitor",
                       "--json"))
    assert (done["lifecycle"], done["lifecycle_reason"], done["status"]) == (
        "terminated", "went with a competitor", "terminated")
    assert as_json(run("due", "--json")) == []
    code, out, _err = run("show", lead)
    assert "terminated (went with a competitor)" in out
    back = as_json(run("status", lead, "active", "--reason", "they came back", "--json"))
    assert back["lifecycle"] == "prospect"
    history = as_json(run("show", lead, "--json"))["lifecycle_history"]
    assert [(h["to"], h["reason"]) for h in history] == [
        ("prospect", "they came back"), ("terminated", "went with a competitor")]


def test_class_by_judgement_and_unpin(run, lead):
    run("order", lead, "--amount", "100")
    pinned = as_json(run("class", lead, "ordinary", "--reason", "a small account", "--json"))
    assert pinned["value_class"] == {"class": "ordinary", "pinned": True,
                                     "reason": "a small account"}
    shown = as_json(run("show", lead, "--json"))
    assert shown["maintenance"]["cadence"] == "monthly"
    unpinned = as_json(run("class", lead, "--unpin", "--json"))
    assert unpinned["value_class"] == {"class": "key", "pinned": False, "reason": ""}


def test_due_lists_win_backs_and_the_brief_counts_them(run, tmp_path):
    from crmtui.db import Customer, Order, open_store

    assert run("add", "Drifter")[0] == 0
    assert run("order", "1", "--amount", "5000")[0] == 0
    # the order and the customer as they would be after 200 days without another
    store = open_store(tmp_path / "crm.sqlite3")
    long_ago = date.today() - timedelta(days=200)
    Order.update(on=long_ago).execute()
    Customer.update(last_order_on=long_ago, created_on=long_ago - timedelta(days=1),
                    next_due=long_ago, referral_moment_on=long_ago).execute()
    store.close()
    items = as_json(run("due", "--json"))
    assert [(i["kind"], i["customer"]) for i in items] == [("win_back", "Drifter")]
    assert items[0]["detail"].startswith(f"no order since {long_ago.isoformat()}")
    code, out, _err = run("due", "--brief")
    assert out.strip() == "0 due, 1 to win back"
    code, out, _err = run("due")
    assert "Win back (1)" in out


def test_stats_json_has_retention_lapsed_and_both_follow_up_figures(run, lead):
    run("order", lead, "--amount", "100")
    data = as_json(run("stats", "--json"))
    assert data["followup_stages"]["1"] == {"wins": 1, "share": 1.0, "reference": 3}
    assert set(data["open_stages"]["first"]) == {"customers", "share"}
    assert data["retention"]["previous_buyers"] == 0
    assert data["lapsed"] == {"customers": 0, "revenue_last_year": "0.00"}
    code, out, _err = run("stats")
    assert "Wins by the follow-up at which they closed" in out
    assert "Open customers by follow-ups so far" in out
    # the screen's panel, printed: retention over the period and the lapsed customers
    assert "Keeping customers" in out and "retention: of 0 buyers" in out
    assert "0 lapsed, to win back" in out
