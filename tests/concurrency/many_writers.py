"""Eight users logging interactions at once, shared by the test and bench/concurrent_writers.py.

Four reps each log on their own three customers; four managers log on all twelve, so every
customer is written by five processes at once.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path

from crmtui.db import User
from crmtui.services.context import open_context
from crmtui.services.customers import add_customer

WRITER = Path(__file__).with_name("writer.py")
REPS = ("rep1", "rep2", "rep3", "rep4")
MANAGERS = ("boss", "mgr2", "mgr3", "mgr4")


@dataclass
class Plan:
    """Who logs on which customers, and how many each customer should end up with."""

    work: dict[str, list[int]]
    per_writer: int
    grades: dict[int, str]

    def expected_counts(self) -> Counter:
        counts: Counter = Counter()
        for customers in self.work.values():
            for number in range(self.per_writer):
                counts[customers[number % len(customers)]] += 1
        return counts


def prepare(target, clock, per_writer: int = 100) -> Plan:
    """Users and customers in a new database; half the customers are A (clear need, close
    soon), half D, so next due dates differ by grade."""
    ctx = open_context(target, login="boss", clock=clock, zone=timezone.utc)
    try:
        for login in REPS:
            User.create(login=login, display_name=login, role="rep", created_at=clock())
        for login in MANAGERS[1:]:
            User.create(login=login, display_name=login, role="manager", created_at=clock())
        owned: dict[str, list[int]] = {}
        grades: dict[int, str] = {}
        for rep in REPS:
            owned[rep] = []
            for index in range(3):
                values = {"name": f"{rep} customer {index}"}
                if index % 2 == 0:
                    values.update(need="clear", expected_close="+10d")
                customer = add_customer(ctx, values, owner=rep)
                owned[rep].append(customer.id)
                grades[customer.id] = customer.grade
    finally:
        ctx.store.close()
    everyone = [cid for rep in REPS for cid in owned[rep]]
    work = {rep: owned[rep] for rep in REPS}
    for offset, manager in enumerate(MANAGERS):
        work[manager] = everyone[offset * 3:] + everyone[:offset * 3]
    return Plan(work=work, per_writer=per_writer, grades=grades)


@dataclass
class Run:
    seconds: float
    results: list[dict]
    failures: list[str]

    @property
    def logged(self) -> int:
        return sum(r["logged"] for r in self.results)

    @property
    def retries(self) -> int:
        return sum(r["retries"] for r in self.results)

    def reasons(self) -> Counter:
        total: Counter = Counter()
        for result in self.results:
            total.update(result["reasons"])
        return total


def run(target, plan: Plan, env=None, timeout: float = 300) -> Run:
    """Start every writer, let them go at the same moment, wait for all of them."""
    writers = []
    for login, customers in plan.work.items():
        writers.append(subprocess.Popen(
            [sys.executable, str(WRITER), str(target), login, str(plan.per_writer),
             ",".join(map(str, customers))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=env))
    failures = []
    for writer in writers:
        line = writer.stdout.readline().strip()
        if line != "ready":
            failures.append(f"not ready: {line} {writer.stderr.read()}")
    started = time.perf_counter()
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()
    results = []
    for writer in writers:
        out, err = writer.communicate(timeout=timeout)
        if writer.returncode != 0 or err.strip():
            failures.append(f"exit {writer.returncode}: {err.strip()}")
        for line in out.splitlines():
            if line.startswith("{"):
                results.append(json.loads(line))
    return Run(seconds=time.perf_counter() - started, results=results, failures=failures)
