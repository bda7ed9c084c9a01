"""Recompute researchers' snapshots from stored facts; write the changed ones to history and the outbox."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from servicekit.outbox import OutboxRepository
from trust.db.repository import TrustRepository
from trust.db.snapshots import SnapshotStore, StoredSnapshot
from trust.domain import Snapshot, reputations, snapshot
from trust.policy import Policy
from trust.service.events import Publishing, trust_changed

CHUNK = 5000


async def recompute(
    ids: Iterable[str],
    store: SnapshotStore,
    repo: TrustRepository,
    outbox: OutboxRepository,
    *,
    policy: Policy,
    publishing: Publishing,
    now: datetime,
) -> int:
    """Score each researcher once; returns how many snapshots changed (and were published)."""
    researcher_ids = sorted(set(ids))
    if not researcher_ids:
        return 0
    await repo.lock_researchers(researcher_ids)
    reputation = reputations(await store.source_stats(), policy)
    changed_count = 0
    # In chunks, so a source changing standing (thousands of researchers at once) loads their facts piecewise.
    for start in range(0, len(researcher_ids), CHUNK):
        chunk = researcher_ids[start : start + CHUNK]
        facts = await store.facts(chunk)
        heads = await store.heads(chunk)
        rows, changed = [], []
        for researcher in chunk:
            head = heads.get(researcher)
            known = facts[researcher]
            if head is None and not known.works:
                continue
            row = stored(snapshot(known, reputation, policy), head, now)
            rows.append(row)
            if head is None or head[1] != row.digest:
                changed.append(row)
        await store.save(rows, changed)
        await outbox.add_many([trust_changed(row, publishing, now) for row in changed])
        changed_count += len(changed)
    return changed_count


def stored(snap: Snapshot, head: tuple[int, str] | None, now: datetime) -> StoredSnapshot:
    """The row of a computed snapshot: a new revision when its digest differs from the stored one."""
    digest = snap.digest
    revision = 1 if head is None else head[0] + (head[1] != digest)
    return StoredSnapshot(
        researcher_id=snap.researcher_id,
        revision=revision,
        score=snap.score,
        band=snap.band,
        verification_level=snap.verification.level,
        verification_rule=snap.verification.rule,
        verification_evidence=snap.verification.evidence.document(),
        claimed=snap.claimed,
        policy_version=snap.policy_version,
        digest=digest,
        components=[c.document() for c in snap.components],
        flags=list(snap.flags),
        computed_at=now,
    )
