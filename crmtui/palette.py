"""The command palette's crmtui entries (ctrl+p): `view:` screens, `action:` keys of the current
screen, `complaint: new…`, `customer:` to jump to any customer by name, company, phone or pinyin
initials, and `complaint: #12` to open a complaint by its number."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from crmtui.errors import CrmError
from crmtui.i18n import _
from crmtui.labels import label
from crmtui.present.text import plain, safe
from crmtui.screens.views import VIEWS
from crmtui.widgets.localized import binding_text

if TYPE_CHECKING:  # the app imports the palette
    from crmtui.app import CrmApp

CUSTOMER_HITS = 12


def complaint_match(ctx, text: str) -> tuple[int, str, str] | None:
    """(id, title, help) of the complaint a number (12 or #12) names; runs in a worker thread."""
    # on first use: kept out of the app's start-up imports
    from crmtui.services.complaints import complaint_row

    number = text.strip().lstrip("#")
    if not number.isdigit():
        return None
    try:
        row = complaint_row(ctx, number)
    except CrmError:
        return None
    title = _("complaint: #{id} {summary}").format(id=row.id, summary=row.summary)
    detail = " · ".join(
        (row.customer, label("severity", row.severity), label("complaint_status", row.status))
    )
    return row.id, title, detail


def customer_matches(ctx, text: str) -> list[tuple[int, str, str]]:
    """(id, title, help) for the customers a palette query finds; runs in a worker thread."""
    # on first use: kept out of the app's start-up imports
    from crmtui.services.customers import find_customers

    rows = []
    for customer in find_customers(ctx, text, limit=CUSTOMER_HITS):
        title = _("customer: {name}").format(name=customer.name)
        if customer.company:
            title += f" · {customer.company}"
        phone = customer.phones[0] if customer.phones else ""
        detail = " · ".join(
            part
            for part in (
                _("grade {grade}").format(grade=customer.grade),
                phone,
                customer.owner_name,
            )
            if part
        )
        rows.append((customer.id, title, detail))
    return rows


class CrmCommands(Provider):
    """Screens, the keys of the screen below the palette, and customers."""

    @property
    def crm(self) -> CrmApp:
        """The app as the CRM's own: its context, views and opening of profiles."""
        return cast("CrmApp", self.app)

    def _commands(self) -> Iterator[tuple[str, str, Callable]]:
        app = self.crm
        role = app.ctx.role
        for view in VIEWS:
            if view.allows(role):
                yield (
                    _("view: {title}").format(title=_(view.title)),
                    _(view.description),
                    partial(app.action_view, view.name),
                )
        yield _("view: Help (every key)"), "?", app.action_help
        yield (
            _("complaint: new…"),
            _("record a complaint; choose the customer by searching"),
            self._new_complaint,
        )
        seen = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not active.enabled or not binding.description or binding.action in seen:
                continue
            if binding.action.startswith("app.view") or binding.action in ("help", "quit"):
                continue
            seen.add(binding.action)
            yield (
                _("action: {what}").format(what=binding_text(binding.description)),
                app.get_key_display(binding),
                partial(self._run, active.node, binding.action),
            )

    async def _run(self, node, action: str) -> None:
        await self.app.run_action(action, node)

    def _new_complaint(self) -> None:
        # on first use: kept out of the app's start-up imports
        from crmtui.screens.dialogs.complaint import NewComplaintDialog, opened_message

        app = self.crm

        def opened(complaint) -> None:
            if complaint is not None:
                app.notify(opened_message(app.ctx, complaint), title=_("Saved"))
                app.open_complaint(complaint.id)

        app.push_screen(NewComplaintDialog(), opened)

    async def discover(self) -> Hits:
        for title, help_text, command in self._commands():
            yield DiscoveryHit(title, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, command in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, text=title, help=help_text)
        if not query.strip():
            return
        try:
            complaint = await asyncio.to_thread(complaint_match, self.crm.ctx, query)
            found = await asyncio.to_thread(customer_matches, self.crm.ctx, query)
        except Exception:  # a search that fails (busy database) just finds nothing
            return
        if complaint is not None:
            complaint_id, title, detail = complaint
            yield Hit(
                1.0,
                plain(title),
                partial(self.crm.open_complaint, complaint_id),
                text=safe(title),
                help=escape(safe(detail)),
            )
        for rank, (customer_id, title, detail) in enumerate(found):
            # names and summaries are stored text: shown plain (the help line is always read
            # as markup, so it is escaped)
            yield Hit(
                0.95 - rank * 0.01,
                plain(title),
                partial(self.crm.open_profile, customer_id),
                text=safe(title),
                help=escape(safe(detail)),
            )
