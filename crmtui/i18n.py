"""The interface language: English (the messages in the code) or Simplified Chinese (a gettext
catalogue, crmtui/locale/zh_CN/LC_MESSAGES/crmtui.po, compiled to .mo when the package is built).

- `_("text")` translates now; use it inside functions, never at import time, since the language
  is chosen after the modules are imported (and tests switch it).
- `N_("text")` only marks a module-level constant (a binding description, a column title) for
  the catalogue; translate it where it is shown, with `_(CONSTANT)`.
- `pgettext(context, "text")` and `NC_(context, "text")` do the same for words whose Chinese
  depends on what they describe ("potential": 潜在需求 as a need, 潜在 as a status).

The language is `--lang`, else the config file's `lang`, else the locale (LC_ALL, LC_MESSAGES,
LANG starting with zh), else English: see `choose_language`. Refresh the catalogue after changing
messages with `python tools/catalogue.py refresh` (README, "Translations").
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DOMAIN = "crmtui"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("en", "zh")
CATALOGUE_LOCALES = {"zh": "zh_CN"}
"""The gettext locale whose catalogue holds each language (English needs none)."""

_catalogues: dict[str, gettext.NullTranslations] = {}
_active: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def catalogue(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of `lang`; messages stay English when it is missing."""
    if lang not in _catalogues:
        locale = CATALOGUE_LOCALES.get(lang)
        _catalogues[lang] = (
            gettext.translation(DOMAIN, LOCALE_DIR, languages=[locale], fallback=True)
            if locale
            else gettext.NullTranslations()
        )
    return _catalogues[lang]


def set_language(lang: str) -> None:
    global _language, _active
    if lang not in LANGUAGES:
        raise ValueError(f"unknown interface language {lang!r}; use en or zh")
    _language = lang
    _active = catalogue(lang)


def current_language() -> str:
    return _language


def locale_language(environ: Mapping[str, str]) -> str | None:
    """zh when the locale asks for Chinese, en for another locale, None when none is set.

    As in C programs, the first of LC_ALL, LC_MESSAGES and LANG that is set decides.
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return None


def choose_language(flag: str | None, configured: str | None, environ: Mapping[str, str]) -> str:
    """--lang, else the config file's lang, else the locale, else English."""
    return flag or configured or locale_language(environ) or "en"


def _(message: str) -> str:
    """`message` in the interface language."""
    return _active.gettext(message)


def pgettext(context: str, message: str) -> str:
    """`message` in the interface language, as meant in `context`."""
    return _active.pgettext(context, message)


def N_(message: str) -> str:
    """Marks a message for the catalogue without translating it (translate it where shown)."""
    return message


def NC_(context: str, message: str) -> str:
    """N_ with a context: translate it where shown with pgettext(context, message)."""
    return message


def explain(message: object) -> str:
    """A message from the rules (an Explained, or an error carrying one as `explained`) in the
    interface language; anything else as str() gives it."""
    explained: Any = getattr(message, "explained", message)
    template = getattr(explained, "template", None)
    if template is None:
        return str(message)
    values = dict(explained.values)
    for name in explained.words:
        values[name] = _(values[name])
    return _(template).format(**values)
