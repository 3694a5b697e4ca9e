"""The domain's vocabularies: every set of stored values a field, a flag or a figure may take,
in one place that imports nothing, so that argparse `choices`, the forms' selects, the services'
checks and the presentation all read the same tuples (their words for people are in
`crmtui.labels`). Stored values are English and part of the JSON contract: never rename one.
"""

from __future__ import annotations

# -- the dashboard --------------------------------------------------------------------------------
PERIODS = (7, 30, 90)
"""Days of movement and service levels the dashboard covers."""
PROMOTED, DEMOTED, NEW, AT_RISK, KEY_CUSTOMERS = (
    "promoted",
    "demoted",
    "new",
    "at_risk",
    "key_customers",
)
BEHIND_FIGURES = (PROMOTED, DEMOTED, NEW, AT_RISK, KEY_CUSTOMERS)
"""The figures whose customers can be listed."""
TARGETS, REPS, GRADE_REP = "targets", "reps", "grade_rep"
TEAM_FIGURES = (TARGETS, REPS, GRADE_REP)
"""The figures that open a table of the team, a row per rep (whose `enter` lists that rep's
customers)."""
