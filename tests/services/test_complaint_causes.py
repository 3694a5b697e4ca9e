"""Complaint causes (services.complaint_analysis) on random complaints equal a count from
scratch of each complaint, on SQLite (one row per complaint) and PostgreSQL (grouped by the
database): the months in the team's zone, the open ones, the medians, and each category and
cause named as written last."""

from __future__ import annotations

import random
import statistics
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from crmtui.db import Complaint
from crmtui.services.complaint_analysis import _Spans, complaint_causes
from crmtui.services.customers import add_customer
from tests.conftest import NOW, TODAY

CATEGORIES = ("delivery", "Delivery ", "quality", " QUALITY", "billing", "", "straße", "STRASSE")
CAUSES = ("Warehouse backlog", "warehouse  BACKLOG", "supplier batch", "", "  ", "price",
          "PRICE", "人手不足", "人手 不足")


def from_scratch(complaints: list[Complaint], day: date, zone, months: int = 6) -> dict:
    """complaint_causes' JSON worked out from each complaint, in the order they were opened."""
    def month_start(back: int) -> date:
        month = day.year * 12 + day.month - 1 - back
        return date(month // 12, month % 12 + 1, 1)

    bounds = [datetime.combine(month_start(back), datetime.min.time(), zone)
              for back in range(months - 1, -2, -1)]
    tallies: dict[tuple[str, str], dict] = {}

    def tally(kind: str, text: str) -> dict:
        key = " ".join(text.split())
        found = tallies.setdefault((kind, key.casefold()), {
            "by_month": [0] * months, "open": 0, "responses": [], "resolutions": []})
        found["key"] = key
        return found

    for row in sorted(complaints, key=lambda r: r.opened_at):
        if not bounds[0] <= row.opened_at < bounds[-1]:
            continue
        month = max(i for i in range(months) if row.opened_at >= bounds[i])
        for found in (tally("all", ""), tally("category", row.category),
                      tally("cause", row.root_cause)):
            found["by_month"][month] += 1
            if row.acknowledged_at is not None:
                spent = (row.acknowledged_at - row.opened_at).total_seconds()
                found["responses"].append(max(0, int(spent)))
            if row.resolved_at is None:
                found["open"] += 1
            else:
                spent = (row.resolved_at - row.opened_at).total_seconds() - row.paused_seconds
                found["resolutions"].append(max(0, int(spent)))

    def hours(spans: list[int]) -> float | None:
        return round(statistics.median(spans) / 3600, 2) if spans else None

    def rows(kind: str, name: str) -> list[dict]:
        found = [{name: t["key"], "complaints": sum(t["by_month"]), "by_month": t["by_month"],
                  "open": t["open"], "median_first_response_hours": hours(t["responses"]),
                  "median_resolution_hours": hours(t["resolutions"])}
                 for (k, _key), t in tallies.items() if k == kind]
        return sorted(found, key=lambda r: (r[name] == "", -r["complaints"], r[name].casefold()))

    return {"total": rows("all", "all")[0] if ("all", "") in tallies else None,
            "by_category": rows("category", "category"),
            "by_root_cause": rows("cause", "root_cause")}


def test_complaint_causes_equal_a_count_of_each_complaint(ctx, rep_ctx):
    zone = ZoneInfo("Asia/Shanghai")  # months start at local midnight, 16:00 UTC the day before
    boss = ctx.replaced(zone=zone)
    rita = rep_ctx.replaced(zone=zone)
    customers = [add_customer(boss, {"name": f"客户{n}"}, owner=owner).id
                 for n, owner in enumerate(("rita", "ray", "boss", "rita"))]
    rng = random.Random(18)
    start = NOW - timedelta(days=230)
    seconds = rng.sample(range(0, 230 * 86400), 400)  # each complaint opened at its own second
    for opened_s in seconds:
        opened = (start + timedelta(seconds=opened_s)).replace(microsecond=0)
        # some answered or resolved "before" they were opened (clocks apart): taken as zero
        answered = rng.choice([None, opened + timedelta(seconds=rng.choice(
            [-600, rng.randint(0, 3 * 86400), rng.randint(0, 3 * 86400)]))])
        resolved = rng.choice([None, opened + timedelta(seconds=rng.choice(
            [-600, rng.randint(0, 20 * 86400), rng.randint(0, 20 * 86400)]))])
        Complaint.create(
            customer=rng.choice(customers), opened_at=opened, summary="x",
            category=rng.choice(CATEGORIES), root_cause=rng.choice(CAUSES),
            respond_by=opened, resolve_by=opened, acknowledged_at=answered,
            resolved_at=resolved, paused_seconds=rng.choice([0, 0, 3600, 86400]),
            created_by=boss.user.id, updated_at=opened)
    everyone = list(Complaint.select())
    assert len(everyone) == 400
    for who, complaints, wide in ((boss, everyone, True), (rita, [
            c for c in everyone if c.customer.owner_id == rita.user.id], False)):
        found = complaint_causes(who, day=TODAY, everyone=wide).to_json()
        expected = from_scratch(complaints, TODAY, zone)
        assert {key: found[key] for key in expected} == expected
    # a manager's own scope: the complaints they handle or on their customers (none handled)
    mine = complaint_causes(boss, day=TODAY).to_json()
    assert mine["total"] == from_scratch(
        [c for c in everyone if c.customer.owner_id == boss.user.id], TODAY, zone)["total"]


def test_the_median_of_sorted_runs_is_that_of_all_their_spans():
    """_Spans takes the median of runs sorted apart (PostgreSQL's groups) and of spans added one
    by one (SQLite's rows) without sorting them together: the same as statistics.median."""
    rng = random.Random(24)
    for _case in range(400):
        spans = _Spans()
        everything: list[int] = []
        for _run in range(rng.choice([0, 1, 1, 2, 5, 24])):
            run = sorted(rng.choice([rng.randint(0, 50), rng.randint(0, 10**7)])
                         for _n in range(rng.choice([0, 1, 2, 3, 40, 300])))
            spans.add_sorted(run)
            everything += run
        for _n in range(rng.choice([0, 0, 1, 7])):
            spans.loose.append(value := rng.randint(0, 10**6))
            everything.append(value)
        expected = timedelta(seconds=statistics.median(everything)) if everything else None
        assert spans.median() == expected
