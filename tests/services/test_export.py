"""Exports: CSV and vCard round trips, the calendar read back by icalendar, JSON, roles."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from crmtui.db import AuditLog, CareDate, Customer, User
from crmtui.errors import Forbidden, StorageError
from crmtui.services.customers import add_customer, regrade
from crmtui.services.interactions import (
    add_care_date,
    add_promise,
    close_promise,
    log_interaction,
    record_order,
)
from crmtui.services.transfer.exporter import export
from crmtui.services.transfer.importer import import_file
from crmtui.services.validation import CUSTOMER_FIELDS
from tests.conftest import NOW, TODAY, as_user, make_context

ARCHIVE = ("grade", "grade_pinned", "pin_reason", "next_step", "next_step_on",
           "last_contact_on")


def snapshot() -> dict[str, dict]:
    """Every importable fact of every customer, by name."""
    found = {}
    for c in Customer.select():
        facts = {name: getattr(c, name) for name in (*CUSTOMER_FIELDS, *ARCHIVE)}
        facts["owner"] = c.owner.login
        facts["care"] = sorted((d.kind, d.month, d.day, d.year, d.lunar, d.leap)
                               for d in CareDate.select().where(CareDate.customer == c.id))
        found[c.name] = facts
    return found


def fill(ctx) -> None:
    """Customers using every field: pinned grades, lunar dates, odd text, two owners."""
    rita = as_user(ctx, "rita")
    full = add_customer(ctx, {
        "name": "张三", "company": "重庆华信, 科技有限公司", "title": "采购经理",
        "phones": "+86 138 1234 5678, 023-6666 8888 x12", "email": "zs@huaxin.example.cn",
        "address": "重庆市渝中区\n人民路1号; 3楼", "im_id": "wx_zs", "native_place": "四川",
        "education": "本科", "family": "已婚, 一个女儿", "personality": "喜欢喝茶",
        "notes": 'line one\nline "two", with; delimiters\\ and a backslash',
        "tags": "vip,north", "goals": "扩大产能", "opinions": "dislikes cold calls",
        "situation": "old machines", "competitors": "Acme", "membership": "gold",
        "need": "clear", "expected_close": "2026-12-20", "expected_amount": "120000.50",
        "cadence": "weekly", "status": "intent", "deal_status": "negotiating",
        "source": "referral", "credit_limit": "50000", "credit_rating": "AA"}, owner="rita")
    add_care_date(ctx, full.id, month=3, day=15, year=1985)
    add_care_date(ctx, full.id, month=6, day=1, kind="anniversary")
    log_interaction(rita, full.id, summary="called", next_on="2026-11-30",
                    next_step="send the contract")
    pinned = add_customer(ctx, {"name": "=SUM(A1)", "phones": "139 0000 1111"})
    regrade(ctx, pinned.id, pin="B", reason="board decision")
    add_care_date(ctx, pinned.id, month=8, day=15, lunar=True)
    leap = add_customer(ctx, {"name": "Leap Lunar", "need": "none", "email": "leap@example.com"})
    add_care_date(ctx, leap.id, month=4, day=15, lunar=True, leap=True)
    add_customer(ctx, {"name": "Bare"})


@pytest.fixture
def team(rep_ctx):
    ctx = as_user(rep_ctx, "boss")
    fill(ctx)
    return ctx


def fresh_database(tmp_path, clock):
    """A second, empty database with the same users (opening it switches the models to it)."""
    other = make_context(tmp_path / "other.sqlite3", clock)
    for login, role in (("rita", "rep"), ("sam", "support"), ("ray", "rep")):
        User.create(login=login, display_name=login, role=role, created_at=NOW)
    return other


@pytest.mark.parametrize("fmt", ["csv", "vcf"])
def test_export_then_import_into_an_empty_database_gives_the_same_customers(
        team, tmp_path, clock, fmt):
    before = snapshot()
    path = tmp_path / f"all.{fmt}"
    result = export(team, fmt, path, everyone=True)
    assert result.customers == 4
    other = fresh_database(tmp_path, clock)
    report = import_file(other, path)
    assert (report.rejected, report.duplicates, report.imported) == ([], [], 4)
    assert snapshot() == before
    other.store.close()


def test_csv_export_is_excel_friendly(team, tmp_path):
    path = tmp_path / "out.csv"
    export(team, "csv", path, everyone=True)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # byte-order mark: Excel reads it as UTF-8
    text = data.decode("utf-8-sig")
    assert "'=SUM(A1)" in text  # not run as a formula when opened
    assert text.splitlines()[0].startswith("id,name,company,title,phones,email")
    assert path.stat().st_mode & 0o777 == 0o600  # private, like the database


def test_vcard_export_is_version_4_with_stable_uids(team, tmp_path):
    first, second = tmp_path / "a.vcf", tmp_path / "b.vcf"
    export(team, "vcf", first, everyone=True)
    export(team, "vcf", second, everyone=True)
    text = first.read_bytes().decode()
    assert text.count("BEGIN:VCARD") == 4 and text.count("VERSION:4.0") == 4
    assert "BDAY:19850315" in text and "ANNIVERSARY:--0601" in text
    assert "X-CRMTUI-BIRTHDAY:lunar --08-15" in text
    assert "TEL;TYPE=voice;PREF=1:+86 138 1234 5678" in text
    uids = [line for line in text.splitlines() if line.startswith("UID:")]
    assert len(set(uids)) == 4
    assert uids == [line for line in second.read_text().splitlines() if line.startswith("UID:")]
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_calendar_holds_follow_ups_promises_and_care_dates_with_alarms(team, tmp_path, clock):
    from icalendar import Calendar

    rita = as_user(team, "rita")
    zhang = Customer.get(Customer.name == "张三")
    promise = add_promise(rita, zhang.id, "send samples", "2026-11-25")
    late = add_promise(rita, zhang.id, "call back", "2026-11-23")
    clock.now = NOW + timedelta(days=3)  # 26 Nov: the second promise is three days late
    done = add_promise(rita, zhang.id, "done already", "2026-12-01")
    close_promise(rita, done.id)
    feb = add_customer(team, {"name": "Leap Day"}, owner="rita")
    add_care_date(team, feb.id, month=2, day=29, year=1988)
    path = tmp_path / "rita.ics"
    result = export(rita, "ics", path)
    calendar = Calendar.from_ical(path.read_bytes())
    events = {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    assert result.items == len(events) == len(calendar.walk("VEVENT"))
    assert not calendar.walk("VTODO")
    assert sorted(events) == sorted([
        f"follow-up-{zhang.id}", f"follow-up-{feb.id}", f"promise-{promise.id}",
        f"promise-{late.id}", "care-1", "care-2", f"care-{CareDate.get(CareDate.month == 2).id}"])
    follow_up = events[f"follow-up-{zhang.id}"]
    assert follow_up.decoded("dtstart") == date(2026, 11, 30)
    assert "send the contract" in str(follow_up["description"])
    # overdue items sit on today, where a calendar shows them
    assert events[f"follow-up-{feb.id}"].decoded("dtstart") == date(2026, 11, 26)
    assert events[f"promise-{late.id}"].decoded("dtstart") == date(2026, 11, 26)
    assert "Was due 2026-11-23" in str(events[f"promise-{late.id}"]["description"])
    birthday = events["care-1"]
    assert birthday.decoded("dtstart") == date(2026, 3, 15)
    assert birthday["rrule"]["FREQ"] == ["YEARLY"]
    (alarm,) = birthday.walk("VALARM")
    assert alarm["action"] == "DISPLAY"
    assert alarm.decoded("trigger") == timedelta(days=-3, hours=9)  # 09:00, 3 days ahead
    leap_day = events[f"care-{CareDate.get(CareDate.month == 2).id}"]
    assert dict(leap_day["rrule"]) == {"FREQ": ["YEARLY"], "BYMONTH": [2], "BYMONTHDAY": [-1]}
    for event in calendar.walk("VEVENT"):
        assert event.walk("VALARM"), event["uid"]
        assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(days=1)


def test_lunar_care_dates_become_dated_events_for_the_next_years(team, tmp_path):
    from icalendar import Calendar

    path = tmp_path / "boss.ics"
    export(team, "ics", path, everyone=True)
    calendar = Calendar.from_ical(path.read_bytes())
    moon = sorted(e.decoded("dtstart") for e in calendar.walk("VEVENT")
                  if str(e["uid"]).startswith("care-3-"))
    # 中秋 (lunar 8/15) in the solar calendar, from today on
    assert moon == [date(2027, 9, 15), date(2028, 10, 3), date(2029, 9, 22),
                    date(2030, 9, 12), date(2031, 10, 1)]
    assert all("RRULE" not in e for e in calendar.walk("VEVENT")
               if str(e["uid"]).startswith("care-3-"))


def test_json_export_holds_everything_the_user_may_see(team, tmp_path):
    rita = as_user(team, "rita")
    zhang = Customer.get(Customer.name == "张三")
    record_order(rita, zhang.id, amount="990.00", product="kit")
    add_promise(rita, zhang.id, "send samples", "2026-11-25")
    path = tmp_path / "rita.json"
    export(rita, "json", path)
    data = json.loads(path.read_text())
    assert (data["format"], data["scope"], data["exported_by"]) == ("crmtui", "own", "rita")
    (customer,) = data["customers"]
    assert customer["name"] == "张三" and customer["owner"] == "rita"
    assert customer["expected_amount"] == "120000.50"
    assert [o["amount"] for o in customer["orders"]] == ["990.00"]
    assert [i["summary"] for i in customer["interactions"]] == ["called"]
    assert customer["interactions"][0]["by"] == "rita"
    assert [p["text"] for p in customer["promises"]] == ["send samples"]
    assert sorted(c["kind"] for c in customer["care_dates"]) == ["anniversary", "birthday"]
    assert customer["grade_history"][0]["to_grade"] == "A"
    assert "search_doc" not in customer


def test_reps_export_their_own_customers_and_only_managers_export_all(team, tmp_path):
    rita, ray = as_user(team, "rita"), as_user(team, "ray")
    assert export(rita, "csv", tmp_path / "rita.csv").customers == 1
    assert export(ray, "csv", tmp_path / "ray.csv").customers == 0
    assert export(team, "csv", tmp_path / "boss.csv").customers == 3
    assert export(team, "csv", tmp_path / "all.csv", everyone=True).customers == 4
    for user in (rita, as_user(team, "sam")):
        with pytest.raises(Forbidden, match="only a manager"):
            export(user, "csv", tmp_path / "x.csv", everyone=True)
    assert not (tmp_path / "x.csv").exists()
    with open(tmp_path / "rita.csv", encoding="utf-8-sig", newline="") as handle:
        assert [row["name"] for row in csv.DictReader(handle)] == ["张三"]


def test_every_export_is_audited(team, tmp_path):
    export(team, "json", tmp_path / "a.json", everyone=True)
    export(as_user(team, "rita"), "ics", tmp_path / "b.ics")
    entries = [(e.user.login, e.action, e.detail) for e in
               AuditLog.select().where(AuditLog.action == "export").order_by(AuditLog.id)]
    assert entries == [
        ("boss", "export", f"json: 4 customers (all) to {tmp_path / 'a.json'}"),
        ("rita", "export", f"ics: 1 customers (own) to {tmp_path / 'b.ics'}")]


def test_an_export_to_a_missing_directory_writes_nothing_and_logs_nothing(team, tmp_path):
    from crmtui.errors import CrmError

    with pytest.raises(CrmError, match="there is no directory"):
        export(team, "csv", tmp_path / "missing" / "x.csv")
    assert AuditLog.select().where(AuditLog.action == "export").count() == 0


def test_a_read_only_database_refuses_exports(team, tmp_path):
    team.store.readonly = True
    with pytest.raises(StorageError, match="audit log"):
        export(team, "csv", tmp_path / "x.csv")
    assert not list(tmp_path.glob("*.csv"))
    team.store.readonly = False


def test_an_existing_export_file_is_replaced_whole(team, tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("old contents that are longer than the new file " * 1000)
    export(as_user(team, "ray"), "csv", path)
    assert path.read_text("utf-8-sig").count("\n") == 1  # the header alone
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_today_is_the_reference_for_grades_after_import(team, tmp_path, clock):
    """A pinned grade travels as pinned; computed grades are computed again on import."""
    path = tmp_path / "all.csv"
    export(team, "csv", path, everyone=True)
    clock.now = NOW + timedelta(days=45)  # the close date 2026-12-20 has passed: A stays
    other = fresh_database(tmp_path, clock)
    import_file(other, path)
    rows = {c.name: (c.grade, c.grade_pinned) for c in Customer.select()}
    assert rows["张三"] == ("A", False)
    assert rows["=SUM(A1)"] == ("B", True)
    assert TODAY < clock.now.date()
    other.store.close()


def _lunar_events(today, care, lead_days=3):
    from icalendar import Calendar

    from crmtui.services.transfer.ics import calendar_bytes

    data, count = calendar_bytes(instance="i", owner="boss", today=today,
                                 stamp=datetime(2026, 1, 1, tzinfo=timezone.utc), follow_ups=[],
                                 promises=[], care=[care], lead_days=lead_days)
    events = Calendar.from_ical(data).walk("VEVENT")
    assert count == len(events)
    return events


def test_lunar_dates_in_the_calendar_match_the_holidays_of_those_years():
    """中秋 (8/15) and 除夕 (12/30, the 29th when the twelfth month is short) land where the
    holidays library puts Mid-Autumn and Chinese New Year's Eve, year after year."""
    from crmtui import festivals
    from crmtui.services.transfer.ics import Care

    today = date(2026, 11, 23)
    moon = _lunar_events(today, Care(1, 7, "张三", "birthday", 8, 15, None, True, False, ""))
    eve = _lunar_events(today, Care(2, 7, "张三", "other", 12, 30, None, True, False, "除夕"))
    assert [e.decoded("dtstart") for e in moon] == [
        festivals.find("CN", year, "Mid-Autumn Festival").day for year in range(2027, 2032)]
    assert [e.decoded("dtstart") for e in eve] == [
        festivals.find("CN", year, "Chinese New Year's Eve").day for year in range(2027, 2032)]
    assert [e.decoded("dtstart") for e in eve][:2] == [date(2027, 2, 5), date(2028, 1, 25)]
    assert all(str(e["uid"]).startswith("care-2-") for e in eve)
    assert "lunar 12/30" in str(eve[0]["description"])


def test_a_leap_month_date_falls_in_the_regular_month_of_years_without_it():
    from crmtui.i18n import set_language
    from crmtui.services.transfer.ics import Care

    set_language("zh")
    events = _lunar_events(date(2025, 7, 5), Care(3, 7, "王小明", "anniversary", 6, 10, None,
                                                  True, True, ""))
    assert [e.decoded("dtstart") for e in events] == [
        date(2025, 8, 3), date(2026, 7, 23), date(2027, 7, 13), date(2028, 7, 31),
        date(2029, 7, 20)]
    assert str(events[0]["summary"]) == "纪念日：王小明"
    assert "农历闰六月初十" in str(events[0]["description"])
    alarm = events[0].walk("VALARM")[0]
    assert alarm.decoded("trigger") == timedelta(days=-3, hours=9)
