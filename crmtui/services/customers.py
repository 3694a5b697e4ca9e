"""The customer archive: create, edit, regrade, pin, reassign, snooze, find.

Every write keeps the stored derived columns consistent with the rules in the same transaction:
grade (unless pinned) and its history, next_due and cadence_due, the search document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from peewee import Value, fn

from crmtui.db import (
    Complaint,
    Customer,
    CustomerChange,
    GradeChange,
    Instruction,
    Interaction,
    Order,
    User,
)
from crmtui.db.migrations import TERMINATED_BY_STATUS
from crmtui.db.search import matching_customer_ids
from crmtui.errors import Conflict, CrmError, Forbidden, InvalidInput, NotFound
from crmtui.i18n import _
from crmtui.present.time import moment
from crmtui.rules import (
    Lifecycle,
    Need,
    grade_for,
    grade_reason,
)
from crmtui.search import fts_query, name_matches, query_terms
from crmtui.services.access import (
    can_view,
    get_editable_customer,
    get_visible_customer,
    owner_filter,
    require_manager,
    scope_customers,
)
from crmtui.services.audit import audit
from crmtui.services.context import Context, writes
from crmtui.services.customer_columns import (
    SEARCH_FIELDS,
    apply_grade,
    record_grade,
    refresh_search,
    reschedule,
)
from crmtui.services.journal import journal
from crmtui.services.owners import get_owner, owner_login
from crmtui.services.validation import (
    CUSTOMER_FIELDS,
    FieldError,
    clean_date,
    clean_fields,
    clean_text,
    grade_value,
)
from crmtui.views.customers import CustomerRow, EditableCustomer, SavedCustomer
from crmtui.views.profile import Person

PIN_REASON_LIMIT = 500


# Optional choices are stored as "" rather than NULL.
_EMPTY_AS_BLANK = ("source",)


@writes
def add_customer(
    ctx: Context,
    values: Mapping[str, Any],
    *,
    owner: str | None = None,
    referred_by: int | None = None,
) -> SavedCustomer:
    """Create a customer from raw field values (text as typed, or typed values)."""
    values = dict(values)
    values.setdefault("need", Need.POTENTIAL.value)
    cleaned = clean_fields(values, ctx.today())
    if not cleaned.get("name"):
        raise InvalidInput.one("name", _("required"))
    owner_user = _owner_for_new(ctx, owner)
    now, today = ctx.now(), ctx.today()
    for name in _EMPTY_AS_BLANK:
        if name in cleaned and cleaned[name] is None:
            cleaned[name] = ""
    customer = Customer(
        owner=owner_user,
        created_at=now,
        created_on=today,
        updated_at=now,
        updated_by=ctx.user.id,
        **cleaned,
    )
    if referred_by is not None:
        customer.referred_by = get_visible_customer(ctx, referred_by)
        if not customer.source:
            customer.source = "referral"
    customer.grade = grade_for(Need(customer.need), customer.expected_close, today).value
    terminated = customer.status == "terminated"  # an archive of old customers being entered
    if terminated:
        customer.lifecycle = Lifecycle.TERMINATED.value
        customer.lifecycle_reason = TERMINATED_BY_STATUS
    reschedule(ctx, customer)
    refresh_search(customer)
    customer.save(force_insert=True)
    if terminated:
        CustomerChange.create(
            customer=customer,
            at=now,
            on=today,
            what="lifecycle",
            from_value="",
            to_value=customer.lifecycle,
            reason=TERMINATED_BY_STATUS,
            by=ctx.user.id,
        )
    why = grade_reason(Need(customer.need), customer.expected_close, today)
    GradeChange.create(
        customer=customer,
        at=now,
        on=today,
        from_grade=None,
        to_grade=customer.grade,
        by=ctx.user.id,
        reason=f"new customer: {why}",
    )  # stored in English (labels.STORED)
    return saved_customer(customer)


def _owner_for_new(ctx: Context, login: str | None) -> User:
    if ctx.role == "support":
        raise Forbidden(_("support can read profiles but not add customers"))
    if not login or login == ctx.user.login:
        return ctx.user
    require_manager(ctx, _("assign customers to another rep"))
    return get_owner(owner_login(login))


@writes
def update_customer(
    ctx: Context,
    customer_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    owner: str | None = None,
) -> SavedCustomer:
    """Save edited fields. With expected_version, refuse if someone saved since it was read.
    With `owner` (a login; managers), the customer is reassigned in the same transaction."""
    customer = get_editable_customer(ctx, customer_id)
    _check_version(ctx, customer, expected_version)
    cleaned = clean_fields(changes, ctx.today())
    for name in _EMPTY_AS_BLANK:
        if name in cleaned and cleaned[name] is None:
            cleaned[name] = ""
    changed = {k: v for k, v in cleaned.items() if getattr(customer, k) != v}
    target = owner_login(owner) if owner not in (None, "") else None
    if target is not None and target == customer.owner.login:
        target = None  # theirs already
    if target is not None:
        require_manager(ctx, _("reassign customers"))
        get_owner(target)  # refused before anything is saved
    if changed:
        _save_fields(ctx, customer, changed)
    if target is not None:
        customer = _reassign(ctx, customer.id, target)
    return saved_customer(customer)


def _save_fields(ctx: Context, customer: Customer, changed: dict[str, Any]) -> None:
    if "terminated" in (changed.get("status"), customer.status) and "status" in changed:
        raise InvalidInput.one(
            "status",
            _(
                "terminating a customer, or ending a termination, needs a reason: use the "
                "profile's lifecycle key or `crmtui status NAME terminated --reason …`"
            ),
        )
    with journal(ctx, "edit", customer):
        for name, value in changed.items():
            setattr(customer, name, value)
        if {"need", "expected_close"} & changed.keys():
            apply_grade(ctx, customer, by=ctx.user)
        if {"need", "expected_close", "cadence"} & changed.keys():
            reschedule(ctx, customer)
        if set(SEARCH_FIELDS) & changed.keys():
            refresh_search(customer)
        _save_versioned(ctx, customer)


def _check_version(ctx: Context, customer: Customer, expected_version: int | None) -> None:
    if expected_version is not None and customer.version != expected_version:
        raise _conflict(ctx, customer)


def _conflict(ctx: Context, customer: Customer) -> Conflict:
    who = customer.updated_by.label if customer.updated_by is not None else _("someone")
    when = moment(customer.updated_at, ctx.zone) if customer.updated_at else "?"
    return Conflict(
        _(
            "{name} was changed by {who} at {when} after you opened it; reload, then apply "
            "your edit again"
        ).format(name=customer.name, who=who, when=when),
        changed_by=who,
        changed_at=customer.updated_at,
    )


def _save_versioned(ctx: Context, customer: Customer) -> None:
    """Write the row only if its version is still the one read; bump it."""
    read_version = customer.version
    customer.version = read_version + 1
    customer.updated_at = ctx.now()
    customer.updated_by = ctx.user
    data = {
        field: getattr(customer, field.name)
        for field in Customer._meta.sorted_fields
        if field.name != "id"
    }
    updated = (
        Customer.update(data)
        .where((Customer.id == customer.id) & (Customer.version == read_version))
        .execute()
    )
    if updated != 1:
        customer.version = read_version
        raise _conflict(ctx, Customer.get_by_id(customer.id))


@writes
def regrade(
    ctx: Context,
    customer_id: int,
    *,
    need: str | None = None,
    expected_close: Any = None,
    clear_close: bool = False,
    pin: str | None = None,
    unpin: bool = False,
    reason: str = "",
    expected_version: int | None = None,
) -> SavedCustomer:
    """Change need and expected close (the grade follows), or pin a manual grade with a reason."""
    customer = get_editable_customer(ctx, customer_id)
    _check_version(ctx, customer, expected_version)
    today = ctx.today()
    errors: dict[str, str] = {}
    if need is not None:
        try:
            customer.need = Need(str(need).strip().lower()).value
        except ValueError:
            errors["need"] = _("'{text}' is not one of clear, potential, none").format(text=need)
    if clear_close:
        customer.expected_close = None
    elif expected_close not in (None, ""):
        try:
            customer.expected_close = clean_date(expected_close, today)
        except ValueError as error:
            errors["expected_close"] = str(error)
    pinned_grade = None
    try:
        reason = clean_text(reason, limit=PIN_REASON_LIMIT)
    except FieldError as error:
        errors["reason"] = str(error)
        reason = ""
    if pin:
        try:
            pinned_grade = grade_value(pin)
        except InvalidInput as error:
            errors.update(error.errors)
        if not reason and "reason" not in errors:
            errors["reason"] = _("a pinned grade needs a reason")
    if errors:
        raise InvalidInput(errors)
    with journal(ctx, "pin" if pinned_grade is not None or unpin else "regrade", customer):
        if pinned_grade is not None:
            customer.grade_pinned = True
            customer.pin_reason = reason
            record_grade(
                ctx,
                customer,
                pinned_grade,
                f"pinned: {reason}",  # labels.STORED
                by=ctx.user,
            )
        else:
            if unpin:
                customer.grade_pinned = False
                customer.pin_reason = ""
            apply_grade(
                ctx,
                customer,
                by=ctx.user,
                reason=(reason + ": " if reason else "")
                + grade_reason(Need(customer.need), customer.expected_close, today),
            )
        reschedule(ctx, customer)
        _save_versioned(ctx, customer)
    return saved_customer(customer)


@writes
def reassign(ctx: Context, customer_id: int, login: str) -> SavedCustomer:
    """Give the customer to another owner (managers): audited and kept in the history. The
    owner is named by login or by display name (one that names one person)."""
    return saved_customer(_reassign(ctx, customer_id, login))


def _reassign(ctx: Context, customer_id: int, login: str) -> Customer:
    require_manager(ctx, _("reassign customers"))
    customer = get_visible_customer(ctx, customer_id)
    new_owner = get_owner(owner_login(login))
    if customer.owner_id == new_owner.id:
        return customer
    old = customer.owner.login
    with journal(ctx, "reassign", customer):
        customer.owner = new_owner
        _save_versioned(ctx, customer)
    audit(ctx, "reassign", "customer", customer.id, f"{old} -> {new_owner.login}")

    # open instructions go to whoever now looks after the customer
    Instruction.update(to=new_owner.id).where(
        (Instruction.customer == customer.id) & Instruction.done_on.is_null()
    ).execute()
    return customer


@dataclass(frozen=True)
class Deleted:
    """What a deletion removed, for the confirmation and the audit log."""

    customer_id: int
    name: str
    interactions: int
    orders: int
    complaints: int

    def __str__(self) -> str:
        return _("{name} (#{id}) with {i} interactions, {o} orders and {c} complaints").format(
            name=self.name,
            id=self.customer_id,
            i=self.interactions,
            o=self.orders,
            c=self.complaints,
        )


def deletion_preview(ctx: Context, customer_id: int) -> Deleted:
    """What deleting the customer would remove (nothing is changed)."""
    customer = get_editable_customer(ctx, customer_id)
    return Deleted(
        customer_id=customer.id,
        name=customer.name,
        interactions=Interaction.select().where(Interaction.customer == customer.id).count(),
        orders=Order.select().where(Order.customer == customer.id).count(),
        complaints=Complaint.select().where(Complaint.customer == customer.id).count(),
    )


@writes
def delete_customer(
    ctx: Context, customer_id: int, *, expected_version: int | None = None
) -> Deleted:
    """Delete a customer and its history (interactions, orders, promises, complaints…),
    recording the deletion in the audit log. Managers may delete any customer, reps their own."""
    customer = get_editable_customer(ctx, customer_id)
    _check_version(ctx, customer, expected_version)
    removed = deletion_preview(ctx, customer_id)
    Customer.delete().where(Customer.id == customer.id).execute()
    audit(
        ctx,
        "delete",
        "customer",
        customer.id,
        f"{removed.name} (#{removed.customer_id}) with {removed.interactions} interactions, "
        f"{removed.orders} orders and {removed.complaints} complaints; "
        f"owner {customer.owner.login}",
    )
    return removed


@writes
def snooze(ctx: Context, customer_id: int, until: Any) -> SavedCustomer:
    """Move the customer's next follow-up to a later day without logging a contact."""
    customer = get_editable_customer(ctx, customer_id)
    today = ctx.today()
    try:
        day = clean_date(until, today)
    except ValueError as error:
        raise InvalidInput.one("until", str(error)) from None
    if day is None:
        raise InvalidInput.one("until", _("required"))
    if day <= today:
        raise InvalidInput.one("until", _("snooze to a day after today"))
    with journal(ctx, "snooze", customer):
        customer.next_step_on = day
        reschedule(ctx, customer)
        Customer.update(
            next_step_on=customer.next_step_on,
            next_due=customer.next_due,
            cadence_due=customer.cadence_due,
            due_rule=customer.due_rule,
        ).where(Customer.id == customer.id).execute()
    return saved_customer(customer)


def editable_customer(ctx: Context, customer_id: int) -> EditableCustomer:
    """A customer the user may change, as the edit form reads it."""
    customer = get_editable_customer(ctx, customer_id)
    owner = User.get_by_id(customer.owner_id)
    return EditableCustomer(
        id=customer.id,
        name=customer.name,
        version=customer.version,
        owner=owner.login,
        stored={name: getattr(customer, name) for name in CUSTOMER_FIELDS},
    )


def get_customer(ctx: Context, customer_id: int) -> Customer:
    return get_visible_customer(ctx, customer_id)


def search_ids(ctx: Context, text: str, *, limit: int = 50, everyone: bool = True) -> list[int]:
    """Ids of visible customers matching typed text (name, company, phone, e-mail, pinyin)."""
    return matching_customer_ids(
        query_terms(text),
        fts_query(text) or "",
        owner_id=owner_filter(ctx, everyone=everyone),
        limit=limit,
    )


def saved_customer(customer: Customer) -> SavedCustomer:
    """The customer as a write left them, with their owner (read unless already loaded)."""
    owner: User = customer.owner
    return SavedCustomer(
        id=customer.id,
        name=customer.name,
        grade=customer.grade,
        grade_pinned=customer.grade_pinned,
        next_due=customer.next_due,
        status=customer.status,
        lifecycle=customer.lifecycle,
        lifecycle_reason=customer.lifecycle_reason,
        value_class=customer.value_class,
        class_pinned=customer.class_pinned,
        class_reason=customer.class_reason,
        owner=Person(login=owner.login, display_name=owner.display_name),
        version=customer.version,
    )


def customer_row(customer: Customer) -> CustomerRow:
    """The row of a customer read with its owner (joined, so reading the owner asks nothing)."""
    owner: User = customer.owner
    return CustomerRow(
        id=customer.id,
        name=customer.name,
        company=customer.company,
        grade=customer.grade,
        grade_pinned=customer.grade_pinned,
        status=customer.status,
        next_due=customer.next_due,
        last_contact_on=customer.last_contact_on,
        phones=tuple(customer.phone_list),
        email=customer.email,
        tags=customer.tags,
        owner=owner.login,
        owner_name=owner.label,
        version=customer.version,
        chased=customer.lifecycle != Lifecycle.TERMINATED.value,
    )


def find_customers(ctx: Context, text: str, *, limit: int = 50) -> list[CustomerRow]:
    """Customers matching typed text: those whose own name matches first (zs finds 张三 before
    a company in 郑州), then by name. A few times `limit` are read so that ranking has choice."""
    ids = search_ids(ctx, text, limit=limit * 4)
    if not ids:
        return []
    terms = query_terms(text)
    rows = Customer.select(Customer, User).join(User, on=Customer.owner).where(Customer.id.in_(ids))
    ranked = sorted(
        rows, key=lambda c: (not name_matches(c.search_doc, terms), c.sort_name, c.name, c.id)
    )
    return [customer_row(customer) for customer in ranked[:limit]]


def resolve_customer(ctx: Context, reference: Any) -> Customer:
    """A customer from an id, an exact name, or a search that finds exactly one."""
    text = str(reference).strip()
    if not text:
        raise NotFound(_("no customer given"))
    if text.removeprefix("#").isdigit():  # an id (one too large or not ASCII names no one)
        return get_visible_customer(ctx, text)
    exact = [
        c
        for c in Customer.select().where(fn.lower(Customer.name) == text.lower())
        if can_view(ctx, c)
    ]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        matches: list[Customer] | list[CustomerRow] = exact
    else:
        matches = find_customers(ctx, text, limit=6)
    if len(matches) == 1:
        return get_visible_customer(ctx, matches[0].id)
    if not matches:
        raise NotFound(_("no customer matches '{text}'").format(text=text))
    listed = ", ".join(f"{c.name} (#{c.id})" for c in matches[:5])
    raise CrmError(
        _("'{text}' matches several customers: {listed}; use the id").format(
            text=text, listed=listed
        )
    )


@dataclass(frozen=True, slots=True)
class CustomerPage:
    rows: list[CustomerRow]
    total: int


CUSTOMER_SORTS = {
    "name": (Customer.sort_name, Customer.name, Customer.id),
    "company": (Customer.company, Customer.sort_name),
    "grade": (Customer.grade, Customer.next_due),
    "next_due": (Customer.next_due, Customer.grade),
    "revenue": (Customer.revenue.desc(), Customer.id),
    "last_contact": (Customer.last_contact_at.desc(nulls="LAST"), Customer.id),
    "created": (Customer.created_at.desc(), Customer.id),
}


def list_customers(
    ctx: Context,
    *,
    text: str = "",
    grade: str | None = None,
    owner: str | None = None,
    status: str | None = None,
    tag: str | None = None,
    source: str | None = None,
    sort: str = "name",
    offset: int = 0,
    limit: int = 100,
    everyone: bool = True,
) -> CustomerPage:
    """One page of the customers the user may see, filtered and sorted in SQL."""
    query = Customer.select(Customer, User).join(User, on=Customer.owner)
    query = scope_customers(ctx, query, everyone=everyone)
    if text.strip():
        ids = search_ids(ctx, text, limit=5000, everyone=everyone)
        query = query.where(Customer.id.in_(ids))
    if grade:
        query = query.where(Customer.grade.in_([g.strip().upper() for g in grade.split(",")]))
    if owner:  # a login or a display name
        typed = owner.strip().lower()
        query = query.where(
            (fn.LOWER(User.login) == typed) | (fn.LOWER(User.display_name) == typed)
        )
    if status:  # a lifecycle (which supersedes the status), or a relationship status as typed
        column = (
            Customer.lifecycle if status in {life.value for life in Lifecycle} else Customer.status
        )
        query = query.where(column == status)
    if source:
        query = query.where(Customer.source == source)
    if tag:
        tags = Value(",").concat(Customer.tags).concat(",")
        query = query.where(tags.contains(f",{tag.lower()},"))
    total = query.count()
    order = CUSTOMER_SORTS.get(sort, CUSTOMER_SORTS["name"])
    rows = [customer_row(c) for c in query.order_by(*order).offset(offset).limit(limit)]
    return CustomerPage(rows=rows, total=total)
