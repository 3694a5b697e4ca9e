"""Shared fixtures: a real SQLite file per test, a fixed clock, users of each role."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from crmtui.config import Config
from crmtui.db import User
from crmtui.services.context import Context, open_context

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


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "crm.sqlite3"


def make_context(db_path, clock, login="boss", config: Config | None = None) -> Context:
    return open_context(db_path, login=login, clock=clock, zone=timezone.utc,
                        config=config or Config())


@pytest.fixture
def ctx(db_path, clock) -> Context:
    """The first user of a new database: its manager."""
    context = make_context(db_path, clock)
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
