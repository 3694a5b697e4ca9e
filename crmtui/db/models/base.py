"""The database every model is bound to, the base model, and the rows that describe the database
itself: its schema version, its settings and its users."""

from __future__ import annotations

from typing import Any

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    CharField,
    DatabaseProxy,
    IntegerField,
    Model,
    TextField,
)

from crmtui.db.fields import UtcDateTimeField

database = DatabaseProxy()

BLANK = SQL("DEFAULT ''")
"""A database-side default for text columns added to a table that other writers already fill
(imports, raw inserts), as the migration that added them declares it."""


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class SchemaVersion(BaseModel):
    """One row: the schema version this file was last migrated to."""

    version = IntegerField()

    class Meta:
        table_name = "schema_version"


class Setting(BaseModel):
    """Small per-database facts, e.g. the day grades were last moved by the calendar."""

    key = CharField(primary_key=True, max_length=64)
    value = TextField()


RESCHEDULE_ALL = "reschedule_all"
"""A Setting: every customer's next due is recomputed by the next daily catch-up (which knows
the user's settings; a migration does not)."""
CAUGHT_UP = "lifecycle_caught_up_on"
"""A Setting: the day lifecycles and value classes were last caught up (services.lifecycle)."""
REVENUE_COUNTED = "revenue_counts"
"""A Setting: what the stored revenue counts now (orders unless set), so a change of
`[revenue] counts` is noticed and every customer recounted once (services.receivables)."""


class User(BaseModel):
    id = AutoField()
    login = CharField(max_length=64, unique=True)
    display_name = CharField(max_length=128, default="")
    role = CharField(max_length=16, default="rep")  # rep | support | manager
    active = BooleanField(default=True)
    created_at = UtcDateTimeField()
    sort_name = TextField(default="", constraints=[BLANK])
    """What people sort by (`crmtui.search.sort_key` of the label: 王芳 among the w's), kept
    whenever the row is saved, so a list of people sorts without loading pinyin."""

    @property
    def label(self) -> str:
        return self.display_name or self.login

    def save(self, force_insert: bool = False, only: Any = None) -> int:
        # on first use: only writing a user needs the sort key (and pinyin, for a non-ASCII label)
        from crmtui.search import sort_key

        self.sort_name = sort_key(self.label)
        if only is not None:
            only = [*only, User.sort_name]
        return super().save(force_insert=force_insert, only=only)
