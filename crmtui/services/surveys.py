"""Satisfaction surveys (顾客满意度): Likert 1–5 per dimension, feeding the CSI (SPEC 2.8)."""

from __future__ import annotations

from typing import Any, Mapping

from crmtui.db import Customer, Survey
from crmtui.errors import InvalidInput
from crmtui.i18n import _
from crmtui.rules import DIMENSIONS, ReferralEvent, referral_moment
from crmtui.services.access import get_editable_customer
from crmtui.services.context import Context, writes
from crmtui.services.interactions import clean_moment
from crmtui.services.validation import FieldError, clean_int


@writes
def record_survey(ctx: Context, customer_id: int, scores: Mapping[str, Any], *,
                  at: Any = None) -> Survey:
    """Store the scores given (any of the dimensions, at least one); an overall score of 4 or 5
    is a moment to ask for a referral."""
    customer = get_editable_customer(ctx, customer_id)
    today = ctx.today()
    errors: dict[str, str] = {}
    cleaned: dict[str, int | None] = {}
    for name, value in scores.items():
        if name not in DIMENSIONS:
            errors[name] = _("not a survey dimension ({names})").format(
                names=", ".join(DIMENSIONS))
            continue
        try:
            cleaned[name] = clean_int(1, 5)(value, today)
        except FieldError as error:
            errors[name] = str(error)
    try:
        moment = clean_moment(at, ctx)
    except FieldError as error:
        errors["at"] = str(error)
    if not errors and not any(v is not None for v in cleaned.values()):
        errors["scores"] = _("give at least one score from 1 to 5")
    if errors:
        raise InvalidInput(errors)
    survey = Survey.create(customer=customer, at=moment, by=ctx.user.id, **cleaned)
    overall = cleaned.get("overall")
    if referral_moment(ReferralEvent(kind="satisfaction", score=overall)):
        day = ctx.local_date(moment)
        moment_on = max(day, customer.referral_moment_on or day)
        Customer.update(referral_moment_on=moment_on).where(Customer.id == customer.id).execute()
    return survey
