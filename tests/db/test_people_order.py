"""People sort by a stored key, as customers do: the dashboard's reps and the complaint handlers
in pinyin order (王芳 among the w's), without loading pinyin to list them, on every backend."""

from __future__ import annotations

import json
import subprocess
import sys

from crmtui.db import SchemaVersion, User
from crmtui.search import sort_key
from crmtui.services.complaints.workflow import handlers
from crmtui.services.users import add_user
from tests.conftest import make_context

PEOPLE = [("zhou", "周杰", "support"), ("ann", "Ann", "support"), ("wang.fang", "王芳", "manager"),
          ("kong", "孔明", "support"), ("bo", "", "support")]
PINYIN_ORDER = ["ann", "bo", "boss", "kong", "wang.fang", "zhou"]  # boss: the first manager


def add_people(ctx):
    for login, name, role in PEOPLE:
        add_user(ctx, login, name=name, role=role)


def test_a_user_row_keeps_the_sort_key_of_its_label_whoever_saves_it(ctx):
    add_people(ctx)
    User.create(login="zeng", display_name="曾琪", role="rep", created_at=ctx.now())
    for user in User.select():
        assert user.sort_name == sort_key(user.label), user.login
    user = User.get(User.login == "bo")
    user.display_name = "曾"
    user.save(only=[User.display_name])
    assert User.get(User.login == "bo").sort_name == sort_key("曾") == "zeng1"


def test_handlers_are_listed_in_pinyin_order(ctx):
    add_people(ctx)
    assert [person.login for person in handlers(ctx)] == PINYIN_ORDER


def test_an_upgrade_gives_the_people_already_stored_their_sort_keys(ctx, db_target, clock):
    add_people(ctx)
    User.update(sort_name="").execute()
    SchemaVersion.update(version=22).execute()
    ctx.store.close()
    again = make_context(db_target, clock)
    assert {user.login: user.sort_name for user in User.select()} == {
        user.login: sort_key(user.label) for user in User.select()}
    assert [person.login for person in handlers(again)] == PINYIN_ORDER
    again.store.close()


LIST_PEOPLE = """
import json, sys
from datetime import timezone
from crmtui.config import Config
from crmtui.services.context import open_context
from crmtui.services.complaints.workflow import handlers
from crmtui.services.figures.grades import rep_figures
from crmtui.services.figures.scope import scope_for
ctx = open_context(sys.argv[1], login="boss", zone=timezone.utc, config=Config())
names = [person.login for person in handlers(ctx)]
reps = [row.login for row in rep_figures(scope_for(ctx, everyone=True))]
print(json.dumps([names, reps, "pypinyin" in sys.modules]))
"""


def test_a_new_database_gives_its_first_user_a_sort_key_without_loading_pinyin(db_path):
    probe = ("import json, sys; from crmtui.cli import main; main(sys.argv[1:], login='ann'); "
             "from crmtui.db import User; "
             "print(json.dumps([[u.sort_name for u in User.select()], 'pypinyin' in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", probe, "--db", str(db_path), "due", "--brief"],
                          capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(done.stdout.splitlines()[-1]) == [["ann"], False]


def test_listing_people_does_not_load_pinyin(db_path, clock):
    from crmtui.services.customers import add_customer

    ctx = make_context(db_path, clock)
    add_people(ctx)
    for login in ("zhou", "wang.fang", "ann"):
        User.update(role="rep").where(User.login == login).execute()
        add_customer(ctx, {"name": f"customer of {login}"}, owner=login)
    ctx.store.close()
    done = subprocess.run([sys.executable, "-c", LIST_PEOPLE, str(db_path)], capture_output=True,
                          text=True, check=True, timeout=60)
    names, reps, loaded_pinyin = json.loads(done.stdout)
    assert names == ["bo", "boss", "kong"]
    assert reps == ["ann", "wang.fang", "zhou"]
    assert loaded_pinyin is False
