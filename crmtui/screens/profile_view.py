"""What the profile shows, read and formatted in a worker so the UI thread never queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.text import Text

from crmtui.i18n import _
from crmtui.present.history import history_rows
from crmtui.present.profile import (
    Section,
    account_plan,
    profile_header,
    profile_overview,
    profile_sections,
)
from crmtui.services.profile import ReferralNode, customer_profile, referral_tree


@dataclass(frozen=True)
class ProfileView:
    """What the profile shows, read and formatted in a worker so the UI thread never queries."""

    customer_id: int
    name: str
    header: Text
    overview: Any
    tabs: dict[str, Section]
    referrals: ReferralNode
    plan: Any | None
    editable: bool
    facts: Any
    """GradeFacts for the regrade dialog."""
    class_facts: Any
    """ClassFacts for the value class and lifecycle dialogs."""
    company: str = ""
    grade: str = ""
    owner: str = ""
    """The owner's login."""
    loggable: bool = False
    """Whether the user may log a contact (support: while a complaint is open)."""
    owner_name: str = ""
    orders: dict[int, tuple] = field(default_factory=dict)
    """order id -> (owed, order day), for a payment on the highlighted order."""


def load_profile(ctx, customer_id: int) -> ProfileView:
    """Runs in a worker: the profile and its referral tree, formatted for display."""
    # on first use: kept out of the app's start-up imports
    from crmtui.screens.dialogs.lifecycle import ClassFacts
    from crmtui.screens.dialogs.small import GradeFacts
    from crmtui.services.history import history_of

    p = customer_profile(ctx, customer_id)
    c = p.customer
    zone, today = ctx.zone, ctx.today()
    tabs = profile_sections(p, zone, today)
    tabs["history"] = history_section(history_of(ctx, c.id), zone, today)
    facts = GradeFacts(
        customer_id=c.id,
        name=c.name,
        need=c.need,
        expected_close=c.expected_close,
        grade=c.grade,
        pinned=c.grade_pinned,
        pin_reason=c.pin_reason,
        version=c.version,
    )
    class_facts = ClassFacts(
        customer_id=c.id,
        name=c.name,
        value_class=c.value_class,
        pinned=c.class_pinned,
        reason=c.class_reason,
        lifecycle=c.lifecycle,
        lifecycle_reason=c.lifecycle_reason,
        version=c.version,
    )
    return ProfileView(
        customer_id=c.id,
        name=c.name,
        header=profile_header(p),
        overview=profile_overview(p, zone, today),
        tabs=tabs,
        referrals=referral_tree(ctx, c.id),
        plan=account_plan(p),
        editable=p.editable,
        facts=facts,
        class_facts=class_facts,
        company=c.company,
        grade=c.grade,
        owner=p.owner.login,
        owner_name=p.owner.label,
        loggable=p.loggable,
        orders={o.id: (o.owed, o.on) for o in p.orders},
    )


def history_section(entries: list, zone, today) -> Section:
    """The History tab: who changed what and when, newest first."""
    return Section(
        [(_("When"), 11), (_("By"), 10), (_("What"), 24), (_("Change"), None)],
        history_rows(entries, zone, today),
        _("No changes recorded yet."),
    )
