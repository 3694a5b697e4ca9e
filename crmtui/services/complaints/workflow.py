"""Complaints' workflow: reading one complaint, cleaning what was typed, and the actions
(open, acknowledge, work, wait, resume, resolve, close, reopen, severity, assign, note).

Every action is one call that reads the complaint, checks the role and the workflow
(`rules.TRANSITIONS`), writes the row with optimistic locking on `version` and appends a
`ComplaintEvent`, all in one short write transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

from crmtui.db import Complaint, ComplaintEvent, Customer, Survey, User
from crmtui.errors import Conflict, CrmError, Forbidden, InvalidInput, NotFound
from crmtui.i18n import N_, _, explain
from crmtui.labels import term
from crmtui.present.time import moment, span
from crmtui.rules import (
    TRANSITIONS,
    ComplaintStatus,
    DateInputError,
    ReferralEvent,
    Severity,
    add_service_time,
    can_transition,
    parse_datetime,
    referral_moment,
)
from crmtui.services.access import get_visible_customer, record_id
from crmtui.services.context import Context, writes
from crmtui.services.sla_clock import (
    OPEN,
    deadline_after_pause,
    deadlines_for,
    in_service_zone,
)
from crmtui.services.validation import CHANNELS, FieldError, choice, clean_int, clean_text

SEVERITIES = tuple(s.value for s in Severity)
STATUSES = tuple(s.value for s in ComplaintStatus)
HANDLER_ROLES = ("support", "manager")
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}

_S = ComplaintStatus
# What each move is called in messages ("cannot resolve complaint #4: ...").
_ACTIONS = {
    _S.ACKNOWLEDGED: N_("acknowledge"),
    _S.IN_PROGRESS: N_("start work on"),
    _S.WAITING_CUSTOMER: N_("wait for the customer on"),
    _S.RESOLVED: N_("resolve"),
    _S.CLOSED: N_("close"),
    _S.REOPENED: N_("reopen"),
}


# -- reading one complaint ----------------------------------------------------------------------


def _complaint_id(value: Any) -> int:
    number = record_id(value)
    if number is None:
        raise NotFound(_("no complaint with id {id}").format(id=value))
    return number


def get_complaint(ctx: Context, complaint_id: Any) -> Complaint:
    """A complaint the user may see: support and managers see all, reps their customers'."""
    number = _complaint_id(complaint_id)
    complaint = (
        Complaint.select(Complaint, Customer).join(Customer).where(Complaint.id == number).first()
    )
    if complaint is None or not _can_see(ctx, complaint.customer):
        raise NotFound(_("no complaint with id {id}").format(id=complaint_id))
    return complaint


def _can_see(ctx: Context, customer: Customer) -> bool:
    return ctx.role in HANDLER_ROLES or customer.owner_id == ctx.user.id


def _require_handler(ctx: Context) -> None:
    if ctx.role not in HANDLER_ROLES:
        raise Forbidden(_("only support staff or a manager can handle complaints"))


def _for_handling(ctx: Context, complaint_id: Any, expected_version: int | None) -> Complaint:
    complaint = get_complaint(ctx, complaint_id)
    _require_handler(ctx)
    if expected_version is not None and complaint.version != expected_version:
        raise _conflict(ctx, complaint.id)
    return complaint


def move_refusal(complaint_id: int, status: str, target: ComplaintStatus) -> str | None:
    """Why a complaint in `status` cannot move to `target` (the sentence every action refuses
    with), or None when it can. Screens ask before opening a dialog for a move."""
    current = ComplaintStatus(status)
    if can_transition(current, target):
        return None
    allowed = ", ".join(
        term("complaint_status", s) for s in ComplaintStatus if s in TRANSITIONS[current]
    )
    message = _(
        "cannot {action} complaint #{id}: it is {status}; from {status} it can go to {allowed}"
    ).format(
        action=_(_ACTIONS[target]),
        id=complaint_id,
        status=term("complaint_status", current),
        allowed=allowed,
    )
    if target is _S.CLOSED and current.value in OPEN:
        message += "; " + _("resolve it with a resolution note first")
    return message


def _require_move(complaint: Complaint, target: ComplaintStatus) -> None:
    refusal = move_refusal(complaint.id, complaint.status, target)
    if refusal:
        raise CrmError(refusal)


def _conflict(ctx: Context, complaint_id: int) -> Conflict:
    last = (
        ComplaintEvent.select(ComplaintEvent, User)
        .join(User)
        .where((ComplaintEvent.complaint == complaint_id) & (ComplaintEvent.kind != "note"))
        .order_by(ComplaintEvent.at.desc(), ComplaintEvent.id.desc())
        .first()
    )
    who = last.by.label if last else _("someone")
    when = moment(last.at, ctx.zone) if last else "?"
    return Conflict(
        _(
            "complaint #{id} was changed by {who} at {when} after you opened it; reload it and "
            "try again"
        ).format(id=complaint_id, who=who, when=when),
        changed_by=who,
        changed_at=last.at if last else None,
    )


def _now(ctx: Context) -> datetime:
    return ctx.now().replace(microsecond=0)  # stored to the second


def _save(
    ctx: Context, complaint: Complaint, now: datetime, events: Iterable[tuple[str, str, str, str]]
) -> Complaint:
    """Write the row if its version is still the one read, bump it and append the events."""
    read_version = complaint.version
    complaint.version = read_version + 1
    complaint.updated_at = now
    # __data__ holds foreign keys as ids: no lazy loads of the related rows
    data = {
        f: complaint.__data__.get(f.name) for f in Complaint._meta.sorted_fields if f.name != "id"
    }
    updated = (
        Complaint.update(data)
        .where((Complaint.id == complaint.id) & (Complaint.version == read_version))
        .execute()
    )
    if updated != 1:
        complaint.version = read_version
        raise _conflict(ctx, complaint.id)
    _events(ctx, complaint, now, events)
    return complaint


def _events(ctx, complaint, now, events) -> None:
    for kind, old, new, note in events:
        ComplaintEvent.create(
            complaint=complaint.id,
            at=now,
            by=ctx.user.id,
            kind=kind,
            from_value=old,
            to_value=new,
            note=note,
        )


def _status_event(complaint: Complaint, new: ComplaintStatus, note: str = ""):
    old = complaint.status
    complaint.status = new.value
    return ("status", old, new.value, note)


# -- input --------------------------------------------------------------------------------------


def _clean(errors: dict, name: str, clean, value):
    try:
        return clean(value)
    except FieldError as error:
        errors[name] = str(error)
        return None


def _text(limit: int, *, required: bool = False, multiline: bool = False, why: str = ""):
    def clean(value, today=None):
        text = clean_text(value, limit=limit, multiline=multiline)
        if required and not text:
            raise FieldError(_(why) if why else _("required"))
        return text

    return clean


COMPLAINT_FIELDS: dict[str, Callable[..., Any]] = {
    "summary": _text(300, required=True),
    "category": _text(64),
    "description": _text(5000, multiline=True),
    "resolution": _text(
        2000, required=True, multiline=True, why=N_("required: say how it was resolved")
    ),
    "root_cause": _text(500),
    "note": _text(2000, multiline=True),
    "timeline_note": _text(2000, required=True, multiline=True),
    "satisfaction": lambda value, today=None: clean_int(1, 5)(value, today),
}
"""How the actions clean each field, as (value, today) cleaners a form validates with."""
_FIELD = COMPLAINT_FIELDS


def severity_value(value: Any) -> Severity:
    try:  # too long a text is not a severity either
        return Severity(clean_text(value, limit=40).lower())
    except ValueError:
        raise InvalidInput.one(
            "severity",
            _("'{text}' is not a severity; use one of {options}").format(
                text=value, options=", ".join(SEVERITIES)
            ),
        ) from None


def status_value(value: Any) -> ComplaintStatus:
    try:
        return ComplaintStatus(clean_text(value, limit=40).lower())
    except ValueError:
        raise InvalidInput.one(
            "status",
            _("'{text}' is not a complaint status; use one of {options}").format(
                text=value, options=", ".join(STATUSES)
            ),
        ) from None


def _values(value: Any, clean) -> list[str]:
    """One value, a comma-separated text or a list of them, each checked."""
    if value is None or value == "":
        return []
    parts = value.split(",") if isinstance(value, str) else list(value)
    return [clean(p).value for p in parts if str(p).strip()]


def _handler_user(login: Any) -> User | None:
    """The user a complaint is assigned to; '', '-' and 'none' mean nobody."""
    try:
        text = clean_text(login, limit=64)
    except FieldError:
        raise NotFound(_("no user {login}").format(login=login)) from None
    if text.lower() in ("", "-", "none"):
        return None
    user = User.get_or_none(User.login == text)
    if user is None or not user.active:
        raise NotFound(_("no user {login}").format(login=text))
    if user.role not in HANDLER_ROLES:
        raise InvalidInput.one(
            "owner",
            _("{login} is a rep; complaints are handled by support staff or managers").format(
                login=text
            ),
        )
    return user


def _moment(ctx: Context, value: Any, now: datetime, name: str) -> datetime:
    if isinstance(value, datetime):
        when = value if value.tzinfo else value.replace(tzinfo=ctx.zone)
    else:
        try:
            when = parse_datetime(clean_text(value, limit=60), ctx.local(now))
        except DateInputError as error:
            raise InvalidInput.one(name, explain(error)) from None
        except FieldError as error:
            raise InvalidInput.one(name, str(error)) from None
    return when.astimezone(timezone.utc).replace(microsecond=0)


# -- actions ------------------------------------------------------------------------------------


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
) -> Complaint:
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
    summary = _clean(errors, "summary", _FIELD["summary"], summary)
    channel = _clean(errors, "channel", lambda v: choice(CHANNELS)(v or "phone", None), channel)
    category = _clean(errors, "category", _FIELD["category"], category)
    description = _clean(errors, "description", _FIELD["description"], description)
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
    return complaint


@writes
def acknowledge(
    ctx: Context,
    complaint_id: Any,
    promised_at: Any,
    *,
    note: str = "",
    expected_version: int | None = None,
) -> Complaint:
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
        complaint.owner = ctx.user.id
        events.append(("owner", "", ctx.user.login, ""))
    return _save(ctx, complaint, now, events)


def _clean_note(note: Any) -> str:
    try:
        return _FIELD["note"](note)
    except FieldError as error:
        raise InvalidInput.one("note", str(error)) from None


@writes
def start_work(
    ctx: Context, complaint_id: Any, *, note: str = "", expected_version: int | None = None
) -> Complaint:
    """Work on it (in_progress); on a complaint waiting for the customer this resumes the clock."""
    complaint = _for_handling(ctx, complaint_id, expected_version)
    if complaint.status == _S.WAITING_CUSTOMER.value:
        return _resume(ctx, complaint, note)
    _require_move(complaint, _S.IN_PROGRESS)
    now = _now(ctx)
    return _save(ctx, complaint, now, [_status_event(complaint, _S.IN_PROGRESS, _clean_note(note))])


@writes
def wait_for_customer(
    ctx: Context, complaint_id: Any, *, note: str = "", expected_version: int | None = None
) -> Complaint:
    """Waiting on the customer (waiting_customer): the resolution clock pauses."""
    complaint = _for_handling(ctx, complaint_id, expected_version)
    _require_move(complaint, _S.WAITING_CUSTOMER)
    now = _now(ctx)
    complaint.waiting_since = now
    return _save(
        ctx, complaint, now, [_status_event(complaint, _S.WAITING_CUSTOMER, _clean_note(note))]
    )


@writes
def resume(
    ctx: Context, complaint_id: Any, *, note: str = "", expected_version: int | None = None
) -> Complaint:
    """The customer answered: in_progress again, resolve_by moved by the service time paused."""
    complaint = _for_handling(ctx, complaint_id, expected_version)
    if complaint.status != _S.WAITING_CUSTOMER.value:
        raise CrmError(
            _("cannot resume complaint #{id}: it is {status}, not waiting for the customer").format(
                id=complaint.id, status=term("complaint_status", complaint.status)
            )
        )
    return _resume(ctx, complaint, note)


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
) -> Complaint:
    """Resolved, with what was done (required) and the root cause."""
    complaint = _for_handling(ctx, complaint_id, expected_version)
    _require_move(complaint, _S.RESOLVED)
    errors: dict[str, str] = {}
    resolution = _clean(errors, "resolution", _FIELD["resolution"], resolution)
    root_cause = _clean(errors, "root_cause", _FIELD["root_cause"], root_cause)
    if errors:
        raise InvalidInput(errors)
    now = _now(ctx)
    complaint.resolved_at = now
    complaint.resolution = resolution
    complaint.root_cause = root_cause
    note = resolution + (
        " · " + _("root cause: {cause}").format(cause=root_cause) if root_cause else ""
    )
    return _save(ctx, complaint, now, [_status_event(complaint, _S.RESOLVED, note)])


@writes
def close(
    ctx: Context,
    complaint_id: Any,
    satisfaction: Any = None,
    *,
    note: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """Closed after resolution, with the customer's satisfaction 1–5 if they gave one.

    A score is kept as a survey (overall); 4 or 5 opens a referral moment for the customer.
    """
    complaint = _for_handling(ctx, complaint_id, expected_version)
    _require_move(complaint, _S.CLOSED)
    errors: dict[str, str] = {}
    score = _clean(errors, "satisfaction", _FIELD["satisfaction"], satisfaction)
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
    return _save(ctx, complaint, now, [_status_event(complaint, _S.CLOSED, note)])


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
) -> Complaint:
    """Back to work after a resolution that did not hold; the original deadlines stay."""
    complaint = _for_handling(ctx, complaint_id, expected_version)
    _require_move(complaint, _S.REOPENED)
    now = _now(ctx)
    # The old resolution text stays until a new one replaces it; the timeline keeps both.
    complaint.resolved_at = None
    complaint.closed_at = None
    complaint.satisfaction = None
    return _save(ctx, complaint, now, [_status_event(complaint, _S.REOPENED, _clean_note(note))])


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
) -> Complaint:
    """Re-judge the severity of an open complaint: both deadlines are worked out again from
    opened_at with the new targets, and the resolution deadline keeps the time paused so far."""
    complaint = _for_handling(ctx, complaint_id, expected_version)
    new = severity_value(severity)
    refusal = severity_refusal(complaint.id, complaint.status)
    if refusal:
        raise CrmError(refusal)
    if new.value == complaint.severity:
        return complaint
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
    return _save(ctx, complaint, now, [("severity", old, new.value, _clean_note(note))])


def handlers(ctx: Context) -> list[User]:
    """The active support staff and managers a complaint can be given to, by name (pinyin
    for Chinese names)."""
    from crmtui.search import sort_key

    _require_handler(ctx)
    return sorted(
        User.select().where(
            (User.active == True)  # noqa: E712
            & User.role.in_(HANDLER_ROLES)
        ),
        key=lambda user: (sort_key(user.label), user.login),
    )


@writes
def assign(
    ctx: Context, complaint_id: Any, login: Any, *, expected_version: int | None = None
) -> Complaint:
    """Give the complaint to a support person or manager ('-' or '' leaves it unassigned)."""
    complaint = _for_handling(ctx, complaint_id, expected_version)
    handler = _handler_user(login)
    if complaint.owner_id == (handler.id if handler else None):
        return complaint
    old = complaint.owner.login if complaint.owner_id else ""
    complaint.owner = handler
    now = _now(ctx)
    return _save(ctx, complaint, now, [("owner", old, handler.login if handler else "", "")])


@writes
def add_note(ctx: Context, complaint_id: Any, text: Any) -> ComplaintEvent:
    """A note on the timeline. Anyone who sees the complaint may add one (the customer's rep
    too); notes never conflict with other changes, so they leave the version alone."""
    complaint = get_complaint(ctx, complaint_id)
    errors: dict[str, str] = {}
    text = _clean(errors, "note", _FIELD["timeline_note"], text)
    if errors:
        raise InvalidInput(errors)
    return ComplaintEvent.create(
        complaint=complaint.id, at=_now(ctx), by=ctx.user.id, kind="note", note=text
    )
