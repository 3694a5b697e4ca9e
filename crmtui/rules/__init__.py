"""Pure domain rules: no I/O, no clock, no database; today and now are always parameters.

`from crmtui.rules import Grade` imports only the module that defines it (PEP 562): a short
command such as `crmtui due --brief` should not pay for the rules it never uses.
"""

from __future__ import annotations

import importlib
from typing import Any

# Each submodule with the names it exports here.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "grades": (
        "GRADE_ORDER",
        "Grade",
        "Need",
        "grade_cutoffs",
        "grade_explanation",
        "grade_for",
        "grade_rank",
        "grade_reason",
        "has_no_estimate",
        "is_demotion",
        "is_promotion",
        "is_slipped",
    ),
    "cadence": (
        "DEFAULT_CADENCE",
        "Bucket",
        "Cadence",
        "bucket_for",
        "cadence_due",
        "cadence_step",
        "customer_due",
        "default_cadence",
        "next_due",
    ),
    "followup": (
        "FOLLOWUP_REFERENCE",
        "FOLLOWUP_STAGES",
        "at_risk_of_drop",
        "followup_stage",
    ),
    "value": (
        "Tier",
        "key_customers",
        "pareto",
        "tier_at",
        "value_tier",
        "value_tiers",
    ),
    "lifecycle": (
        "CHASED",
        "DEFAULT_MAINTENANCE",
        "LAPSE_DAYS",
        "DueRule",
        "Lifecycle",
        "Maintenance",
        "MaintenanceSource",
        "Schedule",
        "buying_days",
        "counts_as_followup",
        "is_lapsed",
        "lapses_on",
        "lifecycle_for",
        "maintenance_cadence",
        "maintenance_for",
        "opportunity_followups",
        "regular_until",
        "schedule",
        "twice_usual_gap",
        "usual_gap",
    ),
    "sla": (
        "DEFAULT_POLICY",
        "OPEN_STATUSES",
        "TRANSITIONS",
        "BusinessHours",
        "ComplaintStatus",
        "Severity",
        "SlaPolicy",
        "SlaState",
        "add_service_time",
        "can_transition",
        "resume_deadline",
        "service_time_between",
        "sla_deadlines",
        "sla_state",
        "time_left",
    ),
    "care": (
        "CARE_LEAD_DAYS",
        "CareWindow",
        "LunarDay",
        "care_due",
        "care_window",
        "lunar_to_solar",
        "next_lunar_occurrence",
        "next_occurrence",
        "solar_to_lunar",
    ),
    "referral": (
        "REFERRAL_KINDS",
        "REFERRAL_WINDOW_DAYS",
        "ReferralEvent",
        "referral_ask_due",
        "referral_moment",
    ),
    "satisfaction": (
        "COMPETITORS",
        "DIMENSIONS",
        "csi",
        "csi_of_total",
    ),
    "due": (
        "DueItem",
        "DueKind",
        "due_sort_key",
        "order_due_items",
        "overdue_days",
        "section_line_key",
    ),
    "dates": (
        "DateInputError",
        "parse_date",
        "parse_datetime",
    ),
    "appointments": (
        "DEFAULT_MINUTES",
        "EARLY_LOG",
        "MAX_MINUTES",
        "OCCUPYING",
        "AppointmentKind",
        "AppointmentStatus",
        "Purpose",
        "PurposeMet",
        "Slot",
        "day_window",
        "first_clash",
        "held_by",
        "is_missed",
        "minute_of",
        "overlaps",
    ),
    "accounts": (
        "DEFAULT_CONVERSION",
        "HISTORY_DAYS",
        "MIN_HISTORY",
        "VISIT_CHANNELS",
        "Conversion",
        "Period",
        "PeriodError",
        "PeriodKind",
        "PlanProgress",
        "TargetProgress",
        "conversion_weights",
        "days_left",
        "grades_before",
        "grades_held",
        "parse_period",
        "period_of",
        "plan_progress",
        "target_progress",
        "weighted",
    ),
    "followthrough": (
        "AGE_BUCKETS",
        "DELIVERY_MOVES",
        "PAYMENT_TERMS_DAYS",
        "DeliveryState",
        "InstructionState",
        "age_bucket",
        "credit_excess",
        "days_overdue",
        "instruction_state",
        "payment_due",
    ),
    "_base": ("Explained", "Value"),
}
_HOME = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME))
