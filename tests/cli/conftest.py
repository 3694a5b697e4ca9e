from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

import pytest


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def run_as(login: str) -> list[str]:
    """A crmtui command line run by the OS login `login`: the process's own login (root, in
    CI) is no user of the test's databases. main()'s `login` is the seam; the shell has none."""
    return [sys.executable, "-c",
            f"import sys; from crmtui.cli import main; sys.exit(main(sys.argv[1:], "
            f"login={login!r}))"]


class Cli:
    """Runs crmtui as a user would, as the OS login `boss`, against one database file."""

    def __init__(self, db, home, login: str = "boss") -> None:
        self.db = db
        self.login = login
        self.env = {**os.environ, "CRMTUI_DATA_DIR": str(home / "data"),
                    "CRMTUI_CONFIG": str(home / "config.toml"),
                    "LANG": "C.UTF-8", "COLUMNS": "120", "TZ": "UTC"}
        for name in ("CRMTUI_DB", "CRMTUI_USER", "LC_ALL", "LC_MESSAGES"):  # English unless
            self.env.pop(name, None)                                         # a test says

    def __call__(self, *args: str, db: bool = True, user: str | None = None) -> Result:
        command = run_as(self.login)
        if db:
            command += ["--db", str(self.db)]
        if user:
            command += ["--user", user]
        done = subprocess.run([*command, *args], capture_output=True, text=True, env=self.env,
                              timeout=60)
        return Result(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def cli(tmp_path):
    return Cli(tmp_path / "crm.sqlite3", tmp_path)
