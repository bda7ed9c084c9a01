"""The composition root: builds profiles' engine, sessions, relay, consumer and progress probe from settings."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

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
from servicekit.lifecycle import Consumer, service_running, start_consumer
from servicekit.progress import ProgressProbe
from servicekit.relay import OutboxRelay
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
    consumer: Consumer | None = None

    @property
    def broker(self) -> KafkaBroker | None:
        """The consuming broker while the consumer runs."""
        return self.consumer.broker if self.consumer is not None else None

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Run the relay and (if configured) the paper.seen and trust.changed consumer until the block exits."""
        async with service_running(
            relay=self.relay,
            run_relay=self.settings.run_relay,
            engine=self.engine,
            consume=self._consume if self.settings.run_consumer else None,
            grace_seconds=self.settings.shutdown_grace_seconds,
            closing=(self.progress.close, self.trust_progress.close),
        ) as consumer:
            self.consumer = consumer
            try:
                yield
            finally:
                self.consumer = None

    async def _consume(self) -> Consumer:
        settings = self.settings
        return await start_consumer(settings, settings.consumer_group, self._subscribe)

    def _subscribe(self, broker: KafkaBroker, dead_letters: DeadLetters) -> None:
        settings = self.settings
        processor = WakingProcessor(
            wake=self.relay.wake,
            sessions=self.sessions,
            inbox=inbox,
            known=registry([PAPER_SEEN]),
            handle=paper_seen_handler(self.publishing),
            dead_letters=dead_letters,
        )
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
            dead_letters=dead_letters,
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
