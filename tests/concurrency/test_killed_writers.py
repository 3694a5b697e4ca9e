"""Writers killed with SIGKILL in the middle of their transactions lose no committed row and
leave a database whose every stored figure is still right."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from datetime import timezone

import pytest

from crmtui.db import Customer, Interaction
from crmtui.services.context import open_context
from crmtui.services.maintenance import check_database
from tests.concurrency import many_writers


@pytest.mark.slow
def test_writers_killed_mid_transaction_lose_no_committed_row(db_target, clock, tmp_path):
    plan = many_writers.prepare(db_target, clock)
    rng = random.Random(6)
    commits = []
    for round_number in range(2):
        writers = []
        for login in ("rep1", "rep2", "boss", "mgr2"):
            log = tmp_path / f"{login}-{round_number}.ids"
            commits.append(log)
            writers.append(subprocess.Popen(
                [sys.executable, str(many_writers.WRITER), str(db_target), login, "100000",
                 ",".join(map(str, plan.work[login])), "--commits", str(log)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True))
        for writer in writers:
            assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
        for writer in writers:
            writer.stdin.write("go\n")
            writer.stdin.flush()
        for writer in writers:
            time.sleep(rng.uniform(0.1, 0.4))
            writer.send_signal(signal.SIGKILL)
        for writer in writers:
            writer.communicate(timeout=30)
            assert writer.returncode == -signal.SIGKILL

    acknowledged = {int(line) for log in commits if log.exists()
                    for line in log.read_text().split()}
    assert len(acknowledged) > 20  # the writers did get work done before being killed
    ctx = open_context(db_target, login="boss", clock=clock, zone=timezone.utc)
    try:
        stored = {i.id for i in Interaction.select(Interaction.id)}
        assert acknowledged <= stored
        numbers = defaultdict(list)
        for interaction in Interaction.select():
            numbers[interaction.customer_id].append(interaction.followup_number)
        for customer in Customer.select():
            # no half-saved contact: the customer row moved exactly with its interactions
            count = len(numbers[customer.id])
            assert sorted(numbers[customer.id]) == list(range(count))
            assert customer.followups == max(count - 1, 0)
        if ctx.store.is_sqlite:
            rows = ctx.store.db.execute_sql("PRAGMA integrity_check").fetchall()
            assert rows == [("ok",)]
    finally:
        ctx.store.close()
    report = check_database(db_target)
    assert report.ok, report.problems
