"""Who may own customers: users by login, and the owners a user may choose from."""

from __future__ import annotations

from typing import Any

from peewee import fn

from crmtui.db import (
    User,
)
from crmtui.db.rows import tuple_rows
from crmtui.errors import CrmError, NotFound
from crmtui.i18n import _
from crmtui.present.text import user_text
from crmtui.services.context import Context


def get_user(login: str) -> User:
    user = User.get_or_none(User.login == login)
    if user is None:
        raise NotFound(_("no user {login}").format(login=login))
    return user


def owner_login(text: Any) -> str:
    """The login a typed owner names: a login, or a display name that is one person's."""
    typed = str(text or "").strip()
    if not typed or User.select().where(User.login == typed).exists():
        return typed
    named = list(
        tuple_rows(
            User.select(User.login).where(fn.LOWER(User.display_name) == typed.lower()),
            tuple[str],
        )
    )
    if len(named) == 1:
        return named[0][0]
    if len(named) > 1:
        raise CrmError(
            _("'{name}' is the name of several users ({logins}); use the login").format(
                name=typed, logins=", ".join(login for (login,) in named)
            )
        )
    return typed


def owner_choices(ctx: Context) -> list[tuple[str, str]]:
    """(shown, login) of everyone who may own customers: active reps and managers."""
    users = (
        User.select()
        .where(User.active & User.role.in_(("rep", "manager")))
        .order_by(User.display_name, User.login)
    )
    return [(user_text(user), user.login) for user in users]


def get_owner(login: str) -> User:
    """A user who may own customers: active, and a rep or a manager."""
    user = get_user(login)
    if not user.active:
        raise CrmError(_("{login} is deactivated and cannot own customers").format(login=login))
    if user.role == "support":
        raise CrmError(_("{login} is support staff and cannot own customers").format(login=login))
    return user
