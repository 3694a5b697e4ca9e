"""Exports (SPEC §5): CSV (crmtui's own layout, or Google's or Outlook's), Excel workbooks,
vCard files and vdirs that re-import to the same customers with their contacts, an iCalendar
file of the user's follow-ups, promises and care dates, and JSON of everything the user may see.

A rep (and a manager, by default) exports their own customers; a manager exports everyone's
with `everyone`. Every export is written to the audit log, so an export needs a writable
database. A file is written private (like the database) beside its destination and moved into
place only once the audit entry is saved.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from crmtui.db.files import file_mode_for
from crmtui.errors import CrmError, InvalidInput, StorageError
from crmtui.i18n import _
from crmtui.locations import user_path
from crmtui.services.audit import audit
from crmtui.services.context import Context, writes
from crmtui.services.transfer.export_calendar import calendar_export
from crmtui.services.transfer.export_cards import write_vcard_export, write_vdir_export
from crmtui.services.transfer.export_csv import write_csv_export
from crmtui.services.transfer.export_json import write_json_export
from crmtui.services.transfer.export_scope import count_contacts, instance_id, scope_owner
from crmtui.services.transfer.export_sheet import write_xlsx_export
from crmtui.services.transfer.layout_export import LAYOUTS
from crmtui.services.transfer.vdir import VdirWriter

FORMATS = ("csv", "vcf", "ics", "json", "xlsx", "vdir")


@dataclass(frozen=True)
class ExportResult:
    format: str
    customers: int
    items: int
    """What the file holds: customers, or calendar events for ics."""
    destination: str
    everyone: bool
    layout: str = "crmtui"
    contacts: int = 0
    """Contacts written with their customers."""
    contacts_left_out: int = 0
    """Contacts of the customers that the chosen layout cannot hold (Google's, Outlook's)."""
    unchanged: int = 0
    """vdir: files already holding the card written."""
    others: int = 0
    """vdir: card files in the folder that this export did not write."""


def export(
    ctx: Context,
    fmt: str,
    destination: Path | None = None,
    *,
    everyone: bool = False,
    stdout: TextIO | None = None,
    layout: str = "crmtui",
) -> ExportResult:
    """Write an export to `destination` (or standard output) and record it in the audit log."""
    if fmt not in FORMATS:
        raise InvalidInput.one(
            "format",
            _("'{fmt}' is not one of {formats}").format(fmt=fmt, formats=", ".join(FORMATS)),
        )
    if layout not in LAYOUTS:
        raise InvalidInput.one(
            "layout",
            _("'{layout}' is not one of {layouts}").format(
                layout=layout, layouts=", ".join(LAYOUTS)
            ),
        )
    if layout != "crmtui" and fmt != "csv":
        raise CrmError(
            _("--layout {layout} is a layout of CSV files; use it with --format csv").format(
                layout=layout
            )
        )
    if fmt in ("xlsx", "vdir") and destination is None:
        raise CrmError(
            _(
                "--format xlsx writes a file and --format vdir a folder; name it "
                "(crmtui export --format {fmt} PATH)"
            ).format(fmt=fmt)
        )
    if ctx.store.readonly:
        raise StorageError(
            _(
                "exports are written to the audit log, and {db} is read-only; nothing was exported"
            ).format(db=ctx.store.target)
        )
    owner_id = scope_owner(ctx, everyone)
    folder = _vdir_folder(destination) if fmt == "vdir" and destination is not None else None
    instance = instance_id(ctx)  # made in its own short transaction, before the reading starts
    temporary = (
        private_temporary_file(destination) if destination is not None and folder is None else None
    )
    vdir = None
    contacts = unchanged = others = 0
    try:
        with ctx.store.db.atomic():  # one snapshot of the database for the whole file
            if fmt == "ics":
                data, items, customers = calendar_export(ctx, owner_id, instance)
                if temporary is None:
                    out = stdout or sys.stdout
                    out.flush()
                    sink: Any = getattr(out, "buffer", out)  # the bytes under the text
                    sink.write(data)
                else:
                    temporary.write_bytes(data)
            elif fmt == "xlsx":
                assert temporary is not None  # xlsx needs a destination (checked above)
                customers, contacts = write_xlsx_export(ctx, temporary, owner_id, instance)
            elif fmt == "vdir":
                assert folder is not None  # vdir needs a destination (checked above)
                vdir = VdirWriter(folder, file_mode_for(folder))
                customers, contacts = write_vdir_export(ctx, vdir, owner_id, instance)
            else:
                writer: Callable[[Context, TextIO, int | None, str], tuple[int, int]]
                if fmt == "json":

                    def writer(
                        ctx: Context, out: TextIO, owner_id: int | None, instance: str
                    ) -> tuple[int, int]:
                        return write_json_export(ctx, out, owner_id, instance), 0
                elif fmt == "csv":

                    def writer(
                        ctx: Context, out: TextIO, owner_id: int | None, instance: str
                    ) -> tuple[int, int]:
                        return write_csv_export(ctx, out, owner_id, instance, layout)
                else:
                    writer = write_vcard_export
                if temporary is None:
                    customers, contacts = writer(ctx, stdout or sys.stdout, owner_id, instance)
                else:
                    # Excel reads UTF-8 CSV right only with a byte-order mark.
                    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
                    with open(temporary, "w", encoding=encoding, newline="") as out:
                        customers, contacts = writer(ctx, out, owner_id, instance)
            if fmt != "ics":
                items = customers
            left_out = count_contacts(owner_id) if layout != "crmtui" else 0
        shown = str(destination) if destination is not None else _("standard output")
        writes(
            lambda c: audit(
                c,
                "export",
                "customer",
                None,
                _("{fmt}: {n} customers ({scope}) to {where}").format(
                    fmt=fmt if layout == "crmtui" else f"{fmt} ({layout})",
                    n=customers,
                    scope=_("all") if owner_id is None else _("own"),
                    where=shown,
                ),
            ),
            record=False,
        )(ctx)  # if the rename fails, nothing was exported
        if temporary is not None and destination is not None:
            os.replace(temporary, destination)
            temporary = None
        if vdir is not None:
            vdir.commit()
            unchanged, others = vdir.unchanged, vdir.others()
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        if vdir is not None:
            vdir.discard()
    return ExportResult(
        format=fmt,
        customers=customers,
        items=items,
        destination=shown,
        everyone=owner_id is None,
        layout=layout,
        contacts=contacts,
        contacts_left_out=left_out,
        unchanged=unchanged,
        others=others,
    )


def _vdir_folder(destination: Path) -> Path:
    """The vdir's folder, made when its parent exists."""
    folder = user_path(destination)
    if folder.exists() and not folder.is_dir():
        raise CrmError(_("{path} is a file; a vdir is a folder").format(path=folder))
    if not folder.exists():
        if not folder.parent.is_dir():
            raise CrmError(_("there is no directory {path}").format(path=folder.parent))
        try:
            folder.mkdir(mode=0o700 if file_mode_for(folder.parent) == 0o600 else 0o770)
        except OSError as error:
            raise CrmError(
                _("cannot make the folder {path}: {reason}").format(
                    path=folder, reason=error.strerror
                )
            ) from None
    return folder


def private_temporary_file(destination: Path) -> Path:
    """A new private file beside the destination (same directory, so the rename is atomic)."""
    destination = user_path(destination)
    folder = destination.parent
    if destination.is_dir():
        raise CrmError(_("{path} is a directory; give a file name").format(path=destination))
    if not folder.is_dir():
        raise CrmError(_("there is no directory {path}").format(path=folder))
    mode = file_mode_for(folder)
    for _attempt in range(100):
        path = folder / f".{destination.name}.{uuid.uuid4().hex[:8]}.tmp"
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
        except FileExistsError:
            continue
        except OSError as error:
            raise CrmError(
                _("cannot write {path}: {reason}").format(path=destination, reason=error.strerror)
            ) from None
        os.fchmod(fd, mode)
        os.close(fd)
        return path
    raise CrmError(_("cannot write {path}").format(path=destination))


__all__ = ["FORMATS", "ExportResult", "export", "private_temporary_file"]
