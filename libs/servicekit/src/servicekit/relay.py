"""The outbox relay: drains committed outbox rows to Kafka in order, deleting them only once acknowledged."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner
from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from servicekit.outbox import OutboxRepository, PendingMessage

log = logging.getLogger(__name__)
_PARTITIONER = DefaultPartitioner()

OUTBOX_DEPTH = Gauge("outbox_depth", "Messages in the outbox waiting for Kafka", ["service"])
PUBLISHED = Counter("outbox_published_total", "Messages the relay published to Kafka", ["service", "topic"])
PUBLISH_FAILURES = Counter("outbox_publish_failures_total", "Relay batches that Kafka did not acknowledge", ["service"])
PUBLISH_LATENCY = Histogram(
    "outbox_publish_latency_seconds",
    "From the outbox commit to Kafka's acknowledgement",
    ["service"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)


class OutboxRelay:
    """Publishes outbox rows with an acks=all idempotent producer; survives broker outages by retrying."""

    def __init__(
        self,
        *,
        service: str,
        sessions: async_sessionmaker[AsyncSession],
        table: Table,
        producer_factory: Callable[[], AIOKafkaProducer],
        batch_size: int = 1000,
        poll_interval: float = 0.5,
        publish_timeout: float = 15.0,
    ) -> None:
        """Configure the relay; nothing connects until `run`."""
        self._service = service
        self._sessions = sessions
        self._table = table
        self._producer_factory = producer_factory
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._publish_timeout = publish_timeout
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self.producer: AIOKafkaProducer | None = None
        self._failed: list[int] = []

    def wake(self) -> None:
        """Tell the relay new rows were committed, so it publishes now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        """Relay until `stop`; a failed batch stays in the outbox and is retried with capped backoff."""
        monitor = asyncio.create_task(self._monitor_depth())
        try:
            await self._loop()
        finally:
            monitor.cancel()
            await self._drop_producer()

    async def _loop(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                await self._ensure_producer()
                # Cleared before taking rows, so a commit that lands during this batch still wakes the next one.
                self._wake.clear()
                published = await self.relay_once()
                failures = 0
                if published < self._batch_size:
                    await self._idle()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the relay must outlive any broker or database fault
                failures += 1
                PUBLISH_FAILURES.labels(self._service).inc()
                log.warning("outbox relay failed (attempt %d): %s", failures, exc)
                await self._drop_producer()
                await self._count_attempt()
                delay = min(10.0, 0.2 * 2**failures) * (0.5 + random.random() / 2)  # noqa: S311 - jitter only
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), delay)

    async def relay_once(self) -> int:
        """Publish one batch of committed rows; returns how many were acknowledged and removed."""
        producer = await self._ensure_producer()
        async with self._sessions() as session, session.begin():
            outbox = OutboxRepository(session, self._table)
            pending = await outbox.take(self._batch_size)
            if pending:
                try:
                    await self._publish(producer, pending)
                except BaseException:
                    self._failed = [p.id for p in pending]
                    raise
        return len(pending)

    async def _count_attempt(self) -> None:
        """Record a failed publish on the rows concerned, so operators can see which messages keep failing."""
        failed, self._failed = self._failed, []
        if not failed:
            return
        try:
            async with self._sessions() as session, session.begin():
                await OutboxRepository(session, self._table).bump_attempts(failed)
        except Exception as exc:  # the database may be the thing that is down
            log.debug("cannot count the failed attempt: %s", exc)

    async def _monitor_depth(self, interval: float = 1.0) -> None:
        """Keep the depth gauge fresh on its own clock: it matters most while publishing is stuck."""
        while not self._stopping.is_set():
            try:
                async with self._sessions() as session:
                    OUTBOX_DEPTH.labels(self._service).set(await OutboxRepository(session, self._table).depth())
            except Exception as exc:  # the database may be the thing that is down
                log.debug("cannot measure the outbox depth: %s", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), interval)

    def stop(self) -> None:
        """Ask `run` to return after the batch in flight; it closes the producer on its way out."""
        self._stopping.set()
        self._wake.set()

    async def _publish(self, producer: AIOKafkaProducer, pending: list[PendingMessage]) -> None:
        async with asyncio.timeout(self._publish_timeout):
            await asyncio.gather(*[await future for future in await self._submit(producer, pending)])
        now = datetime.now(UTC)
        for p in pending:
            PUBLISH_LATENCY.labels(self._service).observe(max(0.0, (now - p.created_at).total_seconds()))
            PUBLISHED.labels(self._service, p.message.topic).inc()

    async def _submit(self, producer: AIOKafkaProducer, pending: list[PendingMessage]) -> list[Any]:
        """Hand the rows to the producer as one record batch per partition (in outbox order within each)."""
        by_partition: dict[tuple[str, int], list[PendingMessage]] = {}
        for p in pending:
            partitions = sorted(await producer.partitions_for(p.message.topic))
            # Kafka's default (Java-compatible murmur2) partitioner, so any client keys a work to the same place.
            partition = _PARTITIONER(p.message.key, partitions, partitions)
            by_partition.setdefault((p.message.topic, partition), []).append(p)
        submitted = []
        for (topic, partition), messages in by_partition.items():
            batch = producer.create_batch()
            for p in messages:
                headers = [(k, v.encode()) for k, v in p.message.headers.items()]
                if batch.append(key=p.message.key, value=p.message.value, timestamp=None, headers=headers) is None:
                    batch.close()
                    submitted.append(producer.send_batch(batch, topic, partition=partition))
                    batch = producer.create_batch()
                    batch.append(key=p.message.key, value=p.message.value, timestamp=None, headers=headers)
            batch.close()
            submitted.append(producer.send_batch(batch, topic, partition=partition))
        return submitted

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self.producer is None:
            producer = self._producer_factory()
            try:
                await producer.start()
            except BaseException:
                await producer.stop()
                raise
            self.producer = producer
        return self.producer

    async def _drop_producer(self) -> None:
        # A producer that saw a failed batch is replaced, so no stale sequence state survives an outage.
        producer, self.producer = self.producer, None
        if producer is None:
            return
        # Cancel the sender first: batches it still holds must never reach Kafka after the outbox re-sends
        # them, and a plain stop() would wait forever to flush them while the broker is down.
        sender = getattr(producer, "_sender", None)
        try:
            if sender is not None:
                await sender.close()
            async with asyncio.timeout(10):
                await producer.stop()
        except Exception as exc:  # closing a broken producer may fail; nothing to do
            log.debug("closing the producer failed: %s", exc)

    async def _idle(self) -> None:
        """Wait for a wake-up (new commit or stop) or the poll interval, whichever comes first."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self._poll_interval)
