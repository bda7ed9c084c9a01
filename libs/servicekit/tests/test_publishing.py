"""Publishing: the outbox relay against real PostgreSQL (rows leave only once acked) and the direct publisher."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from servicekit.db import session_factory
from servicekit.outbox import OutboxMessage, OutboxRepository, outbox_table
from servicekit.publish import DirectPublisher
from servicekit.relay import OutboxRelay

pytestmark = pytest.mark.integration
metadata = MetaData()
table = outbox_table(metadata)


class FakeBatch:
    def __init__(self) -> None:
        self.records: list[tuple[bytes | None, bytes]] = []

    def append(self, *, key: bytes | None, value: bytes, timestamp: None, headers: list[Any]) -> object:
        self.records.append((key, value))
        return object()

    def close(self) -> None:
        pass


class FakeProducer:
    """Stands in for Kafka: acknowledges, or fails every send while `down`."""

    def __init__(self, sent: list[bytes], down: bool) -> None:
        self.sent, self.down = sent, down
        self.by_partition: dict[int, list[bytes]] = {}
        self.started = self.stopped = 0

    async def start(self) -> None:
        self.started += 1

    async def stop(self) -> None:
        self.stopped += 1

    async def partitions_for(self, topic: str) -> set[int]:
        return {0, 1, 2}

    def create_batch(self) -> FakeBatch:
        return FakeBatch()

    async def send_batch(self, batch: FakeBatch, topic: str, *, partition: int) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.down:
            future.set_exception(ConnectionError("broker down"))
        else:
            self.sent.extend(value for _, value in batch.records)
            self.by_partition.setdefault(partition, []).extend(value for _, value in batch.records)
            future.set_result(None)
        return future


@pytest_asyncio.fixture(loop_scope="session")
async def engine(database: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.drop_all)
        await connection.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


async def queue(engine: AsyncEngine, count: int) -> None:
    async with session_factory(engine)() as session, session.begin():
        await OutboxRepository(session, table).add_many(messages(count))


def relay_with(engine: AsyncEngine, producer: FakeProducer) -> OutboxRelay:
    return OutboxRelay(
        service="test",
        sessions=session_factory(engine),
        table=table,
        producer_factory=lambda: producer,  # type: ignore[arg-type,return-value]
        batch_size=10,
        poll_interval=0.05,
    )


async def test_acknowledged_rows_leave_once_in_order_per_partition(engine: AsyncEngine) -> None:
    await queue(engine, 25)
    sent: list[bytes] = []
    producer = FakeProducer(sent, down=False)
    relay = relay_with(engine, producer)
    assert [await relay.relay_once() for _ in range(4)] == [10, 10, 5, 0]
    assert sorted(sent) == sorted(f"v{n}".encode() for n in range(25))
    for values in producer.by_partition.values():
        assert values == sorted(values, key=lambda v: int(v[1:])), "outbox order is kept within a partition"
    async with engine.connect() as connection:
        assert (await connection.execute(select(table.c.id))).all() == []


async def test_failed_batches_stay_and_are_counted(engine: AsyncEngine) -> None:
    await queue(engine, 3)
    sent: list[bytes] = []
    producer = FakeProducer(sent, down=True)
    relay = relay_with(engine, producer)
    task = asyncio.create_task(relay.run())
    await asyncio.sleep(1.0)
    async with engine.connect() as connection:
        attempts = (await connection.execute(select(table.c.attempts))).scalars().all()
    assert len(attempts) == 3
    assert min(attempts) >= 1, "every failed publish is counted on its rows"
    assert sent == []
    producer.down = False
    for _ in range(100):
        if len(sent) == 3:
            break
        await asyncio.sleep(0.1)
    relay.stop()
    await asyncio.wait_for(task, 10)
    assert sorted(sent) == [b"v0", b"v1", b"v2"], "delivered once the broker is back"


def messages(count: int) -> list[OutboxMessage]:
    return [OutboxMessage("t", f"k{n}".encode(), f"v{n}".encode(), {"event_id": str(n)}) for n in range(count)]


async def test_direct_publisher_declines_while_kafka_fails_then_recovers() -> None:
    sent: list[bytes] = []
    producer = FakeProducer(sent, down=False)
    publisher = DirectPublisher(service="test", producer_factory=lambda: producer, cooldown=0.3)  # type: ignore[arg-type,return-value]
    await publisher.start()
    assert await publisher.publish(messages(5))
    assert sorted(sent) == sorted(f"v{n}".encode() for n in range(5))

    producer.down = True
    assert not await publisher.publish(messages(2)), "a failed batch is declined: the caller uses its outbox"
    assert producer.stopped == 1, "the failed producer is discarded, so nothing it holds is sent later"
    producer.down = False
    assert not await publisher.publish(messages(2)), "right after a failure it declines without trying"
    assert producer.started == 1

    await asyncio.sleep(0.35)
    assert await publisher.publish(messages(3)), "after the cool-down it tries Kafka again"
    assert producer.started == 2
    assert len(sent) == 8
    await publisher.close()


async def test_direct_publisher_declines_when_kafka_hangs() -> None:
    class Hanging(FakeProducer):
        async def partitions_for(self, topic: str) -> set[int]:
            await asyncio.sleep(60)
            return {0}

    publisher = DirectPublisher(service="test", producer_factory=lambda: Hanging([], down=False), timeout=0.2)  # type: ignore[arg-type,return-value]
    assert not await asyncio.wait_for(publisher.publish(messages(1)), 5)
