import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmtui.rules import DIMENSIONS, csi, csi_of_total


@pytest.mark.parametrize(
    ("scores", "index"),
    [
        ([5, 5, 5], 100.0),
        ([1, 1], 0.0),
        ([3], 50.0),
        ([4, 5], 87.5),
        ([4, 4, 5], 83.3),  # 83.33…
        ([5, 5, 4], 91.7),  # 91.66…
        ([1, 1, 1, 1, 1, 1, 1, 2], 3.1),  # 3.125 rounds half up
        ([5, 5, 5, 5, 5, 5, 5, 4], 96.9),  # 96.875 rounds half up
    ],
)
def test_examples(scores, index):
    assert csi(scores) == index


def test_empty_and_invalid():
    assert csi([]) is None
    for bad in ([0], [6, 3]):
        with pytest.raises(ValueError):
            csi(bad)


def test_dimensions():
    assert DIMENSIONS == ("product", "service", "responsiveness", "value", "overall")


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=50))
def test_range(scores):
    value = csi(scores)
    assert 0 <= value <= 100
    assert round(value, 1) == value


@given(st.lists(st.integers(min_value=1, max_value=5), max_size=50))
def test_the_index_of_a_total_is_the_index_of_its_scores(scores):
    assert csi_of_total(sum(scores), len(scores)) == csi(scores)


def test_a_total_no_scores_of_one_to_five_can_make_is_refused():
    for total, count in ((1, 2), (11, 2), (-3, 1)):
        with pytest.raises(ValueError):
            csi_of_total(total, count)
