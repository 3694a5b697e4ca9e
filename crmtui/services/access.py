"""Who may see and change what (SPEC §6), enforced here for the TUI and the CLI alike.

rep: sees and changes their own customers. support: sees every customer read-only, handles
every complaint, and may log a contact with a customer who has an open complaint (a call about
the complaint is part of its history). manager: sees and changes everything, and may reassign.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from peewee import ModelSelect

from crmtui.db import Complaint, Customer
from crmtui.db.rows import by_id, tuple_rows
from crmtui.errors import Forbidden, NotFound
from crmtui.i18n import _
from crmtui.rules import OPEN_STATUSES, DueKind

if TYPE_CHECKING:  # the context imports this module
    from crmtui.rules import DueItem
    from crmtui.services.context import Context

Query = TypeVar("Query", bound="ModelSelect[Any]")

_OPEN = tuple(status.value for status in OPEN_STATUSES)

MAX_ID = 2**31 - 1
"""The largest id either backend stores (PostgreSQL's serial ids are 32-bit): a larger number
names no record, and is not sent to the database (SQLite cannot even take it as a parameter)."""


def record_id(value: object) -> int | None:
    """The id a user gave ("12", "#12" or 12), or None when it is no id: not ASCII digits, 0,
    or beyond any id stored."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip().removeprefix("#")
        if not (text.isascii() and text.isdigit()) or len(text) > 12:
            return None
        number = int(text)
    return number if 0 < number <= MAX_ID else None


def owner_filter(ctx: Context, *, everyone: bool = False) -> int | None:
    """The owner a list is limited to (the user's own), or None for everyone when allowed."""
    if ctx.role == "rep" or (not everyone and ctx.role == "manager"):
        user_id: int = ctx.user.id
        return user_id
    return None


def scope_customers(ctx: Context, query: Query, *, everyone: bool = False) -> Query:
    """Limit a Customer query to what the user's list shows: their own, or all when allowed."""
    owner = owner_filter(ctx, everyone=everyone)
    return query if owner is None else query.where(Customer.owner == owner)


def can_view(ctx: Context, customer: Customer) -> bool:
    return ctx.role in ("manager", "support") or bool(customer.owner_id == ctx.user.id)


def can_edit(ctx: Context, customer: Customer) -> bool:
    return ctx.role == "manager" or (ctx.role == "rep" and bool(customer.owner_id == ctx.user.id))


def with_open_complaints(customer_ids: Iterable[int | None]) -> set[int]:
    """Which of these customers have an open complaint (one query)."""
    ids = list({number for number in customer_ids if number is not None})
    if not ids:
        return set()
    query = (
        Complaint.select(Complaint.customer)
        .distinct()
        .where(Complaint.customer.in_(ids), Complaint.status.in_(_OPEN))
    )
    return {customer_id for (customer_id,) in tuple_rows(query, tuple[int])}


def can_log(ctx: Context, customer: Customer) -> bool:
    """Who may log a contact: whoever may change the customer, and support while the customer
    has an open complaint."""
    if can_edit(ctx, customer):
        return True
    return support_logs(ctx) and bool(with_open_complaints([customer.id]))


def support_logs(ctx: Context) -> bool:
    """Whether the user is support and may log contacts here. A PostgreSQL team database's
    grants do not let support write contacts yet, so there it is not offered."""
    return ctx.role == "support" and not getattr(ctx.store, "team", None)


def can_log_item(ctx: Context, item: DueItem) -> bool:
    """Whether a due item of the user's own list may be answered with a logged contact: a rep's
    and a manager's items are their customers'; support's are open complaints, whose customer
    support may log with (can_log)."""
    if ctx.role != "support":
        return True
    return support_logs(ctx) and item.kind is DueKind.COMPLAINT


def loggable_customers(ctx: Context, customer_ids: Iterable[int | None]) -> set[int]:
    """Of these visible customers, those the user may log a contact with (one query)."""
    ids = {number for number in customer_ids if number is not None}
    if ctx.role == "manager":
        return ids
    if ctx.role == "support":
        return with_open_complaints(ids) if support_logs(ctx) else set()
    owned = Customer.select(Customer.id).where(
        Customer.id.in_(list(ids)), Customer.owner == ctx.user.id
    )
    return {customer_id for (customer_id,) in tuple_rows(owned, tuple[int])} if ids else set()


def get_visible_customer(ctx: Context, customer_id: object) -> Customer:
    number = record_id(customer_id)
    customer = by_id(Customer, number) if number is not None else None
    if customer is None or not can_view(ctx, customer):
        raise NotFound(_("no customer with id {id}").format(id=customer_id))
    return customer


def get_editable_customer(ctx: Context, customer_id: object) -> Customer:
    customer = get_visible_customer(ctx, customer_id)
    if not can_edit(ctx, customer):
        if ctx.role == "support":
            raise Forbidden(_("support can read profiles but not change them"))
        raise Forbidden(_("{name} belongs to another rep").format(name=customer.name))
    return customer


def get_loggable_customer(ctx: Context, customer_id: object) -> Customer:
    """The customer a contact is logged with, if the user may (see can_log)."""
    customer = get_visible_customer(ctx, customer_id)
    if not can_log(ctx, customer):
        if support_logs(ctx):
            raise Forbidden(
                _("support may log a contact only with a customer who has an open complaint")
            )
        if ctx.role == "support":
            raise Forbidden(_("support can read profiles but not change them"))
        raise Forbidden(_("{name} belongs to another rep").format(name=customer.name))
    return customer


def require_manager(ctx: Context, action: str) -> None:
    if ctx.role != "manager":
        raise Forbidden(_("only a manager can {action}").format(action=action))
