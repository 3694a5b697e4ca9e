"""The due list's quick paths agree with the list itself, on a demo team, for every role and
scope, on days with more or less due: the login banner's counts (`count_due`, read from SQL
aggregates) say what `brief(due_list(...))` says, and the JSON written row by row from the
queries (`due_json`) is the list's own JSON, byte for byte."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from datetime import date, timedelta

import pytest

from crmtui.config import Greetings
from crmtui.db import Customer, User
from crmtui.demo import build_demo
from crmtui.output import emit_json_objects, json_text
from crmtui.rules import DueKind
from crmtui.services.due import due_json, due_list
from crmtui.services.due_brief import brief, count_due
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
    ctx = team.replaced(config=team.config._replace(greetings=Greetings(
        holidays=("Spring Festival", "Mid-Autumn Festival"), lead_days=14)))
    spring_festival_eve = date(2027, 2, 1)  # 2027's Spring Festival is on 6 February
    for everyone in (False, True):
        items = due_list(ctx, spring_festival_eve, everyone=everyone)
        assert any(item.kind == DueKind.GREETING for item in items)
        assert count_due(ctx, spring_festival_eve, everyone=everyone) == brief(items)


def test_nothing_due_counts_nothing(ctx):
    assert str(count_due(ctx)) == "nothing due"


def bulk_json(ctx, day, everyone) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        emit_json_objects(due_json(ctx, day, everyone=everyone), chunk=7)
    return out.getvalue()


def test_the_bulk_json_is_the_lists_json_byte_for_byte(team):
    """`crmtui due --json` writes rows straight from the queries; what it writes is what the
    list of DueItems gives, in the same order, for every role, scope and day."""
    longest = 0
    for ctx, everyone in scopes(team):
        for day in DAYS:
            items = due_list(ctx, day, everyone=everyone)
            expected = json_text([item.to_json() for item in items]) + "\n"
            assert bulk_json(ctx, day, everyone) == expected, (ctx.user.login, everyone, day)
            longest = max(longest, len(items))
    assert longest > 7 * 3  # several chunks were joined


def test_the_bulk_json_holds_greetings_and_escapes_as_the_list_does(team):
    ctx = team.replaced(config=team.config._replace(greetings=Greetings(
        holidays=("Spring Festival",), lead_days=14)))
    # a grade A customer due today (ordered: PostgreSQL returns unordered rows in any order)
    customer = (Customer.select().where((Customer.grade == "A") & (Customer.next_due <= TODAY))
                .order_by(Customer.id).first())
    Customer.update(name="Bidi\u202e evil\u0085 \u4e2d", company='say "hi"\\ \u2028').where(
        Customer.id == customer.id).execute()
    for day in (date(2027, 2, 1), TODAY):
        items = due_list(ctx, day, everyone=True)
        assert any(item.customer_id == customer.id for item in items)
        expected = json_text([item.to_json() for item in items]) + "\n"
        assert "\\u202e" in expected
        assert bulk_json(ctx, day, True) == expected
    assert any(item.kind == DueKind.GREETING for item in due_list(ctx, date(2027, 2, 1)))


def test_no_rows_is_an_empty_list(ctx):
    assert bulk_json(ctx, TODAY, False) == "[]\n"
