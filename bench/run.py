"""Measure crmtui against the targets of SPEC §7 on the benchmark database.

    python bench/run.py                 # build bench/results/bench-100k.sqlite3 if missing, measure
    python bench/run.py --json out.json # also write the results as JSON
    python bench/run.py --rebuild       # rebuild the database first (timed; also done when it
                                        # was built on another day)
    python bench/run.py --only due,search
    python bench/run.py --pg postgresql://postgres@host/postgres --customers 1000000
                                        # builds a team in a database of its own (crmtui_bench)
                                        # there, measures, and drops it (--pg-keep keeps it)

Whole-process rows are wall-clock medians of repeated runs after a warm-up, with the floor
(`python -c pass`, `import textual.app`) measured in the same run; in-process rows time the
service call alone. Run it on a quiet machine: other load moves every number.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    DEFAULT_DB, MANAGER, Report, Row, stats, time_calls, time_process, time_process_cpu)

PY = sys.executable
REP = "wang.fang"  # a demo rep owning about 2,000 of the 100,000 customers


def build(db: Path, customers: int, report: Report) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run([PY, "-m", "crmtui", "--db", str(db), "--user", MANAGER, "demo",
                    "--customers", str(customers)], check=True)
    seconds = time.perf_counter() - started
    report.add(Row("build benchmark database", "< 120 s", seconds, seconds, seconds, "s", 1,
                   f"{customers:,} customers", ok=seconds < 120))
    _built_marker(db).write_text(date.today().isoformat())


def _built_marker(db: Path) -> Path:
    return db.with_name(db.name + ".built")


def is_stale(db: Path) -> bool:
    """Demo data is laid out around the day it was built: on a later day more of it is due and
    overdue than a working team would have, which slows the due list and misleads."""
    marker = _built_marker(db)
    return not db.exists() or not marker.exists() or \
        marker.read_text().strip() != date.today().isoformat()


def facts(db: Path, report: Report) -> None:
    import sqlite3

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        for table in ("customer", "interaction", "sales_order", "complaint", "care_date",
                      "commitment", "appointment", "user"):
            report.facts[table] = connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    report.facts["file_mb"] = round(db.stat().st_size / 1e6)
    report.facts["python"] = sys.version.split()[0]
    report.facts["cpus"] = os.cpu_count()
    print(f"data: {report.facts}", file=sys.stderr)


def let_runner_act_as_anyone(db: Path) -> None:
    """`CRMTUI_USER` is honoured for a manager's own login only: make the login running the
    benchmark a manager of the benchmark database (the demo made "boss" its manager)."""
    from crmtui.db import User
    from crmtui.services.context import os_login
    from crmtui.services.users import add_user, set_role

    runner = os_login()
    ctx = _context(db, MANAGER)
    try:
        user = User.get_or_none(User.login == runner)
        if user is None or not user.active:
            add_user(ctx, runner, role="manager")
        elif user.role != "manager":
            set_role(ctx, runner, "manager")
    finally:
        ctx.store.close()


def processes(db: Path, report: Report, runs: int) -> None:
    let_runner_act_as_anyone(db)
    env = {"CRMTUI_USER": REP, "COLUMNS": "100"}
    floor = report.add(Row("python -c pass", "floor", *stats(time_process([PY, "-c", "pass"], runs)),
                           "ms", runs))
    report.add(Row("python -c 'import textual.app'", "floor",
                   *stats(time_process([PY, "-c", "import textual.app"], runs)), "ms", runs))
    libraries = _libraries_imported(db, ["due", "--brief"], {**env, "CRMTUI_USER": REP})
    report.add(Row("python importing what `due --brief` imports but crmtui", "floor",
                   *stats(time_process([PY, "-c", LOAD_LIBRARIES, *libraries], runs)), "ms", runs,
                   f"{len(libraries)} modules: peewee, the standard library's, dateutil…"))
    for label, args, target, login in (
        ("crmtui due --json (a rep)", ["due", "--json"], 100, REP),
        ("crmtui due (table, a rep)", ["due"], 150, REP),
        ("crmtui due --brief (a rep)", ["due", "--brief"], 80, REP),
        ("crmtui due --all --json (manager, the team)", ["due", "--all", "--json"], 300, MANAGER),
    ):
        command = [PY, "-m", "crmtui", "--db", str(db), *args]
        samples, cpu = time_process_cpu(command, runs, {**env, "CRMTUI_USER": login})
        median, low, high = stats(samples)
        items = _count_items(command, {**env, "CRMTUI_USER": login}) if "--json" in args else ""
        report.add(Row(f"{label}, 100k customers", f"≤ {target} ms", median, low, high, "ms", runs,
                       f"{items}{median / floor.median:.1f}× python; CPU {stats(cpu)[0]:.0f} ms",
                       ok=median <= target))
    # the dashboard's figures for scripts: the aggregates (≤ 150 ms) and starting the process
    samples = time_process([PY, "-m", "crmtui", "--db", str(db), "stats", "--json", "--all"],
                           runs, {**env, "CRMTUI_USER": MANAGER})
    median, low, high = stats(samples)
    report.add(Row("crmtui stats --json --all (manager), 100k customers", "—", median, low,
                   high, "ms", runs, f"{median / floor.median:.1f}× python"))


# The modules named on the command line, in order, with the database drivers a session on an
# SQLite file keeps peewee from loading (crmtui.cli._skip_server_drivers) kept out the same way.
LOAD_LIBRARIES = """
import importlib, sys
sys.modules.update(psycopg2=None, psycopg=None)
for name in sys.argv[1:]:
    importlib.import_module(name)
"""

LIST_LIBRARIES = """
import json, sys
from crmtui.cli import main
main(sys.argv[1:])
sys.stdout.flush()
names = [name for name, module in sys.modules.items()
         if module is not None and name.split(".")[0] not in ("crmtui", "__main__")]
sys.stderr.write(json.dumps(names))
"""


def _libraries_imported(db: Path, args: list[str], env: dict) -> list[str]:
    """The modules, crmtui's own left out, that `crmtui ARGS` has loaded when it ends, in the
    order they were loaded: what any program doing the same work in Python with these
    libraries starts with."""
    import json

    done = subprocess.run([PY, "-c", LIST_LIBRARIES, "--db", str(db), *args],
                          env={**os.environ, **env}, capture_output=True, check=True, text=True)
    before = subprocess.run([PY, "-c", "import json, sys; print(json.dumps(list(sys.modules)))"],
                            capture_output=True, check=True, text=True)
    started = set(json.loads(before.stdout))
    return [name for name in json.loads(done.stderr.strip().splitlines()[-1])
            if name not in started]


def _count_items(command: list[str], env: dict) -> str:
    import json

    done = subprocess.run(command, env={**os.environ, **env}, capture_output=True, check=True)
    return f"{len(json.loads(done.stdout)):,} items; "


def _context(db: Path, login: str):
    from crmtui.services.context import open_context

    return open_context(db, login=login)


def rep_with_follow_ups(db: Path, wanted: int) -> str:
    """The rep whose follow-up list today is nearest `wanted` rows (SPEC §7 times 200)."""
    import sqlite3

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        counts = connection.execute(
            "SELECT u.login, count(*) FROM customer c JOIN user u ON u.id = c.owner_id "
            "WHERE u.role = 'rep' AND c.next_due <= ? GROUP BY u.login",
            (date.today().isoformat(),)).fetchall()
    return min(counts, key=lambda row: abs(row[1] - wanted))[0]


QUICK = 20
"""In-process calls of a few milliseconds are timed `QUICK` times as often as a run (300 calls by
default): the median of 15 such calls moved with the host by a third from one run to the next."""


def queries(db: Path, report: Report, runs: int) -> None:
    from crmtui.rules import DueKind
    from crmtui.services.due import due_list

    rep = rep_with_follow_ups(db, 200)
    ctx = _context(db, rep)
    rows = len(due_list(ctx, kinds={DueKind.FOLLOW_UP}))
    samples = time_calls(lambda: due_list(ctx, kinds={DueKind.FOLLOW_UP}), runs * QUICK)
    median, low, high = stats(samples)
    report.add(Row("due-list query (one rep, follow-ups)", "≤ 2 ms", median, low, high, "ms",
                   runs * QUICK, f"{rows} rows ({rep})", ok=median <= 2))
    ctx.store.close()
    ctx = _context(db, REP)
    everything = len(due_list(ctx))
    median, low, high = stats(time_calls(lambda: due_list(ctx), runs * QUICK))
    report.add(Row("whole due list (one rep, all 7 sections)", "—", median, low, high, "ms",
                   runs * QUICK, f"{everything} items"))
    ctx.store.close()


def search(db: Path, report: Report, runs: int) -> None:
    from crmtui.services.customers import search_ids

    for login, label in ((REP, "rep: own customers"), (MANAGER, "manager: all")):
        ctx = _context(db, login)
        everyone = login == MANAGER
        typed = ["zhang", "zs", "wangf", "138", "北京", "smith", "acme", "li lei"]
        keystrokes = [word[:i] for word in typed for i in range(1, len(word) + 1)]
        samples = []
        for _ in range(max(1, runs // 3)):  # 32 keystrokes a round: one round moved with the host
            for text in keystrokes:
                started = time.perf_counter()
                search_ids(ctx, text, limit=20, everyone=everyone)
                samples.append((time.perf_counter() - started) * 1000)
        median, low, high = stats(samples)
        report.add(Row(f"search per keystroke ({label})", "≤ 2 ms", median, low, high, "ms",
                       len(samples), f"p95 {sorted(samples)[int(len(samples) * .95)]:.2f} ms",
                       ok=median <= 2))
        ctx.store.close()


def logging(db: Path, report: Report, runs: int) -> None:
    """Log interactions on a private copy (the benchmark file stays as built)."""
    from crmtui.db import Customer
    from crmtui.services.interactions import log_interaction

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.sqlite3"
        shutil.copy(db, copy)
        ctx = _context(copy, REP)
        ids = [c.id for c in Customer.select(Customer.id).where(Customer.owner == ctx.user.id)]
        rng = random.Random(1)

        def log_one():
            log_interaction(ctx, rng.choice(ids), summary="benchmark call", outcome="neutral",
                            next_on="+3d")

        median, low, high = stats(time_calls(log_one, runs * QUICK))
        report.add(Row("log one interaction (transaction incl. regrade)", "≤ 3 ms", median, low,
                       high, "ms", runs * QUICK, ok=median <= 3))
        ctx.store.close()


def _slowest(timings: dict, count: int = 3) -> str:
    """The dashboard figures that took longest, as "pareto 127, reps 46 ms"."""
    slow = sorted(timings.items(), key=lambda item: -item[1])[:count]
    return ", ".join(f"{name} {ms:.0f}" for name, ms in slow) + " ms"


def profile(db: Path, report: Report, runs: int) -> None:
    """A key account's profile: contacts, the plan and its year, the timeline (the profile screen
    reads this once when it opens)."""
    import sqlite3

    from crmtui.services.profile import customer_profile

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        customer_id, contacts = connection.execute(
            "SELECT p.customer_id, count(c.id) FROM account_plan p "
            "JOIN contact c ON c.customer_id = p.customer_id "
            "GROUP BY p.customer_id ORDER BY count(c.id) DESC, p.customer_id LIMIT 1").fetchone()
    ctx = _context(db, MANAGER)
    median, low, high = stats(time_calls(lambda: customer_profile(ctx, customer_id), runs))
    report.add(Row("profile with contacts and plan (one customer)", "—", median, low, high,
                   "ms", runs, f"customer {customer_id}, {contacts} contacts"))
    ctx.store.close()


def dashboard(db: Path, report: Report, runs: int) -> None:
    from crmtui.services.stats import dashboard as figures

    ctx = _context(db, MANAGER)
    timings: list[dict] = []
    median, low, high = stats(time_calls(
        lambda: timings.append(figures(ctx, 30, everyone=True).timings), runs))
    report.add(Row("dashboard, all aggregates (team, 30 days)", "≤ 150 ms", median, low, high,
                   "ms", runs, "targets, pipeline, reps included; slowest: "
                   + _slowest(timings[len(timings) // 2]), ok=median <= 150))
    ctx.store.close()


def terminal_app(db: Path, report: Report, runs: int) -> None:
    """Launch to Today painted, a cursor move's CPU and memory (bench/tui.py's child process)."""
    import tui

    let_runner_act_as_anyone(db)
    names = tui.due_names(str(db), REP)
    floor = [tui.launch_minimal(names) * 1000 for _ in range(max(3, runs // 2))]
    floor_median, floor_low, floor_high = stats(floor)
    report.add(Row("minimal Textual app, same names in a DataTable, no database", "floor",
                   floor_median, floor_low, floor_high, "ms", len(floor)))
    samples, rss, items = [], 0.0, 0
    for _ in range(max(3, runs // 2)):
        elapsed, _cpu, facts = tui.launch(str(db), REP, False)
        samples.append(elapsed * 1000)
        rss, items = max(rss, facts["rss_mb"]), facts["items"]
    median, low, high = stats(samples)
    report.add(Row("TUI launch to Today painted (headless)", "≤ 1.3× the floor", median, low,
                   high, "ms", len(samples),
                   f"{items} items due; {median / floor_median:.2f}× the floor",
                   ok=median <= 1.3 * floor_median))
    _elapsed, _cpu, moved = tui.launch(str(db), REP, False, 200)
    report.add(Row("keypress to repaint (cursor move in Today)", "≤ 16 ms CPU",
                   moved["move_ms_median"], moved["move_ms_median"], moved["move_ms_p95"],
                   "ms", 200, "max column is p95", ok=moved["move_ms_median"] <= 16))
    _elapsed, _cpu, everyone = tui.launch(str(db), MANAGER, True)
    peak = max(rss, moved["rss_mb"], everyone["rss_mb"])
    report.add(Row("memory, TUI on 100k customers", "≤ 100 MB", peak, rss, peak, "MB", 3,
                   f"manager's view of everyone: {everyone['items']} items",
                   ok=peak <= 100))


def csv_import(db: Path, report: Report, runs: int) -> None:
    """100,000 realistic rows into a fresh database per run (bench/import_csv.py)."""
    import import_csv

    rows = report.facts.get("customer", 100_000)
    with tempfile.TemporaryDirectory(prefix="crmtui-bench-import-") as folder:
        source = Path(folder) / "customers.csv"
        import_csv.make_csv(source, rows)
        results = [import_csv.run_once(source, Path(folder), i) for i in range(3)]
    rates = [rows / r["seconds"] for r in results]
    median, low, high = stats(rates)
    peak = max(r["peak_rss_mb"] for r in results)
    cpu = sorted(r["cpu_seconds"] for r in results)[1]
    report.add(Row(f"CSV import, {rows:,} rows", "≥ 15,000 rows/s", median, low, high, "rows/s",
                   3, f"peak RSS {peak:.0f} MB (≤ 150 MB), CPU {cpu:.1f} s with its workers",
                   ok=median >= 15_000 and peak <= 150))


TEAM_SETTINGS = ("jit = off", "work_mem = '64MB'")


def postgres(url: str, customers: int, report: Report, runs: int, keep: bool) -> None:
    """The team on PostgreSQL: a database of its own on the server `url` names, built with the
    demo (a rep per 2,000 customers), measured, then dropped unless `keep`."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg2

    name = "crmtui_bench"
    target = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    admin = psycopg2.connect(url)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        exists = cursor.fetchone() is not None
    built = exists and _pg_customers(target) == customers
    try:
        if not built:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
            started = time.perf_counter()
            subprocess.run([PY, "-m", "crmtui", "--db", target, "--user", MANAGER, "demo",
                            "--customers", str(customers)], check=True)
            psycopg2_run(target, "VACUUM (ANALYZE)")  # index-only counts need the visibility map
            seconds = time.perf_counter() - started
            report.add(Row("PostgreSQL: build the team (demo, VACUUM ANALYZE)", "—", seconds,
                           seconds, seconds, "s", 1, f"{customers:,} customers"))
        for setting in TEAM_SETTINGS:  # what README's "A million customers" asks of a team
            psycopg2_run(url, f'ALTER DATABASE "{name}" SET {setting}')
        _pg_measure(target, customers, report, runs)
    finally:
        if not keep:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def psycopg2_run(url: str, statement: str):
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchall() if cursor.description else None
    finally:
        connection.close()


def _pg_customers(url: str) -> int:
    try:
        return psycopg2_run(url, "SELECT count(*) FROM customer")[0][0]
    except Exception:  # not built, or built by an older schema
        return -1


def _pg_measure(url: str, customers: int, report: Report, runs: int) -> None:
    from peewee import fn

    from crmtui.db import Customer, User
    from crmtui.rules import DueKind
    from crmtui.services.customers import search_ids
    from crmtui.services.due import due_list
    from crmtui.services.interactions import log_interaction
    from crmtui.services.stats import dashboard as figures

    rows = psycopg2_run(url, "SELECT count(*), (SELECT count(*) FROM \"user\" WHERE role = 'rep'),"
                             " (SELECT count(*) FROM interaction), (SELECT count(*) FROM "
                             "sales_order), pg_database_size(current_database()) FROM customer")
    total, reps, interactions, orders, size = rows[0]
    report.facts["postgresql"] = {"customers": total, "reps": reps, "interactions": interactions,
                                  "orders": orders, "size_mb": round(size / 1e6)}
    print(f"postgresql: {report.facts['postgresql']}", file=sys.stderr)
    label = f"PostgreSQL {total:,} customers"
    ctx = _context(url, MANAGER)
    counts = (Customer.select(User.login, fn.COUNT(Customer.id)).join(User, on=Customer.owner == User.id)
              .where((User.role == "rep") & (Customer.next_due <= ctx.today()))
              .group_by(User.login).tuples())
    # a typical rep: the median of due customers (the log row below moves 300 of its rep's
    # customers three days on each run, so a rep picked for a count would drain)
    rep = sorted(counts, key=lambda row: row[1])[len(counts) // 2][0]
    ctx.store.close()

    ctx = _context(url, rep)
    found = len(due_list(ctx, kinds={DueKind.FOLLOW_UP}))
    quick = runs * QUICK
    median, low, high = stats(time_calls(lambda: due_list(ctx, kinds={DueKind.FOLLOW_UP}), quick))
    report.add(Row(f"{label}: a rep's due-list query (follow-ups)", "≤ 5 ms", median, low, high,
                   "ms", quick, f"{found} rows ({rep})", ok=median <= 5))
    everything = len(due_list(ctx))
    median, low, high = stats(time_calls(lambda: due_list(ctx), runs))
    report.add(Row(f"{label}: a rep's whole due list", "—", median, low, high, "ms", runs,
                   f"{everything} items"))
    ids = [c.id for c in Customer.select(Customer.id).where(Customer.owner == ctx.user.id)]
    # other customers each run: the kept database would have the last run's pages warm
    rng = random.Random()
    median, low, high = stats(time_calls(lambda: log_interaction(
        ctx, rng.choice(ids), summary="benchmark call", outcome="neutral", next_on="+3d"),
        quick))
    # SPEC §7 sets this team two targets (the due list, the dashboard); 3 ms is the log's on
    # 100,000 customers in SQLite, shown beside it
    report.add(Row(f"{label}: log one interaction", "—", median, low, high, "ms", quick,
                   "SQLite's 100k row: ≤ 3 ms"))
    ctx.store.close()

    typed = ["zhang", "zs", "wangf", "138", "北京", "smith", "acme", "li lei"]
    keystrokes = [word[:i] for word in typed for i in range(1, len(word) + 1)]
    for login, scope in ((rep, "a rep: own customers"), (MANAGER, "manager: all")):
        ctx = _context(url, login)
        samples = []
        for text in keystrokes:
            started = time.perf_counter()
            search_ids(ctx, text, limit=20, everyone=login == MANAGER)
            samples.append((time.perf_counter() - started) * 1000)
        median, low, high = stats(samples)
        slowest = max(zip(samples, keystrokes))
        report.add(Row(f"{label}: search per keystroke ({scope})", "—", median, low, high, "ms",
                       len(samples), f"p95 {sorted(samples)[int(len(samples) * .95)]:.1f} ms; "
                       f"slowest {slowest[1]!r}"))
        ctx.store.close()

    ctx = _context(url, MANAGER)
    timings: list[dict] = []

    def team_dashboard():
        timings.append(figures(ctx, 30, everyone=True).timings)

    median, low, high = stats(time_calls(team_dashboard, max(3, runs // 3)))
    report.add(Row(f"{label}: dashboard, all aggregates (team, 30 days)", "≤ 500 ms", median,
                   low, high, "ms", len(timings) - 1,
                   "slowest: " + _slowest(timings[len(timings) // 2]), ok=median <= 500))
    ctx.store.close()


MEASURES = {"process": processes, "due": queries, "search": search, "log": logging,
            "profile": profile, "dashboard": dashboard, "tui": terminal_app, "import": csv_import}


def compile_bytecode() -> None:
    """Start-up times assume compiled modules, as an installed package has them."""
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "crmtui"), quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(MEASURES)}")
    parser.add_argument("--json", type=Path, metavar="FILE")
    parser.add_argument("--pg", metavar="URL", help="measure a team on this PostgreSQL server "
                        "instead (--customers, default 1,000,000 there)")
    parser.add_argument("--pg-keep", action="store_true",
                        help="keep the PostgreSQL benchmark database (and reuse it next time)")
    args = parser.parse_args()
    report = Report()
    compile_bytecode()
    if args.pg:
        customers = args.customers if "--customers" in sys.argv else 1_000_000
        postgres(args.pg, customers, report, args.runs, args.pg_keep)
        report.print_table()
        if args.json:
            from common import write_json

            write_json(report, args.json)
        return 0
    if args.rebuild or is_stale(args.db):
        build(args.db, args.customers, report)
    facts(args.db, report)
    wanted = args.only.split(",") if args.only else list(MEASURES)
    for name in wanted:
        MEASURES[name](args.db, report, args.runs)
    report.print_table()
    if args.json:
        from common import write_json

        write_json(report, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
