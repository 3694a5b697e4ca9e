"""Google and Outlook CSV, Excel workbooks, vdirs, contacts in every format, spreadsheet-safe
cells and encodings without a byte-order mark: files shaped as each tool writes them."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from crmtui.db import CareDate, Contact, Customer
from crmtui.errors import CrmError, NotFound
from crmtui.services.customers import add_customer
from crmtui.services.transfer.columns import COLUMN_TITLES, field_for_column, is_export_only
from crmtui.services.transfer.contacts import CONTACT_FIELDS, contact_field_for
from crmtui.services.transfer.export_csv import safe_cell
from crmtui.services.transfer.export_sheet import sheet_headers
from crmtui.services.transfer.exporter import export
from crmtui.services.transfer.importer import import_file
from crmtui.services.transfer.layout_export import GOOGLE_HEADER, OUTLOOK_HEADER
from crmtui.services.transfer.table import unguard
from tests.conftest import NOW, as_user
from tests.services.test_export import fresh_database, snapshot, team  # noqa: F401 (fixture)

DATA = Path(__file__).resolve().parent.parent / "data"
CONTACT_FACTS = tuple(spec.name for spec in CONTACT_FIELDS)


def care_of(customer_id: int) -> list[tuple]:
    return sorted((c.kind, c.month, c.day, c.year, c.lunar, c.leap)
                  for c in CareDate.select().where(CareDate.customer == customer_id))


def contacts_of(customer_id: int) -> list[dict]:
    return [{name: getattr(c, name) for name in CONTACT_FACTS}
            for c in Contact.select().where(Contact.customer == customer_id).order_by(Contact.id)]


def all_contacts() -> dict[str, list[dict]]:
    return {c.name: contacts_of(c.id) for c in Customer.select()}


# -- Google Contacts ----------------------------------------------------------------------------

def test_google_contacts_csv_in_full(ctx):
    report = import_file(ctx, DATA / "google-contacts.csv", skip_bad=True)
    assert report.layout == "google"
    assert report.ignored_columns == []  # Google's own columns crmtui keeps nothing of are known
    assert [(r.line, r.name) for r in report.rejected] == [(7, "Broken Cell")]  # quoted newlines
    assert report.rejected[0].reasons == (
        "Phone 1 - Value: an empty value between ' ::: ' in "
        "'139 1111 2222 :::  ::: 139 3333 4444'",)
    li = Customer.get(Customer.name == "李伟")
    # the primary (*) number first, then the cell's two values in order
    assert li.phone_list == ["021-5555 1234", "+86 138 0013 8000", "010-6666 8888"]
    assert li.email == "liwei@huaxin.example.cn"  # the * Work address is the primary
    assert li.tags == "vip,starred"  # * myContacts is no tag; * starred is
    assert (li.company, li.title) == ("华信科技有限公司", "销售总监 (销售部)")
    assert li.address == "中国上海市黄浦区人民路1号 200001"
    assert li.personality == "钓鱼"
    assert li.notes == ("老客户\n喜欢喝茶\nE-mail (Home): li.home@example.cn\n"
                        "Website (Work): https://huaxin.example.cn")
    assert care_of(li.id) == [("birthday", 5, 20, 1980, False, False)]
    mary = Customer.get(Customer.name == "Mary Jones")
    assert mary.phone_list == ["+44 20 7946 0000"]  # the fax is no phone to call
    assert mary.notes == "Work Fax: +44 20 7946 0001"
    assert mary.title == "Buyer"  # Occupation, when there is no organisation title
    assert mary.tags == "friends"
    assert mary.address == "1 High Street\nLondon SW1A 1AA\nUK"
    assert care_of(mary.id) == [("birthday", 7, 4, None, False, False)]


def rows_of(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_a_google_file_exported_back_in_googles_layout(ctx, tmp_path):
    import_file(ctx, DATA / "google-contacts.csv", skip_bad=True)
    path = tmp_path / "back.csv"
    export(ctx, "csv", path, layout="google")
    original = {r["Name"]: r for r in rows_of(DATA / "google-contacts.csv")}
    for row in rows_of(path):
        source = original[row["Name"]]
        for column in ("Given Name", "Family Name", "Birthday", "Hobby",
                       "Organization 1 - Name"):
            assert row[column] == source[column], column
        emails = {source["E-mail 1 - Value"], source["E-mail 2 - Value"]} - {""}
        assert row["E-mail 1 - Value"] in emails
        phones = {p.strip() for c in ("Phone 1 - Value", "Phone 2 - Value")
                  for p in source[c].split(":::") if p.strip()}
        assert set(row["Phone 1 - Value"].split(" ::: ")) <= phones
        groups = {g.lower() for g in source["Group Membership"].split(" ::: ")}
        assert {g.lower() for g in row["Group Membership"].split(" ::: ")} <= groups | {
            g.lstrip("* ") for g in groups}  # tags are lower case
    li = next(r for r in rows_of(path) if r["Name"] == "李伟")
    assert li["Organization 1 - Title"] == "销售总监 (销售部)"
    assert li["Group Membership"] == "* myContacts ::: vip ::: * starred"


def test_an_outlook_file_exported_back_in_outlooks_layout(ctx, tmp_path):
    import_file(ctx, DATA / "outlook-contacts.csv")
    path = tmp_path / "back.csv"
    export(ctx, "csv", path, layout="outlook")
    original = {r["E-mail Address"]: r for r in rows_of(DATA / "outlook-contacts.csv")}
    for row in rows_of(path):
        source = original[row["E-mail Address"]]
        for column in ("Last Name", "Company", "Birthday", "Hobby"):
            assert row[column] == source[column], column
        if source["Middle Name"]:
            assert row["First Name"] == f"{source['First Name']} {source['Middle Name']}"
        else:
            assert row["First Name"] == source["First Name"]
        numbers = {source[c] for c in OUTLOOK_HEADER if c.endswith("Phone") and source[c]}
        assert {row[c] for c in OUTLOOK_HEADER if c.endswith("Phone") and row[c]} <= numbers
    li = next(r for r in rows_of(path) if r["Company"] == "华信科技有限公司")
    assert (li["Job Title"], li["Categories"]) == ("经理 (销售部)", "vip;北方")
    assert (li["Mobile Phone"], li["Business Phone"]) == ("138 1234 5678", "023-6666 8888")


def test_an_empty_value_between_google_separators_stops_the_file(ctx):
    report = import_file(ctx, DATA / "google-contacts.csv")
    assert report.blocked and not report.committed
    assert Customer.select().count() == 0


def test_google_layout_export_imports_back_with_every_field(team_with_contacts, tmp_path, clock):
    before = snapshot()
    path = tmp_path / "google.csv"
    result = export(team_with_contacts, "csv", path, everyone=True, layout="google")
    assert result.contacts_left_out == 3
    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert tuple(header) == GOOGLE_HEADER
    other = fresh_database(tmp_path, clock)
    report = import_file(other, path)
    assert (report.layout, report.rejected, report.imported) == ("google", [], 5)
    assert snapshot() == before
    other.store.close()


# -- Outlook ------------------------------------------------------------------------------------

def test_outlook_csv_full_header_with_bom_and_crlf(ctx):
    data = (DATA / "outlook-contacts.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf\"Title\",\"First Name\"") and b"\r\n" in data
    report = import_file(ctx, DATA / "outlook-contacts.csv")
    assert (report.layout, report.rejected, report.imported) == ("outlook", [], 2)
    assert report.ignored_columns == []
    li = Customer.get(Customer.name == "李伟")
    assert (li.company, li.title) == ("华信科技有限公司", "经理 (销售部)")
    assert li.phone_list == ["138 1234 5678", "023-6666 8888"]  # mobile, then business
    assert li.email == "liwei@huaxin.example.cn"
    assert li.address == "中国重庆人民路1号 400010\n5 Elm Street, Springfield, IL 62701"
    assert li.tags == "vip,北方"
    assert (li.personality, li.family) == ("钓鱼", "Spouse: 赵丽")
    assert li.notes == ("第一行\n第二行\nE-mail: li.home@example.cn\nE-mail: lw@example.org\n"
                        "Business Fax: 023-6666 8889")
    assert care_of(li.id) == [("birthday", 5, 20, 1980, False, False)]  # 0/0/00 is no date
    assert contacts_of(li.id) == [  # in the order of Outlook's columns
        {"name": "小张", "title": "Assistant", "role": "user", "phone": "139 0000 1111",
         "email": "", "note": "", "department": "", "im_id": "", "birthday": ""},
        {"name": "王总", "title": "Manager", "role": "user", "phone": "", "email": "", "note": "",
         "department": "", "im_id": "", "birthday": ""}]
    john = Customer.get(Customer.email == "john@acme.example.com")
    assert (john.name, john.title) == ("John Q. Smith", "CEO")  # Title is Mr., not the job
    assert john.phone_list == ["+1 617 555 0100", "+1 617 555 0199"]
    assert john.address == "1 Main St, Boston, MA"
    assert john.notes == "Web page: https://acme.example.com\nAssistant (phone): +1 617 555 0150"
    assert care_of(john.id) == [("anniversary", 6, 12, 2005, False, False),
                                ("birthday", 7, 4, 1975, False, False)]
    assert contacts_of(john.id) == []


def test_outlook_layout_export_holds_what_outlook_has(team_with_contacts, tmp_path, clock):
    path = tmp_path / "outlook.csv"
    export(team_with_contacts, "csv", path, everyone=True, layout="outlook")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert tuple(rows[0].keys()) == OUTLOOK_HEADER
    zhang = next(r for r in rows if r["Company"] == "重庆华信, 科技有限公司")
    assert (zhang["Last Name"], zhang["First Name"], zhang["Birthday"]) == ("张", "三", "3/15/1985")
    # read by Outlook's importer, which keeps a ': a phone number is written as it is
    assert (zhang["Mobile Phone"], zhang["Business Phone"]) == ("+86 138 1234 5678",
                                                                "023-6666 8888 x12")
    other = fresh_database(tmp_path, clock)
    report = import_file(other, path)
    assert (report.layout, report.rejected, report.imported) == ("outlook", [], 5)
    back = Customer.get(Customer.name == "张三")
    assert back.phone_list == ["+86 138 1234 5678", "023-6666 8888 x12"]
    assert (back.company, back.email, back.tags) == ("重庆华信, 科技有限公司",
                                                     "zs@huaxin.example.cn", "vip,north")
    # Outlook has no yearless dates: the anniversary (June 1st) stays in the notes
    assert care_of(back.id) == [("birthday", 3, 15, 1985, False, False)]
    assert back.notes.endswith("Anniversary: --06-01")
    other.store.close()


# -- contacts travel with their customer ---------------------------------------------------------

@pytest.fixture
def team_with_contacts(team):
    zhang = Customer.get(Customer.name == "张三")
    Contact.create(customer=zhang, name="王经理", title="采购经理", role="decision_maker",
                   phone="023-6666 0001, 138 0000 0003", email="wang@huaxin.example.cn",
                   note="周一不在", department="采购部", im_id="wx_wang", birthday="--02-29")
    Contact.create(customer=zhang, name="=cmd|' /C calc'!A0", role="influencer",
                   phone="+86 139 0000 0002", note="line one\nline two, with; delimiters")
    leap = Customer.get(Customer.name == "Leap Lunar")
    Contact.create(customer=leap, name="Ann Lee", role="other", email="ann@example.com",
                   birthday="1980-07-01")
    add_customer(team, {"name": "No Contacts Yet", "email": "none@example.com"})
    return team


@pytest.mark.parametrize("fmt, name", [("csv", "all.csv"), ("xlsx", "all.xlsx"),
                                       ("vcf", "all.vcf"), ("vdir", "cards")])
def test_contacts_travel_with_their_customer(team_with_contacts, tmp_path, clock, fmt, name):
    before, people = snapshot(), all_contacts()
    path = tmp_path / name
    result = export(team_with_contacts, fmt, path, everyone=True)
    assert (result.customers, result.contacts) == (5, 3)
    other = fresh_database(tmp_path, clock)
    report = import_file(other, path)
    assert (report.rejected, report.duplicates) == ([], [])
    assert (report.imported, report.contacts) == (5, 3)
    assert snapshot() == before
    assert all_contacts() == people
    other.store.close()


def test_csv_contact_columns_and_their_checks(ctx, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("name,contact_1_name,contact_1_email,Contact 2 - Name,Contact 2 - Role,"
                    "联系人3姓名,联系人3角色\n"
                    "华信,王经理,wang@example.cn,李工,Decision maker,赵总,决策者\n"
                    "坏的,,bad@,张三,boss,,\n", encoding="utf-8")
    report = import_file(ctx, path)
    assert [(r.line, r.reasons) for r in report.rejected] == [(3, (
        "Contact 1 – Name: required", "Contact 1 – E-mail: 'bad@' is not an e-mail address",
        "Contact 2 – Role: 'boss' is not one of decision_maker, influencer, purchaser, user, "
        "other"))]
    assert Contact.select().count() == 0  # all or nothing
    report = import_file(ctx, path, skip_bad=True)
    assert report.contacts == 3
    huaxin = Customer.get(Customer.name == "华信")
    assert [(c["name"], c["role"], c["email"]) for c in contacts_of(huaxin.id)] == [
        ("王经理", "user", "wang@example.cn"), ("李工", "decision_maker", ""),
        ("赵总", "decision_maker", "")]


def test_a_contact_card_whose_customer_is_missing_is_reported(ctx, tmp_path):
    path = tmp_path / "c.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Lonely\r\n"
                    "RELATED;TYPE=contact:urn:uuid:0000\r\nEND:VCARD\r\n")
    report = import_file(ctx, path)
    assert [(r.line, r.name) for r in report.rejected] == [(1, "Lonely")]
    assert "urn:uuid:0000" in report.rejected[0].reasons[0]


def test_json_export_carries_contacts_with_every_field(team_with_contacts, tmp_path):
    import json

    path = tmp_path / "all.json"
    export(team_with_contacts, "json", path, everyone=True)
    customers = json.loads(path.read_text())["customers"]
    zhang = next(c for c in customers if c["name"] == "张三")
    assert [c["name"] for c in zhang["contacts"]] == ["王经理", "=cmd|' /C calc'!A0"]
    assert set(CONTACT_FACTS) <= zhang["contacts"][0].keys()


# -- Excel workbooks ------------------------------------------------------------------------------

def chinese_team_workbook(path: Path, *, second_sheet: bool = True) -> None:
    """As a Chinese team keeps customers: a merged title row, Chinese headers, Excel dates, a
    phone typed as a number, an amount as a number, dates typed as text, empty styled rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客户名单"
    sheet["A1"] = "2026年客户名单"
    sheet.merge_cells("A1:G1")
    sheet.append(["姓名", "公司", "手机", "生日", "需求", "预计成交", "金额"])
    sheet.append(["张伟", "北京华信", 13900001111, datetime(1978, 5, 20), "明显需求",
                  "2026/12/10", 12000])
    sheet.append(["李娜", "上海贸易", "138 2222 3333", "--08-15", "潜在需求", None, None])
    sheet.append(["王芳", "重庆机械", "137 4444 5555", date(1990, 2, 28), "明显需求",
                  datetime(2027, 1, 15), 3500.5])
    for row in range(6, 40):  # formatted but empty rows below the data
        sheet.cell(row=row, column=1).number_format = "@"
    if second_sheet:
        notes = book.create_sheet("说明")
        notes.append(["说明"])
        notes.append(["每周更新"])
    book.save(path)


def test_workbook_with_a_merged_title_row_excel_dates_and_numbers(ctx, tmp_path):
    path = tmp_path / "客户.xlsx"
    chinese_team_workbook(path, second_sheet=False)
    report = import_file(ctx, path)
    assert (report.kind, report.sheet, report.records, report.rejected) == (
        "xlsx", "客户名单", 3, [])
    zhang = Customer.get(Customer.name == "张伟")
    assert zhang.phone_list == ["13900001111"]
    assert (zhang.need, zhang.expected_close, str(zhang.expected_amount)) == (
        "clear", date(2026, 12, 10), "12000.00")
    assert care_of(zhang.id) == [("birthday", 5, 20, 1978, False, False)]
    wang = Customer.get(Customer.name == "王芳")
    assert (wang.expected_close, str(wang.expected_amount)) == (date(2027, 1, 15), "3500.50")
    li = Customer.get(Customer.name == "李娜")
    assert care_of(li.id) == [("birthday", 8, 15, None, False, False)]


def test_a_workbook_with_several_sheets_needs_sheet(ctx, tmp_path):
    path = tmp_path / "book.xlsx"
    chinese_team_workbook(path)
    with pytest.raises(CrmError, match="several sheets with data \\(客户名单, 说明\\); choose one "
                                        "with --sheet NAME"):
        import_file(ctx, path)
    with pytest.raises(NotFound, match="has no sheet 'Sheet9'; its sheets: 客户名单, 说明"):
        import_file(ctx, path, sheet="Sheet9")
    report = import_file(ctx, path, sheet="客户名单")
    assert report.imported == 3


def test_workbook_rows_are_checked_by_row_all_or_nothing(ctx, tmp_path):
    path = tmp_path / "bad.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "E-mail", "Expected close"])
    sheet.append(["Good", "good@example.com", datetime(2026, 12, 1)])
    sheet.append([None, None, None])
    sheet.append(["Bad", "not-mail", "2026-13-45"])
    book.save(path)
    report = import_file(ctx, path, dry_run=True)
    assert [(r.line, r.name) for r in report.rejected] == [(4, "Bad")]
    assert report.rejected[0].reasons[0] == "E-mail: 'not-mail' is not an e-mail address"
    report = import_file(ctx, path)
    assert report.blocked and Customer.select().count() == 0


def test_a_two_row_header_under_merged_group_headings(ctx, tmp_path):
    path = tmp_path / "two.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "联系方式", None, "备注"])
    sheet.append([None, "手机", "邮箱", None])
    sheet.merge_cells("B1:C1")
    sheet.merge_cells("A1:A2")
    sheet.append(["赵六", "138 0000 9999", "zhao@example.cn", "老客户"])
    book.save(path)
    report = import_file(ctx, path)
    assert report.rejected == [] and report.ignored_columns == []
    zhao = Customer.get()
    assert (zhao.name, zhao.phones, zhao.email, zhao.notes) == (
        "赵六", "138 0000 9999", "zhao@example.cn", "老客户")
    assert report.records == 1


def test_workbook_export_is_typed_with_headers_in_the_interface_language(team_with_contacts,
                                                                         tmp_path, clock):
    from crmtui.i18n import set_language

    before, people = snapshot(), all_contacts()
    path = tmp_path / "zh.xlsx"
    set_language("zh")
    try:
        export(team_with_contacts, "xlsx", path, everyone=True)
        headers = sheet_headers()
    finally:
        set_language("en")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["客户", "联系人"]
    customers, contacts = book["客户"], book["联系人"]
    assert [c.value for c in customers[1]] == headers[0]
    assert headers[0][:4] == ["编号", "姓名", "公司", "职务"]
    rows = {row[1]: row for row in customers.iter_rows(min_row=2, values_only=True)}
    zhang = rows["张三"]
    assert zhang[headers[0].index("需求")] == "明显需求"
    assert zhang[headers[0].index("预计成交")] == datetime(2026, 12, 20)
    assert zhang[headers[0].index("生日")] == datetime(1985, 3, 15)
    assert zhang[headers[0].index("预计金额")] == 120000.5
    formula = rows["=SUM(A1)"]
    assert formula[1] == "=SUM(A1)"  # stored as text, never run
    cell = next(c for c in customers["B"] if c.value == "=SUM(A1)")
    assert cell.data_type == "s"
    assert [c.value for c in contacts[1]][:3] == ["客户编号", "客户", "姓名"]
    assert contacts.max_row == 4
    other = fresh_database(tmp_path, clock)  # Chinese headers and words import back
    report = import_file(other, path)
    assert (report.rejected, report.imported, report.contacts) == ([], 5, 3)
    assert snapshot() == before and all_contacts() == people
    other.store.close()


def test_every_sheet_header_reads_back_as_its_field_in_both_languages():
    from crmtui.i18n import catalogue

    zh = catalogue("zh")
    for name, title in COLUMN_TITLES.items():
        for text in (title, zh.pgettext("column", title)):
            if name in ("id",):
                continue
            assert field_for_column(text) == name or is_export_only(text), (name, text)
    for spec in CONTACT_FIELDS:
        for text in (spec.title, zh.pgettext("column", spec.title)):
            assert contact_field_for(text) == spec.name, (spec.name, text)


# -- vdir ---------------------------------------------------------------------------------------

def test_vdir_export_names_files_by_id_and_a_second_export_updates(team_with_contacts, tmp_path):
    folder = tmp_path / "book"
    first = export(team_with_contacts, "vdir", folder, everyone=True)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 8 and all(n.endswith(".vcf") for n in names)
    assert (first.unchanged, first.others) == (0, 0)
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in folder.iterdir())
    zhang = Customer.get(Customer.name == "张三")
    zhang.notes = "changed"
    zhang.updated_at = datetime(2026, 11, 24, tzinfo=NOW.tzinfo)
    zhang.save()
    second = export(team_with_contacts, "vdir", folder, everyone=True)
    assert sorted(p.name for p in folder.iterdir()) == names
    assert second.unchanged == 7
    assert sum("NOTE:changed" in p.read_text() for p in folder.iterdir()) == 1


def test_a_vdir_of_twenty_files_with_one_broken(ctx, tmp_path):
    folder = tmp_path / "contacts"
    folder.mkdir()
    for n in range(19):
        (folder / f"card-{n:02d}.vcf").write_text(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nTEL:+86 138 0000 {n:04d}\r\n"
            f"END:VCARD\r\n")
    (folder / "card-19.vcf").write_text("this is not a card\n")
    (folder / "displayname").write_text("Work")
    (folder / "color").write_text("#ff0000")
    report = import_file(ctx, folder)
    assert report.kind == "vdir" and report.records == 20
    assert [(r.file, r.line) for r in report.rejected] == [("card-19.vcf", 1)]
    assert "not a vCard" in report.rejected[0].reasons[0]
    assert report.ignored_files == ["color", "displayname"]
    assert report.blocked and Customer.select().count() == 0
    report = import_file(ctx, folder, skip_bad=True)
    assert report.imported == 19


def test_a_folder_of_address_books_points_at_them(ctx, tmp_path):
    (tmp_path / "books" / "work").mkdir(parents=True)
    (tmp_path / "books" / "work" / "a.vcf").write_text("BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n")
    with pytest.raises(CrmError, match="its folders work do: import one of them"):
        import_file(ctx, tmp_path / "books")


# -- spreadsheet-safe cells ------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_written_as_text_and_read_back(text):
    assert safe_cell(text) == "'" + text
    assert unguard(safe_cell(text)) == text


def test_google_and_outlook_cells_keep_phone_numbers_and_dates_but_guard_formulas():
    from crmtui.services.transfer.export_csv import contacts_tool_cell

    assert contacts_tool_cell("+86 138 0013 8000") == "+86 138 0013 8000"
    assert contacts_tool_cell("--07-04") == "--07-04"
    assert contacts_tool_cell("+cmd|' /C calc'!A0") == "'+cmd|' /C calc'!A0"
    assert contacts_tool_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert contacts_tool_cell("-minus") == "'-minus"


def test_numbers_in_numeric_columns_stay_numbers():
    assert safe_cell("-12.50", numeric=True) == "-12.50"
    assert safe_cell("+3", numeric=True) == "+3"
    assert safe_cell("-1+1", numeric=True) == "'-1+1"
    assert safe_cell("138 0000", numeric=False) == "138 0000"


def test_a_csv_export_guards_plus_and_minus_and_imports_them_back(team_with_contacts, tmp_path,
                                                                  clock):
    rita = as_user(team_with_contacts, "rita")
    add_customer(rita, {"name": "-minus", "phones": "+86 139 1234 0000", "notes": "@home"})
    path = tmp_path / "out.csv"
    export(team_with_contacts, "csv", path, everyone=True)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    minus = next(r for r in rows if r["name"] == "'-minus")
    assert (minus["phones"], minus["notes"]) == ("'+86 139 1234 0000", "'@home")
    zhang = next(r for r in rows if r["name"] == "张三")
    assert zhang["contact_2_name"] == "'=cmd|' /C calc'!A0"
    assert zhang["expected_amount"] == "120000.50" and zhang["id"].isdigit()
    other = fresh_database(tmp_path, clock)
    import_file(other, path)
    back = Customer.get(Customer.name == "-minus")
    assert (back.phones, back.notes) == ("+86 139 1234 0000", "@home")
    other.store.close()


# -- encodings ----------------------------------------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_detected(ctx, tmp_path, codec):
    path = tmp_path / "u.txt"
    path.write_bytes("姓名\t电话\r\n赵六\t138 0000 9999\r\n".encode(codec))
    report = import_file(ctx, path)
    assert (report.encoding, report.imported) == ("UTF-16", 1)
    assert Customer.get().name == "赵六"


def test_an_encoding_can_be_named(ctx, tmp_path):
    path = tmp_path / "big5.csv"
    path.write_bytes("姓名,電話\n陳大文,0912 345 678\n".encode("big5"))
    report = import_file(ctx, path, encoding="big5")
    assert (report.encoding, report.imported) == ("BIG5", 1)
    assert Customer.get().name == "陳大文"
    with pytest.raises(CrmError, match="not an encoding"):
        import_file(ctx, path, encoding="klingon")


def test_zero_bytes_that_are_not_utf16_are_refused(ctx, tmp_path):
    path = tmp_path / "bin.csv"
    path.write_bytes(b"\x00\x01\x02\x03\x00\x00\x00\x07" * 10)
    with pytest.raises(CrmError, match="zero bytes"):
        import_file(ctx, path)


def test_googles_newer_export_with_labels_and_label_columns(ctx, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text(
        "First Name,Middle Name,Last Name,Phonetic First Name,Nickname,File As,"
        "Organization Name,Organization Title,Organization Department,Birthday,Notes,Photo,"
        "Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,"
        "Relation 1 - Label,Relation 1 - Value,Custom Field 1 - Label,Custom Field 1 - Value\n"
        "Ann,,Lee,,Annie,,Globex,Buyer,Purchasing,1990-02-03,,,"
        "* myContacts ::: Wholesale,* Work,ann@globex.example.com,Mobile,"
        "+1 555 0100 ::: +1 555 0101,Assistant,Bob Hart,Shoe size,42\n", encoding="utf-8")
    report = import_file(ctx, path)
    assert (report.layout, report.rejected, report.ignored_columns) == ("google", [], [])
    ann = Customer.get()
    assert (ann.name, ann.company, ann.title) == ("Ann Lee", "Globex", "Buyer (Purchasing)")
    assert (ann.email, ann.phones, ann.tags) == ("ann@globex.example.com",
                                                 "+1 555 0100, +1 555 0101", "wholesale")
    assert ann.notes == "Nickname: Annie\nShoe size: 42"
    assert care_of(ann.id) == [("birthday", 2, 3, 1990, False, False)]
    assert [(c["name"], c["title"]) for c in contacts_of(ann.id)] == [("Bob Hart", "Assistant")]
