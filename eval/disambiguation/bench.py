"""Microseconds per assign() against ~20 candidates, on real DBLP mentions and the profiles of a replay.

uv run --no-sync python -m eval.disambiguation.bench
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

from eval.disambiguation import dblp
from eval.disambiguation.data import load, mentions, shared_data
from eval.disambiguation.run import ordered, replay
from profiles.disambiguation import DEFAULT_WEIGHTS, assign, mention_terms
from profiles.disambiguation.features import features

CANDIDATES = 20


def main() -> int:
    """Replay DBLP, then time assign() for every Jun Zhang mention against the 20 largest researchers of its block."""
    root = shared_data()
    if not (root / "dblp_jun_zhang").is_dir():
        print(f"no sample data at {root}: skipped")
        return 2
    _, data = load(root, Path("/tmp/sightline-eval/data.pkl"))
    truth = dblp.truth(data)
    engine = replay(ordered(truth.works, "year"), DEFAULT_WEIGHTS).replay
    block = sorted(engine.index["zhang|j"], key=lambda r: -engine.profiles[r].n_works)[:CANDIDATES]
    candidates = [(r, engine.profiles[r]) for r in block]
    targets = [m for w in truth.works for m in mentions(w) if m.name == "Jun Zhang"]
    # Fresh objects, so that nothing is served from the per-mention feature cache.
    fresh = [replace(m, work_id=m.work_id + "#bench") for m in targets]
    started = time.perf_counter()
    for m in fresh:
        mention_terms(m)
    terms = (time.perf_counter() - started) / len(fresh)
    started = time.perf_counter()
    for m in fresh:
        assign(m, candidates, engine.stats)
    warm = (time.perf_counter() - started) / len(fresh)
    cold = [replace(m, work_id=m.work_id + "#cold") for m in targets]
    started = time.perf_counter()
    for m in cold:
        features(m)
        assign(m, candidates, engine.stats)
    both = (time.perf_counter() - started) / len(cold)
    sizes = sorted(len(str(p.to_json())) for _, p in candidates)
    print(f"{len(fresh)} mentions x {len(candidates)} candidates (profiles of {sizes[0]}-{sizes[-1]} JSON chars)")
    print(f"  mention_terms (parses the mention): {terms * 1e6:.0f} µs")
    print(f"  assign, mention already parsed:     {warm * 1e6:.0f} µs")
    print(f"  parse + assign:                     {both * 1e6:.0f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
