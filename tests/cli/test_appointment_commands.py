"""`crmtui appointment …` and `crmtui agenda` in-process on a fixed clock (Monday 23 November
2026, 10:00 UTC): output, JSON contracts, one-line refusals that change nothing."""

from __future__ import annotations

from datetime import timezone
from zoneinfo import ZoneInfo

import pytest

from crmtui import output
from crmtui.cli import main
from tests.cli.inprocess import run_cli


@pytest.fixture
def crm(tmp_path, clock):
    db = tmp_path / "crm.sqlite3"

    def run(*argv: str, login: str = "boss"):
        return run_cli(list(argv), db=db, clock=clock, login=login)

    assert run("add", "张三", "--company", "Acme").code == 0
    assert run("add", "Bob", "--company", "Bobco").code == 0
    return run


def one_line(result, *fragments: str) -> str:
    assert result.code == 1, result
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("crmtui: "), result.err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def test_book_list_move_and_cancel_from_the_shell(crm):
    added = crm("appointment", "add", "张三", "--at", "tomorrow 10:00", "--purpose", "revenue",
                "--place", "his office", "--prep", "present the new price list")
    assert added.code == 0, added.err
    assert added.out.strip() == "Appointment #1: visit with 张三, Tue 2026-11-24 10:00–11:00"
    call = crm("appointment", "add", "2", "--at", "tomorrow 11:00", "--minutes", "30",
               "--kind", "call", "--json")
    assert call.code == 0, call.err
    data = call.json()
    assert {key: data[key] for key in ("id", "customer_id", "customer", "starts_at", "ends_at",
                                       "minutes", "kind", "purpose", "status", "user")} == {
        "id": 2, "customer_id": 2, "customer": "Bob", "starts_at": "2026-11-24T11:00:00+00:00",
        "ends_at": "2026-11-24T11:30:00+00:00", "minutes": 30, "kind": "call",
        "purpose": None, "status": "planned", "user": "boss"}

    agenda = crm("agenda", "--date", "tomorrow")
    assert agenda.code == 0, agenda.err
    lines = agenda.out.splitlines()
    assert lines[0] == "Schedule Tue 2026-11-24 (2)"
    assert lines[1].split() == ["10:00–11:00", "visit", "张三", "revenue"]
    assert lines[2].strip() == "prep: present the new price list · at: his office"
    assert lines[3].split() == ["11:00–11:30", "call", "Bob", "-"]

    moved = crm("appointment", "move", "1", "--at", "tomorrow 14:00")
    assert moved.out.strip() == "Appointment #1 moved: visit with 张三, Tue 2026-11-24 " \
                                "14:00–15:00"
    cancelled = crm("appointment", "cancel", "2", "--json")
    assert cancelled.json()["status"] == "cancelled"
    listed = crm("appointment", "list", "--date", "2026-11-24", "--json").json()
    assert [(a["id"], a["status"], a["moves"]) for a in listed] == [
        (2, "cancelled", 0), (1, "planned", 1)]
    shown = crm("appointment", "list", "--date", "tomorrow").out
    assert "#2" in shown and "cancelled" in shown and "#1" in shown
    assert [a["id"] for a in crm("agenda", "--date", "tomorrow", "--json").json()] == [1]


def test_an_overlap_is_refused_naming_the_clash_and_nothing_changes(crm):
    assert crm("appointment", "add", "Bob", "--at", "tomorrow 10:00").code == 0
    line = one_line(crm("appointment", "add", "张三", "--at", "tomorrow 10:30"),
                    "clashes with appointment #1", "Bob", "10:00–11:00")
    assert "nothing was changed" in line
    assert crm("appointment", "add", "张三", "--at", "tomorrow 11:00").code == 0  # back to back
    assert len(crm("agenda", "--date", "tomorrow", "--json").json()) == 2


@pytest.mark.parametrize(("argv", "fragment"), [
    (["--at", "today 09:00"], "has passed"),
    (["--at", "tomorrow 10:00", "--minutes", "0"], "at least a minute"),
    (["--at", "tomorrow 10:00", "--minutes", "-5"], "at least a minute"),
    (["--at", "tomorrow 10:00", "--past"], "still to come"),
    (["--at", "someday"], "not a date"),
    (["--at", "tomorrow 10:00", "--contact", "Nobody"], "no contact"),
])
def test_bad_input_is_one_line_and_nothing_is_stored(crm, argv, fragment):
    one_line(crm("appointment", "add", "张三", *argv), fragment)
    assert crm("appointment", "list", "--date", "today", "--json").json() == []
    assert crm("appointment", "list", "--date", "tomorrow", "--json").json() == []


@pytest.mark.parametrize("argv", [
    ["appointment", "add", "张三", "--at", "tomorrow 10:00", "--kind", "lunch"],
    ["appointment", "add", "张三", "--at", "tomorrow 10:00", "--purpose", "fun"],
    ["appointment", "add", "张三"],
    ["appointment", "move", "1"],
    ["appointment"],
])
def test_usage_errors_exit_2(crm, argv):
    result = crm(*argv)
    assert result.code == 2
    assert result.err.strip().splitlines()[-1].startswith("crmtui: ")


def test_one_already_held_is_recorded_with_past(crm):
    added = crm("appointment", "add", "张三", "--at", "today 08:30", "--past", "--json")
    assert added.code == 0, added.err
    assert added.json()["missed"] is True  # over, and not logged yet
    assert "!" in crm("agenda").out.splitlines()[1]


def test_unknown_and_foreign_appointments_are_one_line(crm):
    for reference in ("99", "x", "#0"):
        one_line(crm("appointment", "cancel", reference), "appointment")
    assert crm("user", "add", "rita", "--role", "rep").code == 0
    assert crm("user", "add", "sam", "--role", "support").code == 0
    assert crm("appointment", "add", "1", "--at", "tomorrow 10:00").code == 0
    one_line(crm("appointment", "add", "1", "--at", "tomorrow 12:00", login="sam"),
             "support")
    one_line(crm("appointment", "cancel", "1", login="rita"), "no appointment with id 1")
    one_line(crm("appointment", "list", "--date", "someday"), "not a date")


def test_a_shanghai_appointment_is_shown_in_utc(tmp_path, clock, capsys):
    """Booked by a rep in Asia/Shanghai (18:00 there), read in UTC by the manager."""
    db = tmp_path / "crm.sqlite3"

    def run(*argv, zone=timezone.utc):
        code = main(["--db", str(db), *argv], login="boss", clock=clock, zone=zone)
        return code, capsys.readouterr()

    assert run("add", "张三")[0] == 0
    code, out = run("appointment", "add", "1", "--at", "tomorrow 10:00",
                    zone=ZoneInfo("Asia/Shanghai"))
    assert code == 0 and "10:00–11:00" in out.out
    code, out = run("agenda", "--date", "2026-11-24")
    assert out.out.splitlines()[1].split()[0] == "02:00–03:00"
    code, out = run("agenda", "--date", "2026-11-24", "--json")
    assert '"starts_at": "2026-11-24T02:00:00+00:00"' in out.out


def test_show_json_lists_the_customers_appointments(crm):
    assert crm("appointment", "add", "张三", "--at", "tomorrow 10:00", "--purpose",
               "retain").code == 0
    assert crm("appointment", "add", "张三", "--at", "fri 15:30", "--kind", "call").code == 0
    shown = crm("show", "张三", "--json").json()["appointments"]
    assert [(a["id"], a["kind"], a["purpose"], a["starts_at"]) for a in shown] == [
        (2, "call", None, "2026-11-27T15:30:00+00:00"),
        (1, "visit", "retain", "2026-11-24T10:00:00+00:00")]
    assert crm("show", "Bob", "--json").json()["appointments"] == []


def test_due_prints_the_days_schedule_above_the_due_list(crm):
    assert crm("appointment", "add", "Bob", "--at", "tomorrow 09:00", "--prep",
               "bring the contract").code == 0
    evening = crm("due", "--date", "tomorrow").out.splitlines()
    assert evening[0] == "Schedule Tue 2026-11-24 (1)"
    assert evening[1].split()[:3] == ["09:00–10:00", "visit", "Bob"]
    assert evening[2].strip() == "prep: bring the contract"
    assert "Due on 2026-11-24" in evening
    assert not crm("due").out.startswith("Schedule")  # nothing booked today
    assert isinstance(crm("due", "--date", "tomorrow", "--json").json(), list)  # unchanged


def test_logging_the_visit_closes_it_with_the_review(crm, clock):
    from datetime import datetime, timezone

    assert crm("appointment", "add", "张三", "--at", "today 11:00", "--purpose",
               "revenue").code == 0
    early = crm("log", "张三", "--summary", "confirmed", "--json").json()  # at 10:00
    assert early["appointment_id"] is None
    clock.now = datetime(2026, 11, 23, 12, 15, tzinfo=timezone.utc)
    logged = crm("log", "张三", "--summary", "presented the offer", "--channel", "visit",
                 "--purpose-met", "partly", "--still-open", "price for 2027")
    assert logged.code == 0, logged.err
    assert logged.out.splitlines()[-1] == "Appointment #1 held and closed."
    [shown] = crm("show", "张三", "--json").json()["appointments"]
    assert (shown["status"], shown["review"]["purpose_met"], shown["review"]["still_open"]) == (
        "done", "partly", "price for 2027")
    agenda = crm("agenda").out.splitlines()
    assert agenda[1].startswith("✓11:00–12:00")
    assert "purpose met: partly · still open: price for 2027" in agenda[2]
    one_line(crm("log", "张三", "--summary", "x", "--purpose-met", "yes"),
             "no appointment with 张三 to review on 2026-11-23")
    one_line(crm("log", "张三", "--summary", "x", "--appointment", "1"), "already done")
    one_line(crm("log", "张三", "--summary", "x", "--appointment", "77"),
             "no appointment with id 77")


def test_the_review_answers_whether_the_instructions_were_carried_out(crm, clock):
    from datetime import datetime, timezone

    assert crm("user", "add", "rita", "--role", "rep").code == 0
    assert crm("assign", "张三", "rita").code == 0
    assert crm("instruct", "rita", "张三", "带新价目表拜访", "--due", "today").code == 0
    assert crm("appointment", "add", "张三", "--at", "today 11:00", login="rita").code == 0
    clock.now = datetime(2026, 11, 23, 11, 30, tzinfo=timezone.utc)
    logged = crm("log", "张三", "--summary", "presented it", "--channel", "visit",
                 "--instructions-done", "partly", login="rita")
    assert logged.code == 0, logged.err
    [shown] = crm("show", "张三", "--json").json()["appointments"]
    assert shown["review"]["instructions_done"] == "partly"
    assert "instructions carried out: partly" in crm("agenda", login="rita").out
    assert crm("log", "张三", "--summary", "x", "--instructions-done", "maybe").code == 2


def test_each_run_prints_for_the_terminal_it_finds(crm, monkeypatch):
    """main() called again in one process (a script, a test) measures the terminal again: a
    narrow one after a wide one gets the narrow layout."""
    assert crm("appointment", "add", "张三", "--at", "tomorrow 10:00").code == 0
    monkeypatch.setattr(output, "_console", None)  # as in a process that printed nothing yet
    monkeypatch.setenv("COLUMNS", "160")
    wide = crm("agenda", "--date", "tomorrow")
    monkeypatch.setenv("COLUMNS", "60")
    narrow = crm("agenda", "--date", "tomorrow")
    assert "Acme" in wide.out, wide.out
    assert "Acme" not in narrow.out, narrow.out
