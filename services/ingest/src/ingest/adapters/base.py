"""What every adapter yields: a sighting to post, or the exact reason a record cannot become one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, Protocol

RAW_LIMIT = 20_000


@dataclass(frozen=True)
class Parsed:
    """One input record's outcome: `sighting` (crawler-API JSON) or `error`, never both."""

    position: str
    sighting: dict[str, Any] | None
    error: str | None
    raw: str

    @classmethod
    def ok(cls, position: str, sighting: dict[str, Any], raw: str) -> Parsed:
        """A record that became a sighting."""
        return cls(position, sighting, None, raw[:RAW_LIMIT])

    @classmethod
    def bad(cls, position: str, error: str, raw: str) -> Parsed:
        """A record that cannot become a sighting, and why."""
        return cls(position, None, error, raw[:RAW_LIMIT])


class Adapter(Protocol):
    """A format: reads a binary stream incrementally (constant memory) and yields one Parsed per record."""

    name: str
    default_source: str

    def parse(self, stream: IO[bytes], source: str, seen_at: str) -> Iterator[Parsed]:
        """Records of the stream in order; must never raise for a bad record."""
        ...
