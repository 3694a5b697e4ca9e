"""What the command line leaves unloaded: textual never (it is the app's), and rich not for JSON
(scripts read it; rich's import is a fifth of a short command's time). Each case runs in a fresh
interpreter, since the test process itself has both loaded. tests/cli/test_lean_start.py holds
`crmtui due` to its exact list of modules; this holds every other headless path to these two."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.cli.conftest import Cli

NOT_TEXTUAL = ("textual",)
NOT_TEXTUAL_NOR_RICH = ("textual", "rich")

CASES = {
    # every command module registered (as `crmtui --help` does) and the services screens share
    "building every command": (
        "import crmtui.cli, crmtui.services.worklist, crmtui.services.profile\n"
        "crmtui.cli.build_parser()\n", NOT_TEXTUAL),
    "due --json": ("run('due', '--json')\n", NOT_TEXTUAL_NOR_RICH),
    "due": ("run('due')\n", NOT_TEXTUAL),
    "user list and audit as JSON": (
        "run('user', 'list', '--json')\nrun('audit', '--json')\n", NOT_TEXTUAL_NOR_RICH),
    "stats and report as JSON": (
        "run('stats', '--json', '--all')\nrun('report', 'weekly', '--json')\n",
        NOT_TEXTUAL_NOR_RICH),
    "show and find as JSON": (
        "run('show', 'Ann', '--json')\nrun('find', 'Ann', '--json')\n", NOT_TEXTUAL_NOR_RICH),
    "complaint list as JSON": ("run('complaint', 'list', '--json')\n", NOT_TEXTUAL_NOR_RICH),
}


@pytest.fixture(scope="module")
def team(tmp_path_factory) -> Cli:
    """A database with a customer, a colleague and a complaint, so the commands have rows."""
    home = tmp_path_factory.mktemp("headless")
    cli = Cli(home / "crm.sqlite3", home)
    for args in (("add", "Ann"), ("user", "add", "rita"),
                 ("complaint", "add", "Ann", "--severity", "high", "--summary", "late")):
        done = cli(*args)
        assert done.code == 0, done.err
    return cli


@pytest.mark.parametrize(("steps", "unloaded"), CASES.values(), ids=CASES.keys())
def test_the_command_line_leaves_the_app_unloaded(team, steps, unloaded):
    code = (
        "import sys\nfrom crmtui.cli import main\n"
        f"def run(*argv):\n    assert main(['--db', {str(team.db)!r}, *argv], login='boss') == 0\n"
        f"{steps}"
        f"loaded = [name for name in {unloaded!r} if name in sys.modules]\n"
        "assert not loaded, f'loaded {loaded}'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=team.env, timeout=60)
    assert done.returncode == 0, done.stderr
