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
