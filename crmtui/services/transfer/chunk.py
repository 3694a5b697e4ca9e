"""A run of an import's records once checked, packed as the importing process uses it (SPEC §5).

The importing process does every write on its one connection, so what it does per record is the
import's pace: a chunk hands it the accepted rows' columns as lists it puts into the database
as they are, the identity keys of each kind in one list (a chunk with no duplicate is told by a
few set operations), and the counts the report adds up. Only a chunk with a duplicate is looked
at record by record (`checking.chunk_rows`, `CheckedChunk.only`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from crmtui.services.transfer.report import Rejection

if TYPE_CHECKING:
    from crmtui.services.transfer.checking import CheckedRow

KEY_KINDS = ("phone", "email")
"""The kinds of identity key, in the order a record's keys list them (checking.identity_keys)."""


class CheckedChunk(NamedTuple):
    records: int
    """How many records were checked."""
    rejected: list[Rejection]
    """The rejected records, in order."""
    lines: list[int]
    """Each accepted row's line (accepted rows are numbered from 0 in the lists below)."""
    files: list[str]
    values: list[tuple[Any, ...]]
    """Each accepted row's customer columns (checking.ROW_COLUMNS), ready for the database."""
    reasons: list[str]
    """Each accepted row's first grade history line."""
    pinned: list[int]
    """The accepted rows whose imported grade is pinned."""
    keys: dict[str, tuple[list[str], list[int]]]
    """Kind -> (keys, the row of each) of the identity keys, in record order."""
    care: list[tuple[Any, ...]]
    """(row, kind, month, day, year, lunar, leap) of each care date, ready for the database."""
    contacts: list[tuple[int, dict[str, Any]]]
    """(row, cleaned contact fields) of each contact."""

    def only(self, kept: list[int]) -> CheckedChunk:
        """The chunk with only the accepted rows at positions `kept` (ascending), renumbered."""
        new = {old: position for position, old in enumerate(kept)}
        return CheckedChunk(
            self.records,
            self.rejected,
            [self.lines[i] for i in kept],
            [self.files[i] for i in kept],
            [self.values[i] for i in kept],
            [self.reasons[i] for i in kept],
            [new[i] for i in self.pinned if i in new],
            {
                kind: (
                    [key for key, row in zip(keys, rows, strict=True) if row in new],
                    [new[row] for row in rows if row in new],
                )
                for kind, (keys, rows) in self.keys.items()
            },
            [(new[care[0]], *care[1:]) for care in self.care if care[0] in new],
            [(new[row], contact) for row, contact in self.contacts if row in new],
        )


def pack(
    results: Iterable[CheckedRow | Rejection],
    care_to_database: Callable[[Iterable[object]], tuple[object, ...]] = tuple,
) -> CheckedChunk:
    """The chunk of these results, in order; `care_to_database` converts a care date's
    (kind, month, day, year, lunar, leap) for the database."""
    chunk = CheckedChunk(0, [], [], [], [], [], [], {kind: ([], []) for kind in KEY_KINDS}, [], [])
    position = 0
    for result in results:
        if isinstance(result, Rejection):
            chunk.rejected.append(result)
            continue
        chunk.lines.append(result.line)
        chunk.files.append(result.file)
        chunk.values.append(result.values)
        chunk.reasons.append(result.history_reason)
        if result.pinned:
            chunk.pinned.append(position)
        for kind, key in result.keys:
            keys, rows = chunk.keys[kind]
            keys.append(key)
            rows.append(position)
        chunk.care.extend((position, *care_to_database(care)) for care in result.care)
        chunk.contacts.extend((position, contact) for contact in result.contacts)
        position += 1
    return chunk._replace(records=position + len(chunk.rejected))


__all__ = ["CheckedChunk", "KEY_KINDS", "pack"]
