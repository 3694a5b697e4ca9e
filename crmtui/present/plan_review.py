"""What the due list says of an account plan whose review day has come: orders this year
against the target, visits against the plan's cycle (services.due_sections' review lines)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmtui.i18n import _
from crmtui.present.numbers import money, percent

if TYPE_CHECKING:
    from crmtui.rules import PlanProgress


def review_detail(progress: PlanProgress) -> str:
    """What a plan review shows: orders this year against the target, visits against the
    cycle."""
    parts = [_("account plan review")]
    if progress.target_amount:
        parts.append(
            _("{year} orders {ordered} of {target} ({share})").format(
                year=progress.year,
                ordered=money(progress.ordered),
                target=money(progress.target_amount),
                share=percent(progress.share),
            )
        )
    else:
        parts.append(
            _("{year} orders {ordered}").format(year=progress.year, ordered=money(progress.ordered))
        )
    if progress.visit_every_days:
        parts.append(
            _("{visits} visits of {expected} (every {days} d)").format(
                visits=progress.visits,
                expected=progress.expected_visits,
                days=progress.visit_every_days,
            )
        )
    else:
        parts.append(_("{visits} visits").format(visits=progress.visits))
    return " · ".join(parts)
