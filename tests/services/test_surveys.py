"""Satisfaction surveys on the team's own dimensions, with comments and from closed complaints;
the CSI over whatever is configured; complaint analysis by category and root cause."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from crmtui.config import SurveySettings
from crmtui.db import Survey, SurveyScore
from crmtui.errors import Forbidden, InvalidInput, NotFound
from crmtui.rules import csi
from crmtui.services.complaint_analysis import complaint_causes
from crmtui.services.complaints import acknowledge, close, open_complaint, resolve, start_work
from crmtui.services.complaints import wait_for_customer, resume
from crmtui.services.customers import add_customer
from crmtui.services.stats import csi_by_quarter, scope_for
from crmtui.services.surveys import record_survey, surveys_of
from tests.conftest import NOW, as_user

TEAM_SURVEY = SurveySettings(dimensions=("product", "delivery", "competitors", "overall"),
                             labels={"delivery": "交货准时"})


@pytest.fixture
def team(ctx, rep_ctx):
    return {"boss": ctx, "rita": rep_ctx, "ray": as_user(ctx, "ray"), "sam": as_user(ctx, "sam")}


def configured(ctx, settings=TEAM_SURVEY):
    return ctx.replaced(config=ctx.config._replace(survey=settings))


def snapshot() -> tuple[list, list]:
    return ([tuple(r.values()) for r in Survey.select().order_by(Survey.id).dicts()],
            [tuple(r.values()) for r in SurveyScore.select().order_by(SurveyScore.id).dicts()])


def test_the_team_s_dimensions_and_a_comment(team):
    rita = configured(team["rita"])
    customer = add_customer(rita, {"name": "华信"}).id
    survey = record_survey(rita, customer, {"product": "5", "delivery": 3, "competitors": "4"},
                           comment="比上家供应商快\n但包装要改进")
    stored = Survey.get_by_id(survey.id)
    assert (stored.product, stored.overall, stored.comment) == (5, None,
                                                               "比上家供应商快\n但包装要改进")
    assert {(s.dimension, s.score) for s in SurveyScore.select()} == {("delivery", 3),
                                                                      ("competitors", 4)}
    [view] = surveys_of(team["sam"], customer)
    assert view.scores == {"product": 5, "delivery": 3, "competitors": 4}
    assert view.by == "rita"


@pytest.mark.parametrize("scores, field, fragment", [
    ({"service": 4}, "service", "'service' is not a survey dimension here (configured: product, "
                                "delivery, competitors, overall)"),
    ({"taste": 4}, "taste", "not a survey dimension here"),
    ({"delivery": 6}, "delivery", "between 1 and 5"),
    ({"competitors": "good"}, "competitors", "not a whole number"),
    ({}, "scores", "at least one score"),
    ({"delivery": ""}, "scores", "at least one score"),
])
def test_bad_surveys_change_nothing(team, scores, field, fragment):
    rita = configured(team["rita"])
    customer = add_customer(rita, {"name": "华信"}).id
    record_survey(rita, customer, {"overall": 5})
    before = snapshot()
    with pytest.raises(InvalidInput) as refused:
        record_survey(rita, customer, {**({} if field == "scores" else {"product": 4}), **scores})
    assert fragment in refused.value.errors[field]
    assert snapshot() == before


def test_csi_is_over_the_configured_dimensions(team):
    boss = configured(team["boss"])
    customer = add_customer(boss, {"name": "华信"}).id
    record_survey(boss, customer, {"product": 5, "delivery": 2, "competitors": 4})
    record_survey(boss, customer, {"overall": 3}, comment="ok")
    Survey.create(customer=customer, at=NOW, service=1, value=1, by=boss.user.id)  # older data
    scope = scope_for(boss, everyone=True)
    [*_before, now] = csi_by_quarter(scope, dimensions=TEAM_SURVEY.dimensions)
    assert (now.quarter, now.surveys, now.scores) == ("2026-Q4", 3, 4)
    assert now.csi == csi([5, 2, 4, 3])
    # the default five: the older survey's columns count, the team's own dimensions do not
    [*_before, five] = csi_by_quarter(scope)
    assert (five.scores, five.csi) == (4, csi([5, 3, 1, 1]))


def test_a_survey_after_a_closed_complaint(team, clock):
    sam, rita = configured(team["sam"]), configured(team["rita"])
    customer = add_customer(rita, {"name": "华信"}).id
    complaint = open_complaint(rita, customer, "high", "发货延迟")
    with pytest.raises(InvalidInput, match="not closed yet"):
        record_survey(sam, customer, {"overall": 4}, complaint=complaint.id)
    acknowledge(sam, complaint.id, "+2h")
    start_work(sam, complaint.id)
    resolve(sam, complaint.id, "补发", "仓库积压")
    close(sam, complaint.id)
    survey = record_survey(sam, customer, {"overall": 4, "delivery": 2}, complaint=complaint.id,
                           comment="处理得快")
    assert (survey.complaint_id, survey.by) == (complaint.id, "sam")
    assert Survey.get_by_id(survey.id).by_id == sam.user.id
    with pytest.raises(Forbidden, match="support can read profiles"):
        record_survey(sam, customer, {"overall": 4})  # not after a complaint: the rep's call
    with pytest.raises(NotFound, match="no complaint #99"):
        record_survey(sam, customer, {"overall": 4}, complaint=99)
    with pytest.raises(NotFound):  # another rep does not see the customer at all
        record_survey(configured(team["ray"]), customer, {"overall": 4}, complaint=complaint.id)


def test_complaints_by_category_and_root_cause_with_medians(team, clock):
    boss, sam = team["boss"], team["sam"]
    customer = add_customer(boss, {"name": "华信"}).id
    h = timedelta(hours=1)

    def complaint(opened_days_ago, category, answer_h, resolve_h, cause, wait_h=0):
        clock.now = NOW - timedelta(days=opened_days_ago)
        opened = clock.now
        made = open_complaint(boss, customer, "normal", f"{category} problem", category=category)
        if answer_h is not None:
            clock.now = opened + answer_h * h
            acknowledge(sam, made.id, "+1d")
            start_work(sam, made.id)
        if wait_h:
            wait_for_customer(sam, made.id)
            clock.now += wait_h * h
            resume(sam, made.id)
        if resolve_h is not None:
            clock.now = opened + resolve_h * h
            resolve(sam, made.id, "fixed", cause)
        clock.now = NOW

    complaint(1, "delivery", 2, 10, "Warehouse backlog")
    complaint(40, "delivery", 4, 30, "warehouse  BACKLOG", wait_h=6)  # 24 h without the wait
    complaint(45, "Delivery", 6, None, "")
    complaint(70, "quality", 1, 5, "supplier batch")
    complaint(300, "quality", 1, 5, "long ago")  # before the six months
    found = complaint_causes(boss, everyone=True)
    assert found.months == ("2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11")
    assert found.since == date(2026, 6, 1)
    delivery, quality = found.by_category
    assert (delivery.key, delivery.complaints, delivery.by_month, delivery.open) == (
        "delivery", 3, (0, 0, 0, 0, 2, 1), 1)
    assert delivery.median_response == 4 * h
    assert delivery.median_resolution == 17 * h  # of 10 h and 24 h
    assert (quality.key, quality.complaints, quality.median_resolution) == ("quality", 1, 5 * h)
    assert [(row.key, row.complaints) for row in found.by_cause] == [
        ("Warehouse backlog", 2), ("supplier batch", 1), ("", 1)]
    assert found.total.complaints == 4
    data = found.to_json()
    assert data["by_root_cause"][0] == {
        "root_cause": "Warehouse backlog", "complaints": 2, "by_month": [0, 0, 0, 0, 1, 1],
        "open": 0, "median_first_response_hours": 3.0, "median_resolution_hours": 17.0}
    assert complaint_causes(team["rita"]).total.complaints == 0  # not rita's customer
