"""A screen left open notices other users' saves through a probe that reads no table."""

from __future__ import annotations

import threading

from playhouse.test_utils import count_queries

from crmtui.services.changes import ChangeWatch
from crmtui.services.customers import add_customer, list_customers
from crmtui.services.interactions import log_interaction


def in_another_connection(function) -> None:
    """Peewee gives each thread its own connection: another thread is another user here."""
    errors = []

    def run():
        try:
            function()
        except BaseException as error:  # reported in the test's thread
            errors.append(error)
        finally:
            from crmtui.db import database

            database.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not errors, errors


def test_a_save_by_someone_else_is_noticed_once(ctx):
    customer = add_customer(ctx, {"name": "Watched"})
    watch = ChangeWatch(ctx)
    assert watch.changed() is False
    in_another_connection(lambda: log_interaction(ctx, customer.id, summary="called"))
    assert watch.changed() is True
    assert watch.changed() is False


def test_reading_is_not_a_change_and_asking_costs_one_query(ctx, backend):
    add_customer(ctx, {"name": "Quiet"})
    # PostgreSQL's probe covers the whole server, where other tests may be writing at the same
    # moment: there a read must go unnoticed in one of a few tries (a read that counted as a
    # change would be noticed in every one); SQLite's file is the test's own.
    tries = 1 if backend == "sqlite" else 5
    answers = []
    for _try in range(tries):
        watch = ChangeWatch(ctx)
        in_another_connection(lambda: list_customers(ctx))
        with count_queries() as counter:
            answers.append(watch.changed())
        assert counter.count == 1
        if answers[-1] is False:
            break
    assert answers[-1] is False, answers
