"""All of ingest's SQL: crawler keys and the sighting ledger (the outbox repository comes from servicekit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple
from uuid import UUID

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ingest.db.tables import crawlers, sightings
from ingest.domain import Crawler


class LedgerEntry(NamedTuple):
    """One accepted sighting as the ledger keeps it (a named tuple: built for every sighting, twice as fast)."""

    event_id: UUID
    crawler_id: UUID
    sighting_id: str | None
    source: str
    source_url: str
    content_hash: bytes
    work_key: str
    seen_at: datetime
    ingested_at: datetime


@dataclass(frozen=True)
class CrawlerRecord:
    """A crawler key as stored (hash only) and listed to operators."""

    crawler: Crawler
    key_hint: str
    created_at: datetime
    revoked_at: datetime | None


_RECORD_NEW = text(
    """
    INSERT INTO sightings (event_id, crawler_id, sighting_id, source, source_url, content_hash, work_key,
                           seen_at, ingested_at)
    SELECT * FROM unnest(
        CAST(:event_ids AS uuid[]), CAST(:crawler_ids AS uuid[]), CAST(:sighting_ids AS text[]),
        CAST(:sources AS text[]), CAST(:source_urls AS text[]), CAST(:content_hashes AS bytea[]),
        CAST(:work_keys AS text[]), CAST(:seen_ats AS timestamptz[]), CAST(:ingested_ats AS timestamptz[]))
    ON CONFLICT DO NOTHING
    RETURNING event_id
    """
)


class CrawlerRepository:
    """Crawler keys, looked up by the SHA-256 of the presented key."""

    def __init__(self, session: AsyncSession) -> None:
        """Bind to the unit of work's session."""
        self._session = session

    async def by_key_hash(self, key_hash: bytes) -> Crawler | None:
        """The active crawler owning this key hash, or None (unknown or revoked)."""
        row = (
            await self._session.execute(
                select(crawlers.c.id, crawlers.c.name, crawlers.c.sources).where(
                    crawlers.c.key_hash == key_hash, crawlers.c.revoked_at.is_(None)
                )
            )
        ).first()
        return Crawler(row.id, row.name, frozenset(row.sources)) if row else None

    async def upsert(self, crawler: Crawler, key_hash: bytes, key_hint: str) -> None:
        """Create the crawler, or give an existing one (by name) this key and these sources, un-revoked."""
        values = {
            "id": crawler.id,
            "name": crawler.name,
            "key_hash": key_hash,
            "key_hint": key_hint,
            "sources": sorted(crawler.sources),
        }
        statement = insert(crawlers).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=[crawlers.c.name],
            set_={
                "key_hash": key_hash,
                "key_hint": key_hint,
                "sources": values["sources"],
                "revoked_at": None,
            },
        )
        await self._session.execute(statement)

    async def revoke(self, name: str, when: datetime) -> bool:
        """Revoke a crawler's key; True when there was an active one."""
        result = await self._session.execute(
            crawlers.update()
            .where(crawlers.c.name == name, crawlers.c.revoked_at.is_(None))
            .values(revoked_at=when)
            .returning(crawlers.c.id)
        )
        return result.first() is not None

    async def all(self) -> list[CrawlerRecord]:
        """Every crawler, by name."""
        rows = (await self._session.execute(select(crawlers).order_by(crawlers.c.name))).all()
        return [
            CrawlerRecord(Crawler(r.id, r.name, frozenset(r.sources)), r.key_hint, r.created_at, r.revoked_at)
            for r in rows
        ]


class SightingLedger:
    """Records accepted sightings; a unique-key conflict means the sighting was already accepted."""

    def __init__(self, session: AsyncSession) -> None:
        """Bind to the unit of work's session."""
        self._session = session

    async def record_new(self, entries: Sequence[LedgerEntry]) -> set[UUID]:
        """Insert entries that are not duplicates; returns the event ids actually inserted."""
        if not entries:
            return set()
        # One statement over column arrays: far cheaper than a 1,000-row VALUES list to build and to plan.
        result = await self._session.execute(
            _RECORD_NEW,
            {
                "event_ids": [e.event_id for e in entries],
                "crawler_ids": [e.crawler_id for e in entries],
                "sighting_ids": [e.sighting_id for e in entries],
                "sources": [e.source for e in entries],
                "source_urls": [e.source_url for e in entries],
                "content_hashes": [e.content_hash for e in entries],
                "work_keys": [e.work_key for e in entries],
                "seen_ats": [e.seen_at for e in entries],
                "ingested_ats": [e.ingested_at for e in entries],
            },
        )
        return set(result.scalars().all())

    async def find_by_sighting_ids(self, crawler_id: UUID, sighting_ids: Sequence[str]) -> dict[str, tuple[UUID, str]]:
        """Earlier sightings by this crawler's idempotency keys: sighting_id -> (event_id, work_key)."""
        if not sighting_ids:
            return {}
        rows = await self._session.execute(
            select(sightings.c.sighting_id, sightings.c.event_id, sightings.c.work_key).where(
                sightings.c.crawler_id == crawler_id, sightings.c.sighting_id.in_(sighting_ids)
            )
        )
        return {r.sighting_id: (r.event_id, r.work_key) for r in rows}

    async def find_by_event_ids(self, event_ids: Sequence[UUID]) -> dict[UUID, str]:
        """Earlier sightings by event id (a digest of source, source_url and content) -> work_key."""
        if not event_ids:
            return {}
        rows = await self._session.execute(
            select(sightings.c.event_id, sightings.c.work_key).where(sightings.c.event_id.in_(list(event_ids)))
        )
        return {r.event_id: r.work_key for r in rows}
