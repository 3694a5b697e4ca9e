"""Key bindings shown in the interface language, and a node's own bindings of a key.

BINDINGS are class attributes, made when a module is imported, before the language is chosen;
so their descriptions and tooltips are English msgids (marked with N_), translated where they are
shown (the footer, the command palette) with `binding_text`. Textual's own bindings are translated
there too when the catalogue knows them.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from crmtui.i18n import _


def binding_text(text: str) -> str:
    """A binding's description or tooltip in the interface language; none stays none (gettext
    would give the catalogue's header for an empty message)."""
    return _(text) if text else ""


def in_language(binding: Binding) -> Binding:
    """`binding` with its description and tooltip in the interface language, to show it."""
    if not binding.description and not binding.tooltip:
        return binding
    return replace(
        binding,
        description=binding_text(binding.description),
        tooltip=binding_text(binding.tooltip),
    )


def own_bindings_of_key(node: DOMNode, key: str) -> list[Binding]:
    """The bindings `node` gives `key` itself (its class's BINDINGS over its bases', as Textual
    merges them, with the keys the app's keymap sets), also those its check_action hides now:
    Screen.active_bindings leaves those out."""
    keys: dict[str, list[Binding]] = {}
    for cls in reversed(type(node).__mro__):
        if issubclass(cls, DOMNode):
            keys.update(BindingsMap(vars(cls).get("BINDINGS", ())).key_to_bindings)
    own = BindingsMap.from_keys(keys)
    keymap = getattr(node.app, "keymap", None) or {}
    own.apply_keymap(
        {  # each key as Textual writes it ("?" is "question_mark"), as App.set_keymap does
            binding_id: ",".join(
                remapped.key for remapped in Binding.make_bindings([Binding(keys_, "")])
            )
            for binding_id, keys_ in keymap.items()
            if keys_.strip(", ")
        }
    )
    return own.key_to_bindings.get(key, [])
