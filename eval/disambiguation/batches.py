"""Service-like replays: records interleaved from 12 partitions into batches, each followed by the merge pass."""

from __future__ import annotations

import random
import time
import zlib
from collections.abc import Sequence

from eval.disambiguation.data import Work, mentions
from eval.disambiguation.dump import Recorder
from eval.disambiguation.run import Outcome, Slot
from profiles.disambiguation import Weights
from profiles.disambiguation.features import features
from profiles.disambiguation.replay import Replay

PARTITIONS = 12
MAX_BATCH = 1_000
# A fetch returns a run of consecutive records of one partition; this bounds the run.
MAX_RUN = 200


def service_batches(imports: Sequence[Sequence[Work]], seed: int) -> list[list[Work]]:
    """The works of one or more imports, in import order, spread over partitions by key and consumed in batches
    of up to 1,000 (`make eval-disambiguation` imports MEDLINE, then DBLP, into one corpus).

    Each batch takes runs of consecutive records from partitions picked at random until it reaches a random size,
    and is then sorted as the service sorts it, by (seen_at, work key): one import shares a seen_at, a later import
    a later one. The seed also salts the partitioner, so orders differ in which records share a partition.
    """
    rng = random.Random(seed)
    queues: list[list[tuple[int, Work]]] = [[] for _ in range(PARTITIONS)]
    for seen, works in enumerate(imports):
        for work in works:
            queues[zlib.crc32(f"{seed}:{work.key}".encode()) % PARTITIONS].append((seen, work))
    heads = [0] * PARTITIONS
    batches: list[list[Work]] = []
    while any(heads[p] < len(queues[p]) for p in range(PARTITIONS)):
        size = rng.randint(1, MAX_BATCH)
        batch: list[tuple[int, Work]] = []
        while len(batch) < size:
            open_ = [p for p in range(PARTITIONS) if heads[p] < len(queues[p])]
            if not open_:
                break
            p = rng.choice(open_)
            take = min(rng.randint(1, MAX_RUN), size - len(batch))
            batch += queues[p][heads[p] : heads[p] + take]
            heads[p] += take
        batches.append([work for _, work in sorted(batch, key=lambda s: (s[0], s[1].key))])
    return batches


def replay_batches(batches: Sequence[Sequence[Work]], weights: Weights, recorder: Recorder | None = None) -> Outcome:
    """Each batch as the service applies it: every work counted then placed slot by slot, then `find_merges` over
    the blocks where the batch founded a researcher, focused on the researchers the batch changed. No final pass:
    the service has none."""
    engine = Replay(weights)
    slots: dict[Slot, str] = {}
    merges = count = 0
    started = time.perf_counter()
    for batch in batches:
        founded: set[str] = set()
        touched: set[str] = set()
        dirty: set[str] = set()
        for work in batch:
            work_mentions = mentions(work)
            placed = engine.add_work(work_mentions)
            decisions = engine.decisions[len(engine.decisions) - len(placed) :]
            for mention, researcher, decision in zip(work_mentions, placed, decisions, strict=True):
                slot = (mention.work_id, mention.position)
                slots[slot] = researcher
                if decision.researcher_id is None:
                    founded.update(features(mention).keys)
                if recorder:
                    recorder.placed(slot, researcher, decision)
                touched.update(engine.profiles[researcher].block_keys())
                dirty.add(researcher)
            count += len(work_mentions)
        focus = {engine.resolve(r) for r in dirty}
        for key in sorted(founded & touched):
            ids = engine.index.get(key, [])
            if len(ids) < 2 or focus.isdisjoint(ids):
                continue
            for merge in engine.merge_block(key, focus & set(ids)):
                merges += 1
                focus.add(engine.resolve(merge.survivor_id))
                if recorder:
                    recorder.merged(merge, engine.resolve)
    seconds = time.perf_counter() - started
    return Outcome({s: engine.resolve(r) for s, r in slots.items()}, count, merges, seconds, engine)
