"""The team: who may use the database and in which role (SPEC §6). Managers only.

Users are never deleted (interactions, orders and the audit log keep pointing at them); a user
who leaves is deactivated, after their customers have gone to someone else. A database always
keeps at least one active manager.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import fn

from crmtui.db import (
    Complaint,
    ComplaintEvent,
    Customer,
    Instruction,
    User,
    database,
    team as team_mode,
)
from crmtui.db.rows import tuple_rows
from crmtui.errors import CrmError, InvalidInput
from crmtui.i18n import _
from crmtui.services.access import require_manager
from crmtui.services.audit import audit
from crmtui.services.complaints import OPEN
from crmtui.services.context import ROLES, Context, writes
from crmtui.services.owners import get_owner, get_user
from crmtui.services.validation import clean_text, one_field

MAX_LOGIN = 64
MAX_NAME = 128


@dataclass(frozen=True)
class TeamMember:
    login: str
    name: str
    role: str
    active: bool
    customers: int
    """Customers the user owns."""
    open_complaints: int
    """Open complaints assigned to the user."""
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "login": self.login,
            "name": self.name,
            "role": self.role,
            "active": self.active,
            "customers": self.customers,
            "open_complaints": self.open_complaints,
            "created_at": self.created_at,
        }


def clean_login(text: str) -> str:
    login = (text or "").strip()
    if not login:
        raise InvalidInput.one("login", _("required"))
    if len(login) > MAX_LOGIN:
        raise InvalidInput.one(
            "login",
            _("too long: {n} characters, at most {limit}").format(n=len(login), limit=MAX_LOGIN),
        )
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in login):
        raise InvalidInput.one("login", _("a login has no spaces or control characters"))
    return login


def clean_role(text: str) -> str:
    role = (text or "").strip().lower()
    if role not in ROLES:
        raise InvalidInput.one(
            "role", _("'{text}' is not one of {roles}").format(text=text, roles=", ".join(ROLES))
        )
    return role


def clean_name(text: str) -> str:
    """A display name as stored: the one cleaning rule for typed text (no control characters)."""
    name: str = one_field("name", clean_text, text, limit=MAX_NAME)
    return name


@writes
def add_user(ctx: Context, login: str, *, name: str = "", role: str = "rep") -> User:
    """Add a user, or bring back a deactivated one with the role given."""
    require_manager(ctx, _("add users"))
    login, role, name = clean_login(login), clean_role(role), clean_name(name)
    user = User.get_or_none(User.login == login)
    if user is not None and user.active:
        raise CrmError(_("{login} is already a user ({role})").format(login=login, role=user.role))
    if user is None:
        user = User.create(login=login, display_name=name or login, role=role, created_at=ctx.now())
        audit(ctx, "user", "user", user.id, f"added {login} as {role}")
    else:
        user.active = True
        user.role = role
        if name:
            user.display_name = name
        user.save()
        audit(ctx, "user", "user", user.id, f"reactivated {login} as {role}")
    _grant(ctx, login, role)
    return user


def _grant(ctx: Context, login: str, role: str | None) -> None:
    """Where PostgreSQL enforces the roles: give the person's database role (created if
    missing) the group of `role`, or none."""
    if ctx.store.team is not None:
        team_mode.set_role(database.obj, login, role)


def list_users(ctx: Context) -> list[TeamMember]:
    """Everyone, active first, with what they own."""
    require_manager(ctx, _("list users"))
    owned = dict(
        tuple_rows(
            Customer.select(Customer.owner, fn.COUNT(Customer.id)).group_by(Customer.owner),
            tuple[int, int],
        )
    )
    handling = dict(
        tuple_rows(
            Complaint.select(Complaint.owner, fn.COUNT(Complaint.id))
            .where(Complaint.status.in_(OPEN) & Complaint.owner.is_null(False))
            .group_by(Complaint.owner),
            tuple[int, int],
        )
    )
    users = User.select().order_by(User.active.desc(), User.login)
    return [
        TeamMember(
            login=u.login,
            name=u.display_name,
            role=u.role,
            active=u.active,
            customers=owned.get(u.id, 0),
            open_complaints=handling.get(u.id, 0),
            created_at=u.created_at,
        )
        for u in users
    ]


@writes
def set_role(ctx: Context, login: str, role: str, *, to: str | None = None) -> User:
    """Change a user's role. Support staff own no customers: making a rep support needs `to`,
    who takes their customers over."""
    require_manager(ctx, _("change roles"))
    role = clean_role(role)
    user = get_user(clean_login(login))
    if not user.active:
        raise CrmError(
            _("{login} is deactivated; add them again with a role").format(login=user.login)
        )
    if user.role == role:
        return user
    if user.role == "manager":
        _keep_a_manager(user, _("demote"))
    if role == "support":
        _hand_over(ctx, user, to)
    elif to is not None:
        raise CrmError(_("--to is only for making a rep support staff"))
    old = user.role
    user.role = role
    user.save()
    audit(ctx, "role", "user", user.id, f"{user.login}: {old} -> {role}")
    _grant(ctx, user.login, role)
    if user.id == ctx.user.id:
        ctx.user = user
    return user


@dataclass(frozen=True)
class Deactivated:
    login: str
    customers_moved: int
    complaints_moved: int
    to: str | None


@writes
def deactivate_user(ctx: Context, login: str, *, to: str | None = None) -> Deactivated:
    """Deactivate a user who leaves. Their customers go to `to` (required when they own any);
    their open complaints go to `to` too, or back to the unassigned queue."""
    require_manager(ctx, _("deactivate users"))
    user = get_user(clean_login(login))
    if not user.active:
        raise CrmError(_("{login} is already deactivated").format(login=user.login))
    if user.role == "manager":
        _keep_a_manager(user, _("deactivate"))
    target, moved = _hand_over(ctx, user, to)
    complaints = _hand_over_complaints(ctx, user, target)
    user.active = False
    user.save()
    _grant(ctx, user.login, None)
    detail = user.login
    if target is not None:
        detail += f"; {moved} customers and {complaints} open complaints to {target.login}"
    elif complaints:
        detail += f"; {complaints} open complaints back to the queue"
    audit(ctx, "deactivate", "user", user.id, detail)
    return Deactivated(
        login=user.login,
        customers_moved=moved,
        complaints_moved=complaints,
        to=target.login if target else None,
    )


def _hand_over_complaints(ctx: Context, user: User, target: User | None) -> int:
    """Open complaints of `user` go to `target`, or back to the unassigned queue; each one's
    timeline says so, and its version moves so that a form opened before is refused."""
    now = ctx.now()
    open_ones = [
        c.id
        for c in Complaint.select(Complaint.id).where(
            (Complaint.owner == user.id) & Complaint.status.in_(OPEN)
        )
    ]
    if not open_ones:
        return 0
    Complaint.update(
        owner=target.id if target else None, version=Complaint.version + 1, updated_at=now
    ).where(Complaint.id.in_(open_ones)).execute()
    ComplaintEvent.insert_many(
        [
            {
                "complaint": cid,
                "at": now,
                "by": ctx.user.id,
                "kind": "owner",
                "from_value": user.login,
                "to_value": target.login if target else "",
                "note": f"{user.login} was deactivated",
            }
            for cid in open_ones
        ]
    ).execute()
    return len(open_ones)


def _keep_a_manager(user: User, action: str) -> None:
    others = (
        User.select()
        .where(
            (User.role == "manager")
            & (User.active == True)  # noqa: E712
            & (User.id != user.id)
        )
        .count()
    )
    if not others:
        raise CrmError(
            _(
                "cannot {action} {login}: a database needs at least one manager; "
                "make someone else a manager first"
            ).format(action=action, login=user.login)
        )


def _hand_over(ctx: Context, user: User, to: str | None) -> tuple[User | None, int]:
    """Move every customer `user` owns to the user `to` (audited); the new owner and how many
    moved. Refuses when they own customers and no one is named."""
    owned = Customer.select().where(Customer.owner == user.id).count()
    if to is None:
        if owned:
            raise CrmError(
                _(
                    "{login} owns {n} customers; reassign them first, or name who "
                    "takes them over with --to"
                ).format(login=user.login, n=owned)
            )
        return None, 0
    target = get_owner(clean_login(to))
    if target.id == user.id:
        raise CrmError(_("{login} cannot take over their own customers").format(login=to))
    if owned:
        now = ctx.now()
        Customer.update(
            owner=target.id, version=Customer.version + 1, updated_at=now, updated_by=ctx.user.id
        ).where(Customer.owner == user.id).execute()
        audit(ctx, "reassign", "user", user.id, f"{owned} customers {user.login} -> {target.login}")

    # the manager's open instructions about those customers go with them
    Instruction.update(to=target.id).where(
        (Instruction.to == user.id) & Instruction.done_on.is_null()
    ).execute()
    return target, owned


@writes
def set_up_roles(ctx: Context) -> team_mode.SetupReport:
    """Have PostgreSQL enforce the roles (crmtui.db.team): run by a manager connected as the
    role that owns the tables. Every active user gets a database role of their login in the
    group of their crmtui role; the owner becomes a manager of the database if they were not."""
    require_manager(ctx, _("set up the database roles"))
    if ctx.store.is_sqlite:
        raise CrmError(
            _(
                "roles enforced by the database need PostgreSQL; on an SQLite file "
                "everyone who can write the file is trusted"
            )
        )

    def add_owner(login: str) -> None:
        owner = User.get_or_none(User.login == login)
        if owner is None:
            User.create(login=login, display_name=login, role="manager", created_at=ctx.now())
        elif owner.role != "manager" or not owner.active:
            owner.role, owner.active = "manager", True
            owner.save()

    report = team_mode.set_up_roles(database.obj, add_owner=add_owner)
    ctx.store.team = team_mode.detect(database.obj)
    return report
