"""Learn the engine's coefficients on the MEDLINE pairs by logistic regression, with held-out folds.

uv run --no-sync python -m eval.disambiguation.learn            # cross-validated report only
uv run --no-sync python -m eval.disambiguation.learn --write    # also write profiles/disambiguation/weights.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import replace
from pathlib import Path

from eval.disambiguation import medline
from eval.disambiguation.data import REPO, Medline, load, shared_data
from eval.disambiguation.logistic import fit, predict
from eval.disambiguation.pair_features import PairRow, corpus_stats, pair_rows
from eval.disambiguation.run import ordered, replay
from profiles.disambiguation import DEFAULT_WEIGHTS, Weights
from profiles.disambiguation.scoring import required_probability
from profiles.disambiguation.weights import FEATURES

FOLDS = 5
WEIGHTS_FILE = REPO / "services/profiles/src/profiles/disambiguation/weights.json"
THRESHOLDS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97)
# The join threshold is the lowest one whose held-out precision reaches this (a margin above the 0.97 target).
PRECISION_GOAL = 0.98
# Merges fuse whole researchers: their bar stays this far above the learned join bar.
MERGE_MARGIN = 0.10


def folds(n: int, seed: int = 0) -> list[int]:
    """A fold number per row, balanced and reproducible."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    fold = [0] * n
    for rank, i in enumerate(order):
        fold[i] = rank % FOLDS
    return fold


Thresholds = tuple[float, float]  # (join_probability, observed_join_probability)


def weights_from(coefficients: list[float], bars: Thresholds, base: Weights = DEFAULT_WEIGHTS) -> Weights:
    """Engine weights from fitted [bias, *coefficients] and the two join thresholds (merges a margin higher)."""
    join, observed = bars
    return replace(
        base,
        bias=coefficients[0],
        coefficients=dict(zip(FEATURES, coefficients[1:], strict=True)),
        join_probability=join,
        merge_probability=min(0.99, round(join + MERGE_MARGIN, 2)),
        observed_join_probability=observed,
        # Merges stay strict (they fuse whole researchers): no lower bar for observed evidence.
        observed_merge_probability=min(0.99, round(join + MERGE_MARGIN, 2)),
    )


def decide(row: PairRow, w: Weights) -> bool:
    """The engine's join rule on one pair: the probability its kinds of evidence require."""
    if row.values is None:
        return False
    needed = required_probability(row.values, w, namesake=row.namesake)
    return needed is not None and predict([w.bias, *w.coefficient_tuple], row.values) >= needed


def grid() -> list[Thresholds]:
    """Every (join, observed join) pair with the observed bar not above the plain one."""
    return [(j, o) for j in THRESHOLDS for o in THRESHOLDS if o <= j]


def held_out(rows: list[PairRow], l2: float) -> dict[Thresholds, medline.PairScore]:
    """Pairwise scores of held-out predictions per threshold pair (each fold predicted by the other folds' fit)."""
    fold = folds(len(rows))
    bars = grid()
    same: dict[Thresholds, dict[medline.Pair, bool]] = {b: {} for b in bars}
    for k in range(FOLDS):
        train = [r for r, f in zip(rows, fold, strict=True) if f != k and r.values is not None]
        coefficients = fit([r.values or () for r in train], [r.pair.same for r in train], l2)
        for b in bars:
            weights = weights_from(coefficients, b)
            for r, f in zip(rows, fold, strict=True):
                if f == k:
                    same[b][r.pair] = decide(r, weights)
    pairs = [r.pair for r in rows]
    return {b: medline.score(pairs, same[b]) for b in bars}


def held_out_replay(data: Medline, rows: list[PairRow], bars: Thresholds, l2: float) -> medline.PairScore:
    """The full replay (year order) once per fold, with weights fitted without that fold; each fold's pairs are
    scored only in the replay whose weights never saw them."""
    fold = folds(len(rows))
    same: dict[medline.Pair, bool] = {}
    for k in range(FOLDS):
        train = [r for r, f in zip(rows, fold, strict=True) if f != k and r.values is not None]
        weights = weights_from(fit([r.values or () for r in train], [r.pair.same for r in train], l2), bars)
        researcher = replay(ordered(list(data.works.values()), "year"), weights).researcher
        for r, f in zip(rows, fold, strict=True):
            if f == k:
                same[r.pair] = researcher[r.pair.first] == researcher[r.pair.second]
    return medline.score([r.pair for r in rows], same)


def main(argv: list[str] | None = None) -> int:
    """Report held-out quality; with --write, fit on every pair and store the weights."""
    parser = argparse.ArgumentParser(prog="python -m eval.disambiguation.learn", description=__doc__)
    parser.add_argument("--write", action="store_true", help="write the weights fitted on all pairs")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--replay", action="store_true", help="also the held-out replay (5 full replays, minutes)")
    parser.add_argument("--cache", default="/tmp/sightline-eval/data.pkl")
    args = parser.parse_args(argv)
    root = shared_data()
    if not (root / "medline_pairs_train.tar.gz").is_file():
        print(f"no sample data at {root}: skipped")
        return 2
    data, _ = load(root, Path(args.cache) if args.cache else None)
    labelled = medline.pairs(data)
    stats, by_slot = corpus_stats(data)
    rows = pair_rows(labelled.pairs, stats, by_slot, DEFAULT_WEIGHTS)
    print(
        f"{len(rows)} pairs, {sum(r.values is None for r in rows)} kept apart by the rules; held-out ({FOLDS} folds):"
    )
    scores = held_out(rows, args.l2)
    for (j, o), s in scores.items():
        if o == j:
            print(f"  p >= {j:.2f}: P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f} (FP {s.fp}, FN {s.fn})")
    good = [b for b in scores if scores[b].precision >= PRECISION_GOAL] or [(THRESHOLDS[-1], THRESHOLDS[-1])]
    bars = max(good, key=lambda b: (scores[b].f1, b))
    held = scores[bars]
    usable = [r for r in rows if r.values is not None]
    weights = weights_from(fit([r.values or () for r in usable], [r.pair.same for r in usable], args.l2), bars)
    print(
        f"chosen: join_probability {bars[0]}, observed_join_probability {bars[1]} "
        f"(held-out P {held.precision:.3f} R {held.recall:.3f} F1 {held.f1:.3f})"
    )
    print("bias", round(weights.bias, 3), {k: round(v, 3) for k, v in weights.coefficients.items()})
    if args.replay:
        s = held_out_replay(data, rows, bars, args.l2)
        print(
            f"held-out replay (year order): P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f} (FP {s.fp}, FN {s.fn})"
        )
    if args.write:
        note = (
            f"learned by eval/disambiguation/learn.py on {len(rows)} MEDLINE pairs (L2 {args.l2}); held-out "
            f"{FOLDS}-fold pair classification at p >= {bars[0]} ({bars[1]} with two observed kinds): "
            f"P {held.precision:.3f} R {held.recall:.3f} F1 {held.f1:.3f}"
        )
        names = ("join_probability", "merge_probability", "observed_join_probability", "observed_merge_probability")
        learned = {
            "bias": round(weights.bias, 4),
            "coefficients": {k: round(v, 4) for k, v in weights.coefficients.items()},
            **{k: getattr(weights, k) for k in names},
        }
        WEIGHTS_FILE.write_text(json.dumps({"note": note, "weights": learned}, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS_FILE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
