"""`output.json_row_format` writes a row as `json.dumps` writes its dict, whichever of the row's
values each column reads, and `emit_json_objects` prints them as `emit_json` prints the list."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from crmtui.output import emit_json_objects, json_row_format, json_text
from crmtui.present import Memo

COLUMNS = (("kind", "text"), ("id", "int"), ("name", "text"), ("grade", "text?"),
           ("owner", "text"), ("due", "date"), ("late", "int"), ("ref", "int?"))
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@given(st.lists(st.tuples(st.integers(-10**12, 10**12), texts, st.one_of(st.none(), texts),
                          st.integers(0, 3), st.dates(date(1900, 1, 1), date(2200, 1, 1)),
                          st.one_of(st.none(), st.integers(0, 10**9))), max_size=8),
       st.integers(1, 3))
def test_a_row_read_from_its_positions_is_the_dicts_json(rows, chunk):
    owners = Memo(lambda owner_id: json.dumps(f"owner {owner_id}"))
    late = Memo(lambda due: str((date(2000, 1, 1) - due).days))
    write = json_row_format(COLUMNS, fixed={"kind": "pay\"ment"}, read={
        "id": 0, "name": 1, "grade": 2, "owner": (3, owners), "due": 4, "late": (4, late),
        "ref": 5}, width=7)
    expected = [
        {"kind": "pay\"ment", "id": cid, "name": name, "grade": grade, "owner": f"owner {owner}",
         "due": due.isoformat(), "late": (date(2000, 1, 1) - due).days, "ref": ref}
        for cid, name, grade, owner, due, ref in rows
    ]
    written = [write((*row, "unread")) for row in rows]
    assert [json.loads(text) for text in written] == expected
    assert written == [json_text(value) for value in expected]  # non-printing ones escaped
    out = io.StringIO()
    with redirect_stdout(out):
        emit_json_objects(iter(written), chunk=chunk)
    assert out.getvalue() == json_text(expected) + "\n"


def test_columns_read_in_their_own_order_by_default():
    write = json_row_format((("a", "int"), ("b", "text")))
    assert write((1, "x")) == '{"a": 1, "b": "x"}'
    assert json_row_format((("k", "text"),), fixed={"k": "v"})(()) == '{"k": "v"}'


def test_what_a_terminal_would_act_on_is_escaped_in_each_string():
    write = json_row_format((("name", "text"), ("grade", "text?")))
    written = write(("\x9b31mred\u202egnp.exe", "\x85"))
    assert written == '{"name": "\\u009b31mred\\u202egnp.exe", "grade": "\\u0085"}'
    assert written.isprintable()
    assert json.loads(written) == {"name": "\x9b31mred\u202egnp.exe", "grade": "\x85"}
