"""What changed and who changed it: lifecycle, value class and grade moves, the change sets that
the customer's history lists and undo reverses, and the audit log."""

from __future__ import annotations

from peewee import (
    AutoField,
    CharField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from crmtui.db.fields import ForeignKeyId, IsoDateField, UtcDateTimeField
from crmtui.db.models.archive import Customer
from crmtui.db.models.base import BaseModel, User

TERMINATED_BY_STATUS = "relationship status was terminated"  # stored English (labels.STORED)
"""The reason of a lifecycle terminated because the relationship status said so."""


class CustomerChange(BaseModel):
    """The history of a customer's lifecycle and value class: who changed it, when, and why."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="changes", on_delete="CASCADE", index=False)
    customer_id: ForeignKeyId[int]
    at = UtcDateTimeField()
    on = IsoDateField()
    what = CharField(max_length=16)  # lifecycle | value_class
    from_value = CharField(max_length=16, default="")
    to_value = CharField(max_length=16)
    reason = TextField(default="")
    by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")  # None: automatic
    by_id: ForeignKeyId[int | None]

    class Meta:
        table_name = "customer_change"
        # (what, to_value, from_value, on, by): prospects won as customers in a period, by who
        indexes = (
            (("customer", "at"), False),
            (("what", "to_value", "from_value", "on", "by"), False),
        )


class GradeChange(BaseModel):
    id = AutoField()
    customer = ForeignKeyField(Customer, backref="grade_changes", on_delete="CASCADE", index=False)
    customer_id: ForeignKeyId[int]
    at = UtcDateTimeField()
    on = IsoDateField()  # local day of the change, for movement over 7/30/90 days
    from_grade = CharField(max_length=1, null=True)  # None for a new customer
    to_grade = CharField(max_length=1)
    reason = TextField(default="")
    by = ForeignKeyField(User, null=True, backref="+")  # None when the calendar moved it
    by_id: ForeignKeyId[int | None]
    # the days of the customer's changes next to this one, kept by the database's triggers
    # (crmtui.db.grade_days): never written here
    prev_on = IsoDateField(null=True)
    next_on = IsoDateField(null=True)

    class Meta:
        indexes = ((("customer", "at"), False),)


# The dashboard's movement over 7/30/90 days reads the changes that moved a customer with every
# column it needs, and counts those that added one, each from an index of its own kind: half of
# a period's changes add a customer, and summing them with the moves read them twice over.
GradeChange.add_index(
    GradeChange.index(
        GradeChange.on,
        GradeChange.customer,
        GradeChange.from_grade,
        GradeChange.to_grade,
        GradeChange.prev_on,
        GradeChange.next_on,
        name="grade_change_moves",
    ).where(GradeChange.from_grade.is_null(False))
)
GradeChange.add_index(
    GradeChange.index(GradeChange.on, GradeChange.customer, name="grade_change_added").where(
        GradeChange.from_grade.is_null()
    )
)


class ChangeSet(BaseModel):
    """One change a user made to a customer's records (a contact logged, an order, an edit, a
    deletion…), from the app or the command line: the customer's history lists them, and undo
    reverses the user's latest (crmtui.services.history)."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="change_sets", on_delete="CASCADE", index=False)
    customer_id: ForeignKeyId[int]
    at = UtcDateTimeField()
    by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL", index=False)
    by_id: ForeignKeyId[int | None]
    origin = CharField(max_length=8)  # app | cli: each has its own undo
    action = CharField(max_length=24)  # history.ACTIONS
    entity = CharField(max_length=16, default="")  # the record acted on (customer, order…)
    entity_id = IntegerField(null=True)
    undoes = IntegerField(null=True)  # the change this one undid

    class Meta:
        table_name = "change_set"
        indexes = (
            (("customer", "at"), False),
            (("by", "origin", "id"), False),
            (("undoes",), False),
        )


class FieldChange(BaseModel):
    """A field of one record before and after a change (values as stored, JSON-encoded); a
    record created or deleted as a whole has an empty field name and its row as the value."""

    id = AutoField()
    change_set = ForeignKeyField(ChangeSet, backref="fields", on_delete="CASCADE", index=False)
    change_set_id: ForeignKeyId[int]
    customer = ForeignKeyField(Customer, backref="+", on_delete="CASCADE", index=False)
    customer_id: ForeignKeyId[int]
    entity = CharField(max_length=16)
    entity_id = IntegerField()
    field = CharField(max_length=32, default="")
    old = TextField(null=True)
    new = TextField(null=True)

    class Meta:
        table_name = "field_change"
        indexes = ((("change_set",), False), (("entity", "entity_id"), False))


class AuditLog(BaseModel):
    id = AutoField()
    at = UtcDateTimeField(index=True)
    user = ForeignKeyField(User, null=True, backref="+")
    user_id: ForeignKeyId[int | None]
    # export | delete | reassign | role | merge | import | restore
    action = CharField(max_length=32)
    entity = CharField(max_length=32, default="")
    entity_id = IntegerField(null=True)
    detail = TextField(default="")
    hash = CharField(max_length=64, null=True)
    """SQLite: covers this entry and the one before it (crmtui.db.audit_chain)."""
