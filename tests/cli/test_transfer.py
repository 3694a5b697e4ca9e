"""import, export, merge and db restore as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
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
    assert report["rejected"] == [{"line": 3, "name": "坏人",
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
    assert "Dry run: would import 1 customers; nothing was changed." in dry.out
    assert len(cli("find", "139", "--json").json()) == 1
    assert cli("merge", "1", "2").code == 0
    assert cli("import", str(path)).code == 0
    assert sorted(c["name"] for c in cli("find", "139", "--json").json()) == ["Li Lei", "New"]


def test_import_errors_are_one_clear_line(cli, tmp_path):
    assert_one_clear_line(cli("import", str(tmp_path / "none.csv")), "there is no file")
    workbook = tmp_path / "book.xlsx"
    workbook.write_bytes(b"PK\x03\x04....")
    assert_one_clear_line(cli("import", str(workbook)), "Excel workbook")
    names = tmp_path / "n.csv"
    names.write_text("Kunde\nX\n")
    assert_one_clear_line(cli("import", str(names)), "--map COLUMN=name")
    assert_one_clear_line(cli("import", str(names), "--map", "Kunde=nom"), "not a field")
    assert cli("import", str(names), "--map", "Kunde=name").code == 0
    assert_one_clear_line(cli("import", str(DATA / "iphone.vcf"), "--map", "a=name"),
                          "vCard")


def test_export_to_standard_output_and_to_a_file(cli, tmp_path):
    cli("import", str(DATA / "carddav-v4.vcf"))
    out = cli("export", "--format", "csv")
    assert out.code == 0 and out.err == ""
    rows = list(csv.DictReader(io.StringIO(out.out)))
    assert [r["name"] for r in rows] == ["Jane Doe", "李四"]
    assert rows[0]["birthday"] == "--04-15"
    path = tmp_path / "c.vcf"
    written = cli("export", "--format", "vcf", "-o", str(path), "--json")
    assert written.json() == {"format": "vcf", "customers": 2, "items": 2,
                              "file": str(path), "all": False}
    assert path.read_text().count("BEGIN:VCARD") == 2
    ics = cli("export", "--format", "ics")
    assert ics.out.startswith("BEGIN:VCALENDAR") and "BEGIN:VALARM" in ics.out
    data = json.loads(cli("export", "--format", "json").out)
    assert [c["name"] for c in data["customers"]] == ["Jane Doe", "李四"]
    assert_one_clear_line(cli("export", "--format", "csv", "--json"), "-o")


def test_export_all_is_for_managers(cli, tmp_path):
    cli("add", "Boss's customer")
    subprocess.run([sys.executable, "-c", (
        "from crmtui.services.context import open_context; from crmtui.db import User; "
        "from datetime import datetime, timezone; "
        f"c = open_context({str(cli.db)!r}, login='boss'); "
        "User.create(login='rita', role='rep', created_at=datetime.now(timezone.utc))")],
        check=True, env=cli.env)
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


def test_everyday_commands_do_not_load_vobject_or_icalendar(cli):
    cli("add", "Someone")
    code = ("import sys; from crmtui.cli import main; "
            f"main(['--db', {str(cli.db)!r}, 'due', '--json'], login='boss'); "
            "print('loaded:' + ','.join(m for m in ('vobject', 'icalendar') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=cli.env, check=True)
    assert done.stdout.strip().splitlines()[-1] == "loaded:"
