"""A user logging interactions as fast as they can, in a process of its own.

    python writer.py TARGET LOGIN COUNT CUSTOMER_IDS [--commits FILE]

Prints "ready", waits for a line on stdin (so that every writer starts at once), logs COUNT
interactions through the service layer on the customers given (comma-separated, in turn), then
prints one JSON line: how many were logged, how many retries the database needed, seconds.
With --commits, appends each committed interaction's id to FILE as soon as it is committed
(a test kills writers and then checks that every id written there is in the database).
Any error ends the process with the one line a user would see and exit code 1.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from datetime import datetime, timezone

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


class RetryCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.retries = 0
        self.reasons: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("retrying"):
            self.retries += 1
            reason = str(record.args[-1]) if record.args else ""
            self.reasons[reason] = self.reasons.get(reason, 0) + 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("target")
    parser.add_argument("login")
    parser.add_argument("count", type=int)
    parser.add_argument("customers")
    parser.add_argument("--commits")
    args = parser.parse_args()

    from crmtui.errors import CrmError
    from crmtui.services.context import open_context
    from crmtui.services.interactions import log_interaction

    counter = RetryCounter()
    logger = logging.getLogger("crmtui.db")
    logger.addHandler(counter)
    logger.setLevel(logging.INFO)
    customers = [int(c) for c in args.customers.split(",")]
    commits = open(args.commits, "a", buffering=1) if args.commits else None
    try:
        ctx = open_context(args.target, login=args.login, clock=lambda: NOW, zone=timezone.utc)
        print("ready", flush=True)
        sys.stdin.readline()
        started = time.perf_counter()
        for number in range(args.count):
            result = log_interaction(ctx, customers[number % len(customers)],
                                     summary=f"{args.login} call {number}", outcome="neutral")
            if commits:
                commits.write(f"{result.interaction.id}\n")
                os.fsync(commits.fileno())
        seconds = time.perf_counter() - started
    except CrmError as error:
        print(f"crmtui: {error}", file=sys.stderr)
        return 1
    print(json.dumps({"login": args.login, "logged": args.count, "retries": counter.retries,
                      "reasons": counter.reasons, "seconds": seconds}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
