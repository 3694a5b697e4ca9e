"""The `crmtui` command keeps Python's cyclic garbage collector off while it loads a command's
modules, and turns it back on before the command works (crmtui.loading)."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

import crmtui.services.context as context_service
from crmtui import loading
from tests.cli.inprocess import run_cli


@pytest.fixture
def as_the_command():
    """What `crmtui.__main__.run` does before the command line; the collector as it was after."""
    was_enabled = gc.isenabled()
    loading.loading()
    try:
        yield
    finally:
        loading._waiting = False
        gc.unfreeze()
        if was_enabled:
            gc.enable()


@pytest.fixture
def collector_when_opened(monkeypatch):
    """Whether the collector ran each time a command opened its database."""
    seen: list[bool] = []
    open_context = context_service.open_context

    def opened(*args, **kwargs):
        seen.append(gc.isenabled())
        return open_context(*args, **kwargs)

    monkeypatch.setattr(context_service, "open_context", opened)
    return seen


def test_loaded_puts_what_was_loaded_out_of_reach_and_turns_the_collector_on(as_the_command):
    assert not gc.isenabled()
    frozen = gc.get_freeze_count()
    loading.loaded()
    assert gc.isenabled()
    assert gc.get_freeze_count() > frozen
    loading.loaded()  # once only
    assert gc.isenabled()


def test_loaded_leaves_a_collector_someone_else_turned_off_alone():
    gc.disable()
    try:
        loading.loaded()
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("argv", [["due", "--brief"], ["due", "--json"], ["due"],
                                  ["stats", "--json"]])
def test_a_command_works_with_the_collector_on(
    as_the_command, collector_when_opened, db_path, clock, argv
):
    result = run_cli(argv, db=db_path, clock=clock)
    assert result.code == 0, result.err
    assert collector_when_opened == [True]
    assert gc.isenabled()


def test_a_command_run_in_a_process_ends_with_the_collector_on(db_path):
    probe = (
        "import gc, sys, crmtui.cli\n"
        "main = crmtui.cli.main\n"
        "crmtui.cli.main = lambda: (main(), print(gc.isenabled(), gc.get_freeze_count() > 0))[1]\n"
        "sys.argv = ['crmtui', '--db', sys.argv[1], 'due', '--brief']\n"
        "from crmtui.__main__ import run\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(db_path)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "True True"
