"""Build hook: compile the gettext catalogues (crmtui/locale/*/LC_MESSAGES/*.po) into the .mo
files the package loads at run time, with babel (a build requirement in pyproject.toml).

A wheel gets the .mo files added from a temporary directory; an editable install imports the
package from the source tree, so there they are written beside the .po files (git ignores them).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogueBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        self._temporary = None
        if version != "editable":
            self._temporary = Path(tempfile.mkdtemp(prefix="crmtui-mo-"))
        for po in sorted(root.glob("crmtui/locale/*/LC_MESSAGES/*.po")):
            relative = po.relative_to(root).with_suffix(".mo")
            target = (self._temporary / relative) if self._temporary else root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalog = read_po(source)
            with target.open("wb") as compiled:
                write_mo(compiled, catalog, use_fuzzy=False)
            if self._temporary:
                build_data["force_include"][str(target)] = relative.as_posix()

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
