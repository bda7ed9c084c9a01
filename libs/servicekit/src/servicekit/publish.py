"""Publishing to Kafka: record batches per partition, and straight from a request with the outbox as fallback."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from aiokafka import AIOKafkaProducer
from prometheus_client import Counter, Histogram

from servicekit.outbox import OutboxMessage
from servicekit.partitioning import partition_for

log = logging.getLogger(__name__)

DIRECT_PUBLISHED = Counter(
    "direct_published_total", "Messages published to Kafka from the request itself (no outbox)", ["service"]
)
DIRECT_FALLBACKS = Counter(
    "direct_publish_fallbacks_total",
    "Batches that went to the outbox instead, because Kafka failed or was recently failing",
    ["service", "reason"],
)
DIRECT_LATENCY = Histogram(
    "direct_publish_latency_seconds",
    "From handing a batch to the producer to Kafka's acknowledgement of all of it",
    ["service"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


async def send_all(producer: AIOKafkaProducer, messages: Sequence[OutboxMessage]) -> None:
    """Publish as one record batch per partition (in the given order within each); returns once all are acked."""
    futures = [await submitted for submitted in await _submit(producer, messages)]
    await asyncio.gather(*futures)


async def _submit(producer: AIOKafkaProducer, messages: Sequence[OutboxMessage]) -> list[Any]:
    by_partition: dict[tuple[str, int], list[OutboxMessage]] = {}
    partitions_of: dict[str, list[int]] = {}
    for message in messages:
        if message.topic not in partitions_of:
            partitions_of[message.topic] = sorted(await producer.partitions_for(message.topic))
        partitions = partitions_of[message.topic]
        # Kafka's default (Java-compatible murmur2) partitioner, so any client keys a work to the same place.
        partition = partition_for(message.key, partitions)
        by_partition.setdefault((message.topic, partition), []).append(message)
    submitted = []
    for (topic, partition), group in by_partition.items():
        batch = producer.create_batch()
        for message in group:
            headers = [(k, v.encode()) for k, v in message.headers.items()]
            if batch.append(key=message.key, value=message.value, timestamp=None, headers=headers) is None:
                batch.close()
                submitted.append(producer.send_batch(batch, topic, partition=partition))
                batch = producer.create_batch()
                batch.append(key=message.key, value=message.value, timestamp=None, headers=headers)
        batch.close()
        submitted.append(producer.send_batch(batch, topic, partition=partition))
    return submitted


async def discard_producer(producer: AIOKafkaProducer | None) -> None:
    """Stop a producer that saw a failure so that nothing it still holds reaches Kafka later."""
    if producer is None:
        return
    # Cancel the sender first: batches it still holds must never reach Kafka after the outbox re-sends them,
    # and a plain stop() would wait forever to flush them while the broker is down.
    sender = getattr(producer, "_sender", None)
    try:
        if sender is not None:
            await sender.close()
        async with asyncio.timeout(10):
            await producer.stop()
    except Exception as exc:  # closing a broken producer may fail; nothing to do
        log.debug("closing the producer failed: %s", exc)


class LazyProducer:
    """One Kafka producer, started on first use and replaced after a failure (no stale state outlives an outage)."""

    def __init__(self, factory: Callable[[], AIOKafkaProducer]) -> None:
        """Nothing connects until `get`."""
        self._factory = factory
        self._starting = asyncio.Lock()
        self.current: AIOKafkaProducer | None = None

    async def get(self) -> AIOKafkaProducer:
        """The running producer, starting a new one when there is none."""
        async with self._starting:
            if self.current is None:
                producer = self._factory()
                try:
                    await producer.start()
                except BaseException:
                    await discard_producer(producer)
                    raise
                self.current = producer
            return self.current

    async def discard(self) -> None:
        """Drop the producer with whatever it still holds (after a failure); the next `get` starts afresh."""
        producer, self.current = self.current, None
        await discard_producer(producer)

    async def close(self) -> None:
        """Flush and stop the producer (shutting down)."""
        producer, self.current = self.current, None
        if producer is not None:
            try:
                async with asyncio.timeout(10):
                    await producer.stop()
            except Exception as exc:  # shutting down: nothing more to do
                log.debug("stopping the producer failed: %s", exc)


class DirectPublisher:
    """Publishes a request's messages itself (acks=all) and says whether Kafka took them all.

    When it answers False the caller writes the messages to its outbox in the same transaction instead, so
    an outage costs one timeout and then nothing: after a failure it declines at once for `cooldown` seconds.
    """

    def __init__(
        self,
        *,
        service: str,
        producer_factory: Callable[[], AIOKafkaProducer],
        timeout: float = 5.0,
        cooldown: float = 5.0,
    ) -> None:
        """Configure; the producer starts on first use (or `start`)."""
        self._service = service
        self._producer = LazyProducer(producer_factory)
        self._timeout = timeout
        self._cooldown = cooldown
        self._retry_at = 0.0

    @property
    def producer(self) -> AIOKafkaProducer | None:
        """The producer in use, if any (readiness probes it)."""
        return self._producer.current

    async def start(self) -> None:
        """Connect now, so the first request does not pay for it; a broker that is down is no error here."""
        try:
            async with asyncio.timeout(self._timeout):
                await self._producer.get()
        except Exception as exc:  # the broker may be down at start; requests then use the outbox
            log.warning("Kafka not reachable at start, publishing through the outbox for now: %s", exc)
            await self._failed()

    async def publish(self, messages: Sequence[OutboxMessage]) -> bool:
        """True once Kafka acknowledged every message; False (nothing to rely on) means: use the outbox."""
        if time.monotonic() < self._retry_at:
            DIRECT_FALLBACKS.labels(self._service, "cooling_down").inc()
            return False
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self._timeout):
                await send_all(await self._producer.get(), messages)
        except Exception as exc:  # any Kafka fault: the outbox takes the batch
            log.warning("direct publish failed, using the outbox: %s", exc)
            DIRECT_FALLBACKS.labels(self._service, "kafka_failed").inc()
            await self._failed()
            return False
        DIRECT_LATENCY.labels(self._service).observe(time.perf_counter() - started)
        DIRECT_PUBLISHED.labels(self._service).inc(len(messages))
        return True

    async def close(self) -> None:
        """Flush and stop the producer."""
        await self._producer.close()

    async def _failed(self) -> None:
        self._retry_at = time.monotonic() + self._cooldown
        await self._producer.discard()
