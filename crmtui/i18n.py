"""Message translation. `_` marks a user-facing string and returns it in the chosen language."""

from __future__ import annotations

_language = "en"


def set_language(lang: str) -> None:
    global _language
    _language = lang


def current_language() -> str:
    return _language


def _(message: str) -> str:
    return message
