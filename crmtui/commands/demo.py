"""Demo data: `crmtui demo` fills a database, `crmtui --demo` opens the app on a throw-away
one."""

from __future__ import annotations

import argparse
import atexit
import time
from pathlib import Path
from typing import TYPE_CHECKING

from crmtui.commands._common import open_context
from crmtui.i18n import _
from crmtui.output import say

if TYPE_CHECKING:
    from argparse import Namespace

    from crmtui.commands._common import Parser, Subparsers


def register(subparsers: Subparsers, common: Parser) -> None:
    p = subparsers.add_parser(
        "demo", parents=[common], help=_("fill an empty database with demo data")
    )
    p.add_argument("--customers", type=int, default=200, metavar="N")
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(handler=cmd_demo)


def cmd_demo(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.demo import build_demo

    ctx = open_context(args)
    started = time.perf_counter()
    summary = build_demo(ctx, args.customers, seed=args.seed)
    elapsed = time.perf_counter() - started
    say(
        _(
            "Demo data in {target}: {customers} customers, {interactions} interactions, {orders} "
            "orders, {complaints} complaints, {care} care dates, {promises} promises "
            "({seconds:.1f} s)"
        ).format(
            target=ctx.store.target,
            customers=summary.customers,
            interactions=summary.interactions,
            orders=summary.orders,
            complaints=summary.complaints,
            care=summary.care_dates,
            promises=summary.promises,
            seconds=elapsed,
        )
    )
    return 0


def demo_database(args: Namespace) -> str:
    """A throw-away database with demo data, removed when the process ends."""
    # when run: building the parser must not load what this command uses
    import shutil
    import tempfile

    from crmtui.demo import build_demo

    folder = Path(tempfile.mkdtemp(prefix="crmtui-demo-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "demo.sqlite3"
    demo_args = argparse.Namespace(**{**vars(args), "db": str(path)})
    ctx = open_context(demo_args)
    build_demo(ctx, 200)
    ctx.store.close()
    args.run_by = ctx.user.login  # its manager, who asked for it (under --user's name too)
    return str(path)
