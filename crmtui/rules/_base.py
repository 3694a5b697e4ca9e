"""Shared base for the rules' enums."""

from __future__ import annotations

from enum import Enum


class StrEnum(str, Enum):
    """A str enum whose str() and format() give the value, as the CLI and the database expect."""

    def __str__(self) -> str:
        return self.value

    __format__ = str.__format__
