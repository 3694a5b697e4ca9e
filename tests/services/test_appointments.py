"""Appointments through the service: booking, clashes, moving, cancelling, closing with the
review, who may, and a day's schedule across time zones."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from crmtui.db import Appointment, Interaction
from crmtui.errors import Forbidden, InvalidInput, NotFound
from crmtui.present.schedule import time_range
from crmtui.services.appointment_views import schedule
from crmtui.services.appointments import (
    add_appointment,
    appointments_of,
    cancel_appointment,
    close_with_review,
    move_appointment,
    open_appointment_id,
)
from crmtui.services.contacts import add_contact
from crmtui.services.customers import add_customer
from tests.conftest import NOW, TODAY, as_user

UTC = timezone.utc
TOMORROW = TODAY + timedelta(days=1)


def utc(hour: int, minute: int = 0, day: date = TOMORROW) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


@pytest.fixture
def mine(rep_ctx):
    return add_customer(rep_ctx, {"name": "张三", "company": "Acme"})


def test_a_visit_is_booked_with_its_purpose_preparation_place_and_contact(rep_ctx, mine):
    add_contact(rep_ctx, mine.id, {"name": "李四", "role": "decision_maker"})
    row = add_appointment(rep_ctx, mine.id, at="tomorrow 10:00", purpose="revenue",
                          place="his office", prep="present the new price list",
                          contact="李四")
    stored = Appointment.get_by_id(row.id)
    assert (stored.starts_at, stored.ends_at, stored.minutes) == (utc(10), utc(11), 60)
    assert (stored.kind, stored.purpose, stored.status) == ("visit", "revenue", "planned")
    assert (stored.place, stored.prep, stored.contact_name) == (
        "his office", "present the new price list", "李四")
    assert stored.user_id == rep_ctx.user.id
    assert stored.first_starts_at == utc(10) and stored.moves == 0


def test_a_time_typed_in_shanghai_is_stored_in_utc_and_shown_in_the_readers_zone(rep_ctx, mine):
    shanghai = rep_ctx.replaced(zone=ZoneInfo("Asia/Shanghai"))  # 18:00 there on the 23rd
    row = add_appointment(shanghai, mine.id, at="tomorrow 10:00", minutes="90")
    assert Appointment.get_by_id(row.id).starts_at == utc(2)  # 10:00 +08:00
    [seen_in_utc] = schedule(rep_ctx, TOMORROW)
    assert time_range(seen_in_utc, UTC) == "02:00–03:30"
    [seen_there] = schedule(shanghai, TOMORROW)
    assert time_range(seen_there, shanghai.zone) == "10:00–11:30"
    # 07:30 in Shanghai on the 25th is the 24th in UTC, so it is on the UTC reader's 24th
    early = add_appointment(shanghai, mine.id, at="2026-11-25 07:30")
    assert [v.id for v in schedule(rep_ctx, TOMORROW)] == [row.id, early.id]
    assert [v.id for v in schedule(shanghai, TOMORROW)] == [row.id]


def test_an_overlap_is_refused_naming_the_clash_and_back_to_back_is_not(rep_ctx, mine):
    other = add_customer(rep_ctx, {"name": "Bob"})
    first = add_appointment(rep_ctx, other.id, at="tomorrow 10:00")
    with pytest.raises(InvalidInput) as refused:
        add_appointment(rep_ctx, mine.id, at="tomorrow 10:30", minutes=30)
    message = refused.value.errors["at"]
    assert f"#{first.id}" in message and "Bob" in message and "10:00–11:00" in message
    assert "10:30–11:00" in message
    assert Appointment.select().count() == 1  # nothing changed
    after = add_appointment(rep_ctx, mine.id, at="tomorrow 11:00", minutes=30)
    before = add_appointment(rep_ctx, mine.id, at="tomorrow 09:00", minutes=60)
    assert [v.id for v in schedule(rep_ctx, TOMORROW)] == [before.id, first.id, after.id]


def test_only_one_persons_appointments_clash_and_a_cancelled_one_frees_its_time(ctx, rep_ctx,
                                                                                 mine):
    ray = as_user(ctx, "ray")
    theirs = add_customer(ray, {"name": "Ray's"})
    add_appointment(ray, theirs.id, at="tomorrow 10:00")
    mine_at_ten = add_appointment(rep_ctx, mine.id, at="tomorrow 10:00")  # rita: no clash
    cancel_appointment(rep_ctx, mine_at_ten.id)
    again = add_appointment(rep_ctx, mine.id, at="tomorrow 10:15")
    assert Appointment.get_by_id(again.id).status == "planned"


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"at": "today 09:00"}, "at", "has passed"),  # 09:00 < 10:00 now
    ({"at": "today 09:59"}, "at", "has passed"),
    ({"at": "tomorrow 10:00", "past": True}, "at", "still to come"),
    ({"at": "someday"}, "at", "not a date"),
    ({"at": ""}, "at", "required"),
    ({"at": "tomorrow 25:00"}, "at", "not a time"),
    ({"at": "tomorrow 10:00", "minutes": 0}, "minutes", "at least a minute"),
    ({"at": "tomorrow 10:00", "minutes": "-30"}, "minutes", "at least a minute"),
    ({"at": "tomorrow 10:00", "minutes": "2000"}, "minutes", "at most a day"),
    ({"at": "tomorrow 10:00", "minutes": "soon"}, "minutes", "not a length"),
    ({"at": "tomorrow 10:00", "kind": "lunch"}, "kind", "not one of"),
    ({"at": "tomorrow 10:00", "purpose": "fun"}, "purpose", "not one of"),
    ({"at": "tomorrow 10:00", "contact": "Nobody"}, "contact", "no contact"),
    ({"at": "tomorrow 10:00", "place": "x" * 301}, "place", "too long"),
])
def test_bad_input_is_one_clear_reason_and_nothing_is_stored(rep_ctx, mine, changes, field,
                                                             words):
    with pytest.raises(InvalidInput) as refused:
        add_appointment(rep_ctx, mine.id, **changes)
    assert words in refused.value.errors[field]
    assert Appointment.select().count() == 0


def test_every_wrong_field_is_reported_at_once(rep_ctx, mine):
    with pytest.raises(InvalidInput) as refused:
        add_appointment(rep_ctx, mine.id, at="yesterday 10:00", minutes=0, kind="lunch")
    assert set(refused.value.errors) == {"at", "minutes", "kind"}


def test_one_already_held_is_recorded_as_past_and_the_length_reads_as_written(rep_ctx, mine):
    row = add_appointment(rep_ctx, mine.id, at="today 08:00", minutes="1h 30m", past=True)
    stored = Appointment.get_by_id(row.id)
    assert (stored.starts_at, stored.minutes) == (utc(8, day=TODAY), 90)
    [view] = schedule(rep_ctx, TODAY)
    assert view.missed  # over and not logged yet
    assert open_appointment_id(rep_ctx, mine.id, TODAY) == row.id


def test_moving_keeps_the_first_time_counts_the_moves_and_checks_clashes(rep_ctx, mine):
    row = add_appointment(rep_ctx, mine.id, at="tomorrow 10:00")
    blocker = add_appointment(rep_ctx, mine.id, at="tomorrow 14:00")
    moved = move_appointment(rep_ctx, row.id, at="tomorrow 10:30")  # overlaps only itself
    assert (moved.starts_at, moved.ends_at, moved.moves) == (utc(10, 30), utc(11, 30), 1)
    with pytest.raises(InvalidInput) as refused:
        move_appointment(rep_ctx, row.id, at="tomorrow 13:30")
    assert f"#{blocker.id}" in refused.value.errors["at"]
    with pytest.raises(InvalidInput):
        move_appointment(rep_ctx, row.id, at="today 08:00")
    moved = move_appointment(rep_ctx, row.id, at="fri 09:00", minutes=45)
    stored = Appointment.get_by_id(row.id)
    assert (stored.starts_at, stored.minutes, stored.moves) == (
        utc(9, day=date(2026, 11, 27)), 45, 2)
    assert stored.first_starts_at == utc(10)
    with pytest.raises(InvalidInput) as refused:
        move_appointment(rep_ctx, row.id, at="fri 09:00")
    assert "already at" in refused.value.errors["at"]


def test_transitions_planned_to_done_with_the_review_or_cancelled_and_no_further(rep_ctx, mine):
    from crmtui.services.interactions import log_interaction

    visit = add_appointment(rep_ctx, mine.id, at="today 12:00", purpose="revenue")
    logged = log_interaction(rep_ctx, mine.id, summary="visited", channel="visit")
    contact = Interaction.get_by_id(logged.interaction.id)
    closed = close_with_review(rep_ctx, visit.id, contact, purpose_met="partly",
                               still_open="price for 2027")
    stored = Appointment.get_by_id(closed.id)
    assert (stored.status, stored.purpose_met, stored.still_open) == (
        "done", "partly", "price for 2027")
    assert stored.interaction_id == logged.interaction.id and stored.closed_at == NOW
    [view] = appointments_of(rep_ctx, mine.id)
    assert view.to_json()["review"] == {"purpose_met": "partly", "instructions_done": None,
                                        "still_open": "price for 2027",
                                        "interaction_id": logged.interaction.id}
    for change in (lambda: cancel_appointment(rep_ctx, visit.id),
                   lambda: move_appointment(rep_ctx, visit.id, at="tomorrow 10:00")):
        with pytest.raises(InvalidInput, match="already done"):
            change()
    call = add_appointment(rep_ctx, mine.id, at="tomorrow 10:00", kind="call")
    cancel_appointment(rep_ctx, call.id)
    with pytest.raises(InvalidInput, match="already cancelled"):
        cancel_appointment(rep_ctx, call.id)
    assert Interaction.select().count() == 1


def test_a_review_answer_must_be_yes_partly_or_no(rep_ctx, mine):
    from crmtui.services.interactions import log_interaction

    visit = add_appointment(rep_ctx, mine.id, at="today 12:00")
    logged = log_interaction(rep_ctx, mine.id, summary="visited")
    contact = Interaction.get_by_id(logged.interaction.id)
    with pytest.raises(InvalidInput) as refused:
        close_with_review(rep_ctx, visit.id, contact, purpose_met="maybe")
    assert "purpose_met" in refused.value.errors
    assert Appointment.get_by_id(visit.id).status == "planned"


def test_closing_without_an_appointment_that_day_is_refused_with_a_reason(rep_ctx, mine):
    from crmtui.services.interactions import log_interaction

    logged = log_interaction(rep_ctx, mine.id, summary="called")
    contact = Interaction.get_by_id(logged.interaction.id)
    with pytest.raises(InvalidInput) as refused:
        close_with_review(rep_ctx, None, contact, purpose_met="yes")
    assert refused.value.errors["appointment"] == (
        f"no appointment with 张三 to review on {TODAY.isoformat()}")


def test_who_may_book_move_and_cancel(ctx, rep_ctx, mine):
    support, ray = as_user(ctx, "sam"), as_user(ctx, "ray")
    with pytest.raises(Forbidden):
        add_appointment(support, mine.id, at="tomorrow 10:00")
    with pytest.raises(NotFound):
        add_appointment(ray, mine.id, at="tomorrow 10:00")
    managers = add_appointment(ctx, mine.id, at="tomorrow 10:00")  # the manager's schedule
    assert Appointment.get_by_id(managers.id).user_id == ctx.user.id
    with pytest.raises(Forbidden, match="boss"):
        cancel_appointment(rep_ctx, managers.id)
    ritas = add_appointment(rep_ctx, mine.id, at="tomorrow 10:00")  # not on boss's schedule
    with pytest.raises(NotFound):
        move_appointment(ray, ritas.id, at="tomorrow 12:00")
    with pytest.raises(Forbidden):
        cancel_appointment(support, ritas.id)
    move_appointment(ctx, ritas.id, at="tomorrow 12:00")  # a manager: anyone's
    assert Appointment.get_by_id(ritas.id).moves == 1
    for missing in ("999", "x", "0", "-1", "99999999999999999999"):
        with pytest.raises(NotFound):
            cancel_appointment(rep_ctx, missing)


def test_a_managers_everyone_schedule_and_a_reps_own(ctx, rep_ctx, mine):
    ray = as_user(ctx, "ray")
    theirs = add_customer(ray, {"name": "Ray's"})
    add_appointment(ray, theirs.id, at="tomorrow 09:00")
    add_appointment(rep_ctx, mine.id, at="tomorrow 10:00")
    assert [v.user for v in schedule(ctx, TOMORROW, everyone=True)] == ["ray", "rita"]
    assert schedule(ctx, TOMORROW) == []  # the manager's own is empty
    assert [v.user for v in schedule(rep_ctx, TOMORROW, everyone=True)] == ["rita"]
    assert [v.user for v in schedule(as_user(ctx, "sam"), TOMORROW, everyone=True)] == [
        "ray", "rita"]


def test_logging_the_visit_closes_the_days_open_appointment_with_the_review(rep_ctx, mine,
                                                                         clock):
    from crmtui.services.interactions import log_interaction

    visit = add_appointment(rep_ctx, mine.id, at="today 14:00", purpose="revenue")
    call = log_interaction(rep_ctx, mine.id, summary="confirmed the 14:00 visit")  # at 10:00
    assert call.appointment is None  # a morning call is not the afternoon's visit
    assert Appointment.get_by_id(visit.id).status == "planned"
    clock.now = utc(13, 50, day=TODAY)  # a quarter of an hour early still counts
    logged = log_interaction(rep_ctx, mine.id, summary="presented the price list",
                             channel="visit", purpose_met="yes", still_open="discount for 2027")
    assert logged.appointment.id == visit.id
    stored = Appointment.get_by_id(visit.id)
    assert (stored.status, stored.purpose_met, stored.still_open, stored.interaction_id) == (
        "done", "yes", "discount for 2027", logged.interaction.id)
    again = log_interaction(rep_ctx, mine.id, summary="sent the offer")  # nothing left open
    assert again.appointment is None


def test_logging_names_the_appointment_it_closes(rep_ctx, mine, clock):
    from crmtui.services.interactions import log_interaction

    other = add_customer(rep_ctx, {"name": "Bob"})
    tomorrow = add_appointment(rep_ctx, mine.id, at="tomorrow 09:00")
    bobs = add_appointment(rep_ctx, other.id, at="tomorrow 11:00")
    with pytest.raises(InvalidInput) as refused:
        log_interaction(rep_ctx, mine.id, summary="x", appointment=bobs.id)
    assert "another customer" in refused.value.errors["appointment"]
    with pytest.raises(InvalidInput) as refused:  # every wrong field at once, nothing stored
        log_interaction(rep_ctx, mine.id, summary="", appointment=tomorrow.id,
                        purpose_met="maybe")
    assert set(refused.value.errors) == {"summary", "purpose_met"}
    assert Interaction.select().count() == 0
    logged = log_interaction(rep_ctx, mine.id, summary="met early at a fair",
                             appointment=tomorrow.id, purpose_met="partly")
    assert Appointment.get_by_id(tomorrow.id).status == "done"
    assert logged.appointment.purpose_met == "partly"
    with pytest.raises(InvalidInput, match="already done"):
        log_interaction(rep_ctx, mine.id, summary="again", appointment=tomorrow.id)


def test_review_answers_without_an_appointment_are_refused(rep_ctx, mine):
    from crmtui.services.interactions import log_interaction

    with pytest.raises(InvalidInput) as refused:
        log_interaction(rep_ctx, mine.id, summary="call", purpose_met="yes")
    assert "no appointment with 张三 to review on 2026-11-23" in refused.value.errors[
        "appointment"]
    assert Interaction.select().count() == 0


def test_a_due_item_logged_on_the_visit_closes_it_too(rep_ctx, mine, clock):
    from crmtui.rules import DueKind
    from crmtui.services.worklist import log_due_item

    visit = add_appointment(rep_ctx, mine.id, at="today 10:00", kind="call")
    log_due_item(rep_ctx, DueKind.FOLLOW_UP, mine.id, summary="called as planned",
                 purpose_met="no", still_open="call back after the holidays")
    stored = Appointment.get_by_id(visit.id)
    assert (stored.status, stored.purpose_met) == ("done", "no")


def test_the_calendar_export_holds_appointments_with_time_place_and_an_alarm(rep_ctx, mine,
                                                                             tmp_path):
    from icalendar import Calendar

    from crmtui.services.transfer.exporter import export

    shanghai = rep_ctx.replaced(zone=ZoneInfo("Asia/Shanghai"))
    visit = add_appointment(shanghai, mine.id, at="tomorrow 10:00", minutes=90,
                            purpose="revenue", place="解放碑 3F", prep="带新价目表")
    call = add_appointment(rep_ctx, mine.id, at="tomorrow 15:00", kind="call")
    cancel_appointment(rep_ctx, call.id)
    path = tmp_path / "rita.ics"
    export(rep_ctx, "ics", path)
    events = {str(e["uid"]).split("@")[0]: e
              for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}
    event = events[f"appointment-{visit.id}"]
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (utc(2), utc(3, 30))
    assert str(event["summary"]) == "visit: 张三 (Acme)"
    assert str(event["location"]) == "解放碑 3F"
    assert "Purpose: revenue" in str(event["description"])
    assert "Preparation: 带新价目表" in str(event["description"])
    assert str(event["status"]) == "CONFIRMED"
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("trigger") == timedelta(minutes=-30)
    assert str(events[f"appointment-{call.id}"]["status"]) == "CANCELLED"


def test_undoing_the_log_opens_the_appointment_again(rep_ctx, mine, clock):
    from crmtui.services.undo import undo
    from crmtui.services.interactions import log_interaction

    visit = add_appointment(rep_ctx, mine.id, at="today 10:00")
    logged = log_interaction(rep_ctx, mine.id, summary="visited", purpose_met="yes",
                             still_open="the contract")
    assert logged.appointment.id == visit.id
    undo(rep_ctx)
    stored = Appointment.get_by_id(visit.id)
    assert (stored.status, stored.purpose_met, stored.still_open, stored.interaction_id,
            stored.closed_at) == ("planned", "", "", None, None)
    assert Interaction.select().count() == 0


def test_the_due_lists_look_for_appointments_finds_the_schedules_day(ctx, rep_ctx, mine):
    """`crmtui due` loads the schedule's services only on a day `any_appointment_on` finds one:
    the day in the reader's zone, anyone's, cancelled ones too."""
    from crmtui.services.due import any_appointment_on

    shanghai = rep_ctx.replaced(zone=ZoneInfo("Asia/Shanghai"))
    assert not any_appointment_on(shanghai, TOMORROW)
    row = add_appointment(shanghai, mine.id, at="tomorrow 07:30")  # 23:30 UTC the day before
    assert [view.id for view in schedule(shanghai, TOMORROW)] == [row.id]
    assert any_appointment_on(shanghai, TOMORROW) and any_appointment_on(ctx, TODAY)
    assert not any_appointment_on(shanghai, TODAY) and not any_appointment_on(ctx, TOMORROW)
    cancel_appointment(rep_ctx, row.id)
    assert any_appointment_on(ctx, TODAY)  # whatever its state: the schedule says what it is
