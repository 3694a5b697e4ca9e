"""`crmtui edit KIND ID`, `crmtui rm KIND ID` and the ids `crmtui show` prints, in-process on
a fixed clock."""

from __future__ import annotations

import re

import pytest

from tests.cli.inprocess import run_cli


@pytest.fixture
def crm(tmp_path, clock):
    database = tmp_path / "crm.sqlite3"

    def crm(*argv: str, login: str = "boss"):
        return run_cli(list(argv), db=database, clock=clock, login=login)

    return crm


def ok(result):
    assert result.code == 0, result.err
    return result


def refused(result, message: str, code: int = 1) -> None:
    assert result.code == code, (result.out, result.err)
    lines = result.err.strip().splitlines()
    assert lines[-1].startswith("crmtui: ") and message in lines[-1], lines


@pytest.fixture
def lead(crm) -> dict:
    """张三 with a clear need closing in ten days, a call, an order, a promise, a care date and
    a survey: the ids of each."""
    customer = ok(crm("add", "张三", "--need", "clear", "--close", "+10d")).out.strip()
    call = ok(crm("log", customer, "--summary", "first call", "--next", "+3d", "--json")).json()
    order = ok(crm("order", customer, "--amount", "800", "--json")).json()
    ok(crm("promise", customer, "send samples", "--due", "+2d"))
    ok(crm("care", customer, "03-15"))
    ok(crm("survey", customer, "--overall", "5"))
    shown = ok(crm("show", customer, "--json")).json()
    return {"customer": customer, "interaction": call["id"], "order": order["id"],
            "promise": shown["promises"][0]["id"], "care": shown["care_dates"][0]["id"],
            "survey": shown["surveys"][0]["id"]}


def test_show_prints_the_id_of_every_record_edit_and_rm_take(crm, lead):
    out = ok(crm("show", lead["customer"])).out
    for title in ("Interactions", "Orders", "Promises", "Care dates", "Surveys"):
        assert title in out
    for kind, text in (("interaction", "first call"), ("order", "800.00"),
                       ("promise", "send samples"), ("care", "03-15"), ("survey", "overall 5")):
        line = next(line for line in out.splitlines() if text in line and "│" in line)
        assert re.match(rf"\s*{lead[kind]} ", line), (kind, line)


def test_edit_an_order_and_the_figures_follow(crm, lead):
    edited = ok(crm("edit", "order", str(lead["order"]), "--quantity", "3", "--amount", "1200",
                    "--json")).json()
    assert (edited["quantity"], edited["amount"], edited["version"]) == (3, "1200.00", 2)
    shown = ok(crm("show", lead["customer"], "--json")).json()
    assert shown["revenue"] == "1200.00"
    assert shown["wins"][0]["amount"] == "1200.00"
    assert ok(crm("edit", "order", str(lead["order"]), "--note", "rush")).out.strip() == \
        f"Order #{lead['order']} saved"


def test_rm_the_sale_and_the_grade_and_need_move_back(crm, lead):
    assert ok(crm("show", lead["customer"], "--json")).json()["grade"] == "D"
    out = ok(crm("rm", "order", str(lead["order"]))).out
    assert out.strip() == f"Order #{lead['order']} of 张三 removed"
    shown = ok(crm("show", lead["customer"], "--json")).json()
    assert (shown["grade"], shown["need"], shown["revenue"], shown["orders"]) == \
        ("A", "clear", "0", [])


def test_every_kind_is_edited_and_removed(crm, lead):
    ok(crm("edit", "interaction", str(lead["interaction"]), "--summary", "first visit",
           "--channel", "visit", "--next", ""))
    ok(crm("edit", "promise", str(lead["promise"]), "--status", "done"))
    ok(crm("edit", "care", str(lead["care"]), "--date", "08-15", "--lunar"))
    ok(crm("edit", "survey", str(lead["survey"]), "--overall", "4", "--comment", "good"))
    shown = ok(crm("show", lead["customer"], "--json")).json()
    assert shown["interactions"][0]["summary"] == "first visit"
    assert shown["interactions"][0]["next_on"] is None
    assert shown["promises"][0]["status"] == "done"
    assert (shown["care_dates"][0]["month"], shown["care_dates"][0]["lunar"]) == (8, True)
    assert shown["surveys"][0]["scores"] == {"overall": 4}
    for kind in ("interaction", "promise", "care", "survey", "order"):
        removed = ok(crm("rm", kind, str(lead[kind]), "--json")).json()
        assert removed == {"record": kind, "id": lead[kind],
                           "customer_id": int(lead["customer"]), "removed": True}
    shown = ok(crm("show", lead["customer"], "--json")).json()
    assert [shown[k] for k in ("interactions", "orders", "promises", "care_dates", "surveys")] \
        == [[]] * 5


def test_bad_input_gets_one_line_and_changes_nothing(crm, lead):
    before = ok(crm("show", lead["customer"], "--json")).out
    order = str(lead["order"])
    refused(crm("edit", "order", order, "--quantity", "x"), "quantity: 'x' is not a whole number")
    refused(crm("edit", "order", order, "--date", "+2d"), "cannot be in the future")
    refused(crm("edit", "order", order), "say what to change")
    refused(crm("edit", "order", "#99999"), "no order with id 99999")
    refused(crm("edit", "care", str(lead["care"]), "--date", "02-30"), "not a day of the year")
    refused(crm("edit", "care", str(lead["care"]), "--date", "0230"), "is not MM-DD")
    refused(crm("edit", "survey", str(lead["survey"]), "--score", "x"), "is not NAME=N")
    refused(crm("rm", "order", "abc"), "'abc' is not an id")
    refused(crm("rm", "complaint", "1"), "invalid choice", code=2)
    assert ok(crm("show", lead["customer"], "--json")).out == before
    ok(crm("rm", "order", order))
    refused(crm("edit", "order", order, "--quantity", "2"),
            f"order #{order} was deleted by boss at 2026-11-23 10:00; nothing was changed")


def test_another_reps_record_is_no_record_of_theirs(crm, lead):
    ok(crm("user", "add", "rita", "--role", "rep"))
    refused(crm("rm", "order", str(lead["order"]), login="rita"),
            f"no order with id {lead['order']}")
    refused(crm("edit", "interaction", str(lead["interaction"]), "--summary", "x", login="rita"),
            f"no interaction with id {lead['interaction']}")


def test_undo_shows_what_it_would_undo_then_undoes_the_last_command_line_change(crm, lead):
    before = ok(crm("show", lead["customer"], "--json")).json()
    ok(crm("log", lead["customer"], "--summary", "second call", "--next", "+5d"))
    assert ok(crm("undo", "--dry-run")).out.strip() == "Would undo: log for 张三 at 10:00"
    assert ok(crm("show", lead["customer"], "--json")).json()["interactions"][0]["summary"] == \
        "second call"
    assert ok(crm("undo")).out.strip() == "Undone: log for 张三 at 10:00"
    after = ok(crm("show", lead["customer"], "--json")).json()
    for name in ("next_due", "followups", "interactions", "grade", "next_step"):
        assert after[name] == before[name], name
    undone = ok(crm("undo", "--json")).json()  # the survey before it
    assert (undone["action"], undone["undone"]) == ("survey", True)


def test_undo_with_nothing_to_undo_and_undo_refused_say_why(crm, lead):
    ok(crm("user", "add", "rita", "--role", "rep"))
    refused(crm("undo", login="rita"), "nothing to undo: you have changed nothing from the "
                                       "command line")
    ok(crm("edit", "interaction", str(lead["interaction"]), "--summary", "fixed"))
    ok(crm("user", "add", "ming", "--role", "manager"))
    ok(crm("edit", "interaction", str(lead["interaction"]), "--summary", "fixed again",
           login="ming"))
    refused(crm("undo"), f"cannot undo: interaction #{lead['interaction']} was changed by ming "
                         "at 2026-11-23 10:00 since; nothing was undone")


def test_history_lists_who_changed_what(crm, lead):
    ok(crm("edit", "order", str(lead["order"]), "--quantity", "3"))
    out = ok(crm("history", lead["customer"])).out
    first = out.splitlines()[:2]
    assert first[0].startswith("2026-11-23 10:00  boss  edit · order #")
    assert first[0].endswith("(command line)")
    assert first[1].strip() == "quantity: 1 → 3"
    assert f"interaction #{lead['interaction']} added: first call" in out
    entries = ok(crm("history", lead["customer"], "--json")).json()
    assert entries[0]["changes"] == [{"record": "order", "id": lead["order"],
                                      "field": "quantity", "old": 1, "new": 3}]
    assert (entries[0]["by"], entries[0]["origin"], entries[0]["action"]) == \
        ("boss", "cli", "edit")
    refused(crm("history", "nobody-at-all"), "no customer matches 'nobody-at-all'")


def test_assign_gives_a_customer_to_another_owner_named_by_login_or_name(crm, lead):
    ok(crm("user", "add", "wang.fang", "--name", "王芳", "--role", "rep"))
    assert ok(crm("assign", lead["customer"], "王芳")).out.strip() == \
        "张三: owner 王芳 (wang.fang)"
    assert ok(crm("show", lead["customer"], "--json")).json()["owner"] == "wang.fang"
    assert "owner 王芳 (wang.fang)" in ok(crm("show", lead["customer"])).out
    assert ok(crm("assign", lead["customer"], "boss", "--json")).json()["owner"] == "boss"
    refused(crm("assign", lead["customer"], "nobody"), "no user nobody")
    refused(crm("assign", lead["customer"], "boss", login="wang.fang"),
            "no customer with id")  # not theirs any more: a rep sees only their own
    ok(crm("assign", lead["customer"], "wang.fang"))
    refused(crm("assign", lead["customer"], "boss", login="wang.fang"),
            "only a manager can reassign customers")
    history = ok(crm("history", lead["customer"])).out
    assert "owner: boss → wang.fang" in history
    assert ok(crm("undo")).out.strip().startswith("Undone: reassign for 张三")
    assert ok(crm("show", lead["customer"], "--json")).json()["owner"] == "boss"
