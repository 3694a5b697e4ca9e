"""Following work through in the app: a payment on an order (`$`), an instruction reported done
(`f`), and a manager's instruction about a customer (`i`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual.app import ComposeResult

from crmtui.i18n import N_, _
from crmtui.labels import labelled
from crmtui.present.numbers import money
from crmtui.present.text import plain
from crmtui.screens.dialogs.form import FormDialog
from crmtui.services.validation import INSTRUCTION_FIELDS, PAYMENT_FIELDS, PAYMENT_METHODS


class PaymentDialog(FormDialog[Any]):
    """Money received against an order (回款)."""

    TITLE_TEXT = N_("Record a payment")
    FIELDS = PAYMENT_FIELDS

    def __init__(self, order_id: int, customer: str, owed: Decimal, ordered_on: date) -> None:
        super().__init__()
        self.order_id, self.customer, self.owed, self.ordered_on = (
            order_id,
            customer,
            owed,
            ordered_on,
        )

    def intro_text(self) -> Text:
        return plain(
            _("{name} · order #{id} of {day} · {owed} owed").format(
                name=self.customer,
                id=self.order_id,
                day=self.ordered_on.isoformat(),
                owed=money(self.owed),
            )
        )

    def compose_fields(self) -> ComposeResult:
        yield self.text_row("amount", _("Amount"), str(self.owed), required=True)
        yield self.date_row("on", _("Date"), "today")
        yield self.select_row(
            "method", _("Method"), labelled("payment_method", PAYMENT_METHODS), "transfer"
        )
        yield self.text_row("note", _("Note"), wide=True)

    def save(self, values: dict[str, Any]):
        # on first use: kept out of the app's start-up imports
        from crmtui.services.receivables import record_payment

        return record_payment(
            self.ctx,
            self.order_id,
            values["amount"],
            on=values["on"],
            method=values["method"],
            note=values["note"],
        )


class ReportDoneDialog(FormDialog[Any]):
    """The rep reports the manager's instruction carried out (上级指令落实), with a note."""

    TITLE_TEXT = N_("Report an instruction done")
    FIELDS = {"note": INSTRUCTION_FIELDS["note"]}

    def __init__(self, instruction_id: int, customer: str, text: str) -> None:
        super().__init__()
        self.instruction_id, self.customer, self.text = instruction_id, customer, text

    def intro_text(self) -> Text:
        return plain(f"{self.customer} · {self.text}")

    def save_label(self) -> str:
        return _("Done")

    def compose_fields(self) -> ComposeResult:
        yield self.text_row("note", _("What was done"), wide=True, lines=3)

    def save(self, values: dict[str, Any]):
        # on first use: kept out of the app's start-up imports
        from crmtui.services.instructions import report_done

        return report_done(self.ctx, self.instruction_id, values["note"])


class InstructionDialog(FormDialog[Any]):
    """A manager's instruction to the rep who owns the customer."""

    TITLE_TEXT = N_("Give an instruction")
    FIELDS = {"text": INSTRUCTION_FIELDS["text"], "due": INSTRUCTION_FIELDS["due"]}

    def __init__(self, customer_id: int, customer: str, login: str, owner: str) -> None:
        super().__init__()
        self.customer_id, self.customer, self.login, self.owner = (
            customer_id,
            customer,
            login,
            owner,
        )

    def intro_text(self) -> Text:
        return plain(_("To {owner}, about {name}").format(owner=self.owner, name=self.customer))

    def compose_fields(self) -> ComposeResult:
        yield self.text_row("text", _("Instruction"), required=True, wide=True)
        yield self.date_row("due", _("Due"), required=True)

    def save(self, values: dict[str, Any]):
        # on first use: kept out of the app's start-up imports
        from crmtui.services.instructions import give_instruction

        return give_instruction(
            self.ctx, self.login, self.customer_id, values["text"], values["due"]
        )
