"""`crmtui stats`, `crmtui report daily|weekly` and `crmtui survey`: the dashboard's figures,
the end-of-day review and satisfaction scores from a shell."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmtui.commands._common import named_day, open_context
from crmtui.errors import CrmError, InvalidInput
from crmtui.i18n import _
from crmtui.labels import label, stored_text
from crmtui.output import console, emit_json, say, text_only_console
from crmtui.present.numbers import money
from crmtui.present.styles import grade_style
from crmtui.present.text import plain
from crmtui.present.time import days_span, moment
from crmtui.rules import DIMENSIONS

if TYPE_CHECKING:
    from argparse import Namespace
    from collections.abc import Callable, Sequence
    from datetime import datetime, tzinfo

    from rich.console import Console

    from crmtui.commands._common import Parser, Subparsers
    from crmtui.services.appointment_views import AppointmentView
    from crmtui.services.context import Context
    from crmtui.services.reports import Done, Report
    from crmtui.services.stats import Dashboard

REPORT_FORMATS = ("html", "svg")
REPORT_WIDTH = 100  # columns of a report written to a file
REPORT_ROWS = 100  # rows per section; a longer list is for --json


def register(subparsers: Subparsers, common: Parser) -> None:
    p = subparsers.add_parser(
        "stats",
        parents=[common],
        help=_(
            "the dashboard's figures: grades, movement, stages, 80/20, "
            "conversion, CSI, service levels"
        ),
    )
    p.add_argument(
        "--period",
        type=int,
        choices=(7, 30, 90),
        default=30,
        help=_("days of grade movement and complaint service levels (default 30)"),
    )
    p.add_argument("--all", action="store_true", help=_("the whole team (managers)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_stats)

    p = subparsers.add_parser(
        "report",
        parents=[common],
        help=_(
            "the end-of-day (or week) review: done, missed, promises, complaints, tomorrow's plan"
        ),
    )
    p.add_argument(
        "kind", choices=("daily", "weekly"), help=_("one day, or the Monday–Sunday week holding it")
    )
    p.add_argument("--date", metavar="D", help=_("the day (default today)"))
    p.add_argument("--all", action="store_true", help=_("the whole team (managers)"))
    output = p.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true")
    output.add_argument(
        "--format", choices=REPORT_FORMATS, help=_("write the report to a file, for mailing")
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=_("file to write (private to you); default standard output, as export"),
    )
    p.set_defaults(handler=cmd_report)

    p = subparsers.add_parser(
        "survey", parents=[common], help=_("record a satisfaction survey (1–5 per dimension)")
    )
    p.add_argument("customer", help=_("id or unambiguous name"))
    for dimension in DIMENSIONS:
        p.add_argument(f"--{dimension}", metavar="N", help=_("1–5"))
    p.add_argument(
        "--score",
        action="append",
        default=[],
        metavar="NAME=N",
        help=_("a score 1–5 on a dimension set in the config file (repeat)"),
    )
    p.add_argument("--comment", default="", metavar="TEXT", help=_("what the customer said"))
    p.add_argument("--complaint", metavar="ID", help=_("the closed complaint it follows"))
    p.add_argument("--at", metavar="WHEN", help=_("when it was given (default now)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_survey)


def _context(args: Namespace) -> Context:
    # when run: building the parser must not load what this command uses
    from crmtui.services.grading import move_grades_if_due

    ctx = open_context(args)
    move_grades_if_due(ctx)
    return ctx


# -- stats --------------------------------------------------------------------------------------


def cmd_stats(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.stats import (
        DEMOTED,
        PROMOTED,
        TARGET_KINDS,
        dashboard,
        key_customer_ids,
        moved_customer_ids,
        scope_for,
    )

    ctx = _context(args)
    figures = dashboard(
        ctx,
        args.period,
        everyone=args.all,
        target_kinds=TARGET_KINDS if args.json else ("month",),
        all_at_risk=args.json,
    )
    if not args.json:
        print_dashboard(figures)
        return 0
    scope = scope_for(ctx, everyone=args.all, day=figures.day)
    data = figures.to_json()
    data["movement"][PROMOTED] = moved_customer_ids(scope, args.period, PROMOTED)
    data["movement"][DEMOTED] = moved_customer_ids(scope, args.period, DEMOTED)
    data["key_customers"] = key_customer_ids(scope, figures.pareto)
    emit_json(data)
    return 0


def print_dashboard(d: Dashboard) -> None:
    """The dashboard's panels (`present.dashboard`), one under the other."""
    # when run: building the parser must not load what this command uses
    from rich.text import Text

    from crmtui.present.dashboard import dashboard_heading, dashboard_panels

    out = console()
    out.print(Text.assemble((_("Dashboard"), "bold"), " · ", dashboard_heading(d)))
    for panel in dashboard_panels(d):
        out.print()
        out.print(Text(panel.title, style="bold underline"))
        out.print(panel.body)


# -- report -------------------------------------------------------------------------------------


def cmd_report(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.reports import build_report

    fmt = args.format
    if args.output and args.json:
        raise InvalidInput.one("output", _("-o writes the report as html or svg, not JSON"))
    if args.output and not fmt:
        fmt = Path(args.output).suffix.lower().lstrip(".")
        if fmt not in REPORT_FORMATS:
            raise InvalidInput.one(
                "output", _("say --format html or --format svg for {file}").format(file=args.output)
            )
    ctx = _context(args)
    report = build_report(ctx, args.kind, named_day(ctx, args.date), everyone=args.all)
    if args.json:
        emit_json(report.to_json())
        return 0
    if not fmt:
        print_report(report, console(), ctx.zone)
        return 0
    if not args.output:  # as `crmtui export`: the file itself to standard output
        import sys

        sys.stdout.write(render_report(ctx, report, fmt))
        sys.stdout.flush()
        _audit_report(ctx, report, _("standard output"))
        return 0
    path = Path(args.output)
    write_report(ctx, report, path, fmt)
    say(_("Report written to {path}").format(path=path))
    return 0


def render_report(ctx: Context, report: Report, fmt: str) -> str:
    """The report as an HTML page or an SVG image (rich's export)."""
    recorder = text_only_console(
        record=True, width=REPORT_WIDTH, file=io.StringIO(), color_system="truecolor"
    )
    print_report(report, recorder, ctx.zone)
    if fmt == "html":
        return recorder.export_html()
    return recorder.export_svg(title=_report_title(report))


def _audit_report(ctx: Context, report: Report, where: Path | str) -> None:
    # when run: building the parser must not load what this command uses
    from crmtui.services.audit import audit
    from crmtui.services.context import writes

    # not a change the user asked for: recorded apart from their own
    writes(
        lambda c: audit(c, "export", "report", None, f"{report.kind} {report.day} -> {where}"),
        record=False,
    )(ctx)


def write_report(ctx: Context, report: Report, path: Path, fmt: str) -> None:
    """Render the report into an HTML or SVG file, written private to the user and moved into
    place once the export is in the audit log (as every export)."""
    # when run: building the parser must not load what this command uses
    from crmtui.services.transfer.exporter import private_temporary_file

    content = render_report(ctx, report, fmt)
    temporary = private_temporary_file(path)
    moved = False
    try:
        try:
            temporary.write_text(content, encoding="utf-8")
        except OSError as error:
            raise CrmError(
                _("cannot write {path}: {reason}").format(path=path, reason=error.strerror or error)
            ) from None
        # if the move below fails, nothing was saved for the user
        _audit_report(ctx, report, path)
        os.replace(temporary, path)
        moved = True
    finally:
        if not moved:
            temporary.unlink(missing_ok=True)


def _report_title(report: Report) -> str:
    if report.kind == "daily":
        return _("Daily report {day}").format(day=report.day)
    return _("Weekly report {start} – {end}").format(start=report.start, end=report.end)


def grade(letter: str | None) -> str:
    """A grade letter in its colour (– for none), as markup."""
    style = grade_style(letter)
    return f"[{style}]{letter}[/]" if style else "–"


def print_report(report: Report, out: Console, zone: tzinfo | None = None) -> None:
    # when run: building the parser must not load what this command uses
    from rich.markup import escape as esc
    from rich.table import Table
    from rich.text import Text

    from crmtui.present.schedule import review_words

    whose = _("the team") if report.team else report.user
    heading = Text()
    heading.append(_report_title(report), style="bold")
    heading.append(" · ")
    heading.append(plain(whose))
    out.print(heading)

    def section(
        title: str,
        rows: Sequence[Any],
        columns: tuple[int | str, ...],
        cells: Callable[[Any], tuple[str, ...]],
    ) -> None:
        """A heading with the count, then up to REPORT_ROWS rows; columns are a maximum
        width each, or "wide" for the one that folds."""
        out.print(f"\n[bold underline]{title}[/] ({len(rows)})")
        if not rows:
            return
        grid = Table.grid(padding=(0, 1))
        for column in columns:
            if isinstance(column, str):  # "wide"
                grid.add_column(overflow="fold", ratio=1)
            else:
                grid.add_column(no_wrap=True, overflow="ellipsis", max_width=column)
        for row in rows[:REPORT_ROWS]:
            grid.add_row(*cells(row))
        out.print(grid)
        if len(rows) > REPORT_ROWS:
            out.print(
                "  "
                + _("… and {n} more (all of them with --json)").format(n=len(rows) - REPORT_ROWS)
            )

    def team(who: str) -> str:
        return f" · {esc(who)}" if report.team and who else ""

    def done(row: Done) -> tuple[str, ...]:
        when = moment(row.at, zone)
        number = (
            _("first contact")
            if row.followup_number == 0
            else _("follow-up {n}").format(n=row.followup_number)
        )
        return (
            when[11:] if report.kind == "daily" else when[5:],
            grade(row.grade),
            esc(row.customer),
            label("channel", row.channel),
            f"{esc(row.summary)} · {label('outcome', row.outcome)} · {number}" + team(row.by),
        )

    section(_("Done"), report.done, (11, 1, 16, 8, "wide"), done)
    section(
        _("Missed (due, not done)"),
        report.missed,
        (5, 1, 16, 16, "wide"),
        lambda row: (
            row.due.strftime("%m-%d"),
            grade(row.grade),
            esc(row.customer),
            esc(row.company),
            esc(row.next_step or _("cadence")) + team(row.owner),
        ),
    )
    if report.backlog:
        out.print(_("[red]{n} older follow-ups are still overdue[/]").format(n=report.backlog))
    for title, rows in (
        (_("Promises kept"), report.promises_kept),
        (_("Promises broken"), report.promises_broken),
        (_("Promises due, not kept yet"), report.promises_open),
    ):
        section(
            title,
            rows,
            (5, 16, "wide"),
            lambda row: (row.due.strftime("%m-%d"), esc(row.customer), esc(row.text)),
        )
    section(
        _("New complaints"),
        report.complaints,
        (6, 8, 16, "wide"),
        lambda row: (
            f"#{row.complaint_id}",
            label("severity", row.severity),
            esc(row.customer),
            f"{esc(row.summary)} · {label('complaint_status', row.status)}",
        ),
    )
    section(
        _("Grade changes"),
        report.grade_changes,
        (16, 8, "wide"),
        lambda row: (
            esc(row.customer),
            f"{grade(row.from_grade)} → {grade(row.to_grade)}",
            esc(stored_text(row.reason)) + (f" · {esc(row.by)}" if row.by else ""),
        ),
    )
    section(
        _("Orders"),
        report.orders,
        (5, 16, "wide", 14),
        lambda row: (
            row.on.strftime("%m-%d"),
            esc(row.customer),
            f"{esc(row.product)} × {row.quantity}",
            f"{money(row.amount):>14}",
        ),
    )
    if report.orders:
        out.print(_("Total {amount}").format(amount=money(report.order_total)))

    def at(when: datetime) -> str:
        """When, in the user's zone: 10:00 in a daily report, 11-24 10:00 in a weekly one."""
        shown = moment(when, zone)
        return shown[11:] if report.kind == "daily" else shown[5:]

    def appointment(view: AppointmentView, what: str) -> tuple[str, ...]:
        return (
            at(view.starts_at),
            label("appointment_kind", view.kind),
            esc(view.customer),
            esc(what) + team(view.user),
        )

    width = 5 if report.kind == "daily" else 11
    section(
        _("Appointments done"),
        report.appointments_done,
        (width, 7, 16, "wide"),
        lambda view: appointment(
            view,
            " · ".join(
                part for part in (label("purpose", view.purpose), review_words(view)) if part
            ),
        ),
    )
    section(
        _("Appointments moved"),
        report.appointments_moved,
        (width, 7, 16, "wide"),
        lambda view: (
            at(view.first_starts_at),
            label("appointment_kind", view.kind),
            esc(view.customer),
            esc(_("moved to {when}").format(when=moment(view.starts_at, zone)[5:]))
            + team(view.user),
        ),
    )
    section(
        _("Appointments missed"),
        report.appointments_missed,
        (width, 7, 16, "wide"),
        lambda view: appointment(view, label("purpose", view.purpose)),
    )
    section(
        _("Instructions done"),
        report.instructions_done,
        (5, 16, "wide"),
        lambda row: (
            row.due.strftime("%m-%d"),
            esc(row.customer),
            esc(row.text) + (f" → {esc(row.note)}" if row.note else "") + team(row.to),
        ),
    )
    section(
        _("Instructions open"),
        report.instructions_open,
        (5, 16, "wide"),
        lambda row: (
            row.due.strftime("%m-%d"),
            esc(row.customer),
            esc(row.text)
            + (
                " · [red]"
                + esc(_("late by {span}").format(span=days_span(row.overdue_days)))
                + "[/]"
                if row.overdue_days
                else ""
            )
            + team(row.to),
        ),
    )
    section(
        _("Deliveries"),
        report.deliveries,
        (5, 16, "wide", 14),
        lambda row: (
            row.on.strftime("%m-%d"),
            esc(row.customer),
            f"#{row.order_id} {esc(row.product)} · {label('delivery', row.delivery)}",
            f"{money(row.amount):>14}",
        ),
    )
    section(
        _("Payments received"),
        report.payments,
        (5, 16, "wide", 14),
        lambda row: (
            row.on.strftime("%m-%d"),
            esc(row.customer),
            f"#{row.order_id} · {label('payment_method', row.method)}",
            f"{money(row.amount):>14}",
        ),
    )
    if report.payments:
        out.print(_("Received {amount}").format(amount=money(report.received)))
    section(
        _("Appointments on {day}").format(day=report.plan_day),
        report.plan_appointments,
        (5, 7, 16, "wide"),
        lambda view: (
            moment(view.starts_at, zone)[11:],
            label("appointment_kind", view.kind),
            esc(view.customer),
            esc(
                " · ".join(
                    part
                    for part in (label("purpose", view.purpose), " ".join(view.prep.split()))
                    if part
                )
            )
            + team(view.user),
        ),
    )
    section(
        _("Plan for {day}").format(day=report.plan_day),
        report.plan,
        (9, 1, 16, "wide"),
        lambda item: (
            label("due", item.kind),
            grade(item.grade.value if item.grade else None),
            esc(item.customer),
            esc(item.detail) + team(item.owner),
        ),
    )


# -- survey -------------------------------------------------------------------------------------


def cmd_survey(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.customers import resolve_customer
    from crmtui.services.surveys import record_survey

    scores = {name: getattr(args, name) for name in DIMENSIONS if getattr(args, name) is not None}
    for given in args.score:
        name, equals, value = given.partition("=")
        if not equals or not name.strip():
            raise InvalidInput.one(
                "score", _("'{text}' is not NAME=N, e.g. competitors=4").format(text=given)
            )
        scores[name.strip().lower()] = value.strip()
    ctx = open_context(args)
    customer = resolve_customer(ctx, args.customer)
    survey = record_survey(
        ctx, customer.id, scores, at=args.at, comment=args.comment, complaint=args.complaint
    )
    if args.json:
        given = {name: int(value) for name, value in scores.items() if str(value).strip()}
        emit_json(
            {
                "id": survey.id,
                "customer_id": customer.id,
                "at": survey.at,
                "complaint_id": survey.complaint_id,
                "comment": survey.comment,
                **{name: score for name, score in given.items() if name in DIMENSIONS},
                "scores": given,
            }
        )
    else:
        say(_("Survey #{id} recorded for {name}").format(id=survey.id, name=customer.name))
    return 0
