"""Use cases: accept a batch of sightings (dedupe, record, queue events) and manage crawler keys."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol
from uuid import UUID

from contracts import PAPER_SEEN, topic_name
from ingest.crawler_keys import hash_key, key_hint, new_key
from ingest.db.repository import CrawlerRecord, LedgerEntry
from ingest.db.unit_of_work import UnitOfWork
from ingest.domain import (
    ALL_SOURCES,
    EVENT_TYPE,
    SCHEMA_VERSION,
    Crawler,
    Prepared,
    Rejected,
    event_id_for,
    event_json,
    prepare,
)
from servicekit.outbox import OutboxMessage

CRAWLER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}\Z")
DUPLICATE_ID = "sighting_id already used by this crawler"
DUPLICATE_CONTENT = "same source, source_url and content already seen"


@dataclass(frozen=True)
class Accepted:
    """Accepted: its paper.seen event is durably queued for Kafka."""

    event_id: UUID
    work_key: str
    warnings: tuple[str, ...] = field(default=())
    status: Literal["accepted"] = "accepted"


@dataclass(frozen=True)
class Duplicate:
    """Already accepted earlier (or earlier in the same batch); no second event."""

    event_id: UUID | None
    work_key: str
    reason: str
    status: Literal["duplicate"] = "duplicate"


ItemResult = Accepted | Duplicate | Rejected


class Publisher(Protocol):
    """Publishes messages to Kafka right away; False means it could not, and the outbox must take them."""

    async def publish(self, messages: Sequence[OutboxMessage]) -> bool:
        """True once Kafka acknowledged every message."""
        ...


@dataclass(frozen=True)
class Publishing:
    """Where and as whom events are published, and how they get there."""

    producer: str
    topic_prefix: str = ""
    # Publishes in the request; None sends every event through the outbox (and its relay).
    direct: Publisher | None = None
    # Told after a commit that put rows in the outbox, so the relay publishes them now.
    queued: Callable[[], None] = field(default=lambda: None)


async def accept_sightings(
    uow: UnitOfWork,
    *,
    crawler: Crawler,
    items: Sequence[object],
    now: datetime,
    publishing: Publishing,
    trace_headers: dict[str, str],
) -> list[ItemResult]:
    """Validate every item, record the new ones and publish their events in one transaction; results in order.

    Events go to Kafka before the ledger commits, or into the outbox in that same transaction when Kafka
    fails; either way nothing is acknowledged that is not durable, and a retry after a failed commit
    republishes the same event ids (consumers' inboxes drop the repeat).
    """
    results: list[ItemResult | None] = []
    fresh: list[tuple[int, Prepared, LedgerEntry]] = []
    for index, item in enumerate(items):
        outcome = prepare(item, crawler, now)
        if isinstance(outcome, Rejected):
            results.append(outcome)
            continue
        results.append(None)
        fresh.append((index, outcome, _ledger_entry(outcome, crawler, now)))
    if not fresh:
        return [r for r in results if r is not None]
    queued = False
    async with uow:
        inserted = await uow.sightings.record_new([entry for _, _, entry in fresh])
        new: list[tuple[int, Prepared, LedgerEntry]] = []
        repeated: list[tuple[int, LedgerEntry]] = []
        for index, prepared, entry in fresh:
            if entry.event_id in inserted:
                inserted.discard(entry.event_id)  # a second copy in this batch is a duplicate of the first
                new.append((index, prepared, entry))
            else:
                repeated.append((index, entry))
        messages = [_message(prepared, entry, publishing, trace_headers) for _, prepared, entry in new]
        if messages and not (publishing.direct is not None and await publishing.direct.publish(messages)):
            await uow.outbox.add_many(messages)
            queued = True
        duplicates = await _explain_duplicates(uow, crawler, [entry for _, entry in repeated])
        await uow.commit()
    if queued:
        publishing.queued()
    for index, prepared, entry in new:
        results[index] = Accepted(entry.event_id, entry.work_key, prepared.warnings)
    for (index, _), duplicate in zip(repeated, duplicates, strict=True):
        results[index] = duplicate
    return [r for r in results if r is not None]


async def register_crawler(uow: UnitOfWork, name: str, sources: Sequence[str], key: str | None = None) -> str:
    """Create a crawler (or re-key an existing one) bound to sources; returns the key, shown only now."""
    if not CRAWLER_NAME.match(name):
        raise ValueError(f"crawler name {name!r}: use 1-100 letters, digits, '.', '_' or '-'")
    key = key or new_key()
    crawler = Crawler(uuid.uuid4(), name, frozenset(sources) or frozenset({ALL_SOURCES}))
    async with uow:
        await uow.crawlers.upsert(crawler, hash_key(key), key_hint(key))
        await uow.commit()
    return key


async def revoke_crawler(uow: UnitOfWork, name: str, now: datetime) -> bool:
    """Revoke a crawler's key; False when it had none active."""
    async with uow:
        revoked = await uow.crawlers.revoke(name, now)
        await uow.commit()
    return revoked


async def list_crawlers(uow: UnitOfWork) -> list[CrawlerRecord]:
    """Every crawler key (hashes are never shown)."""
    async with uow:
        return await uow.crawlers.all()


async def authenticate(uow: UnitOfWork, key: str) -> Crawler | None:
    """The crawler owning this key, or None."""
    async with uow:
        return await uow.crawlers.by_key_hash(hash_key(key))


def _ledger_entry(prepared: Prepared, crawler: Crawler, now: datetime) -> LedgerEntry:
    s, digest = prepared.data, prepared.content_hash
    return LedgerEntry(
        event_id=event_id_for(s["source"], s["source_url"], digest),
        crawler_id=crawler.id,
        sighting_id=s["sighting_id"],
        source=s["source"],
        source_url=s["source_url"],
        content_hash=digest,
        work_key=prepared.work_key,
        seen_at=s["seen_at"],
        ingested_at=now,
    )


def _message(
    prepared: Prepared, entry: LedgerEntry, publishing: Publishing, trace_headers: dict[str, str]
) -> OutboxMessage:
    headers = {
        "event_id": str(entry.event_id),
        "event_type": EVENT_TYPE,
        "schema_version": str(SCHEMA_VERSION),
        "content-type": "application/json",
        **trace_headers,
    }
    return OutboxMessage(
        topic=topic_name(PAPER_SEEN, publishing.topic_prefix),
        key=prepared.work_key.encode(),
        value=event_json(prepared, entry.event_id, entry.ingested_at, publishing.producer),
        headers=headers,
    )


async def _explain_duplicates(uow: UnitOfWork, crawler: Crawler, entries: Sequence[LedgerEntry]) -> list[Duplicate]:
    """For each entry that conflicted, in order, the earlier sighting it duplicates and why."""
    if not entries:
        return []
    by_id = await uow.sightings.find_by_sighting_ids(
        crawler.id, [e.sighting_id for e in entries if e.sighting_id is not None]
    )
    by_event_id = await uow.sightings.find_by_event_ids([e.event_id for e in entries])
    explained: list[Duplicate] = []
    for entry in entries:
        if entry.sighting_id is not None and entry.sighting_id in by_id:
            event_id, work_key = by_id[entry.sighting_id]
            explained.append(Duplicate(event_id, work_key, DUPLICATE_ID))
        else:
            found = by_event_id.get(entry.event_id)
            explained.append(Duplicate(entry.event_id if found else None, found or entry.work_key, DUPLICATE_CONTENT))
    return explained
