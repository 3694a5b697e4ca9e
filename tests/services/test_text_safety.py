"""Stored text is only ever text: every write path (each service's free-text fields, pin reasons,
display names, CSV and vCard imports) cleans what it is given with the one rule of
`crmtui.plaintext`, so no row holds a control or bidi character, whatever was typed or pasted."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from peewee import CharField, TextField

from crmtui.db import MODELS, Customer, GradeChange, User
from crmtui.plaintext import strip_controls
from crmtui.services import complaints as k
from crmtui.services.customers import add_customer, regrade, update_customer
from crmtui.services.interactions import (
    add_care_date,
    add_promise,
    log_interaction,
    record_order,
)
from crmtui.services.transfer.importer import import_file
from crmtui.services.users import add_user
from crmtui.services.validation import CUSTOMER_FIELDS, FieldError, clean_text
from tests.conftest import as_user
from tests.hostile import FORBIDDEN_SET, MARKUP, forbidden_in

TYPED = "[/] a\x1b]52;c;eA==\x07b\x9b31m\u202ec\u2066d\u200be\x00f\x7f"
LINES = TYPED + "\r\nsecond\tline"


def stored_text_problems() -> list[str]:
    """'table.column #id: characters' for every stored string holding a forbidden character."""
    found = []
    for model in MODELS:
        fields = [f for f in model._meta.sorted_fields if isinstance(f, (CharField, TextField))]
        for row in model.select().dicts():
            for field in fields:
                value = row.get(field.name)
                if isinstance(value, str) and forbidden_in(value):
                    found.append(f"{model._meta.table_name}.{field.name}: {forbidden_in(value)}")
    return found


def test_every_write_path_stores_text_without_control_characters(ctx, clock, tmp_path):
    text_fields = {name: (LINES if name in ("address", "notes", "family") else TYPED)
                   for name in CUSTOMER_FIELDS
                   if name not in ("phones", "email", "need", "expected_close", "expected_amount",
                                   "cadence", "status", "deal_status", "source", "credit_limit")}
    text_fields["credit_rating"] = "[b]A\x1b[0m\u202e"  # 16 at most
    customer = add_customer(ctx, {**text_fields, "need": "clear", "expected_close": "+10d"}).id
    update_customer(ctx, customer, {"notes": LINES, "company": TYPED})
    regrade(ctx, customer, pin="B", reason=TYPED)
    log_interaction(ctx, customer, summary=TYPED, next_step=TYPED, next_on="+2d",
                    promise=TYPED, promise_due="+1d")
    add_promise(ctx, customer, TYPED, "+3d")
    record_order(ctx, customer, amount="10", product=TYPED, gift=TYPED, note=LINES)
    add_care_date(ctx, customer, month=3, day=15, note=TYPED)
    add_user(ctx, "sam", name=TYPED, role="support")
    support = as_user(ctx, "sam")
    number = k.open_complaint(support, customer, "high", TYPED, category="[/]\x1b[31m",
                              description=LINES).id
    k.acknowledge(support, number, "+2h", note=TYPED)
    k.start_work(support, number, note=TYPED)
    k.wait_for_customer(support, number, note=TYPED)
    k.start_work(support, number, note=TYPED)
    k.add_note(support, number, LINES)
    k.resolve(support, number, LINES, TYPED)
    k.close(support, number, 5, note=TYPED)
    csv_file = tmp_path / "in.csv"
    typed = TYPED.replace("\x00", "")  # a file with NUL bytes is refused as not text
    csv_file.write_text("name,company,notes,pin reason,grade\n"
                        f"\"{typed}\",\"{typed}\",\"{typed}\r\nline\",\"{typed}\",A\n",
                        encoding="utf-8")
    vcard_file = tmp_path / "in.vcf"
    vcard_file.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:vcard \x1b]0;t\x07name\r\n"
                          "ORG:[bold]org\u202e\r\nNOTE:a\x9bb\r\nEND:VCARD\r\n", encoding="utf-8")
    import_file(ctx, csv_file)
    import_file(ctx, vcard_file)

    assert stored_text_problems() == []
    # ...and nothing else was lost: markup is text, kept as typed
    assert Customer.get_by_id(customer).name.startswith("[/] a]52;c;eA==b31mcdef")
    assert User.get(User.login == "sam").display_name == "[/] a]52;c;eA==b31mcdef"
    assert GradeChange.select().where(GradeChange.reason.contains("pinned: [/] a")).exists()
    assert Customer.get_by_id(customer).notes.endswith("second\tline")


def test_a_pin_reason_and_a_display_name_too_long_are_refused(ctx):
    from crmtui.errors import InvalidInput

    customer = add_customer(ctx, {"name": "Ada"}).id
    with pytest.raises(InvalidInput) as refused:
        regrade(ctx, customer, pin="A", reason="x" * 501)
    assert "reason" in refused.value.errors
    with pytest.raises(InvalidInput):
        add_user(ctx, "longname", name="x" * 129)


def test_config_text_shown_in_the_app_is_cleaned(tmp_path):
    from crmtui.config import load_config
    from crmtui.rules import Grade

    path = tmp_path / "config.toml"
    path.write_text('[playbook]\nA = "Call \\u001b]0;x\\u0007 them [bold]now\\u202e"\n',
                    encoding="utf-8")
    assert load_config(path).playbook[Grade.A] == "Call ]0;x them [bold]now"


# -- the rule itself --------------------------------------------------------------------------

def test_the_rule_keeps_text_and_removes_what_terminals_act_on():
    assert strip_controls("张三 李四 · café ✓ 😀") == "张三 李四 · café ✓ 😀"
    assert strip_controls("👩\u200d💻 and می\u200cخواهم") == "👩\u200d💻 and می\u200cخواهم"
    assert strip_controls("a\x1b[31mb\x07c\x9bd\x7fe\u202ef\u2066g\ufeffh\u00adi") == \
        "a[31mbcdefghi"
    assert strip_controls("one\r\ntwo\tthree\u2028four") == "one  two three four"
    assert strip_controls("one\r\ntwo\tthree\u2028four", multiline=True) == \
        "one\ntwo\tthree\nfour"
    assert strip_controls(MARKUP).startswith("[/] closer]52;c;eA==")


@given(st.text())
def test_nothing_the_rule_lets_through_is_forbidden(text):
    for multiline in (False, True):
        clean = strip_controls(text, multiline=multiline)
        assert not FORBIDDEN_SET & set(clean)
        assert strip_controls(clean, multiline=multiline) == clean  # once is enough
        if not multiline:
            assert "\n" not in clean and "\t" not in clean


@given(st.text(max_size=60))
def test_clean_text_is_one_line_of_kept_characters(text):
    try:
        clean = clean_text(text, limit=200)
    except FieldError:
        return
    assert "\n" not in clean and clean == clean.strip()
    assert not FORBIDDEN_SET & set(clean)


def test_clean_text_refuses_what_is_too_long_after_cleaning():
    assert clean_text("\x1b" * 300 + "ok", limit=5) == "ok"
    with pytest.raises(FieldError):
        clean_text("x" * 6, limit=5)

