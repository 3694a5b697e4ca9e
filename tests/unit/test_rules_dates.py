from datetime import date, datetime, timedelta, timezone

import pytest

from crmtui.rules import DateInputError, parse_date, parse_datetime

TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        (" 2028-02-29 ", date(2028, 2, 29)),
        ("2026-1-5", date(2026, 1, 5)),
        ("today", TODAY),
        ("Tomorrow", date(2026, 11, 24)),
        ("yesterday", date(2026, 11, 22)),
        ("+3d", date(2026, 11, 26)),
        ("-3d", date(2026, 11, 20)),
        ("+2w", date(2026, 12, 7)),
        ("+1m", date(2026, 12, 23)),
        ("-1m", date(2026, 10, 23)),
        ("+1y", date(2027, 11, 23)),
        ("mon", date(2026, 11, 30)),  # strictly after today
        ("tue", date(2026, 11, 24)),
        ("FRI", date(2026, 11, 27)),
        ("sunday", date(2026, 11, 29)),
        ("Wednesday", date(2026, 11, 25)),
        ("今天", TODAY),
        ("明天", date(2026, 11, 24)),
        ("后天", date(2026, 11, 25)),
        ("周一", date(2026, 11, 30)),
        ("周五", date(2026, 11, 27)),
        ("星期日", date(2026, 11, 29)),
        ("星期天", date(2026, 11, 29)),
    ],
)
def test_accepted(text, expected):
    assert parse_date(text, TODAY) == expected


def test_month_clamp():
    assert parse_date("+1m", date(2026, 1, 31)) == date(2026, 2, 28)
    assert parse_date("+1y", date(2028, 2, 29)) == date(2029, 2, 28)
    assert parse_date("-1m", date(2026, 3, 31)) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "2026-02-30 is not a date (February 2026 has 28 days)"),
        ("2026-13-01", "2026-13-01 is not a date (there is no month 13)"),
        ("2026-04-31", "2026-04-31 is not a date (April 2026 has 30 days)"),
        ("next tuesdy", "'next tuesdy' is not a date; use 2026-12-01, today, tomorrow, +3d, "
         "+2w, +1m or a weekday"),
        ("", "a date is required; use 2026-12-01, today, tomorrow, +3d, +2w, +1m or a weekday"),
        ("   ", "a date is required"),
        ("+99999y", "'+99999y' is too far from today"),
    ],
)
def test_rejected(text, message):
    with pytest.raises(DateInputError) as error:
        parse_date(text, TODAY)
    assert str(error.value).startswith(message)
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize("text", ["3d", "+d", "12/01/2026", "2026-12", "+1.5d", "someday"])
def test_garbage(text):
    with pytest.raises(DateInputError, match="is not a date"):
        parse_date(text, TODAY)


TZ = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 23, 10, 17, 30, tzinfo=TZ)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+2h", NOW + timedelta(hours=2)),
        ("+30min", NOW + timedelta(minutes=30)),
        ("-1h", NOW - timedelta(hours=1)),
        ("14:00", datetime(2026, 11, 23, 14, 0, tzinfo=TZ)),
        ("9:05", datetime(2026, 11, 23, 9, 5, tzinfo=TZ)),
        ("2026-12-01 14:00", datetime(2026, 12, 1, 14, 0, tzinfo=TZ)),
        ("tomorrow 10:00", datetime(2026, 11, 24, 10, 0, tzinfo=TZ)),
        ("fri 15:30", datetime(2026, 11, 27, 15, 30, tzinfo=TZ)),
        ("明天 8:30", datetime(2026, 11, 24, 8, 30, tzinfo=TZ)),
        ("tomorrow", datetime(2026, 11, 24, 9, 0, tzinfo=TZ)),
        ("+3d", datetime(2026, 11, 26, 9, 0, tzinfo=TZ)),
    ],
)
def test_datetime_accepted(text, expected):
    parsed = parse_datetime(text, NOW)
    assert parsed == expected and parsed.tzinfo is TZ


def test_datetime_naive_stays_naive():
    assert parse_datetime("14:00", NOW.replace(tzinfo=None)).tzinfo is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("25:00", "25:00 is not a time of day"),
        ("tomorrow 10:75", "10:75 is not a time of day"),
        ("2026-02-30 10:00", "2026-02-30 is not a date (February 2026 has 28 days)"),
        ("soon", "'soon' is not a date or time; use 2026-12-01 14:00"),
        ("next tuesdy 10:00", "'next tuesdy 10:00' is not a date or time"),
        ("", "a date or time is required"),
    ],
)
def test_datetime_rejected(text, message):
    with pytest.raises(DateInputError) as error:
        parse_datetime(text, NOW)
    assert str(error.value).startswith(message)


def test_days_outside_1900_to_2999_are_refused_by_both_parsers():
    today = date(2026, 11, 23)
    now = datetime(2026, 11, 23, 10, 0)
    assert parse_date("1900-01-01", today) == date(1900, 1, 1)
    assert parse_date("2999-12-31", today) == date(2999, 12, 31)
    for text in ("1899-12-31", "3000-01-01", "0001-01-01", "+999y", "-200y"):
        with pytest.raises(DateInputError, match="is out of range: use a day from 1900-01-01 "
                                                 "to 2999-12-31"):
            parse_date(text, today)
    with pytest.raises(DateInputError, match="out of range"):
        parse_datetime("0001-01-01 00:00", now)
    assert parse_datetime("2999-12-31 23:59", now) == datetime(2999, 12, 31, 23, 59)


# -- days as people say them --------------------------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from crmtui.rules.dates import chinese_number  # noqa: E402

WEDNESDAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("周五", date(2026, 11, 27)),
        ("礼拜五", date(2026, 11, 27)),
        ("周三", date(2026, 12, 2)),  # today is not "周三": the next one
        ("下周一", date(2026, 11, 30)),
        ("下周三", date(2026, 12, 2)),
        ("下周五", date(2026, 12, 4)),
        ("下个星期五", date(2026, 12, 4)),
        ("下星期天", date(2026, 12, 6)),
        ("下下周五", date(2026, 12, 11)),
        ("下下个礼拜一", date(2026, 12, 7)),
        ("本周五", date(2026, 11, 27)),
        ("这周一", date(2026, 11, 23)),  # this week's, though it has passed
        ("上周三", date(2026, 11, 18)),
        ("上上周日", date(2026, 11, 15)),
        ("next mon", date(2026, 11, 30)),
        ("Next Friday", date(2026, 12, 4)),
        ("this fri", date(2026, 11, 27)),
        ("last wed", date(2026, 11, 18)),
        ("月底", date(2026, 11, 30)),
        ("月末", date(2026, 11, 30)),
        ("本月底", date(2026, 11, 30)),
        ("下月底", date(2026, 12, 31)),
        ("下个月底", date(2026, 12, 31)),
        ("上个月底", date(2026, 10, 31)),
        ("eom", date(2026, 11, 30)),
        ("end of month", date(2026, 11, 30)),
        ("end of next month", date(2026, 12, 31)),
        ("年底", date(2026, 12, 31)),
        ("明年底", date(2027, 12, 31)),
        ("eoy", date(2026, 12, 31)),
        ("3天后", date(2026, 11, 28)),
        ("3 天后", date(2026, 11, 28)),
        ("三天后", date(2026, 11, 28)),
        ("十天以后", date(2026, 12, 5)),
        ("两周后", date(2026, 12, 9)),
        ("2个星期后", date(2026, 12, 9)),
        ("1个月后", date(2026, 12, 25)),
        ("1年后", date(2027, 11, 25)),
        ("3天前", date(2026, 11, 22)),
        ("in 3 days", date(2026, 11, 28)),
        ("in 2 weeks", date(2026, 12, 9)),
        ("1 month later", date(2026, 12, 25)),
        ("2 days ago", date(2026, 11, 23)),
        ("大后天", date(2026, 11, 28)),
        ("前天", date(2026, 11, 23)),
        ("昨天", date(2026, 11, 24)),
    ],
)
def test_days_as_people_say_them(text, expected):
    assert parse_date(text, WEDNESDAY) == expected


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (date(2026, 12, 31), "下周一", date(2027, 1, 4)),  # a Thursday at the year's end
        (date(2026, 12, 28), "下下周日", date(2027, 1, 17)),  # a Monday
        (date(2027, 1, 1), "上周五", date(2026, 12, 25)),
        (date(2026, 12, 31), "周五", date(2027, 1, 1)),
        (date(2026, 12, 15), "下月底", date(2027, 1, 31)),
        (date(2027, 1, 31), "下月底", date(2027, 2, 28)),
        (date(2028, 1, 31), "下月底", date(2028, 2, 29)),
        (date(2028, 2, 1), "月底", date(2028, 2, 29)),
        (date(2026, 2, 28), "月底", date(2026, 2, 28)),  # the last day is its own month's end
        (date(2026, 12, 31), "年底", date(2026, 12, 31)),
        (date(2026, 12, 31), "3天后", date(2027, 1, 3)),
        (date(2028, 2, 28), "1天后", date(2028, 2, 29)),
        (date(2028, 2, 29), "1年后", date(2029, 2, 28)),
        (date(2026, 1, 31), "1个月后", date(2026, 2, 28)),
        (date(2026, 3, 1), "1天前", date(2026, 2, 28)),
    ],
)
def test_spoken_days_at_month_and_year_ends(today, text, expected):
    assert parse_date(text, today) == expected


def test_a_day_and_time_need_no_space_after_a_chinese_day():
    assert parse_datetime("下周一 10:00", NOW) == datetime(2026, 11, 30, 10, 0, tzinfo=TZ)
    assert parse_datetime("明天10:00", NOW) == datetime(2026, 11, 24, 10, 0, tzinfo=TZ)
    assert parse_datetime("上周五 14:30", NOW) == datetime(2026, 11, 20, 14, 30, tzinfo=TZ)


@pytest.mark.parametrize("text", ["下周八", "下下下周一", "个星期五", "三二天后", "十十天后",
                                  "next someday", "in a few days", "月底底"])
def test_spoken_forms_that_are_not_days(text):
    with pytest.raises(DateInputError, match="is not a date"):
        parse_date(text, WEDNESDAY)


@pytest.mark.parametrize(("text", "number"), [("3", 3), ("三", 3), ("十", 10), ("十五", 15),
                                              ("二十", 20), ("两", 2), ("二十三", 23),
                                              ("一百零五", 105), ("两百", 200)])
def test_chinese_numbers(text, number):
    assert chinese_number(text) == number


# within the days a user may type (1900–2999), with room for the spans tried
days = st.dates(min_value=date(1902, 1, 1), max_value=date(2997, 12, 1))
weekdays = st.integers(min_value=0, max_value=6)
ZH_DAYS = "一二三四五六日"
EN_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@given(days, weekdays)
def test_a_weekday_is_the_next_one_within_seven_days(today, weekday):
    for text in ("周" + ZH_DAYS[weekday], "星期" + ZH_DAYS[weekday], EN_DAYS[weekday]):
        day = parse_date(text, today)
        assert day.weekday() == weekday
        assert 1 <= (day - today).days <= 7


@given(days, weekdays, st.sampled_from([("上", -1), ("本", 0), ("下", 1), ("下下", 2)]))
def test_a_day_of_a_calendar_week_lies_in_that_week(today, weekday, week):
    prefix, weeks = week
    day = parse_date(prefix + "周" + ZH_DAYS[weekday], today)
    assert day.weekday() == weekday
    this_monday = today - timedelta(days=today.weekday())
    assert day - timedelta(days=day.weekday()) == this_monday + timedelta(weeks=weeks)
    if -1 <= weeks <= 1:  # the English names of the same weeks agree
        english = {-1: "last", 0: "this", 1: "next"}[weeks]
        assert parse_date(f"{english} {EN_DAYS[weekday]}", today) == day


@given(days)
def test_month_end_is_the_last_day_of_this_month_and_next(today):
    end = parse_date("月底", today)
    assert (end.year, end.month) == (today.year, today.month)
    assert end >= today and (end + timedelta(days=1)).day == 1
    assert parse_date("eom", today) == end
    following = parse_date("下月底", today)
    assert (following + timedelta(days=1)).day == 1
    assert following.replace(day=1) == end + timedelta(days=1)


@given(days)
def test_year_end_is_december_31(today):
    assert parse_date("年底", today) == date(today.year, 12, 31)
    assert parse_date("eoy", today) == date(today.year, 12, 31)


@given(days, st.integers(min_value=0, max_value=400))
def test_a_span_of_days_counts_from_today_either_way(today, n):
    assert parse_date(f"{n}天后", today) == today + timedelta(days=n)
    assert parse_date(f"in {n} days", today) == today + timedelta(days=n)
    assert parse_date(f"{n}天前", today) == today - timedelta(days=n)
    assert parse_date(f"+{n}d", today) == parse_date(f"{n}天后", today)


# -- properties: ISO days and moments, +N spans, February 29 ------------------------------------

any_day = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31))
leap_years = st.integers(min_value=1904, max_value=2992).filter(
    lambda year: year % 4 == 0 and (year % 100 != 0 or year % 400 == 0))


@given(any_day, days)
def test_an_iso_day_reads_back_as_itself_whatever_today_is(day, today):
    assert parse_date(day.isoformat(), today) == day
    assert parse_date(f" {day.year}-{day.month}-{day.day} ", today) == day  # unpadded, spaced


@given(any_day, st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59),
       st.sampled_from([None, timezone.utc, TZ]))
def test_an_iso_moment_reads_back_as_itself_in_the_zone_of_now(day, hour, minute, zone):
    now = NOW.replace(tzinfo=zone)
    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    assert parse_datetime(moment.strftime("%Y-%m-%d %H:%M"), now) == moment
    assert parse_datetime(moment.strftime("%Y-%m-%d %H:%M"), now).tzinfo is zone


@given(days, st.integers(min_value=0, max_value=3000))
def test_plus_n_days_and_weeks_count_from_today(today, n):
    assert parse_date(f"+{n}d", today) == today + timedelta(days=n)
    assert parse_date(f"-{n}d", today) == today - timedelta(days=n)
    if today + timedelta(weeks=n) <= date(2999, 12, 31):
        assert parse_date(f"+{n}w", today) == today + timedelta(weeks=n)


@given(leap_years)
def test_february_29_is_a_day_only_in_leap_years(year):
    assert parse_date(f"{year}-02-29", TODAY) == date(year, 2, 29)
    assert parse_date(f"{year}-2-29", TODAY) == date(year, 2, 29)
    for common in (year + 1, year + 2, year + 3):
        with pytest.raises(DateInputError, match=f"February {common} has 28 days"):
            parse_date(f"{common}-02-29", TODAY)


@given(leap_years)
def test_a_year_or_a_month_from_february_29_lands_on_a_real_day(year):
    leap_day = date(year, 2, 29)
    assert parse_date("+1y", leap_day) == date(year + 1, 2, 28)
    assert parse_date("-1y", leap_day) == date(year - 1, 2, 28)
    assert parse_date("+4y", leap_day) == (date(year + 4, 2, 29) if (year + 4) % 100 != 0
                                           or (year + 4) % 400 == 0 else date(year + 4, 2, 28))
    assert parse_date("+1m", leap_day) == date(year, 3, 29)
    assert parse_date("+1m", date(year, 1, 31)) == leap_day  # clamped to the month's last day
    assert parse_date("+1d", date(year, 2, 28)) == leap_day
    assert parse_date("+1d", leap_day) == date(year, 3, 1)


@given(days)
def test_the_last_day_of_a_year_steps_into_the_next(today):
    year_end = date(today.year, 12, 31)
    assert parse_date("+1d", year_end) == date(today.year + 1, 1, 1)
    assert parse_date("-1d", date(today.year, 1, 1)) == date(today.year - 1, 12, 31)
    assert parse_date("+1m", year_end) == date(today.year + 1, 1, 31)
    assert parse_date("明年底", today) == date(today.year + 1, 12, 31)
