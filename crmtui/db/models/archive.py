"""The customer archive (客户档案) and the work done with each customer: contacts, key-account
plans, interactions, promises, appointments and the manager's instructions."""

from __future__ import annotations

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    CharField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from crmtui.db.fields import ForeignKeyId, IsoDateField, MoneyField, UtcDateTimeField
from crmtui.db.models.base import BLANK, BaseModel, User


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
    referred_by = ForeignKeyField(
        "self", null=True, backref="referrals", on_delete="SET NULL", index=False
    )  # see the partial index below
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
    # not indexed (as an account plan's): only deleting a user would look customers up by it,
    # and users are deactivated, not deleted
    updated_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL", index=False)
    updated_by_id: ForeignKeyId[int | None]
    version = IntegerField(default=1)

    class Meta:
        # Every index costs each contact logged: the contact moves the due days, so the row's
        # new version is written into every index of the customer (schema 28 dropped four that
        # others serve: name, cadence_due, (source, deal_status), updated_by).
        indexes = (
            # Composite indexes lead with the owner: every list a rep sees is "mine, by date".
            (("owner", "next_due"), False),
            (("owner", "grade"), False),
            (("owner", "cadence_due"), False),
            (("owner", "referral_moment_on"), False),
            (("next_due",), False),
            # the dashboard's aggregates read these without touching the table rows:
            # follow-up stages and drop risks by grade
            (("grade", "followups", "status", "cadence_due"), False),
            (("sort_name",), False),
            (("referral_moment_on",), False),
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
# Only the few customers someone referred are indexed: a referrer's referrals (the profile,
# merging, deleting the referrer) are found without reading every customer, and saving one
# nobody referred writes nothing here.
Customer.add_index(
    Customer.index(Customer.referred_by, name="customer_referred_by_id").where(
        Customer.referred_by.is_null(False)
    )
)


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
