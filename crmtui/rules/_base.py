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


class Value:
    """A record compared, hashed and shown by its fields (its `__slots__`) and never changed
    once made: what a frozen dataclass gives, without building one at import (each costs about
    0.4 ms of every start, and a login banner imports a dozen). Subclasses list their fields in
    `__slots__` and hand them, checked, to `Value.__init__` by name."""

    __slots__ = ()

    def __init__(self, **fields: object) -> None:
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[object, ...]:
        names: tuple[str, ...] = self.__slots__
        return tuple(getattr(self, name) for name in names)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Value)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        names: tuple[str, ...] = self.__slots__
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[object, ...]:  # copy and pickle through __init__
        return (self.__class__, self._values())
