"""Pure domain rules: no I/O, no clock, no database; today and now are always parameters.

`from crmtui.rules import Grade` imports only the module that defines it (PEP 562): a short
command such as `crmtui due --brief` should not pay for the rules it never uses.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
    "_base": ("Explained",),
}
if TYPE_CHECKING:  # the checker sees each name where it is defined
    from crmtui.rules._base import (
        Explained as Explained,
    )
    from crmtui.rules.accounts import (
        DEFAULT_CONVERSION as DEFAULT_CONVERSION,
    )
    from crmtui.rules.accounts import (
        HISTORY_DAYS as HISTORY_DAYS,
    )
    from crmtui.rules.accounts import (
        MIN_HISTORY as MIN_HISTORY,
    )
    from crmtui.rules.accounts import (
        VISIT_CHANNELS as VISIT_CHANNELS,
    )
    from crmtui.rules.accounts import (
        Conversion as Conversion,
    )
    from crmtui.rules.accounts import (
        Period as Period,
    )
    from crmtui.rules.accounts import (
        PeriodError as PeriodError,
    )
    from crmtui.rules.accounts import (
        PeriodKind as PeriodKind,
    )
    from crmtui.rules.accounts import (
        PlanProgress as PlanProgress,
    )
    from crmtui.rules.accounts import (
        TargetProgress as TargetProgress,
    )
    from crmtui.rules.accounts import (
        conversion_weights as conversion_weights,
    )
    from crmtui.rules.accounts import (
        days_left as days_left,
    )
    from crmtui.rules.accounts import (
        grades_before as grades_before,
    )
    from crmtui.rules.accounts import (
        grades_held as grades_held,
    )
    from crmtui.rules.accounts import (
        parse_period as parse_period,
    )
    from crmtui.rules.accounts import (
        period_of as period_of,
    )
    from crmtui.rules.accounts import (
        plan_progress as plan_progress,
    )
    from crmtui.rules.accounts import (
        target_progress as target_progress,
    )
    from crmtui.rules.accounts import (
        weighted as weighted,
    )
    from crmtui.rules.appointments import (
        DEFAULT_MINUTES as DEFAULT_MINUTES,
    )
    from crmtui.rules.appointments import (
        EARLY_LOG as EARLY_LOG,
    )
    from crmtui.rules.appointments import (
        MAX_MINUTES as MAX_MINUTES,
    )
    from crmtui.rules.appointments import (
        OCCUPYING as OCCUPYING,
    )
    from crmtui.rules.appointments import (
        AppointmentKind as AppointmentKind,
    )
    from crmtui.rules.appointments import (
        AppointmentStatus as AppointmentStatus,
    )
    from crmtui.rules.appointments import (
        Purpose as Purpose,
    )
    from crmtui.rules.appointments import (
        PurposeMet as PurposeMet,
    )
    from crmtui.rules.appointments import (
        Slot as Slot,
    )
    from crmtui.rules.appointments import (
        day_window as day_window,
    )
    from crmtui.rules.appointments import (
        first_clash as first_clash,
    )
    from crmtui.rules.appointments import (
        held_by as held_by,
    )
    from crmtui.rules.appointments import (
        is_missed as is_missed,
    )
    from crmtui.rules.appointments import (
        minute_of as minute_of,
    )
    from crmtui.rules.appointments import (
        overlaps as overlaps,
    )
    from crmtui.rules.cadence import (
        DEFAULT_CADENCE as DEFAULT_CADENCE,
    )
    from crmtui.rules.cadence import (
        Bucket as Bucket,
    )
    from crmtui.rules.cadence import (
        Cadence as Cadence,
    )
    from crmtui.rules.cadence import (
        bucket_for as bucket_for,
    )
    from crmtui.rules.cadence import (
        cadence_due as cadence_due,
    )
    from crmtui.rules.cadence import (
        cadence_step as cadence_step,
    )
    from crmtui.rules.cadence import (
        customer_due as customer_due,
    )
    from crmtui.rules.cadence import (
        default_cadence as default_cadence,
    )
    from crmtui.rules.cadence import (
        next_due as next_due,
    )
    from crmtui.rules.care import (
        CARE_LEAD_DAYS as CARE_LEAD_DAYS,
    )
    from crmtui.rules.care import (
        CareWindow as CareWindow,
    )
    from crmtui.rules.care import (
        LunarDay as LunarDay,
    )
    from crmtui.rules.care import (
        care_due as care_due,
    )
    from crmtui.rules.care import (
        care_window as care_window,
    )
    from crmtui.rules.care import (
        lunar_to_solar as lunar_to_solar,
    )
    from crmtui.rules.care import (
        next_lunar_occurrence as next_lunar_occurrence,
    )
    from crmtui.rules.care import (
        next_occurrence as next_occurrence,
    )
    from crmtui.rules.care import (
        solar_to_lunar as solar_to_lunar,
    )
    from crmtui.rules.dates import (
        DateInputError as DateInputError,
    )
    from crmtui.rules.dates import (
        parse_date as parse_date,
    )
    from crmtui.rules.dates import (
        parse_datetime as parse_datetime,
    )
    from crmtui.rules.due import (
        DueItem as DueItem,
    )
    from crmtui.rules.due import (
        DueKind as DueKind,
    )
    from crmtui.rules.due import (
        due_sort_key as due_sort_key,
    )
    from crmtui.rules.due import (
        order_due_items as order_due_items,
    )
    from crmtui.rules.due import (
        overdue_days as overdue_days,
    )
    from crmtui.rules.followthrough import (
        AGE_BUCKETS as AGE_BUCKETS,
    )
    from crmtui.rules.followthrough import (
        DELIVERY_MOVES as DELIVERY_MOVES,
    )
    from crmtui.rules.followthrough import (
        PAYMENT_TERMS_DAYS as PAYMENT_TERMS_DAYS,
    )
    from crmtui.rules.followthrough import (
        DeliveryState as DeliveryState,
    )
    from crmtui.rules.followthrough import (
        InstructionState as InstructionState,
    )
    from crmtui.rules.followthrough import (
        age_bucket as age_bucket,
    )
    from crmtui.rules.followthrough import (
        credit_excess as credit_excess,
    )
    from crmtui.rules.followthrough import (
        days_overdue as days_overdue,
    )
    from crmtui.rules.followthrough import (
        instruction_state as instruction_state,
    )
    from crmtui.rules.followthrough import (
        payment_due as payment_due,
    )
    from crmtui.rules.followup import (
        FOLLOWUP_REFERENCE as FOLLOWUP_REFERENCE,
    )
    from crmtui.rules.followup import (
        FOLLOWUP_STAGES as FOLLOWUP_STAGES,
    )
    from crmtui.rules.followup import (
        at_risk_of_drop as at_risk_of_drop,
    )
    from crmtui.rules.followup import (
        followup_stage as followup_stage,
    )
    from crmtui.rules.grades import (
        GRADE_ORDER as GRADE_ORDER,
    )
    from crmtui.rules.grades import (
        Grade as Grade,
    )
    from crmtui.rules.grades import (
        Need as Need,
    )
    from crmtui.rules.grades import (
        grade_cutoffs as grade_cutoffs,
    )
    from crmtui.rules.grades import (
        grade_explanation as grade_explanation,
    )
    from crmtui.rules.grades import (
        grade_for as grade_for,
    )
    from crmtui.rules.grades import (
        grade_rank as grade_rank,
    )
    from crmtui.rules.grades import (
        grade_reason as grade_reason,
    )
    from crmtui.rules.grades import (
        has_no_estimate as has_no_estimate,
    )
    from crmtui.rules.grades import (
        is_demotion as is_demotion,
    )
    from crmtui.rules.grades import (
        is_promotion as is_promotion,
    )
    from crmtui.rules.grades import (
        is_slipped as is_slipped,
    )
    from crmtui.rules.lifecycle import (
        CHASED as CHASED,
    )
    from crmtui.rules.lifecycle import (
        DEFAULT_MAINTENANCE as DEFAULT_MAINTENANCE,
    )
    from crmtui.rules.lifecycle import (
        LAPSE_DAYS as LAPSE_DAYS,
    )
    from crmtui.rules.lifecycle import (
        DueRule as DueRule,
    )
    from crmtui.rules.lifecycle import (
        Lifecycle as Lifecycle,
    )
    from crmtui.rules.lifecycle import (
        Maintenance as Maintenance,
    )
    from crmtui.rules.lifecycle import (
        MaintenanceSource as MaintenanceSource,
    )
    from crmtui.rules.lifecycle import (
        Schedule as Schedule,
    )
    from crmtui.rules.lifecycle import (
        buying_days as buying_days,
    )
    from crmtui.rules.lifecycle import (
        counts_as_followup as counts_as_followup,
    )
    from crmtui.rules.lifecycle import (
        is_lapsed as is_lapsed,
    )
    from crmtui.rules.lifecycle import (
        lapses_on as lapses_on,
    )
    from crmtui.rules.lifecycle import (
        lifecycle_for as lifecycle_for,
    )
    from crmtui.rules.lifecycle import (
        maintenance_cadence as maintenance_cadence,
    )
    from crmtui.rules.lifecycle import (
        maintenance_for as maintenance_for,
    )
    from crmtui.rules.lifecycle import (
        opportunity_followups as opportunity_followups,
    )
    from crmtui.rules.lifecycle import (
        regular_until as regular_until,
    )
    from crmtui.rules.lifecycle import (
        schedule as schedule,
    )
    from crmtui.rules.lifecycle import (
        twice_usual_gap as twice_usual_gap,
    )
    from crmtui.rules.lifecycle import (
        usual_gap as usual_gap,
    )
    from crmtui.rules.referral import (
        REFERRAL_KINDS as REFERRAL_KINDS,
    )
    from crmtui.rules.referral import (
        REFERRAL_WINDOW_DAYS as REFERRAL_WINDOW_DAYS,
    )
    from crmtui.rules.referral import (
        ReferralEvent as ReferralEvent,
    )
    from crmtui.rules.referral import (
        referral_ask_due as referral_ask_due,
    )
    from crmtui.rules.referral import (
        referral_moment as referral_moment,
    )
    from crmtui.rules.satisfaction import (
        COMPETITORS as COMPETITORS,
    )
    from crmtui.rules.satisfaction import (
        DIMENSIONS as DIMENSIONS,
    )
    from crmtui.rules.satisfaction import (
        csi as csi,
    )
    from crmtui.rules.satisfaction import (
        csi_of_total as csi_of_total,
    )
    from crmtui.rules.sla import (
        DEFAULT_POLICY as DEFAULT_POLICY,
    )
    from crmtui.rules.sla import (
        OPEN_STATUSES as OPEN_STATUSES,
    )
    from crmtui.rules.sla import (
        TRANSITIONS as TRANSITIONS,
    )
    from crmtui.rules.sla import (
        BusinessHours as BusinessHours,
    )
    from crmtui.rules.sla import (
        ComplaintStatus as ComplaintStatus,
    )
    from crmtui.rules.sla import (
        Severity as Severity,
    )
    from crmtui.rules.sla import (
        SlaPolicy as SlaPolicy,
    )
    from crmtui.rules.sla import (
        SlaState as SlaState,
    )
    from crmtui.rules.sla import (
        add_service_time as add_service_time,
    )
    from crmtui.rules.sla import (
        can_transition as can_transition,
    )
    from crmtui.rules.sla import (
        resume_deadline as resume_deadline,
    )
    from crmtui.rules.sla import (
        service_time_between as service_time_between,
    )
    from crmtui.rules.sla import (
        sla_deadlines as sla_deadlines,
    )
    from crmtui.rules.sla import (
        sla_state as sla_state,
    )
    from crmtui.rules.sla import (
        time_left as time_left,
    )
    from crmtui.rules.value import (
        Tier as Tier,
    )
    from crmtui.rules.value import (
        key_customers as key_customers,
    )
    from crmtui.rules.value import (
        pareto as pareto,
    )
    from crmtui.rules.value import (
        tier_at as tier_at,
    )
    from crmtui.rules.value import (
        value_tier as value_tier,
    )
    from crmtui.rules.value import (
        value_tiers as value_tiers,
    )

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
