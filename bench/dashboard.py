"""The dashboard's aggregates on the benchmark database (SPEC §7: all together ≤ 150 ms).

    python bench/dashboard.py [--db bench/results/bench-100k.sqlite3] [--runs 20] [--screen]

Times `services.stats.dashboard` whole (every figure the Dashboard screen and `crmtui stats`
show, for the manager's team and for one rep, over 7, 30 and 90 days) and each figure alone,
as the median of repeated runs, wall clock and the process's CPU time (on a shared machine the
CPU time shows the work without other processes' share).

With --screen, times the Dashboard screen instead (headless, 120×40): from the start of its
read in a worker thread to the figures painted, refreshed with `r` again and again, for the
manager's team and for one rep.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_DB, MANAGER, Report, Row  # noqa: E402


def sample(function, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds per call, after one warm-up call."""
    function()
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


async def screen_times(ctx, everyone: bool, runs: int) -> list[float]:
    """Milliseconds from the screen starting a read to its figures painted, per refresh."""
    from crmtui.app import CrmApp

    app = CrmApp(ctx, everyone=everyone)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        screen = app.screen
        for expected in range(1, runs + 2):  # the first read warms up
            while len(screen.paint_times) < expected:
                await pilot.pause(0.1)  # seldom, so the harness takes little of the GIL
            if expected <= runs:
                await pilot.press("r")
        return screen.paint_times[1:]


def main_screen(args) -> None:
    import asyncio

    from crmtui.db import User
    from crmtui.services.context import open_context

    manager = open_context(args.db, login=MANAGER, create=False)
    rep_login = User.select(User.login).where(User.role == "rep").order_by(User.id).scalar()
    rep = open_context(args.db, login=rep_login, create=False)
    report = Report()
    for what, ctx, everyone in (("Dashboard screen: team, 30 days", manager, True),
                                (f"Dashboard screen: one rep ({rep_login}), 30 days", rep,
                                 False)):
        times = asyncio.run(screen_times(ctx, everyone, args.runs))
        report.add(Row(what, "≤ 150 ms", statistics.median(times), min(times), max(times), "ms",
                       args.runs, note="read start to figures painted",
                       ok=statistics.median(times) <= 150))
    report.print_table()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--screen", action="store_true",
                        help="time the Dashboard screen, read to paint")
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db} is missing; build it with python bench/run.py")
    if args.screen:
        main_screen(args)
        return

    from crmtui.db import Customer, User
    from crmtui.services.context import open_context
    from crmtui.services.stats import dashboard

    manager = open_context(args.db, login=MANAGER, create=False)
    rep_login = User.select(User.login).where(User.role == "rep").order_by(User.id).scalar()
    rep = open_context(args.db, login=rep_login, create=False)
    report = Report()
    report.facts["customers"] = Customer.select().count()
    cases = [(f"dashboard: team, {period} days", manager, period, True) for period in (7, 30, 90)]
    cases += [(f"dashboard: one rep ({rep_login}), 30 days", rep, 30, False)]
    for what, ctx, period, everyone in cases:
        parts: dict[str, list[float]] = {}

        def run():
            for name, ms in dashboard(ctx, period, everyone=everyone).timings.items():
                parts.setdefault(name, []).append(ms)

        wall, cpu = sample(run, args.runs)
        median = statistics.median(wall)
        slowest = max(parts, key=lambda name: statistics.median(parts[name]))
        note = (f"CPU {statistics.median(cpu):.1f} ms; slowest figure {slowest} "
                f"{statistics.median(parts[slowest]):.1f} ms; "
                + ", ".join(f"{name} {statistics.median(ms):.1f}" for name, ms in parts.items()))
        report.add(Row(what, "≤ 150 ms", median, min(wall), max(wall), "ms", args.runs,
                       note=note, ok=median <= 150))
    print(f"data: {report.facts}", file=sys.stderr)
    report.print_table()


if __name__ == "__main__":
    main()
