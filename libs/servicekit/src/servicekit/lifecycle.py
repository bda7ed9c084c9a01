"""A consuming service's lifetime, written once: relay and consumer started, then stopped in a safe order."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker
from sqlalchemy.ext.asyncio import AsyncEngine

from servicekit.consumer import DeadLetters
from servicekit.kafka import create_producer
from servicekit.relay import OutboxRelay
from servicekit.runtime import tune_gc
from servicekit.settings import ServiceSettings


@dataclass
class Consumer:
    """A started broker (its subscribers consuming) and the producer its dead letters go through."""

    broker: KafkaBroker
    dead_letter_producer: AIOKafkaProducer

    async def stop(self) -> None:
        """Stop consuming first (the in-flight batch finishes or is handed back), then the dead-letter producer."""
        await self.broker.stop()
        await self.dead_letter_producer.stop()


async def start_consumer(
    settings: ServiceSettings, group: str, subscribe_all: Callable[[KafkaBroker, DeadLetters], None]
) -> Consumer:
    """Start the dead-letter producer and a broker whose subscribers `subscribe_all` registers."""
    tune_gc()
    producer = create_producer(settings, client_id=f"{settings.service_name}-dlq")
    await producer.start()
    broker = KafkaBroker(settings.kafka_bootstrap_servers, client_id=settings.service_name)
    subscribe_all(broker, DeadLetters(producer, group))
    await broker.start()
    return Consumer(broker, producer)


@contextlib.asynccontextmanager
async def service_running(
    *,
    relay: OutboxRelay,
    run_relay: bool,
    engine: AsyncEngine,
    consume: Callable[[], Awaitable[Consumer]] | None,
    grace_seconds: float,
    closing: Sequence[Callable[[], Awaitable[None]]] = (),
) -> AsyncIterator[Consumer | None]:
    """Run the relay (if `run_relay`) and the consumer `consume` starts (if given) until the block exits; then
    stop the consumer, let the relay drain for up to `grace_seconds`, close `closing`, dispose the engine."""
    relay_task = asyncio.create_task(relay.run()) if run_relay else None
    consumer = None
    try:
        if consume is not None:
            consumer = await consume()
        yield consumer
    finally:
        if consumer is not None:
            await consumer.stop()
        relay.stop()
        if relay_task is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(relay_task, timeout=grace_seconds)
        for close in closing:
            await close()
        await engine.dispose()
