"""Complaint queue and metrics timings on a demo database (medians of repeated runs).

    crmtui --db /tmp/big.sqlite3 demo --customers 100000     # ~5,000 complaints
    python bench/complaints.py /tmp/big.sqlite3 [--runs 15]

Targets: the queue a screen shows, and the metrics a dashboard shows, each well under the
dashboard budget of SPEC §7 (all aggregates together ≤ 150 ms).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import timedelta

from crmtui.db import Complaint
from crmtui.rules import DueKind
from crmtui.services.complaints import complaint_metrics, complaint_queue
from crmtui.services.context import open_context
from crmtui.services.due import due_list


def median_ms(function, runs: int) -> tuple[float, object]:
    result = function()  # warm the page cache and peewee's query compilation
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--user", default="support")
    args = parser.parse_args()
    ctx = open_context(args.db, login=args.user, create=False)
    today = ctx.today()
    print(f"{Complaint.select().count()} complaints; acting as {ctx.user.login} ({ctx.role})")
    cases = {
        "queue: open complaints": lambda: complaint_queue(ctx),
        "queue: all, incl. closed": lambda: complaint_queue(ctx, include_closed=True),
        "queue: mine": lambda: complaint_queue(ctx, mine=True),
        "queue: critical+high": lambda: complaint_queue(ctx, severity="critical,high"),
        "metrics: last 30 days": lambda: complaint_metrics(
            ctx, today - timedelta(days=29), today, everyone=True),
        "metrics: last 90 days": lambda: complaint_metrics(
            ctx, today - timedelta(days=89), today, everyone=True),
        "due list: complaints, everyone": lambda: due_list(
            ctx, everyone=True, kinds={DueKind.COMPLAINT}),
    }
    for name, function in cases.items():
        ms, result = median_ms(function, args.runs)
        size = len(result) if isinstance(result, list) else result.total.opened
        print(f"{name:34} {ms:8.2f} ms  ({size} rows)")


if __name__ == "__main__":
    main()
