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


class Cli:
    """Runs `python -m crmtui` as a user would, against one database file."""

    def __init__(self, db, home) -> None:
        self.db = db
        self.env = {**os.environ, "CRMTUI_DATA_DIR": str(home / "data"),
                    "CRMTUI_CONFIG": str(home / "config.toml"), "CRMTUI_USER": "boss",
                    "LANG": "C.UTF-8", "COLUMNS": "120", "TZ": "UTC"}
        for name in ("CRMTUI_DB", "LC_ALL", "LC_MESSAGES"):  # English unless a test says
            self.env.pop(name, None)

    def __call__(self, *args: str, db: bool = True, user: str | None = None) -> Result:
        command = [sys.executable, "-m", "crmtui"]
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
