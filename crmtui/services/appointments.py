"""Appointments (拜访计划): a visit, call or meeting with a customer at a time, with its purpose
and preparation; a day's schedule; and the review after a visit.

Who may: a rep books, moves and cancels appointments with their own customers, a manager with
anyone's; support none. An appointment is the booker's: it is on their schedule, and two of
one person's appointments may not share a moment (back to back is fine; the clash is named).
Times are typed in the user's zone (rules.parse_datetime), stored in UTC, and a day's schedule
is the day in the reader's zone. A time that has passed is refused unless the appointment is
recorded as already held (`past`), which is how a visit made without booking is put on the
schedule before it is logged.

Transitions: planned → done (logging the visit closes it with the review, `close_with_review`),
planned → cancelled; a planned appointment may move to another time (the first time booked and
the number of moves are kept, for the day's review).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from peewee import ModelSelect

from crmtui.db import Appointment, Customer, Interaction
from crmtui.db.rows import prepared_once
from crmtui.errors import Forbidden, InvalidInput, NotFound
from crmtui.i18n import _, explain
from crmtui.labels import label
from crmtui.present.time import moment as shown_moment
from crmtui.rules import (
    DEFAULT_MINUTES,
    OCCUPYING,
    AppointmentStatus,
    DateInputError,
    Slot,
    day_window,
    first_clash,
    held_by,
    minute_of,
    parse_datetime,
)
from crmtui.services.access import (
    get_editable_customer,
    get_visible_customer,
    record_id,
)
from crmtui.services.appointment_views import AppointmentView, view_of, with_names
from crmtui.services.contacts import contact_field
from crmtui.services.context import Context, writes
from crmtui.services.validation import (
    APPOINTMENT_FIELDS,
    REVIEW_FIELDS,
    FieldError,
    clean_fields,
    collect_field,
)

if TYPE_CHECKING:
    from crmtui.services.instructions import InstructionRow


# -- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleKept:
    """How a period's schedule went (the daily and weekly report): the appointments held,
    those moved away from the time first booked, and those whose time passed unlogged."""

    done: list[AppointmentView]
    moved: list[AppointmentView]
    missed: list[AppointmentView]


def schedule_kept(ctx: Context, start: date, end: date, *, everyone: bool = False) -> ScheduleKept:
    """The schedule of the days `start`..`end` (the user's zone) as it went: held (logged),
    moved (first booked for these days, then moved, wherever it went), missed (planned for
    these days, its time over, not logged). The user's own appointments, or everyone's for a
    manager or support who asks."""
    since, _ignored = day_window(start, ctx.zone)
    _ignored, until = day_window(end, ctx.zone)
    booked = (Appointment.starts_at >= since) & (Appointment.starts_at < until)
    first = (Appointment.first_starts_at >= since) & (Appointment.first_starts_at < until)
    query = with_names().where(booked | (first & (Appointment.moves > 0)))
    if not (everyone and ctx.role in ("manager", "support")):
        query = query.where(Appointment.user == ctx.user.id)
    now = ctx.now()
    views = [view_of(row, now) for row in query.order_by(Appointment.starts_at, Appointment.id)]

    def within(moment: datetime) -> bool:
        return since <= moment < until

    return ScheduleKept(
        done=[v for v in views if v.status == AppointmentStatus.DONE and within(v.starts_at)],
        moved=sorted(
            (
                v
                for v in views
                if v.moves and v.status != AppointmentStatus.CANCELLED and within(v.first_starts_at)
            ),
            key=lambda v: (v.first_starts_at, v.id),
        ),
        missed=[v for v in views if v.missed and within(v.starts_at)],
    )


def appointments_of(ctx: Context, customer_id: int) -> list[AppointmentView]:
    """A customer's appointments, the latest first (a profile's list, `show --json`)."""
    get_visible_customer(ctx, customer_id)
    now = ctx.now()
    return [
        view_of(row, now)
        for row in with_names()
        .where(Appointment.customer == customer_id)
        .order_by(Appointment.starts_at.desc(), Appointment.id.desc())
    ]


def appointment(ctx: Context, appointment_id: Any) -> AppointmentView:
    """One appointment the user may see."""
    row = _visible(ctx, appointment_id)
    return view_of(with_names().where(Appointment.id == row.id).get(), ctx.now())


def _find(appointment_id: Any) -> Appointment:
    number = record_id(appointment_id)
    if number is None:
        raise NotFound(_("'{text}' is not an appointment id").format(text=appointment_id))
    row = Appointment.get_or_none(Appointment.id == number)
    if row is None:
        raise NotFound(_("no appointment with id {id}").format(id=number))
    return row


def _visible(ctx: Context, appointment_id: Any) -> Appointment:
    row = _find(appointment_id)
    try:
        get_visible_customer(ctx, row.customer_id)
    except NotFound:
        raise NotFound(_("no appointment with id {id}").format(id=row.id)) from None
    return row


def _changeable(ctx: Context, appointment_id: Any) -> Appointment:
    """An appointment the user may move or cancel: a planned one with a customer they may
    change, on their own schedule (a manager's: anyone's)."""
    row = _visible(ctx, appointment_id)
    get_editable_customer(ctx, row.customer_id)
    if row.user_id != ctx.user.id and not ctx.is_manager:
        raise Forbidden(
            _("appointment #{id} is on {login}'s schedule").format(id=row.id, login=row.user.login)
        )
    if row.status != AppointmentStatus.PLANNED:
        raise InvalidInput.one(
            "appointment",
            _("appointment #{id} is already {status}; nothing was changed").format(
                id=row.id, status=label("appointment_status", row.status)
            ),
        )
    return row


# -- writing ------------------------------------------------------------------------------------


def clean_start(ctx: Context, value: Any, *, past: bool = False) -> datetime:
    """The moment typed (`tomorrow 10:00`, `fri 15:30`, `+2h`) in the user's zone, to the
    minute. Refused: nothing typed; a time that has passed, unless `past` (an appointment
    already held, recorded to log it); a time to come with `past`."""
    if isinstance(value, datetime):
        start = value if value.tzinfo else value.replace(tzinfo=ctx.zone)
    else:
        text = "" if value is None else str(value)
        try:
            start = parse_datetime(text, ctx.local(ctx.now()))
        except DateInputError as error:
            raise FieldError(explain(error)) from None
    start = minute_of(start)
    now = minute_of(ctx.now())
    if start < now and not past:
        raise FieldError(
            _(
                "{when} has passed; book a time to come (an appointment already "
                "held is recorded as past)"
            ).format(when=shown_moment(start, ctx.zone))
        )
    if start > now and past:
        raise FieldError(
            _(
                "{when} is still to come; only an appointment already held is recorded as past"
            ).format(when=shown_moment(start, ctx.zone))
        )
    return start


def _check_clash(ctx: Context, user_id: int, slot: Slot) -> None:
    """Refuse a slot that overlaps another appointment on the same person's schedule."""
    near = Appointment.select(
        Appointment.id, Appointment.starts_at, Appointment.minutes, Appointment.customer
    ).where(
        (Appointment.user == user_id)
        & (Appointment.status.in_([s.value for s in OCCUPYING]))
        & (Appointment.starts_at < slot.end)
        & (Appointment.ends_at > slot.start)
    )
    rows = {row.id: row for row in near}
    clash = first_clash(slot, [Slot(row.starts_at, row.minutes, row.id) for row in rows.values()])
    if clash is None:
        return
    assert clash.key is not None  # each slot here carries its appointment's id
    row = rows[clash.key]
    customer = Customer.get_by_id(row.customer_id)
    raise InvalidInput.one(
        "at",
        _(
            "{start}–{end} clashes with appointment #{id}, {other_start}–{other_end} with {name}; "
            "nothing was changed"
        ).format(
            start=_clock(slot.start, ctx),
            end=_clock(slot.end, ctx),
            id=row.id,
            other_start=shown_moment(clash.start, ctx.zone),
            other_end=_clock(clash.end, ctx),
            name=customer.name,
        ),
    )


def _clock(moment: datetime, ctx: Context) -> str:
    return ctx.local(moment).strftime("%H:%M")


@writes
def add_appointment(
    ctx: Context,
    customer_id: int,
    *,
    at: Any,
    minutes: Any = None,
    kind: Any = "visit",
    purpose: Any = None,
    place: Any = "",
    prep: Any = "",
    contact: Any = None,
    past: bool = False,
) -> AppointmentView:
    """Book a visit, call or meeting on the user's schedule. Every field is checked first and
    all that is wrong is reported at once; then the clash, which names the other appointment."""
    customer = get_editable_customer(ctx, customer_id)
    errors: dict[str, str] = {}
    start = collect_field(errors, "at", clean_start, ctx, at, past=past)
    fields: dict[str, Any] = {}
    try:
        fields = clean_fields(
            {
                "minutes": minutes,
                "kind": kind or "visit",
                "purpose": purpose,
                "place": place,
                "prep": prep,
            },
            ctx.today(),
            APPOINTMENT_FIELDS,
        )
    except InvalidInput as error:
        errors.update(error.errors)
    person = collect_field(errors, "contact", contact_field, customer.id, contact)
    if errors:
        raise InvalidInput(errors)
    length = fields["minutes"] or DEFAULT_MINUTES
    slot = Slot(start, length)
    _check_clash(ctx, ctx.user.id, slot)
    now = ctx.now()
    row = Appointment.create(
        customer=customer,
        user=ctx.user.id,
        starts_at=start,
        ends_at=slot.end,
        minutes=length,
        kind=fields["kind"],
        purpose=fields["purpose"] or "",
        place=fields["place"],
        prep=fields["prep"],
        contact=person,
        contact_name=person.name if person else "",
        first_starts_at=start,
        created_at=now,
        created_by=ctx.user.id,
        updated_at=now,
    )
    return _view(ctx, row.id)


def _view(ctx: Context, appointment_id: int) -> AppointmentView:
    """An appointment as a write left it, read again with its customer's and user's names."""
    return view_of(with_names().where(Appointment.id == appointment_id).get(), ctx.now())


@writes
def move_appointment(
    ctx: Context, appointment_id: Any, *, at: Any, minutes: Any = None
) -> AppointmentView:
    """Move a planned appointment to another time to come (and length, when given)."""
    row = _changeable(ctx, appointment_id)
    errors: dict[str, str] = {}
    start = length = None
    start = collect_field(errors, "at", clean_start, ctx, at)
    try:
        length = clean_fields({"minutes": minutes}, ctx.today(), APPOINTMENT_FIELDS)["minutes"]
    except InvalidInput as error:
        errors.update(error.errors)
    if errors:
        raise InvalidInput(errors)
    length = length or row.minutes
    if start == row.starts_at and length == row.minutes:
        raise InvalidInput.one(
            "at",
            _("appointment #{id} is already at {when}").format(
                id=row.id, when=shown_moment(start, ctx.zone)
            ),
        )
    slot = Slot(start, length, row.id)
    _check_clash(ctx, row.user_id, slot)
    row.starts_at, row.minutes, row.ends_at = start, length, slot.end
    row.moves += 1
    row.updated_at = ctx.now()
    row.save()
    return _view(ctx, row.id)


@writes
def cancel_appointment(ctx: Context, appointment_id: Any) -> AppointmentView:
    """Cancel a planned appointment: it stays in the customer's history as cancelled and
    frees its time."""
    row = _changeable(ctx, appointment_id)
    row.status = AppointmentStatus.CANCELLED.value
    row.closed_at = row.updated_at = ctx.now()
    row.save()
    return _view(ctx, row.id)


def open_appointment_id(
    ctx: Context, customer_id: int, day: date, *, at: datetime | None = None
) -> int | None:
    """The id of the appointment a contact logged `at` would close (the first that it holds)."""
    row = _open_appointment(ctx, customer_id, day, at=at)
    return row.id if row is not None else None


def _open_appointment(
    ctx: Context, customer_id: int, day: date, *, at: datetime | None = None
) -> Appointment | None:
    """The user's planned appointment with the customer on `day` (the first, by time) that a
    contact logged `at` holds (rules.held_by: it began, or begins within a quarter of an hour);
    without `at`, the first of the day."""
    start, end = day_window(day, ctx.zone)
    planned = AppointmentStatus.PLANNED.value

    def query() -> ModelSelect[Appointment]:
        return (
            Appointment.select()
            .where(
                (Appointment.customer == customer_id)
                & (Appointment.user == ctx.user.id)
                & (Appointment.status == planned)
                & (Appointment.starts_at >= start)
                & (Appointment.starts_at < end)
            )
            .order_by(Appointment.starts_at, Appointment.id)
        )

    # every logged contact asks: the statement is written once
    params = [customer_id, ctx.user.id, planned, *map(Appointment.starts_at.db_value, (start, end))]
    rows = Appointment.raw(prepared_once("a day's planned appointments", query, params), *params)
    return next((row for row in rows if at is None or held_by(row.starts_at, at)), None)


def appointment_to_close(
    ctx: Context, customer_id: int, appointment_id: Any, at: datetime
) -> Appointment | None:
    """The appointment a contact with the customer at `at` closes: the one named (planned,
    with this customer, and the user's to change), else the user's open one that day which
    the contact holds, else none."""
    if appointment_id in (None, ""):
        return _open_appointment(ctx, customer_id, ctx.local_date(at), at=at)
    row = _changeable(ctx, appointment_id)
    if row.customer_id != customer_id:
        raise InvalidInput.one(
            "appointment", _("appointment #{id} is with another customer").format(id=row.id)
        )
    return row


def clean_review(
    ctx: Context, purpose_met: Any = None, instructions_done: Any = None, still_open: Any = ""
) -> dict[str, Any]:
    """The review's answers as stored ("" for a question not answered); InvalidInput names each
    wrong one."""
    review = clean_fields(
        {
            "purpose_met": purpose_met,
            "instructions_done": instructions_done,
            "still_open": still_open,
        },
        ctx.today(),
        REVIEW_FIELDS,
    )
    return {name: value or "" for name, value in review.items()}


def open_instructions(ctx: Context, customer_id: int) -> list[InstructionRow]:
    """The manager's instructions (上级指令) about the customer still open for the user (a
    manager logging a visit: anyone's), which the review after a visit asks about: were they
    carried out? Reporting each done, with its note, stays the rep's own step (`f`,
    `crmtui instruction done`)."""
    # on first use: only this path needs it
    from crmtui.services.instructions import open_for_customer

    rows = open_for_customer(ctx, customer_id)
    if ctx.is_manager:
        return rows
    return [row for row in rows if row.to == ctx.user.login]


def close_appointment(
    ctx: Context, row: Appointment, interaction: Interaction, review: dict[str, Any]
) -> Appointment:
    """Mark the appointment held, with the interaction that logged it and the cleaned review
    (clean_review); inside the logging transaction."""
    row.status = AppointmentStatus.DONE.value
    row.interaction = interaction
    row.purpose_met = review.get("purpose_met", "")
    row.instructions_done = review.get("instructions_done", "")
    row.still_open = review.get("still_open", "")
    row.closed_at = row.updated_at = ctx.now()
    row.save()
    return row


@writes
def close_with_review(
    ctx: Context,
    appointment_id: Any,
    interaction: Interaction,
    *,
    purpose_met: Any = None,
    instructions_done: Any = None,
    still_open: Any = "",
) -> Appointment:
    """Close a planned appointment with the interaction that logged it and the review's
    answers (services.interactions.log_interaction does this as it logs)."""
    row = appointment_to_close(ctx, interaction.customer_id, appointment_id, interaction.at)
    if row is None:  # none named, and none open that day
        raise InvalidInput.one(
            "appointment",
            _("no appointment with {name} to review on {day}").format(
                name=interaction.customer.name, day=ctx.local_date(interaction.at).isoformat()
            ),
        )
    review = clean_review(ctx, purpose_met, instructions_done, still_open)
    return close_appointment(ctx, row, interaction, review)


__all__ = [
    "ScheduleKept",
    "schedule_kept",
    "appointments_of",
    "appointment",
    "add_appointment",
    "move_appointment",
    "cancel_appointment",
    "open_appointment_id",
    "appointment_to_close",
    "clean_review",
    "open_instructions",
    "close_appointment",
    "close_with_review",
    "clean_start",
]
