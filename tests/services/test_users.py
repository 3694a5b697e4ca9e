"""The team: adding users, roles, deactivation with hand-over, the last manager, the audit log."""

from __future__ import annotations

import pytest

from crmtui.db import Complaint, Customer, User
from crmtui.errors import CrmError, Forbidden, InvalidInput, NotFound
from crmtui.services.audit import audit_entries, entry_json
from crmtui.services.context import open_context
from crmtui.services.customers import add_customer, delete_customer, reassign, update_customer
from crmtui.services.interactions import log_interaction, record_order
from crmtui.services.users import add_user, deactivate_user, list_users, set_role
from tests.conftest import NOW, as_user


def actions(ctx, action=None):
    return [(e.action, e.detail) for e in reversed(audit_entries(ctx, action=action))]


def test_the_first_user_of_a_new_database_is_its_manager_and_others_must_be_added(
        ctx, db_target, clock):
    assert (ctx.user.login, ctx.user.role) == ("boss", "manager")
    with pytest.raises(Forbidden, match="crmtui user add stranger"):
        open_context(db_target, login="stranger", clock=clock)
    add_user(ctx, "stranger", name="New Rep")
    other = open_context(db_target, login="stranger", clock=clock)
    try:
        assert (other.user.role, other.user.display_name) == ("rep", "New Rep")
    finally:
        other.store.close()


def test_adding_users_checks_login_and_role(ctx):
    add_user(ctx, "wang.wei", role="support")
    with pytest.raises(CrmError, match="already a user"):
        add_user(ctx, "wang.wei")
    with pytest.raises(InvalidInput) as caught:
        add_user(ctx, "two words")
    assert "login" in caught.value.errors
    with pytest.raises(InvalidInput):
        add_user(ctx, "")
    with pytest.raises(InvalidInput) as caught:
        add_user(ctx, "ok", role="admin")
    assert "role" in caught.value.errors
    assert [(m.login, m.role) for m in list_users(ctx)] == [("boss", "manager"),
                                                            ("wang.wei", "support")]
    assert actions(ctx) == [("user", "added wang.wei as support")]


def test_a_last_manager_cannot_demote_or_deactivate_themselves(ctx, rep_ctx):
    with pytest.raises(CrmError, match="at least one manager"):
        set_role(ctx, "boss", "rep")
    with pytest.raises(CrmError, match="at least one manager"):
        deactivate_user(ctx, "boss")
    set_role(ctx, "ray", "manager")
    set_role(ctx, "boss", "rep")  # ray is a manager now
    assert ctx.role == "rep"
    ray = as_user(ctx, "ray")
    with pytest.raises(CrmError, match="at least one manager"):
        set_role(ray, "ray", "support")
    assert [m.role for m in list_users(ray) if m.login in ("boss", "ray")] == ["rep", "manager"]
    assert actions(ray, "role") == [("role", "ray: rep -> manager"),
                                    ("role", "boss: manager -> rep")]


def test_deactivating_needs_the_customers_handed_over(ctx, rep_ctx):
    first = add_customer(rep_ctx, {"name": "Rita 1"})
    add_customer(rep_ctx, {"name": "Rita 2"})
    complaint = Complaint.create(customer=first.id, opened_at=NOW, summary="late",
                                 owner=rep_ctx.user.id, respond_by=NOW, resolve_by=NOW,
                                 created_by=rep_ctx.user.id, updated_at=NOW)
    version = Customer.get_by_id(first.id).version
    with pytest.raises(CrmError, match="rita owns 2 customers"):
        deactivate_user(ctx, "rita")
    with pytest.raises(CrmError, match="support staff"):
        deactivate_user(ctx, "rita", to="sam")
    with pytest.raises(NotFound):
        deactivate_user(ctx, "rita", to="nobody")
    assert User.get(User.login == "rita").active
    done = deactivate_user(ctx, "rita", to="ray")
    assert (done.customers_moved, done.complaints_moved, done.to) == (2, 1, "ray")
    moved = Customer.get_by_id(first.id)
    assert moved.owner.login == "ray" and moved.version == version + 1
    handed = Complaint.get_by_id(complaint.id)
    assert (handed.owner.login, handed.version) == ("ray", complaint.version + 1)
    assert [(e.kind, e.from_value, e.to_value, e.by.login) for e in handed.events] == [
        ("owner", "rita", "ray", "boss")]
    # an edit form opened before the hand-over is refused, naming the manager
    with pytest.raises(Exception, match="changed by boss"):
        update_customer(ctx, first.id, {"company": "x"}, expected_version=version)
    assert not User.get(User.login == "rita").active
    with pytest.raises(CrmError, match="deactivated and cannot own"):
        reassign(ctx, first.id, "rita")
    with pytest.raises(CrmError, match="already deactivated"):
        deactivate_user(ctx, "rita")
    assert actions(ctx) == [
        ("reassign", "2 customers rita -> ray"),
        ("deactivate", "rita; 2 customers and 1 open complaints to ray")]
    # coming back: added again, with the role given
    add_user(ctx, "rita", role="support")
    assert User.get(User.login == "rita").active
    assert actions(ctx, "user")[-1] == ("user", "reactivated rita as support")


def test_a_rep_becoming_support_hands_their_customers_over(ctx, rep_ctx):
    add_customer(rep_ctx, {"name": "Rita's"})
    with pytest.raises(CrmError, match="--to"):
        set_role(ctx, "rita", "support")
    with pytest.raises(CrmError, match="only for making a rep support"):
        set_role(ctx, "rita", "manager", to="ray")
    set_role(ctx, "rita", "support", to="ray")
    assert [c.owner.login for c in Customer.select()] == ["ray"]


def test_reassignments_deletions_and_role_changes_are_audited(ctx, rep_ctx):
    customer = add_customer(rep_ctx, {"name": "张三"})
    log_interaction(rep_ctx, customer.id, summary="called")
    record_order(rep_ctx, customer.id, amount="10")
    reassign(ctx, customer.id, "ray")
    set_role(ctx, "sam", "manager")
    ray = as_user(ctx, "ray")
    removed = delete_customer(ray, customer.id)
    assert (removed.interactions, removed.orders) == (1, 1)
    assert not Customer.select().exists()
    entries = audit_entries(ctx)
    assert [(e.action, e.user.login, e.entity, e.entity_id) for e in entries] == [
        ("delete", "ray", "customer", customer.id),
        ("role", "boss", "user", User.get(User.login == "sam").id),
        ("reassign", "boss", "customer", customer.id),
    ]
    assert entries[0].detail == ("张三 (#1) with 1 interactions, 1 orders and 0 complaints; "
                                 "owner ray")
    assert entries[2].detail == "rita -> ray"
    assert entry_json(entries[0])["user"] == "ray"
    assert [e.action for e in audit_entries(ctx, limit=1)] == ["delete"]
    assert [e.action for e in audit_entries(ctx, action="ROLE")] == ["role"]


def test_a_refused_action_leaves_no_audit_entry(ctx, rep_ctx):
    customer = add_customer(rep_ctx, {"name": "kept"})
    with pytest.raises(CrmError):
        reassign(ctx, customer.id, "sam")
    with pytest.raises(Forbidden):
        delete_customer(as_user(ctx, "sam"), customer.id)
    assert audit_entries(ctx) == []
    assert Customer.select().count() == 1


def test_support_staff_leaving_send_their_open_complaints_back_to_the_queue(ctx, rep_ctx):
    customer = add_customer(ctx, {"name": "Unhappy"})
    sam = User.get(User.login == "sam")
    complaint = Complaint.create(customer=customer.id, opened_at=NOW, summary="broken",
                                 owner=sam.id, respond_by=NOW, resolve_by=NOW,
                                 created_by=sam.id, updated_at=NOW)
    done = deactivate_user(ctx, "sam")
    assert (done.customers_moved, done.complaints_moved, done.to) == (0, 1, None)
    queued = Complaint.get_by_id(complaint.id)
    assert queued.owner_id is None
    assert [(e.from_value, e.to_value) for e in queued.events] == [("sam", "")]
    assert actions(ctx) == [("deactivate", "sam; 1 open complaints back to the queue")]
