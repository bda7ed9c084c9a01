"""A full recompute: source stats recounted, then every researcher rescored in chunks (a policy change, a command)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from servicekit.outbox import OutboxRepository
from trust.db.repository import TrustRepository
from trust.db.snapshots import SnapshotStore
from trust.db.tables import outbox
from trust.domain import SourceStats, contributions
from trust.policy import Policy
from trust.service.events import Publishing
from trust.service.scoring import recompute

log = logging.getLogger(__name__)
# One full recompute at a time across replicas (a session-level advisory lock).
RECOMPUTE_LOCK = 7_305_221


async def recompute_all(
    sessions: async_sessionmaker[AsyncSession],
    policy: Policy,
    publishing: Publishing,
    *,
    chunk: int = 500,
    only_if_policy_changed: bool = True,
    on_chunk: Callable[[], None] | None = None,
) -> int | None:
    """Rescore everyone under `policy`; None when the stored policy is already this one (and only then asked)."""
    async with sessions() as guard:
        await guard.execute(text("SELECT pg_advisory_lock(:k)"), {"k": RECOMPUTE_LOCK})
        try:
            stored = await SnapshotStore(guard).policy_version()
            await guard.commit()
            if only_if_policy_changed and stored == policy.version:
                return None
            log.info("recomputing every snapshot: policy %s (stored %s)", policy.version, stored)
            changed = await _run(sessions, policy, publishing, chunk, on_chunk)
            async with sessions() as session, session.begin():
                await SnapshotStore(session).set_policy_version(policy.version)
            return changed
        finally:
            await guard.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": RECOMPUTE_LOCK})
            await guard.commit()


async def _run(
    sessions: async_sessionmaker[AsyncSession],
    policy: Policy,
    publishing: Publishing,
    chunk: int,
    on_chunk: Callable[[], None] | None,
) -> int:
    async with sessions() as session, session.begin():
        store = SnapshotStore(session)
        totals: dict[str, list[int]] = {}
        for sources in await store.live_work_sources():
            for source, stats in contributions(sources, policy).items():
                entry = totals.setdefault(source, [0, 0])
                entry[0] += stats.works
                entry[1] += stats.corroborated
        await store.replace_source_stats({s: SourceStats(w, c) for s, (w, c) in sorted(totals.items())})
    changed, after = 0, ""
    while True:
        async with sessions() as session, session.begin():
            store = SnapshotStore(session)
            ids = await store.scored_researchers(after, chunk)
            if not ids:
                return changed
            now = datetime.now(UTC)
            repo, queue = TrustRepository(session), OutboxRepository(session, outbox)
            changed += await recompute(ids, store, repo, queue, policy=policy, publishing=publishing, now=now)
            after = ids[-1]
        if on_chunk is not None:
            on_chunk()
