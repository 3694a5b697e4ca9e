"""A change that was committed is never reported as a failure: when the command fails after its
write (printing the confirmation, say), it says the change was saved and exits 0, so nobody saves
it a second time. Housekeeping the user did not ask for (grades moved by the calendar) does not
count as a saved change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crmtui.db import Order
from crmtui.db import open_store
from tests.cli.inprocess import run_cli


@pytest.fixture
def db(tmp_path, clock):
    path = tmp_path / "crm.sqlite3"
    added = run_cli(["add", "Ada", "--need", "clear", "--close", "+20d"], db=path, clock=clock)
    assert added.code == 0, added.err
    return path


def orders(db) -> int:
    store = open_store(db)
    try:
        return Order.select().count()
    finally:
        store.close()


def test_a_confirmation_that_cannot_be_printed_says_the_order_was_saved(db, clock,
                                                                         monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the terminal went away")

    monkeypatch.setattr("crmtui.commands.orders.say", broken)
    result = run_cli(["order", "1", "--amount", "500"], db=db, clock=clock)
    assert result.code == 0
    assert result.err.startswith("crmtui: saved: record order #1; the confirmation could not "
                                 "be printed: RuntimeError: the terminal went away")
    assert len(result.err.strip().splitlines()) == 1
    assert orders(db) == 1


def test_a_refusal_after_a_commit_names_what_was_saved(db, clock, monkeypatch):
    from crmtui.errors import CrmError

    def refused(*args, **kwargs):
        raise CrmError("the printer is out of paper")

    monkeypatch.setattr("crmtui.commands.orders.say", refused)
    result = run_cli(["order", "1", "--amount", "500"], db=db, clock=clock)
    assert result.code == 1
    assert result.err == ("crmtui: saved: record order #1; then: the printer is out of "
                          "paper\n")
    assert orders(db) == 1


def test_a_refused_command_after_the_calendar_moved_grades_is_not_called_saved(db, clock):
    clock.now += timedelta(days=3)  # a new day: the first command moves grades
    result = run_cli(["report", "daily", "--date", "someday"], db=db, clock=clock)
    assert result.code == 1
    assert "saved" not in result.err and "not a date" in result.err


def test_an_unexpected_error_before_any_write_is_still_an_error(db, clock, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("crmtui.services.profile.customer_profile", broken)
    result = run_cli(["show", "1"], db=db, clock=clock)
    assert result.code == 1
    assert result.err.startswith("crmtui: unexpected error: RuntimeError: boom")


def test_an_error_message_quoting_typed_text_is_one_line(db, clock):
    result = run_cli(["order", "1", "--amount", "12\n\x1b]0;x\x07"], db=db, clock=clock)
    assert result.code == 1
    assert len(result.err.splitlines()) == 1 and "\x1b" not in result.err
    assert orders(db) == 0
