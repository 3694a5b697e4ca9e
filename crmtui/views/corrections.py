"""A record as a correction left it (`e` on a profile row, `crmtui edit`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CorrectedRecord:
    kind: str
    """interaction, order, promise, care or survey."""
    id: int
    customer_id: int
    version: int
    values: Mapping[str, object]
    """The kind's own fields, by the names `crmtui edit --json` writes."""

    def to_json(self) -> dict[str, object]:
        return {
            "record": self.kind,
            "id": self.id,
            "customer_id": self.customer_id,
            "version": self.version,
            **self.values,
        }
