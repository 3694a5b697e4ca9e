"""The customer form (客户档案), for a new customer (`n`) and for editing one (`e`).

Editing saves only the fields you changed and passes the version it read; when someone else saved
the customer meanwhile, the dialog says who and when, keeps your edit, and `ctrl+r` reloads their
version with your changes laid on top for you to check and save again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from crmtui.errors import Conflict
from crmtui.i18n import N_, _
from crmtui.present.text import plain
from crmtui.rules import Cadence, Need
from crmtui.screens.dialogs.form import FormDialog, choices
from crmtui.services.customers import add_customer, editable_customer, update_customer
from crmtui.services.owners import owner_choices
from crmtui.services.validation import (
    CUSTOMER_FIELDS,
    DEAL_STATUSES,
    SOURCES,
    STATUSES,
)
from crmtui.views.customers import SavedCustomer
from crmtui.widgets.form import FieldRow

if TYPE_CHECKING:
    from crmtui.services.context import Context


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str = "text"  # text | date | select
    options: tuple[str, ...] = ()
    labels: str = ""
    """The crmtui.labels kind that names a select's options."""
    blank: str | None = None
    hint: str = ""
    """label, blank and hint are English msgids (N_), shown translated."""


FORM: tuple[FormField, ...] = (
    FormField("name", N_("Name")),
    FormField("company", N_("Company")),
    FormField("title", N_("Title")),
    FormField("phones", N_("Phones"), hint=N_("several: separate with commas")),
    FormField("email", N_("E-mail")),
    FormField("im_id", N_("WeChat / IM")),
    FormField("need", N_("Need"), "select", tuple(n.value for n in Need), "need"),
    FormField("expected_close", N_("Expected close"), "date"),
    FormField("expected_amount", N_("Exp. amount"), hint=N_("e.g. 12000 or 12,000.50")),
    FormField("status", N_("Status"), "select", STATUSES, "status"),
    FormField("deal_status", N_("Deal"), "select", DEAL_STATUSES, "deal"),
    FormField("source", N_("Source"), "select", SOURCES, "source", blank=N_("unknown")),
    FormField(
        "cadence",
        N_("Cadence"),
        "select",
        tuple(c.value for c in Cadence),
        "cadence",
        blank=N_("by grade"),
    ),
    FormField("tags", N_("Tags"), hint=N_("comma-separated")),
    FormField("address", N_("Address")),
    FormField("membership", N_("Membership")),
    FormField("native_place", N_("Native place")),
    FormField("education", N_("Education")),
    FormField("family", N_("Family")),
    FormField("personality", N_("Hobbies")),
    FormField("goals", N_("Goals, plans")),
    FormField("opinions", N_("Likes, dislikes")),
    FormField("situation", N_("Problems, needs")),
    FormField("competitors", N_("Competitors")),
    FormField("notes", N_("Notes")),
    FormField("credit_limit", N_("Credit limit")),
    FormField("credit_rating", N_("Credit rating")),
)

NEW_DEFAULTS = {"need": "potential", "status": "potential", "deal_status": "potential"}


def form_values(stored: Mapping[str, object]) -> dict[str, str]:
    """A customer's stored fields as the form shows them (text)."""
    values = {}
    for field in FORM:
        value = stored[field.name]
        if value is None:
            values[field.name] = ""
        elif isinstance(value, date):
            values[field.name] = value.isoformat()
        elif isinstance(value, Decimal):
            values[field.name] = format(value, "f")
        else:
            values[field.name] = str(value)
    return values


@dataclass(frozen=True)
class Stored:
    """What the form read: the values, the version to save against, the name; for managers
    the owner's login and who may own customers."""

    values: dict[str, str]
    version: int
    name: str
    owner: str = ""
    owners: tuple[tuple[str, str], ...] = ()


def read_customer(ctx: Context, customer_id: int) -> Stored:
    customer = editable_customer(ctx, customer_id)
    owners = tuple(owner_choices(ctx)) if ctx.is_manager else ()
    return Stored(
        form_values(customer.stored),
        customer.version,
        customer.name,
        owner=customer.owner,
        owners=owners,
    )


TEXT_LINES = {
    "notes": 4,
    "address": 2,
    "family": 3,
    "personality": 3,
    "goals": 3,
    "opinions": 3,
    "situation": 3,
    "competitors": 3,
}
"""The archive's free-text fields, as text areas of up to this many lines."""


class CustomerForm(FormDialog[SavedCustomer]):
    """New customer when `customer_id` is None; otherwise edit that customer."""

    FIELDS = CUSTOMER_FIELDS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "reload", N_("Reload theirs, keep mine"), id="form-reload"),
    ]

    def __init__(self, customer_id: int | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.stored: Stored | None = None
        self.loading = False
        self.conflicted = False

    def title_text(self) -> str:
        return _("New customer") if self.customer_id is None else _("Edit customer")

    def intro_text(self) -> str:
        if self.customer_id is None:
            return _("Name is required; everything else can come later.")
        return _("Loading…")

    def compose_fields(self) -> ComposeResult:
        for field in FORM:
            if field.name == "need" and self.ctx.is_manager:  # managers choose the owner
                yield self.select_row(
                    "owner", _("Owner"), [], blank="…", hint=_("reps and managers")
                )
            default = NEW_DEFAULTS.get(field.name, "") if self.customer_id is None else ""
            if field.kind == "select":
                yield self.select_row(
                    field.name,
                    _(field.label),
                    choices(field.options, field.labels),
                    default or None,
                    blank=_(field.blank) if field.blank else None,
                    hint=_(field.hint) if field.hint else "",
                )
            elif field.kind == "date":
                yield self.date_row(field.name, _(field.label), default)
            else:
                yield self.text_row(
                    field.name,
                    _(field.label),
                    default,
                    hint=_(field.hint) if field.hint else "",
                    required=field.name == "name",
                    lines=TEXT_LINES.get(field.name, 1),
                )

    def on_mount(self) -> None:
        if self.customer_id is not None:
            self.loading = True  # nothing to save before the stored values are in
            self.call_service(
                read_customer,
                self.ctx,
                self.customer_id,
                done=self._loaded,
                failed=self._load_failed,
                group="load",
            )
        elif self.ctx.is_manager:
            # on first use: kept out of the app's start-up imports
            from crmtui.services.owners import owner_choices

            self.call_service(
                owner_choices,
                self.ctx,
                group="owners",
                done=lambda owners: self._offer_owners(owners, self.ctx.user.login),
            )

    def _offer_owners(self, owners: Sequence[tuple[str, str]], owner: str) -> None:
        row = self.rows.get("owner")
        if row is not None:  # names are stored text: shown plain, never as markup
            row.set_options([(plain(shown), login) for shown, login in owners])
            row.value = owner

    def _loaded(self, stored: Stored) -> None:
        self.loading = False
        self.stored = stored
        rows = self.rows
        for name, value in stored.values.items():
            rows[name].value = value
        if stored.owners:
            self._offer_owners(stored.owners, stored.owner)
        self.query_one("#intro", Static).update(plain(stored.name))
        rows["name"].focus_control()
        self.call_after_refresh(self.remember_values)

    def _load_failed(self, error: BaseException) -> bool:
        self.dismiss(None)
        return False

    def action_save(self) -> None:
        if not self.loading:
            super().action_save()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reload":
            return self.conflicted
        return True

    def save(self, values: dict[str, Any]) -> SavedCustomer:
        owner = values.pop("owner", None) or None
        if self.customer_id is None:
            return add_customer(self.ctx, values, owner=owner)
        stored = self.stored
        if stored is None:  # action_save waits until the customer is read
            raise RuntimeError("the customer is saved only once read")
        changed = {
            name: value for name, value in values.items() if value != stored.values.get(name)
        }
        return update_customer(
            self.ctx,
            self.customer_id,
            changed,
            expected_version=stored.version,
            owner=owner if owner != stored.owner else None,
        )

    def on_conflict(self, error: Conflict) -> None:
        self.conflicted = True
        self.refresh_bindings()
        self.show_notice(
            str(error)
            + "\n"
            + _(
                "Your edit is kept. Press ctrl+r to load their "
                "version with your changes on top, then save."
            ),
            error=True,
        )

    def action_reload(self) -> None:
        if self.conflicted and not self.saving:
            self.call_service(
                read_customer, self.ctx, self.customer_id, done=self._reapply, group="load"
            )

    def _reapply(self, fresh: Stored) -> None:
        """Their saved values, with every field you changed kept as you typed it."""
        old = self.stored
        if old is None:  # a conflict comes only from a save, after the customer was read
            return
        rows: dict[str, FieldRow] = self.rows
        kept = []
        for name, row in rows.items():
            mine = row.value
            if mine != old.values.get(name):
                kept.append(name)
            else:
                row.value = fresh.values.get(name, "")
        self.stored = fresh
        self.conflicted = False
        self.refresh_bindings()
        names = {field.name: _(field.label) for field in FORM}
        self.show_notice(
            _("Reloaded. Kept your changes to: {fields}. Check and save again.").format(
                fields=", ".join(names.get(f, f) for f in kept) or _("nothing")
            )
        )
