"""Throughput of eight processes logging interactions at once (the concurrency test's load).

    python bench/concurrent_writers.py [--pg URL] [--per-writer 100] [--repeat 3]

Prints interactions per second for SQLite (a temporary file) and, with --pg or
CRMTUI_TEST_PG_URL, for PostgreSQL (a temporary schema), with the retries the database needed.
Four reps log on their own three customers, four managers on all twelve.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.concurrency import many_writers  # noqa: E402
from tests.conftest import Clock  # noqa: E402


def sqlite_target(folder: Path) -> str:
    return str(folder / f"bench-{uuid.uuid4().hex[:8]}.sqlite3")


def pg_target(url: str):
    import psycopg2
    from urllib.parse import urlsplit, urlunsplit

    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(url)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE SCHEMA "{name}"')
    admin.close()
    target = urlunsplit(urlsplit(url)._replace(query=f"options=-csearch_path%3D{name}"))

    def drop():
        connection = psycopg2.connect(url)
        connection.autocommit = True
        connection.cursor().execute(f'DROP SCHEMA "{name}" CASCADE')
        connection.close()

    return target, drop


def measure(make_target, per_writer: int, repeat: int, label: str) -> None:
    rates, retries, reasons = [], [], {}
    for _ in range(repeat):
        target, cleanup = make_target()
        try:
            plan = many_writers.prepare(target, Clock(), per_writer)
            run = many_writers.run(target, plan)
        finally:
            cleanup()
        if run.failures:
            raise SystemExit(f"{label}: {run.failures}")
        rates.append(run.logged / run.seconds)
        retries.append(run.retries)
        for reason, count in run.reasons().items():
            reasons[reason] = reasons.get(reason, 0) + count
    print(f"{label}: {statistics.median(rates):.0f} interactions/s (median of {repeat}; "
          f"runs {', '.join(f'{r:.0f}' for r in rates)}), retries per run {retries}")
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
        print(f"    {count:5d} x {reason}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("CRMTUI_TEST_PG_URL"))
    parser.add_argument("--per-writer", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("CRMTUI_DATA_DIR", tempfile.mkdtemp(prefix="crmtui-bench-"))
    with tempfile.TemporaryDirectory() as folder:
        measure(lambda: (sqlite_target(Path(folder)), lambda: None), args.per_writer,
                args.repeat, "SQLite")
    if args.pg:
        measure(lambda: pg_target(args.pg), args.per_writer, args.repeat, "PostgreSQL")


if __name__ == "__main__":
    main()
