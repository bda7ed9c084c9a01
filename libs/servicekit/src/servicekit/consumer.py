"""Consuming events exactly once in effect: decode, dead-letter the undecodable, apply new ones with the inbox."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from pydantic import ValidationError
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts import Envelope, TopicSpec, topic_name
from servicekit.inbox import InboxRepository
from servicekit.runtime import collector_paused

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    """A decoded event and where it came from."""

    event: Envelope
    topic: str
    partition: int
    offset: int
    headers: dict[str, str]


@dataclass(frozen=True)
class Undeliverable:
    """A record no handler can ever process, and why."""

    record: Any
    reason: str


Registry = Mapping[tuple[str, int], type[Envelope]]
BatchHandler = Callable[[AsyncSession, list[Delivery]], Awaitable[None]]


def registry(specs: Sequence[TopicSpec]) -> Registry:
    """(event_type, schema_version) -> model, for every event the topics carry."""
    known: dict[tuple[str, int], type[Envelope]] = {}
    for spec in specs:
        for model in spec.events:
            fields = model.model_fields
            assert issubclass(model, Envelope)
            known[(str(fields["event_type"].default), int(fields["schema_version"].default))] = model
    return known


def decode(record: Any, known: Registry) -> Delivery | Undeliverable:
    """Parse one Kafka record into its contract model, or say why it cannot be."""
    headers = {key: value.decode("utf-8", "replace") for key, value in (record.headers or ())}
    try:
        document = orjson.loads(record.value or b"")
    except orjson.JSONDecodeError as exc:
        return Undeliverable(record, f"not JSON: {exc}")
    if not isinstance(document, dict):
        return Undeliverable(record, "not a JSON object")
    kind = (str(document.get("event_type")), _int(document.get("schema_version")))
    model = known.get(kind)
    if model is None:
        return Undeliverable(record, f"unknown event {kind[0]} v{kind[1]} (this consumer knows {sorted(known)})")
    try:
        event = model.model_validate(document)
    except ValidationError as exc:
        return Undeliverable(record, f"invalid {kind[0]} v{kind[1]}: {exc.errors(include_url=False)[:3]}")
    return Delivery(event, record.topic, record.partition, record.offset, headers)


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


class DeadLetters:
    """Publishes undecodable records to `<topic>.dlq` with the reason and origin in headers (acks=all)."""

    def __init__(self, producer: AIOKafkaProducer, consumer: str) -> None:
        """Use a started durable producer; `consumer` names who gave up (its group)."""
        self._producer = producer
        self._consumer = consumer

    async def publish(self, failures: Sequence[Undeliverable]) -> None:
        """Park every failure; returns once Kafka acknowledged them all."""
        futures = []
        for failure in failures:
            record = failure.record
            headers = [
                *(record.headers or ()),
                ("dlq.error", failure.reason[:2000].encode()),
                ("dlq.consumer", self._consumer.encode()),
                ("dlq.topic", record.topic.encode()),
                ("dlq.partition", str(record.partition).encode()),
                ("dlq.offset", str(record.offset).encode()),
            ]
            target = f"{record.topic}.dlq"
            futures.append(await self._producer.send(target, value=record.value, key=record.key, headers=headers))
            log.warning("dead-lettered %s[%d]@%d: %s", record.topic, record.partition, record.offset, failure.reason)
        await asyncio.gather(*futures)


class InboxProcessor:
    """Applies each batch once in effect: new event ids and the handler's writes commit in one transaction."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        inbox: Table,
        known: Registry,
        handle: BatchHandler,
        dead_letters: DeadLetters,
    ) -> None:
        """Wire the database, the inbox table, the events understood, the handler and the dead-letter sink."""
        self._sessions = sessions
        self._inbox = inbox
        self._known = known
        self._handle = handle
        self._dead_letters = dead_letters

    async def process(self, records: Sequence[Any]) -> int:
        """Process a batch; returns how many events were new. Raises (so the batch is redelivered) on faults."""
        decoded = [decode(record, self._known) for record in records]
        failures = [d for d in decoded if isinstance(d, Undeliverable)]
        if failures:
            await self._dead_letters.publish(failures)
        deliveries = [d for d in decoded if isinstance(d, Delivery)]
        async with self._sessions() as session, session.begin():
            entries = [(d.event.event_id, d.topic, d.partition, d.offset) for d in deliveries]
            new = await InboxRepository(session, self._inbox).claim(entries)
            # A batch may hold the same event twice (a producer retry, a replayed range): apply it once.
            fresh = []
            for delivery in deliveries:
                if delivery.event.event_id in new:
                    new.discard(delivery.event.event_id)
                    fresh.append(delivery)
            if fresh:
                await self._handle(session, fresh)
        return len(fresh)


class WakingProcessor(InboxProcessor):
    """An InboxProcessor that wakes the outbox relay once a batch committed (events leave at once)."""

    def __init__(self, *, wake: Callable[[], None], **kwargs: Any) -> None:
        """`wake` is called after every committed batch that applied something."""
        super().__init__(**kwargs)
        self._wake = wake

    async def process(self, records: Sequence[Any]) -> int:
        """Process the batch (without cyclic collection), then wake the relay."""
        with collector_paused():
            applied = await super().process(records)
        if applied:
            self._wake()
        return applied


def subscribe(
    broker: KafkaBroker,
    spec: TopicSpec | Sequence[TopicSpec],
    *,
    prefix: str,
    group_id: str,
    processor: InboxProcessor,
    max_records: int = 500,
    retry_delay: float = 1.0,
    fetch_min_bytes: int = 1,
    fetch_max_wait_ms: int = 500,
) -> None:
    """Consume `spec` (one topic or several, mixed in one batch) in batches; offsets committed after the commit.

    A consumer whose per-batch cost is high (one transaction, one offset commit) may raise `fetch_min_bytes`: the
    broker then waits up to `fetch_max_wait_ms` to fill a fetch, so batches come near `max_records` under load.
    """

    specs = [spec] if isinstance(spec, TopicSpec) else list(spec)

    @broker.subscriber(
        *(topic_name(s, prefix) for s in specs),
        group_id=group_id,
        batch=True,
        max_records=max_records,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        fetch_min_bytes=fetch_min_bytes,
        fetch_max_wait_ms=fetch_max_wait_ms,
    )
    async def on_batch(body: list[Any], message: KafkaMessage) -> None:
        try:
            await processor.process(message.raw_message)
        except Exception:
            # Redelivered from the first record after a pause, so a database outage is not a hot loop.
            log.exception("batch failed; it will be redelivered")
            await asyncio.sleep(retry_delay)
            raise
