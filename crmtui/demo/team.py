"""The team: the manager building the demo, a rep per 2,000 customers and a support user."""

from __future__ import annotations

from datetime import datetime

from crmtui.db import User

REP_NAMES = (
    ("wang.fang", "王芳"),
    ("li.na", "李娜"),
    ("zhang.wei", "张伟"),
    ("emma.brown", "Emma Brown"),
    ("liu.yang", "刘洋"),
    ("noah.king", "Noah King"),
    ("chen.jing", "陈静"),
    ("zhao.lei", "赵磊"),
)


def make_team(manager: User, customers: int, now: datetime) -> tuple[list[User], User]:
    """The owners (the manager first, then the reps) and the support user."""
    # a rep per 2,000 customers: 50 for the benchmark's 100k, 500 for a million
    reps_wanted = 5 if customers <= 2000 else min(500, max(5, customers // 2000))
    reps = []
    for index in range(reps_wanted):
        if index < len(REP_NAMES):
            login, display = REP_NAMES[index]
        else:
            login, display = f"rep{index + 1:02d}", f"Rep {index + 1:02d}"
        user, _ = User.get_or_create(  # type: ignore[no-untyped-call]  # untyped in peewee's stubs
            login=login,
            defaults={"display_name": display, "role": "rep", "created_at": now},
        )
        reps.append(user)
    support, _ = User.get_or_create(  # type: ignore[no-untyped-call]  # untyped in peewee's stubs
        login="support",
        defaults={"display_name": "客服 Support", "role": "support", "created_at": now},
    )
    return [manager, *reps], support
