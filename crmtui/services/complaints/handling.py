"""What every complaint action stands on: the vocabularies, reading one complaint for whoever may
see or handle it, the moves its status allows, typed values cleaned, and the versioned save
with its events."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any

from crmtui.db import Complaint, ComplaintEvent, Customer, User
from crmtui.errors import Conflict, CrmError, Forbidden, InvalidInput, NotFound
from crmtui.i18n import N_, _, explain
from crmtui.labels import term
from crmtui.present.time import moment
from crmtui.rules import (
    TRANSITIONS,
    ComplaintStatus,
    DateInputError,
    Severity,
    can_transition,
    parse_datetime,
)
from crmtui.services.access import record_id
from crmtui.services.context import Context
from crmtui.services.sla_clock import (
    OPEN,
)
from crmtui.services.validation import (
    FieldError,
    clean_int,
    clean_text,
    optional_text,
    required_text,
)

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


def _complaint_id(value: Any) -> int:
    number = record_id(value)
    if number is None:
        raise NotFound(_("no complaint with id {id}").format(id=value))
    return number


def get_complaint(ctx: Context, complaint_id: Any) -> Complaint:
    """A complaint the user may see: support and managers see all, reps their customers'."""
    number = _complaint_id(complaint_id)
    complaint: Complaint | None = (
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


def _events(
    ctx: Context, complaint: Complaint, now: datetime, events: Iterable[tuple[str, str, str, str]]
) -> None:
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


def _status_event(
    complaint: Complaint, new: ComplaintStatus, note: str = ""
) -> tuple[str, str, str, str]:
    old = complaint.status
    complaint.status = new.value
    return ("status", old, new.value, note)


COMPLAINT_FIELDS: dict[str, Callable[..., Any]] = {
    "summary": required_text(300),
    "category": optional_text(64),
    "description": optional_text(5000, multiline=True),
    "resolution": required_text(2000, multiline=True, why=N_("required: say how it was resolved")),
    "root_cause": optional_text(500),
    "note": optional_text(2000, multiline=True),
    "timeline_note": required_text(2000, multiline=True),
    "satisfaction": clean_int(1, 5),
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


def _values(value: Any, clean: Callable[[Any], Severity | ComplaintStatus]) -> list[str]:
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
