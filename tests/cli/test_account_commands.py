"""`crmtui contact`, `crmtui plan`, `crmtui log --contact` and `crmtui survey` run in-process
through `crmtui.cli.main`, as a user types them: output, JSON contracts, one-line errors."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import pytest

from crmtui.cli import main


@dataclass
class Ran:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def crm(tmp_path, capsys):
    db = tmp_path / "crm.sqlite3"

    def run(*argv: str, user: str = "boss") -> Ran:
        code = main(["--db", str(db), *argv], login=user)
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    run.db = db
    return run


def one_line(ran: Ran, *fragments: str) -> None:
    assert ran.code == 1, ran
    assert ran.out == ""
    lines = ran.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("crmtui: "), ran.err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture
def huaxin(crm) -> int:
    ran = crm("add", "重庆华信", "--company", "重庆华信科技", "--json")
    assert ran.code == 0, ran.err
    assert crm("user", "add", "rita", "--name", "Rita").code == 0
    return ran.json()["id"]


def test_contacts_from_the_shell(crm, huaxin):
    added = crm("contact", "add", str(huaxin), "李明", "--role", "decision_maker", "--title",
                "总经理", "--department", "管理层", "--phone", "138 1234 5678", "--phone",
                "023 6666 1234", "--email", "li@example.cn", "--birthday", "1975-03-15",
                "--notes", "管预算", "--json")
    assert added.code == 0, added.err
    contact = added.json()
    assert {k: contact[k] for k in ("name", "role", "phones", "birthday")} == {
        "name": "李明", "role": "decision_maker", "phones": ["138 1234 5678", "023 6666 1234"],
        "birthday": "1975-03-15"}
    assert crm("contact", "add", "重庆华信", "王芳", "--role", "purchaser").code == 0
    listed = crm("contact", "list", "重庆华信", "--json").json()
    assert [(c["name"], c["role"]) for c in listed] == [("李明", "decision_maker"),
                                                        ("王芳", "purchaser")]
    assert set(listed[0]) == {"id", "customer_id", "name", "role", "title", "department",
                              "phones", "email", "im_id", "birthday", "notes"}
    edited = crm("contact", "edit", str(contact["id"]), "--title", "", "--role", "influencer",
                 "--json").json()
    assert (edited["title"], edited["role"], edited["department"]) == ("", "influencer", "管理层")
    table = crm("contact", "list", str(huaxin))
    assert table.code == 0 and "李明" in table.out and "influencer" in table.out
    assert crm("find", "liming", "--json").json()[0]["id"] == huaxin
    removed = crm("contact", "rm", str(contact["id"]))
    assert removed.code == 0 and "removed" in removed.out
    assert [c["name"] for c in crm("contact", "list", str(huaxin), "--json").json()] == ["王芳"]


def test_bad_contacts_get_one_line(crm, huaxin):
    one_line(crm("contact", "add", str(huaxin), "  "), "name", "required")
    one_line(crm("contact", "add", str(huaxin), "Li", "--role", "boss"), "role",
             "decision_maker, influencer, purchaser, user, other")
    one_line(crm("contact", "edit", "42", "--title", "x"), "no contact with id 42")
    one_line(crm("contact", "edit", "abc", "--title", "x"), "not a contact id")
    one_line(crm("contact", "list", "nobody"), "no customer matches")
    one_line(crm("contact", "add", str(huaxin), "Li", user="rita"), "no customer with id")
    assert crm("contact", "list", str(huaxin), "--json").json() == []


def test_logging_with_the_contact_spoken_to(crm, huaxin):
    crm("contact", "add", str(huaxin), "李明")
    logged = crm("log", str(huaxin), "--summary", "谈了预算", "--contact", "lm", "--json")
    assert logged.code == 0, logged.err
    assert logged.json()["contact"] == "李明"
    one_line(crm("log", str(huaxin), "--summary", "x", "--contact", "Nobody"),
             "contact", "no contact 'Nobody'")
    shown = crm("show", str(huaxin), "--json").json()
    assert [i["summary"] for i in shown["interactions"]] == ["谈了预算"]


def test_plans_from_the_shell(crm, huaxin):
    made = crm("plan", "set", str(huaxin), "--products", "专业版软件", "--target-amount", "200000",
               "--target-volume", "40", "--visit-every", "30", "--services", "季度回顾",
               "--strengths", "技术", "--weaknesses", "价格", "--opportunities", "新厂",
               "--threats", "竞品", "--review", "+1m", "--json")
    assert made.code == 0, made.err
    plan = made.json()
    assert {k: plan[k] for k in ("products", "target_amount", "target_volume",
                                 "visit_every_days", "threats")} == {
        "products": "专业版软件", "target_amount": "200000.00", "target_volume": 40,
        "visit_every_days": 30, "threats": "竞品"}
    assert set(plan["year"]) == {"year", "ordered", "share", "visits", "expected_visits"}
    assert crm("plan", "set", str(huaxin), "--progress", "签了框架协议").code == 0
    shown = crm("plan", "show", "重庆华信", "--json").json()
    assert [n["text"] for n in shown["progress"]] == ["签了框架协议"]
    text = crm("plan", "show", str(huaxin))
    assert text.code == 0 and "专业版软件" in text.out and "签了框架协议" in text.out
    one_line(crm("plan", "set", str(huaxin), "--visit-every", "0"), "visit_every_days",
             "at least one day")
    one_line(crm("plan", "set", str(huaxin), "--target-amount", "-1"), "must not be negative")
    assert crm("plan", "show", str(huaxin), "--json").json()["visit_every_days"] == 30
    assert crm("plan", "rm", str(huaxin)).code == 0
    one_line(crm("plan", "show", str(huaxin)), "has no account plan")


def test_surveys_on_the_team_s_dimensions(crm, huaxin):
    config = os.environ["CRMTUI_CONFIG"]
    with open(config, "w", encoding="utf-8") as file:
        file.write('[survey]\ndimensions = ["product", "delivery", "competitors"]\n')
    ran = crm("survey", str(huaxin), "--product", "4", "--score", "competitors=2",
              "--score", "Delivery=5", "--comment", "交货快", "--json")
    assert ran.code == 0, ran.err
    assert (ran.json()["scores"], ran.json()["comment"]) == (
        {"product": 4, "competitors": 2, "delivery": 5}, "交货快")
    one_line(crm("survey", str(huaxin), "--overall", "4"), "'overall' is not a survey "
             "dimension here (configured: product, delivery, competitors)")
    one_line(crm("survey", str(huaxin), "--score", "taste"), "is not NAME=N")
    one_line(crm("survey", str(huaxin), "--product", "4", "--complaint", "7"),
             "has no complaint #7")


def test_targets_from_the_shell(crm, huaxin):
    set_ = crm("target", "set", "rita", "--month", "2026-12", "--amount", "100000",
               "--new-customers", "5", "--json")
    assert set_.code == 0, set_.err
    assert set_.json() == {"login": "rita", "period": "2026-12", "starts_on": "2026-12-01",
                           "ends_on": "2026-12-31", "amount": "100000.00", "new_customers": 5}
    assert crm("target", "set", "rita", "--quarter", "2027-Q1", "--amount", "300000").code == 0
    assert crm("target", "set", "rita", "--year", "2027", "--new-customers", "40").code == 0
    listed = crm("target", "list", "--quarter", "2027-Q1", "--json").json()
    assert (listed["period"], listed["days_left"] > 0) == ("2027-Q1", True)
    assert [r["login"] for r in listed["reps"] if r["amount"]] == ["rita"]
    one_line(crm("target", "set", "nobody", "--month", "2026-12", "--amount", "1"),
             "no user nobody")
    one_line(crm("target", "set", "rita", "--month", "2026-13", "--amount", "1"),
             "2026-13 is not a month (there is no month 13)")
    one_line(crm("target", "set", "rita", "--quarter", "2027-Q5", "--amount", "1"),
             "2027-Q5 is not a quarter (Q1 to Q4)")
    one_line(crm("target", "set", "rita", "--month", "2026-12", "--amount", "-100"),
             "must not be negative")
    one_line(crm("target", "set", "rita", "--month", "2026-12", "--amount", "1", user="rita"),
             "only a manager can set targets")
    assert crm("target", "list", "--month", "2026-12", "--json").json()["reps"][0]["amount"][
        "target"] == "100000.00"  # nothing the refusals typed was kept
    assert crm("target", "rm", "rita", "--year", "2027").code == 0


def test_stats_json_gains_the_manager_s_figures(crm, huaxin):
    crm("add", "Deal", "--need", "clear", "--close", "+20d", "--amount", "5000")
    crm("target", "set", "rita", "--month", "2026-12", "--amount", "1000")
    data = crm("stats", "--json", "--all").json()
    assert set(data) >= {"pipeline", "targets", "reps", "complaint_causes"}
    assert data["pipeline"]["by_grade"]["A"]["amount"] == "5000.00"
    assert data["pipeline"]["weights"]["defaulted"] == ["A", "B", "C", "D", "E"]
    assert set(data["targets"]) == {"month", "quarter", "year"}
    assert {row["login"] for row in data["reps"]["reps"]} >= {"boss"}
    assert crm("stats", "--json", user="rita").json()["reps"] is None  # managers only
