"""One import: stream an input through its adapter, post batches in order, checkpoint, and report rejects."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any, TextIO

import orjson

from ingest.adapters.base import Adapter, Parsed
from ingest.importer.checkpoint import Checkpoint, InputIdentity, load
from ingest.importer.client import IngestClient
from ingest.importer.inputs import CountingReader, records
from ingest.importer.progress import Progress


@dataclass
class Options:
    """How to import: batch size, rate limit, dry run, where state and rejects go."""

    batch: int = 500
    rate: float | None = None
    dry_run: bool = False
    state_dir: Path = Path(".sightline-import")
    in_flight: int = 4


@dataclass
class Summary:
    """What happened to every record read."""

    read: int = 0
    resumed: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: Counter[str] = field(default_factory=Counter)

    def add(self, other: Summary) -> None:
        """Fold another input's summary into this one."""
        self.read += other.read
        self.resumed += other.resumed
        self.accepted += other.accepted
        self.duplicate += other.duplicate
        self.rejected.update(other.rejected)


async def import_input(
    name: str,
    stream: IO[bytes],
    *,
    identity: InputIdentity | None,
    adapter: Adapter,
    source: str,
    seen_at: datetime,
    options: Options,
    client: IngestClient | None,
    rejects: TextIO,
    progress: Progress,
) -> Summary:
    """Import one input; resumes after its checkpoint (files only) and clears it when complete."""
    checkpoint = load(options.state_dir, identity) if identity and not options.dry_run else None
    skip = checkpoint.done if checkpoint else 0
    summary = Summary(resumed=skip)
    counter = CountingReader(stream)
    parsed_records = records(name, counter, adapter, source, seen_at.isoformat())
    pending: deque[asyncio.Task[tuple[int, list[Parsed], list[dict[str, Any]] | None]]] = deque()
    started = time.monotonic()
    index = 0
    while True:
        batch = await asyncio.to_thread(_next_batch, parsed_records, options.batch)
        if not batch:
            break
        first = index
        index += len(batch)
        summary.read += len(batch)
        if index <= skip:
            progress.update(index, counter.count)
            continue
        batch = batch[max(0, skip - first) :]
        await _respect_rate(options.rate, index - skip, started)
        pending.append(asyncio.create_task(_send(client, batch, index, options.dry_run, seen_at)))
        while len(pending) >= options.in_flight:
            await _settle(
                await pending.popleft(),
                name=name,
                summary=summary,
                rejects=rejects,
                checkpoint=checkpoint,
                options=options,
            )
        progress.update(index, counter.count)
    while pending:
        await _settle(
            await pending.popleft(), name=name, summary=summary, rejects=rejects, checkpoint=checkpoint, options=options
        )
    progress.records, progress.bytes_read = index, counter.count
    if checkpoint:
        checkpoint.clear(options.state_dir)
    return summary


def _next_batch(records: Iterator[Parsed], size: int) -> list[Parsed]:
    batch: list[Parsed] = []
    for parsed in records:
        batch.append(parsed)
        if len(batch) == size:
            break
    return batch


async def _respect_rate(rate: float | None, sent: int, started: float) -> None:
    if rate:
        ahead = sent / rate - (time.monotonic() - started)
        if ahead > 0:
            await asyncio.sleep(ahead)


async def _send(
    client: IngestClient | None, batch: list[Parsed], end: int, dry_run: bool, seen_at: datetime
) -> tuple[int, list[Parsed], list[dict[str, Any]] | None]:
    sightings = [p.sighting for p in batch if p.sighting is not None]
    if dry_run or client is None:
        return end, batch, _dry_results(sightings, seen_at)
    return end, batch, await client.post(sightings) if sightings else []


def _dry_results(sightings: list[dict[str, Any]], seen_at: datetime) -> list[dict[str, Any]]:
    # Imported here: ingest's rules load pydantic and the contracts, a fifth of a second a real import never needs.
    from ingest.domain import ALL_SOURCES, Crawler, Rejected, prepare

    crawler = Crawler(uuid.uuid4(), "dry-run", frozenset({ALL_SOURCES}))
    results: list[dict[str, Any]] = []
    for sighting in sightings:
        outcome = prepare(sighting, crawler, max(seen_at, datetime.now(seen_at.tzinfo)))
        if isinstance(outcome, Rejected):
            errors = [{"field": e.field, "code": e.code, "message": e.message} for e in outcome.errors]
            results.append({"status": "rejected", "errors": errors})
        else:
            results.append({"status": "accepted", "work_key": outcome.sighting.work_key})
    return results


async def _settle(
    done: tuple[int, list[Parsed], list[dict[str, Any]] | None],
    *,
    name: str,
    summary: Summary,
    rejects: TextIO,
    checkpoint: Checkpoint | None,
    options: Options,
) -> None:
    """Account for a finished batch in input order, then move the checkpoint past it."""
    end, batch, results = done
    answers = iter(results or [])
    for parsed in batch:
        if parsed.error is not None:
            key = f"adapter: {_reason_key(parsed.error)}"
            _reject(rejects, parsed, name=name, reason=parsed.error, key=key, summary=summary)
            continue
        result = next(answers)
        status = result["status"]
        if status == "accepted":
            summary.accepted += 1
        elif status == "duplicate":
            summary.duplicate += 1
        else:
            errors = result.get("errors", [])
            reason = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "rejected"
            key = ", ".join(sorted({f"{e['field']} ({e['code']})" for e in errors})) or "rejected"
            _reject(rejects, parsed, name=name, reason=reason, key=f"ingest: {key}", summary=summary)
    if checkpoint is not None and not options.dry_run:
        checkpoint.done = end
        checkpoint.save(options.state_dir)


def _reject(rejects: TextIO, parsed: Parsed, *, name: str, reason: str, key: str, summary: Summary) -> None:
    summary.rejected[key] += 1
    line = {"input": name, "position": parsed.position, "reason": reason, "raw": parsed.raw}
    rejects.write(orjson.dumps(line).decode() + "\n")


def _reason_key(error: str) -> str:
    """A reason without its record-specific details, for grouping: text before the first quote or colon."""
    head = error.split("'", 1)[0].split('"', 1)[0]
    head = head.split(": ", 1)[0] if ": " in head and len(head.split(": ", 1)[0]) > 3 else head
    return head.strip(" :(") or error[:60]
