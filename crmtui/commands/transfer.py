"""Getting data in and out: `crmtui import`, `crmtui export`, `crmtui merge`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from crmtui.commands._common import open_context
from crmtui.errors import CrmError
from crmtui.i18n import _
from crmtui.labels import label
from crmtui.output import console, emit_json

if TYPE_CHECKING:
    from argparse import Namespace

    from crmtui.commands._common import Parser, Subparsers
    from crmtui.services.context import Context
    from crmtui.services.transfer.report import ImportReport


def register(subparsers: Subparsers, common: Parser) -> None:
    p = subparsers.add_parser(
        "import",
        parents=[common],
        help=_("import customers from CSV, an Excel workbook, vCard or a vdir"),
        description=_(
            "Import customers from a CSV file with a header row (UTF-8, UTF-16, "
            "GBK/GB18030; comma, semicolon or tab; English or Chinese column names; "
            "Google and Outlook contact exports), an Excel workbook (.xlsx), a vCard "
            "file (2.1, 3.0, 4.0) or a vdir (a folder of .vcf files). A file with any "
            "bad row imports nothing unless --skip-bad is given; customers already "
            "there (same phone or e-mail) are reported and not created again."
        ),
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--sheet", metavar="NAME", help=_("the sheet of a workbook to read (when it has several)")
    )
    p.add_argument(
        "--encoding",
        metavar="NAME",
        help=_(
            "the text encoding of a CSV file, when it is not detected (big5, shift_jis, utf-16-le…)"
        ),
    )
    p.add_argument("--dry-run", action="store_true", help=_("check and report; change nothing"))
    p.add_argument(
        "--skip-bad", action="store_true", help=_("import the good rows even if some are bad")
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help=_("read COLUMN as FIELD (COLUMN= ignores it); repeat for several"),
    )
    p.add_argument(
        "--owner",
        metavar="LOGIN",
        help=_(
            "owner of every imported customer (managers; default: the file's "
            "owner column, else you)"
        ),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_import)

    p = subparsers.add_parser(
        "export",
        parents=[common],
        help=_("export customers (csv, xlsx, vcf, vdir, json) or a calendar (ics)"),
        description=_(
            "Export your customers (all customers with --all, managers) with their "
            "contacts as CSV (crmtui's layout, or Google's or Outlook's with --layout), "
            "an Excel workbook, vCard 4.0 or a vdir (a folder of .vcf files for khard "
            "and vdirsyncer) that import back, as JSON with their whole history, or "
            "your follow-ups, promises and care dates as an iCalendar file. Every "
            "export is recorded in the audit log."
        ),
    )
    p.add_argument("--format", required=True, choices=("csv", "xlsx", "vcf", "vdir", "ics", "json"))
    p.add_argument(
        "destination",
        nargs="?",
        metavar="PATH",
        help=_("the file (the folder for vdir) to write; the same as -o"),
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=_("write to FILE (private to you); default standard output"),
    )
    p.add_argument(
        "--layout",
        choices=("crmtui", "google", "outlook"),
        default="crmtui",
        help=_("CSV columns as crmtui (default), Google Contacts or Outlook write them"),
    )
    p.add_argument("--all", action="store_true", help=_("every rep's customers (managers)"))
    p.add_argument(
        "--json", action="store_true", help=_("print what was exported as JSON (with -o)")
    )
    p.set_defaults(handler=cmd_export)

    p = subparsers.add_parser(
        "merge",
        parents=[common],
        help=_("merge a duplicate customer into another"),
        description=_(
            "Move everything OTHER has (interactions, orders, promises, complaints, "
            "care dates, contacts, surveys, grade history, referrals) to KEEP, fill "
            "KEEP's empty fields from OTHER, report fields where both differ (KEEP's "
            "value stays), then delete OTHER."
        ),
    )
    p.add_argument("keep", metavar="KEEP", help=_("the customer that stays (id or name)"))
    p.add_argument("other", metavar="OTHER", help=_("the duplicate that goes (id or name)"))
    p.add_argument("--dry-run", action="store_true", help=_("show what would happen"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_merge)


def _ctx(args: Namespace) -> Context:
    return open_context(args)


def _say(text: str) -> None:
    console().print(text, markup=False, highlight=False, soft_wrap=True)


# -- import ---------------------------------------------------------------------------------------


def cmd_import(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.transfer.csvfile import parse_mapping
    from crmtui.services.transfer.importer import import_file

    mapping = parse_mapping(args.map)
    ctx = _ctx(args)
    report = import_file(
        ctx,
        Path(args.file),
        dry_run=args.dry_run,
        skip_bad=args.skip_bad,
        mapping=mapping,
        owner=args.owner,
        sheet=args.sheet,
        encoding=args.encoding,
    )
    if args.json:
        emit_json(report.to_json())
    else:
        print_import_report(report)
    if report.blocked:
        if report.imported:
            message = _(
                "{n} bad rows; nothing was imported. Fix them, or import the {good} "
                "good rows with --skip-bad"
            ).format(n=len(report.rejected), good=report.imported)
        else:
            message = _("{n} bad rows and none to import; nothing was imported").format(
                n=len(report.rejected)
            )
        sys.stderr.write(f"crmtui: {message}\n")
        return 1
    return 0


def print_import_report(report: ImportReport) -> None:
    if report.kind == "csv":
        what = f"CSV, {report.encoding}, " + label("delimiter", report.delimiter)
    elif report.kind == "xlsx":
        what = _("Excel workbook, sheet {sheet}").format(sheet=report.sheet)
    elif report.kind == "vdir":
        what = _("vdir (a folder of vCards), {encoding}").format(encoding=report.encoding)
    else:
        what = f"vCard, {report.encoding}"
    if report.layout:
        what += (
            ", "
            + {"google": _("Google Contacts layout"), "outlook": _("Outlook layout")}[report.layout]
        )
    _say(
        _("{file}: {what}; {n} records").format(
            file=Path(report.file).name, what=what, n=report.records
        )
    )
    if report.ignored_columns:
        _say(
            _("Ignored columns: {columns} (read one with --map COLUMN=FIELD)").format(
                columns=", ".join(report.ignored_columns)
            )
        )
    if report.ignored_files:
        _say(_("Not vCards, passed over: {files}").format(files=", ".join(report.ignored_files)))
    row_word = "row" if report.kind == "xlsx" else "line"
    if report.rejected:
        _say(_("Rejected ({n}):").format(n=len(report.rejected)))
        for row in report.rejected:
            _say(
                _("  {where}{name}: {reasons}").format(
                    where=_where(row_word, row.line, row.file),
                    name=f" {row.name}" if row.name else "",
                    reasons="; ".join(row.reasons),
                )
            )
    if report.duplicates:
        _say(_("Already there, not imported ({n}):").format(n=len(report.duplicates)))
        for dup in report.duplicates:
            if dup.existing_id is not None:
                where = _("#{id} {name}").format(id=dup.existing_id, name=dup.existing_name)
                if dup.existing_owner:
                    where += f" ({dup.existing_owner})"
            else:
                where = _where(row_word, dup.earlier_line, "")
            line = _("  {where} {name}: same {match} as {earlier}").format(
                where=_where(row_word, dup.line, dup.file),
                name=dup.name,
                match=dup.match,
                earlier=where,
            )
            if dup.merge:
                line += "; " + _("#{a} and #{b} are one customer: {command}").format(
                    a=dup.merge[0], b=dup.merge[1], command=dup.merge_command
                )
            _say(line)
    details = []
    if report.pinned:
        details.append(_("{n} imported grades pinned").format(n=report.pinned))
    if report.care_dates:
        details.append(_("{n} birthdays and anniversaries").format(n=report.care_dates))
    if report.contacts:
        details.append(_("{n} contacts").format(n=report.contacts))
    extra = f" ({', '.join(details)})" if details else ""
    if report.dry_run:
        if report.blocked:
            _say(
                _(
                    "Dry run: {n} rows are good; with bad rows nothing would be imported "
                    "without --skip-bad."
                ).format(n=report.imported)
            )
        else:
            _say(
                (
                    _("Dry run: would import {n} customer{extra}; nothing was changed.")
                    if report.imported == 1
                    else _("Dry run: would import {n} customers{extra}; nothing was changed.")
                ).format(n=report.imported, extra=extra)
            )
    elif report.committed:
        ids = (
            _(" (#{first}–#{last})").format(first=report.ids[0], last=report.ids[1])
            if report.ids
            else ""
        )
        _say(
            (
                _("Imported {n} customer{ids}{extra}.")
                if report.imported == 1
                else _("Imported {n} customers{ids}{extra}.")
            ).format(n=report.imported, ids=ids, extra=extra)
        )


def _where(word: str, line: int | None, file: str) -> str:
    """ "line 3", "row 3" (a workbook), "x.vcf line 3" (a vdir), "Contacts row 3"."""
    if file:
        return _("{file} {word} {n}").format(
            file=file, word=_("row") if word == "row" else _("line"), n=line
        )
    return _("row {n}").format(n=line) if word == "row" else _("line {n}").format(n=line)


# -- export ---------------------------------------------------------------------------------------


def cmd_export(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.transfer.exporter import export

    if args.destination and args.output and args.destination != args.output:
        raise CrmError(_("give the file once: as PATH or as -o, not both"))
    output = args.output or args.destination
    if args.json and not output:
        raise CrmError(
            _(
                "--json describes a file written with -o; without -o the export "
                "itself goes to standard output"
            )
        )
    ctx = _ctx(args)
    result = export(
        ctx, args.format, Path(output) if output else None, everyone=args.all, layout=args.layout
    )
    if args.json:
        emit_json(
            {
                "format": result.format,
                "layout": result.layout,
                "customers": result.customers,
                "contacts": result.contacts,
                "contacts_left_out": result.contacts_left_out,
                "items": result.items,
                "file": result.destination,
                "all": result.everyone,
                "unchanged": result.unchanged,
                "others": result.others,
            }
        )
    elif output:
        if result.format == "ics":
            _say(
                _("Exported {n} calendar events for {c} customers to {file}").format(
                    n=result.items, c=result.customers, file=result.destination
                )
            )
        elif result.format == "vdir":
            _say(
                _(
                    "Exported {n} customers and {k} contacts to {folder}: {changed} files "
                    "written, {same} unchanged"
                ).format(
                    n=result.customers,
                    k=result.contacts,
                    folder=result.destination,
                    changed=result.customers + result.contacts - result.unchanged,
                    same=result.unchanged,
                )
            )
            if result.others:
                _say(
                    _(
                        "{n} other .vcf files in the folder were left as they are (customers "
                        "deleted or not in this export)"
                    ).format(n=result.others)
                )
        elif result.contacts:
            _say(
                _("Exported {n} customers and {k} contacts to {file}").format(
                    n=result.customers, k=result.contacts, file=result.destination
                )
            )
        else:
            _say(
                (
                    _("Exported {n} customer to {file}")
                    if result.customers == 1
                    else _("Exported {n} customers to {file}")
                ).format(n=result.customers, file=result.destination)
            )
    if result.contacts_left_out and not args.json:
        sys.stderr.write(
            "crmtui: "
            + _(
                "{n} contacts of these customers are not in the file: the {layout} layout holds "
                "one person per row; the crmtui layout, xlsx, vcf and vdir carry them"
            ).format(n=result.contacts_left_out, layout=result.layout.capitalize())
            + "\n"
        )
    return 0


# -- merge ----------------------------------------------------------------------------------------


def cmd_merge(args: Namespace) -> int:
    # when run: building the parser must not load what this command uses
    from crmtui.services.customers import resolve_customer
    from crmtui.services.merge import merge_customers, plan_merge

    ctx = _ctx(args)
    keep = resolve_customer(ctx, args.keep)
    other = resolve_customer(ctx, args.other)
    if args.dry_run:
        plan = plan_merge(ctx, keep.id, other.id)
    else:
        plan = merge_customers(ctx, keep.id, other.id)
    if args.json:
        emit_json(plan.to_json())
        return 0
    head = _("Would merge") if args.dry_run else _("Merged")
    _say(
        _("{head} #{other} {other_name} into #{keep} {keep_name}").format(
            head=head,
            other=plan.other_id,
            other_name=plan.other_name,
            keep=plan.keep_id,
            keep_name=plan.keep_name,
        )
    )
    if plan.moved:
        _say(
            _("  moved: {items}").format(
                items=", ".join(f"{n} {label('records', name)}" for name, n in plan.moved.items())
            )
        )
    if plan.filled:
        _say(
            _("  filled from #{id}: {fields}").format(
                id=plan.other_id,
                fields=", ".join(f"{name}={value}" for name, value in plan.filled.items()),
            )
        )
    for name, value in plan.combined.items():
        _say(_("  {field} combined: {value}").format(field=name, value=value))
    if plan.dropped:
        _say(
            _("  copies dropped: {items}").format(
                items=", ".join(f"{n} {label('records', name)}" for name, n in plan.dropped.items())
            )
        )
    if plan.conflicts:
        _say(_("  differing, #{id}'s value kept:").format(id=plan.keep_id))
        for conflict in plan.conflicts:
            _say(
                _("    {field}: {keep}  (#{other} had: {theirs})").format(
                    field=conflict.field,
                    keep=conflict.keep,
                    other=plan.other_id,
                    theirs=conflict.other,
                )
            )
    if args.dry_run:
        _say(_("Nothing was changed (dry run)."))
    else:
        _say(_("#{id} was deleted; the merge is in the audit log.").format(id=plan.other_id))
    return 0
