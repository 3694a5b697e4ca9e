"""The fast style checks also run with the tests, so a broken import contract or a lint finding
shows up before CI. mypy (about 15 s on this machine) runs in .ci/run only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", "crmtui"], ["ruff", "format", "--check", "crmtui"], ["lint-imports"]],
    ids=["ruff", "ruff-format", "import-linter"],
)
def test_the_style_check_passes(command: list[str]) -> None:
    done = subprocess.run([str(BIN / command[0]), *command[1:]], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


MAX_MODULE_LINES = 600


def test_no_module_is_over_600_lines() -> None:
    """Long modules hide what they are for: split them by responsibility (issue 17)."""
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "crmtui").rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}, f"modules over {MAX_MODULE_LINES} lines: {too_long}"
