import re

from crmtui.patterns import lazy_pattern


def test_a_lazy_pattern_compiles_when_first_used_and_answers_as_the_compiled_one():
    source = r"(\d{4})-(\d{1,2})"
    lazy = lazy_pattern(source, re.IGNORECASE)
    assert lazy._compiled is None  # nothing compiled at definition
    assert lazy.fullmatch("2026-11").groups() == ("2026", "11")
    assert lazy.sub("x", "on 2026-11 and 2027-1") == "on x and x"
    assert lazy.findall("2026-11 2027-1") == [("2026", "11"), ("2027", "1")]
    assert lazy.pattern == source and lazy.flags & re.IGNORECASE
    assert lazy.compiled() is lazy.compiled() is re.compile(source, re.IGNORECASE)
