"""Removing a record, with what follows from it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crmtui.db import (
    Commitment,
    Interaction,
    Order,
    Survey,
    Win,
)
from crmtui.i18n import _
from crmtui.labels import label
from crmtui.services.audit import audit
from crmtui.services.context import Context, writes
from crmtui.services.corrections.derived import (
    close_moment,
    follow_contacts,
    follow_orders,
    latest_contact,
    latest_win,
    refresh_survey_referral,
    reopen_opportunity,
    settle,
)
from crmtui.services.corrections.records import MODELS, editable_record, kind_of
from crmtui.services.customers import _save_versioned
from crmtui.services.journal import (
    journal,
    record_values,
)


@dataclass(frozen=True)
class Removed:
    """What `remove_record` removed, for the confirmation."""

    kind: str
    id: int
    customer_id: int
    customer: str

    def __str__(self) -> str:
        return _("{record} #{id} of {name} removed").format(
            record=label("record", self.kind).capitalize(), id=self.id, name=self.customer
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "record": self.kind,
            "id": self.id,
            "customer_id": self.customer_id,
            "removed": True,
        }


@writes
def remove_record(
    ctx: Context,
    kind: Any,
    number: Any,
    *,
    expected_version: int | None = None,
    expected: Mapping[str, Any] | None = None,
) -> Removed:
    """Remove an interaction, promise, order, care date or survey (kept in the history, so
    it can be undone); what followed from it follows again."""
    kind = kind_of(kind)
    row, customer = editable_record(
        ctx, kind, number, expected_version=expected_version, expected=expected
    )
    with journal(ctx, "delete", customer, entity=kind, entity_id=row.id) as kept:
        if kind == "interaction":
            latest_before = latest_contact(customer.id)
            for promise in Commitment.select().where(Commitment.interaction == row.id):
                was = record_values("promise", promise)
                promise.interaction = None
                promise.save()
                kept.updated("promise", promise, was)
            kept.deleted(kind, row)
            Interaction.delete().where(Interaction.id == row.id).execute()
            follow_contacts(
                ctx,
                customer,
                latest_before,
                moments=(row.at,),
                referrals=row.outcome == "positive" or row.referral_ask,
            )
            settle(ctx, customer)
            customer.save()
        elif kind == "order":
            win = Win.get_or_none(Win.order == row.id)
            latest = latest_win(customer.id)
            moments: tuple[datetime, ...] = ()
            if win is not None:  # kept in the order it goes, so undo restores the order first
                moments = (close_moment(ctx, win),)  # the next win's opportunity grows
                kept.deleted("win", win)
                Win.delete().where(Win.id == win.id).execute()
                if latest is not None and latest.id == win.id:
                    reopen_opportunity(ctx, customer, row, win)
            kept.deleted(kind, row)
            Order.delete().where(Order.id == row.id).execute()
            follow_orders(ctx, customer, moments=moments)
            settle(ctx, customer)
            _save_versioned(ctx, customer)
        elif kind == "survey":
            kept.deleted(kind, row)
            Survey.delete().where(Survey.id == row.id).execute()
            refresh_survey_referral(ctx, customer)
        else:
            kept.deleted(kind, row)
            MODELS[kind].delete().where(MODELS[kind].id == row.id).execute()
    audit(ctx, "delete", kind, row.id, f"{kind} #{row.id} of {customer.name} (#{customer.id})")
    return Removed(kind=kind, id=row.id, customer_id=customer.id, customer=customer.name)
