"""What `crmtui.rules` exports, for the type checker: the module itself loads each name from
its submodule on first use (PEP 562), which a checker cannot follow. Keep in step with its
`_EXPORTS` (tests/unit/test_import_hygiene.py compares them)."""

from crmtui.rules._base import (
    Explained as Explained,
    Value as Value,
)
from crmtui.rules.accounts import (
    DEFAULT_CONVERSION as DEFAULT_CONVERSION,
    HISTORY_DAYS as HISTORY_DAYS,
    MIN_HISTORY as MIN_HISTORY,
    VISIT_CHANNELS as VISIT_CHANNELS,
    Conversion as Conversion,
    Period as Period,
    PeriodError as PeriodError,
    PeriodKind as PeriodKind,
    PlanProgress as PlanProgress,
    TargetProgress as TargetProgress,
    conversion_weights as conversion_weights,
    days_left as days_left,
    grades_before as grades_before,
    grades_held as grades_held,
    parse_period as parse_period,
    period_of as period_of,
    plan_progress as plan_progress,
    target_progress as target_progress,
    weighted as weighted,
)
from crmtui.rules.appointments import (
    DEFAULT_MINUTES as DEFAULT_MINUTES,
    EARLY_LOG as EARLY_LOG,
    MAX_MINUTES as MAX_MINUTES,
    OCCUPYING as OCCUPYING,
    AppointmentKind as AppointmentKind,
    AppointmentStatus as AppointmentStatus,
    Purpose as Purpose,
    PurposeMet as PurposeMet,
    Slot as Slot,
    day_window as day_window,
    first_clash as first_clash,
    held_by as held_by,
    is_missed as is_missed,
    minute_of as minute_of,
    overlaps as overlaps,
)
from crmtui.rules.cadence import (
    DEFAULT_CADENCE as DEFAULT_CADENCE,
    Bucket as Bucket,
    Cadence as Cadence,
    bucket_for as bucket_for,
    cadence_due as cadence_due,
    cadence_step as cadence_step,
    customer_due as customer_due,
    default_cadence as default_cadence,
    next_due as next_due,
)
from crmtui.rules.care import (
    CARE_LEAD_DAYS as CARE_LEAD_DAYS,
    CareWindow as CareWindow,
    LunarDay as LunarDay,
    care_due as care_due,
    care_window as care_window,
    lunar_to_solar as lunar_to_solar,
    next_lunar_occurrence as next_lunar_occurrence,
    next_occurrence as next_occurrence,
    solar_to_lunar as solar_to_lunar,
)
from crmtui.rules.dates import (
    DateInputError as DateInputError,
    parse_date as parse_date,
    parse_datetime as parse_datetime,
)
from crmtui.rules.due import (
    DueItem as DueItem,
    DueKind as DueKind,
    due_sort_key as due_sort_key,
    order_due_items as order_due_items,
    overdue_days as overdue_days,
    section_line_key as section_line_key,
)
from crmtui.rules.followthrough import (
    AGE_BUCKETS as AGE_BUCKETS,
    DELIVERY_MOVES as DELIVERY_MOVES,
    PAYMENT_TERMS_DAYS as PAYMENT_TERMS_DAYS,
    DeliveryState as DeliveryState,
    InstructionState as InstructionState,
    age_bucket as age_bucket,
    credit_excess as credit_excess,
    days_overdue as days_overdue,
    instruction_state as instruction_state,
    payment_due as payment_due,
)
from crmtui.rules.followup import (
    FOLLOWUP_REFERENCE as FOLLOWUP_REFERENCE,
    FOLLOWUP_STAGES as FOLLOWUP_STAGES,
    at_risk_of_drop as at_risk_of_drop,
    followup_stage as followup_stage,
)
from crmtui.rules.grades import (
    GRADE_ORDER as GRADE_ORDER,
    Grade as Grade,
    Need as Need,
    grade_cutoffs as grade_cutoffs,
    grade_explanation as grade_explanation,
    grade_for as grade_for,
    grade_rank as grade_rank,
    grade_reason as grade_reason,
    has_no_estimate as has_no_estimate,
    is_demotion as is_demotion,
    is_promotion as is_promotion,
    is_slipped as is_slipped,
)
from crmtui.rules.lifecycle import (
    CHASED as CHASED,
    DEFAULT_MAINTENANCE as DEFAULT_MAINTENANCE,
    LAPSE_DAYS as LAPSE_DAYS,
    DueRule as DueRule,
    Lifecycle as Lifecycle,
    Maintenance as Maintenance,
    MaintenanceSource as MaintenanceSource,
    Schedule as Schedule,
    buying_days as buying_days,
    counts_as_followup as counts_as_followup,
    is_lapsed as is_lapsed,
    lapses_on as lapses_on,
    lifecycle_for as lifecycle_for,
    maintenance_cadence as maintenance_cadence,
    maintenance_for as maintenance_for,
    opportunity_followups as opportunity_followups,
    regular_until as regular_until,
    schedule as schedule,
    twice_usual_gap as twice_usual_gap,
    usual_gap as usual_gap,
)
from crmtui.rules.referral import (
    REFERRAL_KINDS as REFERRAL_KINDS,
    REFERRAL_WINDOW_DAYS as REFERRAL_WINDOW_DAYS,
    ReferralEvent as ReferralEvent,
    referral_ask_due as referral_ask_due,
    referral_moment as referral_moment,
)
from crmtui.rules.satisfaction import (
    COMPETITORS as COMPETITORS,
    DIMENSIONS as DIMENSIONS,
    csi as csi,
    csi_of_total as csi_of_total,
)
from crmtui.rules.sla import (
    DEFAULT_POLICY as DEFAULT_POLICY,
    OPEN_STATUSES as OPEN_STATUSES,
    TRANSITIONS as TRANSITIONS,
    BusinessHours as BusinessHours,
    ComplaintStatus as ComplaintStatus,
    Severity as Severity,
    SlaPolicy as SlaPolicy,
    SlaState as SlaState,
    add_service_time as add_service_time,
    can_transition as can_transition,
    resume_deadline as resume_deadline,
    service_time_between as service_time_between,
    sla_deadlines as sla_deadlines,
    sla_state as sla_state,
    time_left as time_left,
)
from crmtui.rules.value import (
    Tier as Tier,
    key_customers as key_customers,
    pareto as pareto,
    tier_at as tier_at,
    value_tier as value_tier,
    value_tiers as value_tiers,
)

__all__: list[str]
