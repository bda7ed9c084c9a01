"""The batch driver: lock, load, run the phases in order, write."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import groupby

from contracts import PaperSeenV1
from profiles.db.repository import ProfilesRepository
from profiles.disambiguation import distinct_terms, mention_terms
from profiles.names import block_keys
from profiles.service import researchers
from profiles.service.incoming import Incoming, Publishing, lock_keys, prepare
from profiles.service.renames import rename_researchers, rename_works
from profiles.service.state import BatchState, Stats
from profiles.service.works import apply_sighting
from profiles.service.writes import write
from servicekit.outbox import OutboxRepository


class BatchApplier:
    """Applies one batch of events on one session; `apply` returns the number of events applied."""

    def __init__(self, repo: ProfilesRepository, outbox: OutboxRepository, publishing: Publishing, now: datetime):
        """Bind the repositories of the transaction."""
        self.repo, self.outbox, self.publishing = repo, outbox, publishing
        self.state = BatchState(now)

    async def apply(self, events: Sequence[PaperSeenV1]) -> int:
        """Apply the events (sorted by seen_at, key, id, so a batch is processed the same way every time)."""
        b = self.state
        ordered = sorted(events, key=lambda e: (e.data.seen_at, e.data.work_key, str(e.event_id)))
        batch = [prepare(e) for e in ordered]
        await self.repo.lock(lock_keys(batch))
        await self._load(batch)
        for item in batch:
            apply_sighting(b, item)
        rename_works(b)
        mentions = researchers.mentions(b)
        terms = [mention_terms(m) for _, _, m in mentions]
        firsts = [distinct_terms(m) for _, _, m in mentions]
        wanted = [t for found in terms for t in found] + [t for first in firsts for _, t in first]
        b.stats = Stats(await self.repo.corpus_counts(wanted))
        researchers.apply_orcid_updates(b)
        for _, run in groupby(zip(mentions, terms, firsts, strict=True), key=lambda m: m[0][0].id):
            work_mentions = list(run)
            # A work's mentions are counted before any is assigned, as the engine's weights were learned
            # (Replay.add_work): a name's own mention counts toward how common it is, or names look rarer
            # than in training and join too readily.
            for _, found, first in work_mentions:
                b.stats.count(found, first)
            for (work, slot, mention), _, _ in work_mentions:
                researchers.place(b, work, slot, mention)
        researchers.merge_pass(b)
        rename_researchers(b)
        await write(b, self.repo, self.outbox, self.publishing)
        return len(batch)

    async def _load(self, batch: Sequence[Incoming]) -> None:
        b = self.state
        idents = sorted({i for item in batch for i in item.idents})
        b.ident_map = await self.repo.work_ids_for(idents)
        prints = sorted({item.print for item in batch if item.print})
        titled = await self.repo.work_ids_with_titles(prints)
        b.works = await self.repo.load_works({*b.ident_map.values(), *titled})
        for work in b.works.values():
            if work.merged_into is None:
                b.index_title(work)
        keys = sorted({k for item in batch for _, _, parsed in item.authors for k in block_keys(parsed)})
        b.blocks = await self.repo.researcher_ids_in_blocks(keys)
        referenced = {a.researcher_id for w in b.works.values() for a in w.authorships.values()}
        orcids = {a.orcid for item in batch for _, a, _ in item.authors if a.orcid}
        b.researchers = await self.repo.load_researchers(
            referenced | {r for ids in b.blocks.values() for r in ids}, orcids
        )
        b.orcids = {r.orcid: r.id for r in b.researchers.values() if r.orcid and r.merged_into is None}
