"""The terminal app against SPEC §7: launch to Today painted, CPU per cursor move, memory.

    python bench/tui.py --db /tmp/big.sqlite3 --user boss [--runs 7] [--everyone]

Build the database once with `crmtui --db /tmp/big.sqlite3 demo --customers 100000` (about a
minute); `boss` is its manager. Each launch is a fresh process running `crmtui --db DB` as the
user, headless; its time runs from spawning the process until the Today screen has painted its
due list (imports, settings, opening the database, the daily grade move and the due-list query
included). Medians are reported.
Targets: launch <= 0.5 s, cursor move <= 16 ms CPU, <= 100 MB RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

CHILD = r"""
import asyncio, json, os, sys, time
import importlib.abc, importlib.util

db, user, everyone, moves = sys.argv[1], sys.argv[2], sys.argv[3] == "1", int(sys.argv[4])


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def report(**facts):
    print(json.dumps({"rss_mb": rss_mb(), **facts}), flush=True)


def painted(app, count):
    report(items=count)
    app.exit()


def report_when_painted(app_module):
    # Today's list on screen, then quit; headless, the size the floor app gets.
    from crmtui.screens.today import TodayScreen

    shown = TodayScreen._loaded

    def loaded(self, data):
        shown(self, data)
        self.call_after_refresh(painted, self.app, len(data.items))

    TodayScreen._loaded = loaded
    run = app_module.CrmApp.run
    app_module.CrmApp.run = lambda self, **options: run(self, headless=True, size=(120, 40))


class AfterImport(importlib.abc.MetaPathFinder):
    # Patches crmtui.app once the command line imports it (after it has started reading
    # Today's list): the start measured is the command line's own.
    def find_spec(self, name, path, target=None):
        if name != "crmtui.app":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        execute = spec.loader.exec_module

        def exec_module(module):
            execute(module)
            report_when_painted(module)

        spec.loader.exec_module = exec_module
        return spec


async def cursor():
    # CPU per key press in Today, repaint included (the pilot's own idle checks add a little).
    from crmtui.app import CrmApp
    from crmtui.services.context import open_context

    app = CrmApp(open_context(db, login=user), everyone=everyone)
    async with app.run_test(size=(120, 40)) as pilot:
        while not getattr(app.screen, "data", None):
            await pilot.pause(0.05)
        await pilot.pause()
        cpu = []
        for step in range(moves):
            start = time.process_time()
            await pilot.press("j" if step % 60 < 30 else "k")
            cpu.append(time.process_time() - start)
        cpu.sort()
        report(items=len(app.screen.data.items), move_ms_median=1000 * cpu[len(cpu) // 2],
               move_ms_p95=1000 * cpu[int(len(cpu) * 0.95)])


if moves:
    asyncio.run(cursor())
elif everyone:  # a manager's view of everyone (the command line opens the user's own)
    import crmtui.app as app_module
    from crmtui.services.context import open_context

    report_when_painted(app_module)
    app_module.CrmApp(open_context(db, login=user), everyone=True).run()
else:  # `crmtui --db DB`, acting as the user (the benchmark's runner is a manager there)
    sys.meta_path.insert(0, AfterImport())
    os.environ["CRMTUI_USER"] = user
    sys.argv = ["crmtui", "--db", db]
    from crmtui.__main__ import run

    run()
"""


# The floor: a minimal Textual app painting the same names in a DataTable, no database (the
# rows are handed to it as JSON, read before the clock starts).
MINIMAL = r"""
import json, sys
from textual.app import App
from textual.widgets import DataTable

class Minimal(App):
    def compose(self):
        yield DataTable()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("customer", "company", "grade", "due", "detail")
        rows = json.loads(sys.argv[1])
        table.add_rows(rows)
        self.call_after_refresh(self.painted, len(rows))

    def painted(self, count):
        print(json.dumps({"items": count}), flush=True)
        self.exit()

Minimal().run(headless=True, size=(120, 40))
"""


def due_names(db: str, user: str) -> str:
    """The rows Today would show for `user`, as the JSON the floor app is given."""
    from crmtui.services.context import open_context
    from crmtui.services.due import due_list

    ctx = open_context(db, login=user)
    rows = [(i.customer, i.company, i.grade.value if i.grade else "", i.due.isoformat(),
             i.detail) for i in due_list(ctx)]
    ctx.store.close()
    return json.dumps(rows, ensure_ascii=False)


def launch_minimal(names: str) -> float:
    """Wall time of the floor app, spawned the same way, to its table painted."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", MINIMAL, names],
                               stdout=subprocess.PIPE, text=True)
    process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.wait()
    return elapsed


def launch(db: str, user: str, everyone: bool, moves: int = 0) -> tuple[float, float, dict]:
    """Wall time to Today painted, the child's CPU time in all (user + system), its report."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", CHILD, db, user, "1" if everyone else "0",
                                str(moves)], stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    _pid, _status, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    return elapsed, usage.ru_utime + usage.ru_stime, json.loads(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--user", default=os.environ.get("CRMTUI_USER", "boss"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--everyone", action="store_true", help="a manager's view of everyone")
    parser.add_argument("--moves", type=int, default=200, help="cursor moves to time")
    args = parser.parse_args()
    from run import let_runner_act_as_anyone  # the launches act as args.user

    let_runner_act_as_anyone(Path(args.db))
    times, cpus, facts = [], [], {}
    for _run in range(args.runs):
        elapsed, cpu, facts = launch(args.db, args.user, args.everyone)
        times.append(elapsed)
        cpus.append(cpu)
    print(f"launch to Today painted: median {statistics.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}; {args.runs} runs; "
          f"{facts['items']} items due); process CPU median "
          f"{statistics.median(cpus) * 1000:.0f} ms; RSS {facts['rss_mb']:.0f} MB; "
          f"load average {os.getloadavg()[0]:.1f}")
    _elapsed, _cpu, moved = launch(args.db, args.user, args.everyone, args.moves)
    print(f"cursor move in Today: median {moved['move_ms_median']:.2f} ms CPU, "
          f"p95 {moved['move_ms_p95']:.2f} ms ({args.moves} moves); "
          f"RSS after {moved['rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
