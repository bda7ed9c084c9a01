"""The outbox relay: drains committed outbox rows to Kafka in order, deleting them only once acknowledged."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer
from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from servicekit.outbox import OutboxRepository, PendingMessage
from servicekit.publish import LazyProducer, send_all

log = logging.getLogger(__name__)

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
        self._producer = LazyProducer(producer_factory)
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._publish_timeout = publish_timeout
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._failed: list[int] = []

    @property
    def producer(self) -> AIOKafkaProducer | None:
        """The producer in use, if any (readiness probes it)."""
        return self._producer.current

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
            await self._producer.discard()

    async def _loop(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                await self._producer.get()
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
                await self._producer.discard()
                await self._count_attempt()
                delay = min(10.0, 0.2 * 2**failures) * (0.5 + random.random() / 2)  # noqa: S311 - jitter only
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), delay)

    async def relay_once(self) -> int:
        """Publish one batch of committed rows; returns how many were acknowledged and removed."""
        producer = await self._producer.get()
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
            await send_all(producer, [p.message for p in pending])
        now = datetime.now(UTC)
        for p in pending:
            PUBLISH_LATENCY.labels(self._service).observe(max(0.0, (now - p.created_at).total_seconds()))
            PUBLISHED.labels(self._service, p.message.topic).inc()

    async def _idle(self) -> None:
        """Wait for a wake-up (new commit or stop) or the poll interval, whichever comes first."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self._poll_interval)
