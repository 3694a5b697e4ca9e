"""Storage: the Peewee models, opening a database, migrations and the queries hot paths need."""

from crmtui.db.connection import Store, backup_sqlite, open_store, write_transaction
from crmtui.db.migrations import LATEST_VERSION
from crmtui.db.models import (
    MODELS,
    AccountPlan,
    Appointment,
    AuditLog,
    CareDate,
    ChangeSet,
    Commitment,
    Complaint,
    ComplaintEvent,
    Contact,
    Customer,
    CustomerChange,
    FieldChange,
    GradeChange,
    HolidayGreeting,
    Instruction,
    Interaction,
    Order,
    Payment,
    SchemaVersion,
    Setting,
    Survey,
    SurveyScore,
    Target,
    User,
    Win,
    database,
)

__all__ = [
    "MODELS", "LATEST_VERSION", "Store", "open_store", "backup_sqlite", "write_transaction",
    "database", "AccountPlan", "Appointment", "AuditLog", "CareDate", "Commitment", "Complaint",
    "ComplaintEvent", "Contact", "Customer", "GradeChange", "HolidayGreeting", "Instruction",
    "Interaction", "Order", "Payment",
    "SchemaVersion", "Setting", "Survey", "SurveyScore", "Target", "User", "Win",
    "CustomerChange", "ChangeSet", "FieldChange",
]
