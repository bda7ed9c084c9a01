"""The composition root: builds trust's engine, sessions, relay, consumer and progress probes from settings."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

from faststream.kafka import KafkaBroker
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from contracts import PAPER_SEEN, RESEARCHER_CHANGES, WORK_ATTRIBUTED, TopicSpec, topic_name
from servicekit.consumer import DeadLetters, WakingProcessor, registry, subscribe
from servicekit.db import create_engine, session_factory
from servicekit.kafka import create_producer
from servicekit.lifecycle import Consumer, service_running, start_consumer
from servicekit.progress import GroupProgress, ProgressProbe
from servicekit.relay import OutboxRelay
from servicekit.telemetry import setup_telemetry
from trust.db.tables import inbox, outbox
from trust.handlers import batch_handler
from trust.policy import POLICY, Policy
from trust.service import Publishing, recompute_all
from trust.settings import TrustSettings

PRODUCER = "trust/0.1.0"
# What trust consumes, in one consumer group and one batch stream.
CONSUMED: tuple[TopicSpec, ...] = (PAPER_SEEN, WORK_ATTRIBUTED, RESEARCHER_CHANGES)
log = logging.getLogger(__name__)


@dataclass
class Trust:
    """Everything a request, the consumer or a command needs, built once per process."""

    settings: TrustSettings
    policy: Policy
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    relay: OutboxRelay
    publishing: Publishing
    progress: tuple[ProgressProbe, ...]
    consumer: Consumer | None = None

    async def measure(self) -> list[GroupProgress]:
        """The group's progress on every consumed topic."""
        return [await probe.measure() for probe in self.progress]

    async def recompute(self, *, only_if_policy_changed: bool) -> int | None:
        """Rescore every researcher (when the stored policy differs, or always); the relay is woken per chunk."""
        return await recompute_all(
            self.sessions,
            self.policy,
            self.publishing,
            chunk=self.settings.recompute_chunk,
            only_if_policy_changed=only_if_policy_changed,
            on_chunk=self.relay.wake,
        )

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Run the relay and (if configured) the consumer until the block exits; a changed policy recomputes first."""
        async with service_running(
            relay=self.relay,
            run_relay=self.settings.run_relay,
            engine=self.engine,
            consume=self._consume if self.settings.run_consumer else None,
            grace_seconds=self.settings.shutdown_grace_seconds,
            closing=tuple(probe.close for probe in self.progress),
        ) as consumer:
            self.consumer = consumer
            try:
                yield
            finally:
                self.consumer = None

    async def _consume(self) -> Consumer:
        changed = await self.recompute(only_if_policy_changed=True)
        if changed is not None:
            log.info("policy %s: %d snapshots changed", self.policy.version, changed)
        return await start_consumer(self.settings, self.settings.consumer_group, self._subscribe)

    def _subscribe(self, broker: KafkaBroker, dead_letters: DeadLetters) -> None:
        settings = self.settings
        processor = WakingProcessor(
            wake=self.relay.wake,
            sessions=self.sessions,
            inbox=inbox,
            known=registry(CONSUMED),
            handle=batch_handler(self.policy, self.publishing),
            dead_letters=dead_letters,
        )
        subscribe(
            broker,
            CONSUMED,
            prefix=settings.topic_prefix,
            group_id=settings.consumer_group,
            processor=processor,
            max_records=settings.consume_batch,
            retry_delay=settings.retry_delay,
            fetch_min_bytes=settings.fetch_min_bytes,
            fetch_max_wait_ms=settings.fetch_max_wait_ms,
        )


def bootstrap(settings: TrustSettings | None = None, policy: Policy = POLICY) -> Trust:
    """Wire trust from settings (read from the environment when not given) and a scoring policy."""
    settings = settings or TrustSettings()
    setup_telemetry(settings)
    engine = create_engine(settings, fast_json=True)
    sessions = session_factory(engine)
    relay = OutboxRelay(
        service=settings.service_name,
        sessions=sessions,
        table=outbox,
        producer_factory=lambda: create_producer(settings, client_id="trust-relay"),
        batch_size=settings.relay_batch_size,
        poll_interval=settings.relay_poll_interval,
    )
    bootstrap_servers, group = settings.kafka_bootstrap_servers, settings.consumer_group
    return Trust(
        settings=settings,
        policy=policy,
        engine=engine,
        sessions=sessions,
        relay=relay,
        publishing=Publishing(producer=PRODUCER, topic_prefix=settings.topic_prefix),
        progress=tuple(
            ProgressProbe(bootstrap_servers, group, topic_name(spec, settings.topic_prefix)) for spec in CONSUMED
        ),
    )
