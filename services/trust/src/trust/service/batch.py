"""One consumer batch: store the facts the events carry, then rescore every researcher they touched, once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from contracts import Envelope, PaperSeenV1, ResearcherMergedV1, ResearcherSplitV1, WorkAttributedV1
from servicekit.outbox import OutboxRepository
from trust.db.repository import TrustRepository, WorkRow
from trust.db.snapshots import SnapshotStore
from trust.domain import SourceStats, contributions, shifted, trusted_crossed
from trust.policy import Policy
from trust.service.events import Publishing
from trust.service.incoming import identified, sighting_row
from trust.service.scoring import recompute


def resolve(researcher_id: str, redirects: dict[str, str]) -> str:
    """Follow merges to the live researcher."""
    seen = {researcher_id}
    while researcher_id in redirects and redirects[researcher_id] not in seen:
        researcher_id = redirects[researcher_id]
        seen.add(researcher_id)
    return researcher_id


class BatchApplier:
    """Applies a batch of paper.seen, work.attributed and researcher.changes events on one session."""

    def __init__(
        self,
        repo: TrustRepository,
        store: SnapshotStore,
        outbox: OutboxRepository,
        *,
        policy: Policy,
        publishing: Publishing,
        now: datetime,
    ) -> None:
        """Wire the batch's SQL, the policy and the outbox."""
        self._repo, self._store, self._outbox = repo, store, outbox
        self._policy, self._publishing, self._now = policy, publishing, now
        self.touched: set[str] = set()
        self.retired: set[str] = set()

    async def apply(self, events: Sequence[Envelope]) -> int:
        """Store every fact, then rescore the touched researchers; returns how many snapshots changed."""
        sightings = [e for e in events if isinstance(e, PaperSeenV1)]
        attributed = [e for e in events if isinstance(e, WorkAttributedV1)]
        merges = [e for e in events if isinstance(e, ResearcherMergedV1)]
        splits = [e for e in events if isinstance(e, ResearcherSplitV1)]
        await self._repo.add_sightings([sighting_row(e) for e in sightings])
        stats_before = await self._store.source_stats()
        mentioned = {a.researcher_id for e in attributed for a in e.data.authors}
        mentioned |= {r for e in merges for r in (e.data.loser_id, e.data.survivor_id)}
        mentioned |= {r for e in splits for r in (e.data.researcher_id, *(p.researcher_id for p in e.data.parts))}
        # A researcher's co-authors score its standing as a trusted co-author: whoever crosses that line in this
        # batch has its co-authors rescored too, so snapshots do not depend on where batches begin and end.
        works = {e.data.work_id for e in attributed} | {m for e in attributed for m in e.data.merged_work_ids}
        standing = mentioned | await self._repo.researchers_of_works(works)
        identified_before = await self._repo.identified_counts(standing)
        redirects = await self._merge(merges, mentioned)
        await self._attribute(attributed, redirects)
        for event in splits:
            split = event.data
            self.touched.add(resolve(split.researcher_id, redirects))
            for part in split.parts:
                target = resolve(part.researcher_id, redirects)
                await self._repo.split(resolve(split.researcher_id, redirects), target, part.work_ids)
                self.touched.add(target)
        if sightings:
            keys = await self._repo.works_of_keys(e.data.work_key for e in sightings)
            self.touched |= await self._repo.researchers_of_works(keys.values())
        # A source crossing a reputation threshold changes the scores of everyone it saw, touched or not: rescoring
        # them keeps every snapshot a function of the facts, whatever the batch boundaries were.
        moved = shifted(stats_before, await self._store.source_stats(), self._policy)
        if moved:
            self.touched |= await self._repo.researchers_of_sources(moved)
        standing |= self.touched
        crossed = trusted_crossed(
            identified_before, await self._repo.identified_counts(standing), standing, self._policy
        )
        if crossed:
            self.touched |= await self._repo.coauthors_of(crossed)
        await self._store.delete(self.retired)
        live = {r for r in self.touched if r not in redirects}
        return await recompute(
            live, self._store, self._repo, self._outbox, policy=self._policy, publishing=self._publishing, now=self._now
        )

    async def _merge(self, merges: Sequence[ResearcherMergedV1], mentioned: set[str]) -> dict[str, str]:
        redirects = await self._repo.redirects(mentioned)
        moves = {}
        for event in merges:
            loser, survivor = event.data.loser_id, event.data.survivor_id
            if loser == resolve(survivor, redirects):
                continue  # a later merge went the other way: keep the newest direction
            redirects[loser] = survivor
            moves[loser] = survivor
            self.retired.add(loser)
        final = {loser: resolve(loser, redirects) for loser in moves}
        await self._repo.add_redirects(final)
        self.touched |= set(final.values())
        return redirects

    async def _attribute(self, events: Sequence[WorkAttributedV1], redirects: dict[str, str]) -> None:
        if not events:
            return
        ids = {e.data.work_id for e in events} | {m for e in events for m in e.data.merged_work_ids}
        works = await self._repo.load_works(ids)
        slots = await self._repo.load_authorships(ids)
        before = {w.id: list(w.sources) if w.merged_into is None else [] for w in works.values()}
        keys: dict[str, str] = {}
        moved: dict[str, str] = {}
        changed: dict[str, dict[int, tuple[str, str]]] = {}
        for event in events:
            data = event.data
            work = works.setdefault(data.work_id, WorkRow(data.work_id))
            if work.merged_into is not None:
                continue  # a stale event of a work merged since: its survivor's events carry its authors
            for merged_id in data.merged_work_ids:
                merged = works.setdefault(merged_id, WorkRow(merged_id))
                if merged.merged_into is None and merged_id != work.id:
                    merged.merged_into = work.id
                    work.sources = sorted({*work.sources, *merged.sources})
                    work.identified |= merged.identified
                    moved[merged_id] = work.id
                    self.touched |= {r for r, _ in slots.get(merged_id, {}).values()}
                    changed[merged_id] = {}
            keys[data.work_key] = work.id
            work.sources = sorted({*work.sources, data.source})
            work.identified |= identified(data.work_key)
            work.year, work.topic_ids = data.year, list(data.topic_ids)
            self.touched |= {r for r, _ in slots.get(work.id, {}).values()}
            slots[work.id] = {a.position: (resolve(a.researcher_id, redirects), a.name) for a in data.authors}
            changed[work.id] = slots[work.id]
            self.touched |= {r for r, _ in slots[work.id].values()}
        await self._repo.save_works([works[w] for w in sorted(changed)])
        await self._repo.repoint_work_keys(moved)
        await self._repo.save_work_keys(keys)
        await self._repo.replace_authorships(changed)
        await self._repo.add_source_stats(self._stats_delta(before, {w: works[w] for w in changed}))

    def _stats_delta(self, before: dict[str, list[str]], after: dict[str, WorkRow]) -> dict[str, SourceStats]:
        delta: dict[str, list[int]] = {}
        for work_id, work in after.items():
            old = contributions(before.get(work_id, []), self._policy)
            new = contributions(work.sources if work.merged_into is None else [], self._policy)
            for source, stats in old.items():
                entry = delta.setdefault(source, [0, 0])
                entry[0] -= stats.works
                entry[1] -= stats.corroborated
            for source, stats in new.items():
                entry = delta.setdefault(source, [0, 0])
                entry[0] += stats.works
                entry[1] += stats.corroborated
        return {s: SourceStats(w, c) for s, (w, c) in delta.items()}
