"""The audit log: exports, deletions, reassignments, role changes, merges, imports, restores."""

from __future__ import annotations

from crmtui.db import AuditLog


def audit(ctx, action: str, entity: str = "", entity_id: int | None = None,
          detail: str = "") -> AuditLog:
    """Record an action inside the caller's transaction (so it is kept only if the action is)."""
    return AuditLog.create(at=ctx.now(), user=ctx.user.id, action=action, entity=entity,
                           entity_id=entity_id, detail=detail)
