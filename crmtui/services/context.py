"""Who is acting, with which settings, and what time it is: passed to every service call."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from datetime import date, datetime, timezone, tzinfo
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol, TypeVar, overload

import peewee

from crmtui.config import Config
from crmtui.db import Store, User, database, open_store, write_transaction
from crmtui.db.connection import (
    INSUFFICIENT_PRIVILEGE,
    WRITE_PATIENCE,
    disk_full_error,
    is_io_error,
    mark_suspect,
    retry_writes,
    sqlstate,
)
from crmtui.db.rows import by_id
from crmtui.errors import CrmError, Forbidden, StorageError
from crmtui.i18n import _
from crmtui.labels import label

if TYPE_CHECKING:
    from crmtui.services.journal import Journal

ROLES = ("rep", "support", "manager")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def local_zone() -> tzinfo:
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None  # astimezone() always sets one
    return zone


class Context:
    """The acting user, the open store, the settings and the clock (a slotted class, not a
    dataclass: see `Config`)."""

    __slots__ = ("store", "user", "config", "clock", "zone", "origin", "journal", "saved")

    store: Store
    user: User
    config: Config
    clock: Callable[[], datetime]
    zone: tzinfo
    origin: str
    """Where the user acts: `app` or `cli`. Each has its own undo (the app's `u` undoes the
    app's last change, `crmtui undo` the command line's)."""
    journal: Journal | None
    """The change being recorded for the history while a write runs (services.journal)."""
    saved: list[str]
    """What this context's writes committed, in words ("record order #12"), oldest first: a
    front end that fails after a commit says the change was saved instead of reporting a
    failure (which would invite a second, duplicate save)."""

    def __init__(
        self,
        store: Store,
        user: User,
        config: Config | None = None,
        clock: Callable[[], datetime] = utc_now,
        zone: tzinfo | None = None,
        origin: str = "app",
        journal: Journal | None = None,
        saved: list[str] | None = None,
    ) -> None:
        self.store, self.user, self.clock, self.origin = store, user, clock, origin
        self.config = Config() if config is None else config
        self.zone = local_zone() if zone is None else zone
        self.journal = journal
        self.saved = [] if saved is None else saved

    def replaced(self, **changes: Any) -> Context:
        """A copy with some of its parts changed (another zone, other settings), for one call."""
        parts = {name: getattr(self, name) for name in self.__slots__}
        return Context(**{**parts, **changes})

    def __repr__(self) -> str:
        return f"Context(user={self.user.login!r}, origin={self.origin!r}, zone={self.zone!r})"

    def now(self) -> datetime:
        """Now, as an aware UTC datetime."""
        return self.clock().astimezone(timezone.utc)

    def today(self) -> date:
        """Today in the user's zone."""
        return self.clock().astimezone(self.zone).date()

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def is_manager(self) -> bool:
        return self.user.role == "manager"

    def require_writable(self) -> None:
        if self.store.readonly:
            raise StorageError(_("the database is open read-only; nothing was changed"))


def os_login() -> str:
    """The login of the account running this process, from its user id: the environment
    (USER, LOGNAME, CRMTUI_USER) says whatever whoever started the process wrote there."""
    try:
        # here, not at the top: POSIX only, and the except branch covers the rest
        import pwd
    except ImportError:  # not POSIX: the account name Windows reports
        import getpass

        return getpass.getuser()
    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # no passwd entry (some containers)
        return f"uid{uid}"


Params = ParamSpec("Params")
Result = TypeVar("Result")


class _Writes(Protocol):
    """`writes` given only its options: a decorator of a service function."""

    def __call__(
        self, function: Callable[Concatenate[Context, Params], Result], /
    ) -> Callable[Concatenate[Context, Params], Result]: ...


@overload
def writes(
    function: Callable[Concatenate[Context, Params], Result], *, record: bool = True
) -> Callable[Concatenate[Context, Params], Result]: ...


@overload
def writes(function: None = None, *, record: bool = True) -> _Writes: ...


def writes(
    function: Callable[Concatenate[Context, Params], Result] | None = None,
    *,
    record: bool = True,
) -> Callable[Concatenate[Context, Params], Result] | _Writes:
    """Run a service function in a short write transaction (IMMEDIATE on SQLite, SERIALIZABLE
    on PostgreSQL), retried while other users hold the database.

    The first argument must be the Context. Retrying re-runs the whole function, which reads
    everything it needs inside the transaction, so a retry never works from stale data. The
    acting user is re-read first, so a role changed or a user deactivated since the app opened
    takes effect at the next save. Called inside another service's transaction, it joins it.

    Once committed, the change is noted in `ctx.saved`; housekeeping the user did not ask for
    (grades moved by the calendar) is written with `@writes(record=False)`.
    """
    if function is None:
        return functools.partial(writes, record=record)
    service = function  # (named again: the closures below see it as not None)

    @functools.wraps(service)
    def wrapper(ctx: Context, /, *args: Params.args, **kwargs: Params.kwargs) -> Result:
        ctx.require_writable()
        if database.in_transaction():
            return service(ctx, *args, **kwargs)

        def attempt() -> Result:
            with write_transaction():
                refresh_user(ctx)
                return service(ctx, *args, **kwargs)

        try:
            result: Result = retry_writes(attempt, patience=ctx.store.busy_timeout * WRITE_PATIENCE)
        except peewee.IntegrityError as error:
            raise CrmError(
                _("not saved: {reason}").format(reason=str(error).splitlines()[0])
            ) from None
        except peewee.DataError as error:
            raise CrmError(
                _("not saved: {reason}").format(reason=str(error).splitlines()[0])
            ) from None
        except peewee.OperationalError as error:
            raise _storage_error(ctx.store, error) from None
        except peewee.ProgrammingError as error:
            if sqlstate(error) == INSUFFICIENT_PRIVILEGE:  # the server enforces the roles
                raise Forbidden(
                    _(
                        "the database does not allow this to the role {login} ({text}); "
                        "nothing was changed"
                    ).format(login=ctx.user.login, text=str(error).splitlines()[0])
                ) from None
            raise
        if record:
            ctx.saved.append(saved_description(service, result))
        return result

    return wrapper


def saved_description(function: Callable[..., object], result: object) -> str:
    """A committed write in a few words: the service's name and the id of what it returned."""
    name = function.__name__
    what = "change" if name == "<lambda>" else name.strip("_").replace("_", " ")
    number = getattr(result, "id", None)
    return f"{what} #{number}" if isinstance(number, int) else what


def refresh_user(ctx: Context) -> None:
    """Re-read the acting user (role, active) from the database."""
    if ctx.user.id is None:
        return
    user = by_id(User, ctx.user.id)
    if user is None or not user.active:
        raise Forbidden(
            _("the user {login} is deactivated in this database").format(login=ctx.user.login)
        )
    ctx.user = user


def _storage_error(store: Store, error: Exception) -> StorageError:
    full = disk_full_error(error, store.path or store.target)
    if is_io_error(error) and store.path is not None:
        mark_suspect(store.path)  # the next open checks the file
    if full is not None:
        return full
    text = str(error).splitlines()[0]
    if "readonly" in text or "read-only" in text:
        return StorageError(_("the database is read-only; nothing was changed"))
    return StorageError(
        _("the database refused the change ({text}); nothing was changed").format(text=text)
    )


def open_context(
    target: str | os.PathLike[str],
    *,
    login: str | None = None,
    as_user: str | None = None,
    config: Config | None = None,
    clock: Callable[[], datetime] = utc_now,
    zone: tzinfo | None = None,
    create: bool = True,
) -> Context:
    """Open the store and find the acting user (the first user of a new database is its manager).

    `login` is who runs this, as code decides it (default: the OS login of this process).
    `as_user` is a login someone asked to act as (`--user`, CRMTUI_USER): see `acting_login`.
    """
    store = open_store(target, create=create)
    try:
        acting = acting_login(store, login or os_login(), as_user)
        user = resolve_user(store, acting, clock)
    except BaseException:
        store.close()
        raise
    return Context(store=store, user=user, config=config, clock=clock, zone=zone)


def acting_login(store: Store, runner: str, as_user: str | None) -> str:
    """Who acts: `runner`, or `as_user` when the runner may act as someone else.

    Acting as another user is for managers (covering for a colleague, fixing their records): it
    is honoured when the runner is an active manager of the database, or on a database no one
    has claimed yet (its first user becomes its manager). Where PostgreSQL enforces the roles,
    the server says who is connected (`session_user`) and no other name is accepted.
    """
    if store.team is not None:
        connected = store.team.session_user
        if as_user and as_user != connected:
            raise Forbidden(
                _(
                    "cannot act as {login}: on this database you are the database role you connect "
                    "as ({connected}); connect as {login} to act as them"
                ).format(login=as_user, connected=connected)
            )
        return connected
    if not as_user or as_user == runner:
        return runner
    if not User.select().exists():  # unclaimed: the first user becomes its manager
        return as_user
    boss = User.get_or_none(User.login == runner)
    if boss is None:
        raise Forbidden(
            _(
                "cannot act as {login}: your login {runner} is not a user of this database, and "
                "only a manager may act as someone else"
            ).format(login=as_user, runner=runner)
        )
    if not boss.active or boss.role != "manager":
        raise Forbidden(
            _(
                "cannot act as {login}: only a manager may act as someone else, and your login "
                "{runner} is {role}"
            ).format(
                login=as_user,
                runner=runner,
                role=label("role", boss.role) if boss.active else _("deactivated"),
            )
        )
    return as_user


def resolve_user(store: Store, login: str, clock: Callable[[], datetime] = utc_now) -> User:
    user = User.get_or_none(User.login == login)
    if user is not None:
        if not user.active:
            raise Forbidden(
                _("the user {login} is deactivated in this database").format(login=login)
            )
        return user
    if store.readonly:
        if User.select().exists():
            raise Forbidden(_("{login} is not a user of this database").format(login=login))
        return User(login=login, display_name=login, role="manager", created_at=clock())

    def first_user_or_existing() -> User | None:
        with write_transaction():
            if not User.select().exists():
                return User.create(
                    login=login, display_name=login, role="manager", created_at=clock()
                )
            return User.get_or_none(User.login == login)

    created: User | None = retry_writes(
        first_user_or_existing, patience=store.busy_timeout * WRITE_PATIENCE
    )
    if created is None:
        raise Forbidden(
            _(
                "{login} is not a user of this database; a manager can add them with `crmtui user "
                "add {login}`"
            ).format(login=login)
        )
    return created
