"""Correcting and removing what was recorded: interactions, promises, orders, care dates and
surveys (`crmtui edit KIND ID`, `crmtui rm KIND ID`, the profile's tabs).

A correction is checked as the record was when it was made (the same field tables, the same
rules, the same role checks), and what the customer's stored figures derive from it follows in
the same transaction. Those figures are recomputed from the records that remain, with the
functions the creating services use, rather than adjusted by a difference:

- contacts: the last contact, the next step it set (unless a snooze set another since), the
  open opportunity's follow-ups, the follow-ups each win took, the referral moment and ask;
- orders: revenue and profit, the order facts, lifecycle and value class (80/20), the win the
  order recorded; removing the sale that closed the latest opportunity opens it again, with
  the need and close date the customer had before the sale when that change is on record;
- surveys: the referral moment;
- always: the grade (as of today) and the schedule.

Every correction is kept in the customer's history (services.journal) and can be undone.
A record of a customer the user may not see is named as missing, as if it did not exist.
"""

from __future__ import annotations

from crmtui.services.corrections.derived import (
    close_moment,
    follow_contacts,
    follow_orders,
    latest_contact,
    recount_wins,
    referral_dates,
    refresh_referrals,
    settle,
)
from crmtui.services.corrections.edits import (
    EDITS,
    edit_care_date,
    edit_interaction,
    edit_order,
    edit_promise,
    edit_record,
    edit_survey,
)
from crmtui.services.corrections.records import (
    KINDS,
    MODELS,
    EditableRecord,
    changed_since,
    editable_record,
    kind_of,
    read_record,
    record_json,
    viewable_record,
)
from crmtui.services.corrections.removal import Removed, remove_record

__all__ = [
    "KINDS",
    "MODELS",
    "kind_of",
    "editable_record",
    "viewable_record",
    "changed_since",
    "latest_contact",
    "follow_contacts",
    "follow_orders",
    "recount_wins",
    "referral_dates",
    "refresh_referrals",
    "settle",
    "close_moment",
    "edit_interaction",
    "edit_order",
    "edit_promise",
    "edit_care_date",
    "edit_survey",
    "edit_record",
    "remove_record",
    "Removed",
    "EDITS",
    "record_json",
    "EditableRecord",
    "read_record",
]
