"""Many users saving at once on one database: nothing lost, every derived figure right, no error
reaching a user — on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections import defaultdict
from datetime import timezone

import pytest

from crmtui.db import Customer, Interaction
from crmtui.services.context import open_context
from crmtui.services.maintenance import check_database
from tests.concurrency import many_writers
from tests.conftest import TODAY


@pytest.mark.slow
def test_eight_processes_log_800_interactions_and_every_count_and_due_date_is_right(
        db_target, clock):
    plan = many_writers.prepare(db_target, clock)
    run = many_writers.run(db_target, plan)
    assert run.failures == []
    assert run.logged == 800

    ctx = open_context(db_target, login="boss", clock=clock, zone=timezone.utc)
    try:
        assert Interaction.select().count() == 800
        numbers = defaultdict(list)
        for interaction in Interaction.select().order_by(Interaction.id):
            numbers[interaction.customer_id].append(interaction.followup_number)
        expected = plan.expected_counts()
        assert {cid: len(n) for cid, n in numbers.items()} == dict(expected)
        for customer in Customer.select():
            count = expected[customer.id]
            # each contact got its own number: no two writers read the same count
            assert sorted(numbers[customer.id]) == list(range(count)), customer.name
            assert customer.followups == count - 1
            assert customer.last_contact_on == TODAY
            assert customer.grade == plan.grades[customer.id]
            cadence_days = {"A": 1, "D": 30}[customer.grade]
            assert (customer.next_due - TODAY).days == cadence_days, customer.name
    finally:
        ctx.store.close()
    report = check_database(db_target)
    assert report.ok, report.problems
