"""The composition root: builds profiles' engine, sessions, relay, consumer and progress probe from settings."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from contracts import PAPER_SEEN, TRUST_CHANGED, topic_name
from profiles.db.tables import inbox, outbox
from profiles.handlers import paper_seen_handler, trust_changed_handler
from profiles.service import Publishing
from profiles.settings import ProfilesSettings
from servicekit.consumer import DeadLetters, InboxProcessor, WakingProcessor, registry, subscribe
from servicekit.db import create_engine, session_factory
from servicekit.kafka import create_producer
from servicekit.progress import ProgressProbe
from servicekit.relay import OutboxRelay
from servicekit.runtime import tune_gc
from servicekit.telemetry import setup_telemetry

PRODUCER = "profiles/0.1.0"
log = logging.getLogger(__name__)


@dataclass
class Profiles:
    """Everything a request, the consumer or a command needs, built once per process."""

    settings: ProfilesSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    relay: OutboxRelay
    publishing: Publishing
    progress: ProgressProbe
    trust_progress: ProgressProbe
    broker: KafkaBroker | None = None
    dead_letter_producer: AIOKafkaProducer | None = field(default=None)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Run the relay and (if configured) the paper.seen consumer until the block exits."""
        relay_task = asyncio.create_task(self.relay.run()) if self.settings.run_relay else None
        try:
            if self.settings.run_consumer:
                await self._start_consumer()
            yield
        finally:
            if self.broker is not None:
                await self.broker.stop()
                self.broker = None
            if self.dead_letter_producer is not None:
                await self.dead_letter_producer.stop()
                self.dead_letter_producer = None
            self.relay.stop()
            if relay_task is not None:
                with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                    await asyncio.wait_for(relay_task, timeout=self.settings.shutdown_grace_seconds)
            await self.progress.close()
            await self.trust_progress.close()
            await self.engine.dispose()

    async def _start_consumer(self) -> None:
        settings = self.settings
        tune_gc()
        producer = create_producer(settings, client_id="profiles-dlq")
        await producer.start()
        self.dead_letter_producer = producer
        processor = WakingProcessor(
            wake=self.relay.wake,
            sessions=self.sessions,
            inbox=inbox,
            known=registry([PAPER_SEEN]),
            handle=paper_seen_handler(self.publishing),
            dead_letters=DeadLetters(producer, settings.consumer_group),
        )
        broker = KafkaBroker(settings.kafka_bootstrap_servers, client_id="profiles")
        subscribe(
            broker,
            PAPER_SEEN,
            prefix=settings.topic_prefix,
            group_id=settings.consumer_group,
            processor=processor,
            max_records=settings.consume_batch,
            retry_delay=settings.retry_delay,
            fetch_min_bytes=settings.fetch_min_bytes,
            fetch_max_wait_ms=settings.fetch_max_wait_ms,
        )
        # Trust snapshots arrive on their own subscriber (same group): a short transaction each, no outbox.
        trust = InboxProcessor(
            sessions=self.sessions,
            inbox=inbox,
            known=registry([TRUST_CHANGED]),
            handle=trust_changed_handler(),
            dead_letters=DeadLetters(producer, settings.consumer_group),
        )
        subscribe(
            broker,
            TRUST_CHANGED,
            prefix=settings.topic_prefix,
            group_id=settings.consumer_group,
            processor=trust,
            max_records=settings.consume_batch,
            retry_delay=settings.retry_delay,
        )
        await broker.start()
        self.broker = broker


def bootstrap(settings: ProfilesSettings | None = None) -> Profiles:
    """Wire profiles from settings (read from the environment when not given)."""
    settings = settings or ProfilesSettings()
    setup_telemetry(settings)
    engine = create_engine(settings, fast_json=True)
    sessions = session_factory(engine)
    relay = OutboxRelay(
        service=settings.service_name,
        sessions=sessions,
        table=outbox,
        producer_factory=lambda: create_producer(settings, client_id="profiles-relay"),
        batch_size=settings.relay_batch_size,
        poll_interval=settings.relay_poll_interval,
    )
    return Profiles(
        settings=settings,
        engine=engine,
        sessions=sessions,
        relay=relay,
        publishing=Publishing(producer=PRODUCER, topic_prefix=settings.topic_prefix),
        progress=ProgressProbe(
            settings.kafka_bootstrap_servers, settings.consumer_group, topic_name(PAPER_SEEN, settings.topic_prefix)
        ),
        trust_progress=ProgressProbe(
            settings.kafka_bootstrap_servers, settings.consumer_group, topic_name(TRUST_CHANGED, settings.topic_prefix)
        ),
    )
