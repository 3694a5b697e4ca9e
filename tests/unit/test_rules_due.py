from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from crmtui.rules import (
    DueItem,
    DueKind,
    Grade,
    order_due_items,
    overdue_days,
    section_line_key,
)

TODAY = date(2026, 11, 23)


def item(kind, cid, name, grade, due, ref_id=None, detail=""):
    return DueItem(
        kind=kind, customer_id=cid, customer=name, company="Acme", grade=grade, owner="li",
        due=due, overdue_days=overdue_days(due, TODAY), detail=detail, ref_id=ref_id,
    )


def test_overdue_days():
    assert overdue_days(date(2026, 11, 20), TODAY) == 3
    assert overdue_days(TODAY, TODAY) == 0
    assert overdue_days(date(2026, 12, 1), TODAY) == 0


def test_section_order_and_follow_ups_by_grade():
    d = date
    items = [
        item(DueKind.REVIEW, 1, "Zhao", Grade.A, d(2026, 11, 1)),
        item(DueKind.FOLLOW_UP, 2, "Qian", Grade.B, d(2026, 11, 1)),
        item(DueKind.FOLLOW_UP, 3, "Sun", Grade.A, d(2026, 11, 22)),
        item(DueKind.FOLLOW_UP, 4, "Li", Grade.A, d(2026, 11, 10)),
        item(DueKind.FOLLOW_UP, 5, "Zhou", None, d(2026, 10, 1)),
        item(DueKind.COMPLAINT, 6, "Wu", Grade.D, d(2026, 11, 23)),
        item(DueKind.COMPLAINT, 7, "Zheng", Grade.A, d(2026, 11, 24)),
        item(DueKind.CARE, 8, "Wang", Grade.C, d(2026, 11, 25)),
        item(DueKind.CARE, 9, "Feng", Grade.B, d(2026, 11, 25)),
        item(DueKind.PROMISE, 10, "Chen", Grade.E, d(2026, 11, 20)),
        item(DueKind.DROPPED, 11, "Chu", Grade.C, d(2026, 11, 20)),
        item(DueKind.REFERRAL, 12, "Wei", Grade.C, d(2026, 11, 20)),
    ]
    ordered = [i.customer_id for i in order_due_items(items)]
    assert ordered == [6, 7, 10, 4, 3, 2, 5, 9, 8, 12, 11, 1]


def test_ties_by_name_then_id():
    due = date(2026, 11, 20)
    items = [
        item("follow_up", 3, "Bo", "A", due),
        item("follow_up", 2, "Bo", "A", due),
        item("follow_up", 9, "Al", "A", due),
    ]
    assert [i.customer_id for i in order_due_items(items)] == [9, 2, 3]


def test_to_json_and_coercion():
    it = item("promise", 5, "张三", "B", date(2026, 11, 20), ref_id=42)
    assert it.kind is DueKind.PROMISE and it.grade is Grade.B
    assert it.to_json() == {
        "kind": "promise", "customer_id": 5, "customer": "张三", "company": "Acme",
        "grade": "B", "owner": "li", "due": "2026-11-20", "overdue_days": 3, "detail": "",
        "ref_id": 42,
    }
    assert item("care", 1, "x", None, TODAY).to_json()["grade"] is None


items_st = st.lists(
    st.builds(
        item,
        kind=st.sampled_from(DueKind),
        cid=st.integers(min_value=1, max_value=5),
        name=st.sampled_from(["Ann", "Bo", "张三"]),
        grade=st.one_of(st.none(), st.sampled_from(Grade)),
        due=st.integers(min_value=-20, max_value=20).map(lambda n: TODAY + timedelta(days=n)),
        ref_id=st.one_of(st.none(), st.integers(min_value=1, max_value=3)),
        detail=st.sampled_from(["", "call back", "send quote"]),
    ),
    max_size=25,
)


@given(items=items_st, data=st.data())
def test_order_is_a_stable_permutation(items, data):
    ordered = order_due_items(items)
    assert sorted(map(repr, ordered)) == sorted(map(repr, items))
    shuffled = data.draw(st.permutations(items))
    assert order_due_items(shuffled) == ordered
    sections = [list(DueKind).index(i.kind) for i in ordered]
    assert sections == sorted(sections)


def test_order_does_not_depend_on_input_when_only_detail_differs():
    due = date(2026, 11, 20)
    a = item("promise", 1, "Bo", "A", due, ref_id=None, detail="call back")
    b = item("promise", 1, "Bo", "A", due, ref_id=None, detail="send quote")
    assert order_due_items([a, b]) == order_due_items([b, a]) == [a, b]


@given(st.lists(st.tuples(
    st.sampled_from(list(DueKind)), st.integers(1, 5), st.sampled_from(["Li", "Wang", "李", "A"]),
    st.sampled_from([*Grade, None]), st.dates(date(1900, 1, 1), date(2700, 12, 31)),
    st.one_of(st.none(), st.integers(1, 5)), st.sampled_from(["", "b", "a"])), max_size=40))
def test_the_order_is_section_then_grade_and_day_then_the_tie_breakers(rows):
    """What the packed sort key must keep: the plain lexicographic order of the fields."""
    items = [item(kind, cid, name, grade, due, ref_id, detail)
             for kind, cid, name, grade, due, ref_id, detail in rows]
    kinds = list(DueKind)

    def reference(i):
        rank = list(Grade).index(i.grade) if i.grade is not None else len(Grade)
        head = (rank, i.due) if i.kind is DueKind.FOLLOW_UP else (i.due, rank)
        return (kinds.index(i.kind), *head, i.customer, i.customer_id, i.ref_id is not None,
                i.ref_id or 0, i.detail, i.owner, i.company, i.overdue_days, i.at_risk)

    assert order_due_items(items) == sorted(items, key=reference)


@given(st.data())
def test_a_sections_line_key_orders_as_the_items_do(data):
    """Lines of one section (one customer and ref id each, grades as letters) sorted by
    `section_line_key` come in the order `order_due_items` gives their items."""
    kind = data.draw(st.sampled_from([k for k in DueKind if k is not DueKind.GREETING]))
    with_ref = data.draw(st.booleans())
    keys = data.draw(st.lists(st.tuples(st.integers(1, 6), st.integers(1, 4)), unique=True,
                              max_size=30))
    lines = [
        (cid, data.draw(st.sampled_from(["Li", "Wang", "李", "A", "Ann"])), "Acme",
         data.draw(st.sampled_from([g.value for g in Grade])), 7,
         TODAY + timedelta(days=data.draw(st.integers(-30, 30))),
         data.draw(st.sampled_from(["", "b", "a"])), ref if with_ref else None,
         data.draw(st.booleans()))
        for cid, ref in (keys if with_ref else list({cid: (cid, 0) for cid, _ in keys}.values()))
    ]
    items = {
        line: DueItem(kind, line[0], line[1], line[2], line[3], "", line[5], 0, line[6],
                      line[7], line[8])
        for line in lines
    }
    assert [items[line] for line in sorted(lines, key=section_line_key(kind))] == \
        order_due_items(items.values())
