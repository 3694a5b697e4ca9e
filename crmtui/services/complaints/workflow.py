"""Complaints' workflow: the actions (open, acknowledge, work, wait, resume, resolve, close,
reopen, severity, assign, note), on what `handling` reads, checks and saves.

Every action is one call that reads the complaint, checks the role and the workflow
(`rules.TRANSITIONS`), writes the row with optimistic locking on `version` and appends a
`ComplaintEvent`, all in one short write transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from crmtui.db import Complaint, ComplaintEvent, Customer, Survey, User
from crmtui.errors import CrmError, Forbidden, InvalidInput
from crmtui.i18n import _
from crmtui.labels import term
from crmtui.present.time import moment, span
from crmtui.rules import (
    ReferralEvent,
    add_service_time,
    referral_moment,
)
from crmtui.services.access import get_visible_customer
from crmtui.services.complaints.handling import (
    _FIELD,
    _S,
    HANDLER_ROLES,
    _events,
    _for_handling,
    _handler_user,
    _moment,
    _now,
    _require_handler,
    _require_move,
    _save,
    _status_event,
    get_complaint,
    severity_value,
)
from crmtui.services.context import Context, writes
from crmtui.services.sla_clock import (
    OPEN,
    deadline_after_pause,
    deadlines_for,
    in_service_zone,
)
from crmtui.services.validation import CHANNELS, choice, collect_field, one_field
from crmtui.views.complaints import ComplaintNote, ComplaintState, Handler


@writes
def open_complaint(
    ctx: Context,
    customer_id: int,
    severity: Any,
    summary: Any,
    channel: Any = "phone",
    category: Any = "",
    description: Any = "",
    owner: Any = None,
    opened_at: Any = None,
) -> ComplaintState:
    """Record a complaint; its deadlines follow from the severity and the team's policy.

    A rep may open complaints on their own customers (left unassigned for support); support and
    managers on any customer. owner None leaves support staff owning what they open themselves.
    opened_at back-dates a complaint received earlier (never in the future).
    """
    customer = get_visible_customer(ctx, customer_id)
    now = _now(ctx)
    errors: dict[str, str] = {}
    try:
        severity = severity_value(severity)
    except InvalidInput as error:
        errors.update(error.errors)
    summary = collect_field(errors, "summary", _FIELD["summary"], summary)
    channel = collect_field(
        errors, "channel", lambda v: choice(CHANNELS)(v or "phone", ctx.today()), channel
    )
    category = collect_field(errors, "category", _FIELD["category"], category)
    description = collect_field(errors, "description", _FIELD["description"], description)
    opened = now
    if opened_at not in (None, ""):
        try:
            opened = _moment(ctx, opened_at, now, "opened_at")
        except InvalidInput as error:
            errors.update(error.errors)
        else:
            if opened > now:
                errors["opened_at"] = _("cannot be in the future")
    if errors:
        raise InvalidInput(errors)
    if owner not in (None, "") and ctx.role not in HANDLER_ROLES:
        raise Forbidden(_("only support staff or a manager can assign complaints"))
    handler = (
        _handler_user(owner) if owner is not None else (ctx.user if ctx.role == "support" else None)
    )
    respond_by, resolve_by = deadlines_for(opened, severity, ctx.config.sla, ctx.zone)
    complaint = Complaint.create(
        customer=customer,
        opened_at=opened,
        channel=channel,
        category=category,
        severity=severity.value,
        summary=summary,
        description=description,
        owner=handler,
        status=_S.NEW.value,
        respond_by=respond_by,
        resolve_by=resolve_by,
        created_by=ctx.user.id,
        updated_at=now,
    )
    events = [("opened", "", _S.NEW.value, summary)]
    if handler is not None:
        events.append(("owner", "", handler.login, ""))
    _events(ctx, complaint, now, events)
    return _state(complaint)


@writes
def acknowledge(
    ctx: Context,
    complaint_id: Any,
    promised_at: Any,
    *,
    note: str = "",
    expected_version: int | None = None,
) -> ComplaintState:
    """First response: record when the customer was told they will hear back
    (给客户一个明确的时间)."""
    complaint = _for_handling(ctx, complaint_id, expected_version)
    _require_move(complaint, _S.ACKNOWLEDGED)
    now = _now(ctx)
    if promised_at in (None, ""):
        raise InvalidInput.one("promise", _("required: the time the customer was promised"))
    promised = _moment(ctx, promised_at, now, "promise")
    if promised <= now:
        raise InvalidInput.one(
            "promise",
            _("{when} is not in the future; promise the customer a later time").format(
                when=moment(promised, ctx.zone)
            ),
        )
    note = _clean_note(note)
    complaint.acknowledged_at = now
    complaint.promised_at = promised
    events = [
        _status_event(complaint, _S.ACKNOWLEDGED, note),
        ("promise", "", promised.isoformat(), ""),
    ]
    if complaint.owner_id is None:  # whoever answers first takes it
        complaint.owner_id = ctx.user.id
        events.append(("owner", "", ctx.user.login, ""))
    return _state(_save(ctx, complaint, now, events))


def _clean_note(note: Any) -> str:
    cleaned: str = one_field("note", _FIELD["note"], note)
    return cleaned


@writes
def start_work(
    ctx: Context, complaint_id: Any, *, note: str = "", expected_version: int | None = None
) -> ComplaintState:
    """Work on it (in_progress); on a complaint waiting for the customer this resumes the clock."""
    complaint = _for_handling(ctx, complaint_id, expected_version)
    if complaint.status == _S.WAITING_CUSTOMER.value:
        return _state(_resume(ctx, complaint, note))
    _require_move(complaint, _S.IN_PROGRESS)
    now = _now(ctx)
    return _state(
        _save(ctx, complaint, now, [_status_event(complaint, _S.IN_PROGRESS, _clean_note(note))])
    )


@writes
def wait_for_customer(
    ctx: Context, complaint_id: Any, *, note: str = "", expected_version: int | None = None
) -> ComplaintState:
    """Waiting on the customer (waiting_customer): the resolution clock pauses."""
    complaint = _for_handling(ctx, complaint_id, expected_version)
    _require_move(complaint, _S.WAITING_CUSTOMER)
    now = _now(ctx)
    complaint.waiting_since = now
    return _state(
        _save(
            ctx, complaint, now, [_status_event(complaint, _S.WAITING_CUSTOMER, _clean_note(note))]
        )
    )


@writes
def resume(
    ctx: Context, complaint_id: Any, *, note: str = "", expected_version: int | None = None
) -> ComplaintState:
    """The customer answered: in_progress again, resolve_by moved by the service time paused."""
    complaint = _for_handling(ctx, complaint_id, expected_version)
    if complaint.status != _S.WAITING_CUSTOMER.value:
        raise CrmError(
            _("cannot resume complaint #{id}: it is {status}, not waiting for the customer").format(
                id=complaint.id, status=term("complaint_status", complaint.status)
            )
        )
    return _state(_resume(ctx, complaint, note))


def _resume(ctx: Context, complaint: Complaint, note: str) -> Complaint:
    now = _now(ctx)
    complaint.resolve_by, paused = deadline_after_pause(
        complaint.resolve_by, complaint.waiting_since or now, now, ctx.config.sla, ctx.zone
    )
    complaint.paused_seconds = (complaint.paused_seconds or 0) + int(paused.total_seconds())
    complaint.waiting_since = None
    note = _clean_note(note)
    said = f"{note} · {pause_note(paused)}" if note else pause_note(paused)
    return _save(ctx, complaint, now, [_status_event(complaint, _S.IN_PROGRESS, said)])


def pause_note(paused: timedelta) -> str:
    """What the timeline says when the clock starts again."""
    return _("clock paused {span}").format(span=span(paused))


@writes
def resolve(
    ctx: Context,
    complaint_id: Any,
    resolution: Any,
    root_cause: Any = "",
    *,
    expected_version: int | None = None,
) -> ComplaintState:
    """Resolved, with what was done (required) and the root cause."""
    complaint = _for_handling(ctx, complaint_id, expected_version)
    _require_move(complaint, _S.RESOLVED)
    errors: dict[str, str] = {}
    resolution = collect_field(errors, "resolution", _FIELD["resolution"], resolution)
    root_cause = collect_field(errors, "root_cause", _FIELD["root_cause"], root_cause)
    if errors:
        raise InvalidInput(errors)
    now = _now(ctx)
    complaint.resolved_at = now
    complaint.resolution = resolution
    complaint.root_cause = root_cause
    note = resolution + (
        " · " + _("root cause: {cause}").format(cause=root_cause) if root_cause else ""
    )
    return _state(_save(ctx, complaint, now, [_status_event(complaint, _S.RESOLVED, note)]))


@writes
def close(
    ctx: Context,
    complaint_id: Any,
    satisfaction: Any = None,
    *,
    note: str = "",
    expected_version: int | None = None,
) -> ComplaintState:
    """Closed after resolution, with the customer's satisfaction 1–5 if they gave one.

    A score is kept as a survey (overall); 4 or 5 opens a referral moment for the customer.
    """
    complaint = _for_handling(ctx, complaint_id, expected_version)
    _require_move(complaint, _S.CLOSED)
    errors: dict[str, str] = {}
    score = collect_field(errors, "satisfaction", _FIELD["satisfaction"], satisfaction)
    if errors:
        raise InvalidInput(errors)
    if not (complaint.resolution or "").strip():
        raise InvalidInput.one(
            "resolution",
            _("complaint #{id} has no resolution note; reopen and resolve it with one").format(
                id=complaint.id
            ),
        )
    now = _now(ctx)
    complaint.closed_at = now
    complaint.satisfaction = score
    note = _clean_note(note)
    if score is not None:
        note = _("satisfaction {score}/5").format(score=score) + (f" · {note}" if note else "")
        _record_satisfaction(ctx, complaint, score, now)
    return _state(_save(ctx, complaint, now, [_status_event(complaint, _S.CLOSED, note)]))


def _record_satisfaction(ctx: Context, complaint: Complaint, score: int, now: datetime) -> None:
    Survey.create(
        customer=complaint.customer_id,
        complaint=complaint.id,
        at=now,
        overall=score,
        by=ctx.user.id,
    )
    if referral_moment(ReferralEvent(kind="satisfaction", score=score)):
        today = ctx.local_date(now)
        customer = complaint.customer
        moment_on = max(today, customer.referral_moment_on or today)
        Customer.update(referral_moment_on=moment_on).where(Customer.id == customer.id).execute()


@writes
def reopen(
    ctx: Context, complaint_id: Any, *, note: str = "", expected_version: int | None = None
) -> ComplaintState:
    """Back to work after a resolution that did not hold; the original deadlines stay."""
    complaint = _for_handling(ctx, complaint_id, expected_version)
    _require_move(complaint, _S.REOPENED)
    now = _now(ctx)
    # The old resolution text stays until a new one replaces it; the timeline keeps both.
    complaint.resolved_at = None
    complaint.closed_at = None
    complaint.satisfaction = None
    return _state(
        _save(ctx, complaint, now, [_status_event(complaint, _S.REOPENED, _clean_note(note))])
    )


def severity_refusal(complaint_id: int, status: str) -> str | None:
    """Why the severity of a complaint in `status` cannot change, or None when it can."""
    if status in OPEN:
        return None
    return _(
        "cannot change the severity of complaint #{id}: it is {status}; reopen it first"
    ).format(id=complaint_id, status=term("complaint_status", status))


@writes
def set_severity(
    ctx: Context,
    complaint_id: Any,
    severity: Any,
    *,
    note: str = "",
    expected_version: int | None = None,
) -> ComplaintState:
    """Re-judge the severity of an open complaint: both deadlines are worked out again from
    opened_at with the new targets, and the resolution deadline keeps the time paused so far."""
    complaint = _for_handling(ctx, complaint_id, expected_version)
    new = severity_value(severity)
    refusal = severity_refusal(complaint.id, complaint.status)
    if refusal:
        raise CrmError(refusal)
    if new.value == complaint.severity:
        return _state(complaint)
    policy = ctx.config.sla
    respond_by, resolve_by = deadlines_for(complaint.opened_at, new, policy, ctx.zone)
    paused = timedelta(seconds=complaint.paused_seconds or 0)
    complaint.respond_by = respond_by
    complaint.resolve_by = add_service_time(
        in_service_zone(policy, ctx.zone, resolve_by), paused, policy
    ).astimezone(timezone.utc)
    old = complaint.severity
    complaint.severity = new.value
    now = _now(ctx)
    return _state(_save(ctx, complaint, now, [("severity", old, new.value, _clean_note(note))]))


def handlers(ctx: Context) -> list[Handler]:
    """The active support staff and managers a complaint can be given to, by name (pinyin
    for Chinese names)."""
    _require_handler(ctx)
    people = (
        User.select(User.login, User.display_name, User.role)
        .where((User.active == True) & User.role.in_(HANDLER_ROLES))  # noqa: E712
        .order_by(User.sort_name, User.login)
    )
    return [Handler(user.login, user.display_name, user.role) for user in people]


@writes
def assign(
    ctx: Context, complaint_id: Any, login: Any, *, expected_version: int | None = None
) -> ComplaintState:
    """Give the complaint to a support person or manager ('-' or '' leaves it unassigned)."""
    complaint = _for_handling(ctx, complaint_id, expected_version)
    handler = _handler_user(login)
    if complaint.owner_id == (handler.id if handler else None):
        return _state(complaint)
    old = complaint.owner.login if complaint.owner is not None else ""
    complaint.owner = handler
    now = _now(ctx)
    return _state(
        _save(ctx, complaint, now, [("owner", old, handler.login if handler else "", "")])
    )


@writes
def add_note(ctx: Context, complaint_id: Any, text: Any) -> ComplaintNote:
    """A note on the timeline. Anyone who sees the complaint may add one (the customer's rep
    too); notes never conflict with other changes, so they leave the version alone."""
    complaint = get_complaint(ctx, complaint_id)
    errors: dict[str, str] = {}
    text = collect_field(errors, "note", _FIELD["timeline_note"], text)
    if errors:
        raise InvalidInput(errors)
    event = ComplaintEvent.create(
        complaint=complaint.id, at=_now(ctx), by=ctx.user.id, kind="note", note=text
    )
    return ComplaintNote(complaint_id=complaint.id, at=event.at, note=event.note)


def _state(complaint: Complaint) -> ComplaintState:
    owner: User | None = complaint.owner if complaint.owner_id is not None else None
    return ComplaintState(
        id=complaint.id,
        customer_id=complaint.customer_id,
        severity=complaint.severity,
        status=complaint.status,
        # the handler as set by this step, else looked up here rather than by the screen
        owner=owner.login if owner is not None else None,
        opened_at=complaint.opened_at,
        promised_at=complaint.promised_at,
        respond_by=complaint.respond_by,
        resolve_by=complaint.resolve_by,
        satisfaction=complaint.satisfaction,
        version=complaint.version,
    )
