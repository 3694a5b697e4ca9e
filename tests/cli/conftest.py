from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import pytest

from tests.cli.inprocess import run_main


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


@contextmanager
def environment(env: dict[str, str]) -> Iterator[None]:
    """os.environ is `env` while the block runs (what a shell would give the command)."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@dataclass
class Cli:
    """Runs crmtui as a user would, as the OS login `login`, against one database file, with the
    environment in `env`. With a `clock`, in-process (`main(argv)` on that clock, in UTC: quick,
    and the same day on every machine); without one, as a process of its own on the machine's
    clock (the smoke tests: what a shell really starts)."""

    db: object
    home: object
    login: str = "boss"
    clock: object = None
    env: dict[str, str] = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.env is None:
            self.env = {**os.environ, "CRMTUI_DATA_DIR": str(self.home / "data"),
                        "CRMTUI_CONFIG": str(self.home / "config.toml"),
                        "LANG": "C.UTF-8", "COLUMNS": "120", "TZ": "UTC"}
            # English unless a test says
            for name in ("CRMTUI_DB", "CRMTUI_USER", "LC_ALL", "LC_MESSAGES"):
                self.env.pop(name, None)

    def as_login(self, login: str, **changes) -> Cli:
        """The same command line run by another OS login (a copy of the environment)."""
        return replace(self, login=login, env=dict(self.env), **changes)

    def __call__(self, *args: str, db: bool = True, user: str | None = None) -> Result:
        argv = [*(["--db", str(self.db)] if db else []), *(["--user", user] if user else []),
                *args]
        if self.clock is None:
            done = subprocess.run([*run_as(self.login), *argv], capture_output=True, text=True,
                                  env=self.env, timeout=60)
            return Result(done.returncode, done.stdout, done.stderr)
        with environment(self.env):
            ran = run_main(argv, clock=self.clock, login=self.login)
        return Result(ran.code, ran.out, ran.err)


@pytest.fixture
def cli(tmp_path, clock):
    """The command line in-process, on the test's clock."""
    return Cli(tmp_path / "crm.sqlite3", tmp_path, clock=clock)


@pytest.fixture
def cli_process(tmp_path):
    """The command line as a process of its own, for the few smoke tests."""
    return Cli(tmp_path / "crm.sqlite3", tmp_path)
