"""Figures summed ahead, kept by the database's triggers (crmtui.db.figures) in the transaction
of every write, whoever writes: the dashboard and the receivables read a few rows of these."""

from __future__ import annotations

from peewee import (
    CharField,
    CompositeKey,
    IntegerField,
)

from crmtui.db.fields import IsoDateField, MoneyField
from crmtui.db.models.base import BaseModel


class OwedDay(BaseModel):
    """What one owner's customers owe on the orders owed since one day (sales_order.owed > 0):
    the receivables, summed ahead. Kept by the database's triggers (crmtui.db.figures) in the
    transaction of every write to an order or a customer's owner, whoever writes."""

    owner_id = IntegerField()
    owed_since = IsoDateField()
    """The order's owed_since (its day where that is not set)."""
    owed = MoneyField(default=0)
    orders = IntegerField(default=0)

    class Meta:
        table_name = "owed_day"
        primary_key = CompositeKey("owner_id", "owed_since")


class PipelineDay(BaseModel):
    """The team's open opportunities of one grade expected to close on one day: the pipeline,
    summed ahead by the database's triggers (crmtui.db.figures) on every write to a customer.
    A rep's own pipeline is read from their customers."""

    grade = CharField(max_length=1)
    close_on = IsoDateField()
    """The expected close; NO_CLOSE_DAY when there is no estimate."""
    customers = IntegerField(default=0)
    amount = MoneyField(default=0)

    class Meta:
        table_name = "pipeline_day"
        primary_key = CompositeKey("grade", "close_on")


class GradeTally(BaseModel):
    """How many customers one owner has of one grade (the grade × rep matrix), kept by the
    database's triggers (crmtui.db.figures) on every write to a customer."""

    owner_id = IntegerField()
    grade = CharField(max_length=1)
    customers = IntegerField(default=0)

    class Meta:
        table_name = "grade_tally"
        primary_key = CompositeKey("owner_id", "grade")


class StageTally(BaseModel):
    """The team's open customers (grade A–D, not terminated) by grade and follow-ups so far,
    kept by the database's triggers (crmtui.db.figures)."""

    grade = CharField(max_length=1)
    followups = IntegerField()
    customers = IntegerField(default=0)

    class Meta:
        table_name = "stage_tally"
        primary_key = CompositeKey("grade", "followups")


class SourceTally(BaseModel):
    """The team's customers by source and deal status (conversion by source), kept by the
    database's triggers (crmtui.db.figures)."""

    source = CharField(max_length=16)
    deal_status = CharField(max_length=16)
    customers = IntegerField(default=0)

    class Meta:
        table_name = "source_tally"
        primary_key = CompositeKey("source", "deal_status")


class LifecycleTally(BaseModel):
    """How many customers one owner has in one lifecycle (the lapsed count), kept by the
    database's triggers (crmtui.db.figures) on every write to a customer."""

    owner_id = IntegerField()
    lifecycle = CharField(max_length=12)
    customers = IntegerField(default=0)

    class Meta:
        table_name = "lifecycle_tally"
        primary_key = CompositeKey("owner_id", "lifecycle")


class DueTally(BaseModel):
    """How many customers one owner has next due on one day, chased (not terminated) or not:
    the overdue and missed follow-ups per rep, kept by the database's triggers
    (crmtui.db.figures) on every write to a customer."""

    owner_id = IntegerField()
    next_due = IsoDateField()
    chased = IntegerField()
    """1 for a customer someone chases, 0 for a terminated one."""
    customers = IntegerField(default=0)

    class Meta:
        table_name = "due_tally"
        primary_key = CompositeKey("owner_id", "next_due", "chased")


class OrderDay(BaseModel):
    """The team's orders of one day by the lifecycle their customer is in now (what the lapsed
    customers bought), kept by the database's triggers (crmtui.db.figures) on every write to an
    order and to a customer's lifecycle."""

    lifecycle = CharField(max_length=12)
    on = IsoDateField()
    amount = MoneyField(default=0)
    orders = IntegerField(default=0)

    class Meta:
        table_name = "order_day"
        primary_key = CompositeKey("on", "lifecycle")


class RepOrderDay(BaseModel):
    """The orders one user booked on one day (the order's `by`): each rep's orders in a target's
    period, summed from a few rows per rep where they read every order. Kept by the database's
    triggers (crmtui.db.figures) on every write to an order."""

    by_id = IntegerField()
    on = IsoDateField()
    amount = MoneyField(default=0)
    orders = IntegerField(default=0)

    class Meta:
        table_name = "rep_order_day"
        primary_key = CompositeKey("by_id", "on")


class RepInteractionDay(BaseModel):
    """The interactions one user logged on one UTC day (the interaction's `by` and the day of
    its `at`): each rep's follow-ups done in a period, summed from a few rows per rep for the
    period's whole days where they read every interaction. Kept by the database's triggers
    (crmtui.db.figures) on every write to an interaction."""

    by_id = IntegerField()
    on = IsoDateField()
    interactions = IntegerField(default=0)

    class Meta:
        table_name = "rep_interaction_day"
        # the day first: a period's rows are one stretch of the key, whoever logged them
        primary_key = CompositeKey("on", "by_id")


class BuyDay(BaseModel):
    """Each day a customer bought, counted by that day and the customer's previous buying day
    (LONG_AGO when there was none within PREVIOUS_WITHIN days): the team's retention reads how
    many customers bought in one period and again in the next from a few thousand of these.
    Kept by the database's triggers (crmtui.db.figures) on every write to an order."""

    on = IsoDateField()
    prev_on = IsoDateField()
    customers = IntegerField(default=0)

    class Meta:
        table_name = "buy_day"
        primary_key = CompositeKey("on", "prev_on")


class RevenueTally(BaseModel):
    """The team's customers with revenue, counted and summed per band of revenue (its digits
    and first three: crmtui.db.figures.REVENUE_BAND): the 80/20 ranking walks these and reads
    only the customers of the bands where a figure falls. Kept by the database's triggers
    (crmtui.db.figures) on every write to a customer."""

    band = IntegerField(primary_key=True)
    customers = IntegerField(default=0)
    revenue = MoneyField(default=0)

    class Meta:
        table_name = "revenue_tally"
