"""The Complaints screen on the benchmark database: the queue shown, a cursor move, a filter.

    python bench/complaints_screen.py [--db bench/results/bench-100k.sqlite3] [--user support]
                                      [--moves 200]

The database is the one bench/run.py builds (100,000 customers, about 5,000 complaints). It
runs the app headless at 120×40 as a support user and reports: from pressing `4` to the queue
painted (open and resolved complaints; then with `closed`, all of them), the CPU time of a
cursor move in the queue (target as for Today: ≤ 16 ms), and a filter word applied to the rows
already read.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_DB  # noqa: E402


async def measure(db: Path, user: str, moves: int) -> None:
    from crmtui.app import CrmApp
    from crmtui.screens.complaints import ComplaintsScreen
    from crmtui.services.context import open_context
    from crmtui.widgets.complaint_list import ComplaintList

    app = CrmApp(open_context(db, login=user, create=False))
    async with app.run_test(size=(120, 40)) as pilot:
        async def settled() -> None:
            await pilot.pause()
            while any(not worker.is_finished for worker in app.workers):
                await pilot.pause(0.005)
            await pilot.pause()

        await settled()
        started = time.perf_counter()
        await pilot.press("4")
        await settled()
        screen = app.screen
        assert isinstance(screen, ComplaintsScreen)
        shown = time.perf_counter() - started
        queue = screen.query_one(ComplaintList)
        print(f"queue painted: {shown * 1000:.0f} ms for {len(queue.items):,} complaints "
              "(open and resolved)")

        cpu = []
        for step in range(moves):
            begin = time.process_time()
            await pilot.press("j" if step % 60 < 30 else "k")
            cpu.append(time.process_time() - begin)
        cpu.sort()
        print(f"cursor move: median {statistics.median(cpu) * 1000:.2f} ms CPU, "
              f"p95 {cpu[int(len(cpu) * 0.95)] * 1000:.2f} ms ({moves} moves)")

        await pilot.press("G", "g")
        started = time.perf_counter()
        screen.query_one("FilterBar").toggle_word("closed")
        await pilot.pause(0.2)  # the filter's typing delay
        await settled()
        print(f"with closed: {(time.perf_counter() - started - 0.2) * 1000:.0f} ms for "
              f"{len(queue.items):,} complaints (after the 150 ms typing delay)")

        begin = time.process_time()
        started = time.perf_counter()
        screen.query_one("FilterBar").toggle_word("delivery")
        await settled()
        print(f"a search word on the rows read: {(time.perf_counter() - started) * 1000:.0f} ms "
              f"({(time.process_time() - begin) * 1000:.0f} ms CPU), {len(queue.items):,} shown")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--user", default="support")
    parser.add_argument("--moves", type=int, default=200)
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db} is missing; build it with python bench/run.py")
    asyncio.run(measure(args.db, args.user, args.moves))
    return 0


if __name__ == "__main__":
    sys.exit(main())
