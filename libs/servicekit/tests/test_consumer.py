"""The inbox consumer against real Kafka and PostgreSQL: effects once per event, poison to the dead-letter topic."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import orjson
import pytest
import pytest_asyncio
from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker
from sqlalchemy import Column, Integer, MetaData, Table, Text, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from contracts import PAPER_SEEN, PaperSeenV1, Sighting
from servicekit.consumer import DeadLetters, Delivery, InboxProcessor, registry, subscribe
from servicekit.db import session_factory
from servicekit.inbox import inbox_table
from servicekit.testing import read_topic

pytestmark = pytest.mark.integration
BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
metadata = MetaData()
inbox = inbox_table(metadata)
effects = Table("effects", metadata, Column("work_key", Text, primary_key=True), Column("n", Integer, nullable=False))


async def count_sightings(session: AsyncSession, deliveries: list[Delivery]) -> None:
    """A handler whose effect would show any double processing: a counter per work key."""
    for delivery in deliveries:
        assert isinstance(delivery.event, PaperSeenV1)
        await session.execute(
            text("INSERT INTO effects VALUES (:k, 1) ON CONFLICT (work_key) DO UPDATE SET n = effects.n + 1"),
            {"k": delivery.event.data.work_key},
        )


def event(n: int) -> PaperSeenV1:
    now = datetime.now(UTC)
    sighting = Sighting.model_validate(
        {
            "source": "arxiv",
            "source_url": f"https://arxiv.org/abs/2401.{10000 + n}",
            "seen_at": now,
            "crawler": "test",
            "work_key": f"arxiv:2401.{10000 + n}",
            "paper": {"title": f"Paper {n}"},
        }
    )
    return PaperSeenV1(event_id=uuid.uuid4(), occurred_at=now, ingested_at=now, producer="test", data=sighting)


@pytest_asyncio.fixture(loop_scope="session")
async def engine(database: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


async def consume_until(engine: AsyncEngine, prefix: str, group: str, done: str, expected: int) -> None:
    """Run a consumer (its own group) until the `done` query returns `expected`."""
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", enable_idempotence=True)
    await producer.start()
    broker = KafkaBroker(BOOTSTRAP)
    processor = InboxProcessor(
        sessions=session_factory(engine),
        inbox=inbox,
        known=registry([PAPER_SEEN]),
        handle=count_sightings,
        dead_letters=DeadLetters(producer, group),
    )
    subscribe(broker, PAPER_SEEN, prefix=prefix, group_id=group, processor=processor, max_records=7)
    await broker.start()
    try:
        for _ in range(300):
            async with engine.connect() as connection:
                if (await connection.execute(text(done))).scalar_one() == expected:
                    return
            await asyncio.sleep(0.1)
        raise AssertionError(f"{done} never reached {expected}")
    finally:
        await broker.stop()
        await producer.stop()


async def test_each_event_has_one_effect_and_poison_is_dead_lettered(engine: AsyncEngine, prefix: str) -> None:
    topic = f"{prefix}paper.seen"
    events = [event(n) for n in range(30)]
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        for n, item in enumerate(events):
            await producer.send_and_wait(topic, item.model_dump_json().encode(), key=item.data.work_key.encode())
            if n == 10:
                await producer.send_and_wait(topic, b"{not json", key=b"poison")
            if n == 20:
                future = {**item.model_dump(mode="json"), "schema_version": 9, "event_id": str(uuid.uuid4())}
                await producer.send_and_wait(topic, orjson.dumps(future))
        await producer.send_and_wait(topic, events[5].model_dump_json().encode())  # a duplicate delivery
    finally:
        await producer.stop()

    await consume_until(engine, prefix, "group-a", "SELECT count(*) FROM inbox", 30)
    async with engine.connect() as connection:
        counts = (await connection.execute(select(effects.c.n, func.count()).group_by(effects.c.n))).all()
    assert counts == [(1, 30)], "every event applied exactly once, the duplicate included"

    dead = await asyncio.to_thread(read_topic, BOOTSTRAP, f"{prefix}paper.seen.dlq")
    reasons = sorted(record.headers["dlq.error"].split(":")[0] for record in dead)
    assert reasons == ["not JSON", "unknown event paper.seen v9 (this consumer knows [('paper.seen', 1)])"]
    assert all(record.headers["dlq.topic"] == topic for record in dead)

    # A second consumer group replays the whole topic: the inbox makes it a no-op.
    await consume_until(engine, prefix, "group-b", "SELECT count(*) FROM inbox", 30)
    async with engine.connect() as connection:
        assert (await connection.execute(select(func.sum(effects.c.n)))).scalar_one() == 30
