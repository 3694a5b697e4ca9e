"""Who may see and change what (SPEC §6), enforced here for the TUI and the CLI alike.

rep: sees and changes their own customers. support: sees every customer read-only and handles
every complaint. manager: sees and changes everything, and may reassign.
"""

from __future__ import annotations

from crmtui.db import Customer
from crmtui.errors import Forbidden, NotFound
from crmtui.i18n import _

MAX_ID = 2**31 - 1
"""The largest id either backend stores (PostgreSQL's serial ids are 32-bit): a larger number
names no record, and is not sent to the database (SQLite cannot even take it as a parameter)."""


def record_id(value) -> int | None:
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


def owner_filter(ctx, *, everyone: bool = False) -> int | None:
    """The owner a list is limited to (the user's own), or None for everyone when allowed."""
    if ctx.role == "rep" or (not everyone and ctx.role == "manager"):
        return ctx.user.id
    return None


def scope_customers(ctx, query, *, everyone: bool = False):
    """Limit a Customer query to what the user's list shows: their own, or all when allowed."""
    owner = owner_filter(ctx, everyone=everyone)
    return query if owner is None else query.where(Customer.owner == owner)


def can_view(ctx, customer: Customer) -> bool:
    return ctx.role in ("manager", "support") or customer.owner_id == ctx.user.id


def can_edit(ctx, customer: Customer) -> bool:
    return ctx.role == "manager" or (ctx.role == "rep" and customer.owner_id == ctx.user.id)


def get_visible_customer(ctx, customer_id: int) -> Customer:
    number = record_id(customer_id)
    customer = Customer.get_or_none(Customer.id == number) if number is not None else None
    if customer is None or not can_view(ctx, customer):
        raise NotFound(_("no customer with id {id}").format(id=customer_id))
    return customer


def get_editable_customer(ctx, customer_id: int) -> Customer:
    customer = get_visible_customer(ctx, customer_id)
    if not can_edit(ctx, customer):
        if ctx.role == "support":
            raise Forbidden(_("support can read profiles but not change them"))
        raise Forbidden(_("{name} belongs to another rep").format(name=customer.name))
    return customer


def require_manager(ctx, action: str) -> None:
    if ctx.role != "manager":
        raise Forbidden(_("only a manager can {action}").format(action=action))
