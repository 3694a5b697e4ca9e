"""Starting the `crmtui` command: the cyclic garbage collector waits while its modules load.

Importing a command's modules creates objects that live as long as the process, and the
collector would pass over them again and again while they load (about 4% of the instructions
of `crmtui due --brief` and of the app's start). Once a command has loaded what it uses,
`loaded` puts those objects out of the collector's reach and lets it run as usual.
"""

from __future__ import annotations

import gc

_waiting = False


def loading() -> None:
    """Called by the `crmtui` command before it imports anything else."""
    global _waiting
    if gc.isenabled():
        gc.disable()
        _waiting = True


def loaded() -> None:
    """The command's modules are loaded (no-op unless `loading` turned the collector off)."""
    global _waiting
    if _waiting:
        _waiting = False
        gc.freeze()
        gc.enable()
