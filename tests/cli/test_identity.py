"""Who is acting: the OS login of the process, and `--user` or CRMTUI_USER only for a manager's
own login (or on a database nobody has claimed yet). In-process with main()'s `login`, but for
the shell's way in (`python -m crmtui`), which has no such seam: a process of its own."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from crmtui.services.context import os_login
from tests.cli.test_commands import assert_one_clear_line


def _audit(db) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            'SELECT u.login, a.action FROM audit_log a LEFT JOIN "user" u ON u.id = a.user_id '
            "ORDER BY a.id").fetchall()


def _team(cli) -> None:
    """boss (manager, the database's first user), rita (rep), sam (support), ray (rep)."""
    assert cli("add", "Boss's client").code == 0
    for login, role in (("rita", "rep"), ("sam", "support"), ("ray", "rep")):
        assert cli("user", "add", login, "--role", role).code == 0
    assert cli("add", "Rita's client", user="rita").code == 0


def test_a_rep_cannot_act_as_a_manager_with_user_or_the_environment(cli, tmp_path):
    _team(cli)
    rita = cli.as_login("rita")
    before = cli.db.read_bytes(), _audit(cli.db)
    refused = rita("--user", "boss", "export", "--all", "--format", "json")
    assert_one_clear_line(refused, "cannot act as boss", "only a manager may act as someone else",
                          "your login rita is rep")
    refused = rita("user", "role", "rita", "manager", user="boss")
    assert_one_clear_line(refused, "cannot act as boss")
    rita.env["CRMTUI_USER"] = "boss"  # the environment is only a claim too
    assert_one_clear_line(rita("user", "role", "rita", "manager"), "cannot act as boss")
    assert_one_clear_line(rita("audit"), "cannot act as boss")
    assert (cli.db.read_bytes(), _audit(cli.db)) == before
    # as herself she is a rep, and the rep's limits hold
    del rita.env["CRMTUI_USER"]
    assert_one_clear_line(rita("user", "role", "rita", "manager"), "only a manager can")
    assert [c["name"] for c in rita("find", "client", "--json").json()] == ["Rita's client"]


def test_support_and_strangers_are_refused_with_the_reason(cli, tmp_path):
    _team(cli)
    assert_one_clear_line(cli.as_login("sam")("due", user="rita"),
                          "cannot act as rita", "your login sam is support")
    assert_one_clear_line(cli.as_login("mallory")("due", user="boss"),
                          "cannot act as boss", "your login mallory is not a user of this database")


def test_a_manager_may_act_as_a_colleague_and_acts_under_their_name(cli):
    _team(cli)
    assert cli("add", "Covered for Ray", user="ray").code == 0
    mine = cli("find", "Covered", "--json", user="ray").json()
    assert [c["owner"] for c in mine] == ["ray"]
    assert cli("delete", "Covered for Ray", "--yes", user="ray").code == 0
    assert _audit(cli.db)[-1] == ("ray", "delete")


def test_a_deactivated_manager_acts_as_no_one(cli, tmp_path):
    _team(cli)
    assert cli("user", "role", "ray", "manager").code == 0
    assert cli("user", "remove", "ray", "--to", "boss").code == 0
    assert_one_clear_line(cli.as_login("ray")("due", user="boss"),
                          "cannot act as boss", "ray is deactivated")


def test_on_a_database_nobody_has_claimed_the_first_name_given_becomes_its_manager(cli, tmp_path):
    newcomer = cli.as_login("rita", db=tmp_path / "fresh.sqlite3")
    assert newcomer("add", "First", user="owner").code == 0
    listed = newcomer.as_login("owner")("user", "list", "--json").json()
    assert [(u["login"], u["role"]) for u in listed] == [("owner", "manager")]
    # now claimed: rita's login is no user, so she cannot take the name again
    assert_one_clear_line(newcomer("due", user="owner"), "cannot act as owner")


def test_the_login_comes_from_the_process_user_id_not_from_the_environment(cli, tmp_path):
    """The shell way in (`python -m crmtui`) has no seam: USER and LOGNAME name someone else,
    yet the process's own login (root in CI) is who acts, and it is no user here."""
    _team(cli)
    real = os_login()
    env = {**cli.env, "USER": "boss", "LOGNAME": "boss", "LNAME": "boss", "USERNAME": "boss"}
    done = subprocess.run([sys.executable, "-m", "crmtui", "--db", str(cli.db), "audit"],
                          capture_output=True, text=True, env=env, timeout=60)
    if real == "boss":  # pragma: no cover - a machine whose login really is boss
        assert done.returncode == 0
        return
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (f"crmtui: {real} is not a user of this database; a manager can add "
                           f"them with `crmtui user add {real}`\n")
    env["CRMTUI_USER"] = "boss"
    done = subprocess.run([sys.executable, "-m", "crmtui", "--db", str(cli.db), "--user", "boss",
                           "audit"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert f"cannot act as boss: your login {real} is not a user" in done.stderr


def test_os_login_reads_the_password_database_entry_of_the_user_id(monkeypatch):
    import pwd

    for name in ("USER", "LOGNAME", "LNAME", "USERNAME", "CRMTUI_USER"):
        monkeypatch.setenv(name, "somebody-else")
    assert os_login() == pwd.getpwuid(os.getuid()).pw_name
