"""`crmtui instruct`, `crmtui instruction …`, and the instructions on `crmtui due`, run
in-process on a fixed clock: output, JSON contracts, one-line refusals that change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.cli.inprocess import run_cli
from tests.conftest import NOW


@pytest.fixture
def crm(tmp_path, clock):
    db = tmp_path / "crm.sqlite3"

    def run(*argv: str, user: str = "boss"):
        return run_cli(list(argv), db=db, clock=clock, login=user)

    run.db = db
    return run


def one_line(ran, *fragments: str, code: int = 1) -> None:
    assert ran.code == code, ran
    assert ran.out == ""
    lines = ran.err.strip().splitlines()
    assert lines and lines[-1].startswith("crmtui: "), ran.err
    if code == 1:
        assert len(lines) == 1, ran.err
    for fragment in fragments:
        assert fragment in lines[-1], lines[-1]


@pytest.fixture
def zhang(crm) -> int:
    for login in ("rita", "ray"):
        assert crm("user", "add", login).code == 0
    ran = crm("add", "张三", "--company", "华为", "--owner", "rita", "--json")
    assert ran.code == 0, ran.err
    return ran.json()["id"]


def test_instruct_list_and_done(crm, zhang, clock):
    given = crm("instruct", "rita", "张三", "Present the new price list", "--due", "+2d",
                "--json")
    assert given.code == 0, given.err
    assert given.json() == {"id": 1, "customer_id": zhang, "to": "rita",
                            "text": "Present the new price list", "due": "2026-11-25"}
    said = crm("instruct", "rita", str(zhang), "Call about the invoice", "--due", "today")
    assert said.out.strip() == "Instruction #2 to rita about 张三, due 2026-11-23"

    due = crm("due", "--json", user="rita").json()
    assert [(i["kind"], i["ref_id"], i["due"], i["detail"]) for i in due
            if i["kind"] == "instruction"] == [
        ("instruction", 2, "2026-11-23", "Call about the invoice · from boss"),
        ("instruction", 1, "2026-11-25", "Present the new price list · from boss")]
    table = crm("due", user="rita").out
    assert "Manager's instructions (2)" in table

    clock.now = NOW + timedelta(days=2)
    late = crm("instruction", "list", "--late", "--json").json()
    assert [(r["id"], r["state"], r["overdue_days"], r["to"]) for r in late] == [
        (2, "late", 2, "rita")]
    shown = crm("instruction", "list")
    assert "late by 2d" in shown.out and "Call about" in shown.out
    done = crm("instruction", "done", "2", "--note", "Called; paying Friday", "--json",
               user="rita")
    assert done.code == 0, done.err
    assert done.json()["note"] == "Called; paying Friday" and done.json()["overdue_days"] == 2
    assert [r["id"] for r in crm("instruction", "list", "--json", user="rita").json()] == [1]
    every = crm("instruction", "list", "--all", "--json").json()
    assert [(r["id"], r["state"]) for r in every] == [(1, "open"), (2, "done")]
    assert "No late instructions." in crm("instruction", "list", "--late", user="ray").out


def test_bad_instructions_end_in_one_line_and_change_nothing(crm, zhang):
    one_line(crm("instruct", "nobody", str(zhang), "x", "--due", "+1d"), "no user nobody")
    one_line(crm("instruct", "ray", str(zhang), "x", "--due", "+1d"),
             "张三 belongs to rita, not ray")
    one_line(crm("instruct", "rita", str(zhang), "x", "--due", "+1d", user="rita"),
             "only a manager can give instructions")
    one_line(crm("instruct", "rita", str(zhang), "x", "--due", "yesterday"),
             "the due date cannot be in the past")
    one_line(crm("instruct", "rita", str(zhang), "x"), "--due", code=2)
    assert crm("instruction", "list", "--all", "--json").json() == []
    one_line(crm("instruction", "done", "7"), "no instruction with id 7")
    one_line(crm("instruction", "done", "x1"), "no instruction with id x1")
    assert crm("instruct", "rita", str(zhang), "Visit", "--due", "+1d").code == 0
    one_line(crm("instruction", "done", "1", user="ray"), "no instruction with id 1")
    one_line(crm("instruction", "cancel", "1", user="rita"), "only a manager")
    assert crm("instruction", "cancel", "1").code == 0
    assert crm("instruction", "list", "--all", "--json").json() == []
