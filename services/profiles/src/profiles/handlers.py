"""The paper.seen batch handler: decoded, deduplicated deliveries in, the batch applied on the inbox's session."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from opentelemetry import trace
from prometheus_client import Counter, Histogram
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import PaperSeenV1, TrustChangedV1
from profiles.db.repository import ProfilesRepository
from profiles.db.researcher_cache import ResearcherCache
from profiles.db.tables import outbox
from profiles.db.trust import TrustSnapshots
from profiles.service import BatchApplier, Publishing, utcnow
from servicekit.consumer import Delivery
from servicekit.outbox import OutboxRepository

tracer = trace.get_tracer("profiles")
APPLIED = Counter("profiles_events_applied_total", "paper.seen events applied to works and researchers")
BATCH_SECONDS = Histogram(
    "profiles_batch_seconds",
    "Time to apply one consumer batch (inside its transaction)",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
TRUST_APPLIED = Counter("profiles_trust_snapshots_applied_total", "trust.changed events applied to profiles")


def paper_seen_handler(publishing: Publishing) -> Callable[[AsyncSession, list[Delivery]], Awaitable[None]]:
    """The InboxProcessor handler: apply the new paper.seen events of a batch in the inbox's transaction."""
    cache = ResearcherCache()

    async def handle(session: AsyncSession, deliveries: list[Delivery]) -> None:
        events = [d.event for d in deliveries if isinstance(d.event, PaperSeenV1)]
        if not events:
            return
        with tracer.start_as_current_span("profiles.apply_batch") as span, BATCH_SECONDS.time():
            span.set_attribute("sightline.batch_size", len(events))
            await apply_batch(session, events, publishing, cache, utcnow())
        APPLIED.inc(len(events))

    return handle


async def apply_batch(
    session: AsyncSession, events: Sequence[PaperSeenV1], publishing: Publishing, cache: ResearcherCache, now: datetime
) -> None:
    """Apply events on the session's transaction; its researchers go to the cache once (and only if) it commits."""
    repo = ProfilesRepository(session, cache)
    applier = BatchApplier(repo, OutboxRepository(session, outbox), publishing, now)
    await applier.apply(events)
    committed = repo.committed(applier.state.researchers.values())
    event.listen(session.sync_session, "after_commit", lambda _: cache.keep(committed), once=True)


def trust_changed_handler() -> Callable[[AsyncSession, list[Delivery]], Awaitable[None]]:
    """The InboxProcessor handler of trust.changed: keep each researcher's newest trust snapshot."""

    async def handle(session: AsyncSession, deliveries: list[Delivery]) -> None:
        snapshots = [d.event.data for d in deliveries if isinstance(d.event, TrustChangedV1)]
        await TrustSnapshots(session).save(snapshots)
        TRUST_APPLIED.inc(len(snapshots))

    return handle
