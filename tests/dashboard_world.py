"""A small world for the dashboard's figures, worked out by hand (services and app tests).

The world (today is Monday 2026-11-23, T; customers made at T-100 unless said otherwise):

 id name owner  made as        pins (day: grade)           source     contacts   order (T-1)
 1  Ada  boss   clear, no date A@T-100                      referral   never      400
 2  Ben  boss   potential (D)  C@T-40, B@T-5                referral   T-12..T-8  300
 3  Cai  boss   potential (D)  C@T-100, A@T-20, C@T-10      canvass    T-30, T-29 100
 4  Dan  boss   potential (D)  —                            canvass    today      100
 5  Eve  boss   no need (E)    —                            (none)     never      100
 6  Fay  rita   potential (D)  A@T-6                        referral   today      —
 7  Gus  rita   potential (D), terminated; E@T-7            marketing  never      —
 8  Hal  rita   potential (D)  A@T-100, B@T-60              marketing  T-20..T-18 —
 9  Ivy  boss   potential, made at T-2; A@T-1               event      never      —
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from crmtui.services.customers import add_customer, regrade
from crmtui.services.interactions import log_interaction, record_order
from tests.conftest import NOW, TODAY

T = TODAY
DAY = timedelta(days=1)


def at(clock, day: date, hour: int = 9) -> None:
    clock.now = datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


def build_world(ctx, rita, clock) -> dict:
    """The world above, in the database of `ctx` (the manager boss) with the rep `rita`."""
    at(clock, T - 100 * DAY)

    def add(name, source="", by=ctx, **values):
        values = {"name": name, "need": "potential", **values}
        if source:
            values["source"] = source
        return add_customer(by, values).id

    def pin(customer_id, grade, day, by=ctx):
        at(clock, day)
        regrade(by, customer_id, pin=grade, reason="test")

    def contact(customer_id, day, by=ctx):
        at(clock, day, 8)
        log_interaction(by, customer_id, summary="call")

    ada = add("Ada", "referral", need="clear")
    ben = add("Ben", "referral")
    cai = add("Cai", "canvass")
    dan = add("Dan", "canvass")
    eve = add("Eve", need="none")
    fay = add("Fay", "referral", by=rita)
    gus = add("Gus", "marketing", by=rita, status="terminated")
    hal = add("Hal", "marketing", by=rita)
    pin(ada, "A", T - 100 * DAY)
    pin(cai, "C", T - 100 * DAY)
    pin(hal, "A", T - 100 * DAY, by=rita)
    pin(ben, "C", T - 40 * DAY)
    pin(hal, "B", T - 60 * DAY, by=rita)
    for days in (30, 29):
        contact(cai, T - days * DAY)
    pin(cai, "A", T - 20 * DAY)
    for days in (20, 19, 18):
        contact(hal, T - days * DAY, by=rita)
    for days in (12, 11, 10, 9, 8):
        contact(ben, T - days * DAY)
    pin(cai, "C", T - 10 * DAY)
    pin(gus, "E", T - 7 * DAY, by=rita)
    pin(fay, "A", T - 6 * DAY, by=rita)
    pin(ben, "B", T - 5 * DAY)
    at(clock, T - 2 * DAY)
    ivy = add("Ivy", "event")
    pin(ivy, "A", T - 1 * DAY)
    at(clock, T - 1 * DAY, 12)
    for customer_id, amount in ((ada, 400), (ben, 300), (cai, 100), (dan, 100), (eve, 100)):
        record_order(ctx, customer_id, amount=amount)
    contact(dan, T)
    contact(fay, T, by=rita)
    clock.now = NOW
    return {"rita": rita, "ids": dict(ada=ada, ben=ben, cai=cai, dan=dan, eve=eve, fay=fay,
                                      gus=gus, hal=hal, ivy=ivy)}
