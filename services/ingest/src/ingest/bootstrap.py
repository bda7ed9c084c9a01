"""The composition root: builds ingest's engine, sessions, publisher, relay and key cache from settings, once."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from ingest.crawler_keys import hash_key
from ingest.db.tables import outbox
from ingest.db.unit_of_work import UnitOfWork
from ingest.domain import Crawler
from ingest.service import Publishing, authenticate
from ingest.settings import IngestSettings
from servicekit.db import create_engine, session_factory
from servicekit.kafka import create_producer
from servicekit.publish import DirectPublisher
from servicekit.relay import OutboxRelay
from servicekit.telemetry import setup_telemetry

PRODUCER = "ingest/0.1.0"


@dataclass
class KeyCache:
    """Remembers key lookups briefly so each request does not hit the database; revocation applies within the TTL."""

    ttl: float
    _entries: dict[bytes, tuple[Crawler | None, float]] = field(default_factory=dict)

    def get(self, key: str) -> tuple[bool, Crawler | None]:
        """(known, crawler) for a cached, unexpired lookup."""
        entry = self._entries.get(hash_key(key))
        if entry is None or entry[1] < time.monotonic():
            return False, None
        return True, entry[0]

    def put(self, key: str, crawler: Crawler | None) -> None:
        """Remember a lookup's answer (including 'unknown key')."""
        if len(self._entries) > 10_000:
            self._entries.clear()
        self._entries[hash_key(key)] = (crawler, time.monotonic() + self.ttl)


@dataclass
class Ingest:
    """Everything a request or command needs, built once per process."""

    settings: IngestSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    relay: OutboxRelay
    publisher: DirectPublisher | None
    keys: KeyCache
    publishing: Publishing

    def uow(self) -> UnitOfWork:
        """A fresh unit of work."""
        return UnitOfWork(self.sessions)

    async def crawler_for(self, key: str) -> Crawler | None:
        """The crawler presenting this key (cached), or None."""
        known, crawler = self.keys.get(key)
        if not known:
            crawler = await authenticate(self.uow(), key)
            self.keys.put(key, crawler)
        return crawler


def bootstrap(settings: IngestSettings | None = None) -> Ingest:
    """Wire ingest from settings (read from the environment when not given)."""
    settings = settings or IngestSettings()
    setup_telemetry(settings)
    engine = create_engine(settings)
    sessions = session_factory(engine)
    relay = OutboxRelay(
        service=settings.service_name,
        sessions=sessions,
        table=outbox,
        producer_factory=lambda: create_producer(settings, client_id="ingest-relay"),
        batch_size=settings.relay_batch_size,
        poll_interval=settings.relay_poll_interval,
    )
    publisher = (
        DirectPublisher(
            service=settings.service_name,
            producer_factory=lambda: create_producer(settings, client_id="ingest"),
            timeout=settings.publish_timeout,
            cooldown=settings.publish_cooldown,
        )
        if settings.publish_direct
        else None
    )
    return Ingest(
        settings=settings,
        engine=engine,
        sessions=sessions,
        relay=relay,
        publisher=publisher,
        keys=KeyCache(settings.key_cache_seconds),
        publishing=Publishing(
            producer=PRODUCER, topic_prefix=settings.topic_prefix, direct=publisher, queued=relay.wake
        ),
    )
