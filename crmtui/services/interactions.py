"""Logging contacts (追踪), promises (承诺), orders (交易记录) and care dates (客户关怀)."""

from __future__ import annotations

from datetime import date, datetime, time as dtime, timedelta
from decimal import Decimal
from typing import Any

from crmtui.db import (
    Appointment,
    CareDate,
    Commitment,
    Contact,
    Customer,
    Interaction,
    Order,
    User,
)
from crmtui.db.rows import insert_record, update_record
from crmtui.errors import InvalidInput, NotFound
from crmtui.i18n import _, explain
from crmtui.rules import (
    DateInputError,
    Lifecycle,
    ReferralEvent,
    counts_as_followup,
    next_lunar_occurrence,
    next_occurrence,
    parse_datetime,
    referral_moment,
)
from crmtui.services.access import (
    get_editable_customer,
    get_loggable_customer,
    get_visible_customer,
    record_id,
    scope_customers,
)
from crmtui.services.appointments import appointment_to_close, clean_review, close_appointment
from crmtui.services.contacts import contact_field
from crmtui.services.context import Context, writes
from crmtui.services.customer_columns import apply_grade, reschedule
from crmtui.services.customers import _check_version, _save_versioned
from crmtui.services.journal import Journal, journal, record_values
from crmtui.services.lifecycle import after_sale, counted_contacts
from crmtui.services.record_views import care_entry, logged_view, order_entry, promise_entry
from crmtui.services.validation import (
    CARE_KINDS,
    INTERACTION_FIELDS,
    ORDER_FIELDS,
    PROMISE_FIELDS,
    FieldError,
    choice,
    clean_date,
    clean_int,
    collect_field,
    optional_text,
)
from crmtui.views.interactions import InteractionRow, LogResult
from crmtui.views.profile import CareDateEntry, OrderEntry, PromiseEntry


def clean_moment(value: Any, ctx: Context) -> datetime:
    """A past or present moment typed by the user (default now); never in the future."""
    if value in (None, ""):
        return ctx.now()
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = parse_datetime(str(value), ctx.local(ctx.now()))
        except DateInputError as error:
            raise FieldError(explain(error)) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ctx.zone)
    if moment > ctx.now():
        raise FieldError(_("cannot be in the future"))
    return moment


@writes
def log_interaction(
    ctx: Context,
    customer_id: int,
    *,
    summary: str,
    channel: str = "phone",
    outcome: str = "neutral",
    direction: str = "out",
    next_step: str = "",
    next_on: Any = None,
    promise: str = "",
    promise_due: Any = None,
    at: Any = None,
    referral_ask: bool = False,
    contact: Any = None,
    plan_progress: str = "",
    appointment: Any = None,
    purpose_met: Any = None,
    instructions_done: Any = None,
    still_open: Any = "",
) -> LogResult:
    """Store a contact and everything that follows from it, in one transaction:
    the follow-up count, last contact, grade (as of today), next due, a promise, referral flags;
    `contact` names the person spoken to (a contact's id or name), `plan_progress` adds a line
    to the customer's account plan.

    The contact closes an appointment: the one named (`appointment`), else the user's open one
    with the customer that day which it holds (it began, or begins within a quarter of an
    hour); the review's answers are stored with it: was the purpose met, were the manager's
    instructions carried out (yes, partly, no), what is still open. Answers without an
    appointment to close are refused."""
    customer = get_loggable_customer(ctx, customer_id)
    today = ctx.today()
    errors: dict[str, str] = {}
    fields = INTERACTION_FIELDS
    summary = collect_field(errors, "summary", fields["summary"], summary, today)
    channel = collect_field(errors, "channel", fields["channel"], channel, today)
    outcome = collect_field(errors, "outcome", fields["outcome"], outcome, today)
    direction = collect_field(errors, "direction", fields["direction"], direction, today)
    next_step = collect_field(errors, "next_step", fields["next_step"], next_step, today)
    moment = collect_field(errors, "at", clean_moment, at, ctx)
    next_on = collect_field(errors, "next_on", fields["next_on"], next_on, today)
    promise = collect_field(errors, "promise", fields["promise"], promise, today)
    promise_due = collect_field(errors, "promise_due", fields["promise_due"], promise_due, today)
    contact_day = ctx.local_date(moment) if moment else today
    if next_on is not None and "next_on" not in errors and next_on <= contact_day:
        errors["next_on"] = _("the next step must come after the contact ({day})").format(
            day=contact_day.isoformat()
        )
    if promise and promise_due is None and "promise_due" not in errors:
        errors["promise_due"] = _("a promise needs a due date")
    if promise_due is not None and not promise and "promise" not in errors:
        errors["promise"] = _("say what was promised")
    if promise_due is not None and promise_due < contact_day and "promise_due" not in errors:
        errors["promise_due"] = _("a promise cannot be due before the contact")
    person = collect_field(errors, "contact", contact_field, customer.id, contact)
    closing, review = None, {}
    if moment is not None:
        try:
            review = clean_review(ctx, purpose_met, instructions_done, still_open)
        except InvalidInput as error:
            errors.update(error.errors)
        try:
            closing = appointment_to_close(ctx, customer.id, appointment, moment)
        except InvalidInput as error:
            errors.update(error.errors)
        if closing is None and any(review.values()) and "appointment" not in errors:
            errors["appointment"] = _("no appointment with {name} to review on {day}").format(
                name=customer.name, day=contact_day.isoformat()
            )
    if errors:
        raise InvalidInput(errors)
    with journal(ctx, "log", customer, entity="interaction") as kept:
        return _log(
            ctx,
            customer,
            kept,
            moment=moment,
            contact_day=contact_day,
            summary=summary,
            channel=channel,
            outcome=outcome,
            direction=direction,
            next_step=next_step,
            next_on=next_on,
            promise=promise,
            promise_due=promise_due,
            referral_ask=referral_ask,
            person=person,
            plan_progress=plan_progress,
            closing=closing,
            review=review,
        )


def _log(
    ctx: Context,
    customer: Customer,
    kept: Journal,
    *,
    moment: datetime,
    contact_day: date,
    summary: str,
    channel: str,
    outcome: str,
    direction: str,
    next_step: str,
    next_on: date | None,
    promise: str,
    promise_due: date | None,
    referral_ask: bool,
    person: Contact | None,
    plan_progress: str,
    closing: Appointment | None = None,
    review: dict[str, Any] | None = None,
) -> LogResult:
    today = ctx.today()
    # The open opportunity's follow-ups: its outbound answered contacts after the first.
    in_opportunity = customer.opportunity_since is None or moment > customer.opportunity_since
    counted = counts_as_followup(direction, outcome) and in_opportunity
    customer.followups = max(
        0, counted_contacts(customer, ctx.now() + timedelta(days=1)) + counted - 1
    )
    interaction = Interaction(
        customer=customer,
        at=moment,
        channel=channel,
        direction=direction,
        summary=summary,
        outcome=outcome,
        next_step=next_step,
        next_on=next_on,
        referral_ask=referral_ask,
        by=ctx.user.id,
        followup_number=customer.followups,
        contact=person,
        contact_name=person.name if person else "",
    )
    insert_record(interaction)  # (the statement written once: peewee took longer to write it)
    kept.entity_id = interaction.id
    kept.created("interaction", interaction)
    if plan_progress and str(plan_progress).strip():
        # on first use: only this path needs it
        from crmtui.services.plans import add_progress

        add_progress(ctx, customer.id, plan_progress, on=contact_day)
    if customer.last_contact_at is None or moment >= customer.last_contact_at:
        customer.last_contact_at = moment
        customer.last_contact_on = contact_day
        customer.next_step = next_step
        customer.next_step_on = next_on
    if referral_moment(ReferralEvent(kind="interaction", outcome=outcome, score=None)):
        customer.referral_moment_on = max(contact_day, customer.referral_moment_on or contact_day)
    if referral_ask:
        customer.referral_asked_on = max(contact_day, customer.referral_asked_on or contact_day)
    apply_grade(ctx, customer, today=today)
    reschedule(ctx, customer)
    # only the columns the contact moved: an UPDATE naming every column rewrites the search
    # index's entry (its trigger fires on search_doc) and every index of the customer
    update_record(customer, customer.dirty_fields)
    if not plan_progress:  # (the plan's progress may have written the customer's row itself)
        kept.saved(customer)
    commitment = None
    if promise:
        commitment = Commitment.create(
            customer=customer,
            interaction=interaction,
            text=promise,
            due=promise_due,
            created_at=ctx.now(),
            by=ctx.user.id,
        )
        kept.created("promise", commitment)
    if closing is not None:
        # on first use: only this path needs it
        from crmtui.services.journal import record_values

        before = record_values("appointment", closing)
        close_appointment(ctx, closing, interaction, review or {})
        kept.updated("appointment", closing, before)  # undoing the log opens it again
    return logged_view(interaction, customer, commitment, closing)


@writes
def add_promise(ctx: Context, customer_id: int, text: str, due: Any) -> PromiseEntry:
    customer = get_editable_customer(ctx, customer_id)
    today = ctx.today()
    errors: dict[str, str] = {}
    text = collect_field(errors, "promise", PROMISE_FIELDS["promise"], text, today)
    day = collect_field(errors, "promise_due", PROMISE_FIELDS["promise_due"], due, today)
    if day is None and "promise_due" not in errors:
        errors["promise_due"] = _("a promise needs a due date")
    if errors:
        raise InvalidInput(errors)
    with journal(ctx, "promise", customer, entity="promise") as kept:
        commitment = Commitment.create(
            customer=customer, text=text, due=day, created_at=ctx.now(), by=ctx.user.id
        )
        kept.entity_id = commitment.id
        kept.created("promise", commitment)
    return promise_entry(commitment)


@writes
def close_promise(ctx: Context, commitment_id: int, status: str = "done") -> Commitment:
    """Mark a promise kept (done) or broken."""
    if status not in ("done", "broken"):
        raise InvalidInput.one("status", _("a promise is closed as done or broken"))
    number = record_id(commitment_id)
    commitment = Commitment.get_or_none(Commitment.id == number) if number else None
    if commitment is None:
        raise NotFound(_("no promise with id {id}").format(id=commitment_id))
    customer = get_editable_customer(ctx, commitment.customer_id)
    with journal(
        ctx, f"promise_{status}", customer, entity="promise", entity_id=commitment.id
    ) as kept:
        before = record_values("promise", commitment)
        commitment.status = status
        commitment.closed_at = ctx.now()
        commitment.version += 1
        commitment.save()
        kept.updated("promise", commitment, before)
    return commitment


@writes
def snooze_promise(ctx: Context, commitment_id: int, until: Any) -> Commitment:
    number = record_id(commitment_id)
    commitment = Commitment.get_or_none(Commitment.id == number) if number else None
    if commitment is None:
        raise NotFound(_("no promise with id {id}").format(id=commitment_id))
    customer = get_editable_customer(ctx, commitment.customer_id)
    try:
        day = clean_date(until, ctx.today())
    except FieldError as error:
        raise InvalidInput.one("until", str(error)) from None
    if day is None or day <= ctx.today():
        raise InvalidInput.one("until", _("snooze to a day after today"))
    with journal(
        ctx, "promise_snooze", customer, entity="promise", entity_id=commitment.id
    ) as kept:
        before = record_values("promise", commitment)
        commitment.due = day
        commitment.version += 1
        commitment.save()
        kept.updated("promise", commitment, before)
    return commitment


@writes
def record_order(
    ctx: Context,
    customer_id: int,
    *,
    amount: Any,
    product: str = "",
    on: Any = None,
    quantity: Any = 1,
    gift: str = "",
    note: str = "",
    cost: Any = None,
    next_close: Any = None,
    deliver_on: Any = None,
    over_limit: bool = False,
    expected_version: int | None = None,
) -> OrderEntry:
    """A sale: adds to the stored revenue (unless revenue counts payments) and profit (80/20),
    opens a referral moment, marks the deal won, and closes the opportunity
    (services.lifecycle.after_sale: a win when the need was clear; the need potential and the
    close date cleared unless `next_close` gives the next one). The customer's version moves:
    the need, grade and schedule may change.

    The order is owed in full until paid (services.receivables); one that takes the customer
    past their credit limit is refused with the amount over (OverCreditLimit) unless
    `over_limit` confirms it. `deliver_on` plans its delivery (on Today that day)."""
    # on first use: only this path needs it
    from crmtui.services.receivables import check_credit, counts_payments

    customer = get_editable_customer(ctx, customer_id)
    _check_version(ctx, customer, expected_version)
    today = ctx.today()
    errors: dict[str, str] = {}
    fields = ORDER_FIELDS
    amount = collect_field(errors, "amount", fields["amount"], amount, today)
    product = collect_field(errors, "product", fields["product"], product, today)
    day = collect_field(errors, "on", fields["on"], on, today)
    quantity = collect_field(errors, "quantity", fields["quantity"], quantity, today)
    gift = collect_field(errors, "gift", fields["gift"], gift, today)
    note = collect_field(errors, "note", fields["note"], note, today)
    cost = collect_field(errors, "cost", fields["cost"], cost, today)
    next_close = collect_field(errors, "next_close", fields["next_close"], next_close, today)
    deliver_on = collect_field(errors, "deliver_on", fields["deliver_on"], deliver_on, today)
    day = day or today
    if deliver_on is not None and "on" not in errors and deliver_on < day:
        errors["deliver_on"] = _("the delivery cannot be planned before the order")
    if "on" not in errors and day > today:
        errors["on"] = _("an order cannot be in the future")
    elif "on" not in errors and day < customer.created_on:
        errors["on"] = _("an order cannot be dated before the customer was added ({day})").format(
            day=customer.created_on.isoformat()
        )
    if next_close is not None and "next_close" not in errors and next_close < today:
        errors["next_close"] = _("the next close date cannot be in the past")
    if customer.lifecycle == Lifecycle.TERMINATED.value:
        errors["customer"] = _(
            "{name} is terminated; set them back to active (with a reason) "
            "before recording an order"
        ).format(name=customer.name)
    if errors:
        raise InvalidInput(errors)
    if not over_limit:
        check_credit(ctx, customer, amount)
    with journal(ctx, "order", customer, entity="order") as kept:
        order = Order.create(
            customer=customer,
            on=day,
            product=product,
            quantity=quantity or 1,
            amount=amount,
            cost=cost,
            gift=gift,
            note=note,
            by=ctx.user.id,
            created_at=ctx.now(),
            deliver_on=deliver_on,
            owed=amount,
            owed_since=day,
        )
        kept.entity_id = order.id
        kept.created("order", order)
        if not counts_payments(ctx):
            customer.revenue = (customer.revenue or Decimal(0)) + amount
        customer.profit = (customer.profit or Decimal(0)) + amount - (cost or Decimal(0))
        customer.deal_status = "won"
        if customer.status in ("potential", "intent"):
            customer.status = "existing"
        if referral_moment(ReferralEvent(kind="order", outcome=None, score=None)):
            customer.referral_moment_on = max(day, customer.referral_moment_on or day)
        win = after_sale(ctx, customer, order, next_close)
        if win is not None:
            kept.created("win", win)
        _save_versioned(ctx, customer)
    return order_entry(order)


def clean_care(
    ctx: Context,
    *,
    month: Any,
    day: Any,
    kind: str = "birthday",
    year: Any = None,
    lunar: bool = False,
    leap: bool = False,
    note: str = "",
) -> dict[str, Any]:
    """A care date's fields as stored, or InvalidInput naming each refused field (adding one
    and correcting one check the same)."""
    today = ctx.today()
    errors: dict[str, str] = {}
    kind = collect_field(errors, "kind", choice(CARE_KINDS), kind, today)
    month = collect_field(errors, "month", clean_int(1, 12), month, today)
    day_of = collect_field(errors, "day", clean_int(1, 30 if lunar else 31), day, today)
    year = collect_field(errors, "year", clean_int(1900, 2200), year, today)
    note = collect_field(errors, "note", optional_text(200), note, today)
    if month is None and "month" not in errors:
        errors["month"] = _("required")
    if day_of is None and "day" not in errors:
        errors["day"] = _("required")
    if not errors:
        try:
            if lunar:
                next_lunar_occurrence(month, day_of, today, leap=leap)
            else:
                next_occurrence(month, day_of, today)
                date(2000, month, day_of)  # a leap year: Feb 29 is allowed
        except ValueError:
            errors["day"] = _("{month}/{day} is not a day of the year").format(
                month=month, day=day_of
            )
    if errors:
        raise InvalidInput(errors)
    return {
        "kind": kind,
        "month": month,
        "day": day_of,
        "year": year,
        "lunar": bool(lunar),
        "leap": bool(leap and lunar),
        "note": note,
    }


@writes
def add_care_date(
    ctx: Context,
    customer_id: int,
    *,
    month: Any,
    day: Any,
    kind: str = "birthday",
    year: Any = None,
    lunar: bool = False,
    leap: bool = False,
    note: str = "",
) -> CareDateEntry:
    customer = get_editable_customer(ctx, customer_id)
    values = clean_care(
        ctx, month=month, day=day, kind=kind, year=year, lunar=lunar, leap=leap, note=note
    )
    with journal(ctx, "care", customer, entity="care") as kept:
        care = CareDate.create(customer=customer, **values)
        kept.entity_id = care.id
        kept.created("care", care)
    return care_entry(care)


def interactions_for(ctx: Context, customer_id: int, *, limit: int = 100) -> list[Interaction]:
    get_visible_customer(ctx, customer_id)
    return list(
        Interaction.select(Interaction, User)
        .join(User, on=Interaction.by)
        .where(Interaction.customer == customer_id)
        .order_by(Interaction.at.desc(), Interaction.id.desc())
        .limit(limit)
    )


def timeline(
    ctx: Context,
    *,
    rep: str | None = None,
    channel: str | None = None,
    outcome: str | None = None,
    since: date | None = None,
    until: date | None = None,
    customer_text: str = "",
    offset: int = 0,
    limit: int = 100,
    everyone: bool = True,
) -> list[InteractionRow]:
    """Interactions across customers, newest first, one page at a time."""
    query = (
        Interaction.select(Interaction, Customer, User)
        .join(Customer, on=Interaction.customer)
        .switch(Interaction)
        .join(User, on=Interaction.by)
    )
    query = scope_customers(ctx, query, everyone=everyone)
    if rep:
        query = query.where(User.login == rep)
    if channel:
        query = query.where(Interaction.channel == channel)
    if outcome:
        query = query.where(Interaction.outcome == outcome)
    if since:
        query = query.where(Interaction.at >= datetime.combine(since, dtime.min, ctx.zone))
    if until:
        query = query.where(Interaction.at < datetime.combine(until, dtime.max, ctx.zone))
    if customer_text.strip():
        # on first use: only this path needs it
        from crmtui.services.customers import search_ids

        query = query.where(
            Interaction.customer.in_(search_ids(ctx, customer_text, limit=2000, everyone=everyone))
        )
    page = query.order_by(Interaction.at.desc(), Interaction.id.desc()).offset(offset).limit(limit)
    return [interaction_row(interaction) for interaction in page]


def interaction_row(interaction: Interaction) -> InteractionRow:
    """The row of a contact read with its customer and who logged it (joined: no more queries)."""
    customer: Customer = interaction.customer
    by: User = interaction.by
    return InteractionRow(
        id=interaction.id,
        at=interaction.at,
        customer_id=customer.id,
        customer=customer.name,
        channel=interaction.channel,
        outcome=interaction.outcome,
        by=by.login,
        by_name=by.label,
        summary=interaction.summary,
        next_step=interaction.next_step,
    )
