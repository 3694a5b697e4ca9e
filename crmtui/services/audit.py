"""The audit log: exports, deletions, reassignments, role changes, merges, imports, restores.

Entries are written in the same transaction as the action, so an entry exists exactly when the
action happened. Actions in use:

- ``export``: a file of customers left the database (detail: format and count)
- ``delete``: a customer and its history were deleted
- ``reassign``: customers moved to another owner
- ``user``, ``role``, ``deactivate``: users added or reactivated, roles changed, users removed
- ``backup``, ``merge``, ``import``, ``restore``
"""

from __future__ import annotations

from typing import Any

from peewee import JOIN

from crmtui.db import AuditLog, User
from crmtui.db.audit_chain import append_entry
from crmtui.db.team import TRIGGER_ACTIONS
from crmtui.i18n import _
from crmtui.services.access import require_manager
from crmtui.services.context import Context


def audit(
    ctx: Context, action: str, entity: str = "", entity_id: int | None = None, detail: str = ""
) -> AuditLog | None:
    """Record an action inside the caller's transaction (so it is kept only if the action is).

    Where PostgreSQL enforces the roles, the database's triggers record deletions,
    reassignments and changes to users themselves (None here)."""
    if ctx.store.team is not None and action in TRIGGER_ACTIONS:
        return None
    return append_entry(
        at=ctx.now(),
        user_id=ctx.user.id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=detail,
    )


def audit_entries(ctx: Context, *, limit: int = 50, action: str | None = None) -> list[AuditLog]:
    """The newest entries first (managers only); `user` is loaded with each."""
    require_manager(ctx, _("read the audit log"))
    query = (
        AuditLog.select(AuditLog, User)
        .join(User, JOIN.LEFT_OUTER, on=AuditLog.user)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
    )
    if action:
        query = query.where(AuditLog.action == action.strip().lower())
    return list(query.limit(max(1, limit)))


def entry_json(entry: AuditLog) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at,
        "user": entry.user.login if entry.user is not None else None,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "detail": entry.detail,
    }
