"""The PostgreSQL tests skip when no server is given, and fail when CI requires one and it is
not there (a CI that silently skipped them would prove nothing about PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
ONE_PG_TEST = "tests/db/test_backends.py::test_a_newer_schema_is_refused[pg]"


def run_pytest(**env):
    clean = {k: v for k, v in os.environ.items()
             if k not in ("CRMTUI_TEST_PG_URL", "CRMTUI_REQUIRE_PG")}
    command = [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q",
               ONE_PG_TEST]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                          env={**clean, **env}, timeout=120)


def test_without_a_server_the_postgresql_tests_skip():
    done = run_pytest()
    assert done.returncode == 0, done.stdout
    assert "1 skipped" in done.stdout and "CRMTUI_TEST_PG_URL" in done.stdout


def test_when_required_an_unreachable_server_fails_the_run():
    done = run_pytest(CRMTUI_TEST_PG_URL="postgresql://postgres@127.0.0.1:1/postgres",
                      CRMTUI_REQUIRE_PG="1")
    assert done.returncode == 1, done.stdout
    assert "is not usable" in done.stdout and "1 error" in done.stdout
    assert "skipped" not in done.stdout


def test_when_required_a_missing_url_fails_the_run():
    done = run_pytest(CRMTUI_REQUIRE_PG="1")
    assert done.returncode == 1, done.stdout
    assert "CRMTUI_TEST_PG_URL is not set" in done.stdout
