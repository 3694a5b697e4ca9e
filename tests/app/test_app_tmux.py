"""Chinese typed into a real terminal: the app in tmux, 张三 sent as text (as an input method
sends it), saved, and found again by pinyin."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from crmtui.db import Customer
from crmtui.services.context import open_context

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux"),
]


class Tmux:
    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name = name
        self.env = env

    def run(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.name, *args], capture_output=True, text=True,
                              env=self.env, timeout=20)
        return done.stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name)

    def until(self, condition, what: str, timeout: float = 20) -> None:
        """Wait until `condition()` holds, looking every 0.1 s; fail saying what and showing
        the screen after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout:g} s, in vain, for {what}:\n"
                                     f"{self.screen()}")
            time.sleep(0.1)  # the interval between looks

    def wait_for(self, text: str) -> str:
        self.until(lambda: text in self.screen(), f"{text!r} on the screen")
        return self.screen()

    def running(self) -> bool:
        """The app's pane is still there (it closes when the app ends)."""
        done = subprocess.run(["tmux", "-L", self.name, "has-session", "-t", self.name],
                              capture_output=True, env=self.env, timeout=20)
        return done.returncode == 0


@pytest.fixture
def tmux(tmp_path):
    env = {**os.environ, "CRMTUI_DATA_DIR": str(tmp_path / "data"),
           "CRMTUI_CONFIG": str(tmp_path / "config.toml"), "CRMTUI_USER": "boss",
           "LANG": "C.UTF-8", "TERM": "xterm-256color", "TZ": "UTC"}
    for name in ("CRMTUI_DB", "LC_ALL", "LC_MESSAGES", "TMUX"):
        env.pop(name, None)
    session = Tmux(f"crmtui-{uuid.uuid4().hex[:8]}", env)
    yield session
    session.run("kill-server")


def test_chinese_typed_in_tmux_is_saved_and_found_by_pinyin(tmux, tmp_path):
    db = tmp_path / "crm.sqlite3"
    command = f"{sys.executable} -m crmtui --db {db} --lang zh"
    tmux.run("new-session", "-d", "-s", tmux.name, "-x", "80", "-y", "24", command)
    tmux.wait_for("1 今天")
    tmux.keys("2")
    tmux.wait_for("0 位客户")
    tmux.keys("n")
    tmux.wait_for("新客户")
    # A Tab typed within the first moments of the form opening can be undone when the dialog
    # finishes mounting and sets its focus again; type at a person's pace.
    time.sleep(1)
    tmux.keys("张三", literal=True)
    tmux.wait_for("张三")
    tmux.keys("Tab")
    tmux.keys("重庆华信", literal=True)
    screen = tmux.wait_for("重庆华信")
    assert "张三" in screen
    tmux.keys("C-s")
    screen = tmux.wait_for("#1 · 重庆华信")
    assert "张三" in screen and "概况" in screen
    tmux.keys("Escape")
    tmux.wait_for("1 位客户")
    tmux.keys("q")
    tmux.until(lambda: not tmux.running(), "the app to quit")
    ctx = open_context(db, login="boss")
    try:
        saved = Customer.get(Customer.name == "张三")
        assert saved.company == "重庆华信"
        from crmtui.services.customers import find_customers

        assert [c.id for c in find_customers(ctx, "zs")] == [saved.id]
    finally:
        ctx.store.close()
