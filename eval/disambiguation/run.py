"""Replay works through the engine in a given order, as the service will, and read off each slot's researcher."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

from eval.disambiguation.data import Work, mentions
from eval.disambiguation.dump import Recorder
from profiles.disambiguation import Merge, Weights
from profiles.disambiguation.features import features
from profiles.disambiguation.replay import Replay

Slot = tuple[str, int]


@dataclass
class Outcome:
    """Each slot's final researcher (merges followed), and what the run cost."""

    researcher: dict[Slot, str]
    mentions: int
    merges: int
    seconds: float
    replay: Replay


def ordered(works: Sequence[Work], order: str) -> list[Work]:
    """'year' (then key) or 'shuffle:SEED'."""
    if order == "year":
        return sorted(works, key=lambda w: (w.year or 9999, w.key))
    seed = int(order.split(":", 1)[1])
    shuffled = sorted(works, key=lambda w: w.key)
    random.Random(seed).shuffle(shuffled)
    return shuffled


def replay(
    works: Sequence[Work], weights: Weights, merge_every: int = 200, recorder: Recorder | None = None
) -> Outcome:
    """Every work in turn: count its mentions, assign and absorb each slot; a merge pass over the blocks
    touched every `merge_every` works (focused on the researchers that changed), and a full one at the end."""
    engine = Replay(weights)
    slots: dict[Slot, str] = {}
    touched_keys: set[str] = set()
    touched_ids: set[str] = set()
    merges = count = 0
    started = time.perf_counter()
    for n, work in enumerate(works, 1):
        work_mentions = mentions(work)
        placed = engine.add_work(work_mentions)
        decisions = engine.decisions[len(engine.decisions) - len(placed) :]
        for mention, researcher, decision in zip(work_mentions, placed, decisions, strict=True):
            slots[(mention.work_id, mention.position)] = researcher
            if recorder:
                recorder.placed((mention.work_id, mention.position), researcher, decision)
            touched_keys.update(features(mention).keys)
            touched_ids.add(researcher)
        count += len(work_mentions)
        if n % merge_every == 0:
            focus = {engine.resolve(r) for r in touched_ids}
            for key in touched_keys:
                if len(engine.index.get(key, ())) > 1:
                    merges += _merged(engine, engine.merge_block(key, focus=focus), recorder)
            touched_keys.clear()
            touched_ids.clear()
    for _ in range(3):
        done = sum(
            _merged(engine, engine.merge_block(key), recorder)
            for key in list(engine.index)
            if len(engine.index[key]) > 1
        )
        merges += done
        if not done:
            break
    seconds = time.perf_counter() - started
    return Outcome({s: engine.resolve(r) for s, r in slots.items()}, count, merges, seconds, engine)


def _merged(engine: Replay, merges: list[Merge], recorder: Recorder | None) -> int:
    if recorder:
        for merge in merges:
            recorder.merged(merge, engine.resolve)
    return len(merges)
