"""The consumer's batch handler: decoded, deduplicated deliveries in, the batch applied on the inbox's session."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from opentelemetry import trace
from prometheus_client import Counter, Histogram
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.consumer import Delivery
from servicekit.outbox import OutboxRepository
from trust.db.repository import TrustRepository
from trust.db.snapshots import SnapshotStore
from trust.db.tables import outbox
from trust.policy import Policy
from trust.service import BatchApplier, Publishing

tracer = trace.get_tracer("trust")
APPLIED = Counter("trust_events_applied_total", "Events applied to trust's facts")
CHANGED = Counter("trust_snapshots_changed_total", "Snapshots that changed (and were published)")
BATCH_SECONDS = Histogram(
    "trust_batch_seconds",
    "Time to apply one consumer batch (inside its transaction)",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


def batch_handler(policy: Policy, publishing: Publishing) -> Callable[[AsyncSession, list[Delivery]], Awaitable[None]]:
    """The InboxProcessor handler: apply the batch's new events, then rescore each touched researcher once."""

    async def handle(session: AsyncSession, deliveries: list[Delivery]) -> None:
        events = [d.event for d in deliveries]
        with tracer.start_as_current_span("trust.apply_batch") as span, BATCH_SECONDS.time():
            span.set_attribute("sightline.batch_size", len(events))
            applier = BatchApplier(
                TrustRepository(session),
                SnapshotStore(session),
                OutboxRepository(session, outbox),
                policy=policy,
                publishing=publishing,
                now=datetime.now(UTC),
            )
            changed = await applier.apply(events)
        APPLIED.inc(len(events))
        CHANGED.inc(changed)

    return handle
