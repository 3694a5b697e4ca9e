"""Pure domain rules: no I/O, no clock, no database; today and now are always parameters."""

from .accounts import (
    DEFAULT_CONVERSION,
    HISTORY_DAYS,
    MIN_HISTORY,
    VISIT_CHANNELS,
    Conversion,
    Period,
    PeriodError,
    PeriodKind,
    PlanProgress,
    TargetProgress,
    conversion_weights,
    days_left,
    grades_before,
    grades_held,
    parse_period,
    period_of,
    plan_progress,
    target_progress,
    weighted,
)
from .appointments import (
    DEFAULT_MINUTES,
    EARLY_LOG,
    MAX_MINUTES,
    OCCUPYING,
    AppointmentKind,
    AppointmentStatus,
    Purpose,
    PurposeMet,
    Slot,
    day_window,
    first_clash,
    held_by,
    is_missed,
    minute_of,
    overlaps,
)
from .cadence import (
    DEFAULT_CADENCE,
    Bucket,
    Cadence,
    bucket_for,
    cadence_due,
    cadence_step,
    customer_due,
    default_cadence,
    next_due,
)
from .care import (
    CARE_LEAD_DAYS,
    CareWindow,
    LunarDay,
    care_due,
    care_window,
    lunar_to_solar,
    next_lunar_occurrence,
    next_occurrence,
    solar_to_lunar,
)
from ._base import Explained
from .dates import DateInputError, parse_date, parse_datetime
from .due import DueItem, DueKind, order_due_items, overdue_days
from .followup import FOLLOWUP_REFERENCE, FOLLOWUP_STAGES, at_risk_of_drop, followup_stage
from .grades import (
    GRADE_ORDER,
    Grade,
    Need,
    grade_cutoffs,
    grade_explanation,
    grade_for,
    grade_rank,
    grade_reason,
    has_no_estimate,
    is_demotion,
    is_promotion,
    is_slipped,
)
from .lifecycle import (
    CHASED,
    DEFAULT_MAINTENANCE,
    LAPSE_DAYS,
    DueRule,
    Lifecycle,
    Maintenance,
    MaintenanceSource,
    Schedule,
    buying_days,
    counts_as_followup,
    is_lapsed,
    lapses_on,
    lifecycle_for,
    maintenance_cadence,
    maintenance_for,
    opportunity_followups,
    regular_until,
    schedule,
    twice_usual_gap,
    usual_gap,
)
from .referral import (
    REFERRAL_KINDS,
    REFERRAL_WINDOW_DAYS,
    ReferralEvent,
    referral_ask_due,
    referral_moment,
)
from .satisfaction import COMPETITORS, DIMENSIONS, csi, csi_of_total
from .sla import (
    DEFAULT_POLICY,
    OPEN_STATUSES,
    TRANSITIONS,
    BusinessHours,
    ComplaintStatus,
    Severity,
    SlaPolicy,
    SlaState,
    add_service_time,
    can_transition,
    resume_deadline,
    service_time_between,
    sla_deadlines,
    sla_state,
    time_left,
)
from .value import Tier, key_customers, pareto, tier_at, value_tier, value_tiers

__all__ = [
    # grades
    "GRADE_ORDER", "Grade", "Need", "grade_cutoffs", "grade_for", "grade_rank", "grade_reason",
    "grade_explanation", "Explained",
    "has_no_estimate", "is_demotion", "is_promotion", "is_slipped",
    # cadence
    "DEFAULT_CADENCE", "Bucket", "Cadence", "bucket_for", "cadence_due", "cadence_step",
    "customer_due", "default_cadence", "next_due",
    # followup
    "FOLLOWUP_REFERENCE", "FOLLOWUP_STAGES", "at_risk_of_drop", "followup_stage",
    # value
    "Tier", "key_customers", "pareto", "tier_at", "value_tier", "value_tiers",
    # lifecycle and maintenance
    "CHASED", "DEFAULT_MAINTENANCE", "LAPSE_DAYS", "DueRule", "Lifecycle", "Maintenance",
    "MaintenanceSource", "Schedule", "buying_days", "counts_as_followup", "is_lapsed",
    "lapses_on", "lifecycle_for", "maintenance_cadence", "maintenance_for",
    "opportunity_followups", "regular_until", "schedule", "twice_usual_gap", "usual_gap",
    # sla
    "DEFAULT_POLICY", "OPEN_STATUSES", "TRANSITIONS", "BusinessHours", "ComplaintStatus",
    "Severity", "SlaPolicy", "SlaState", "add_service_time", "can_transition", "resume_deadline",
    "service_time_between", "sla_deadlines", "sla_state", "time_left",
    # care
    "CARE_LEAD_DAYS", "CareWindow", "LunarDay", "care_due", "care_window", "lunar_to_solar",
    "next_lunar_occurrence", "next_occurrence", "solar_to_lunar",
    # referral
    "REFERRAL_KINDS", "REFERRAL_WINDOW_DAYS", "ReferralEvent", "referral_ask_due",
    "referral_moment",
    # satisfaction
    "COMPETITORS", "DIMENSIONS", "csi", "csi_of_total",
    # due
    "DueItem", "DueKind", "order_due_items", "overdue_days",
    # dates
    "DateInputError", "parse_date", "parse_datetime",
    # appointments
    "DEFAULT_MINUTES", "EARLY_LOG", "MAX_MINUTES", "OCCUPYING", "held_by", "AppointmentKind", "AppointmentStatus",
    "Purpose", "PurposeMet", "Slot", "day_window", "first_clash", "is_missed", "minute_of",
    "overlaps",
    # key accounts, targets and the forecast
    "DEFAULT_CONVERSION", "HISTORY_DAYS", "MIN_HISTORY", "VISIT_CHANNELS", "Conversion",
    "Period", "PeriodError", "PeriodKind", "PlanProgress", "TargetProgress",
    "conversion_weights", "days_left", "grades_before", "grades_held", "parse_period",
    "period_of", "plan_progress", "target_progress", "weighted",
]
