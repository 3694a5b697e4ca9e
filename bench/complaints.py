"""Complaint queue, metrics and Today's complaint section on the benchmark database.

    python bench/complaints.py [--db bench/results/bench-100k.sqlite3] [--runs 20]

The database is the one bench/run.py builds (100,000 customers, about 5,000 complaints). The
queue is what the Complaints screen and `crmtui complaint list` show; the metrics are one of
the dashboard's aggregates (SPEC §7: all of them together ≤ 150 ms).
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_DB, Report, Row, stats, time_calls  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db} is missing; build it with python bench/run.py")

    from crmtui.db import Complaint
    from crmtui.rules import DueKind
    from crmtui.services.complaints import complaint_metrics, complaint_queue
    from crmtui.services.context import open_context
    from crmtui.services.due import due_list

    support = open_context(args.db, login="support", create=False)
    today = support.today()
    report = Report()
    report.facts["complaints"] = Complaint.select().count()
    report.facts["open"] = len(complaint_queue(support))
    cases = [
        ("queue: open complaints (support)", "≤ 50 ms", lambda: complaint_queue(support)),
        ("queue: with resolved and closed", "≤ 150 ms",
         lambda: complaint_queue(support, include_closed=True)),
        ("queue: mine", "≤ 50 ms", lambda: complaint_queue(support, mine=True)),
        ("queue: critical and high", "≤ 50 ms",
         lambda: complaint_queue(support, severity="critical,high")),
        ("metrics: last 30 days, everyone", "≤ 30 ms", lambda: complaint_metrics(
            support, today - timedelta(days=29), today, everyone=True)),
        ("metrics: last 90 days, everyone", "≤ 30 ms", lambda: complaint_metrics(
            support, today - timedelta(days=89), today, everyone=True)),
        ("due list: complaint section, all", "≤ 50 ms",
         lambda: due_list(support, everyone=True, kinds={DueKind.COMPLAINT})),
    ]
    for what, target, function in cases:
        median, low, high = stats(time_calls(function, args.runs))
        limit = float(target.split()[1])
        report.add(Row(what, target, median, low, high, "ms", args.runs, ok=median <= limit))
    print(f"data: {report.facts}", file=sys.stderr)
    report.print_table()


if __name__ == "__main__":
    main()
