import re
import subprocess
import sys
from pathlib import Path

import crmtui.rules

FORBIDDEN = ("peewee", "textual", "rich", "crmtui.db", "crmtui.services")
CLOCK = re.compile(r"today\(\)|\.now\(|utcnow\(|^import time\b|\btime\.time\(", re.MULTILINE)
RULES_DIR = Path(crmtui.rules.__file__).parent


def test_rules_import_nothing_heavy():
    code = (
        "import sys, crmtui.rules; "
        f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, check=True, cwd=RULES_DIR.parent.parent,
    )
    assert result.stdout.strip() == ""


def test_rules_never_read_the_clock():
    sources = sorted(RULES_DIR.glob("*.py"))
    assert len(sources) >= 10
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert not CLOCK.search(text), path.name


def test_every_rule_name_is_found_in_the_module_it_is_listed_under():
    import importlib

    listed = [name for names in crmtui.rules._EXPORTS.values() for name in names]
    assert len(listed) == len(set(listed))
    for module, names in crmtui.rules._EXPORTS.items():
        source = importlib.import_module(f"crmtui.rules.{module}")
        for name in names:
            assert getattr(crmtui.rules, name) is getattr(source, name)
    assert "no_such_rule" not in dir(crmtui.rules)


def test_a_rule_loads_only_its_own_module():
    code = ("import sys; from crmtui.rules import DueKind; "
            "print(sorted(m for m in sys.modules if m.startswith('crmtui.rules.')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=RULES_DIR.parent.parent)
    assert result.stdout.strip() == str(["crmtui.rules._base", "crmtui.rules.due",
                                         "crmtui.rules.grades"])


def test_rules_stub_names_what_rules_exports():
    """The checker reads crmtui/rules/__init__.pyi; the module loads names lazily from _EXPORTS."""
    stub = (RULES_DIR / "__init__.pyi").read_text(encoding="utf-8")
    stubbed = set(re.findall(r"^\s+(\w+) as \1,$", stub, re.MULTILINE))
    assert stubbed == set(crmtui.rules.__all__)
