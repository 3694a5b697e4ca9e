"""A customer's profile as people read it, written once for `crmtui show` and the profile screen:
the header (grade, name, what matters at a glance, flags), the overview (the archive's facts,
care dates, recent contacts, open promises), the sections the screen shows as tabs (contacts,
timeline, orders, complaints, care dates, grade history), the account plan and the referral
tree's labels.

Everything takes a `services.profile.CustomerProfile` and the user's zone and day. To show
something new: add a row to `overview_rows` (a fact), or a `Section` to `profile_sections`
(the screen gives it a tab by its key in `screens.profile.TAB_TITLES`; `crmtui show` prints the
sections listed in its command).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, tzinfo
from typing import Any

from rich.table import Table
from rich.text import Text

from crmtui.cells import clip
from crmtui.i18n import _
from crmtui.labels import dimension_label, label, lunar_text, maintenance_words, stored_text
from crmtui.present.numbers import money
from crmtui.present.schedule import details, mark, review_words, status_word, time_range
from crmtui.present.styles import (
    OVERDUE_MARK,
    grade_badge,
    grade_style,
    grade_text,
    overdue_style,
)
from crmtui.present.text import plain, user_text
from crmtui.present.time import days_span, local_day, moment, short_day, short_moment

Column = tuple[str, int | None]
"""A section's column: its heading and a width in cells (None: the rest of the width)."""


@dataclass(frozen=True)
class Section:
    """Rows of one kind of record, as a table."""

    columns: list[Column]
    rows: list[tuple[Any, ...]]
    """Cells: text (shown plain) or rich `Text`."""
    empty: str
    """What to say when there are no rows."""
    keys: tuple[str, ...] = field(default=())
    """Row keys, when a row opens something (a complaint)."""


# -- the header -----------------------------------------------------------------------------------


def profile_header(p: Any) -> Text:
    """Three lines: the grade badge, name, id, company and title; tier, status, owner, next due
    and why, follow-ups; then the flags (pinned grade, slipped or no close date, read-only)."""
    c = p.customer
    text = grade_badge(c.grade)
    text.append(plain(f" {c.name}", "bold"))
    text.append(f"  #{c.id}", style="dim")
    for part in (c.company, c.title):
        if part:
            text.append(" · ")
            text.append(plain(part))
    text.append("\n")
    text.append(plain(" · ".join(header_facts(p))))
    owing = balance_line(p.balance) if getattr(p, "balance", None) is not None else None
    if owing is not None:
        text.append("\n")
        text.append_text(owing)
    flags = header_flags(p)
    if flags:
        text.append("\n")
        text.append(plain(" · ".join(flags), "bold yellow"))
    return text


def balance_line(balance: Any) -> Text | None:
    """What the customer owes, overdue and since when, and the credit limit: 'owes 7,000.00
    since 2026-11-26 · 7,000.00 overdue (12d) · credit limit 10,000.00' (None when nothing is
    owed and no limit is set)."""
    if not balance.owed and balance.credit_limit is None:
        return None
    text = Text()
    if balance.owed:
        text.append(
            _("owes {amount} since {day}").format(
                amount=money(balance.owed), day=balance.since.isoformat()
            )
        )
    else:
        text.append(_("owes nothing"))
    if balance.overdue:
        text.append(" · ")
        text.append(
            _("{amount} overdue ({span})").format(
                amount=money(balance.overdue), span=days_span(balance.oldest_overdue_days)
            ),
            style="bold red",
        )
    if balance.credit_limit is not None:
        text.append(" · " + _("credit limit {amount}").format(amount=money(balance.credit_limit)))
        if balance.owed > balance.credit_limit:
            text.append(
                " "
                + _("(over by {amount})").format(amount=money(balance.owed - balance.credit_limit)),
                style="bold red",
            )
    return text


def order_state(o: Any, today: date) -> str:
    """An order's delivery in a few words: 'delivered 11-26', 'due 12-01', 'returned'."""
    if o.delivery == "ordered":
        return (
            _("due {day}").format(day=short_day(o.deliver_on, today))
            if o.deliver_on
            else label("delivery", o.delivery)
        )
    if o.delivery == "returned" or o.delivered_on is None:
        return label("delivery", o.delivery)
    return f"{label('delivery', o.delivery)} {short_day(o.delivered_on, today)}"


def header_facts(p: Any) -> list[str]:
    """The header's second line, part by part."""
    c = p.customer
    next_bits = [due_rule_text(p)]
    if c.next_step:
        next_bits.append(c.next_step)
    return [
        _("tier {tier}").format(tier=label("tier", p.tier)),
        f"{label('status', c.status)} / {label('deal', c.deal_status)}",
        _("owner {name}").format(name=user_text(p.owner)),
        _("next due {day} ({why})").format(day=c.next_due.isoformat(), why=_("; ").join(next_bits)),
        _("{n} follow-ups").format(n=c.followups),
    ]


def lifecycle_text(p: Any) -> str:
    """The lifecycle: why when terminated, since when lapsed, until when a customer; the deal."""
    c = p.customer
    text = label("lifecycle", c.lifecycle)
    if c.lifecycle == "terminated" and c.lifecycle_reason:
        text += " (" + stored_text(c.lifecycle_reason) + ")"
    elif c.lifecycle == "lapsed" and c.last_order_on:
        text += " · " + _("no order since {day}").format(day=c.last_order_on)
    elif c.lifecycle == "customer" and p.lapses_on:
        text += " · " + _("lapses on {day} without an order").format(day=p.lapses_on)
    return text + " · " + label("deal", c.deal_status)


def value_class_text(p: Any) -> str:
    """The value class, pinned with its reason or by the figures."""
    c = p.customer
    text = label("tier", c.value_class)
    if c.class_pinned:
        return text + " (" + _("pinned: {reason}").format(reason=c.class_reason) + ")"
    return text + " (" + _("by the figures") + ")" if c.value_class != "none" else text


def maintenance_text(maintenance: Any) -> str:
    """'key customer · weekly visit', 'account plan · every 14 days'; '' when not maintained."""
    if maintenance is None:
        return ""
    return maintenance_words(maintenance.value_class, maintenance.cadence, maintenance.every_days)


def due_rule_text(p: Any) -> str:
    """What made the next follow-up due."""
    rule = p.customer.due_rule
    if rule in ("class", "plan"):
        return maintenance_text(p.maintenance) or label("cadence", p.cadence)
    if rule == "win_back":
        return label("due", "win_back")
    if rule == "first_contact":
        return _("first contact")
    return label("cadence", p.cadence)


def wins_text(p: Any, shown: int = 5) -> str:
    """The latest wins: when, how much, after how many follow-ups."""
    return "; ".join(
        (
            _("{day} {amount} after {n} follow-up")
            if w.followups == 1
            else _("{day} {amount} after {n} follow-ups")
        ).format(day=w.on, amount=money(w.amount), n=w.followups)
        for w in p.wins[:shown]
    )


def header_flags(p: Any) -> list[str]:
    """What the header warns about."""
    c = p.customer
    flags = []
    if c.grade_pinned:
        flags.append(_("grade pinned: {reason}").format(reason=stored_text(c.pin_reason)))
    if p.slipped:
        flags.append(_("close date slipped"))
    if p.no_estimate:
        flags.append(_("no close estimate"))
    if not p.editable:
        flags.append(_("read-only for you"))
    return flags


# -- the overview ---------------------------------------------------------------------------------


def overview_rows(p: Any, zone: tzinfo, today: date) -> list[tuple[str, Text]]:
    """(title, value) of every fact known, in the order shown; empty facts are left out."""
    c = p.customer
    close = c.expected_close.isoformat() if c.expected_close else _("no estimate")
    facts: list[tuple[str, Any]] = [
        (_("Lifecycle"), lifecycle_text(p)),
        (_("Value class"), value_class_text(p)),
        (_("Maintenance"), maintenance_text(p.maintenance)),
        (_("Wins"), wins_text(p)),
        (_("Phones"), ", ".join(c.phone_list)),
        (_("E-mail"), c.email),
        (_("WeChat / IM"), c.im_id),
        (
            _("Need"),
            label("need", c.need)
            + " · "
            + _("close {day}").format(day=close)
            + (f" · {money(c.expected_amount)}" if c.expected_amount else ""),
        ),
        (_("Source"), label("source", c.source)),
        (_("Last contact"), moment(c.last_contact_at, zone)),
        (_("Revenue"), money(c.revenue) if c.revenue else ""),
        (_("Tags"), ", ".join(c.tag_list)),
        (_("Address"), c.address),
        (_("Membership"), c.membership),
        (_("Native place"), c.native_place),
        (_("Education"), c.education),
        (_("Family"), c.family),
        (_("Hobbies"), c.personality),
        (_("Goals, plans"), c.goals),
        (_("Likes, dislikes"), c.opinions),
        (_("Problems, needs"), c.situation),
        (_("Competitors"), c.competitors),
        (_("Credit"), " · ".join(x for x in (money(c.credit_limit), c.credit_rating) if x)),
        (_("Notes"), c.notes),
    ]
    if p.referred_by is not None:
        facts.append((_("Referred by"), f"{p.referred_by.name} #{p.referred_by.id}"))
    for occurrence in p.care:
        facts.append((label("care", occurrence.care.kind), care_summary(occurrence)))
    rows = [(title, plain(value, multiline=True)) for title, value in facts if value]
    for interaction in p.interactions[:3]:
        rows.append(
            (
                _("Recent"),
                plain(
                    f"{local_day(interaction.at, zone)}  "
                    f"{label('channel', interaction.channel)} · "
                    f"{interaction.summary}"
                ),
            )
        )
    for promise in (x for x in p.promises if x.status == "open"):
        late = promise.due < today
        mark = OVERDUE_MARK if late else " "
        rows.append(
            (
                _("Promise"),
                plain(f"{promise.due.isoformat()}{mark} {promise.text}", overdue_style(late)),
            )
        )
    return rows


def profile_overview(p: Any, zone: tzinfo, today: date) -> Table:
    """The overview's facts as a two-column grid."""
    return facts_grid(overview_rows(p, zone, today))


def facts_grid(rows: list[tuple[str, Text]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for title, value in rows:
        grid.add_row(title, value)
    return grid


def care_date_text(care: Any) -> str:
    """A care date as it was set, in its calendar: 03-15, 农历八月十五 / lunar 8/15."""
    if care.lunar:
        return lunar_text(care.month, care.day, care.leap)
    return f"{care.month:02d}-{care.day:02d}"


def care_summary(occurrence: Any) -> str:
    """Both calendars at once: the date as set, and its next day in the other calendar."""
    care, lunar = occurrence.care, occurrence.next_lunar
    if care.lunar:
        text = _("{date}, next {next}").format(
            date=care_date_text(care), next=occurrence.next_on.isoformat()
        )
    else:
        text = _("{date}, next {next} ({lunar})").format(
            date=care_date_text(care),
            next=occurrence.next_on.isoformat(),
            lunar=lunar_text(lunar.month, lunar.day, lunar.leap),
        )
    if care.year and care.kind == "birthday" and not care.lunar:
        text += " · " + _("born {year}").format(year=care.year)
    return text + (f" · {care.note}" if care.note else "")


# -- the sections ---------------------------------------------------------------------------------


def profile_sections(p: Any, zone: tzinfo, today: date) -> dict[str, Section]:
    """The profile's records by kind: contacts, timeline, orders, complaints, care, grades,
    appointments."""
    return {
        "contacts": Section(
            [
                (_("Name"), 16),
                (_("Title"), 14),
                (_("Role"), 14),
                (_("Phone"), 16),
                (_("E-mail"), None),
            ],
            [
                (x.name, x.title, label("contact_role", x.role), x.phone, x.email)
                for x in p.contacts
            ],
            _("No contacts recorded."),
            keys=tuple(str(x.id) for x in p.contacts),
        ),
        "timeline": Section(
            [
                (_("When"), 11),
                (_("Channel"), 7),
                (_("Outcome"), 9),
                (_("By"), 8),
                (_("Next"), 5),
                (_("Summary"), None),
            ],
            [
                (
                    short_moment(i.at, zone, today),
                    label("channel", i.channel),
                    label("outcome", i.outcome),
                    clip(i.by.label, 8),
                    short_day(i.next_on, today),
                    i.summary + (f" → {i.next_step}" if i.next_step else ""),
                )
                for i in p.interactions
            ],
            _("No interactions yet: press l to log the first."),
            keys=tuple(str(i.id) for i in p.interactions),
        ),
        "orders": Section(
            [
                (_("Date"), 10),
                (_("Product"), 16),
                (_("Qty"), 4),
                (_("Amount"), 12),
                (_("Delivery"), 16),
                (_("Owed"), 11),
                (_("Note"), None),
            ],
            [
                (
                    o.on.isoformat(),
                    o.product,
                    str(o.quantity),
                    Text(money(o.amount), justify="right"),
                    order_state(o, today),
                    Text(money(o.owed) if o.owed else "-", justify="right"),
                    " · ".join(x for x in (o.gift, o.note) if x),
                )
                for o in p.orders
            ],
            _("No orders yet: press o to record one."),
            keys=tuple(str(o.id) for o in p.orders),
        ),
        "promises": Section(
            [(_("Due"), 10), (_("Status"), 8), (_("Promise"), None)],
            [
                (
                    x.due.isoformat(),
                    Text(
                        label("promise", x.status),
                        style=overdue_style(x.status == "open" and x.due < today),
                    ),
                    x.text,
                )
                for x in p.promises
            ],
            _("No promises: press p to record one."),
            keys=tuple(str(x.id) for x in p.promises),
        ),
        "complaints": Section(
            [(_("Opened"), 11), (_("Severity"), 8), (_("Status"), 16), (_("Summary"), None)],
            [
                (
                    short_moment(k.opened_at, zone, today),
                    label("severity", k.severity),
                    label("complaint_status", k.status),
                    k.summary,
                )
                for k in p.complaints
            ],
            _("No complaints."),
            keys=tuple(str(k.id) for k in p.complaints),
        ),
        "care": Section(
            [
                (_("Kind"), 11),
                (_("Date"), 16),
                (_("Next"), 10),
                (_("Lunar"), 15),
                (_("Note"), None),
            ],
            [
                (
                    label("care", o.care.kind),
                    care_date_text(o.care) + (f" ({o.care.year})" if o.care.year else ""),
                    o.next_on.isoformat(),
                    lunar_text(o.next_lunar.month, o.next_lunar.day, o.next_lunar.leap),
                    o.care.note,
                )
                for o in p.care
            ],
            _("No care dates: press c to add a birthday."),
            keys=tuple(str(o.care.id) for o in p.care),
        ),
        "surveys": Section(
            [(_("When"), 11), (_("Scores"), 30), (_("Comment"), None)],
            [
                (short_moment(s.at, zone, today), survey_scores_text(s.scores), s.comment)
                for s in p.surveys
            ],
            _("No surveys."),
            keys=tuple(str(s.id) for s in p.surveys),
        ),
        "grades": Section(
            [(_("When"), 11), (_("Change"), 7), (_("By"), 10), (_("Reason"), None)],
            [
                (
                    short_moment(g.at, zone, today),
                    Text.assemble(
                        grade_text(g.from_grade) if g.from_grade else Text("·"),
                        " → ",
                        grade_text(g.to_grade),
                    ),
                    g.by.label if g.by else _("calendar"),
                    stored_text(g.reason),
                )
                for g in p.grade_history
            ],
            _("No grade changes."),
        ),
        "schedule": Section(
            [
                (_("When"), 18),
                (_("Kind"), 7),
                (_("Purpose"), 12),
                (_("Status"), 9),
                (_("Details"), None),
            ],
            [
                (
                    Text.assemble(
                        mark(a)[0],
                        f"{short_day(a.starts_at.astimezone(zone).date(), today)} "
                        f"{time_range(a, zone)}",
                    ),
                    label("appointment_kind", a.kind),
                    label("purpose", a.purpose) or "-",
                    status_word(a),
                    " · ".join(x for x in (details(a), review_words(a)) if x),
                )
                for a in p.appointments
            ],
            _("No appointments: press b to book a visit, call or meeting."),
        ),
    }


def section_table(
    section: Section, *, title: str = "", limit: int | None = None, ids: bool = False
) -> Table:
    """A section as a rich table (the command line's form; the screen uses a DataTable), at
    most `limit` rows; with `ids`, the records' ids first (what `crmtui edit` and `rm`
    take)."""
    table = Table(title=title or None, title_justify="left", show_edge=False)
    numbered = ids and len(section.keys) == len(section.rows)
    if numbered:
        table.add_column("#", justify="right", no_wrap=True)
    for heading, width in section.columns:
        if width is None:
            table.add_column(heading, overflow="fold", ratio=1)
        else:
            table.add_column(heading, max_width=width, no_wrap=True, overflow="ellipsis")
    for index, row in enumerate(section.rows[:limit]):
        cells = [cell if isinstance(cell, Text) else plain(cell) for cell in row]
        if numbered:
            cells.insert(0, Text(section.keys[index], style="dim"))
        table.add_row(*cells)
    return table


def survey_scores_text(scores: dict[str, int]) -> str:
    """A survey's scores: 'overall 5 · product 4'."""
    return " · ".join(f"{dimension_label(name)} {score}" for name, score in scores.items())


# -- the account plan and referrals ---------------------------------------------------------------


def account_plan(p: Any) -> Table | None:
    """The key-customer plan's targets and progress, or None without a plan."""
    plan = p.plan
    if plan is None:
        return None
    return facts_grid(
        [
            (title, plain(value, multiline=True))
            for title, value in (
                (_("Review on"), plan.review_on.isoformat()),
                (_("Products"), plan.products),
                (_("Target amount"), money(plan.target_amount)),
                (_("Target price"), money(plan.target_price)),
                (_("Target volume"), str(plan.target_volume or "")),
                (
                    _("Visit every"),
                    (_("{n} day") if plan.visit_every_days == 1 else _("{n} days")).format(
                        n=plan.visit_every_days
                    )
                    if plan.visit_every_days
                    else "",
                ),
                (_("Services"), plan.services),
                (_("Strengths"), plan.strengths),
                (_("Weaknesses"), plan.weaknesses),
                (_("Opportunities"), plan.opportunities),
                (_("Threats"), plan.threats),
                (_("Progress"), plan.progress),
            )
            if value
        ]
    )


def referral_label(node: Any, current_id: int) -> Text:
    """A customer in the referral tree (`services.profile.ReferralNode`), the current one
    marked."""
    current = node.id == current_id
    text = Text()
    text.append(node.grade, style=grade_style(node.grade))
    text.append(plain(f" {node.name}", "bold" if current else ""))
    if node.company:
        text.append(plain(f" · {node.company}", "dim"))
    if current:
        text.append("  ◀ " + _("this customer"), style="italic")
    return text
