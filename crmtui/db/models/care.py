"""Caring for the customer: complaints and their timeline, yearly care dates, holiday greetings
and satisfaction surveys."""

from __future__ import annotations

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    CharField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
)

from crmtui.db.fields import ForeignKeyId, IsoDateField, UtcDateTimeField
from crmtui.db.models.archive import Customer
from crmtui.db.models.base import BLANK, BaseModel, User


class Complaint(BaseModel):
    id = AutoField()
    customer = ForeignKeyField(Customer, backref="complaints", on_delete="CASCADE")
    customer_id: ForeignKeyId[int]
    opened_at = UtcDateTimeField()
    channel = CharField(max_length=16, default="phone")
    category = CharField(max_length=64, default="")
    severity = CharField(max_length=16, default="normal")
    summary = CharField(max_length=300)
    description = TextField(default="")
    owner = ForeignKeyField(User, null=True, backref="complaints", on_delete="SET NULL")
    owner_id: ForeignKeyId[int | None]
    status = CharField(max_length=20, default="new")
    respond_by = UtcDateTimeField()
    resolve_by = UtcDateTimeField()
    acknowledged_at = UtcDateTimeField(null=True)
    promised_at = UtcDateTimeField(null=True)
    waiting_since = UtcDateTimeField(null=True)  # set while waiting_customer: the clock is paused
    paused_seconds = IntegerField(default=0)
    resolved_at = UtcDateTimeField(null=True)
    closed_at = UtcDateTimeField(null=True)
    resolution = TextField(default="")
    root_cause = TextField(default="")
    satisfaction = SmallIntegerField(null=True)
    created_by = ForeignKeyField(User, backref="+")
    created_by_id: ForeignKeyId[int]
    updated_at = UtcDateTimeField()
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            (("status", "resolve_by"), False),
            (("owner", "status"), False),
            (("opened_at",), False),
        )


class ComplaintEvent(BaseModel):
    """The complaint's timeline: who did what when."""

    id = AutoField()
    complaint = ForeignKeyField(Complaint, backref="events", on_delete="CASCADE")
    complaint_id: ForeignKeyId[int]
    at = UtcDateTimeField()
    by = ForeignKeyField(User, backref="+")
    by_id: ForeignKeyId[int]
    kind = CharField(max_length=16)  # opened | status | note | severity | owner | promise
    from_value = CharField(max_length=64, default="")
    to_value = CharField(max_length=64, default="")
    note = TextField(default="")


class CareDate(BaseModel):
    """A yearly date to care for the customer (客户关怀): birthday, anniversary…"""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="care_dates", on_delete="CASCADE")
    customer_id: ForeignKeyId[int]
    kind = CharField(max_length=16, default="birthday")  # birthday | anniversary | other
    month = SmallIntegerField()
    day = SmallIntegerField()
    year = SmallIntegerField(null=True)  # birth year when known; a --MM-DD birthday has none
    lunar = BooleanField(default=False)
    leap = BooleanField(default=False)  # lunar leap month
    note = TextField(default="")
    greeted_on = IsoDateField(null=True)  # when care was last logged; hides the coming occurrence
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])
    """Moves on every edit: a correction saved over a newer one is refused (optimistic)."""

    class Meta:
        indexes = ((("lunar", "month", "day"), False),)


class HolidayGreeting(BaseModel):
    """A holiday greeting sent (节日问候): the customer leaves that holiday's greeting list."""

    id = AutoField()
    customer = ForeignKeyField(
        Customer, backref="holiday_greetings", on_delete="CASCADE", index=False
    )
    customer_id: ForeignKeyId[int]
    holiday = CharField(max_length=100)  # the holidays library's English name
    day = IsoDateField()  # the holiday's first day that year
    at = UtcDateTimeField()
    by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    by_id: ForeignKeyId[int | None]

    class Meta:
        table_name = "holiday_greeting"
        indexes = ((("customer", "holiday", "day"), True), (("holiday", "day"), False))


class Survey(BaseModel):
    """Satisfaction scores 1–5 per dimension (顾客满意度)."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="surveys", on_delete="CASCADE")
    customer_id: ForeignKeyId[int]
    complaint = ForeignKeyField(Complaint, null=True, backref="surveys", on_delete="SET NULL")
    complaint_id: ForeignKeyId[int | None]
    at = UtcDateTimeField(index=True)
    product = SmallIntegerField(null=True)
    service = SmallIntegerField(null=True)
    responsiveness = SmallIntegerField(null=True)
    value = SmallIntegerField(null=True)
    overall = SmallIntegerField(null=True)
    by = ForeignKeyField(User, null=True, backref="+")
    by_id: ForeignKeyId[int | None]
    comment = TextField(default="", constraints=[BLANK])  # what the customer said, in their words
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])
    """Moves on every edit: a correction saved over a newer one is refused (optimistic)."""


class SurveyScore(BaseModel):
    """A score 1–5 on a dimension the team configured beyond the five of SPEC 2.8 (which keep
    their columns on the survey), e.g. a comparison with competitors."""

    id = AutoField()
    survey = ForeignKeyField(Survey, backref="extra_scores", on_delete="CASCADE", index=False)
    survey_id: ForeignKeyId[int]
    dimension = CharField(max_length=32)
    score = SmallIntegerField()

    class Meta:
        table_name = "survey_score"
        indexes = ((("survey", "dimension"), True),)
