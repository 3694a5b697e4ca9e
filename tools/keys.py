"""The README's key table, written from crmtui/keys.py.

    python tools/keys.py readme     # rewrite the table between the markers in README.md
    python tools/keys.py check      # exit 1 when README.md's table is not the key table's
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crmtui.keys import README_END, README_START, readme_section  # noqa: E402

README = ROOT / "README.md"


def with_table(text: str) -> str:
    start, end = text.index(README_START), text.index(README_END) + len(README_END)
    return text[:start] + readme_section() + text[end:]


def main(argv: list[str]) -> int:
    if argv[:1] == ["readme"]:
        README.write_text(with_table(README.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    if argv[:1] == ["check"]:
        text = README.read_text(encoding="utf-8")
        if with_table(text) != text:
            print("README.md's key table differs from crmtui/keys.py: "
                  "run python tools/keys.py readme", file=sys.stderr)
            return 1
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
