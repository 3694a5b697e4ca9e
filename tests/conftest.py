"""Shared fixtures: a real SQLite file per test (or a fresh PostgreSQL schema, for the tests
whose `backend` fixture has a "pg" side), a fixed clock, users of each role.

PostgreSQL tests run when CRMTUI_TEST_PG_URL names a server where the user may create
databases; they skip without it, and fail when CRMTUI_REQUIRE_PG=1 (CI) and the server is not
there.
"""

from __future__ import annotations

import itertools
import os
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from hypothesis import HealthCheck, settings

from crmtui.config import Config
from crmtui.db import User
from crmtui.services.context import Context, open_context

# Hypothesis's timings (a deadline per example, "too slow" to generate) fail on a busy shared
# machine without saying anything about the code: the properties are checked, their speed is not.
settings.register_profile(
    "shared-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("shared-machine")

# Monday 23 November 2026, 10:00 UTC; tests run in UTC so "today" does not depend on the machine.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 23)


class Clock:
    """A clock tests can move."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch):
    """Keep every test away from the user's real data and config directories."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CRMTUI_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("CRMTUI_CONFIG", str(home / "config.toml"))
    monkeypatch.delenv("CRMTUI_DB", raising=False)
    monkeypatch.delenv("CRMTUI_USER", raising=False)


@pytest.fixture(autouse=True)
def _english():
    """Every test starts in English, whatever the one before chose or the machine's locale."""
    from crmtui.i18n import set_language

    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "crm.sqlite3"


def make_context(db_path, clock, login="boss", config: Config | None = None) -> Context:
    return open_context(db_path, login=login, clock=clock, zone=timezone.utc,
                        config=config or Config())


class PgServer:
    """A PostgreSQL server with one database per test process, in which each test gets a
    schema of its own (quicker to make than a database, and just as empty)."""

    _numbers = itertools.count(1)

    def __init__(self, url: str) -> None:
        self.url = url
        self.database = f"crmtui_test_{os.getpid()}"

    def _admin(self, database: str | None = None):
        import psycopg2

        url = self.url if database is None else self._url_of(database)
        connection = psycopg2.connect(url, connect_timeout=5)
        connection.autocommit = True
        return connection

    def _url_of(self, database: str, query: str = "") -> str:
        return urlunsplit(urlsplit(self.url)._replace(path=f"/{database}", query=query))

    def _execute(self, statement: str, database: str | None = None) -> None:
        connection = self._admin(database)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '10s'")
                cursor.execute(statement)
        finally:
            connection.close()

    def start(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{self.database}" TEMPLATE template0 ENCODING \'UTF8\'')

    def stop(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def create_schema(self) -> str:
        """A new empty schema; the URL makes it the connection's search path."""
        name = f"t{next(self._numbers)}"
        self._execute(f'CREATE SCHEMA "{name}"', self.database)
        return self._url_of(self.database, f"options=-csearch_path%3D{name}")

    def drop_schema(self, url: str) -> None:
        name = urlsplit(url).query.rsplit("%3D", 1)[1]
        try:
            self._execute(f'DROP SCHEMA "{name}" CASCADE', self.database)
        except Exception:  # still in use by a leftover connection: dropped with the database
            pass


@pytest.fixture(scope="session")
def pg_server():
    url = os.environ.get("CRMTUI_TEST_PG_URL", "").strip()
    required = os.environ.get("CRMTUI_REQUIRE_PG") == "1"
    if not url:
        if required:
            pytest.fail("CRMTUI_REQUIRE_PG=1 but CRMTUI_TEST_PG_URL is not set")
        pytest.skip("PostgreSQL tests need CRMTUI_TEST_PG_URL")
    server = PgServer(url)
    try:
        server.start()
    except Exception as error:  # the driver's errors, or no driver
        message = f"PostgreSQL at {url} is not usable: {str(error).strip()}"
        if required:
            pytest.fail(message)
        pytest.skip(message)
    yield server
    server.stop()


@pytest.fixture
def backend() -> str:
    """Which database the `ctx` fixture opens; test folders that run on both override this."""
    return "sqlite"


@pytest.fixture
def db_target(request, backend, db_path):
    """A path to a new SQLite file, or a URL that opens a new, empty PostgreSQL schema."""
    if backend == "sqlite":
        return db_path
    server = request.getfixturevalue("pg_server")
    url = server.create_schema()
    request.addfinalizer(lambda: server.drop_schema(url))
    return url


BACKENDS = ["sqlite", pytest.param("pg", marks=pytest.mark.pg)]


@pytest.fixture
def sqlite_only(backend):
    """For tests of SQLite's own files and pragmas, in folders that also run on PostgreSQL."""
    if backend != "sqlite":
        pytest.skip("about the SQLite file itself")


@pytest.fixture
def ctx(db_target, clock) -> Context:
    """The first user of a new database: its manager."""
    context = make_context(db_target, clock)
    yield context
    context.store.close()


@pytest.fixture
def rep_ctx(ctx, db_path, clock):
    """A rep in the same database as `ctx` (the manager)."""
    User.create(login="rita", display_name="Rita Rep", role="rep", created_at=NOW)
    User.create(login="sam", display_name="Sam Support", role="support", created_at=NOW)
    User.create(login="ray", display_name="Ray Rep", role="rep", created_at=NOW)
    return Context(store=ctx.store, user=User.get(User.login == "rita"), config=ctx.config,
                   clock=clock, zone=timezone.utc)


def as_user(ctx: Context, login: str) -> Context:
    return Context(store=ctx.store, user=User.get(User.login == login), config=ctx.config,
                   clock=ctx.clock, zone=ctx.zone)
