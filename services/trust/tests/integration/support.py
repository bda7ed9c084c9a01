"""Fixtures for trust's tests: a throwaway database migrated by the real CLI, test-only topics, event builders."""

from __future__ import annotations

import asyncio
import hashlib
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

from contracts import (
    PAPER_SEEN,
    RESEARCHER_CHANGES,
    WORK_ATTRIBUTED,
    Envelope,
    Identifiers,
    PaperSeenV1,
    ResearcherMergedV1,
    ResearcherSplitV1,
    Sighting,
    TopicSpec,
    WorkAttributedV1,
    topic_name,
    work_key,
)
from servicekit.testing import maintenance_url_of, migrated_database, temporary_topics
from trust.bootstrap import Trust, bootstrap
from trust.policy import POLICY, Policy
from trust.settings import TrustSettings

MAINTENANCE_URL = maintenance_url_of("trust")
BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def maintenance_url() -> str:
    return MAINTENANCE_URL


@pytest.fixture
def database_url() -> Iterator[str]:
    with migrated_database("trust") as url:
        yield url


@pytest.fixture
def other_database_url() -> Iterator[str]:
    """A second migrated database (a replay from scratch)."""
    with migrated_database("trust") as url:
        yield url


@pytest.fixture
def topic_prefix() -> Iterator[str]:
    with temporary_topics(BOOTSTRAP, "trust") as prefix:
        yield prefix


@pytest.fixture
def settings(database_url: str, topic_prefix: str) -> TrustSettings:
    return settings_for(database_url, topic_prefix)


def settings_for(database_url: str, topic_prefix: str, **extra: Any) -> TrustSettings:
    return TrustSettings(
        database_url=database_url,
        topic_prefix=topic_prefix,
        kafka_bootstrap_servers=BOOTSTRAP,
        consumer_group=f"trust-{uuid.uuid4().hex[:6]}",
        relay_poll_interval=0.1,
        retry_delay=0.2,
        db_pool_size=4,
        **extra,
    )


def rid(name: str) -> str:
    """A researcher id as profiles makes them (r_ + 20 hex)."""
    return "r_" + hashlib.sha256(name.encode()).hexdigest()[:20]


def wid(key: str) -> str:
    """A work id (w_ + 20 hex)."""
    return "w_" + hashlib.sha256(key.encode()).hexdigest()[:20]


def seen(source: str, title: str, authors: Sequence[str], *, minutes: int = 0, **paper: Any) -> PaperSeenV1:
    """A paper.seen event as ingest publishes it."""
    ids = Identifiers.model_validate(paper.pop("identifiers", {}))
    key = work_key(ids, title, paper.get("year"), authors[0] if authors else None)
    at = T0 + timedelta(minutes=minutes)
    data = Sighting.model_validate(
        {
            "source": source,
            "source_url": f"https://{source}.example/{uuid.uuid4().hex[:8]}",
            "seen_at": at,
            "crawler": "test",
            "work_key": key,
            "paper": {"title": title, "identifiers": ids, "authors": [{"name": a} for a in authors], **paper},
        }
    )
    return PaperSeenV1(event_id=uuid.uuid4(), occurred_at=at, ingested_at=at, producer="test", data=data)


def attributed(sighting: PaperSeenV1, work_id: str, researchers: Sequence[str], **extra: Any) -> WorkAttributedV1:
    """The work.attributed profiles publishes after applying `sighting`."""
    s = sighting.data
    authors = [
        {"position": i, "name": a.name, "researcher_id": r, "new_for_researcher": True, "confidence": 0.9}
        for i, (a, r) in enumerate(zip(s.paper.authors, researchers, strict=True))
    ]
    data = {
        "work_id": work_id,
        "work_key": s.work_key,
        "source": s.source,
        "is_new_work": True,
        "title": s.paper.title,
        "year": s.paper.year,
        "topic_ids": extra.pop("topic_ids", ["computer-vision"]),
        "authors": authors,
        **extra,
    }
    return WorkAttributedV1.model_validate(
        {"event_id": uuid.uuid4(), "occurred_at": s.seen_at, "ingested_at": s.seen_at, "producer": "test", "data": data}
    )


def merged(loser: str, survivor: str) -> ResearcherMergedV1:
    return ResearcherMergedV1.model_validate(
        {
            "event_id": uuid.uuid4(),
            "occurred_at": T0,
            "ingested_at": T0,
            "producer": "test",
            "data": {"loser_id": loser, "survivor_id": survivor, "rule": "merge_pass", "confidence": 0.9},
        }
    )


def split(researcher: str, part: str, work_ids: Sequence[str]) -> ResearcherSplitV1:
    data = {"researcher_id": researcher, "parts": [{"researcher_id": part, "work_ids": list(work_ids)}]}
    return ResearcherSplitV1.model_validate(
        {"event_id": uuid.uuid4(), "occurred_at": T0, "ingested_at": T0, "producer": "test", "data": data}
    )


NAMES = ("Kaisheng Ma", "Mingbao Lin", "Aojun Zhou", "Chen Wang", "Li Xu")


def arxiv_researcher(count: int = 15) -> list[Envelope]:
    """The calibration case as events: ~15 arXiv-only preprints of Kaisheng Ma with four co-authors."""
    events: list[Envelope] = []
    for n in range(count):
        names = [NAMES[0], NAMES[1 + n % 4], NAMES[1 + (n + 1) % 4]]
        paper = seen(
            "arxiv",
            f"Contrastive deep supervision, part {n}",
            names,
            minutes=n,
            year=2020 + n % 3,
            kind="preprint",
            identifiers={"arxiv": f"2207.{10000 + n}"},
        )
        events += [paper, attributed(paper, wid(paper.data.work_key), [rid(a) for a in names])]
    return events


SPEC_OF = {
    PaperSeenV1: PAPER_SEEN,
    WorkAttributedV1: WORK_ATTRIBUTED,
    ResearcherMergedV1: RESEARCHER_CHANGES,
    ResearcherSplitV1: RESEARCHER_CHANGES,
}


def _key(event: Envelope) -> bytes:
    if isinstance(event, PaperSeenV1):
        return event.data.work_key.encode()
    if isinstance(event, WorkAttributedV1):
        return event.data.work_id.encode()
    if isinstance(event, ResearcherSplitV1):
        return event.data.researcher_id.encode()
    assert isinstance(event, ResearcherMergedV1)
    return event.data.loser_id.encode()


async def publish(prefix: str, events: Sequence[Envelope]) -> None:
    """Produce events to the test's topics, each to its contract topic with its contract key."""
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        sent = []
        for event in events:
            spec: TopicSpec = SPEC_OF[type(event)]
            sent.append(
                await producer.send(topic_name(spec, prefix), event.model_dump_json().encode(), key=_key(event))
            )
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


@dataclass
class Running:
    """A running trust (consumer + relay) and its database."""

    trust: Trust
    url: str

    async def caught_up(self, seconds: float = 60) -> None:
        """Wait until the group committed every record of every consumed topic and the outbox is empty."""
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            progress = await self.trust.measure()
            depth = await self.scalar("SELECT count(*) FROM outbox")
            if all(p.partitions for p in progress) and sum(p.lag for p in progress) == 0 and depth == 0:
                return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"not caught up: lag {[p.lag for p in progress]}, outbox {depth}")
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
async def running(settings: TrustSettings, policy: Policy = POLICY) -> AsyncIterator[Running]:
    """Trust's consumer and relay running against the test database and topics."""
    trust = bootstrap(settings, policy)
    async with trust.running():
        yield Running(trust, settings.database_url.get_secret_value())
