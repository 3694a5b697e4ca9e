"""Team commands (in-process, on the test's clock): users and roles, the audit log, deleting
customers, and roles holding on the command line as they do in the app."""

from __future__ import annotations

from tests.cli.test_commands import assert_one_clear_line


def test_users_roles_and_removal_round_trip(cli):
    cli("add", "Boss's client")
    assert cli("user", "add", "rita", "--name", "Rita Rep").code == 0
    assert cli("user", "add", "sam", "--role", "support").code == 0
    assert cli("add", "Rita's client", user="rita").code == 0
    listed = cli("user", "list", "--json").json()
    assert [(u["login"], u["name"], u["role"], u["active"], u["customers"]) for u in listed] == [
        ("boss", "boss", "manager", True, 1), ("rita", "Rita Rep", "rep", True, 1),
        ("sam", "sam", "support", True, 0)]
    assert set(listed[0]) == {"login", "name", "role", "active", "customers", "open_complaints",
                              "created_at"}
    table = cli("user", "list")
    assert table.code == 0 and "Rita Rep" in table.out

    assert_one_clear_line(cli("user", "remove", "rita"), "rita owns 1 customers", "--to")
    assert_one_clear_line(cli("user", "role", "boss", "rep"), "at least one manager")
    assert cli("user", "role", "rita", "manager").out == "rita is now manager\n"
    removed = cli("user", "remove", "rita", "--to", "boss")
    assert removed.code == 0 and "1 customers and 0 open complaints went to boss" in removed.out
    assert_one_clear_line(cli("due", user="rita"), "rita is deactivated")
    active = {u["login"]: u["active"] for u in cli("user", "list", "--json").json()}
    assert active == {"boss": True, "sam": True, "rita": False}


def test_only_managers_administer_the_team(cli):
    cli("user", "add", "rita")
    for args in (("user", "add", "x"), ("user", "list"), ("user", "role", "boss", "rep"),
                 ("user", "remove", "boss"), ("audit",)):
        assert_one_clear_line(cli(*args, user="rita"), "only a manager can")
    assert_one_clear_line(cli("due", user="stranger"), "crmtui user add stranger")
    assert cli("user", "add", "bad", "--role", "admin").code == 2


def test_the_audit_log_lists_reassignments_deletions_and_role_changes(cli):
    cli("user", "add", "rita")
    cli("user", "add", "ray")
    customer = cli("add", "张三", "--owner", "rita", "--json").json()["id"]
    cli("log", str(customer), "--summary", "called", user="rita")
    assert_one_clear_line(cli("delete", str(customer)),
                          "this would delete 张三", "1 interactions", "--yes")
    assert cli("show", str(customer), "--json").code == 0
    cli("user", "role", "ray", "manager")
    deleted = cli("delete", "张三", "--yes", "--json", user="rita")
    assert deleted.json() == {"id": customer, "name": "张三", "interactions": 1, "orders": 0,
                              "complaints": 0}
    assert_one_clear_line(cli("show", str(customer)), f"no customer with id {customer}")
    entries = cli("audit", "--json").json()
    assert [(e["action"], e["user"], e["entity"]) for e in entries] == [
        ("delete", "rita", "customer"), ("role", "boss", "user"),
        ("user", "boss", "user"), ("user", "boss", "user")]
    assert set(entries[0]) == {"id", "at", "user", "action", "entity", "entity_id", "detail"}
    assert [e["detail"] for e in cli("audit", "--json", "--action", "role").json()] == [
        "ray: rep -> manager"]
    assert len(cli("audit", "--json", "--limit", "1").json()) == 1
    text = cli("audit")
    assert text.code == 0 and "delete" in text.out and "rita" in text.out


def test_reps_cannot_reach_other_reps_customers_from_the_shell(cli):
    cli("user", "add", "rita")
    cli("user", "add", "sam", "--role", "support")
    theirs = str(cli("add", "Boss only", "--json").json()["id"])
    for args in (("show", theirs), ("log", theirs, "--summary", "x"), ("delete", theirs, "--yes"),
                 ("order", theirs, "--amount", "5")):
        assert_one_clear_line(cli(*args, user="rita"), f"no customer with id {theirs}")
    assert cli("show", theirs, user="sam").code == 0
    assert_one_clear_line(cli("log", theirs, "--summary", "x", user="sam"),
                          "support may log a contact only with a customer who has an open "
                          "complaint")
    assert_one_clear_line(cli("order", theirs, "--amount", "5", user="sam"),
                          "support can read profiles but not change them")
    assert cli("find", "boss", "--json", user="rita").json() == []
    assert cli("show", theirs, "--json").json()["interactions"] == []
    # a call about an open complaint is part of its history: support logs it
    assert cli("complaint", "add", theirs, "--severity", "normal", "--summary", "late",
               user="sam").code == 0
    logged = cli("log", theirs, "--summary", "called about the delay", user="sam")
    assert logged.code == 0, logged.err
    assert [i["summary"] for i in cli("show", theirs, "--json").json()["interactions"]] == [
        "called about the delay"]


def test_the_same_commands_run_on_postgresql(cli, pg_server):
    cli.db = pg_server.create_schema()
    try:
        added = cli("add", "张三", "--need", "clear", "--close", "+10d", "--json")
        assert added.code == 0, added.err
        assert cli("log", "zs", "--summary", "called", "--json").json()["followups"] == 0
        assert [i["kind"] for i in cli("due", "--json").json()] == []
        assert cli("user", "add", "rita").code == 0
        assert cli("delete", "张三", "--yes").code == 0
        assert [e["action"] for e in cli("audit", "--json").json()] == ["delete", "user"]
        assert_one_clear_line(cli("db", "backup"), "pg_dump")
        assert cli("db", "check").code == 0
    finally:
        pg_server.drop_schema(str(cli.db))
