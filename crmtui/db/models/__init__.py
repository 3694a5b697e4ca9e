"""The Peewee models of the customer archive (SPEC §3), one module per part of it.

Derived values that hot paths need are stored and kept current by the service layer in the same
transaction as the write that changes them: `Customer.next_due` and `cadence_due` (the due list),
`Customer.revenue` (80/20), `Customer.search_doc` (search), `Customer.grade` (dashboard),
`Customer.lifecycle`, `value_class`, `last_order_on` and `regular_until` (maintenance and
win-back, crmtui.services.lifecycle).
"""

from __future__ import annotations

from crmtui.db.models.archive import (
    AccountPlan,
    Appointment,
    Commitment,
    Contact,
    Customer,
    Instruction,
    Interaction,
)
from crmtui.db.models.base import (
    BLANK,
    CAUGHT_UP,
    RESCHEDULE_ALL,
    REVENUE_COUNTED,
    BaseModel,
    SchemaVersion,
    Setting,
    User,
    database,
)
from crmtui.db.models.care import (
    CareDate,
    Complaint,
    ComplaintEvent,
    HolidayGreeting,
    Survey,
    SurveyScore,
)
from crmtui.db.models.history import (
    TERMINATED_BY_STATUS,
    AuditLog,
    ChangeSet,
    CustomerChange,
    FieldChange,
    GradeChange,
)
from crmtui.db.models.sales import OWING, PENDING_DELIVERY, Order, Payment, Target, Win
from crmtui.db.models.tallies import GradeTally, OwedDay, PipelineDay, SourceTally, StageTally

MODELS: list[type[BaseModel]] = [
    SchemaVersion,
    Setting,
    User,
    Customer,
    Contact,
    AccountPlan,
    Interaction,
    Commitment,
    Appointment,
    Order,
    Payment,
    Instruction,
    Win,
    CustomerChange,
    Complaint,
    ComplaintEvent,
    CareDate,
    HolidayGreeting,
    Survey,
    SurveyScore,
    Target,
    GradeChange,
    ChangeSet,
    FieldChange,
    AuditLog,
    OwedDay,
    PipelineDay,
    GradeTally,
    StageTally,
    SourceTally,
]

__all__ = [
    "BLANK",
    "CAUGHT_UP",
    "MODELS",
    "OWING",
    "PENDING_DELIVERY",
    "RESCHEDULE_ALL",
    "REVENUE_COUNTED",
    "TERMINATED_BY_STATUS",
    "AccountPlan",
    "Appointment",
    "AuditLog",
    "BaseModel",
    "CareDate",
    "ChangeSet",
    "Commitment",
    "Complaint",
    "ComplaintEvent",
    "Contact",
    "Customer",
    "CustomerChange",
    "FieldChange",
    "GradeChange",
    "GradeTally",
    "HolidayGreeting",
    "Instruction",
    "Interaction",
    "Order",
    "OwedDay",
    "Payment",
    "PipelineDay",
    "SchemaVersion",
    "Setting",
    "SourceTally",
    "StageTally",
    "Survey",
    "SurveyScore",
    "Target",
    "User",
    "Win",
    "database",
]
