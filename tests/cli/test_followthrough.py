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


def test_order_delivered_and_paid_from_the_shell(crm, zhang, clock):
    ordered = crm("order", str(zhang), "--amount", "12000", "--product", "服务器",
                  "--deliver-on", "+1d", "--json")
    assert ordered.code == 0, ordered.err
    assert (ordered.json()["owed"], ordered.json()["deliver_on"]) == ("12000.00", "2026-11-24")
    clock.now = NOW + timedelta(days=1)
    due = crm("due", "--json", user="rita").json()
    assert [(i["kind"], i["ref_id"]) for i in due if i["kind"] == "delivery"] == [
        ("delivery", 1)]
    delivered = crm("deliver", "1", "--json", user="rita")
    assert delivered.json()["delivery"] == "delivered"
    assert delivered.json()["owed_since"] == "2026-11-24"
    paid = crm("pay", "1", "5,000", "--method", "cash", user="rita")
    assert paid.out.strip() == "Payment #1: 5,000.00 on order #1; 7,000.00 still owed on it"
    clock.now = NOW + timedelta(days=40)  # 30 days from delivery: 9 days overdue
    late = [i for i in crm("due", "--json", user="rita").json() if i["kind"] == "payment"]
    assert [(i["ref_id"], i["due"], i["overdue_days"]) for i in late] == [(1, "2026-12-24", 9)]
    assert "Payments overdue (1)" in crm("due", user="rita").out
    last = crm("pay", "1", "7000", "--date", "today", "--json", user="rita").json()
    assert (last["paid"], last["owed"], last["balance"]["owed"]) == (
        "12000.00", "0.00", "0.00")


def test_bad_payments_and_deliveries_end_in_one_line(crm, zhang):
    assert crm("order", str(zhang), "--amount", "1000").code == 0
    one_line(crm("pay", "1", "1000.01"), "1,000.01 is more than the 1,000.00 still owed")
    one_line(crm("pay", "1", "--", "-5"), "must not be negative")
    one_line(crm("pay", "9", "5"), "no order with id 9")
    one_line(crm("pay", "1", "5", user="ray"), "no order with id 1")
    one_line(crm("deliver", "1", "--date", "+1d"), "cannot be in the future")
    one_line(crm("deliver", "1", "--partly", "--returned"), "not allowed with", code=2)
    assert crm("deliver", "1", "--returned").code == 0
    one_line(crm("deliver", "1"), "order #1 is already returned")
    one_line(crm("pay", "1", "5"), "nothing is owed on order #1")


def test_an_order_past_the_credit_limit_needs_over_limit(crm, zhang):
    from crmtui.services.context import open_context
    from crmtui.services.customers import update_customer

    ctx = open_context(crm.db, login="boss")
    update_customer(ctx, zhang, {"credit_limit": "10000"})
    ctx.store.close()
    assert crm("order", str(zhang), "--amount", "9000").code == 0
    one_line(crm("order", str(zhang), "--amount", "1500", user="rita"),
             "past their credit limit of 10,000.00 by 500.00", "--over-limit")
    assert len(crm("show", str(zhang), "--json").json()["orders"]) == 1
    assert crm("order", str(zhang), "--amount", "1500", "--yes", user="rita").code == 0
    assert len(crm("show", str(zhang), "--json").json()["orders"]) == 2
