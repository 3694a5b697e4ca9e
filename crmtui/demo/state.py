"""What the parts of a build share: the day and moment the data is made, the random streams,
the row buffers, the ids handed out so far and what later steps need to know of each customer."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timezone
from decimal import Decimal
from typing import NamedTuple

from crmtui.demo.rows import Rows
from crmtui.demo.team import make_team
from crmtui.rules import Cadence
from crmtui.services.context import Context


class Buyer(NamedTuple):
    """A customer still buying: what their schedule needs once the value classes are known."""

    owner_id: int
    chinese: bool
    cadence: Cadence
    created_on: date
    last_at: datetime | None
    """The last contact."""
    explicit: date | None
    """The next step's day, when one was set after the last contact."""
    counted: int
    """Contacts counted on the open opportunity."""
    followups: int


class DemoState:
    def __init__(
        self, ctx: Context, count: int, seed: int, today: date, per_customer: float
    ) -> None:
        self.ctx = ctx
        self.count = count
        self.rng = random.Random(seed)
        self.life = random.Random(seed * 7919 + 1)  # lifecycle draws (see the package notes)
        self.today = today
        self.zone = ctx.zone
        self.per_customer = per_customer
        self.rows = Rows()
        self.interaction_id = 0
        self.contact_id = 0
        self.survey_id = 0
        # Key accounts (contacts' details, who was spoken to, plans, targets, survey comments)
        # draw from their own sequence, so the rest of the demo stays as it was.
        self.accounts = random.Random(seed * 1000 + 14)
        # deliveries, payments and instructions draw from their own sequence too
        self.cash = random.Random(seed * 1000 + 19)
        self.owner_of: dict[int, int] = {}
        self.chinese: dict[int, bool] = {}
        self.visits = random.Random(seed * 31 + 19)  # the appointments' own stream
        self.booked: dict[tuple[int, int], Decimal] = {}
        """Orders of the last 30, 91 and 365 days per booking user, for their targets."""
        self.complaint_id = 0
        self.order_id = 0
        self.revenue: dict[int, Decimal] = {}
        self.profit: dict[int, Decimal] = {}
        self.buyers: dict[int, Buyer] = {}
        # Nothing happens after the moment the data is made (late afternoon of another day).
        self.now = (
            ctx.now()
            if today == ctx.today()
            else datetime.combine(today, time(17, 30), self.zone).astimezone(timezone.utc)
        )
        # complaints run on the real clock: their service levels are read against it
        self.complaint_now = min(self.now, ctx.now()).replace(second=0, microsecond=0)
        self.owners, self.support = make_team(ctx.user, count, self.now)
        """The customers' owners (the manager first) and who handles most complaints."""

    def moment(self, day: date) -> datetime:
        """A moment of working hours on `day`, from the main stream."""
        hour = self.rng.randint(8, 18)
        return datetime.combine(day, time(hour, self.rng.randrange(0, 60, 5)), self.zone)
