"""The due list's quick paths agree with the list itself: the login banner's counts
(`count_due`, read from SQL aggregates) say what `brief(due_list(...))` says, on a demo team,
for every role and scope, on days with more or less due."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from crmtui.config import Greetings
from crmtui.db import User
from crmtui.demo import build_demo
from crmtui.rules import DueKind
from crmtui.services.due import brief, count_due, due_list
from tests.conftest import TODAY, as_user

DAYS = (TODAY, TODAY + timedelta(days=4), TODAY + timedelta(days=40), TODAY - timedelta(days=9))


@pytest.fixture
def team(ctx):
    build_demo(ctx, 300, seed=5, today=TODAY)
    return ctx


def scopes(ctx):
    """(context, everyone) for the manager alone and for the team, a rep, and support."""
    rep = User.select().where(User.role == "rep").order_by(User.login).first()
    support = as_user(ctx, "support")
    return [(ctx, False), (ctx, True), (as_user(ctx, rep.login), False),
            (as_user(ctx, rep.login), True), (support, False), (support, True)]


def test_the_banner_counts_what_the_list_holds_for_every_role_and_day(team):
    seen = set()
    for ctx, everyone in scopes(team):
        for day in DAYS:
            items = due_list(ctx, day, everyone=everyone)
            seen |= {item.kind for item in items}
            assert count_due(ctx, day, everyone=everyone) == brief(items), (
                ctx.user.login, everyone, day)
    # the demo team gives every counted kind on some day (greetings are tested below)
    assert seen >= set(DueKind) - {DueKind.GREETING}


def test_the_banner_counts_holiday_greetings_when_they_are_on(team):
    ctx = replace(team, config=replace(team.config, greetings=Greetings(
        holidays=("Spring Festival", "Mid-Autumn Festival"), lead_days=14)))
    spring_festival_eve = date(2027, 2, 1)  # 2027's Spring Festival is on 6 February
    for everyone in (False, True):
        items = due_list(ctx, spring_festival_eve, everyone=everyone)
        assert any(item.kind == DueKind.GREETING for item in items)
        assert count_due(ctx, spring_festival_eve, everyone=everyone) == brief(items)


def test_nothing_due_counts_nothing(ctx):
    assert str(count_due(ctx)) == "nothing due"
