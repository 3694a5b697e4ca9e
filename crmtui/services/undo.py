"""Undo reverses the user's latest change from where they work (the app's `u`, or `crmtui undo`
for the command line): what the change created is removed, what it removed comes back, and
fields it changed get their values from before; the figures derived from the records are then
recomputed (services.corrections). It is refused, with who and when, when someone changed a
record since: the records the change touched must be as the change left them. The customer's
own fields follow two rules. When the change was to the customer alone (an edit, a regrade, a
snooze, a status), each field must still hold what the change wrote. When the change was to a
record (a contact logged, an order), the fields it moved on the customer as a consequence (the
next step, the need a sale closed, the referral dates) are put back only where no later change
moved them again. An undo is itself a change in the history (services.history), and is not
undone by undo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crmtui.db import (
    ChangeSet,
    Customer,
    FieldChange,
    Interaction,
    SurveyScore,
    User,
    Win,
)
from crmtui.errors import Conflict, CrmError
from crmtui.i18n import _
from crmtui.labels import label
from crmtui.present.time import moment
from crmtui.rules import Grade
from crmtui.services.access import (
    get_editable_customer,
    get_visible_customer,
    require_manager,
)
from crmtui.services.audit import audit
from crmtui.services.context import Context, writes
from crmtui.services.corrections.derived import (
    close_moment,
    follow_contacts,
    follow_orders,
    latest_contact,
    refresh_referrals,
    refresh_survey_referral,
    settle,
)
from crmtui.services.customer_columns import record_grade, refresh_search
from crmtui.services.customers import _save_versioned
from crmtui.services.history import Damaged, FieldMove
from crmtui.services.journal import (
    ENTITIES,
    SCORES,
    Journal,
    column_of,
    current_values,
    decode,
    journal,
    last_change_of,
    load,
    record_values,
)
from crmtui.services.lifecycle import (
    LIFECYCLE,
    VALUE_CLASS,
    record_change,
    refresh_lifecycle,
    refresh_value_class,
)
from crmtui.services.owners import get_owner

RECOUNTED = {("win", "followups")}
"""Values the services count again when other records change: not a change by anyone."""
UNDONE = "undone"  # the reason of a grade, lifecycle or class change undo made (stored English)


SET_BY_HAND = {"grade": "pin", "lifecycle": "status", "value_class": "class"}
"""Customer fields the services derive unless set by hand, and the change that sets each by
hand: undo puts one back only when undoing that change (and nothing moved it since); otherwise
it is derived again."""


@dataclass(frozen=True)
class UndoPlan:
    """The change undo would reverse (or did)."""

    change_id: int
    action: str
    customer_id: int
    customer: str
    at: datetime
    entity: str
    entity_id: int | None
    moves: tuple[FieldMove, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "change_id": self.change_id,
            "action": self.action,
            "customer_id": self.customer_id,
            "customer": self.customer,
            "at": self.at,
            "record": self.entity,
            "record_id": self.entity_id,
        }


def _latest_own(ctx: Context) -> ChangeSet | None:
    """The user's latest change from where they work that is not an undo and not undone."""
    undone = ChangeSet.select(ChangeSet.undoes).where(ChangeSet.undoes.is_null(False))
    latest: ChangeSet | None = (
        ChangeSet.select(ChangeSet, Customer.id, Customer.name)
        .join(Customer)
        .where(
            (ChangeSet.by == ctx.user.id)
            & (ChangeSet.origin == ctx.origin)
            & (ChangeSet.action != "undo")
            & ChangeSet.id.not_in(undone)
        )
        .order_by(ChangeSet.id.desc())
        .first()
    )
    return latest


def _nothing(ctx: Context) -> CrmError:
    if ctx.origin == "cli":
        return CrmError(
            _(
                "nothing to undo: you have changed nothing from the command line "
                "(or it was all undone)"
            )
        )
    return CrmError(
        _("nothing to undo: you have changed nothing in the app (or it was all undone)")
    )


def _plan(change: ChangeSet) -> UndoPlan:
    return UndoPlan(
        change_id=change.id,
        action=change.action,
        customer_id=change.customer_id,
        customer=change.customer.name,
        at=change.at,
        entity=change.entity,
        entity_id=change.entity_id,
    )


def undo_preview(ctx: Context) -> UndoPlan:
    """What `undo` would reverse now (nothing is changed)."""
    change = _latest_own(ctx)
    if change is None:
        raise _nothing(ctx)
    return _plan(change)


@writes
def undo(ctx: Context, change_id: int | None = None) -> UndoPlan:
    """Reverse the user's latest change (see the module notes); with `change_id`, only if that
    is still their latest (what they were shown)."""
    change = _latest_own(ctx)
    if change is None:
        raise _nothing(ctx)
    plan = _plan(change)
    if change_id is not None and change.id != change_id:
        raise CrmError(
            _(
                "your latest change is now another one ({action} for {name}); nothing was undone"
            ).format(action=label("action", change.action), name=plan.customer)
        )
    customer = _undo_customer(ctx, change)
    rows = list(
        FieldChange.select().where(FieldChange.change_set == change.id).order_by(FieldChange.id)
    )
    Reversal(ctx, change, customer, rows).run()
    return plan


def _undo_customer(ctx: Context, change: ChangeSet) -> Customer:
    if change.action == "reassign":
        require_manager(ctx, _("reassign customers"))
    if change.entity == "survey" and ctx.role == "support":  # a survey after a complaint
        return get_visible_customer(ctx, change.customer_id)
    return get_editable_customer(ctx, change.customer_id)


class Reversal:
    """Undoing one change set: check that nothing changed since, then reverse it."""

    def __init__(
        self, ctx: Context, change: ChangeSet, customer: Customer, rows: list[FieldChange]
    ) -> None:
        self.ctx, self.change, self.customer = ctx, change, customer
        self.records = [r for r in rows if r.entity != "customer"]
        self.fields = [r for r in rows if r.entity == "customer"]
        self.strict = not self.records
        for row in rows:
            if row.entity not in ENTITIES:
                raise Damaged(
                    _(
                        "the history of this change is damaged (it names '{what}'); "
                        "nothing was undone"
                    ).format(what=row.entity)
                )

    def _value(self, row: FieldChange, which: str) -> Any:
        try:
            return load(getattr(row, which))
        except ValueError:
            raise Damaged(_("the history of this change is damaged; nothing was undone")) from None

    # -- checking ------------------------------------------------------------------------------
    def _refuse(self, entity: str, number: int, *, gone: bool = False) -> Conflict:
        last = last_change_of(entity, number, after=self.change.id)
        what = label("record", entity)
        if last is None:
            text = (
                _("{record} #{id} is gone") if gone else _("{record} #{id} was changed since")
            ).format(record=what, id=number)
        else:
            text = (
                _("{record} #{id} was deleted by {who} at {when}")
                if gone
                else _("{record} #{id} was changed by {who} at {when} since")
            ).format(
                record=what,
                id=number,
                who=last.by or _("someone"),
                when=moment(last.at, self.ctx.zone),
            )
        return Conflict(
            _("cannot undo: {why}; nothing was undone").format(why=text),
            changed_by=last.by if last else "",
            changed_at=last.at if last else None,
        )

    def check(self) -> None:
        for row in self.records:
            old, new = self._value(row, "old"), self._value(row, "new")
            now = current_values(row.entity, row.entity_id)
            if row.field == "" and old is None:  # created: must be as created
                if now is None:
                    raise self._refuse(row.entity, row.entity_id, gone=True)
                if any(
                    now.get(key) != value
                    for key, value in new.items()
                    if (row.entity, key) not in RECOUNTED
                ):
                    raise self._refuse(row.entity, row.entity_id)
            elif row.field == "":  # removed: comes back (under a new id if its own is taken)
                continue
            else:
                if now is None:
                    raise self._refuse(row.entity, row.entity_id, gone=True)
                if now.get(row.field) != new:
                    raise self._refuse(row.entity, row.entity_id)
        if self.strict:
            now = record_values("customer", self.customer)
            for row in self.fields:
                if row.field not in SET_BY_HAND and now.get(row.field) != self._value(row, "new"):
                    raise self._refuse("customer", self.customer.id)

    # -- reversing -----------------------------------------------------------------------------
    def run(self) -> None:
        self.check()
        with journal(
            self.ctx,
            "undo",
            self.customer,
            entity=self.change.entity,
            entity_id=self.change.entity_id,
            undoes=self.change.id,
        ) as kept:
            latest_before = latest_contact(self.customer.id)
            updates: dict[tuple[str, int], dict[str, Any]] = {}
            for row in reversed(self.records):
                old = self._value(row, "old")
                if row.field == "" and old is None:
                    self._remove(kept, row)
                elif row.field == "":
                    self._restore(kept, row, old)
                else:
                    updates.setdefault((row.entity, row.entity_id), {})[row.field] = old
            for (entity, number), values in updates.items():
                self._put_back(kept, entity, number, values)
            self._customer_back()
            self._derive(latest_before)

    def _moments(self) -> list[datetime]:
        """When the contacts and the wins the change touched were (before and after it): the
        wins whose opportunity holds one of them count their follow-ups again."""
        at, on = column_of("interaction", "at"), column_of("win", "on")
        win_at = column_of("win", "at")
        found: list[datetime] = []
        for row in self.records:
            if row.entity not in ("interaction", "win"):
                continue
            values = [self._value(row, "old"), self._value(row, "new")]
            if row.field == "":
                for snapshot in (v for v in values if isinstance(v, dict)):
                    if row.entity == "interaction" and snapshot.get("at"):
                        found.append(decode(at, snapshot["at"]))
                    elif row.entity == "win" and snapshot.get("on") and snapshot.get("at"):
                        found.append(
                            close_moment(
                                self.ctx,
                                Win(
                                    on=decode(on, snapshot["on"]), at=decode(win_at, snapshot["at"])
                                ),
                            )
                        )
            elif row.entity == "interaction":
                record = Interaction.get_or_none(Interaction.id == row.entity_id)
                found += [decode(at, v) for v in values if row.field == "at" and v]
                found += [record.at] if record is not None else []
            elif row.entity == "win" and row.field == "on":
                win = Win.get_or_none(Win.id == row.entity_id)
                if win is not None:
                    found += [
                        close_moment(self.ctx, Win(on=decode(on, v), at=win.at))
                        for v in values
                        if v
                    ]
        return found

    # The records below are of the table a change names (journal.ENTITIES), known at run time
    # only: read as Any.

    def _remove(self, kept: Journal, row: FieldChange) -> None:
        model = ENTITIES[row.entity]
        record: Any = model.get_by_id(row.entity_id)
        kept.deleted(row.entity, record)
        model.delete().where(model._meta.primary_key == record.id).execute()

    def _restore(self, kept: Journal, row: FieldChange, values: dict[str, Any]) -> None:
        model = ENTITIES[row.entity]
        decoded = {
            key: decode(model._meta.fields[key], value)
            for key, value in values.items()
            if key in model._meta.fields
        }
        if not model.select().where(model._meta.primary_key == row.entity_id).exists():
            decoded["id"] = row.entity_id
        number = model.insert(**decoded).execute()
        record: Any = model.get_by_id(decoded.get("id", number))
        if row.entity == "survey" and values.get(SCORES):
            SurveyScore.insert_many(
                [(record.id, name, score) for name, score in values[SCORES].items()],
                fields=[SurveyScore.survey, SurveyScore.dimension, SurveyScore.score],
            ).execute()
        kept.created(row.entity, record)

    def _put_back(self, kept: Journal, entity: str, number: int, values: dict[str, Any]) -> None:
        model = ENTITIES[entity]
        record: Any = model.get_by_id(number)
        before = record_values(entity, record)
        for name, value in values.items():
            if name == SCORES:
                SurveyScore.delete().where(SurveyScore.survey == number).execute()
                for dimension, score in (value or {}).items():
                    SurveyScore.create(survey=number, dimension=dimension, score=score)
            else:
                setattr(record, name, decode(model._meta.fields[name], value))
        if "version" in model._meta.fields:
            record.version = (record.version or 1) + 1
        record.save()
        kept.updated(entity, record, before)

    def _customer_back(self) -> None:
        """The customer's fields from before the change (see the module notes)."""
        customer = self.customer
        if self.change.entity == "survey":
            return  # the referral moment is derived again from the surveys
        now = record_values("customer", customer)
        for row in self.fields:
            old, new = self._value(row, "old"), self._value(row, "new")
            if row.field in SET_BY_HAND and SET_BY_HAND[row.field] != self.change.action:
                continue  # derived again below
            if not (self.strict and row.field not in SET_BY_HAND) and now.get(row.field) != new:
                continue  # moved again since: the later change stands
            value = decode(column_of("customer", row.field), old)
            if row.field == "grade":
                record_grade(self.ctx, customer, Grade(value), UNDONE, by=self.ctx.user)
            elif row.field in (LIFECYCLE, VALUE_CLASS):
                record_change(
                    self.ctx,
                    customer.id,
                    row.field,
                    getattr(customer, row.field),
                    value,
                    UNDONE,
                    by=self.ctx.user.id,
                )
                setattr(customer, row.field, value)
            else:
                if row.field == "owner":
                    self._owner_back(value)
                setattr(customer, row.field, value)

    def _owner_back(self, owner_id: int) -> None:
        require_manager(self.ctx, _("reassign customers"))
        new = User.get_or_none(User.id == owner_id)
        if new is None:
            raise CrmError(_("the former owner is no longer a user; nothing was undone"))
        get_owner(new.login)
        audit(
            self.ctx,
            "reassign",
            "customer",
            self.customer.id,
            f"{self.customer.owner.login} -> {new.login} (undone)",
        )

    def _derive(self, latest_before: Interaction | None) -> None:
        ctx, customer = self.ctx, self.customer
        kinds = {row.entity for row in self.records}
        if self.change.entity == "survey":
            refresh_survey_referral(ctx, customer)
            return
        moments = self._moments()
        if "interaction" in kinds:
            follow_contacts(ctx, customer, latest_before, moments=moments)
        if kinds & {"order", "win"}:
            follow_orders(ctx, customer, moments=moments)
        elif "survey" in kinds:
            refresh_referrals(ctx, customer)
        else:
            refresh_lifecycle(ctx, customer, by=ctx.user.id, reason=UNDONE)
            refresh_value_class(ctx, customer)
        settle(ctx, customer)
        refresh_search(customer)
        _save_versioned(ctx, customer)


__all__ = ["UndoPlan", "undo_preview", "undo", "UNDONE"]
