"""Key bindings shown in the interface language.

BINDINGS are class attributes, made when a module is imported, before the language is chosen;
so their descriptions and tooltips are English msgids (marked with N_) and each node translates
its own copy when it is created. Textual's bindings (the command palette's "palette") are
translated too when the catalogue knows them.

Also here: a node's own bindings of a key, whether or not they are offered now.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from crmtui.i18n import _, current_language

_cache: dict[tuple[int, str], BindingsMap] = {}


def _translated(binding: Binding) -> Binding:
    if not binding.description and not binding.tooltip:
        return binding
    return replace(
        binding,
        description=_(binding.description) if binding.description else "",
        tooltip=_(binding.tooltip) if binding.tooltip else "",
    )


def translate_bindings(bindings: BindingsMap, key: object | None = None) -> BindingsMap:
    """A copy of `bindings` with descriptions and tooltips in the interface language; `key`
    (a class) caches the translation per language."""
    cache_key = (id(key), current_language()) if key is not None else None
    if cache_key is not None and cache_key in _cache:
        return _cache[cache_key].copy()
    translated = BindingsMap.from_keys(
        {
            key_: [_translated(binding) for binding in key_bindings]
            for key_, key_bindings in bindings.key_to_bindings.items()
        }
    )
    if cache_key is not None:
        _cache[cache_key] = translated
        return translated.copy()
    return translated


class LocalizedBindings:
    """Mixin for crmtui's widgets and screens: BINDINGS shown in the interface language."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._bindings = translate_bindings(self._bindings, type(self))  # type: ignore


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
