"""What the command line leaves unloaded: textual never (it is the app's), rich not for JSON
(scripts read it; rich's import is a fifth of a short command's time), and the file formats'
libraries outside import and export. Each case runs in a fresh interpreter, since the test
process itself has them loaded; and checks the commands' output. tests/cli/test_lean_start.py
holds `crmtui due` to its exact list of modules; this holds every other headless path."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.cli.conftest import Cli
from tests.conftest import Clock

NOT_TEXTUAL = ("textual",)
NOT_TEXTUAL_NOR_RICH = ("textual", "rich")
NOR_THE_FILE_FORMATS = ("vobject", "icalendar", "openpyxl")  # only import and export need them
NOR_THE_HOLIDAYS = ("holidays",)  # only greetings need them, and none are configured here

CASES = {
    # every command module registered (as `crmtui --help` does) and the services screens share
    "building every command": (
        "import crmtui.cli, crmtui.services.worklist, crmtui.services.profile\n"
        "crmtui.cli.build_parser()\n", NOT_TEXTUAL, ()),
    "due --json": ("run('due', '--json')\n",
                   (*NOT_TEXTUAL_NOR_RICH, *NOR_THE_FILE_FORMATS, *NOR_THE_HOLIDAYS),
                   ('"customer": "Ann"',)),
    "due": ("run('due')\n", NOT_TEXTUAL, ()),
    "user list and audit as JSON": (
        "run('user', 'list', '--json')\nrun('audit', '--json')\n", NOT_TEXTUAL_NOR_RICH,
        ('"login": "rita"', "added rita as rep")),
    "stats and report as JSON": (
        "run('stats', '--json', '--all')\nrun('report', 'weekly', '--json')\n",
        NOT_TEXTUAL_NOR_RICH, ('"period": 30', '"grades"')),
    "show and find as JSON": (
        "run('show', 'Ann', '--json')\nrun('find', 'Ann', '--json')\n", NOT_TEXTUAL_NOR_RICH,
        ()),
    "complaint list as JSON": ("run('complaint', 'list', '--json')\n", NOT_TEXTUAL_NOR_RICH,
                               ('"summary": "late"',)),
}
"""Name -> (the steps, the modules they must leave unloaded, what their output must show)."""


@pytest.fixture(scope="module")
def team(tmp_path_factory) -> Cli:
    """A database with a customer, a colleague, a contact, an order and a complaint, so the
    commands (and the figures) have rows."""
    home = tmp_path_factory.mktemp("headless")
    cli = Cli(home / "crm.sqlite3", home, clock=Clock())  # made in-process; probed in processes
    for args in (("add", "Ann"), ("user", "add", "rita"),
                 ("log", "Ann", "--summary", "called about the quote"),
                 ("order", "1", "--amount", "1200"),
                 ("complaint", "add", "Ann", "--severity", "high", "--summary", "late")):
        done = cli(*args)
        assert done.code == 0, done.err
    return cli


@pytest.mark.parametrize(("steps", "unloaded", "shows"), CASES.values(), ids=CASES.keys())
def test_the_command_line_leaves_the_app_unloaded(team, steps, unloaded, shows):
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
    for words in shows:  # and the commands did their work
        assert words in done.stdout, (words, done.stdout[:2000])
