from decimal import Decimal
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from crmtui.rules import Tier, key_customers, pareto, tier_at, value_tier, value_tiers


def test_simple_pareto():
    revenue = {1: D(50), 2: D(30), 3: D(10), 4: D(6), 5: D(4), 6: D(0)}
    assert key_customers(revenue) == {1, 2}  # 80 of 100, exactly at the boundary
    assert value_tiers(revenue) == {
        1: Tier.KEY, 2: Tier.KEY, 3: Tier.IMPORTANT, 4: Tier.ORDINARY,
        5: Tier.ORDINARY, 6: Tier.NONE,
    }
    assert value_tier(3, revenue) is Tier.IMPORTANT
    assert value_tier(99, revenue) is Tier.NONE


def test_just_below_boundary_needs_one_more():
    revenue = {1: D("50"), 2: D("29.99"), 3: D("20.01")}
    assert key_customers(revenue) == {1, 2, 3}


def test_important_boundary_is_inclusive():
    revenue = {1: D(80), 2: D(15), 3: D(5)}
    assert value_tiers(revenue) == {1: Tier.KEY, 2: Tier.IMPORTANT, 3: Tier.ORDINARY}


def test_ties_by_id():
    revenue = {7: D(10), 3: D(10), 5: D(10), 1: D(10), 9: D(10)}
    assert key_customers(revenue) == {1, 3, 5, 7}
    assert [row[0] for row in pareto(revenue)] == [1, 3, 5, 7, 9]


def test_zero_total_and_empty():
    assert key_customers({}) == set()
    assert key_customers({1: D(0), 2: D(-5)}) == set()
    assert value_tiers({1: D(0)}) == {1: Tier.NONE}
    assert pareto({1: D(0)}) == []


def test_negative_revenue_ignored():
    assert key_customers({1: D(100), 2: D(-100)}) == {1}


def test_share_parameter():
    revenue = {1: D(50), 2: D(30), 3: D(20)}
    assert key_customers(revenue, share=D("0.5")) == {1}
    assert key_customers(revenue, share=0.8) == {1, 2}
    assert key_customers(revenue, share=D(1)) == {1, 2, 3}


def test_pareto_rows():
    rows = pareto({"a": D(25), "b": D(75)})
    assert rows == [("b", D(75), D("0.75")), ("a", D(25), D(1))]


revenues = st.dictionaries(
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=-100, max_value=10_000).map(lambda cents: D(cents) / 100),
    max_size=30,
)


@given(revenues)
def test_key_customers_properties(revenue):
    key = key_customers(revenue)
    positive = {c: r for c, r in revenue.items() if r > 0}
    total = sum(positive.values(), D(0))
    if total == 0:
        assert key == set()
        return
    others = set(positive) - key
    assert key <= set(positive)
    assert all(revenue[k] >= revenue[o] for k in key for o in others)
    key_sum = sum((revenue[k] for k in key), D(0))
    assert key_sum >= D("0.8") * total
    smallest = max(key, key=lambda c: (-revenue[c], c))
    assert key_sum - revenue[smallest] < D("0.8") * total


@given(revenues)
def test_tiers_are_consistent(revenue):
    tiers = value_tiers(revenue)
    assert set(tiers) == set(revenue)
    assert {c for c, t in tiers.items() if t is Tier.KEY} == key_customers(revenue)
    assert all((t is Tier.NONE) == (revenue[c] <= 0) for c, t in tiers.items())
    shares = [row[2] for row in pareto(revenue)]
    assert shares == sorted(shares) and all(0 < s <= 1 for s in shares)
    if shares:
        assert shares[-1] == 1


@given(st.dictionaries(st.integers(1, 40), st.integers(0, 10_000).map(Decimal), max_size=25))
def test_tier_at_agrees_with_the_full_ranking(revenue):
    """Two sums (revenue ranked ahead, total) give the same tier as ranking everyone."""
    tiers = value_tiers(revenue)
    total = sum((r for r in revenue.values() if r > 0), Decimal(0))
    for cid, r in revenue.items():
        ahead = sum((o for oid, o in revenue.items()
                     if o > 0 and (o > r or (o == r and oid < cid))), Decimal(0))
        assert tier_at(ahead, r, total) is tiers[cid]
