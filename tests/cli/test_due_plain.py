"""`crmtui due` into a pipe or file writes its lines without rich's layout: the same text rich
prints when there are no styles to write, for every width, scope and language, wide names and
hostile text included."""

from __future__ import annotations

import io

import pytest

from crmtui.commands.due import _print_styled, _write_plain
from crmtui.db import Customer, User
from crmtui.demo import build_demo
from crmtui.i18n import _, set_language
from crmtui.output import text_only_console
from crmtui.present.due import DueColumns
from crmtui.services.due import due_list
from tests.conftest import TODAY, as_user
from tests.hostile import HOSTILE, forbidden_in


@pytest.fixture
def team(ctx):
    build_demo(ctx, 200, seed=3, today=TODAY)
    due = Customer.select().where(Customer.next_due <= TODAY).order_by(Customer.id)
    first, second = due.limit(2)
    Customer.update(name="张伟" * 6, company=HOSTILE).where(Customer.id == first.id).execute()
    Customer.update(name=f"x {HOSTILE}", company="ｆｕｌｌ\u3000宽").where(
        Customer.id == second.id).execute()
    return ctx


def written(print_lines, ctx, everyone, width) -> str:
    file = io.StringIO()
    out = text_only_console(file=file, width=width, color_system=None)
    items = due_list(ctx, TODAY, everyone=everyone)
    title = _("Due on {day}").format(day=TODAY.isoformat())
    print_lines(out, title, DueColumns.for_width(width, owner=everyone), items, TODAY)
    return file.getvalue()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_plain_lines_are_what_rich_prints(team, language):
    rep = User.select().where(User.role == "rep").order_by(User.login).first()
    set_language(language)
    try:
        for ctx, everyone in ((team, True), (as_user(team, rep.login), False)):
            for width in (70, 80, 100, 131, 200):  # widths the columns fit (print_due checks)
                assert DueColumns.for_width(width, owner=everyone).width <= width
                plain = written(_write_plain, ctx, everyone, width)
                assert plain == written(_print_styled, ctx, everyone, width), (width, everyone)
                assert plain.count("\n") > 10
                assert not forbidden_in(plain)
            assert not everyone or "张伟张伟" in plain
    finally:
        set_language("en")
