"""Satisfaction surveys (顾客满意度): Likert 1–5 per dimension, feeding the CSI (SPEC 2.8).

The dimensions are the team's (`[survey] dimensions` in config.toml; the five of SPEC 2.8 by
default), so that the indicators can be chosen with the customers (由顾客来确定测评指标),
comparison with competitors included. The five keep their columns on the survey; any other
dimension is a row of `survey_score`. A survey may come from a closed complaint and carries the
customer's comment in their words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import JOIN

from crmtui.db import Complaint, Customer, Survey, SurveyScore, User
from crmtui.db.rows import tuple_rows
from crmtui.errors import Forbidden, InvalidInput, NotFound
from crmtui.i18n import _
from crmtui.rules import DIMENSIONS, ReferralEvent, referral_moment
from crmtui.services.access import can_edit, get_editable_customer, get_visible_customer
from crmtui.services.context import Context, writes
from crmtui.services.interactions import clean_moment
from crmtui.services.journal import journal
from crmtui.services.validation import FieldError, clean_int, clean_text, collect_field

HANDLERS = ("support", "manager")


def configured(ctx: Context) -> tuple[str, ...]:
    """The dimensions the team asks about, in order."""
    return ctx.config.survey.dimensions


def _survey_customer(
    ctx: Context, customer_id: int, complaint: Any
) -> tuple[Customer, Complaint | None]:
    """The customer to survey, and the closed complaint the survey follows: whoever may change
    the customer surveys them; support staff too after a complaint they may handle."""
    if complaint in (None, ""):
        return get_editable_customer(ctx, customer_id), None
    try:
        number = int(str(complaint).strip().lstrip("#"))
    except ValueError:
        raise InvalidInput.one(
            "complaint", _("'{text}' is not a complaint number").format(text=complaint)
        ) from None
    customer = get_visible_customer(ctx, customer_id)
    found = Complaint.get_or_none((Complaint.id == number) & (Complaint.customer == customer.id))
    if found is None:
        raise NotFound(_("{name} has no complaint #{id}").format(name=customer.name, id=number))
    if found.status != "closed":
        raise InvalidInput.one(
            "complaint", _("complaint #{id} is not closed yet").format(id=number)
        )
    if ctx.role not in HANDLERS and not can_edit(ctx, customer):
        raise Forbidden(_("{name} belongs to another rep").format(name=customer.name))
    return customer, found


def clean_scores(
    ctx: Context, scores: Mapping[str, Any], errors: dict[str, str]
) -> dict[str, int | None]:
    """Scores 1–5 on the configured dimensions (None: not given); a refused one is added to
    `errors` by its dimension."""
    today = ctx.today()
    dimensions = configured(ctx)
    cleaned: dict[str, int | None] = {}
    for name, value in scores.items():
        if name not in dimensions:
            errors[name] = _(
                "'{name}' is not a survey dimension here (configured: {names})"
            ).format(name=name, names=", ".join(dimensions))
            continue
        try:
            cleaned[name] = clean_int(1, 5)(value, today)
        except FieldError as error:
            errors[name] = str(error)
    return cleaned


def survey_editor(ctx: Context, survey: Survey) -> Customer:
    """The customer of a survey the user may correct: as for recording it, whoever may change
    the customer, and support a survey that follows a complaint."""
    if survey.complaint_id is not None and ctx.role in HANDLERS:
        return get_visible_customer(ctx, survey.customer_id)
    return get_editable_customer(ctx, survey.customer_id)


@writes
def record_survey(
    ctx: Context,
    customer_id: int,
    scores: Mapping[str, Any],
    *,
    at: Any = None,
    comment: Any = "",
    complaint: Any = None,
) -> SurveyView:
    """Store the scores given (any of the configured dimensions, at least one) with the
    customer's comment; an overall score of 4 or 5 is a moment to ask for a referral."""
    customer, closed = _survey_customer(ctx, customer_id, complaint)
    errors: dict[str, str] = {}
    cleaned = clean_scores(ctx, scores, errors)
    moment = collect_field(errors, "at", clean_moment, at, ctx)
    comment = collect_field(errors, "comment", clean_text, comment, limit=2000, multiline=True)
    if not errors and not any(v is not None for v in cleaned.values()):
        errors["scores"] = _("give at least one score from 1 to 5")
    if errors:
        raise InvalidInput(errors)
    given = {name: score for name, score in cleaned.items() if score is not None}
    with journal(ctx, "survey", customer, entity="survey") as kept:
        survey = _store_survey(ctx, customer, closed, moment, comment, given)
        kept.entity_id = survey.id
        kept.created("survey", survey)
        overall = given.get("overall")
        if referral_moment(ReferralEvent(kind="satisfaction", score=overall)):
            day = ctx.local_date(moment)
            moment_on = max(day, customer.referral_moment_on or day)
            Customer.update(referral_moment_on=moment_on).where(
                Customer.id == customer.id
            ).execute()
    ordered = [name for name in DIMENSIONS if name in given] + [
        name for name in given if name not in DIMENSIONS
    ]  # as surveys_of lists them
    return SurveyView(
        id=survey.id,
        at=survey.at,
        scores={name: given[name] for name in ordered},
        comment=survey.comment,
        complaint_id=closed.id if closed is not None else None,
        by=ctx.user.login,
    )


def _store_survey(
    ctx: Context,
    customer: Customer,
    closed: Complaint | None,
    moment: datetime,
    comment: str,
    given: dict[str, int],
) -> Survey:
    survey = Survey.create(
        customer=customer,
        complaint=closed,
        at=moment,
        by=ctx.user.id,
        comment=comment,
        **{name: score for name, score in given.items() if name in DIMENSIONS},
    )
    extra = [(survey.id, name, score) for name, score in given.items() if name not in DIMENSIONS]
    if extra:
        SurveyScore.insert_many(
            extra, fields=[SurveyScore.survey, SurveyScore.dimension, SurveyScore.score]
        ).execute()
    return survey


@dataclass(frozen=True)
class SurveyView:
    id: int
    at: datetime
    scores: dict[str, int]
    """Every score given, the five columns and the team's own dimensions alike."""
    comment: str
    complaint_id: int | None
    by: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "scores": self.scores,
            "comment": self.comment,
            "complaint_id": self.complaint_id,
            "by": self.by,
        }


def surveys_of(ctx: Context, customer_id: int, *, limit: int = 20) -> list[SurveyView]:
    """The customer's surveys, newest first, with every score they hold."""
    get_visible_customer(ctx, customer_id)
    rows = list(
        Survey.select(Survey, User)
        .join(User, JOIN.LEFT_OUTER, on=Survey.by)
        .where(Survey.customer == customer_id)
        .order_by(Survey.at.desc(), Survey.id.desc())
        .limit(limit)
    )
    extra: dict[int, dict[str, int]] = {}
    if rows:
        for survey_id, name, score in tuple_rows(
            SurveyScore.select(SurveyScore.survey, SurveyScore.dimension, SurveyScore.score).where(
                SurveyScore.survey.in_([r.id for r in rows])
            ),
            tuple[int, str, int],
        ):
            extra.setdefault(survey_id, {})[name] = score
    return [
        SurveyView(
            id=r.id,
            at=r.at,
            comment=r.comment,
            complaint_id=r.complaint_id,
            by=r.by.login if r.by is not None else "",
            scores={
                **{name: getattr(r, name) for name in DIMENSIONS if getattr(r, name) is not None},
                **extra.get(r.id, {}),
            },
        )
        for r in rows
    ]


__all__ = [
    "configured",
    "clean_scores",
    "survey_editor",
    "record_survey",
    "SurveyView",
    "surveys_of",
]
