"""A day's appointments as lines of text, the same on the command line (`crmtui agenda`,
`crmtui appointment list`) and at the top of Today: the time in the user's zone, the kind, the
customer, the purpose, then the preparation, the place and the person to meet. Columns are cut
to terminal cells, so Chinese names line up with Latin ones."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, ClassVar, Protocol

from crmtui.cells import clip, fit
from crmtui.i18n import _
from crmtui.labels import label, weekday_name
from crmtui.present.styles import SCHEDULE_STYLES
from crmtui.present.text import safe
from crmtui.present.time import span
from crmtui.rules import Value

if TYPE_CHECKING:
    from rich.text import Text


class ShownAppointment(Protocol):
    """What these lines read of an appointment (services.appointment_views.AppointmentView)."""

    @property
    def id(self) -> int: ...
    @property
    def customer(self) -> str: ...
    @property
    def company(self) -> str: ...
    @property
    def user(self) -> str: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime: ...
    @property
    def minutes(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def purpose(self) -> str: ...
    @property
    def place(self) -> str: ...
    @property
    def prep(self) -> str: ...
    @property
    def contact(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def missed(self) -> bool: ...
    @property
    def purpose_met(self) -> str: ...
    @property
    def instructions_done(self) -> str: ...
    @property
    def still_open(self) -> str: ...


DONE_MARK = "✓"
MISSED_MARK = "!"


def clock(moment: datetime, zone: tzinfo) -> str:
    """HH:MM of a moment in the user's zone."""
    return moment.astimezone(zone).strftime("%H:%M")


def time_range(view: ShownAppointment, zone: tzinfo) -> str:
    """10:00–11:00 in the user's zone (11 cells)."""
    return f"{clock(view.starts_at, zone)}–{clock(view.ends_at, zone)}"


def status_word(view: ShownAppointment) -> str:
    """planned, done, cancelled, or missed (planned, its time over, not logged)."""
    return label("appointment_status", "missed" if view.missed else view.status)


def mark(view: ShownAppointment) -> tuple[str, str]:
    """The one-cell mark before a line and its style: done ✓, missed !, else a space."""
    if view.status == "done":
        return DONE_MARK, SCHEDULE_STYLES["done"]
    if view.missed:
        return MISSED_MARK, SCHEDULE_STYLES["missed"]
    if view.status == "cancelled":
        return "×", "dim"
    return " ", ""


def schedule_title(day: date, count: int) -> str:
    """'Schedule Tue 2026-11-24 (3)'."""
    return _("Schedule {weekday} {day} ({n})").format(
        weekday=weekday_name(day), day=day.isoformat(), n=count
    )


def schedule_heading(count: int) -> str:
    """The schedule's heading on Today: 'Schedule (3)'."""
    return _("Schedule ({n})").format(n=count)


def empty_schedule(day: date) -> str:
    return _("No appointments on {day}.").format(day=day.isoformat())


def details(view: ShownAppointment) -> str:
    """What to bring and where: 'prep: … · at: … · meet: …' (one line, '' when none)."""
    parts: list[str] = []
    if view.prep:
        parts.append(_("prep: {text}").format(text=" ".join(safe(view.prep).split())))
    if view.place:
        parts.append(_("at: {place}").format(place=safe(view.place)))
    if view.contact:
        parts.append(_("meet: {name}").format(name=safe(view.contact)))
    return " · ".join(parts)


class ScheduleColumns(Value):
    """Cell widths of a schedule line for one terminal width."""

    __slots__ = ("customer", "company", "purpose", "rest", "owner")
    customer: int
    company: int
    purpose: int
    rest: int
    owner: int

    def __init__(self, customer: int, company: int, purpose: int, rest: int, owner: int) -> None:
        super().__init__(
            customer=customer, company=company, purpose=purpose, rest=rest, owner=owner
        )

    GAP: ClassVar[int] = 2
    TIME: ClassVar[int] = 11
    KIND: ClassVar[int] = 7

    @classmethod
    def for_width(cls, width: int, *, owner: bool = False) -> ScheduleColumns:
        wide = width >= 110
        customer = 18 if wide else 14
        company = 20 if wide else 0
        purpose = 12
        owner_width = (12 if wide else 9) if owner else 0
        fixed = 1 + cls.TIME + cls.KIND + customer + company + purpose + owner_width
        gaps = cls.GAP * (4 + bool(company) + bool(owner_width)) + 1
        rest = max(10, width - fixed - gaps)
        return cls(
            customer=customer, company=company, purpose=purpose, rest=rest, owner=owner_width
        )

    def pieces(
        self, view: ShownAppointment, zone: tzinfo, *, detail: bool = True
    ) -> list[tuple[str, str]]:
        """A line's (text, style) pieces: `line` is them in a Text, trailing spaces taken off."""
        sign, sign_style = mark(view)
        dim = "dim" if view.status == "cancelled" else ""
        pieces = [
            (sign, sign_style),
            (
                fit(time_range(view, zone), self.TIME) + "  ",
                SCHEDULE_STYLES["missed"] if view.missed else dim or "bold",
            ),
            (fit(label("appointment_kind", view.kind), self.KIND) + "  ", dim),
            (fit(view.customer, self.customer) + "  ", dim),
        ]
        if self.company:
            pieces.append((fit(view.company, self.company) + "  ", "dim"))
        pieces.append(
            (
                fit(label("purpose", view.purpose) or "-", self.purpose) + "  ",
                dim or SCHEDULE_STYLES["purpose"],
            )
        )
        if self.owner:
            pieces.append((fit(view.user, self.owner) + "  ", "dim"))
        if detail:
            pieces.append((clip(details(view), self.rest), "dim" if dim else ""))
        return pieces

    def line(self, view: ShownAppointment, zone: tzinfo, *, detail: bool = True) -> Text:
        """One appointment: mark, time, kind, customer, (company,) purpose, then what to
        prepare, where and whom to meet, cut to the width (`detail` False leaves that to a
        second line, `detail_line`)."""
        from rich.text import Text  # here: plain lines for a pipe need no rich

        text = Text.assemble(*self.pieces(view, zone, detail=detail))
        text.rstrip()
        return text

    @property
    def indent(self) -> str:
        """What goes before the lines under an appointment's: up to the kind column."""
        return " " * (1 + self.TIME + self.GAP)


def _agenda(
    views: Iterable[ShownAppointment], zone: tzinfo, width: int, owner: bool
) -> Iterator[tuple[list[tuple[str, str]], bool]]:
    """The schedule's lines as (text, style) pieces, each with whether its trailing spaces go:
    each appointment's line, its details on the line below, and what was reviewed after a
    visit."""
    columns = ScheduleColumns.for_width(width, owner=owner)
    for view in views:
        yield columns.pieces(view, zone, detail=False), True
        words = details(view)
        if words:
            yield [(columns.indent + words, "dim")], False
        words = review_words(view)
        if words:
            yield [(columns.indent + words, SCHEDULE_STYLES["done"])], False


def agenda_lines(
    views: Iterable[ShownAppointment], zone: tzinfo, width: int, *, owner: bool = False
) -> list[Text]:
    """The schedule as the command line prints it (`_agenda`)."""
    from rich.text import Text  # here: plain lines for a pipe need no rich

    lines: list[Text] = []
    for pieces, stripped in _agenda(views, zone, width, owner):
        lines.append(Text.assemble(*pieces))
        if stripped:
            lines[-1].rstrip()
    return lines


def agenda_plain(
    views: Iterable[ShownAppointment], zone: tzinfo, width: int, *, owner: bool = False
) -> list[str]:
    """`agenda_lines`' text alone, for output that is not a terminal (no styles to write)."""
    lines: list[str] = []
    for pieces, stripped in _agenda(views, zone, width, owner):
        line = "".join([text for text, _style in pieces])
        lines.append(line.rstrip() if stripped else line)
    return lines


def appointment_detail(view: ShownAppointment, zone: tzinfo, *, owner: bool = False) -> Text:
    """One appointment whole, for the line under Today's list: when, what, with whom and why,
    then what to prepare, where, whom to meet, and after a visit what was reviewed."""
    from rich.text import Text  # here: plain lines for a pipe need no rich

    sign, sign_style = mark(view)
    text = Text()
    if sign.strip():
        text.append(sign + " ", style=sign_style)
    when = view.starts_at.astimezone(zone)
    text.append(
        f"{weekday_name(when.date())} {when.date().isoformat()} {time_range(view, zone)}",
        style=SCHEDULE_STYLES["missed"] if view.missed else "bold",
    )
    text.append(" · " + label("appointment_kind", view.kind) + " · " + status_word(view))
    text.append(" · ")
    text.append(safe(view.customer), style="bold")
    if view.company:
        text.append(" · " + safe(view.company))
    if view.purpose:
        text.append(" · " + label("purpose", view.purpose))
    if owner and view.user:
        text.append(" · " + _("owner {name}").format(name=safe(view.user)), style="dim")
    rest = " · ".join(words for words in (details(view), review_words(view)) if words)
    if rest:
        text.append("\n" + rest)
    return text


def appointment_heading(view: ShownAppointment, zone: tzinfo) -> Text:
    """'visit · 张三 · Tue 2026-11-24 10:00–11:00', then what to prepare, where, whom."""
    from rich.text import Text  # here: plain lines for a pipe need no rich

    day = view.starts_at.astimezone(zone).date()
    text = Text()
    text.append(label("appointment_kind", view.kind) + " · ")
    text.append(safe(view.customer), style="bold")
    text.append(f" · {weekday_name(day)} {day.isoformat()} {time_range(view, zone)}")
    if view.purpose:
        text.append(" · " + label("purpose", view.purpose))
    more = details(view)
    if more:
        text.append("\n")
        text.append(safe(more), style="dim")
    return text


def review_words(view: ShownAppointment) -> str:
    """After a logged visit: 'purpose met: partly · still open: …' ('' before)."""
    if view.status != "done":
        return ""
    parts: list[str] = []
    if view.purpose_met:
        parts.append(
            _("purpose met: {answer}").format(answer=label("review_answer", view.purpose_met))
        )
    if view.instructions_done:
        parts.append(
            _("instructions carried out: {answer}").format(
                answer=label("review_answer", view.instructions_done)
            )
        )
    if view.still_open:
        parts.append(_("still open: {text}").format(text=" ".join(safe(view.still_open).split())))
    return " · ".join(parts)


def list_lines(views: Iterable[ShownAppointment], zone: tzinfo, width: int) -> list[Text]:
    """`crmtui appointment list`: id, status and length before each schedule line."""
    from rich.text import Text  # here: plain lines for a pipe need no rich

    columns = ScheduleColumns.for_width(max(40, width - 18))
    lines: list[Text] = []
    for view in views:
        text = Text(fit(f"#{view.id}", 6) + " ", style="dim")
        text.append(
            fit(status_word(view), 9) + " ",
            style=SCHEDULE_STYLES["missed"] if view.missed else "dim",
        )
        line = columns.line(view, zone)
        text.append_text(line)
        lines.append(text)
    return lines


def length(view: ShownAppointment) -> str:
    """The appointment's length in the one style of a length of time (1h 30m)."""
    return span(timedelta(minutes=view.minutes))


__all__ = [
    "clock",
    "time_range",
    "status_word",
    "mark",
    "schedule_title",
    "schedule_heading",
    "empty_schedule",
    "details",
    "appointment_detail",
    "ScheduleColumns",
    "agenda_lines",
    "agenda_plain",
    "review_words",
    "list_lines",
    "length",
]
