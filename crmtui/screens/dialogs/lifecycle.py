"""The profile's dialogs after the sale: the value class by judgement (`v`) and the lifecycle
(`T`: terminate a customer, or make them active again), each with the reason kept in the
history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult

from crmtui.i18n import N_, _
from crmtui.labels import label, labelled
from crmtui.rules import Tier
from crmtui.screens.dialogs.form import FormDialog
from crmtui.services.lifecycle import ACTIVE, set_lifecycle, set_value_class
from crmtui.services.validation import FieldError, optional_text

CLASSES = tuple(tier.value for tier in Tier)


@dataclass(frozen=True)
class ClassFacts:
    """A customer's value class as the profile shows it."""

    customer_id: int
    name: str
    value_class: str
    pinned: bool
    reason: str
    lifecycle: str
    lifecycle_reason: str
    version: int


def clean_class(value: Any, today=None) -> str | None:
    """A class to pin, or None to let the figures decide."""
    if not value:
        return None
    if value not in CLASSES:
        raise FieldError(
            _("'{text}' is not a value class; use key, important, ordinary or none").format(
                text=value
            )
        )
    return value


class ValueClassDialog(FormDialog[Any]):
    """Pin a value class chosen by judgement (定性) with a reason, or go back to the figures."""

    TITLE_TEXT = N_("Value class")
    FIELDS = {"value_class": clean_class, "reason": optional_text(500)}

    def __init__(self, facts: ClassFacts) -> None:
        super().__init__()
        self.facts = facts

    def intro_text(self) -> Text:
        facts = self.facts
        text = Text(facts.name + " · " + _("now") + " " + label("tier", facts.value_class))
        if facts.pinned:
            text.append(" " + _("(pinned: {reason})").format(reason=facts.reason))
        else:
            text.append(" " + _("(by the figures)"))
        return text

    def compose_fields(self) -> ComposeResult:
        facts = self.facts
        yield self.select_row(
            "value_class",
            _("Class"),
            labelled("tier", CLASSES),
            facts.value_class if facts.pinned else None,
            blank=_("by the figures (80/20)"),
        )
        yield self.text_row(
            "reason",
            _("Reason"),
            facts.reason if facts.pinned else "",
            wide=True,
            placeholder=_("why (needed to pin)"),
        )

    def save(self, values: dict[str, Any]):
        facts = self.facts
        chosen = values["value_class"]
        if not chosen:  # the blank choice: back to the figures
            # the field still holding the pin's own reason is not a reason to unpin
            reason = values["reason"] if values["reason"] != facts.reason else ""
            return set_value_class(
                self.ctx,
                facts.customer_id,
                unpin=True,
                reason=reason,
                expected_version=facts.version,
            )
        return set_value_class(
            self.ctx,
            facts.customer_id,
            chosen,
            reason=values["reason"],
            expected_version=facts.version,
        )


class LifecycleDialog(FormDialog[Any]):
    """Terminate a customer (已终止合作), or make a terminated one active again; both ask why."""

    TITLE_TEXT = N_("Lifecycle")
    FIELDS = {"reason": optional_text(500)}

    def __init__(self, facts: ClassFacts) -> None:
        super().__init__()
        self.facts = facts

    @property
    def terminated(self) -> bool:
        return self.facts.lifecycle == "terminated"

    def intro_text(self) -> str:
        facts = self.facts
        if self.terminated:
            return _(
                "{name} is terminated ({reason}). Make them active again: their lifecycle "
                "follows their orders, and they are followed up again."
            ).format(name=facts.name, reason=facts.lifecycle_reason)
        return _(
            "Terminate {name} (已终止合作): they leave every chase list; their history, "
            "orders and complaints stay."
        ).format(name=facts.name)

    def save_label(self) -> str:
        return _("Make active") if self.terminated else _("Terminate")

    def compose_fields(self) -> ComposeResult:
        yield self.text_row("reason", _("Reason"), required=True, wide=True)

    def save(self, values: dict[str, Any]):
        facts = self.facts
        return set_lifecycle(
            self.ctx,
            facts.customer_id,
            ACTIVE if self.terminated else "terminated",
            reason=values["reason"],
            expected_version=facts.version,
        )
