"""The message catalogue and the interface language: every message the code uses has a Chinese
translation with the same placeholders; the language is chosen --lang, config, locale, English."""

from __future__ import annotations

import ast
import io
from datetime import date
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo

from crmtui import i18n
from crmtui.i18n import _, choose_language, explain, locale_language, pgettext, set_language
from crmtui.labels import LABELS, label, lunar_day_name, lunar_text, stored_text, term
from crmtui.rules import DueKind, Grade, Need, Severity, ComplaintStatus, Tier, grade_explanation
from crmtui.rules import DateInputError, parse_date
from tools.catalogue import extract, placeholders, po_path, problems, read

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def code_catalogue():
    return extract(ROOT)


@pytest.fixture(scope="module")
def zh_catalogue():
    return read(po_path("zh_CN", ROOT))


def test_every_message_in_the_code_has_a_chinese_translation(code_catalogue, zh_catalogue):
    found = problems(code_catalogue, zh_catalogue)
    assert not (found.missing or found.untranslated or found.fuzzy), (
        "\n" + found.report() + "\nRun `python tools/catalogue.py refresh`, translate the new "
        "entries in crmtui/locale/zh_CN/LC_MESSAGES/crmtui.po, and run it again.")


def test_translations_keep_the_placeholders_of_the_english(zh_catalogue):
    found = problems(extract(ROOT), zh_catalogue)
    assert not found.placeholders, "\n" + found.report()


def test_the_check_names_what_is_missing_untranslated_fuzzy_or_inconsistent(code_catalogue):
    from babel.messages.catalog import Catalog

    translated = Catalog(locale="zh_CN")
    translated.add("Today", "今天")
    translated.add("Quit", "")
    translated.add("Help", "帮助", flags=["fuzzy"])
    translated.add("{n:,} customers", "{count} 位客户")
    found = problems(code_catalogue, translated)
    assert "'Today'" not in " ".join(found.missing)
    assert any(entry.startswith("'Quit'") for entry in found.untranslated)
    assert "'Help'" in found.fuzzy
    assert any("{n:,} customers" in entry for entry in found.placeholders)
    assert any(entry.startswith("'Save'  (crmtui/") for entry in found.missing)
    assert any(entry.startswith("'[need] potential'") for entry in found.missing)


def test_placeholders_are_compared_with_their_format():
    assert placeholders("{n:,} customers, {name!r}") == ["{n:,}", "{name!r}"]
    assert placeholders("invalid choice: %(value)r (choose from %(choices)s)") == [
        "%(choices)s", "%(value)r"]
    assert placeholders("{{literal}} braces") == []


def test_the_compiled_catalogue_is_the_po_file(zh_catalogue):
    """The .mo the app loads (compiled by the package build, or by the refresh command in a
    source checkout) holds exactly the .po's translations."""
    mo = po_path("zh_CN", ROOT).with_suffix(".mo")
    assert mo.exists(), "no compiled catalogue: pip install -e . or tools/catalogue.py refresh"
    compiled = read_mo(io.BytesIO(mo.read_bytes()))

    def context(message):
        value = message.context
        return value.decode() if isinstance(value, bytes) else value

    expected = {(m.context, m.id): m.string for m in zh_catalogue if m.id and m.string}
    assert {(context(m), m.id): m.string for m in compiled if m.id} == expected


def test_the_catalogue_is_loaded_with_the_standard_library():
    set_language("zh")
    assert _("Today") == "今天"
    assert pgettext("need", "potential") == "潜在需求"
    assert pgettext("status", "potential") == "潜在"
    assert _("a message nobody translated") == "a message nobody translated"
    set_language("en")
    assert _("Today") == "Today"
    with pytest.raises(ValueError):
        set_language("fr")


# -- choosing the language ----------------------------------------------------------------------

@pytest.mark.parametrize("environ, expected", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW.UTF-8"}, "zh"),
    ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "C.UTF-8"}, "zh"),
    ({"LC_ALL": "", "LANG": "zh_CN.GB18030"}, "zh"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({}, None),
])
def test_the_locale_decides_by_the_first_variable_set(environ, expected):
    assert locale_language(environ) == expected


def test_flag_beats_config_beats_locale_beats_english():
    zh_locale = {"LANG": "zh_CN.UTF-8"}
    assert choose_language("en", "zh", zh_locale) == "en"
    assert choose_language(None, "en", zh_locale) == "en"
    assert choose_language(None, None, zh_locale) == "zh"
    assert choose_language(None, None, {}) == "en"
    assert choose_language("zh", None, {"LANG": "C"}) == "zh"


# -- domain words -------------------------------------------------------------------------------

DOMAIN_VALUES = {
    "need": [n.value for n in Need],
    "tier": [t.value for t in Tier],
    "severity": [s.value for s in Severity],
    "complaint_status": [s.value for s in ComplaintStatus],
    "due": [k.value for k in DueKind],
    "due_section": [k.value for k in DueKind],
}


def test_every_stored_value_has_a_label():
    from crmtui.rules import Cadence
    from crmtui.services.validation import (
        CARE_KINDS, CHANNELS, CONTACT_ROLES, DEAL_STATUSES, DIRECTIONS, OUTCOMES,
        PAYMENT_METHODS, SOURCES, STATUSES)
    from crmtui.rules import DeliveryState, InstructionState
    from crmtui.services.context import ROLES

    domains = {**DOMAIN_VALUES, "status": STATUSES, "deal": DEAL_STATUSES, "source": SOURCES,
               "channel": CHANNELS, "outcome": OUTCOMES, "direction": DIRECTIONS,
               "contact_role": CONTACT_ROLES, "care": CARE_KINDS, "role": ROLES,
               "cadence": [c.value for c in Cadence], "payment_method": PAYMENT_METHODS,
               "delivery": [d.value for d in DeliveryState],
               "instruction": [i.value for i in InstructionState]}
    for kind, values in domains.items():
        assert set(values) <= set(LABELS[kind]), kind


def test_every_label_is_found_in_the_catalogue_under_its_kind():
    """A label's context is its kind's name; a mismatch would leave it English in Chinese."""
    set_language("zh")
    english = [(kind, value) for kind, values in LABELS.items() for value in values
               if label(kind, value).isascii()]
    assert english == []


@pytest.mark.parametrize("kind, value, chinese", [
    ("need", "clear", "明显需求"), ("need", "potential", "潜在需求"), ("need", "none", "无需求"),
    ("cadence", "daily", "日志"), ("cadence", "weekly", "周志"),
    ("cadence", "half_monthly", "半月志"), ("cadence", "monthly", "月志"),
    ("cadence", "yearly", "年志"),
    ("bucket", "urgent", "紧急"), ("bucket", "soon", "缓急"), ("bucket", "later", "不紧急"),
    ("bucket", "slow", "可慢反应"),
    ("status", "existing", "现有"), ("status", "intent", "意向"), ("status", "potential", "潜在"),
    ("status", "terminated", "已终止合作"),
    ("deal", "won", "已成交"), ("deal", "negotiating", "正在谈判"), ("deal", "potential", "潜在"),
    ("source", "canvass", "普遍寻找"), ("source", "marketing", "营销"),
    ("source", "referral", "介绍"), ("source", "research", "资料查阅"),
    ("source", "agent", "委托助手"), ("source", "records", "客户资料整理"),
    ("source", "event", "企业活动"),
    ("tier", "key", "重点客户"), ("due", "follow_up", "追踪"), ("due", "complaint", "投诉"),
    ("due", "referral", "转介绍"), ("due_section", "care", "客户关怀"),
    ("due", "promise", "承诺"),
])
def test_the_domain_words_are_those_of_the_spec(kind, value, chinese):
    set_language("zh")
    assert label(kind, value) == chinese
    set_language("en")
    assert label(kind, value) == LABELS[kind][value]


def test_enum_values_stay_english_where_they_are_a_contract():
    set_language("zh")
    assert label("need", Need.CLEAR) == "明显需求"
    assert term("complaint_status", "in_progress") == "处理中"
    set_language("en")
    assert term("complaint_status", "in_progress") == "in_progress"
    assert label("channel", "no such value") == "no such value"
    assert label("source", "") == ""


def test_grade_reasons_are_stored_in_english_and_shown_translated():
    today = date(2026, 11, 23)
    explained = grade_explanation(Need.CLEAR, date(2027, 1, 10), today)
    stored = str(explained)
    assert stored == "clear need, close 2027-01-10 within 3 months"
    set_language("zh")
    assert explain(explained) == "明显需求，2027-01-10 成交，3 个月内"
    assert stored_text(stored) == "明显需求，2027-01-10 成交，3 个月内"
    assert stored_text("new customer: " + stored) == "新客户：明显需求，2027-01-10 成交，3 个月内"
    assert stored_text("pinned: board decided") == "手动定级：board decided"
    assert stored_text("called twice: potential need") == "called twice：潜在需求"
    assert stored_text("something a person typed") == "something a person typed"
    set_language("en")
    assert stored_text(stored) == stored


def test_date_errors_from_the_rules_are_shown_in_the_language():
    with pytest.raises(DateInputError) as caught:
        parse_date("2026-02-30", date(2026, 1, 1))
    assert str(caught.value) == "2026-02-30 is not a date (February 2026 has 28 days)"
    set_language("zh")
    assert explain(caught.value) == "2026-02-30 不是日期（2026 年二月只有 28 天）"


@pytest.mark.parametrize("day, name", [(1, "初一"), (10, "初十"), (11, "十一"), (15, "十五"),
                                       (20, "二十"), (21, "廿一"), (29, "廿九"), (30, "三十")])
def test_lunar_day_names(day, name):
    assert lunar_day_name(day) == name


def test_lunar_dates_read_as_in_each_language():
    set_language("zh")
    assert lunar_text(8, 15) == "农历八月十五"
    assert lunar_text(1, 1) == "农历正月初一"
    assert lunar_text(4, 1, leap=True) == "农历闰四月初一"
    assert lunar_text(12, 30) == "农历腊月三十"
    assert lunar_text(11, 20) == "农历冬月二十"
    set_language("en")
    assert lunar_text(8, 15) == "lunar 8/15"
    assert lunar_text(4, 1, leap=True) == "lunar leap 4/1"


# -- the code ------------------------------------------------------------------------------------

def _import_time_translations(path: Path) -> list[str]:
    """_() and pgettext() calls that run when the module is imported (module level or a class
    body), before the language is chosen."""
    found = []

    def visit(node, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                       ast.Lambda))
            if (not in_function and isinstance(child, ast.Call)
                    and isinstance(child.func, ast.Name) and child.func.id in ("_", "pgettext")):
                found.append(f"{path.relative_to(ROOT)}:{child.lineno}: {ast.unparse(child)}")
            visit(child, inside)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def test_no_message_is_translated_at_import_time():
    """Module constants, BINDINGS and class attributes mark messages with N_() and translate them
    where they are shown; an _() there would freeze the language of whoever imported first."""
    found = [line for path in sorted((ROOT / "crmtui").rglob("*.py"))
             for line in _import_time_translations(path)]
    assert not found, "use N_() here and _() where it is shown:\n" + "\n".join(found)


def test_the_language_module_needs_nothing_but_the_standard_library():
    tree = ast.parse(Path(i18n.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in (node.names if isinstance(node, ast.Import) else [node])
                if getattr(alias, "name", None)} | {
        node.module.split(".")[0] for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"__future__", "collections", "gettext", "pathlib", "typing"}


def test_grades_are_letters_in_every_language():
    set_language("zh")
    assert [g.value for g in Grade] == ["A", "B", "C", "D", "E"]


def test_a_due_items_day_reads_due_and_an_orders_delivery_day_reads_delivery_in_chinese():
    from datetime import date

    from crmtui.present.due import item_detail
    from crmtui.rules import DueItem, DueKind

    item = DueItem(kind=DueKind.PAYMENT, customer_id=1, customer="卢超", company="", grade=None,
                   owner="", due=date(2026, 11, 26), overdue_days=7, detail="尚欠 427.00")
    set_language("zh")
    try:
        shown = item_detail(item, date(2026, 12, 3)).plain
        assert "2026-11-26 到期" in shown and "交付" not in shown
        assert _("due {day}") == "{day} 交付"  # an order's delivery day, on the profile
    finally:
        set_language("en")
