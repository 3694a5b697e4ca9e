"""The build: customers in batches of 2,000 flushed in bulk (so 100,000 take seconds), then the
steps that need every customer made: value classes, plans, targets, instructions, appointments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crmtui.db import Complaint, Contact, Customer, Interaction, Order, Survey, write_transaction
from crmtui.db.bulk import deferred_indexes, deferred_insert_figures, reset_sequences
from crmtui.demo.accounts import maintain, plans, targets
from crmtui.demo.customers import customer
from crmtui.demo.rows import TABLES
from crmtui.demo.schedule import appointments, instructions
from crmtui.demo.state import DemoState
from crmtui.errors import CrmError
from crmtui.services.access import require_manager
from crmtui.services.context import Context

BATCH = 2000
"""Customers made between two flushes of the row buffers."""


@dataclass(frozen=True)
class DemoSummary:
    customers: int
    users: int
    interactions: int
    orders: int
    complaints: int
    care_dates: int
    promises: int


def build_demo(
    ctx: Context,
    customers: int = 200,
    *,
    seed: int = 7,
    today: date | None = None,
    interactions_per_customer: float = 10.0,
) -> DemoSummary:
    """Fill an empty database. Refuses a database that already holds customers."""
    if customers < 1 or customers > 2_000_000:
        raise CrmError("--customers must be between 1 and 2,000,000")
    ctx.require_writable()
    require_manager(ctx, "fill the database with demo data")
    with write_transaction():
        if Customer.select().exists():
            raise CrmError(
                f"the database already holds {Customer.select().count()} customers; demo data "
                "goes only into an empty database (choose another file with --db)"
            )
        demo = DemoState(ctx, customers, seed, today or ctx.today(), interactions_per_customer)
        return _run(demo)


def _run(demo: DemoState) -> DemoSummary:
    owners = demo.owners
    with (
        deferred_indexes(TABLES.values()),
        deferred_insert_figures(Customer),
        deferred_insert_figures(Order),
        deferred_insert_figures(Interaction),
    ):
        for start in range(1, demo.count + 1, BATCH):
            for customer_id in range(start, min(start + BATCH, demo.count + 1)):
                customer(demo, customer_id, owners)
            demo.rows.flush()
        maintain(demo, plans(demo))
        targets(demo, owners)
        instructions(demo, owners)
        demo.rows.flush()
        appointments(demo, owners)
        demo.rows.flush()
    reset_sequences([Customer, Interaction, Complaint, Order, Contact, Survey])
    counts = demo.rows.counts
    return DemoSummary(
        customers=counts["customer"],
        users=len(owners) + 1,
        interactions=counts["interaction"],
        orders=counts["order"],
        complaints=counts["complaint"],
        care_dates=counts["care"],
        promises=counts["commitment"],
    )
