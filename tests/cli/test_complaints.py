"""`crmtui complaint …` (in-process, on the test's clock): each command, its JSON, one clear
line per bad input."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from tests.cli.test_commands import assert_one_clear_line


def add_users(cli, *users: tuple[str, str]) -> None:
    with sqlite3.connect(cli.db) as connection:
        for login, role in users:
            connection.execute(
                'INSERT INTO "user" (login, display_name, role, active, created_at) '
                "VALUES (?, ?, ?, 1, '2026-01-01 00:00:00')", (login, login.title(), role))


@pytest.fixture
def customer(cli) -> int:
    added = cli("add", "张三", "--company", "重庆华信", "--json")
    assert added.code == 0, added.err
    return added.json()["id"]


def opened(cli, severity="high", *extra) -> dict:
    result = cli("complaint", "add", "张三", "--severity", severity, "--summary", "发货延迟一周",
                 *extra, "--json")
    assert result.code == 0, result.err
    return result.json()


def test_a_complaint_from_intake_to_close(cli, customer):
    complaint = opened(cli, "high", "--channel", "wechat", "--category", "delivery",
                       "--description", "ordered on the 1st")
    cid = str(complaint["id"])
    opened_at = datetime.fromisoformat(complaint["opened_at"])
    assert (complaint["customer_id"], complaint["customer"], complaint["status"],
            complaint["owner"], complaint["sla_state"], complaint["channel"]) == (
        customer, "张三", "new", None, "ok", "wechat")
    assert datetime.fromisoformat(complaint["respond_by"]) == opened_at + timedelta(hours=4)
    assert datetime.fromisoformat(complaint["resolve_by"]) == opened_at + timedelta(days=3)

    profile = cli("show", "张三")
    complaints = profile.out[profile.out.index("Complaints"):]  # the profile's section
    row = next(line for line in complaints.splitlines() if "发货延迟一周" in line)
    assert " high " in row and " new " in row
    assert cli("show", "张三", "--json").json()["complaints"][0]["id"] == complaint["id"]
    listed = cli("complaint", "list", "--json").json()
    assert [c["id"] for c in listed] == [complaint["id"]]
    assert set(listed[0]) >= {"id", "customer_id", "customer", "severity", "status", "owner",
                              "opened_at", "respond_by", "resolve_by", "sla_state",
                              "time_left_seconds"}
    assert 4 * 3600 - 60 <= listed[0]["time_left_seconds"] <= 4 * 3600

    acked = cli("complaint", "ack", cid, "--promise", "+4h", "--json").json()
    assert (acked["status"], acked["owner"]) == ("acknowledged", "boss")
    promised = datetime.fromisoformat(acked["promised_at"])
    assert timedelta(hours=3, minutes=59) <= promised - opened_at <= timedelta(hours=4, minutes=1)
    assert cli("complaint", "work", cid).out.startswith(f"Complaint #{cid} in progress")
    waiting = cli("complaint", "wait", cid, "--note", "asked for photos")
    assert "paused" in waiting.out
    assert cli("complaint", "list", "--json").json()[0]["paused"] is True
    assert cli("complaint", "work", cid, "--json").json()["status"] == "in_progress"
    assert cli("complaint", "severity", cid, "critical", "--json").json()["severity"] == "critical"
    assert cli("complaint", "note", cid, "customer sent photos").code == 0
    resolved = cli("complaint", "resolve", cid, "--note", "resent the order", "--cause",
                   "warehouse backlog", "--json").json()
    assert resolved["status"] == "resolved"
    assert cli("complaint", "list", "--json").json() == []  # the queue holds open ones
    closed = cli("complaint", "close", cid, "--satisfaction", "5")
    assert closed.out.strip() == f"Complaint #{cid} closed (satisfaction 5/5)"
    assert [c["status"] for c in cli("complaint", "list", "--all", "--json").json()] == ["closed"]

    shown = cli("complaint", "show", cid, "--json").json()
    assert (shown["resolution"], shown["root_cause"], shown["satisfaction"]) == (
        "resent the order", "warehouse backlog", 5)
    assert [(e["kind"], e["to"]) for e in shown["events"]] == [
        ("opened", "new"), ("status", "acknowledged"), ("promise", acked["promised_at"]),
        ("owner", "boss"), ("status", "in_progress"), ("status", "waiting_customer"),
        ("status", "in_progress"), ("severity", "critical"), ("note", ""),
        ("status", "resolved"), ("status", "closed")]
    assert [e["note"] for e in shown["events"]][-3:] == [
        "customer sent photos", "resent the order · root cause: warehouse backlog",
        "satisfaction 5/5"]
    # the satisfied customer is now due a referral ask
    assert [i["kind"] for i in cli("due", "--json").json()] == ["follow_up", "referral"]

    reopened = cli("complaint", "reopen", cid, "--note", "broke again", "--json").json()
    assert (reopened["status"], reopened["resolve_by"]) == ("reopened", shown["resolve_by"])
    text = cli("complaint", "show", cid)
    assert text.code == 0
    for fragment in ("发货延迟一周", "Timeline", "waiting_customer → in_progress",
                     "promised the customer an answer by", "severity high → critical",
                     "customer sent photos", "closed → reopened: broke again",
                     "Owner", "Respond by", "by boss", "5/5"):
        assert fragment in text.out, fragment


def test_a_complaint_shows_its_text_as_typed(cli, customer):
    cid = str(cli("complaint", "add", str(customer), "--severity", "low", "--summary",
                  "[red]broken[/] lid", "--json").json()["id"])
    cli("complaint", "note", cid, "see [b]photo[/b]")
    text = cli("complaint", "show", cid)
    assert text.code == 0, text.err
    assert "[red]broken[/] lid" in text.out and "see [b]photo[/b]" in text.out


def test_the_queue_as_a_table_and_with_filters(cli, customer):
    add_users(cli, ("sam", "support"))
    first = opened(cli, "low")
    second = opened(cli, "critical", "--owner", "sam")
    table = cli("complaint", "list")
    assert table.code == 0
    lines = table.out.splitlines()
    critical_line = next(i for i, line in enumerate(lines) if "critical" in line)
    low_line = next(i for i, line in enumerate(lines) if " low " in line)
    assert critical_line < low_line  # one hour left comes before three days
    assert "sam" in lines[critical_line]

    def ids(*args, user=None):
        return [c["id"] for c in cli("complaint", "list", *args, "--json", user=user).json()]

    assert ids("--severity", "low") == [first["id"]]
    assert ids("--unassigned") == [first["id"]]
    assert ids("--mine", user="sam") == [second["id"]]
    assert ids("--status", "new,acknowledged") == [second["id"], first["id"]]
    assert ids("--customer", "zs") == [second["id"], first["id"]]
    assert ids("--limit", "1") == [second["id"]]
    shortened = cli("complaint", "list", "--limit", "1")
    assert "critical" in shortened.out and " low " not in shortened.out
    assert shortened.out.rstrip().endswith("… and 1 more (--limit N shows more, --json all)")
    assigned = cli("complaint", "assign", str(first["id"]), "sam")
    assert assigned.out.strip() == f"Complaint #{first['id']} is handled by sam"
    assert ids("--unassigned") == []
    assert cli("complaint", "assign", str(first["id"]), "-", "--json").json()["owner"] is None


def test_bad_input_is_one_clear_line_and_changes_nothing(cli, customer):
    add_users(cli, ("rita", "rep"))
    new = str(opened(cli, "normal")["id"])
    working = str(opened(cli, "high")["id"])
    cli("complaint", "ack", working, "--promise", "+1h")
    cli("complaint", "work", working)

    def state():
        with sqlite3.connect(cli.db) as connection:
            return (connection.execute("SELECT * FROM complaint ORDER BY id").fetchall(),
                    connection.execute("SELECT * FROM complaint_event ORDER BY id").fetchall(),
                    connection.execute("SELECT COUNT(*) FROM survey").fetchall())

    before = state()
    for args, fragments in [
        (("work", "99"), ("no complaint with id 99",)),
        (("show", "abc"), ("no complaint with id abc",)),
        (("add", "张三", "--severity", "urgent", "--summary", "x"),
         ("'urgent' is not a severity", "critical, high, normal, low")),
        (("add", "nobody", "--severity", "low", "--summary", "x"), ("no customer matches",)),
        (("add", "张三", "--severity", "low", "--summary", " "), ("summary: required",)),
        (("list", "--status", "pending"), ("'pending' is not a complaint status",)),
        (("list", "--severity", "urgent"), ("'urgent' is not a severity",)),
        (("severity", working, "urgent"), ("'urgent' is not a severity",)),
        (("close", working), (f"cannot close complaint #{working}: it is in_progress",
                              "resolve it with a resolution note first")),
        (("close", new, "--satisfaction", "4"), ("it is new",)),
        (("ack", new, "--promise=-1h"), ("is not in the future",)),
        (("ack", new, "--promise", "2020-01-01 10:00"),
         ("2020-01-01 10:00 is not in the future",)),
        (("ack", new, "--promise", "someday"), ("'someday' is not a date or time",)),
        (("ack", working, "--promise", "+1h"), ("it is in_progress; from in_progress it can go to "
                                                "waiting_customer, resolved",)),
        (("resolve", working, "--note", " "), ("resolution: required",)),
        (("reopen", working), ("cannot reopen",)),
        (("assign", working, "rita"), ("rita is a rep",)),
        (("assign", working, "ghost"), ("no user ghost",)),
        (("note", working, ""), ("note: required",)),
    ]:
        assert_one_clear_line(cli("complaint", *args), *fragments)
    assert state() == before
    cli("complaint", "resolve", working, "--note", "fixed")
    resolved = state()
    for score in ("0", "6", "x"):
        assert_one_clear_line(cli("complaint", "close", working, "--satisfaction", score),
                              "satisfaction:")
    assert state() == resolved


def test_roles_on_the_command_line(cli, customer):
    add_users(cli, ("rita", "rep"), ("sam", "support"))
    ritas = cli("add", "Rita's customer", "--json", user="rita").json()["id"]
    added = cli("complaint", "add", str(ritas), "--severity", "low", "--summary", "slow",
                "--json", user="rita")
    assert added.code == 0, added.err
    cid = str(added.json()["id"])
    assert_one_clear_line(cli("complaint", "add", str(customer), "--severity", "low",
                              "--summary", "x", user="rita"), f"no customer with id {customer}")
    assert_one_clear_line(cli("complaint", "ack", cid, "--promise", "+1h", user="rita"),
                          "only support staff or a manager can handle complaints")
    assert [c["id"] for c in cli("complaint", "list", "--json", user="rita").json()] == [int(cid)]
    assert cli("complaint", "ack", cid, "--promise", "+1h", "--json",
               user="sam").json()["owner"] == "sam"
    assert cli("complaint", "show", cid, user="rita").code == 0


def test_usage_errors_exit_2(cli, customer):
    assert cli("complaint").code == 2
    assert cli("complaint", "add", "张三", "--summary", "x").code == 2  # no --severity
    assert cli("complaint", "resolve", "1").code == 2  # no --note
