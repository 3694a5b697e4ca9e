"""Shared base for the rules' enums."""

from __future__ import annotations

from enum import Enum


class StrEnum(str, Enum):
    """A str enum whose str() and format() give the value, as the CLI and the database expect."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, format_spec: str) -> str:
        return str.__format__(self, format_spec)


def N_(message: str) -> str:
    """Marks a message for the interface's catalogue (crmtui.i18n translates it where shown);
    the rules themselves speak English and import nothing of the interface."""
    return message


class Explained:
    """A message as a template and its values: English by str(), and translatable where shown
    (crmtui.i18n.explain) since the template is a catalogue message."""

    def __init__(self, template: str, *, words: tuple[str, ...] = (), **values: object) -> None:
        self.template = template
        self.values = values
        self.words = words
        """Names of the values that are themselves catalogue messages (a month name)."""

    def __str__(self) -> str:
        return self.template.format(**self.values)
