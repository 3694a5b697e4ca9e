"""import, export, merge and db restore as a user runs them (in-process, on the test's clock).
That everyday commands load no vobject, icalendar or openpyxl is checked, in a fresh
interpreter, in tests/cli/test_headless_imports.py."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.cli.test_commands import assert_one_clear_line

DATA = Path(__file__).resolve().parent.parent / "data"


def test_import_reports_and_imports(cli):
    result = cli("import", str(DATA / "excel-gbk.csv"))
    assert result.code == 0, result.err
    assert "excel-gbk.csv: CSV, GB18030, comma-separated; 3 records" in result.out
    assert "Imported 3 customers (#1–#3)" in result.out
    found = cli("find", "zw", "--json").json()
    assert [c["name"] for c in found] == ["张伟"]


def test_a_file_with_bad_rows_imports_nothing_and_says_so_on_one_line(cli, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("姓名,邮箱\n好人,good@example.cn\n坏人,bad@\n", encoding="utf-8")
    result = cli("import", str(path))
    assert result.code == 1
    assert "line 3 坏人: 邮箱: 'bad@' is not an e-mail address" in result.out
    lines = result.err.strip().splitlines()
    assert lines == ["crmtui: 1 bad rows; nothing was imported. Fix them, or import the 1 "
                     "good rows with --skip-bad"]
    assert cli("find", "good", "--json").json() == []
    skipped = cli("import", str(path), "--skip-bad", "--json")
    assert skipped.code == 0
    report = skipped.json()
    assert (report["imported"], report["committed"]) == (1, True)
    assert report["rejected"] == [{"line": 3, "file": None, "name": "坏人",
                                   "reasons": ["邮箱: 'bad@' is not an e-mail address"]}]


def test_dry_run_and_duplicates(cli, tmp_path):
    cli("add", "Li Lei", "--phone", "139 1111 0000")
    cli("add", "Lei Li", "--email", "lilei@example.com")
    path = tmp_path / "in.csv"
    path.write_text("name,phone,email\nLi Lei,139 1111 0000,lilei@example.com\n"
                    "New,139 2222 0000,\n")
    dry = cli("import", str(path), "--dry-run")
    assert dry.code == 0, dry.err
    assert "line 2 Li Lei: same phone 139 1111 0000 as #1 Li Lei (boss); #1 and #2 are one " \
           "customer: crmtui merge 1 2" in dry.out
    assert "Dry run: would import 1 customer; nothing was changed." in dry.out
    assert len(cli("find", "139", "--json").json()) == 1
    assert cli("merge", "1", "2").code == 0
    assert cli("import", str(path)).code == 0
    assert sorted(c["name"] for c in cli("find", "139", "--json").json()) == ["Li Lei", "New"]


def test_import_errors_are_one_clear_line(cli, tmp_path):
    assert_one_clear_line(cli("import", str(tmp_path / "none.csv")), "there is no file")
    workbook = tmp_path / "book.xlsx"
    workbook.write_bytes(b"PK\x03\x04....")
    assert_one_clear_line(cli("import", str(workbook)), "damaged")
    names = tmp_path / "n.csv"
    names.write_text("Kunde\nX\n")
    assert_one_clear_line(cli("import", str(names)), "--map COLUMN=name")
    assert_one_clear_line(cli("import", str(names), "--map", "Kunde=nom"), "not a field")
    assert_one_clear_line(cli("import", str(names), "--map=--"), "--map takes COLUMN=FIELD")
    assert cli("import", str(names), "--map", "Kunde=name").code == 0
    assert_one_clear_line(cli("import", str(DATA / "iphone.vcf"), "--map", "a=name"),
                          "vCard")


def test_export_to_standard_output_and_to_a_file(cli, tmp_path):
    cli("import", str(DATA / "carddav-v4.vcf"))
    out = cli("export", "--format", "csv")
    assert out.code == 0 and out.err == ""
    rows = list(csv.DictReader(io.StringIO(out.out)))
    assert [r["name"] for r in rows] == ["Jane Doe", "李四"]
    assert rows[0]["birthday"] == "'--04-15"  # a spreadsheet would compute --04-15
    path = tmp_path / "c.vcf"
    written = cli("export", "--format", "vcf", "-o", str(path), "--json")
    assert written.json() == {"format": "vcf", "layout": "crmtui", "customers": 2,
                              "contacts": 0, "contacts_left_out": 0, "items": 2,
                              "file": str(path), "all": False, "unchanged": 0, "others": 0}
    assert path.read_text().count("BEGIN:VCARD") == 2
    ics = cli("export", "--format", "ics")
    assert ics.out.startswith("BEGIN:VCALENDAR") and "BEGIN:VALARM" in ics.out
    data = json.loads(cli("export", "--format", "json").out)
    assert [c["name"] for c in data["customers"]] == ["Jane Doe", "李四"]
    assert_one_clear_line(cli("export", "--format", "csv", "--json"), "-o")


def test_export_all_is_for_managers(cli, tmp_path):
    cli("add", "Boss's customer")
    assert cli("user", "add", "rita", "--role", "rep").code == 0
    assert_one_clear_line(cli("export", "--format", "csv", "--all", user="rita"),
                          "only a manager")
    mine = cli("export", "--format", "csv", user="rita")
    assert mine.code == 0 and len(mine.out.strip().splitlines()) == 1  # header only
    every = cli("export", "--format", "csv", "--all")
    assert "Boss's customer" in every.out


def test_merge_dry_run_and_merge(cli):
    keep = cli("add", "张三", "--phone", "138 1234 5678", "--json").json()["id"]
    other = cli("add", "张三 dup", "--phone", "023 6666 8888", "--company", "华信",
                "--json").json()["id"]
    dry = cli("merge", str(keep), str(other), "--dry-run")
    assert dry.code == 0, dry.err
    assert "Would merge #2 张三 dup into #1 张三" in dry.out
    assert "filled from #2: company=华信" in dry.out
    assert "name: 张三  (#2 had: 张三 dup)" in dry.out
    assert "Nothing was changed (dry run)." in dry.out
    merged = cli("merge", str(keep), str(other), "--json")
    assert merged.json()["done"] is True
    assert cli("show", str(keep), "--json").json()["phones"] == ["138 1234 5678",
                                                                 "023 6666 8888"]
    assert_one_clear_line(cli("show", str(other)), "no customer with id 2")
    assert_one_clear_line(cli("merge", "1", "1"), "into itself")


def test_db_restore_round_trip_and_refusals(cli, tmp_path):
    cli("add", "Before")
    copy = tmp_path / "copy.sqlite3"
    assert cli("db", "backup", "-o", str(copy)).code == 0
    cli("add", "After")
    restored = cli("db", "restore", str(copy))
    assert restored.code == 0, restored.err
    assert "The database it replaced is kept at" in restored.out
    assert [c["name"] for c in cli("find", "be", "--json").json()] == ["Before"]
    assert cli("find", "after", "--json").json() == []
    not_db = tmp_path / "notes.txt"
    not_db.write_text("hello")
    assert_one_clear_line(cli("db", "restore", str(not_db)), "not a crmtui database")
    assert_one_clear_line(cli("--db", "postgresql://crm@127.0.0.1:1/crm", "db", "restore",
                              str(copy), db=False), "pg_restore")


# -- mail clients ---------------------------------------------------------------------------------

def read_like_mutt(output: str) -> tuple[str, list[tuple[str, str, str]]]:
    """As mutt reads a query_command: the first line is a message, then address TAB name TAB
    other per line (aerc: the first field must parse as an address, the second is the name)."""
    from email.utils import parseaddr

    first, *lines = output.split("\n")
    entries = []
    for line in lines:
        if not line:
            continue
        fields = line.split("\t")
        assert len(fields) == 3, line
        assert "@" in parseaddr(fields[0])[1], line
        entries.append(tuple(fields))
    assert "@" not in parseaddr(first)[1]  # aerc passes over a first line that is no address
    return first, entries


def test_find_format_mutt_for_names_with_commas_tabs_and_cjk(cli):
    cli("add", "Doe, Jane", "--company", "Acme, Inc.", "--email", "jane@acme.example.com")
    cli("add", "张三", "--company", "重庆华信", "--email", "zs@huaxin.example.cn",
        "--phone", "138 1234 5678")
    cli("add", "No Mail", "--company", "Acme, Inc.")
    import sqlite3

    db = sqlite3.connect(cli.db)
    with db:  # a contact stored before text was cleaned on write
        db.execute("INSERT INTO contact (customer_id, name, title, role, phone, email, note) "
                   "VALUES (2, '王\t经理', '', 'decision_maker', '', 'wang@huaxin.example.cn', '')")
    db.close()  # (the command runs in this process: an open connection would look like a crash)
    result = cli("find", "zs", "--format", "mutt")
    assert result.code == 0 and result.err == ""
    first, entries = read_like_mutt(result.out)
    assert first == "crmtui: 2 addresses for 'zs'"  # pinyin initials, as find matches
    assert entries == [("zs@huaxin.example.cn", "张三", "重庆华信"),
                       ("wang@huaxin.example.cn", "王 经理", "重庆华信")]
    first, entries = read_like_mutt(cli("find", "acme", "--format", "mutt").out)
    assert entries == [("jane@acme.example.com", "Doe, Jane", "Acme, Inc.")]
    first, entries = read_like_mutt(cli("find", "wang", "--format", "mutt").out)
    assert entries == [("wang@huaxin.example.cn", "王 经理", "重庆华信")]
    first, entries = read_like_mutt(cli("find", "nobody", "--format", "mutt").out)
    assert (first, entries) == ("crmtui: no e-mail address for 'nobody'", [])


def test_mutt_lines_never_carry_a_tab_or_line_break_inside_a_field():
    from crmtui.services.transfer.mailquery import MailAddress, mutt_lines

    lines = mutt_lines("head\tline\n", [MailAddress("a@b.cn", "x\ty\nz\x1b[31m", "c\r\nd")])
    assert lines == ["head line", "a@b.cn\tx y z [31m\tc d"]


def test_import_and_export_options_for_workbooks_and_vdirs(cli, tmp_path):
    cli("add", "张三", "--company", "重庆华信", "--phone", "138 1234 5678")
    book = tmp_path / "out.xlsx"
    written = cli("export", "--format", "xlsx", str(book))
    assert written.code == 0, written.err
    assert written.out.strip() == f"Exported 1 customer to {book}"
    assert_one_clear_line(cli("export", "--format", "xlsx"), "name it")
    assert_one_clear_line(cli("export", "--format", "vcf", "--layout", "google", "-o",
                              str(tmp_path / "x.vcf")), "--format csv")
    folder = tmp_path / "cards"
    done = cli("export", "--format", "vdir", str(folder))
    assert done.code == 0 and "1 files written, 0 unchanged" in done.out
    assert cli("export", "--format", "vdir", str(folder)).out.strip().endswith(
        "0 files written, 1 unchanged")
    assert_one_clear_line(cli("import", str(book), "--sheet", "Nope"),
                          "has no sheet 'Nope'; its sheets: Customers, Contacts")
    dry = cli("import", str(book), "--dry-run")
    assert dry.code == 0 and "Excel workbook, sheet Customers" in dry.out
    assert "row 2 张三: same phone 138 1234 5678 as #1 张三 (boss)" in dry.out
    assert_one_clear_line(cli("import", str(folder), "--sheet", "x"), "--sheet")
    vdir = cli("import", str(folder), "--dry-run", "--json").json()
    assert (vdir["kind"], vdir["records"], len(vdir["duplicates"])) == ("vdir", 1, 1)
    assert vdir["duplicates"][0]["file"] == "customer-00000001.vcf"
    utf16 = tmp_path / "u.csv"
    utf16.write_bytes("name,phone\nX,139 0000 0000\n".encode("utf-16-le"))
    assert cli("import", str(utf16), "--dry-run", "--json").json()["encoding"] == "UTF-16"
    assert_one_clear_line(cli("import", str(utf16), "--encoding", "nope"), "not an encoding")
    google = cli("export", "--format", "csv", "--layout", "google")
    assert google.code == 0 and google.out.startswith("Name,Given Name,Family Name")
