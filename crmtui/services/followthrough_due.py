"""The due list's sections of following work through: the manager's instructions not yet
reported done, deliveries due and payments overdue (services.due's lines). Kept apart from the
services that write them, so that `crmtui due` loads only what reading needs."""

from __future__ import annotations

from datetime import timedelta

from peewee import JOIN

from crmtui.db import Customer, Instruction, Order, User
from crmtui.db.models import OWING, PENDING_DELIVERY
from crmtui.i18n import _
from crmtui.labels import label
from crmtui.present.numbers import money
from crmtui.present.time import days_span
from crmtui.rules.due import overdue_days
from crmtui.rules.followthrough import DeliveryState, payment_due

_By = User.alias("giver")


def instruction_query(section, *columns):
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


def instruction_lines(section) -> list:
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
    lines = []
    for row in query.tuples():
        instruction_id, text, due, by_login, by_name = row[5:]
        detail = text
        if by_login:
            detail += " · " + _("from {who}").format(who=by_name or by_login)
        late = overdue_days(due, section.day)
        if late:
            detail += " · " + _("late by {span}").format(span=days_span(late))
        lines.append((*row[:5], due, detail, instruction_id, False))
    return lines


def delivery_query(section, *columns):
    """Orders to deliver by the day shown, read from the index of orders still to deliver."""
    return section.scoped_rows(
        Order.select(*columns)
        .join(Customer, on=Order.customer)
        .where(PENDING_DELIVERY & (Order.deliver_on <= section.day)),
        Order,
        by_date=True,
    )


def delivery_lines(section) -> list:
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
    lines = []
    for row in query.tuples():
        order_id, due, product, amount, state = row[5:]
        detail = _("deliver order #{id}").format(id=order_id)
        if product:
            detail += " · " + product
        detail += " · " + money(amount)
        if state == DeliveryState.PARTLY_DELIVERED.value:
            detail += " · " + label("delivery", state)
        late = overdue_days(due, section.day)
        if late:
            detail += " · " + _("late by {span}").format(span=days_span(late))
        lines.append((*row[:5], due, detail, order_id, False))
    return lines


def payment_query(section, *columns):
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


def payment_lines(section) -> list:
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
    overdue_words = _("overdue {span}")
    lines = []
    for row in query.tuples():
        order_id, owed_since, owed, ordered_on = row[5:]
        due = payment_due(owed_since, terms)
        detail = owed_words.format(owed=money(owed), id=order_id, day=ordered_on.isoformat())
        detail += " · " + overdue_words.format(span=days_span(overdue_days(due, section.day)))
        lines.append((*row[:5], due, detail, order_id, False))
    return lines
