"""The manager's instructions (上级指令): given by managers to the rep who owns the customer, on
the rep's Today until reported done, late after their day; every bad input refused with nothing
changed."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

import pytest

from crmtui.db import Instruction
from crmtui.errors import CrmError, Forbidden, InvalidInput, NotFound
from crmtui.rules import DueKind, InstructionState
from crmtui.services.customers import add_customer, reassign
from crmtui.services.due import due_list
from crmtui.services.instructions import (
    cancel_instruction,
    give_instruction,
    instruction_counts,
    list_instructions,
    open_for_customer,
    report_done,
)
from tests.conftest import NOW, TODAY, as_user


@pytest.fixture
def team(ctx, rep_ctx):
    return {"boss": ctx, "rita": rep_ctx, "ray": as_user(ctx, "ray"), "sam": as_user(ctx, "sam")}


@pytest.fixture
def ritas(team):
    return add_customer(team["boss"], {"name": "张三", "company": "华为"}, owner="rita").id


def rows() -> list[tuple]:
    return [tuple(r.values()) for r in Instruction.select().order_by(Instruction.id).dicts()]


def at(clock, day: date) -> None:
    clock.now = datetime.combine(day, time(10), timezone.utc)


def test_instruction_to_done(team, ritas, clock):
    boss, rita = team["boss"], team["rita"]
    given = give_instruction(boss, "rita", ritas, "  Present the new\nprice list ", "+3d")
    assert (given.text, given.due, given.to, given.by) == (
        "Present the new price list", TODAY + timedelta(days=3), "rita", "boss")
    stored = Instruction.get_by_id(given.id)
    assert (stored.to_id, stored.by_id) == (rita.user.id, boss.user.id)
    # on Rita's Today, from the day it is given, with who gave it
    items = [i for i in due_list(rita, TODAY) if i.kind is DueKind.INSTRUCTION]
    assert [(i.customer_id, i.ref_id, i.due, i.overdue_days) for i in items] == [
        (ritas, given.id, TODAY + timedelta(days=3), 0)]
    assert items[0].detail == "Present the new price list · from boss"
    assert [r.id for r in open_for_customer(rita, ritas)] == [given.id]
    assert [r.state for r in list_instructions(rita)] == [InstructionState.OPEN]

    at(clock, TODAY + timedelta(days=1))
    done = report_done(rita, given.id, "Sent it by e-mail")
    assert (done.done_on, done.note) == (TODAY + timedelta(days=1), "Sent it by e-mail")
    assert not [i for i in due_list(rita) if i.kind is DueKind.INSTRUCTION]
    assert open_for_customer(rita, ritas) == []
    assert list_instructions(rita) == []
    [row] = list_instructions(boss, "all")
    assert (row.state, row.to, row.by, row.note, row.overdue_days) == (
        InstructionState.DONE, "rita", "boss", "Sent it by e-mail", 0)
    with pytest.raises(CrmError, match="already reported done on 2026-11-24"):
        report_done(rita, given.id, "again")


def test_a_late_instruction(team, ritas, clock):
    boss, rita = team["boss"], team["rita"]
    given = give_instruction(boss, "rita", ritas, "Call about the invoice", "today")
    assert list_instructions(boss, "late") == []
    at(clock, TODAY + timedelta(days=4))  # four days after its day
    [item] = [i for i in due_list(rita) if i.kind is DueKind.INSTRUCTION]
    assert item.overdue_days == 4 and item.detail.endswith("· late by 4d")
    [late] = list_instructions(boss, "late")
    assert (late.id, late.state, late.overdue_days) == (given.id, InstructionState.LATE, 4)
    counts = instruction_counts(boss, since=TODAY)
    assert [(c.login, c.open, c.late, c.done) for c in counts] == [("rita", 1, 1, 0)]
    report_done(rita, given.id)
    [row] = list_instructions(boss, "all")
    assert (row.state, row.overdue_days) == (InstructionState.DONE, 4)  # done 4 days late
    counts = instruction_counts(boss, since=TODAY)
    assert [(c.open, c.late, c.done, c.done_late) for c in counts] == [(0, 0, 1, 1)]


@pytest.mark.parametrize("who, login, text, due, error, message", [
    ("rita", "rita", "x", "+1d", Forbidden, "only a manager can give instructions"),
    ("sam", "rita", "x", "+1d", Forbidden, "only a manager can give instructions"),
    ("boss", "nobody", "x", "+1d", NotFound, "no user nobody"),
    ("boss", "ray", "x", "+1d", CrmError, "belongs to rita, not ray"),
    ("boss", "rita", "   ", "+1d", InvalidInput, "text: required"),
    ("boss", "rita", "x", "", InvalidInput, "due: an instruction needs a due date"),
    ("boss", "rita", "x", "yesterday", InvalidInput, "due: the due date cannot be in the past"),
    ("boss", "rita", "x", "2026-02-30", InvalidInput, "due: "),
    ("boss", "rita", "x" * 501, "+1d", InvalidInput, "too long"),
])
def test_bad_instructions_are_refused_and_change_nothing(team, ritas, who, login, text, due,
                                                         error, message):
    with pytest.raises(error, match=message):
        give_instruction(team[who], login, ritas, text, due)
    assert rows() == []


def test_only_the_rep_it_went_to_or_a_manager_reports_it_done(team, ritas):
    given = give_instruction(team["boss"], "rita", ritas, "Visit", "+2d")
    before = rows()
    for who in ("ray", "sam"):
        with pytest.raises(NotFound, match=f"no instruction with id {given.id}"):
            report_done(team[who], given.id, "done")
    with pytest.raises(NotFound):
        report_done(team["rita"], "99999999999999", "")
    with pytest.raises(InvalidInput, match="note: too long"):
        report_done(team["rita"], given.id, "n" * 2001)
    with pytest.raises(Forbidden):
        cancel_instruction(team["rita"], given.id)
    assert rows() == before
    assert list_instructions(team["ray"]) == []
    cancel_instruction(team["boss"], given.id)
    assert rows() == []


def test_open_instructions_follow_the_customer_to_a_new_owner(team, ritas):
    given = give_instruction(team["boss"], "rita", ritas, "Visit", "+2d")
    reassign(team["boss"], ritas, "ray")
    assert Instruction.get_by_id(given.id).to_id == team["ray"].user.id
    assert [i.ref_id for i in due_list(team["ray"]) if i.kind is DueKind.INSTRUCTION] == [
        given.id]
    assert not [i for i in due_list(team["rita"]) if i.kind is DueKind.INSTRUCTION]


def test_the_counts_per_rep_equal_a_count_of_each_instruction(team, ritas):
    """Random instructions, open and done, early, on time and late: the counts the database
    groups equal those worked out from each instruction (as the manager and as a rep)."""
    boss, rita = team["boss"], team["rita"]
    rays = add_customer(boss, {"name": "李四"}, owner="ray").id
    bosses = add_customer(boss, {"name": "王五"}, owner="boss").id
    owners = {ritas: rita.user.id, rays: team["ray"].user.id, bosses: boss.user.id}
    rng = random.Random(18)
    for _ in range(300):
        customer = rng.choice(list(owners))
        due = TODAY + timedelta(days=rng.randint(-40, 10))
        done_on = rng.choice([None, due + timedelta(days=rng.randint(-5, 5))])
        Instruction.create(customer=customer, to=owners[customer], by=boss.user.id, text="x",
                           due=due, given_at=NOW, done_on=done_on,
                           done_at=None if done_on is None else NOW)
    since = TODAY - timedelta(days=29)
    expected: dict[str, list[int]] = {}
    for row in Instruction.select():
        counts = expected.setdefault(row.to.login, [0, 0, 0, 0])
        if row.done_on is None:
            counts[0] += 1
            counts[1] += row.due < TODAY
        elif since <= row.done_on <= TODAY:
            counts[2] += 1
            counts[3] += row.done_on > row.due
    found = instruction_counts(boss, since, TODAY)
    assert [(c.login, [c.open, c.late, c.done, c.done_late]) for c in found] == sorted(
        expected.items())
    assert [c.name for c in found] == ["boss", "Ray Rep", "Rita Rep"]
    [own] = instruction_counts(rita, since, TODAY)
    assert (own.login, [own.open, own.late, own.done, own.done_late]) == (
        "rita", expected["rita"])
