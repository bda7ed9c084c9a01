"""What the adapter tests share: a fixed clock, their inputs, and ingest's own verdict on each sighting."""

import io
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from ingest.adapters.base import Adapter, Parsed
from ingest.domain import Crawler, Prepared, prepare
from servicekit.testing import shared_data

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
SEEN = "2026-11-21T10:00:00Z"
ANY = Crawler(uuid.uuid4(), "test", frozenset({"*"}))
FIXTURES = Path(__file__).parent / "fixtures"
TITLE_REQUIRED = "paper: a title is required when the sighting has no DOI, arXiv, PubMed or OpenAlex id"
# pytest rewrites asserts only in test modules and conftest.py: every assert here carries what it saw.


def real_sample(relative: str) -> Path:
    """A file of the real sample data, ../shared/data beside the checkout; the test fails when it is missing."""
    path = shared_data() / relative
    assert path.is_file(), f"real sample {path} is missing: tests read ../shared/data beside the checkout (CI has it)"
    return path


def parse_stream(adapter: Adapter, stream: IO[bytes]) -> list[Parsed]:
    """Every outcome of the stream, read under the adapter's default source, seen at SEEN."""
    return list(adapter.parse(stream, adapter.default_source, SEEN))


def parse_bytes(adapter: Adapter, data: bytes) -> list[Parsed]:
    return parse_stream(adapter, io.BytesIO(data))


def parse_file(adapter: Adapter, path: Path) -> list[Parsed]:
    with path.open("rb") as stream:
        return parse_stream(adapter, stream)


def parse_fixture(adapter: Adapter, name: str) -> list[Parsed]:
    return parse_file(adapter, FIXTURES / name)


def accepted(parsed: Parsed) -> Prepared:
    """The record's sighting as ingest's prepare() accepts it; the test fails with the reason otherwise."""
    assert parsed.sighting is not None, (parsed.position, parsed.error)
    result = prepare(parsed.sighting, ANY, NOW)
    assert isinstance(result, Prepared), (parsed.position, parsed.error, result)
    return result


def all_accepted(results: list[Parsed]) -> list[Prepared]:
    """Every record of a clean input, accepted: none may have failed."""
    failed = [(p.position, p.error) for p in results if p.error]
    assert failed == [], failed
    return [accepted(p) for p in results]


def assert_costs_only_itself(results: list[Parsed], index: int, position: str, error: str) -> None:
    """The record at index fails with exactly this position and error; the records either side still parse."""
    outcome = (results[index].position, results[index].error)
    assert outcome == (position, error), outcome
    assert results[index - 1].sighting is not None, results[index - 1].error
    assert results[index + 1].sighting is not None, results[index + 1].error


class CountingStream(io.RawIOBase):
    """A large input produced on demand from its parts, counting the bytes the parser has pulled."""

    def __init__(self, parts: Iterable[bytes]) -> None:
        self.pulled = 0
        self._parts = iter(parts)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            self._pending = next(self._parts, b"")
            if not self._pending:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size], self._pending = self._pending[:size], self._pending[size:]
        self.pulled += size
        return size


def verdict(parsed: Parsed) -> str | None:
    """Why a record is refused, adapter or ingest (prepare's 'field: message; ...'); None when it goes through."""
    if parsed.error is not None or parsed.sighting is None:
        return parsed.error
    result = prepare(parsed.sighting, ANY, NOW)
    if isinstance(result, Prepared):
        return None
    return "; ".join(f"{e.field}: {e.message}" if e.field else e.message for e in result.errors)
