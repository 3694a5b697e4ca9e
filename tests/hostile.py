"""A database whose every text field holds what a terminal must never act on: Rich markup,
escape sequences (CSI, OSC 0/8/52 ended by BEL and by ST, bare BEL, C1 CSI), bidi controls and
very long words, for the hostile-text tests of the command line and the app.

It is made the way users make data (the demo generator and the services, which clean what they
are given), then every text column of every table is overwritten with raw SQL, as an older
version or another tool could have stored it: rendering must be safe for dirty rows too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from crmtui.db import (
    AccountPlan,
    Appointment,
    AuditLog,
    CareDate,
    Commitment,
    Complaint,
    ComplaintEvent,
    Contact,
    Customer,
    FieldChange,
    GradeChange,
    Instruction,
    Interaction,
    Order,
    Payment,
    Survey,
    User,
)

MARKUP = ("[/] closer\x1b]52;c;eA==\x07\u202e [bold]bold[/bold] [link=http://x]y[/link] [/link] "
          ":smile:")
"""Shown literally wherever stored text is shown (the escape and the bidi override right after
the first word, so that even a narrow column shows where they were)."""
ESCAPES = (
    "\x1b[31mred\x1b[0m \x1b]0;retitled\x07 \x1b]0;st\x1b\\ "
    "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\ "
    "\x1b]52;c;cm0gLXJmIH4=\x07 \x07bell \x9b31mc1 \x9d0;osc\x9c \x00nul \x7fdel "
)
BIDI = "\u202eevil\u202c \u2066iso\u2069 \u200bzw"
LONG_WORD = "W" * 300
HOSTILE = f"{MARKUP} {ESCAPES}{BIDI} {LONG_WORD}"
"""The value every text field holds."""
TYPED = f"{MARKUP} {ESCAPES}{BIDI}"
"""What is typed into the services (within every field's length)."""
HOSTILE_LINES = f"{HOSTILE}\nsecond line\r\n\tthird"
"""For fields that may hold several lines."""
TYPED_LINES = f"{TYPED}\nsecond line\r\n\tthird"
HOSTILE_TAGS = "[/],[bold],\x1b]0;tag\x07x,\u202etag"

FORBIDDEN = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))] + \
    [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
"""Characters no output may hold: C0 but line feed and tab, DEL, C1, bidi controls."""


def forbidden_in(text: str) -> list[str]:
    """The forbidden characters `text` holds, as their escapes (CR is allowed before LF: the
    line end of CSV, vCard and iCalendar)."""
    return sorted({repr(ch) for ch in text.replace("\r\n", "\n") if ch in FORBIDDEN_SET})


FORBIDDEN_SET = frozenset(FORBIDDEN)

TEXT_COLUMNS = {
    Customer: ("name", "company", "title", "phones", "email", "address", "im_id",
               "native_place", "education", "family", "personality", "notes", "goals",
               "opinions", "situation", "competitors", "membership", "pin_reason", "next_step",
               "credit_rating"),
    Contact: ("name", "title", "phone", "email", "note"),
    AccountPlan: ("products", "services", "progress"),
    Interaction: ("summary", "next_step", "contact_name"),
    Commitment: ("text",),
    Appointment: ("place", "prep", "contact_name", "still_open"),
    Order: ("product", "gift", "note"),
    Complaint: ("category", "summary", "description", "resolution", "root_cause"),
    ComplaintEvent: ("note",),
    CareDate: ("note",),
    Survey: ("comment",),
    FieldChange: ("old", "new"),
    GradeChange: ("reason",),
    Instruction: ("text", "note"),
    Payment: ("note",),
    AuditLog: ("entity", "detail"),
    User: ("display_name",),
}
"""Every free-text column, by table (choices such as grade or status keep their values: the
rules refuse others, which `db check` reports)."""
MULTILINE = {"address", "family", "personality", "notes", "goals", "opinions", "situation",
             "competitors", "description", "resolution", "note", "progress", "services", "prep",
             "still_open"}


@dataclass(frozen=True)
class Hostile:
    """Ids in the hostile database, for commands that need one."""

    customer: int
    """boss's customer: pinned, with care dates, promises, orders, complaints, a plan."""
    other: int
    """Another of boss's customers (merge, delete)."""
    complaints: dict[str, list[int]]
    """Two complaints in each state: new, acknowledged, in_progress, waiting_customer,
    resolved, closed."""
    rep_login: str
    """A rep's login, itself hostile."""
    records: dict[str, int] = field(default_factory=dict)
    """boss's customer's records by kind (interaction, order, promise, care, survey), for
    `crmtui edit` and `rm`."""


def build_hostile(ctx, clock, today) -> Hostile:
    """Fill the (empty) database of `ctx`, the manager `boss`, as the module says."""
    from crmtui.demo import build_demo
    from crmtui.services import complaints as k
    from crmtui.services.customer_columns import refresh_search
    from crmtui.services.customers import regrade
    from crmtui.services.grading import move_grades_if_due
    from crmtui.services.interactions import (
        add_care_date,
        add_promise,
        log_interaction,
        record_order,
    )
    from crmtui.services.surveys import record_survey
    from tests.conftest import as_user

    build_demo(ctx, 30, seed=3, today=today)
    now = clock.now
    boss = ctx.user
    mine = [c.id for c in Customer.select(Customer.id).where(Customer.owner == boss.id)
            .order_by(Customer.id)]
    customer, other = mine[0], mine[1]

    # through the services, typed as a user could type it
    regrade(ctx, customer, need="clear", expected_close="+10d")
    regrade(ctx, customer, pin="A", reason=TYPED)
    logged = log_interaction(ctx, customer, summary=TYPED, outcome="positive", next_step=TYPED,
                             next_on="+2d", promise=TYPED, promise_due="today")
    promise = add_promise(ctx, customer, TYPED, "+1d")
    order = record_order(ctx, customer, amount="1200", product=TYPED, gift=TYPED, note=TYPED,
                         deliver_on="today")
    from crmtui.services.receivables import record_payment

    record_payment(ctx, order.id, "200", note=TYPED)
    soon = today + timedelta(days=1)
    add_care_date(ctx, customer, month=soon.month, day=soon.day, kind="birthday", note=TYPED)
    care = add_care_date(ctx, customer, month=8, day=15, kind="anniversary", lunar=True,
                         note=TYPED)
    survey = record_survey(ctx, customer, {"overall": 5, "product": 4}, comment=TYPED)
    records = {"interaction": logged.interaction.id, "promise": promise.id, "order": order.id,
               "care": care.id, "survey": survey.id}
    AccountPlan.insert(customer=customer, products=TYPED, services=TYPED, progress=TYPED,
                       review_on=today, updated_at=now).on_conflict_ignore().execute()
    Contact.insert(customer=customer, name=TYPED, title=TYPED, role="decision_maker",
                   phone=TYPED, email=TYPED, note=TYPED).execute()
    from crmtui.services.appointments import add_appointment

    add_appointment(ctx, customer, at="today 23:00", minutes=30, purpose="revenue",
                    place=TYPED, prep=TYPED_LINES, contact=TYPED)
    add_appointment(ctx, customer, at="today 08:00", past=True, kind="call", place=TYPED,
                    prep=TYPED)
    add_appointment(ctx, customer, at="tomorrow 09:00", kind="meeting", place=TYPED,
                    prep=TYPED_LINES)  # the next day's, beside the daily report's plan

    support = as_user(ctx, "support")
    complaints: dict[str, list[int]] = {}

    def opened(state, severity="normal", by=support):
        number = k.open_complaint(by, customer, severity, TYPED, description=TYPED_LINES,
                                  category="[bold]late[/] \x1b]0;x\x07").id
        complaints.setdefault(state, []).append(number)
        return number

    clock.now = now - timedelta(hours=6)
    for _copy in range(2):  # one for the text command, one for --json
        opened("new", "critical", by=ctx)
        number = opened("acknowledged", "high")
        k.acknowledge(support, number, "+2d", note=TYPED)
        number = opened("in_progress")
        k.acknowledge(support, number, "+1d")
        k.start_work(support, number, note=TYPED)
        k.add_note(support, number, TYPED_LINES)
        number = opened("waiting_customer", "low")
        k.acknowledge(support, number, "+1d")
        k.start_work(support, number)
        k.wait_for_customer(support, number, note=TYPED)
        number = opened("resolved", "high")
        k.acknowledge(support, number, "+1h")
        k.start_work(support, number)
        k.resolve(support, number, TYPED_LINES, TYPED)
        number = opened("closed")
        k.acknowledge(support, number, "+1h")
        k.start_work(support, number)
        k.resolve(support, number, TYPED, TYPED)
        k.close(support, number, 4, note=TYPED)
    clock.now = now

    from crmtui.services.instructions import give_instruction, report_done

    for _copy in range(2):  # one open, one reported done
        given = give_instruction(ctx, boss.login, customer, TYPED, "today")
    report_done(ctx, given.id, TYPED_LINES)

    rep = User.select().where(User.role == "rep").order_by(User.id).first()
    AuditLog.insert(at=now, user=boss.id, action="export", entity="customer",
                    detail=TYPED).execute()
    move_grades_if_due(ctx)

    # then as another tool could have stored it
    for model, columns in TEXT_COLUMNS.items():
        model.update({getattr(model, name): HOSTILE_LINES if name in MULTILINE else HOSTILE
                      for name in columns}).execute()
    Customer.update(tags=HOSTILE_TAGS).execute()
    Customer.update(name=f"[/] closer {HOSTILE}").where(Customer.id == customer).execute()
    ComplaintEvent.update(from_value=HOSTILE, to_value=HOSTILE).where(
        ComplaintEvent.kind.in_(("owner", "promise"))).execute()
    for row in Customer.select():  # found by their new names, as the services would index
        refresh_search(row)
        Customer.update(search_doc=row.search_doc).where(Customer.id == row.id).execute()
    rep_login = "[/]rep\x1b]0;x\x07"
    User.update(login=rep_login).where(User.id == rep.id).execute()
    return Hostile(customer=customer, other=other, complaints=complaints, rep_login=rep_login,
                   records=records)
