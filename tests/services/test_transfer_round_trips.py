"""CSV, Excel and vCard exports read back by the importer give the same customers, over generated text:
Chinese, accents, quotes, commas, semicolons, backslashes, line breaks, and names that begin
with `=`, `+`, `-` or `@` (which the CSV export prefixes so a spreadsheet does not run them)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from crmtui.db import Customer
from crmtui.errors import InvalidInput
from crmtui.services.customers import add_customer
from crmtui.services.transfer.exporter import export
from crmtui.services.transfer.importer import import_file
from tests.conftest import Clock, make_context

PIECES = ["张三", "李", "重庆华信", "渝中区", "é", "Ü", "ñ", "Ø", "ç", "Zoë", "O'Brien", '"',
          "'", ",", ";", ":", "\\", "\n", "\r\n", "\t", " ", "  ", "=", "+", "-", "@", "1", "A1",
          "(", ")", "<b>", "[/]", "#", "%", "BEGIN:VCARD", "END:VCARD", "N:", "TEL;"]
FORMULA_STARTS = ["", "", "=", "+", "-", "@", "=SUM(", "+86 ", "-1", "@home "]

text = st.lists(st.sampled_from(PIECES) | st.text(min_size=1, max_size=3), min_size=1,
                max_size=8).map("".join)
names = st.builds(str.__add__, st.sampled_from(FORMULA_STARTS), text)
customers = st.lists(st.fixed_dictionaries({
    "name": names,
    "company": text,
    "title": text,
    "address": text,  # lines kept
    "notes": text,
}), min_size=1, max_size=4)

FIELDS = ("name", "company", "title", "address", "notes")


def stored() -> list[tuple]:
    return sorted(tuple(getattr(c, f) for f in FIELDS) for c in Customer.select())


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "vcf"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=customers)
def test_an_export_read_back_gives_the_same_customers(fmt, rows):
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        clock = Clock()
        source = make_context(home / "from.sqlite3", clock)
        try:
            for row in rows:
                try:
                    add_customer(source, row)
                except InvalidInput:  # nothing left of the name once cleaned, too long…
                    pass
            before = stored()
            assume(before)
            path = home / f"all.{fmt}"
            assert export(source, fmt, path, everyone=True).customers == len(before)
        finally:
            source.store.close()
        target = make_context(home / "to.sqlite3", clock)
        try:
            report = import_file(target, path)
            assert (report.rejected, report.duplicates) == ([], [])
            assert stored() == before
        finally:
            target.store.close()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_text_that_begins_with_a_quote_and_a_formula_sign_survives(tmp_path, clock, fmt):
    """The CSV export guards =x as '=x, which the import takes off; text typed as '=x is
    written ''=x, so it comes back as typed."""
    source = make_context(tmp_path / "from.sqlite3", clock)
    add_customer(source, {"name": "'=SUM(A1)", "notes": "'+1 as typed"})
    export(source, fmt, tmp_path / f"all.{fmt}", everyone=True)
    before = stored()
    source.store.close()
    target = make_context(tmp_path / "to.sqlite3", clock)
    try:
        import_file(target, tmp_path / f"all.{fmt}")
        assert stored() == before
    finally:
        target.store.close()
