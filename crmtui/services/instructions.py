"""The manager's instructions (上级指令): a manager tells a rep what to do about a customer by a
day; it stays on the rep's Today until the rep reports it done, with a note; the manager sees
which are open, done or late, and the daily report lists them.

Decisions:

- An instruction goes to the rep who owns the customer (that rep is the one who can act on
  it); one to anyone else is refused with the owner named. When the customer is reassigned,
  its open instructions follow it to the new owner (services.customers.reassign).
- Only managers give or cancel instructions; the rep it went to (or a manager) reports it done.
- Open instructions show on Today whatever their day (a manager's instruction is not hidden
  until it is due); late ones say how late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from peewee import JOIN, Case, Expression, Function, ModelSelect, fn

from crmtui.db import Customer, Instruction, User
from crmtui.db.rows import tuple_rows
from crmtui.errors import CrmError, Forbidden, InvalidInput, NotFound
from crmtui.i18n import _
from crmtui.rules import InstructionState, instruction_state, overdue_days
from crmtui.services.access import get_visible_customer, record_id, require_manager
from crmtui.services.context import Context, writes
from crmtui.services.validation import INSTRUCTION_FIELDS, collect_field

WHICH = ("open", "late", "all")
"""What `instruction list` shows: the open ones (late included), only the late ones, or every
one (done included)."""


@dataclass(frozen=True)
class InstructionRow:
    """An instruction as lists show it."""

    id: int
    customer_id: int
    customer: str
    to: str
    """The login of the rep it went to."""
    to_name: str
    by: str
    """Who gave it (a display name; empty when that user was removed)."""
    text: str
    due: date
    given_at: datetime
    done_at: datetime | None
    done_on: date | None
    note: str
    state: InstructionState
    overdue_days: int
    """Days past its day: while open, until today; once done, when it was reported."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "customer_id": self.customer_id,
            "customer": self.customer,
            "to": self.to,
            "by": self.by,
            "text": self.text,
            "due": self.due,
            "state": self.state.value,
            "overdue_days": self.overdue_days,
            "given_at": self.given_at,
            "done_at": self.done_at,
            "note": self.note,
        }


def _recipient(login: Any) -> User:
    text = str(login or "").strip()
    user = User.get_or_none(User.login == text) if text else None
    if user is None:
        raise NotFound(
            _("no user {login}; `crmtui user list` shows who there is").format(login=text)
        )
    if not user.active:
        raise CrmError(
            _("{login} is deactivated and cannot be given instructions").format(login=text)
        )
    return user


@writes
def give_instruction(
    ctx: Context, login: Any, customer_id: int, text: Any, due: Any
) -> InstructionRow:
    """A manager's instruction to the rep `login` about one of that rep's customers."""
    require_manager(ctx, _("give instructions"))
    user = _recipient(login)
    customer = get_visible_customer(ctx, customer_id)
    today = ctx.today()
    errors: dict[str, str] = {}
    text = collect_field(errors, "text", INSTRUCTION_FIELDS["text"], text, today)
    day = collect_field(errors, "due", INSTRUCTION_FIELDS["due"], due, today)
    if "due" not in errors:
        if day is None:
            errors["due"] = _("an instruction needs a due date")
        elif day < today:
            errors["due"] = _("the due date cannot be in the past")
    if errors:
        raise InvalidInput(errors)
    if customer.owner_id != user.id:
        owner = User.get_by_id(customer.owner_id)
        raise CrmError(
            _(
                "{name} belongs to {owner}, not {login}: give the instruction to "
                "{owner}, or reassign the customer first"
            ).format(name=customer.name, owner=owner.login, login=user.login)
        )
    given = Instruction.create(
        customer=customer, to=user, by=ctx.user.id, text=text, due=day, given_at=ctx.now()
    )
    return _written(ctx, given.id)


def _written(ctx: Context, instruction_id: int) -> InstructionRow:
    """An instruction as a write left it, read again with the names its row shows."""
    return _row(ctx, _query().where(Instruction.id == instruction_id).get(), ctx.today())


def _get(ctx: Context, instruction_id: Any) -> Instruction:
    """An instruction the user may see: their own, or any for a manager."""
    number = record_id(instruction_id)
    found = Instruction.get_or_none(Instruction.id == number) if number else None
    if found is None or not (ctx.is_manager or found.to_id == ctx.user.id):
        raise NotFound(_("no instruction with id {id}").format(id=instruction_id))
    return found


@writes
def report_done(ctx: Context, instruction_id: Any, note: Any = "") -> InstructionRow:
    """The rep reports the instruction carried out, with a note on what was done."""
    instruction = _get(ctx, instruction_id)
    if ctx.role == "support":
        raise Forbidden(_("support staff has no instructions to report"))
    if instruction.done_on is not None:
        raise CrmError(
            _("instruction #{id} was already reported done on {day}").format(
                id=instruction.id, day=instruction.done_on.isoformat()
            )
        )
    errors: dict[str, str] = {}
    note = collect_field(errors, "note", INSTRUCTION_FIELDS["note"], note, ctx.today())
    if errors:
        raise InvalidInput(errors)
    now = ctx.now()
    instruction.done_at = now
    instruction.done_on = ctx.local_date(now)
    instruction.note = note or ""
    instruction.save()
    return _written(ctx, instruction.id)


@writes
def cancel_instruction(ctx: Context, instruction_id: Any) -> Instruction:
    """A manager withdraws an instruction given by mistake (it is removed)."""
    require_manager(ctx, _("cancel instructions"))
    instruction = _get(ctx, instruction_id)
    instruction.delete_instance()
    return instruction


# -- reads --------------------------------------------------------------------------------------

_By = User.alias("giver")


def _query() -> ModelSelect[Instruction]:
    return (
        Instruction.select(
            Instruction,
            Customer.id,
            Customer.name,
            User.id,
            User.login,
            User.display_name,
            _By.id,
            _By.login,
            _By.display_name,
        )
        .join(Customer, on=Instruction.customer)
        .switch(Instruction)
        .join(User, on=Instruction.to)
        .switch(Instruction)
        .join(_By, JOIN.LEFT_OUTER, on=Instruction.by)
    )


def _row(ctx: Context, found: Instruction, today: date) -> InstructionRow:
    to, by = found.to, found.by if found.by_id is not None else None
    state = instruction_state(found.due, found.done_on, today)
    return InstructionRow(
        id=found.id,
        customer_id=found.customer_id,
        customer=found.customer.name,
        to=to.login,
        to_name=to.label,
        by=by.label if by is not None else "",
        text=found.text,
        due=found.due,
        given_at=found.given_at,
        done_at=found.done_at,
        done_on=found.done_on,
        note=found.note,
        state=state,
        overdue_days=overdue_days(found.due, found.done_on or today),
    )


def list_instructions(
    ctx: Context, which: str = "open", *, day: date | None = None, everyone: bool = True
) -> list[InstructionRow]:
    """A rep's own instructions, or (managers) everyone's: open ones by due day, or only the
    late ones, or all of them (done ones last, newest first)."""
    if which not in WHICH:
        raise InvalidInput.one(
            "which",
            _("'{text}' is not one of {options}").format(text=which, options=", ".join(WHICH)),
        )
    today = day or ctx.today()
    query = _query()
    if not (ctx.is_manager and everyone):
        query = query.where(Instruction.to == ctx.user.id)
    if which != "all":
        query = query.where(Instruction.done_on.is_null())
    if which == "late":
        query = query.where(Instruction.due < today)
    rows = [_row(ctx, found, today) for found in query.order_by(Instruction.due, Instruction.id)]
    return sorted(
        rows,
        key=lambda r: (
            r.state is InstructionState.DONE,
            r.due if r.done_on is None else date.max - r.due,
            r.id,
        ),
    )


def open_for_customer(ctx: Context, customer_id: int) -> list[InstructionRow]:
    """The customer's instructions not yet reported done, oldest due first (for the review
    after a visit: were the manager's instructions for this customer carried out?)."""
    get_visible_customer(ctx, customer_id)
    today = ctx.today()
    query = _query().where((Instruction.customer == customer_id) & Instruction.done_on.is_null())
    return [_row(ctx, found, today) for found in query.order_by(Instruction.due, Instruction.id)]


@dataclass(frozen=True)
class InstructionCounts:
    """One rep's instructions: open (late included), late, done in the period."""

    login: str
    name: str
    open: int = 0
    late: int = 0
    done: int = 0
    done_late: int = 0


def instruction_counts(
    ctx: Context,
    since: date,
    day: date | None = None,
) -> list[InstructionCounts]:
    """Each rep's instructions as the manager sees them: open and late today, done (and done
    after their day) from `since` to `day`. Reps see only their own."""
    today = day or ctx.today()
    i = Instruction
    is_open = i.done_on.is_null()

    def count(condition: Expression) -> Function:
        return fn.SUM(Case(None, [(condition, 1)], 0))

    # counted by the database, one row per rep: a large team has tens of thousands open
    query = (
        i.select(
            i.to,
            count(is_open),
            count(is_open & (i.due < today)),
            count(i.done_on.is_null(False)),
            count(i.done_on > i.due),
        )
        .where(is_open | ((i.done_on >= since) & (i.done_on <= today)))
        .group_by(i.to)
    )
    if not ctx.is_manager:
        query = query.where(i.to == ctx.user.id)
    counts = {
        to_id: (int(opened), int(late), int(done), int(done_late))
        for to_id, opened, late, done, done_late in tuple_rows(
            query, tuple[int, int, int, int, int]
        )
    }
    # the names as plain rows, without an IN list of hundreds of reps
    users = User.select(User.id, User.login, User.display_name)
    if not ctx.is_manager:
        users = users.where(User.id == ctx.user.id)
    names = {
        user_id: (login, display_name or login)
        for user_id, login, display_name in (
            tuple_rows(users, tuple[int, str, str | None]) if counts else ()
        )
    }
    return sorted(
        (InstructionCounts(*names[uid], *numbers) for uid, numbers in counts.items()),
        key=lambda c: c.login,
    )
