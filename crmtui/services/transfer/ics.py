"""The user's appointments, follow-ups, promises and care dates as an iCalendar file
(icalendar library).

Appointments are timed VEVENTs (in UTC) with their place, purpose and preparation and a VALARM
half an hour before; a cancelled one stays in the file as STATUS:CANCELLED, so a calendar that
imported it removes it. Everything else is an all-day VEVENT with a VALARM: Google, Apple and
Fastmail calendars ignore VTODO. UIDs are stable (the database's instance id, the kind and the
record id), so importing a newer export updates each event instead of adding a second one: a
follow-up moves to its new day. Overdue follow-ups and promises sit on today, where a calendar
shows them. Solar birthdays and anniversaries repeat yearly (a 29 February one on the last day
of February); lunar ones, which RRULE cannot express, are single events for the next few years.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from crmtui.i18n import _
from crmtui.labels import lunar_text
from crmtui.plaintext import strip_controls_by_line
from crmtui.rules import next_lunar_occurrence

if TYPE_CHECKING:  # icalendar is loaded only for a calendar export
    from icalendar import Calendar, Event

LUNAR_YEARS = 5
ALARM_HOUR = 9  # the reminder rings at 09:00 local time
APPOINTMENT_ALARM = timedelta(minutes=30)  # an appointment's reminder rings this long before


@dataclass(frozen=True)
class Visit:
    """An appointment as the calendar shows it (times aware, shown in UTC)."""

    id: int
    customer_id: int
    name: str
    company: str
    kind: str
    """Its kind, already as shown (visit, 拜访…)."""
    starts_at: datetime
    ends_at: datetime
    place: str
    purpose: str
    """Its purpose, as shown ('' when not set)."""
    prep: str
    contact: str
    cancelled: bool


@dataclass(frozen=True)
class FollowUp:
    customer_id: int
    name: str
    company: str
    grade: str
    due: date
    next_step: str
    phones: str


@dataclass(frozen=True)
class Promise:
    id: int
    customer_id: int
    name: str
    text: str
    due: date


@dataclass(frozen=True)
class Care:
    id: int
    customer_id: int
    name: str
    kind: str
    month: int
    day: int
    year: int | None
    lunar: bool
    leap: bool
    note: str


def _event(
    uid: str,
    day: date,
    summary: str,
    description: str,
    stamp: datetime,
    alarm_before_days: int = 0,
    categories: str = "",
) -> Event:
    from icalendar import Alarm, Event  # only for a calendar export

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if categories:
        event.add("categories", [categories])
    event.add("transp", "TRANSPARENT")  # a reminder, not busy time
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(days=-alarm_before_days, hours=ALARM_HOUR))
    event.add_component(alarm)
    return event


def _visit_event(visit: Visit, instance: str, stamp: datetime) -> Event:
    """A timed event: the appointment's time, place and what it is for, with an alarm."""
    from icalendar import Alarm, Event  # only for a calendar export

    summary = f"{visit.kind}: {visit.name}" + (f" ({visit.company})" if visit.company else "")
    lines = []
    if visit.purpose:
        lines.append(_("Purpose: {purpose}").format(purpose=visit.purpose))
    if visit.prep:
        lines.append(_("Preparation: {text}").format(text=visit.prep))
    if visit.contact:
        lines.append(_("Meet: {name}").format(name=visit.contact))
    lines.append(f"crmtui show {visit.customer_id}")
    event = Event()
    event.add("uid", f"appointment-{visit.id}@{instance}")
    event.add("dtstamp", stamp)
    event.add("dtstart", visit.starts_at)
    event.add("dtend", visit.ends_at)
    event.add("summary", summary)
    event.add("description", "\n".join(lines))
    if visit.place:
        event.add("location", visit.place)
    event.add("categories", ["appointment"])
    event.add("status", "CANCELLED" if visit.cancelled else "CONFIRMED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -APPOINTMENT_ALARM)
    event.add_component(alarm)
    return event


def calendar_bytes(
    *,
    instance: str,
    owner: str,
    today: date,
    stamp: datetime,
    follow_ups: Iterable[FollowUp],
    promises: Iterable[Promise],
    care: Iterable[Care],
    lead_days: int,
    appointments: Iterable[Visit] = (),
) -> tuple[bytes, int]:
    """The calendar file and the number of events in it."""
    from icalendar import Calendar  # only for a calendar export

    calendar = Calendar()
    calendar.add("prodid", "-//crmtui//crmtui//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("crmtui: {owner}").format(owner=owner))
    count = 0
    for visit in appointments:
        calendar.add_component(_visit_event(visit, instance, stamp))
        count += 1
    for item in follow_ups:
        late = (today - item.due).days
        summary = _("Follow up {name}").format(name=item.name)
        if item.company:
            summary += f" ({item.company})"
        lines = [_("Grade {grade}").format(grade=item.grade)]
        if item.next_step:
            lines.append(_("Next step: {text}").format(text=item.next_step))
        if late > 0:
            lines.append(_("Overdue since {day}").format(day=item.due.isoformat()))
        if item.phones:
            lines.append(_("Phone: {phones}").format(phones=item.phones))
        lines.append(f"crmtui show {item.customer_id}")
        calendar.add_component(
            _event(
                f"follow-up-{item.customer_id}@{instance}",
                max(item.due, today),
                summary,
                "\n".join(lines),
                stamp,
                categories="follow-up",
            )
        )
        count += 1
    for promise in promises:
        late = (today - promise.due).days
        summary = _("Promise to {name}: {text}").format(name=promise.name, text=promise.text)
        description = _("Was due {day}").format(day=promise.due.isoformat()) if late > 0 else ""
        calendar.add_component(
            _event(
                f"promise-{promise.id}@{instance}",
                max(promise.due, today),
                summary,
                "\n".join(filter(None, [description, f"crmtui show {promise.customer_id}"])),
                stamp,
                categories="promise",
            )
        )
        count += 1
    for care_date in care:
        count += _add_care(
            calendar, care_date, instance=instance, today=today, stamp=stamp, lead_days=lead_days
        )
    data = strip_controls_by_line(calendar.to_ical().decode("utf-8")).encode("utf-8")
    return data, count  # stored text is only ever text, in files too


def _care_summary(item: Care) -> str:
    if item.kind == "birthday":
        summary = _("Birthday: {name}").format(name=item.name)
    elif item.kind == "anniversary":
        summary = _("Anniversary: {name}").format(name=item.name)
    else:
        summary = _("Care date: {name}").format(name=item.name)
    return summary + (f" · {item.note}" if item.note else "")


def _add_care(
    calendar: Calendar, item: Care, *, instance: str, today: date, stamp: datetime, lead_days: int
) -> int:
    summary = _care_summary(item)
    description = f"crmtui show {item.customer_id}"
    if item.lunar:
        description = lunar_text(item.month, item.day, item.leap) + "\n" + description
        day = today
        for _year in range(LUNAR_YEARS):
            day = next_lunar_occurrence(item.month, item.day, day, leap=item.leap)
            calendar.add_component(
                _event(
                    f"care-{item.id}-{day.year}@{instance}",
                    day,
                    summary,
                    description,
                    stamp,
                    alarm_before_days=lead_days,
                    categories=item.kind,
                )
            )
            day += timedelta(days=1)
        return LUNAR_YEARS
    if item.year:
        description = _("Since {year}").format(year=item.year) + "\n" + description
    if (item.month, item.day) == (2, 29):
        first = date(today.year, 3, 1) - timedelta(days=1)  # last day of February
        rule = {"freq": "yearly", "bymonth": 2, "bymonthday": -1}
    else:
        first = date(today.year, item.month, item.day)
        rule = {"freq": "yearly"}
    event = _event(
        f"care-{item.id}@{instance}",
        first,
        summary,
        description,
        stamp,
        alarm_before_days=lead_days,
        categories=item.kind,
    )
    event.add("rrule", rule)
    calendar.add_component(event)
    return 1
