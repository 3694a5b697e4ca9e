"""The due list's sections of following work through: the manager's instructions not yet
reported done, deliveries due and payments overdue (services.due's lines). Kept apart from the
services that write them, so that `crmtui due` loads only what reading needs."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from peewee import JOIN, ColumnBase, ModelSelect

from crmtui.db import Customer, Instruction, Order, User
from crmtui.db.models import OWING, PENDING_DELIVERY
from crmtui.i18n import _
from crmtui.labels import label
from crmtui.present import Memo
from crmtui.present.numbers import money_cents
from crmtui.rules.followthrough import DeliveryState, payment_due

if TYPE_CHECKING:
    from crmtui.services.due_sections import DueSection, Line

_By = User.alias("giver")


def instruction_query(section: DueSection, *columns: ColumnBase) -> ModelSelect[Instruction]:
    """The instructions not yet reported done to the user (or to everyone a manager sees),
    whatever their day, read from the (to, done_on, due) index."""
    query = (
        Instruction.select(*columns)
        .join(Customer, on=Instruction.customer)
        .switch(Instruction)
        .join(_By, JOIN.LEFT_OUTER, on=Instruction.by)
        .where(Instruction.done_on.is_null())
    )
    if section.owner_id is not None:
        query = query.where(Instruction.to == section.owner_id)
    return query


def instruction_lines(section: DueSection) -> list[Line]:
    """Today's section, as services.due lines: the customer's columns, then (due, detail,
    instruction id, at risk)."""
    query = instruction_query(
        section,
        Customer.id,
        Customer.name,
        Customer.company,
        Customer.grade,
        Customer.owner,
        Instruction.id,
        Instruction.text,
        Instruction.due,
        _By.login,
        _By.display_name,
    )
    from_words, dates, late = _("from {who}"), section.dates, late_by(section)
    lines: list[Line] = []
    for (
        cid,
        name,
        company,
        grade,
        owner,
        instruction_id,
        text,
        due,
        by_login,
        by_name,
    ) in section.raw_rows(query):
        if by_login:
            text += " · " + from_words.format(who=by_name or by_login)
        due = dates[due]
        lines.append(
            (cid, name, company, grade, owner, due, text + late[due], instruction_id, False)
        )
    return lines


def late_by(section: DueSection) -> Memo[date, str]:
    """ " · late by 3d" after what was due by a day and is not done on the section's day ("" when
    it is not late), by the day it was due."""
    day, days, words = section.day, section.days, _("late by {span}")
    return Memo(lambda due: " · " + words.format(span=days[(day - due).days]) if due < day else "")


def delivery_query(section: DueSection, *columns: ColumnBase) -> ModelSelect[Order]:
    """Orders to deliver by the day shown, read from the index of orders still to deliver."""
    return section.scoped_rows(
        Order.select(*columns)
        .join(Customer, on=Order.customer)
        .where(PENDING_DELIVERY & (Order.deliver_on <= section.day)),
        Order,
        by_date=True,
    )


def delivery_lines(section: DueSection) -> list[Line]:
    """Today's deliveries due (late ones say how late), as services.due lines."""
    query = delivery_query(
        section,
        Customer.id,
        Customer.name,
        Customer.company,
        Customer.grade,
        Customer.owner,
        Order.id,
        Order.deliver_on,
        Order.product,
        Order.amount,
        Order.delivery,
    )
    deliver_words, dates, late = _("deliver order #{id}"), section.dates, late_by(section)
    partly = DeliveryState.PARTLY_DELIVERED.value
    partly_words = " · " + label("delivery", partly)
    lines: list[Line] = []
    # amounts as stored, in cents
    for cid, name, company, grade, owner, order_id, due, product, cents, state in section.raw_rows(
        query
    ):
        detail = deliver_words.format(id=order_id)
        if product:
            detail += " · " + product
        detail += " · " + money_cents(cents)
        if state == partly:
            detail += partly_words
        due = dates[due]
        lines.append((cid, name, company, grade, owner, due, detail + late[due], order_id, False))
    return lines


def payment_query(section: DueSection, *columns: ColumnBase) -> ModelSelect[Order]:
    """Orders whose payment is overdue on the day shown, read from the index of orders still
    owed."""
    terms = section.ctx.config.receivables.terms_days
    return section.scoped_rows(
        Order.select(*columns)
        .join(Customer, on=Order.customer)
        .where(OWING & (Order.owed_since < section.day - timedelta(days=terms))),
        Order,
        by_date=True,
    )


def payment_lines(section: DueSection) -> list[Line]:
    """Today's overdue payments, as services.due lines."""
    terms = section.ctx.config.receivables.terms_days
    query = payment_query(
        section,
        Customer.id,
        Customer.name,
        Customer.company,
        Customer.grade,
        Customer.owner,
        Order.id,
        Order.owed_since,
        Order.owed,
        Order.on,
    )
    owed_words = _("{owed} owed on order #{id} of {day}")
    overdue_words = " · " + _("overdue {span}")
    day, dates, days = section.day, section.dates, section.days
    due_of: Memo[Any, date] = Memo(lambda owed_since: payment_due(dates[owed_since], terms))
    overdue: Memo[date, str] = Memo(
        lambda due: overdue_words.format(span=days[max(0, (day - due).days)])
    )
    iso: Memo[Any, str] = Memo(lambda ordered_on: dates[ordered_on].isoformat())
    lines: list[Line] = []
    # amounts as stored, in cents
    for (
        cid,
        name,
        company,
        grade,
        owner,
        order_id,
        owed_since,
        cents,
        ordered_on,
    ) in section.raw_rows(query):
        due = due_of[owed_since]
        detail = owed_words.format(owed=money_cents(cents), id=order_id, day=iso[ordered_on])
        lines.append(
            (cid, name, company, grade, owner, due, detail + overdue[due], order_id, False)
        )
    return lines
