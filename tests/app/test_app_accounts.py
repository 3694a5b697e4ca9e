"""Key accounts in the app: contacts added, edited and removed from the profile's Contacts tab, the
account plan made and changed from the profile, the log form naming the contact and adding a
plan progress line after a visit, surveys from the profile and from a closed complaint; and
only to those who may change the customer."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import Input, Select, TabbedContent

from crmtui.app import CrmApp
from crmtui.db import AccountPlan, Contact, Customer, Interaction, Survey, SurveyScore
from crmtui.screens.complaint import ComplaintScreen
from crmtui.screens.dialogs.accounts import (
    ContactDialog,
    PlanDialog,
    RemoveContactDialog,
    SurveyDialog,
)
from crmtui.screens.dialogs.log import LogDialog
from crmtui.screens.profile import ProfileScreen
from crmtui.services.contacts import add_contact
from crmtui.services.plans import set_plan
from crmtui.widgets.form import FieldRow
from crmtui.widgets.lists import NavTable
from tests.app.conftest import customer_of, press, screen_text, settle, type_text, until
from tests.conftest import as_user


def row(app, field: str) -> FieldRow:
    return app.screen.query_one(f"#row-{field}", FieldRow)


def fill(app, field: str, text: str) -> None:
    app.screen.query_one(f"#row-{field}", FieldRow).value = text


def plain_customer(ctx) -> Customer:
    """One of boss's customers with neither contacts nor a plan."""
    planned = AccountPlan.select(AccountPlan.customer)
    with_contacts = Contact.select(Contact.customer)
    return (Customer.select().where((Customer.owner == ctx.user.id)
                                    & Customer.id.not_in(planned)
                                    & Customer.id.not_in(with_contacts))
            .order_by(Customer.id).first())


async def open_tab(pilot, customer_id: int, tab: str) -> None:
    pilot.app.open_profile(customer_id)
    await settle(pilot)
    assert isinstance(pilot.app.screen, ProfileScreen)
    pilot.app.screen.query_one(TabbedContent).active = tab
    await settle(pilot)


def shown(app) -> bool:
    """The screen on top has painted what it read."""
    text = screen_text(app)
    return bool(text.strip()) and "Loading…" not in text


def contact_rows(app) -> list[list[str]]:
    table = app.screen.query_one("#table-contacts", NavTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_contact_is_added_from_the_profile_then_edited_and_removed(app, demo_ctx):
    customer = plain_customer(demo_ctx)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        await open_tab(pilot, customer.id, "contacts")
        assert "No contacts recorded." in screen_text(app)
        assert "n new contact" in screen_text(app)  # the tab says its keys
        await press(pilot, "n")
        assert isinstance(app.screen, ContactDialog)
        await press(pilot, "ctrl+s")  # a contact without a name
        assert isinstance(app.screen, ContactDialog)
        assert row(app, "name").error == "required"
        await type_text(pilot, "李明")
        await press(pilot, "tab", "enter", "home", "enter")  # role: the first, decision maker
        assert row(app, "role").value == "decision_maker"
        fill(app, "title", "总经理")
        fill(app, "phones", "139 0000 1111, 023 6666 7777")
        fill(app, "email", "not-an-address")
        await settle(pilot)
        assert row(app, "email").error
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ContactDialog)
        assert Contact.select().where(Contact.customer == customer.id).count() == 0
        fill(app, "email", "liming@example.cn")
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        contact = Contact.get(Contact.customer == customer.id)
        assert (contact.name, contact.role, contact.title, contact.email) == (
            "李明", "decision_maker", "总经理", "liming@example.cn")
        assert contact.phone_list == ["139 0000 1111", "023 6666 7777"]
        assert contact_rows(app)[0][:3] == ["李明", "总经理", "decision maker"]
        assert "n new contact · enter edit · d delete" in screen_text(app)

        await press(pilot, "enter")  # edit the contact under the cursor
        assert isinstance(app.screen, ContactDialog)
        assert app.screen.query_one("#field-title", Input).value == "总经理"
        assert (app.screen.query_one("#field-phones", Input).value
                == "139 0000 1111, 023 6666 7777")
        fill(app, "title", "董事长")
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        assert Contact.get_by_id(contact.id).title == "董事长"
        assert Contact.get_by_id(contact.id).phone_list == ["139 0000 1111", "023 6666 7777"]
        assert contact_rows(app)[0][1] == "董事长"

        await press(pilot, "delete")
        assert isinstance(app.screen, RemoveContactDialog)
        await press(pilot, "escape")  # asked, not removed
        assert Contact.get_or_none(Contact.id == contact.id) is not None
        await press(pilot, "delete", "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        assert Contact.get_or_none(Contact.id == contact.id) is None
        assert "No contacts recorded" in screen_text(app)


async def test_an_account_plan_is_made_from_the_profile_and_refuses_a_zero_day_cycle(
        app, demo_ctx):
    customer = plain_customer(demo_ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_tab(pilot, customer.id, "overview")
        await press(pilot, "P")
        assert isinstance(app.screen, PlanDialog)
        fill(app, "products", "Pro licence")
        fill(app, "target_amount", "￥20万")
        fill(app, "visit_every_days", "0")
        fill(app, "strengths", "技术领先")
        fill(app, "progress", "first meeting with the board")
        await settle(pilot)
        assert row(app, "visit_every_days").error == "a visit cycle is at least one day"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, PlanDialog)
        assert AccountPlan.get_or_none(AccountPlan.customer == customer.id) is None
        fill(app, "visit_every_days", "30")
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        plan = AccountPlan.get(AccountPlan.customer == customer.id)
        assert (plan.products, plan.target_amount, plan.visit_every_days, plan.strengths) == (
            "Pro licence", Decimal("200000.00"), 30, "技术领先")
        assert plan.review_on == demo_ctx.today().replace(month=2, year=2027)  # +3m of 11-23
        assert plan.progress.endswith("boss · first meeting with the board")
        assert app.screen.query_one(TabbedContent).active == "plan"
        assert "Pro licence" in screen_text(app)

        await press(pilot, "P")  # the plan again, as stored
        assert app.screen.query_one("#field-target_amount", Input).value == "200000.00"
        fill(app, "target_amount", "")
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
    assert AccountPlan.get(AccountPlan.customer == customer.id).target_amount is None


async def test_the_log_form_names_the_contact_and_offers_a_plan_line_after_a_visit(
        app, demo_ctx):
    customer = plain_customer(demo_ctx)
    spoken = add_contact(demo_ctx, customer.id, {"name": "王芳", "role": "purchaser"})
    add_contact(demo_ctx, customer.id, {"name": "赵强", "role": "user"})
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_tab(pilot, customer.id, "overview")
        await press(pilot, "l")
        assert isinstance(app.screen, LogDialog)
        assert row(app, "contact").display
        assert not row(app, "plan_progress").display  # no plan: nothing to add to
        await type_text(pilot, "谈了预算")
        app.screen.query_one("#field-contact", Select).value = spoken.id
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
    logged = (Interaction.select().where(Interaction.customer == customer.id)
              .order_by(Interaction.id.desc()).first())
    assert (logged.summary, logged.contact_id, logged.contact_name) == ("谈了预算", spoken.id,
                                                                       "王芳")

    set_plan(demo_ctx, customer.id, {"visit_every_days": 30})
    app2 = CrmApp(demo_ctx)
    async with app2.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_tab(pilot, customer.id, "overview")
        await press(pilot, "l")
        assert not row(app2, "plan_progress").display  # a phone call: no plan line asked
        await type_text(pilot, "visited the plant")
        await press(pilot, "tab", "tab", "enter", *["down"] * 4, "enter")  # when, channel: visit
        assert row(app2, "channel").value == "visit"
        assert row(app2, "plan_progress").display
        fill(app2, "plan_progress", "签了框架协议")
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app2.screen, ProfileScreen)
    assert AccountPlan.get(AccountPlan.customer == customer.id).progress.endswith(
        "boss · 签了框架协议")


async def test_a_survey_from_the_profile_scores_the_configured_dimensions_with_a_comment(
        app, demo_ctx):
    customer = plain_customer(demo_ctx)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_tab(pilot, customer.id, "overview")
        await press(pilot, "S")
        assert isinstance(app.screen, SurveyDialog)
        dimensions = demo_ctx.config.survey.dimensions
        assert [r.field for r in app.screen.query(FieldRow)][:len(dimensions)] == [
            f"score-{name}" for name in dimensions]
        await press(pilot, "ctrl+s")  # nothing scored
        assert isinstance(app.screen, SurveyDialog)
        assert "at least one score" in screen_text(app)
        await press(pilot, "enter", "down", "enter")  # the first dimension: blank → 5
        fill(app, "comment", "交货快")
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
    survey = Survey.select().where(Survey.customer == customer.id).get()
    first = dimensions[0]
    stored = getattr(survey, first, None) if hasattr(Survey, first) else SurveyScore.get(
        SurveyScore.survey == survey.id).score
    assert (stored, survey.comment, survey.complaint_id) == (5, "交货快", None)


async def test_a_survey_follows_a_closed_complaint_from_its_screen(demo_ctx, queue_ctx):
    app = CrmApp(as_user(demo_ctx, "support"))
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        app.open_complaint(queue_ctx.resolved)
        await until(pilot, lambda: shown(app), "the screen painted")
        assert isinstance(app.screen, ComplaintScreen)
        assert "Survey" not in screen_text(app)  # resolved, not closed yet
        app.pop_screen()
        app.open_complaint(queue_ctx.closed)
        await until(pilot, lambda: shown(app), "the screen painted")
        assert "Survey" in screen_text(app)
        await press(pilot, "S")
        assert isinstance(app.screen, SurveyDialog)
        assert f"after complaint #{queue_ctx.closed}" in screen_text(app)
        await press(pilot, "enter", "end", "enter")  # the first dimension: 1
        fill(app, "comment", "还是太慢")
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ComplaintScreen)
    survey = (Survey.select().where(Survey.complaint == queue_ctx.closed)
              .order_by(Survey.id.desc()).first())  # closing kept its satisfaction as one too
    assert survey.comment == "还是太慢"
    assert survey.customer_id == customer_of("li.na", 2)


async def test_only_who_may_change_the_customer_is_offered_contacts_plan_and_survey(demo_ctx):
    customer = plain_customer(demo_ctx)  # boss's
    for login in ("li.na", "support"):
        app = CrmApp(as_user(demo_ctx, login))
        async with app.run_test(size=(100, 36)) as pilot:
            await settle(pilot)
            if login == "li.na":  # a rep opens someone else's customer only by id
                ownish = customer_of("li.na")
                await open_tab(pilot, ownish, "contacts")
                assert "n new contact" in screen_text(app)
                app.pop_screen()
                await settle(pilot)
                continue
            await open_tab(pilot, customer.id, "contacts")
            assert "n new contact" not in screen_text(app)
            await press(pilot, "n", "P", "S")
            assert isinstance(app.screen, ProfileScreen)
    assert Contact.select().where(Contact.customer == customer.id).count() == 0
