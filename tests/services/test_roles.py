"""Who may see and change what, checked service by service for every role (SPEC §6).

boss is the manager; rita (rep) owns the customer; ray is another rep; sam is support.
Reps do not even learn that other reps' customers exist (NotFound); support may look but not
change (Forbidden); only managers reassign, administer users, read the audit log, back up.
"""

from __future__ import annotations

import pytest

from crmtui.db import AuditLog, Commitment, Customer, Interaction
from crmtui.errors import Forbidden, NotFound
from crmtui.services import customers, interactions, users
from crmtui.services.audit import audit_entries
from crmtui.services.due import coming_up, due_list
from crmtui.services.profile import customer_profile
from tests.conftest import as_user

OK = "ok"
ROLES = ("rita", "ray", "sam", "boss")  # the manager last: some actions change the team


@pytest.fixture
def team(ctx, rep_ctx):
    return {"boss": ctx, "rita": rep_ctx, "ray": as_user(ctx, "ray"), "sam": as_user(ctx, "sam")}


def ritas_customer(team) -> tuple[int, int]:
    """A new customer of rita's with one open promise: (customer id, promise id)."""
    number = Customer.select().count() + 1
    customer = customers.add_customer(team["rita"], {"name": f"Rita's client {number}"})
    promise = interactions.add_promise(team["rita"], customer.id, "send the quote", "+2d")
    return customer.id, promise.id


def outcome(action, ctx, cid, pid):
    try:
        action(ctx, cid, pid)
    except NotFound:
        return NotFound
    except Forbidden:
        return Forbidden
    return OK


VIEW = {"boss": OK, "rita": OK, "ray": NotFound, "sam": OK}
CHANGE = {"boss": OK, "rita": OK, "ray": NotFound, "sam": Forbidden}
MANAGER = {"boss": OK, "rita": Forbidden, "ray": Forbidden, "sam": Forbidden}

ACTIONS = {
    # reading one customer
    "get_customer": (lambda c, cid, pid: customers.get_customer(c, cid), VIEW),
    "profile": (lambda c, cid, pid: customer_profile(c, cid), VIEW),
    "interactions_for": (lambda c, cid, pid: interactions.interactions_for(c, cid), VIEW),
    "resolve_by_id": (lambda c, cid, pid: customers.resolve_customer(c, str(cid)), VIEW),
    "resolve_by_name": (lambda c, cid, pid: customers.resolve_customer(
        c, Customer.get_by_id(cid).name), VIEW),
    # changing it
    "update_customer": (lambda c, cid, pid: customers.update_customer(
        c, cid, {"company": "New Co"}), CHANGE),
    "regrade": (lambda c, cid, pid: customers.regrade(c, cid, need="clear",
                                                      expected_close="+1w"), CHANGE),
    "snooze": (lambda c, cid, pid: customers.snooze(c, cid, "+3d"), CHANGE),
    "log_interaction": (lambda c, cid, pid: interactions.log_interaction(
        c, cid, summary="called"), CHANGE),
    "add_promise": (lambda c, cid, pid: interactions.add_promise(c, cid, "call back", "+1d"),
                    CHANGE),
    "close_promise": (lambda c, cid, pid: interactions.close_promise(c, pid, "done"), CHANGE),
    "snooze_promise": (lambda c, cid, pid: interactions.snooze_promise(c, pid, "+5d"), CHANGE),
    "record_order": (lambda c, cid, pid: interactions.record_order(c, cid, amount="100"),
                     CHANGE),
    "add_care_date": (lambda c, cid, pid: interactions.add_care_date(c, cid, month=5, day=1),
                      CHANGE),
    "delete_customer": (lambda c, cid, pid: customers.delete_customer(c, cid), CHANGE),
    "deletion_preview": (lambda c, cid, pid: customers.deletion_preview(c, cid), CHANGE),
    # manager only
    "reassign": (lambda c, cid, pid: customers.reassign(c, cid, "ray"),
                 {"boss": OK, "rita": Forbidden, "ray": Forbidden, "sam": Forbidden}),
    "add_user": (lambda c, cid, pid: users.add_user(c, "newbie"), MANAGER),
    "list_users": (lambda c, cid, pid: users.list_users(c), MANAGER),
    "set_role": (lambda c, cid, pid: users.set_role(c, "ray", "manager"), MANAGER),
    "deactivate_user": (lambda c, cid, pid: users.deactivate_user(c, "ray"), MANAGER),
    "audit_entries": (lambda c, cid, pid: audit_entries(c), MANAGER),
}


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_each_role_may_do_exactly_what_it_should(team, name):
    action, expected = ACTIONS[name]
    for role in ROLES:
        cid, pid = ritas_customer(team)
        before = _snapshot(cid)
        got = outcome(action, team[role], cid, pid)
        assert got == expected[role], f"{name} as {role}: {got}"
        if got is not OK:
            assert _snapshot(cid) == before, f"{name} as {role} changed something"


def _snapshot(cid):
    customer = Customer.get_or_none(Customer.id == cid)
    return (customer and (customer.version, customer.company, customer.owner_id,
                          customer.next_due, customer.followups, customer.revenue),
            Interaction.select().count(), Commitment.select().count(),
            [(c.id, c.status, c.due) for c in Commitment.select().order_by(Commitment.id)],
            AuditLog.select().count())


def test_adding_customers(team):
    assert customers.add_customer(team["rita"], {"name": "mine"}).owner.login == "rita"
    with pytest.raises(Forbidden):
        customers.add_customer(team["rita"], {"name": "for ray"}, owner="ray")
    with pytest.raises(Forbidden):
        customers.add_customer(team["sam"], {"name": "support adds"})
    given = customers.add_customer(team["boss"], {"name": "for ray"}, owner="ray")
    assert given.owner.login == "ray"
    with pytest.raises(Exception, match="support staff and cannot own customers"):
        customers.add_customer(team["boss"], {"name": "for sam"}, owner="sam")


def test_lists_searches_and_due_lists_show_each_role_its_own(team):
    ritas, _ = ritas_customer(team)
    rays = customers.add_customer(team["ray"], {"name": "Ray's client"}).id
    boss = customers.add_customer(team["boss"], {"name": "Boss's client"}).id
    for ctx in team.values():
        if ctx.role != "support":
            interactions.log_interaction(ctx, {"boss": boss, "rita": ritas, "ray": rays}[
                ctx.user.login], summary="client call")

    def ids(rows):
        return sorted(r.id if hasattr(r, "id") else r for r in rows)

    everything = sorted([ritas, rays, boss])
    expected = {"boss": everything, "rita": [ritas], "ray": [rays], "sam": everything}
    for role, ctx in team.items():
        assert ids(customers.list_customers(ctx).rows) == expected[role], role
        assert ids(customers.find_customers(ctx, "client")) == expected[role], role
        logged = sorted(i.customer_id for i in interactions.timeline(ctx))
        assert logged == (expected[role] if role != "sam" else everything), role
    # due lists: reps and managers their own (managers may ask for all); support complaints only
    day = team["boss"].today().replace(year=2027)
    def due(ctx, everyone=False):
        return sorted({i.customer_id for i in due_list(ctx, day, everyone=everyone)})

    assert due(team["rita"]) == due(team["rita"], everyone=True) == [ritas]
    assert due(team["boss"]) == [boss]
    assert due(team["boss"], everyone=True) == everything
    assert due(team["sam"], everyone=True) == []
    assert [i.customer_id for i in coming_up(team["ray"])] == [rays]


def test_support_reads_a_profile_marked_not_editable(team):
    cid, _ = ritas_customer(team)
    assert customer_profile(team["sam"], cid).editable is False
    assert customer_profile(team["rita"], cid).editable is True
    assert customer_profile(team["boss"], cid).editable is True


def test_a_role_change_takes_effect_at_the_next_save_of_an_open_session(team):
    cid, _ = ritas_customer(team)
    rita = team["rita"]  # rita's app is open
    users.set_role(team["boss"], "rita", "support", to="ray")
    with pytest.raises((Forbidden, NotFound)):
        customers.update_customer(rita, cid, {"company": "still mine?"})
    assert rita.role == "support"
    users.set_role(team["boss"], "rita", "rep")
    users.deactivate_user(team["boss"], "rita")
    with pytest.raises(Forbidden, match="deactivated"):
        customers.add_customer(rita, {"name": "after leaving"})
    assert not Customer.select().where(Customer.name == "after leaving").exists()


def test_backups_and_demo_data_are_for_managers(team, backend):
    from crmtui.demo import build_demo
    from crmtui.services.maintenance import backup

    for role in ("rita", "sam"):
        with pytest.raises(Forbidden):
            backup(team[role])
        with pytest.raises(Forbidden):
            build_demo(team[role], 5)
    if backend == "sqlite":
        assert backup(team["boss"]).exists()
        assert [e.action for e in audit_entries(team["boss"])] == ["backup"]
