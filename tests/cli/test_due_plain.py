"""`crmtui due` into a pipe or file writes its lines without rich's layout: the same text rich
prints when there are no styles to write, for every width, scope and language, wide names and
hostile text included."""

from __future__ import annotations

import io

import pytest

from crmtui import output
from crmtui.commands.due import _print_styled, _write_plain, print_due
from crmtui.db import Customer, User
from crmtui.demo import build_demo
from crmtui.i18n import _, set_language
from crmtui.output import text_only_console
from crmtui.output import text_only_console as text_only
from crmtui.present.due import DueColumns
from crmtui.services.appointments import add_appointment
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


def write_plain(out, *args) -> None:
    _write_plain(out.file, *args)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_plain_lines_are_what_rich_prints(team, language):
    rep = User.select().where(User.role == "rep").order_by(User.login).first()
    set_language(language)
    try:
        for ctx, everyone in ((team, True), (as_user(team, rep.login), False)):
            for width in (70, 80, 100, 131, 200):  # widths the columns fit (print_due checks)
                assert DueColumns.for_width(width, owner=everyone).width <= width
                plain = written(write_plain, ctx, everyone, width)
                assert plain == written(_print_styled, ctx, everyone, width), (width, everyone)
                assert plain.count("\n") > 10
                assert not forbidden_in(plain)
            assert not everyone or "张伟张伟" in plain
    finally:
        set_language("en")


def printed(ctx, everyone, *, plain: bool, monkeypatch, capsys) -> str:
    """What `print_due` writes into a pipe: its own plain lines, or (plain False) rich's
    console printing them as it did before they skipped rich."""
    monkeypatch.setattr(output, "_console", None)
    made = []
    if plain:
        monkeypatch.setattr(output, "text_only_console", lambda: made.append(1) or text_only())
    else:
        monkeypatch.setattr(output, "plain_width", lambda: None)
    print_due(ctx, due_list(ctx, TODAY, everyone=everyone), TODAY, everyone)
    monkeypatch.undo()
    return capsys.readouterr().out + ("(through rich)" if made else "")


@pytest.mark.parametrize("columns", ["80", "120", "200"])
@pytest.mark.parametrize("long_prep", [False, True])
def test_the_day_with_appointments_prints_as_rich_did(team, columns, long_prep, monkeypatch,
                                                      capsys):
    """Into a pipe the schedule and the due list are written without rich: the same text rich
    printed, wide names and hostile text included; a detail line wider than the terminal goes
    through rich, which wraps it."""
    rep = User.select().where(User.role == "rep").order_by(User.login).first()
    as_rep = as_user(team, rep.login)
    mine = Customer.select().where(Customer.owner == rep.id).order_by(Customer.id)
    for hour, (customer, place, prep) in enumerate([
        (mine[0], "his office", "the price list"),
        (mine[1], HOSTILE[:12], "张伟" * 3),
        (mine[2], "a place", "word " * 30 if long_prep else ""),
    ]):
        add_appointment(as_rep, customer.id, at=f"{TODAY.isoformat()} {12 + hour}:00",
                        place=place, prep=prep)
    monkeypatch.setenv("COLUMNS", columns)
    for ctx, everyone in ((as_rep, False), (team, True)):
        plain = printed(ctx, everyone, plain=True, monkeypatch=monkeypatch, capsys=capsys)
        monkeypatch.setenv("COLUMNS", columns)
        by_rich = printed(ctx, everyone, plain=False, monkeypatch=monkeypatch, capsys=capsys)
        monkeypatch.setenv("COLUMNS", columns)
        wraps = long_prep and columns != "200"  # 30 words' line is rich's to wrap
        assert plain == by_rich + ("(through rich)" if wraps else ""), (columns, everyone)
        assert "his office" in plain and "Due on" in plain
        assert not forbidden_in(plain)
