"""Importing CSV and vCard files through the service layer, on real SQLite files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from crmtui.db import AuditLog, CareDate, Customer, GradeChange, User
from crmtui.errors import CrmError, Forbidden, NotFound
from crmtui.services.customers import add_customer, find_customers
from crmtui.services.maintenance import check_store
from crmtui.services.transfer.csvfile import parse_mapping, sniff_delimiter
from crmtui.services.transfer.importer import import_file, phone_key
from crmtui.services.transfer.values import CareSpec, parse_care_text
from crmtui.services.validation import FieldError
from tests.conftest import NOW, TODAY, as_user

DATA = Path(__file__).resolve().parent.parent / "data"


def write(tmp_path, text: str, name: str = "in.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def care_of(customer_id: int) -> list[tuple]:
    return [(c.kind, c.month, c.day, c.year, c.lunar, c.leap)
            for c in CareDate.select().where(CareDate.customer == customer_id)]


# -- real-world-shaped files ------------------------------------------------------------------------

def test_chinese_excel_gbk_file_with_chinese_headers_and_values(ctx):
    report = import_file(ctx, DATA / "excel-gbk.csv")
    assert (report.encoding, report.delimiter, report.rejected) == ("GB18030", ",", [])
    assert report.imported == 3 and report.committed
    zhang = Customer.get(Customer.name == "张伟")
    assert zhang.company == "北京华信科技有限公司" and zhang.title == "总经理"
    assert zhang.phone_list == ["139 1111 2222", "010-6552 1234"]
    assert (zhang.email, zhang.im_id, zhang.native_place) == (
        "zhangwei@huaxin.example.cn", "wx_zhangwei", "河北")
    assert (zhang.need, zhang.expected_close, zhang.expected_amount) == (
        "clear", date(2026, 12, 10), Decimal("12000.00"))
    assert (zhang.source, zhang.status, zhang.tags) == ("referral", "intent", "重点,北方")
    # A级 with a close date within a month: the rules agree, so nothing is pinned
    assert (zhang.grade, zhang.grade_pinned) == ("A", False)
    assert care_of(zhang.id) == [("birthday", 5, 20, 1978, False, False)]
    li = Customer.get(Customer.name == "李娜")
    assert (li.need, li.grade, li.status, li.source) == ("potential", "D", "potential",
                                                         "marketing")
    assert care_of(li.id) == [("birthday", 8, 15, None, True, False)]
    wang = Customer.get(Customer.name == "王芳")
    assert (wang.need, wang.grade, wang.grade_pinned, wang.status) == ("none", "E", False,
                                                                       "terminated")


def test_bom_semicolons_quoted_delimiters_and_newlines_and_empty_trailing_rows(ctx):
    report = import_file(ctx, DATA / "excel-bom-semicolon.csv")
    assert (report.encoding, report.delimiter, report.records) == ("UTF-8", ";", 2)
    assert report.imported == 2
    anna = Customer.get(Customer.email == "anna@mueller.example.de")
    assert anna.name == "Anna Müller"  # no byte-order mark left in the first column
    assert anna.company == "Müller; Söhne GmbH"
    assert anna.address == "Hauptstraße 5\n10115 Berlin"
    assert anna.notes == "Prefers e-mail, never calls"
    assert anna.phone_list == ["+49 151 2345 6789", "+49 30 1234567"]
    assert care_of(anna.id) == [("birthday", 3, 15, 1985, False, False)]
    luca = Customer.get(Customer.name == "Luca Rossi")
    assert luca.notes == 'Met in Milan;\n"very" keen'
    assert luca.tags == "north,online"
    assert care_of(luca.id) == [("birthday", 7, 1, None, False, False)]


def test_iphone_vcard_with_several_phones_a_photo_and_a_birthday_without_year(ctx):
    report = import_file(ctx, DATA / "iphone.vcf")
    assert (report.kind, report.records, report.imported, report.rejected) == (
        "vcard", 2, 2, [])
    zhang = Customer.get(Customer.name == "张三")
    # the preferred number first, then the others in the card's order
    assert zhang.phone_list == ["+86 138 1234 5678", "023-6666 8888", "(023) 6123 4567"]
    assert zhang.email == "zhangsan@huaxin.example.cn"
    assert zhang.company == "重庆华信科技有限公司"
    assert zhang.title == "采购经理 (销售部)"
    assert zhang.address == "中国重庆市渝中区人民路1号 400010"
    assert zhang.notes == "喜欢喝茶\n周末不接电话, 请发微信\nE-mail: zs.home@example.com"
    assert zhang.tags == "vip,重庆"
    assert care_of(zhang.id) == [("birthday", 3, 15, None, False, False)]  # X-APPLE-OMIT-YEAR
    smith = Customer.get(Customer.name == "John Smith")
    assert smith.address == "221 High Street, Springfield, IL 62701, USA"
    assert care_of(smith.id) == [("birthday", 7, 4, 1980, False, False)]
    assert [c.id for c in find_customers(ctx, "5678")] == [zhang.id]


def test_android_vcard_2_1_quoted_printable_and_base64_photo(ctx):
    report = import_file(ctx, DATA / "android.vcf")
    assert (report.imported, report.rejected) == (1, [])
    wang = Customer.get()
    assert (wang.name, wang.notes) == ("王五", "老客户")
    assert wang.phone_list == ["137 0000 1111", "010-8888 6666"]


def test_vcard_4_with_tel_uris_dash_birthday_anniversary_and_data_uri_photo(ctx):
    report = import_file(ctx, DATA / "carddav-v4.vcf")
    assert (report.imported, report.rejected) == (2, [])
    jane = Customer.get(Customer.name == "Jane Doe")
    assert jane.phone_list == ["+1-555-555-0101", "+1-555-555-0199 x102"]
    assert jane.im_id == "jane@example.org"
    assert jane.notes == "Met at the fair, keen on the Pro licence"
    assert sorted(care_of(jane.id)) == [("anniversary", 6, 12, 2010, False, False),
                                        ("birthday", 4, 15, None, False, False)]
    li = Customer.get(Customer.name == "李四")
    assert li.phone_list == ["+86-139-0000-1111"]
    assert care_of(li.id) == [("birthday", 2, 3, 1975, False, False)]


def test_utf16_tab_separated_text_as_excel_saves_unicode_text(ctx, tmp_path):
    path = write(tmp_path, "\ufeff姓名\t电话\r\n赵六\t138 0000 9999\r\n", "u.txt", "utf-16-le")
    report = import_file(ctx, path)
    assert (report.encoding, report.delimiter, report.imported) == ("UTF-16", "\t", 1)
    assert Customer.get().name == "赵六"


def test_google_contacts_headers_and_first_and_last_name_columns(ctx, tmp_path):
    path = write(tmp_path, "Given Name,Family Name,E-mail 1 - Value,Phone 1 - Value,"
                           "Phone 2 - Value,Organization 1 - Name,Group Membership\n"
                           "Mary,Jones,mary@example.com,+44 20 7946 0000,,Globex,* myContacts\n"
                           "三,张,,139 2222 3333,,,\n")
    report = import_file(ctx, path)
    assert report.rejected == [] and report.imported == 2
    mary = Customer.get(Customer.email == "mary@example.com")
    # Google's "every contact" group is no tag
    assert (mary.name, mary.company, mary.tags) == ("Mary Jones", "Globex", "")
    assert Customer.get(Customer.phones == "139 2222 3333").name == "张三"


def test_map_option_names_and_ignores_columns(ctx, tmp_path):
    path = write(tmp_path, "Kunde,Telefon,Intern\nFirma Eins,030 1234567,x\n")
    with pytest.raises(CrmError, match="no column holds the customer's name"):
        import_file(ctx, path)
    report = import_file(ctx, path, mapping=parse_mapping(["Kunde=name", "Telefon=phones",
                                                           "Intern="]))
    assert (report.imported, report.ignored_columns) == (1, [])
    assert Customer.get().phones == "030 1234567"
    unmapped = import_file(ctx, write(tmp_path, "name,Intern\nX,y\n", "b.csv"), dry_run=True)
    assert unmapped.ignored_columns == ["Intern"]
    with pytest.raises(CrmError, match="'nom' is not a field"):
        parse_mapping(["Kunde=nom"])
    with pytest.raises(CrmError, match="no column 'Client'"):
        import_file(ctx, path, mapping=parse_mapping(["Client=name"]))


def test_delimiter_is_the_one_the_header_uses_outside_quotes():
    assert sniff_delimiter('"a,b";c;d\n1;2;3\n') == ";"
    assert sniff_delimiter("a\tb\tc\n") == "\t"
    assert sniff_delimiter("name\nx\n") == ","
    assert sniff_delimiter("\n\na,b;c,d\n") == ","


@pytest.mark.parametrize("data, fragment", [
    (b"PK\x03\x04rest-of-a-zip", "damaged"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Excel 97–2003 workbook (.xls)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"),
     "password-protected"),
    (b"\xff\xfe\x00\xd8", "UTF-16"),
    (b"", "empty"),
])
def test_files_that_are_not_csv_get_one_clear_message(ctx, tmp_path, data, fragment):
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.raises(CrmError) as caught:
        import_file(ctx, path)
    assert fragment in str(caught.value)
    assert Customer.select().count() == 0


def test_a_missing_file_is_not_found(ctx, tmp_path):
    with pytest.raises(NotFound, match="there is no file"):
        import_file(ctx, tmp_path / "nope.csv")


# -- rejections -------------------------------------------------------------------------------------

REJECTIONS = (
    "name,phones,email,expected_close,need,grade,expected_amount,birthday,status,source,"
    "last_contact,owner\n"                                  # 1
    'Good One,138 0000 0001,,,,,,,,,,\n'                    # 2
    ',138 0000 0002,,,,,,,,,,\n'                            # 3 no name
    'Bad Mail,,not-an-email,,,,,,,,,\n'                     # 4
    'Bad Phone,12,,,,,,,,,,\n'                              # 5
    'Bad Date,,,2026-02-30,,,,,,,,\n'                       # 6
    '"Multi\nLine Name",,,,,,,,,,,\n'                       # 7-8 (a good row over two lines)
    'Bad Need,,,,maybe,,,,,,,\n'                            # 9
    'Bad Grade,,,,,F,,,,,,\n'                               # 10
    'Bad Amount,,,,,,abc,,,,,\n'                            # 11
    'Negative,,,,,,-5,,,,,\n'                               # 12
    'Bad Birthday,,,,,,,02-30,,,,\n'                        # 13
    'Bad Status,,,,,,,,frozen,,,\n'                         # 14
    'Bad Source,,,,,,,,,cold call,,\n'                      # 15
    'Future Contact,,,,,,,,,,2027-01-01,\n'                 # 16
    'No Such Owner,,,,,,,,,,,nobody\n'                      # 17
    'Too Many,1,2,3,4,5,6,7,8,9,10,11,12,13\n'              # 18
    '"Broken"quote,,,,,,,,,,,\n'                            # 19
    'Two Faults,,x@,,,Z,,,,,,\n'                            # 20
    + "Long " + "x" * 200 + ",,,,,,,,,,,\n"                 # 21
)


def test_every_rejection_is_reported_with_its_line_and_reason_and_nothing_imported(ctx,
                                                                                  tmp_path):
    report = import_file(ctx, write(tmp_path, REJECTIONS))
    assert report.blocked and not report.committed
    assert Customer.select().count() == 0
    reasons = {r.line: r.reasons for r in report.rejected}
    assert sorted(reasons) == [3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]
    assert reasons[3] == ("name: required",)
    assert reasons[4] == ("email: 'not-an-email' is not an e-mail address",)
    assert reasons[5] == ("phones: '12' is not a phone number",)
    assert "February 2026 has 28 days" in reasons[6][0]
    assert reasons[9] == ("need: 'maybe' is not one of clear, potential, none",)
    assert reasons[10] == ("grade: 'F' is not a grade A–E",)
    assert reasons[11] == ("expected_amount: 'abc' is not an amount",)
    assert reasons[12] == ("expected_amount: must not be negative",)
    assert reasons[13][0].startswith("birthday: '02-30' is not a date")
    assert reasons[14][0].startswith("status: 'frozen' is not one of existing")
    assert reasons[15][0].startswith("source: 'cold call' is not one of canvass")
    assert reasons[16] == ("last_contact: cannot be in the future",)
    assert reasons[17] == ("owner: no user 'nobody'",)
    assert reasons[18] == ("14 values for 12 columns; a value holding the delimiter must be "
                           "in quotes",)
    assert "check the quotes" in reasons[19][0]
    assert reasons[20] == ("email: 'x@' is not an e-mail address",
                           "grade: 'Z' is not a grade A–E")
    assert reasons[21] == ("name: too long: 205 characters, at most 200",)
    assert {r.line: r.name for r in report.rejected}[4] == "Bad Mail"
    assert report.imported == 2  # the good ones, lines 2 and 7


def test_skip_bad_imports_the_good_rows(ctx, tmp_path):
    report = import_file(ctx, write(tmp_path, REJECTIONS), skip_bad=True)
    assert report.committed and len(report.rejected) == 17
    assert sorted(c.name for c in Customer.select()) == ["Good One", "Multi Line Name"]


def test_rejected_line_numbers_count_quoted_newlines_and_blank_lines(ctx, tmp_path):
    text = ('name,notes\r\n"A","one\r\ntwo\r\nthree"\r\n\r\n\r\nB,"x\ny"\r\n'
            ',orphan\r\n')
    report = import_file(ctx, write(tmp_path, text))
    assert [(r.line, r.reasons) for r in report.rejected] == [(9, ("name: required",))]


def test_vcard_rejections_name_the_card_line_and_property(ctx, tmp_path):
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ok\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad\r\nEMAIL:nope\r\nBDAY:1990-13-01\r\n"
            "END:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Unclosed\r\n")
    report = import_file(ctx, write(tmp_path, text, "c.vcf"))
    assert [(r.line, r.reasons) for r in report.rejected] == [
        (5, ("EMAIL: 'nope' is not an e-mail address",
             "BDAY: '1990-13-01' is not a date (13/1 does not exist)")),
        (11, ("a vCard without END:VCARD",)),
    ]
    assert Customer.select().count() == 0


# -- dry run, duplicates, grades, owners ------------------------------------------------------------

def test_dry_run_changes_nothing(ctx, db_path, tmp_path, sqlite_only):
    ctx.store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    before = db_path.read_bytes()
    report = import_file(ctx, DATA / "excel-gbk.csv", dry_run=True)
    assert report.imported == 3 and not report.committed
    ctx.store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert db_path.read_bytes() == before
    assert (Customer.select().count(), AuditLog.select().count()) == (0, 0)


def test_duplicates_of_existing_customers_and_within_the_file_are_reported_not_created(
        ctx, tmp_path):
    existing = add_customer(ctx, {"name": "张三", "phones": "+86 138 1234 5678",
                                  "email": "zs@example.cn"})
    text = ("name,phones,email\n"
            "张三 again,13812345678,\n"              # 2: same mobile, written without +86
            "Zhang,,ZS@Example.cn\n"                 # 3: same e-mail, other case
            "New One,139 0000 1111,new@example.cn\n"  # 4
            "New Again,0086 139-0000-1111,\n"         # 5: same as line 4
            "Other,139 0000 2222,\n")                 # 6
    report = import_file(ctx, write(tmp_path, text))
    assert report.imported == 2
    assert [(d.line, d.existing_id, d.earlier_line) for d in report.duplicates] == [
        (2, existing.id, None), (3, existing.id, None), (5, None, 4)]
    assert report.duplicates[0].match == "phone 13812345678"
    assert report.duplicates[1].match == "e-mail zs@example.cn"
    assert report.duplicates[0].existing_owner == "boss"
    assert sorted(c.name for c in Customer.select()) == ["New One", "Other", "张三"]
    again = import_file(ctx, write(tmp_path, text))
    assert again.imported == 0 and len(again.duplicates) == 5  # importing twice adds nothing


def test_a_row_matching_two_existing_customers_offers_to_merge_them(ctx, tmp_path):
    by_phone = add_customer(ctx, {"name": "Li Lei", "phones": "139 1111 0000"})
    by_mail = add_customer(ctx, {"name": "Lei Li", "email": "lilei@example.com"})
    report = import_file(ctx, write(tmp_path, "name,phones,email\n"
                                              "Li Lei,139 1111 0000,lilei@example.com\n"))
    (duplicate,) = report.duplicates
    assert duplicate.merge_command == f"crmtui merge {by_phone.id} {by_mail.id}"


def test_phone_keys_treat_country_prefixes_as_the_same_number():
    assert phone_key("+86 138 1234 5678") == phone_key("13812345678") == \
        phone_key("0086-138-1234-5678") == "13812345678"
    assert phone_key("+86 10 6552 1234") == phone_key("010-6552 1234") == "01065521234"
    assert phone_key("+1 555-010-2345 x12") == "15550102345"


def test_an_imported_grade_the_rules_do_not_give_is_pinned_and_recorded(ctx, tmp_path):
    text = ("name,grade,need,expected_close\n"
            "Judged A,A,,\n"                         # clear need implied, no date: rules say D
            "Agrees,B,clear,2027-01-10\n"            # within 3 months: B, not pinned
            "Dead,E,,\n"                             # E implies no need: not pinned
            "Own reason,C,,\n")
    report = import_file(ctx, write(tmp_path, text))
    assert report.pinned == 2
    rows = {c.name: (c.need, c.grade, c.grade_pinned, c.pin_reason) for c in Customer.select()}
    assert rows == {"Judged A": ("clear", "A", True, "imported grade"),
                    "Agrees": ("clear", "B", False, ""),
                    "Dead": ("none", "E", False, ""),
                    "Own reason": ("clear", "C", True, "imported grade")}
    judged = Customer.get(Customer.name == "Judged A")
    (history,) = GradeChange.select().where(GradeChange.customer == judged.id)
    assert (history.from_grade, history.to_grade) == (None, "A")
    assert history.reason == ("pinned on import (imported grade); the rules give D: clear "
                              "need, no close estimate")
    assert judged.next_due == TODAY  # a new customer is due on the day it arrives


def test_grade_pinned_column_decides_pinning_when_present(ctx, tmp_path):
    text = ("name,grade,grade_pinned,pin_reason,need\n"
            "Was computed,C,no,,potential\n"
            "Was pinned,B,yes,board decision,potential\n")
    import_file(ctx, write(tmp_path, text))
    rows = {c.name: (c.grade, c.grade_pinned, c.pin_reason) for c in Customer.select()}
    assert rows == {"Was computed": ("D", False, ""),
                    "Was pinned": ("B", True, "board decision")}


def test_last_contact_and_next_step_schedule_the_follow_up(ctx, tmp_path):
    text = ("name,need,expected_close,last_contact,next_step,next_step_on\n"
            "Weekly,clear,2027-01-20,2026/11/20,,\n"
            "Planned,potential,,2026-11-01,send quote,2026-11-30\n")
    import_file(ctx, write(tmp_path, text))
    weekly = Customer.get(Customer.name == "Weekly")
    assert (weekly.grade, weekly.last_contact_on, weekly.next_due) == (
        "B", date(2026, 11, 20), date(2026, 11, 27))
    planned = Customer.get(Customer.name == "Planned")
    assert (planned.next_step, planned.next_due) == ("send quote", date(2026, 11, 30))
    assert check_store(ctx.store).ok


def test_owner_column_and_owner_option(rep_ctx, tmp_path):
    manager = as_user(rep_ctx, "boss")
    text = "name,owner\nFor Ray,ray\nFor Rita,Rita Rep\nSupport,sam\n"
    report = import_file(manager, write(tmp_path, text), skip_bad=True)
    assert [r.reasons for r in report.rejected] == [
        ("owner: 'sam' is in support; customers belong to reps and managers",)]
    owners = {c.name: c.owner.login for c in Customer.select()}
    assert owners == {"For Ray": "ray", "For Rita": "rita"}
    import_file(manager, write(tmp_path, "name,owner\nMoved,ray\n", "b.csv"), owner="rita")
    assert Customer.get(Customer.name == "Moved").owner.login == "rita"
    refused = import_file(rep_ctx, write(tmp_path, "name,owner\nMine?,ray\n", "c.csv"))
    assert refused.rejected[0].reasons == (
        "owner: 'ray' is another rep; only a manager imports customers for other reps",)
    with pytest.raises(Forbidden):
        import_file(rep_ctx, write(tmp_path, "name\nX\n", "d.csv"), owner="ray")
    with pytest.raises(Forbidden):
        import_file(as_user(rep_ctx, "sam"), write(tmp_path, "name\nX\n", "e.csv"))
    mine = import_file(rep_ctx, write(tmp_path, "name\nRita's own\n", "f.csv"))
    assert mine.imported == 1
    assert Customer.get(Customer.name == "Rita's own").owner.login == "rita"


def test_an_import_is_audited_and_keeps_the_stored_figures_consistent(ctx):
    report = import_file(ctx, DATA / "excel-gbk.csv")
    (entry,) = AuditLog.select()
    assert (entry.action, entry.user_id) == ("import", ctx.user.id)
    assert "excel-gbk.csv: 3 imported" in entry.detail
    assert f"#{report.ids[0]}–#{report.ids[1]}" in entry.detail
    assert check_store(ctx.store).ok
    assert [c.name for c in find_customers(ctx, "zw")] == ["张伟"]  # pinyin search works
    assert all(g.at == NOW for g in GradeChange.select())


def test_a_large_import_rebuilds_indexes_and_search_once(ctx, tmp_path, monkeypatch,
                                                         sqlite_only):
    import crmtui.services.transfer.loading as loading

    monkeypatch.setattr(loading, "DEFERRED_INDEX_ROWS", 10)
    rows = "".join(f"Customer {n},139{n:08d}\n" for n in range(50))
    report = import_file(ctx, write(tmp_path, "name,phones\n" + rows))
    assert report.imported == 50
    assert [c.name for c in find_customers(ctx, "00000049")] == ["Customer 49"]
    indexes = {r[0] for r in ctx.store.db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customer'")}
    assert "customer_owner_id_next_due" in indexes
    assert check_store(ctx.store).ok


# -- values as spreadsheets write them --------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("1985-03-15", CareSpec("birthday", 3, 15, 1985)),
    ("1985/3/15", CareSpec("birthday", 3, 15, 1985)),
    ("19850315", CareSpec("birthday", 3, 15, 1985)),
    ("1985年3月15日", CareSpec("birthday", 3, 15, 1985)),
    ("--03-15", CareSpec("birthday", 3, 15)),
    ("--0315", CareSpec("birthday", 3, 15)),
    ("3月15日", CareSpec("birthday", 3, 15)),
    ("1604-03-15", CareSpec("birthday", 3, 15)),  # Apple's year for "no year"
    ("02-29", CareSpec("birthday", 2, 29)),
    ("农历八月十五", CareSpec("birthday", 8, 15, lunar=True)),
    ("农历 --03-15", CareSpec("birthday", 3, 15, lunar=True)),
    ("lunar leap --04-15", CareSpec("birthday", 4, 15, lunar=True, leap=True)),
    ("闰四月初五", CareSpec("birthday", 4, 5, lunar=True, leap=True)),
    ("腊月廿三", CareSpec("birthday", 12, 23, lunar=True)),
    ("正月初八", CareSpec("birthday", 1, 8, lunar=True)),
    ("冬月三十", CareSpec("birthday", 11, 30, lunar=True)),
])
def test_birthday_forms(text, expected):
    spec = parse_care_text(text, TODAY)
    assert spec == expected
    assert parse_care_text(spec.to_text(), TODAY) == expected


@pytest.mark.parametrize("text", ["02-30", "13-01", "2030-01-01", "1850-01-01", "soon",
                                  "农历十三月初一", "leap 03-01"])
def test_birthday_forms_refused(text):
    with pytest.raises(FieldError):
        parse_care_text(text, TODAY)


def test_users_are_only_looked_up_not_created(ctx, tmp_path):
    import_file(ctx, write(tmp_path, "name,owner\nX,boss\n"))
    assert User.select().count() == 1


def test_an_unreadable_header_row_stops_the_import(ctx, tmp_path):
    with pytest.raises(CrmError, match=r"the header row \(line 1\) is unreadable"):
        import_file(ctx, write(tmp_path, '"name"x,phone\nA,138 0000 1111\n'))


def test_text_between_vcards_is_reported_by_line(ctx, tmp_path):
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:A\nEND:VCARD\nstray words\n\nBEGIN:VCARD\nFN:B\nEND:VCARD\n"
    report = import_file(ctx, write(tmp_path, text, "s.vcf"), skip_bad=True)
    assert [(r.line, r.reasons) for r in report.rejected] == [(5, ("text outside a vCard",))]
    assert report.imported == 2


# -- streaming: records go in a batch at a time, inside one transaction -------------------------

def test_a_bad_record_after_batches_went_in_imports_nothing(ctx, tmp_path, monkeypatch):
    import crmtui.services.transfer.importer as importer

    monkeypatch.setattr(importer, "BATCH", 7)
    rows = [f"Customer {n},139{n:08d}\n" for n in range(30)]
    rows.insert(25, "Again 3,13900000003\n")  # line 27: the phone of line 5
    text = "name,phones\n" + "".join(rows) + "Bad Phone,12\n"
    report = import_file(ctx, write(tmp_path, text))
    assert report.blocked and not report.committed and report.ids is None
    assert Customer.select().count() == 0 and GradeChange.select().count() == 0
    assert (report.records, report.imported) == (32, 30)
    assert [(r.line, r.reasons) for r in report.rejected] == [
        (33, ("phones: '12' is not a phone number",))]
    assert [(d.line, d.earlier_line) for d in report.duplicates] == [(27, 5)]
    assert not AuditLog.select().where(AuditLog.action == "import").exists()

    report = import_file(ctx, write(tmp_path, text), skip_bad=True)
    assert report.committed and report.imported == 30 == Customer.select().count()
    assert report.ids[1] - report.ids[0] == 29  # (PostgreSQL does not take back its ids)
    assert [(d.line, d.earlier_line) for d in report.duplicates] == [(27, 5)]
    assert find_customers(ctx, "Customer 29")[0].phones == ("13900000029",)


def test_indexes_are_deferred_once_the_load_outgrows_the_stored_rows(ctx, tmp_path,
                                                                       monkeypatch):
    import crmtui.services.transfer.importer as importer
    import crmtui.services.transfer.loading as loading

    for n in range(12):
        add_customer(ctx, {"name": f"Stored {n}"})
    monkeypatch.setattr(importer, "BATCH", 5)
    monkeypatch.setattr(loading, "DEFERRED_INDEX_ROWS", 10)
    rows = "".join(f"张{n}号,138{n:08d}\n" for n in range(40))
    report = import_file(ctx, write(tmp_path, "name,phones\n" + rows))
    assert report.imported == 40 and report.ids == (13, 52)
    # rows put in before the indexes were dropped, and after, are all found
    assert [c.name for c in find_customers(ctx, "00000001")] == ["张1号"]
    assert [c.name for c in find_customers(ctx, "00000039")] == ["张39号"]
    assert [c.name for c in find_customers(ctx, "stored 11")] == ["Stored 11"]
    assert check_store(ctx.store).ok


def test_a_failure_indexing_a_batch_for_search_imports_nothing(ctx, tmp_path, monkeypatch,
                                                                  sqlite_only):
    """Each batch's search documents are indexed in a thread while the next batch is gathered:
    what goes wrong there stops the import like a failure in the importing thread."""
    import crmtui.services.transfer.importer as importer
    import crmtui.services.transfer.loading as loading

    add_customer(ctx, {"name": "Stored", "phones": "13900009999"})
    batches = []

    def index_search_documents(connection, first_id, last_id):
        batches.append((first_id, last_id))
        if len(batches) == 3:
            raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "BATCH", 4)
    monkeypatch.setattr(loading, "index_search_documents", index_search_documents)
    rows = "".join(f"Customer {n},139{n:08d}\n" for n in range(20))
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(ctx, write(tmp_path, "name,phones\n" + rows))
    assert batches[:3] == [(2, 5), (6, 9), (10, 13)]
    assert [c.name for c in Customer.select()] == ["Stored"]
    assert GradeChange.select().count() == 1
    assert [c.name for c in find_customers(ctx, "00009999")] == ["Stored"]
    assert check_store(ctx.store).ok


@pytest.mark.parametrize("chunk", [1, 3, 4, 1 << 20])
def test_a_byte_that_is_not_text_is_found_wherever_the_file_is_cut(tmp_path, chunk):
    from crmtui.services.transfer.csvfile import _undecodable_at

    path = tmp_path / "f.csv"
    path.write_bytes("name\n张三\n".encode() + b"\xff\xfe" + b"tail\n")
    assert _undecodable_at(path, "utf-8", chunk) == 12
    assert _undecodable_at(path, "utf-8-sig", chunk) == 12
    assert _undecodable_at(path, "latin-1", chunk) is None
    path.write_bytes("name\n张三\n".encode("gb18030"))
    assert _undecodable_at(path, "gb18030", chunk) is None
    assert _undecodable_at(path, "utf-8", chunk) == 5


def test_an_encoding_named_that_does_not_fit_names_the_byte(ctx, tmp_path):
    path = write(tmp_path, "name\nZhang\n")
    path.write_bytes(path.read_bytes() + b"\x81\n")
    with pytest.raises(CrmError, match=r"is not utf-8 text \(byte 11 cannot be read\)"):
        import_file(ctx, path, encoding="utf-8")


def test_worker_processes_check_as_this_process_does(ctx, tmp_path, monkeypatch, db_target,
                                                     clock):
    """A large file is checked in worker processes: the report and the rows stored are the
    same as when this process checks it."""
    import crmtui.services.transfer.checking as checking
    import crmtui.services.transfer.importer as importer
    from tests.conftest import make_context

    monkeypatch.setattr(checking, "POOL_CHUNK", 3)
    monkeypatch.setattr(importer, "BATCH", 4)
    monkeypatch.setattr(checking, "MAX_WORKERS", 2)
    monkeypatch.setattr(checking.os, "cpu_count", lambda: 2)
    good = "".join(f"李{n}号,13{n:09d},c{n}@example.cn,,农历 --08-{n % 20 + 1:02d}\n"
                   for n in range(25))
    text = "name,phones,email,grade,birthday\n" + good + "Bad,12,,Z,\n" + \
        "李3号 again,13000000003,,,\n"
    path = write(tmp_path, text)
    pools = []
    start = checking.Checker.start_pool

    def start_pool(checker, size):
        start(checker, size)
        pools.append(checker.pool is not None)

    monkeypatch.setattr(checking.Checker, "start_pool", start_pool)

    def imported(pool_from: int):
        monkeypatch.setattr(checking, "POOL_FILE_BYTES", pool_from)
        report = import_file(ctx, path, skip_bad=True)
        stored = [(c.name, c.phones, c.email, c.grade, c.search_doc, c.sort_name, c.next_due)
                  for c in Customer.select().order_by(Customer.id)]
        cares = [(c.month, c.day, c.lunar) for c in CareDate.select().order_by(CareDate.id)]
        Customer.delete().execute()
        return report.to_json(), stored, cares

    single = imported(10**12)
    pooled = imported(0)
    assert pools == [False, True]
    assert pooled[1] == single[1] and len(single[1]) == 25
    assert pooled[2] == single[2] and len(single[2]) == 25
    for report in (single[0], pooled[0]):
        report.pop("first_id"), report.pop("last_id")
    assert pooled[0] == single[0]
    assert [r["line"] for r in single[0]["rejected"]] == [27]
    assert [d["earlier_line"] for d in single[0]["duplicates"]] == [5]
