"""`crmtui due` is what shells and login banners run: it loads only what it uses.

Every module costs start-up time (the banner's whole budget is about 80 ms, of which Python
itself takes 10 and peewee 35). These tests fail when `crmtui due --brief` or `--json` imports
a module not listed here: add one only when the command needs it, and say why.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from crmtui.cli import COMMAND_HOMES, COMMAND_MODULES
from tests.cli.inprocess import _words_registered_by
from tests.conftest import make_context

BRIEF_MODULES = {
    "crmtui", "crmtui.cli", "crmtui.errors", "crmtui.i18n", "crmtui.plaintext",  # the command line
    "crmtui.loading",  # the collector off while the command loads (a few lines, imports only gc)
    "crmtui.commands", "crmtui.commands.due",  # only the module that adds `due`
    "crmtui.commands._common",  # the parser class and the context every command opens
    "crmtui.config", "crmtui.locations", "crmtui.patterns",  # settings
    "crmtui.db", "crmtui.db.connection", "crmtui.db.fields", "crmtui.db.migrations",  # storage
    "crmtui.db.models", "crmtui.db.team", "crmtui.db.store",
    "crmtui.db.models.archive", "crmtui.db.models.base", "crmtui.db.models.care",  # the models
    "crmtui.db.models.history", "crmtui.db.models.sales", "crmtui.db.models.tallies",
    "crmtui.db.backups", "crmtui.db.failures", "crmtui.db.files",  # opening's neighbours
    "crmtui.db.rows",  # typed rows of the search's query (a few lines, no imports of its own)
    "crmtui.db.search",  # the search index's table, which the schema check names
    "crmtui.db.figures",  # the tables of the figures the database keeps, which the schema names
    "crmtui.db.order_figures",  # (the order figures' part of them)
    "crmtui.db.interaction_figures",  # (and the interactions per user and day)
    "crmtui.db.grade_days",  # (and the grade changes' neighbouring days the schema keeps)
    "crmtui.db.dialect_ddl",  # (their triggers, written for each kind of database)
    "crmtui.labels", "crmtui.present", "crmtui.present.numbers", "crmtui.present.time",  # words
    "crmtui.rules", "crmtui.rules._base", "crmtui.rules.cadence", "crmtui.rules.care",  # the rules
    "crmtui.rules.due", "crmtui.rules.grades", "crmtui.rules.lifecycle",  # the list applies
    "crmtui.rules.referral", "crmtui.rules.satisfaction", "crmtui.rules.sla",
    "crmtui.rules.value",
    "crmtui.rules.followthrough",  # when a payment falls due
    "crmtui.services", "crmtui.services.context", "crmtui.services.due_brief",  # the services
    "crmtui.services.due_sections",
    "crmtui.services.grading", "crmtui.services.sla_clock",
    "crmtui.services.followthrough_due",  # instructions, deliveries and payments due
    "crmtui.views", "crmtui.views.complaints",  # a complaint's clock facts
}
JSON_MODULES = BRIEF_MODULES | {
    "crmtui.services.due", "crmtui.output",  # the list's rows, written as JSON
    "crmtui.rules.accounts", "crmtui.services.plan_figures",  # account plans' reviews
    "crmtui.present.plan_review",  # and their words
}
# Outside the standard library: the ORM and what the rules need (dates, the lunar calendar). Not
# platformdirs (the config file's place is worked out), rich, textual, nor psycopg2 for SQLite.
THIRD_PARTY = {"peewee", "dateutil", "six", "lunardate"}

# Each dataclass costs about 0.4 ms to define at import, and the first loads the dataclasses
# module (2% of the banner's instructions): the due path's records are named tuples or slotted
# classes (config.Config, services.context.Context, rules._base.Value).
DATACLASSES: set[str] = set()
NOT_LOADED = {"dataclasses"}

PROBE = """
import json, sys
from crmtui.cli import main
code = main(sys.argv[1:], login="boss")
sys.stdout.flush()
names = sorted(name for name, module in sys.modules.items() if module is not None)
dataclasses = sorted(
    f"{name}.{value.__qualname__}"
    for name, module in list(sys.modules.items()) if name.split(".")[0] == "crmtui" and module
    for value in list(vars(module).values())
    if isinstance(value, type) and value.__module__ == name
    and "__dataclass_fields__" in value.__dict__
)
report = {"code": code, "modules": names, "dataclasses": dataclasses}
sys.stderr.write("\\n" + json.dumps(report) + "\\n")
"""


def run_probe(*argv: str) -> dict:
    """`crmtui ARGV` in a fresh interpreter: what it printed, its exit code, every module it
    imported and the dataclasses crmtui's modules define."""
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True,
                          check=True, timeout=60)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] == 0, done.stderr
    return {**report, "stdout": done.stdout}


def loaded_modules(*argv: str) -> tuple[str, set[str]]:
    """What `crmtui ARGV` prints and every module it imported, in a fresh interpreter."""
    report = run_probe(*argv)
    return report["stdout"], set(report["modules"])


def outside_stdlib(modules: set[str]) -> set[str]:
    tops = {name.split(".")[0] for name in modules}
    return {name for name in tops if name not in sys.stdlib_module_names
            and not name.startswith("_") and name not in ("crmtui", "__main__")}


@pytest.fixture
def team_db(db_path, clock):
    from crmtui.demo import build_demo

    ctx = make_context(db_path, clock)
    build_demo(ctx, 60, seed=2)
    ctx.store.close()
    return db_path


@pytest.mark.parametrize(("argv", "allowed"), [
    (("due", "--brief"), BRIEF_MODULES),
    (("due", "--json"), JSON_MODULES),
    (("due", "--all", "--json"), JSON_MODULES),
])
def test_due_imports_only_the_listed_modules(team_db, argv, allowed):
    # The day's first command also moves grades and catches up lifecycles (the writing
    # services): the banners after it are the ones to keep lean.
    loaded_modules("--db", str(team_db), "due", "--brief")
    out, modules = loaded_modules("--db", str(team_db), *argv)
    assert out.strip()  # it did run: a line, or the JSON list
    crmtui_modules = {name for name in modules if name.split(".")[0] == "crmtui"}
    assert crmtui_modules - allowed == set(), "not on the list; add only what `due` needs"
    assert outside_stdlib(modules) - THIRD_PARTY == set()


@pytest.mark.parametrize("argv", [("due", "--brief"), ("due", "--json")])
def test_due_defines_no_dataclass_beyond_the_listed_ones(team_db, argv):
    run_probe("--db", str(team_db), "due", "--brief")  # the day's first command (see above)
    report = run_probe("--db", str(team_db), *argv)
    assert report["stdout"].strip()
    assert set(report["dataclasses"]) - DATACLASSES == set(), "a named tuple or a slotted class"
    assert NOT_LOADED & set(report["modules"]) == set()


def test_each_command_names_the_module_that_adds_it():
    """cli.COMMAND_HOMES lets a command import only its own module: keep it whole and true."""
    for module in COMMAND_MODULES:
        for word in _words_registered_by(module):
            assert COMMAND_HOMES.get(word) == module, (
                f"add {word!r}: {module!r} to crmtui.cli.COMMAND_HOMES")
    assert set(COMMAND_HOMES.values()) <= set(COMMAND_MODULES)


def test_the_app_starts_without_loading_any_command():
    # commands._common is not a command: it holds open_context, which the app's start uses too
    probe = ("import json, sys; import crmtui.cli as cli; cli._run_app = lambda args: 0; "
             "code = cli.main(['--db', sys.argv[1]]); "
             "print(json.dumps([code, sorted(m for m in sys.modules if m.startswith("
             "'crmtui.commands.') and m != 'crmtui.commands._common')]))")
    done = subprocess.run([sys.executable, "-c", probe, "/nonexistent/crm.sqlite3"],
                          capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(done.stdout) == [0, []]


@pytest.mark.parametrize(("argv", "asks"), [
    (["-h"], True), (["--help"], True), (["--he"], True), (["--db", "x", "--h"], True),
    (["--db", "--help"], True), ([], False), (["--demo"], False), (["--", "-h"], False),
    (["--lang", "zh"], False), (["-"], False),
])
def test_help_is_recognised_as_argparse_does(argv, asks):
    from crmtui.cli import asks_for_help

    assert asks_for_help(argv) is asks


def test_the_due_table_into_a_pipe_loads_no_rich(db_path, clock):
    """A script's `crmtui due | …` has no styles to write: the day's appointments and the due
    list are written as text, without loading rich's console and text (only its character
    widths, for the Chinese names)."""
    from crmtui.db import Customer
    from crmtui.demo import build_demo
    from crmtui.services.appointments import add_appointment

    ctx = make_context(db_path, clock)
    build_demo(ctx, 60, seed=2)
    customer = Customer.select().where(Customer.owner == ctx.user.id).first()
    day = ctx.today().isoformat()
    add_appointment(ctx, customer.id, at=f"{day} 23:00", place="his office")
    ctx.store.close()
    run_probe("--db", str(db_path), "due", "--brief")  # the day's first command (see above)
    report = run_probe("--db", str(db_path), "due", "--date", day)
    assert "his office" in report["stdout"] and "Due on" in report["stdout"]
    rich = {name for name in report["modules"] if name.split(".")[0] == "rich"}
    assert "rich.cells" in rich  # the demo's Chinese names are measured
    widths = {"rich", "rich._extension", "rich.cells"}
    assert {name for name in rich if name not in widths and
            not name.startswith("rich._unicode_data")} == set()
