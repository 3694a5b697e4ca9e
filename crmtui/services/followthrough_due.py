"""The due list's sections of following work through: the manager's instructions not yet
reported done, deliveries due and payments overdue (services.due's lines). Kept apart from the
services that write them, so that `crmtui due` loads only what reading needs."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from peewee import JOIN, ColumnBase, ModelSelect

from crmtui.db import Customer, Instruction, Order, User
from crmtui.db.models import OWING, PENDING_DELIVERY
from crmtui.i18n import _
from crmtui.labels import label
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
    from_words = _("from {who}")
    lines: list[Line] = []
    for row in section.raw_rows(query, date_columns=(7,)):
        instruction_id, text, due, by_login, by_name = row[5:]
        detail = text
        if by_login:
            detail += " · " + from_words.format(who=by_name or by_login)
        lines.append((*row[:5], due, detail + late_by(section, due), instruction_id, False))
    return lines


def late_by(section: DueSection, due: date) -> str:
    """ " · late by 3d" after what was due by `due` and is not done on the section's day ("" when
    it is not late)."""
    late = (section.day - due).days
    if late <= 0:
        return ""
    return " · " + _("late by {span}").format(span=section.days(late))


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
    deliver_words = _("deliver order #{id}")
    partly = DeliveryState.PARTLY_DELIVERED.value
    lines: list[Line] = []
    for row in section.raw_rows(query, date_columns=(6,)):  # amounts as stored, in cents
        order_id, due, product, cents, state = row[5:]
        detail = deliver_words.format(id=order_id)
        if product:
            detail += " · " + product
        detail += " · " + money_cents(cents)
        if state == partly:
            detail += " · " + label("delivery", state)
        lines.append((*row[:5], due, detail + late_by(section, due), order_id, False))
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
    day, days = section.day, section.days
    lines: list[Line] = []
    for row in section.raw_rows(query, date_columns=(6, 8)):  # amounts as stored, in cents
        order_id, owed_since, cents, ordered_on = row[5:]
        due = payment_due(owed_since, terms)
        detail = owed_words.format(owed=money_cents(cents), id=order_id, day=ordered_on.isoformat())
        lines.append(
            (
                *row[:5],
                due,
                detail + overdue_words.format(span=days(max(0, (day - due).days))),
                order_id,
                False,
            )
        )
    return lines
