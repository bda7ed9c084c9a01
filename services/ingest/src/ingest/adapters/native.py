"""Sightline's own format: JSON lines of crawler-API sightings, passed through as they are."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

import orjson

from ingest.adapters.base import Parsed


class NativeAdapter:
    """One sighting per line (what POST /v1/sightings takes); `source` fills in only where a line has none."""

    name = "sightings"
    default_source = "other"

    def parse(self, stream: IO[bytes], source: str, seen_at: str) -> Iterator[Parsed]:
        """Each non-blank line is a sighting object, or a rejection naming the line."""
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            raw = line.decode("utf-8", errors="replace").rstrip("\n")
            position = f"line {number}"
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield Parsed.bad(position, f"not JSON: {exc}", raw)
                continue
            if not isinstance(value, dict):
                yield Parsed.bad(position, "not a JSON object", raw)
                continue
            value.setdefault("source", source)
            value.setdefault("seen_at", seen_at)
            yield Parsed.ok(position, value, raw)


ADAPTER = NativeAdapter()
