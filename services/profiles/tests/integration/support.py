"""Fixtures for profiles' tests: a throwaway database migrated by the real CLI, test-only topics, event builders."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from contracts import PAPER_SEEN, Identifiers, PaperSeenV1, Sighting, topic_name, work_key
from profiles.bootstrap import Profiles, bootstrap
from profiles.settings import ProfilesSettings
from servicekit.testing import maintenance_url_of, migrated_database, temporary_topics

MAINTENANCE_URL = maintenance_url_of("profiles")
BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def maintenance_url() -> str:
    return MAINTENANCE_URL


@pytest.fixture
def database_url() -> Iterator[str]:
    with migrated_database("profiles") as url:
        yield url


@pytest.fixture
def other_database_url() -> Iterator[str]:
    """A second migrated database (a replay from scratch)."""
    with migrated_database("profiles") as url:
        yield url


@pytest.fixture
def topic_prefix() -> Iterator[str]:
    with temporary_topics(BOOTSTRAP, "profiles") as prefix:
        yield prefix


@pytest.fixture
def settings(database_url: str, topic_prefix: str) -> ProfilesSettings:
    return settings_for(database_url, topic_prefix)


def settings_for(database_url: str, topic_prefix: str, **extra: Any) -> ProfilesSettings:
    return ProfilesSettings(
        database_url=database_url,
        topic_prefix=topic_prefix,
        kafka_bootstrap_servers=BOOTSTRAP,
        consumer_group=f"profiles-{uuid.uuid4().hex[:6]}",
        relay_poll_interval=0.1,
        retry_delay=0.2,
        db_pool_size=4,
        **extra,
    )


def author(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, **extra}


def sighting(
    source: str,
    title: str | None,
    authors: Sequence[dict[str, Any] | str] = (),
    *,
    seen: int = 0,
    url: str | None = None,
    **paper: Any,
) -> PaperSeenV1:
    """A paper.seen event as ingest would publish it; `seen` is minutes after T0."""
    ids = Identifiers.model_validate(paper.pop("identifiers", {}))
    listed = [author(a) if isinstance(a, str) else a for a in authors]
    year = paper.get("year")
    key = work_key(ids, title, year, listed[0]["name"] if listed else None)
    seen_at = T0 + timedelta(minutes=seen)
    data = Sighting.model_validate(
        {
            "source": source,
            "source_url": url or f"https://{source}.example/{uuid.uuid4().hex[:8]}",
            "seen_at": seen_at,
            "crawler": "test",
            "work_key": key,
            "paper": {"title": title, "identifiers": ids, "authors": listed, **paper},
        }
    )
    return PaperSeenV1(event_id=uuid.uuid4(), occurred_at=seen_at, ingested_at=seen_at, producer="test", data=data)


async def publish(
    prefix: str, events: Sequence[PaperSeenV1], partition: int | None = None, spread: bool = False
) -> None:
    """Produce events to the test's paper.seen, keyed by work key (or all to one partition, or event n to n % 12)."""
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        topic = topic_name(PAPER_SEEN, prefix)
        sent = []
        for n, event in enumerate(events):
            where = n % PAPER_SEEN.partitions if spread else partition
            value, key = event.model_dump_json().encode(), event.data.work_key.encode()
            sent.append(await producer.send(topic, value, key=key, partition=where))
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


@dataclass
class Running:
    """A running profiles (consumer + relay) and its database."""

    profiles: Profiles
    url: str

    async def caught_up(self, seconds: float = 60) -> None:
        """Wait until the group committed every paper.seen record and the outbox is empty."""
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            progress = await self.profiles.progress.measure()
            depth = await self.scalar("SELECT count(*) FROM outbox")
            if progress.lag == 0 and depth == 0 and progress.partitions:
                return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"not caught up: lag {progress.lag}, outbox {depth}")
            await asyncio.sleep(0.2)

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        engine = create_async_engine(self.url)
        try:
            async with engine.connect() as connection:
                return list((await connection.execute(text(sql), params)).all())
        finally:
            await engine.dispose()

    async def scalar(self, sql: str, **params: Any) -> Any:
        rows = await self.rows(sql, **params)
        return rows[0][0] if rows else None


@asynccontextmanager
async def running(settings: ProfilesSettings) -> AsyncIterator[Running]:
    """Profiles' consumer and relay running against the test database and topics."""
    profiles = bootstrap(settings)
    async with profiles.running():
        yield Running(profiles, settings.database_url.get_secret_value())
