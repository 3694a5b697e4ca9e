"""The Peewee models of the customer archive (SPEC §3).

Derived values that hot paths need are stored and kept current by the service layer in the same
transaction as the write that changes them: `Customer.next_due` and `cadence_due` (the due list),
`Customer.revenue` (80/20), `Customer.search_doc` (search), `Customer.grade` (dashboard),
`Customer.lifecycle`, `value_class`, `last_order_on` and `regular_until` (maintenance and
win-back, crmtui.services.lifecycle).
"""

from __future__ import annotations

from peewee import (
    OP,
    SQL,
    AutoField,
    BooleanField,
    CharField,
    CompositeKey,
    DatabaseProxy,
    Expression,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)

from crmtui.db.fields import ForeignKeyId, IsoDateField, MoneyField, UtcDateTimeField

database = DatabaseProxy()

BLANK = SQL("DEFAULT ''")
"""A database-side default for text columns added to a table that other writers already fill
(imports, raw inserts), as the migration that added them declares it."""


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class SchemaVersion(BaseModel):
    """One row: the schema version this file was last migrated to."""

    version = IntegerField()

    class Meta:
        table_name = "schema_version"


class Setting(BaseModel):
    """Small per-database facts, e.g. the day grades were last moved by the calendar."""

    key = CharField(primary_key=True, max_length=64)
    value = TextField()


class User(BaseModel):
    id = AutoField()
    login = CharField(max_length=64, unique=True)
    display_name = CharField(max_length=128, default="")
    role = CharField(max_length=16, default="rep")  # rep | support | manager
    active = BooleanField(default=True)
    created_at = UtcDateTimeField()

    @property
    def label(self) -> str:
        return self.display_name or self.login


class Customer(BaseModel):
    id = AutoField()
    # archive (客户档案)
    name = CharField(max_length=200)
    company = CharField(max_length=200, default="")
    title = CharField(max_length=100, default="")
    phones = TextField(default="")  # comma-separated, first is primary
    email = CharField(max_length=254, default="")
    address = TextField(default="")
    im_id = CharField(max_length=100, default="")  # WeChat or other IM handle
    native_place = CharField(max_length=100, default="")
    education = CharField(max_length=100, default="")
    family = TextField(default="")
    personality = TextField(default="")  # hobbies and personality
    notes = TextField(default="")
    tags = TextField(default="")  # comma-separated, lower case
    goals = TextField(default="")  # 客户的目标
    opinions = TextField(default="")  # 观点: likes and dislikes
    situation = TextField(default="")  # 现状: current problems and needs
    competitors = TextField(default="")  # 竞品
    membership = CharField(max_length=50, default="")
    # grading (客户等级)
    need = CharField(max_length=16, default="potential")
    expected_close = IsoDateField(null=True)
    expected_amount = MoneyField(null=True)
    grade = CharField(max_length=1, default="D")
    grade_pinned = BooleanField(default=False)
    pin_reason = TextField(default="")
    # follow-up (追踪)
    cadence = CharField(max_length=16, null=True)  # own cadence; None follows the grade
    next_step = TextField(default="")
    # explicit next date from the last interaction or a snooze
    next_step_on = IsoDateField(null=True)
    next_due = IsoDateField()
    # when the cadence alone makes it due: for "at risk of being dropped"
    cadence_due = IsoDateField()
    followups = IntegerField(default=0)
    last_contact_at = UtcDateTimeField(null=True)
    # local date of last_contact_at, for cadence arithmetic
    last_contact_on = IsoDateField(null=True)
    # lifecycle and maintenance (客户维护): see crmtui.rules.lifecycle and services.lifecycle
    lifecycle = CharField(max_length=12, default="prospect")  # prospect|customer|lapsed|terminated
    lifecycle_reason = TextField(default="")  # why terminated (set by hand)
    value_class = CharField(max_length=12, default="none")  # key|important|ordinary|none
    class_pinned = BooleanField(default=False)  # set by hand with class_reason
    class_reason = TextField(default="")
    due_rule = CharField(max_length=16, default="first_contact")  # rules.DueRule: why next_due
    last_order_on = IsoDateField(null=True)
    regular_until = IsoDateField(null=True)  # last order + twice the usual gap between orders
    opportunity_since = UtcDateTimeField(null=True)  # the open opportunity's start (None: ever)
    profit = MoneyField(default=0)  # gross profit of the orders (an order without a cost: all)
    # classifications; status 'terminated' always goes with lifecycle 'terminated', so the
    # dashboard's covering indexes can keep reading the status
    status = CharField(max_length=16, default="potential")
    deal_status = CharField(max_length=16, default="potential")
    source = CharField(max_length=16, default="")
    referred_by = ForeignKeyField("self", null=True, backref="referrals", on_delete="SET NULL")
    referred_by_id: ForeignKeyId[int | None]
    owner = ForeignKeyField(User, backref="customers", index=False)  # see Meta.indexes
    owner_id: ForeignKeyId[int]
    credit_limit = MoneyField(null=True)
    credit_rating = CharField(max_length=16, default="")
    # kept current for 80/20 and referrals
    revenue = MoneyField(default=0)
    referral_moment_on = IsoDateField(null=True)
    referral_asked_on = IsoDateField(null=True)
    search_doc = TextField(default="")
    # the name as names sort, pinyin for Chinese (search.sort_key); a database default, so raw
    # inserts that do not name it still work (they sort first until the name is saved again)
    sort_name = TextField(default="", constraints=[SQL("DEFAULT ''")])
    created_at = UtcDateTimeField()
    created_on = IsoDateField()  # local date of creation: a never-contacted customer is due then
    updated_at = UtcDateTimeField()
    updated_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    updated_by_id: ForeignKeyId[int | None]
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            # Composite indexes lead with the owner: every list a rep sees is "mine, by date".
            (("owner", "next_due"), False),
            (("owner", "grade"), False),
            (("owner", "cadence_due"), False),
            (("owner", "referral_moment_on"), False),
            (("next_due",), False),
            # the dashboard's aggregates read these without touching the table rows:
            # follow-up stages and drop risks by grade, conversion by source
            (("grade", "followups", "status", "cadence_due"), False),
            (("source", "deal_status"), False),
            (("name",), False),
            (("sort_name",), False),
            (("referral_moment_on",), False),
            (("cadence_due",), False),
            (("lifecycle", "last_order_on"), False),  # the daily lapse check, lapsed counts
            # the pipeline: open opportunities by grade and close month, from the index alone
            (("need", "grade", "expected_close", "expected_amount", "status"), False),
        )

    @property
    def phone_list(self) -> list[str]:
        return [p.strip() for p in self.phones.split(",") if p.strip()]

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]


# Revenue ranking for 80/20, the team's and one rep's: descending revenue, then ascending id
# (the rowid every index ends with).
# the 80/20 ranking reads (revenue, id) in rank order from the index alone on every backend
# (SQLite's indexes carry the id anyway; PostgreSQL's need it named)
Customer.add_index(Customer.revenue.desc(), Customer.id, name="customer_revenue_desc_id")
Customer.add_index(
    Customer.owner, Customer.revenue.desc(), Customer.id, name="customer_owner_id_revenue_desc_id"
)
# Ranking by gross profit, when the team's key customers go by profit ([maintenance] key_by)
Customer.add_index(Customer.profit.desc(), name="customer_profit_desc")


class Contact(BaseModel):
    """People at the customer's organisation and their part in the decision (联系人)."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="contacts", on_delete="CASCADE")
    customer_id: ForeignKeyId[int]
    name = CharField(max_length=200)
    title = CharField(max_length=100, default="")
    role = CharField(max_length=16, default="user")  # validation.CONTACT_ROLES
    department = CharField(max_length=100, default="", constraints=[BLANK])
    phone = TextField(default="")  # comma-separated, first is primary (as Customer.phones)
    email = CharField(max_length=254, default="")
    im_id = CharField(max_length=100, default="", constraints=[BLANK])
    # YYYY-MM-DD, or --MM-DD without a year
    birthday = CharField(max_length=10, default="", constraints=[BLANK])
    note = TextField(default="")

    @property
    def phone_list(self) -> list[str]:
        return [p.strip() for p in self.phone.split(",") if p.strip()]


class AccountPlan(BaseModel):
    """Key-customer plan (重点客户计划): targets, progress and a review date on the due list."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="plans", unique=True, on_delete="CASCADE")
    customer_id: ForeignKeyId[int]
    products = TextField(default="")
    target_amount = MoneyField(null=True)  # orders for the calendar year
    target_price = MoneyField(null=True)
    target_volume = IntegerField(null=True)
    visit_every_days = IntegerField(null=True)
    services = TextField(default="")
    strengths = TextField(default="", constraints=[BLANK])
    weaknesses = TextField(default="", constraints=[BLANK])
    opportunities = TextField(default="", constraints=[BLANK])
    threats = TextField(default="", constraints=[BLANK])
    progress = TextField(default="")  # one line per note, newest first: "YYYY-MM-DD · who · text"
    review_on = IsoDateField(index=True)
    updated_at = UtcDateTimeField()
    updated_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL", index=False)
    updated_by_id: ForeignKeyId[int | None]


class Interaction(BaseModel):
    id = AutoField()
    customer = ForeignKeyField(Customer, backref="interactions", on_delete="CASCADE", index=False)
    customer_id: ForeignKeyId[int]
    at = UtcDateTimeField()
    channel = CharField(max_length=16, default="phone")
    direction = CharField(max_length=8, default="out")  # out | in
    summary = TextField()
    outcome = CharField(max_length=16, default="neutral")
    next_step = TextField(default="")
    next_on = IsoDateField(null=True)
    referral_ask = BooleanField(default=False)
    by = ForeignKeyField(User, backref="interactions", index=False)
    by_id: ForeignKeyId[int]
    followup_number = IntegerField(default=0)  # 0 = first contact
    # the person spoken to; the name stays on the interaction when the contact is removed
    contact = ForeignKeyField(
        Contact, null=True, backref="interactions", on_delete="SET NULL", index=False
    )  # see the partial index below
    contact_id: ForeignKeyId[int | None]
    contact_name = CharField(max_length=200, default="", constraints=[BLANK])
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])
    """Moves on every edit: a correction saved over a newer one is refused (optimistic)."""

    class Meta:
        indexes = (
            (("customer", "at"), False),
            (("at",), False),
            (("by", "at"), False),
        )


# Only the few interactions that name a contact are indexed: removing a contact finds them
# (its ON DELETE SET NULL) without reading every interaction, and logging one without a
# contact pays nothing.
Interaction.add_index(
    Interaction.index(Interaction.contact, name="interaction_contact_id").where(
        Interaction.contact.is_null(False)
    )
)


class Commitment(BaseModel):
    """A promise made to the customer (承诺)."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="commitments", on_delete="CASCADE")
    customer_id: ForeignKeyId[int]
    interaction = ForeignKeyField(
        Interaction, null=True, backref="commitments", on_delete="SET NULL"
    )
    interaction_id: ForeignKeyId[int | None]
    text = TextField()
    due = IsoDateField()
    status = CharField(max_length=8, default="open")  # open | done | broken
    created_at = UtcDateTimeField()
    closed_at = UtcDateTimeField(null=True)
    by = ForeignKeyField(User, backref="commitments")
    by_id: ForeignKeyId[int]
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])
    """Moves on every edit: a correction saved over a newer one is refused (optimistic)."""

    class Meta:
        indexes = ((("status", "due"), False),)


class Appointment(BaseModel):
    """A visit, call or meeting with a customer at a time (拜访计划), with its purpose and
    preparation, and after it the review: was the purpose met, were the manager's instructions
    carried out, what is still open."""

    id = AutoField()
    customer = ForeignKeyField(
        Customer, backref="appointments", on_delete="CASCADE", index=False
    )  # see Meta.indexes
    customer_id: ForeignKeyId[int]
    user = ForeignKeyField(User, backref="appointments", index=False)  # who attends
    user_id: ForeignKeyId[int]
    starts_at = UtcDateTimeField()
    ends_at = UtcDateTimeField()  # starts_at + minutes: the clash check reads an interval
    minutes = IntegerField()
    kind = CharField(max_length=12, default="visit")  # rules.AppointmentKind
    purpose = CharField(max_length=16, default="")  # rules.Purpose, or none given
    place = TextField(default="")
    prep = TextField(default="")  # preparation notes
    # the person to meet; the name stays when the contact is removed
    contact = ForeignKeyField(
        Contact, null=True, backref="appointments", on_delete="SET NULL", index=False
    )
    contact_id: ForeignKeyId[int | None]
    contact_name = CharField(max_length=200, default="")
    status = CharField(max_length=12, default="planned")  # rules.AppointmentStatus
    moves = IntegerField(default=0)  # how often it was moved to another time
    first_starts_at = UtcDateTimeField()  # the time first booked, kept when it moves
    # the review, when logged
    interaction = ForeignKeyField(
        Interaction, null=True, backref="appointments", on_delete="SET NULL", index=False
    )
    interaction_id: ForeignKeyId[int | None]
    purpose_met = CharField(max_length=8, default="")  # rules.PurposeMet, or not asked
    instructions_done = CharField(max_length=8, default="")  # the same answers; "" not asked
    still_open = TextField(default="")
    closed_at = UtcDateTimeField(null=True)  # logged or cancelled
    created_at = UtcDateTimeField()
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL", index=False)
    created_by_id: ForeignKeyId[int | None]
    updated_at = UtcDateTimeField()

    class Meta:
        # (user, starts_at): one person's day and the clash check; (customer, starts_at): the
        # profile and the open appointment a logged visit closes; (starts_at): the team's day
        indexes = (
            (("user", "starts_at"), False),
            (("customer", "starts_at"), False),
            (("starts_at",), False),
        )


class Order(BaseModel):
    """A sale (交易记录)."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="orders", on_delete="CASCADE", index=False)
    customer_id: ForeignKeyId[int]
    on = IsoDateField()
    product = CharField(max_length=200, default="")
    quantity = IntegerField(default=1)
    amount = MoneyField()
    cost = MoneyField(null=True)  # what the sale cost, for ranking key customers by profit
    gift = CharField(max_length=200, default="")
    note = TextField(default="")
    by = ForeignKeyField(User, backref="orders", index=False)  # see Meta.indexes
    by_id: ForeignKeyId[int]
    created_at = UtcDateTimeField()
    # delivery and payment (回款): services.receivables keeps paid, owed and owed_since current
    deliver_on = IsoDateField(null=True)  # the delivery planned (on Today that day)
    delivered_on = IsoDateField(null=True)  # the (first) delivery
    delivery = CharField(
        max_length=16, default="ordered", constraints=[SQL("DEFAULT 'ordered'")]
    )  # rules.DeliveryState
    paid = MoneyField(default=0, constraints=[SQL("DEFAULT 0")])
    owed = MoneyField(default=0, constraints=[SQL("DEFAULT 0")])  # 0 once returned
    owed_since = IsoDateField(null=True)  # payment terms run from here: delivery, else order
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])
    """Moves on every edit: a correction saved over a newer one is refused (optimistic)."""

    class Meta:
        table_name = "sales_order"  # "order" is an SQL keyword
        # (by, on, amount): each rep's orders in a target's period, summed from the index alone
        # (on, customer) holds what retention reads: the buyers of a period, without the rows
        indexes = (
            (("customer", "on"), False),
            (("on", "customer"), False),
            (("by", "on", "amount"), False),
        )


# Literal SQL, not parameters: SQLite uses a partial index only for a query whose terms are
# the index's own, and a bound parameter never is.
OWING = Order.owed > SQL("0")
"""Orders with something still to pay: a few of all orders, indexed apart (receivables)."""
PENDING_DELIVERY = Expression(Order.delivery, OP.IN, SQL("('ordered', 'partly_delivered')"))
"""Orders still to deliver (in full)."""
# Only the orders still owed, or still to deliver, are indexed: Today's overdue payments and
# deliveries due, and the receivables, read a small index whatever the number of orders.
Order.add_index(
    Order.index(Order.owed_since, Order.customer, Order.owed, name="sales_order_owing").where(OWING)
)
Order.add_index(
    Order.index(Order.deliver_on, Order.customer, name="sales_order_pending_delivery").where(
        PENDING_DELIVERY
    )
)


class Payment(BaseModel):
    """Money received against an order (回款): its day, amount and how it was paid."""

    id = AutoField()
    order = ForeignKeyField(Order, backref="payments", on_delete="CASCADE")
    order_id: ForeignKeyId[int]
    customer = ForeignKeyField(Customer, backref="payments", on_delete="CASCADE", index=False)
    customer_id: ForeignKeyId[int]
    on = IsoDateField()
    amount = MoneyField()
    method = CharField(max_length=16, default="transfer")  # validation.PAYMENT_METHODS
    note = TextField(default="")
    by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL", index=False)
    by_id: ForeignKeyId[int | None]
    at = UtcDateTimeField()

    class Meta:
        # (customer, on): a customer's payments; (on, customer, amount): a period's payments
        # (the day's report, revenue counted by payments) from the index alone
        indexes = ((("customer", "on"), False), (("on", "customer", "amount"), False))


class Instruction(BaseModel):
    """A manager's instruction to a rep about a customer (上级指令), due by a day: open until
    the rep reports it done, with a note on what was done."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="instructions", on_delete="CASCADE")
    customer_id: ForeignKeyId[int]
    to = ForeignKeyField(User, backref="instructions", index=False)  # see Meta.indexes
    to_id: ForeignKeyId[int]
    by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL", index=False)
    by_id: ForeignKeyId[int | None]
    text = TextField()
    due = IsoDateField()
    given_at = UtcDateTimeField()
    done_at = UtcDateTimeField(null=True)
    done_on = IsoDateField(null=True)  # the local day it was reported done (daily report)
    note = TextField(default="")

    class Meta:
        # (to, done_on, due): a rep's open instructions on Today; (done_on, to): a day's report
        indexes = ((("to", "done_on", "due"), False), (("done_on", "to"), False))


class Win(BaseModel):
    """A sale that closed an opportunity (the need was clear): how many follow-ups it took."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="wins", on_delete="CASCADE", index=False)
    customer_id: ForeignKeyId[int]
    order = ForeignKeyField(Order, null=True, backref="wins", on_delete="SET NULL")
    order_id: ForeignKeyId[int | None]
    on = IsoDateField()
    amount = MoneyField()
    followups = IntegerField()  # outbound answered contacts after the first (rules.lifecycle)
    at = UtcDateTimeField()
    by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL", index=False)
    by_id: ForeignKeyId[int | None]

    class Meta:
        # (by, on, amount): each rep's wins in a period from the index alone
        indexes = (
            (("customer", "on"), False),
            (("on", "followups"), False),
            (("by", "on", "amount"), False),
        )


class CustomerChange(BaseModel):
    """The history of a customer's lifecycle and value class: who changed it, when, and why."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="changes", on_delete="CASCADE", index=False)
    customer_id: ForeignKeyId[int]
    at = UtcDateTimeField()
    on = IsoDateField()
    what = CharField(max_length=16)  # lifecycle | value_class
    from_value = CharField(max_length=16, default="")
    to_value = CharField(max_length=16)
    reason = TextField(default="")
    by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")  # None: automatic
    by_id: ForeignKeyId[int | None]

    class Meta:
        table_name = "customer_change"
        # (what, to_value, from_value, on, by): prospects won as customers in a period, by who
        indexes = (
            (("customer", "at"), False),
            (("what", "to_value", "from_value", "on", "by"), False),
        )


class Complaint(BaseModel):
    id = AutoField()
    customer = ForeignKeyField(Customer, backref="complaints", on_delete="CASCADE")
    customer_id: ForeignKeyId[int]
    opened_at = UtcDateTimeField()
    channel = CharField(max_length=16, default="phone")
    category = CharField(max_length=64, default="")
    severity = CharField(max_length=16, default="normal")
    summary = CharField(max_length=300)
    description = TextField(default="")
    owner = ForeignKeyField(User, null=True, backref="complaints", on_delete="SET NULL")
    owner_id: ForeignKeyId[int | None]
    status = CharField(max_length=20, default="new")
    respond_by = UtcDateTimeField()
    resolve_by = UtcDateTimeField()
    acknowledged_at = UtcDateTimeField(null=True)
    promised_at = UtcDateTimeField(null=True)
    waiting_since = UtcDateTimeField(null=True)  # set while waiting_customer: the clock is paused
    paused_seconds = IntegerField(default=0)
    resolved_at = UtcDateTimeField(null=True)
    closed_at = UtcDateTimeField(null=True)
    resolution = TextField(default="")
    root_cause = TextField(default="")
    satisfaction = SmallIntegerField(null=True)
    created_by = ForeignKeyField(User, backref="+")
    created_by_id: ForeignKeyId[int]
    updated_at = UtcDateTimeField()
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            (("status", "resolve_by"), False),
            (("owner", "status"), False),
            (("opened_at",), False),
        )


class ComplaintEvent(BaseModel):
    """The complaint's timeline: who did what when."""

    id = AutoField()
    complaint = ForeignKeyField(Complaint, backref="events", on_delete="CASCADE")
    complaint_id: ForeignKeyId[int]
    at = UtcDateTimeField()
    by = ForeignKeyField(User, backref="+")
    by_id: ForeignKeyId[int]
    kind = CharField(max_length=16)  # opened | status | note | severity | owner | promise
    from_value = CharField(max_length=64, default="")
    to_value = CharField(max_length=64, default="")
    note = TextField(default="")


class CareDate(BaseModel):
    """A yearly date to care for the customer (客户关怀): birthday, anniversary…"""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="care_dates", on_delete="CASCADE")
    customer_id: ForeignKeyId[int]
    kind = CharField(max_length=16, default="birthday")  # birthday | anniversary | other
    month = SmallIntegerField()
    day = SmallIntegerField()
    year = SmallIntegerField(null=True)  # birth year when known; a --MM-DD birthday has none
    lunar = BooleanField(default=False)
    leap = BooleanField(default=False)  # lunar leap month
    note = TextField(default="")
    greeted_on = IsoDateField(null=True)  # when care was last logged; hides the coming occurrence
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])
    """Moves on every edit: a correction saved over a newer one is refused (optimistic)."""

    class Meta:
        indexes = ((("lunar", "month", "day"), False),)


class HolidayGreeting(BaseModel):
    """A holiday greeting sent (节日问候): the customer leaves that holiday's greeting list."""

    id = AutoField()
    customer = ForeignKeyField(
        Customer, backref="holiday_greetings", on_delete="CASCADE", index=False
    )
    customer_id: ForeignKeyId[int]
    holiday = CharField(max_length=100)  # the holidays library's English name
    day = IsoDateField()  # the holiday's first day that year
    at = UtcDateTimeField()
    by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    by_id: ForeignKeyId[int | None]

    class Meta:
        table_name = "holiday_greeting"
        indexes = ((("customer", "holiday", "day"), True), (("holiday", "day"), False))


class Survey(BaseModel):
    """Satisfaction scores 1–5 per dimension (顾客满意度)."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="surveys", on_delete="CASCADE")
    customer_id: ForeignKeyId[int]
    complaint = ForeignKeyField(Complaint, null=True, backref="surveys", on_delete="SET NULL")
    complaint_id: ForeignKeyId[int | None]
    at = UtcDateTimeField(index=True)
    product = SmallIntegerField(null=True)
    service = SmallIntegerField(null=True)
    responsiveness = SmallIntegerField(null=True)
    value = SmallIntegerField(null=True)
    overall = SmallIntegerField(null=True)
    by = ForeignKeyField(User, null=True, backref="+")
    by_id: ForeignKeyId[int | None]
    comment = TextField(default="", constraints=[BLANK])  # what the customer said, in their words
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])
    """Moves on every edit: a correction saved over a newer one is refused (optimistic)."""


class SurveyScore(BaseModel):
    """A score 1–5 on a dimension the team configured beyond the five of SPEC 2.8 (which keep
    their columns on the survey), e.g. a comparison with competitors."""

    id = AutoField()
    survey = ForeignKeyField(Survey, backref="extra_scores", on_delete="CASCADE", index=False)
    survey_id: ForeignKeyId[int]
    dimension = CharField(max_length=32)
    score = SmallIntegerField()

    class Meta:
        table_name = "survey_score"
        indexes = ((("survey", "dimension"), True),)


class Target(BaseModel):
    """A rep's sales target (销售目标) for a month, a quarter or a year."""

    id = AutoField()
    user = ForeignKeyField(User, backref="targets", index=False)
    user_id: ForeignKeyId[int]
    period = CharField(max_length=8)  # 2026-12 | 2027-Q1 | 2027
    starts_on = IsoDateField()
    ends_on = IsoDateField()  # the period's last day
    amount = MoneyField(null=True)  # orders
    new_customers = IntegerField(null=True)  # prospects won as customers
    set_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL", index=False)
    # peewee's accessor replaces the model's set_by_id() classmethod here, as declared
    set_by_id: ForeignKeyId[int | None]  # type: ignore[assignment]
    set_at = UtcDateTimeField()

    class Meta:
        indexes = ((("user", "period"), True), (("period", "user"), False))


class GradeChange(BaseModel):
    id = AutoField()
    customer = ForeignKeyField(Customer, backref="grade_changes", on_delete="CASCADE", index=False)
    customer_id: ForeignKeyId[int]
    at = UtcDateTimeField()
    on = IsoDateField()  # local day of the change, for movement over 7/30/90 days
    from_grade = CharField(max_length=1, null=True)  # None for a new customer
    to_grade = CharField(max_length=1)
    reason = TextField(default="")
    by = ForeignKeyField(User, null=True, backref="+")  # None when the calendar moved it
    by_id: ForeignKeyId[int | None]

    class Meta:
        # (on, …) holds every column the dashboard's movement over 7/30/90 days reads
        indexes = (
            (("customer", "at"), False),
            (("on", "customer", "from_grade", "to_grade"), False),
        )


class ChangeSet(BaseModel):
    """One change a user made to a customer's records (a contact logged, an order, an edit, a
    deletion…), from the app or the command line: the customer's history lists them, and undo
    reverses the user's latest (crmtui.services.history)."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="change_sets", on_delete="CASCADE", index=False)
    customer_id: ForeignKeyId[int]
    at = UtcDateTimeField()
    by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL", index=False)
    by_id: ForeignKeyId[int | None]
    origin = CharField(max_length=8)  # app | cli: each has its own undo
    action = CharField(max_length=24)  # history.ACTIONS
    entity = CharField(max_length=16, default="")  # the record acted on (customer, order…)
    entity_id = IntegerField(null=True)
    undoes = IntegerField(null=True)  # the change this one undid

    class Meta:
        table_name = "change_set"
        indexes = (
            (("customer", "at"), False),
            (("by", "origin", "id"), False),
            (("undoes",), False),
        )


class FieldChange(BaseModel):
    """A field of one record before and after a change (values as stored, JSON-encoded); a
    record created or deleted as a whole has an empty field name and its row as the value."""

    id = AutoField()
    change_set = ForeignKeyField(ChangeSet, backref="fields", on_delete="CASCADE", index=False)
    change_set_id: ForeignKeyId[int]
    customer = ForeignKeyField(Customer, backref="+", on_delete="CASCADE", index=False)
    customer_id: ForeignKeyId[int]
    entity = CharField(max_length=16)
    entity_id = IntegerField()
    field = CharField(max_length=32, default="")
    old = TextField(null=True)
    new = TextField(null=True)

    class Meta:
        table_name = "field_change"
        indexes = ((("change_set",), False), (("entity", "entity_id"), False))


class AuditLog(BaseModel):
    id = AutoField()
    at = UtcDateTimeField(index=True)
    user = ForeignKeyField(User, null=True, backref="+")
    user_id: ForeignKeyId[int | None]
    # export | delete | reassign | role | merge | import | restore
    action = CharField(max_length=32)
    entity = CharField(max_length=32, default="")
    entity_id = IntegerField(null=True)
    detail = TextField(default="")
    hash = CharField(max_length=64, null=True)
    """SQLite: covers this entry and the one before it (crmtui.db.audit_chain)."""


class OwedDay(BaseModel):
    """What one owner's customers owe on the orders owed since one day (sales_order.owed > 0):
    the receivables, summed ahead. Kept by the database's triggers (crmtui.db.figures) in the
    transaction of every write to an order or a customer's owner, whoever writes."""

    owner_id = IntegerField()
    owed_since = IsoDateField()
    """The order's owed_since (its day where that is not set)."""
    owed = MoneyField(default=0)
    orders = IntegerField(default=0)

    class Meta:
        table_name = "owed_day"
        primary_key = CompositeKey("owner_id", "owed_since")


class PipelineDay(BaseModel):
    """The team's open opportunities of one grade expected to close on one day: the pipeline,
    summed ahead by the database's triggers (crmtui.db.figures) on every write to a customer.
    A rep's own pipeline is read from their customers."""

    grade = CharField(max_length=1)
    close_on = IsoDateField()
    """The expected close; NO_CLOSE_DAY when there is no estimate."""
    customers = IntegerField(default=0)
    amount = MoneyField(default=0)

    class Meta:
        table_name = "pipeline_day"
        primary_key = CompositeKey("grade", "close_on")


class GradeTally(BaseModel):
    """How many customers one owner has of one grade (the grade × rep matrix), kept by the
    database's triggers (crmtui.db.figures) on every write to a customer."""

    owner_id = IntegerField()
    grade = CharField(max_length=1)
    customers = IntegerField(default=0)

    class Meta:
        table_name = "grade_tally"
        primary_key = CompositeKey("owner_id", "grade")


class StageTally(BaseModel):
    """The team's open customers (grade A–D, not terminated) by grade and follow-ups so far,
    kept by the database's triggers (crmtui.db.figures)."""

    grade = CharField(max_length=1)
    followups = IntegerField()
    customers = IntegerField(default=0)

    class Meta:
        table_name = "stage_tally"
        primary_key = CompositeKey("grade", "followups")


class SourceTally(BaseModel):
    """The team's customers by source and deal status (conversion by source), kept by the
    database's triggers (crmtui.db.figures)."""

    source = CharField(max_length=16)
    deal_status = CharField(max_length=16)
    customers = IntegerField(default=0)

    class Meta:
        table_name = "source_tally"
        primary_key = CompositeKey("source", "deal_status")


MODELS = [
    SchemaVersion,
    Setting,
    User,
    Customer,
    Contact,
    AccountPlan,
    Interaction,
    Commitment,
    Appointment,
    Order,
    Payment,
    Instruction,
    Win,
    CustomerChange,
    Complaint,
    ComplaintEvent,
    CareDate,
    HolidayGreeting,
    Survey,
    SurveyScore,
    Target,
    GradeChange,
    ChangeSet,
    FieldChange,
    AuditLog,
    OwedDay,
    PipelineDay,
    GradeTally,
    StageTally,
    SourceTally,
]
