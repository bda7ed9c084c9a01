"""Print MEDLINE pairwise and DBLP Jun Zhang B-cubed quality for year order and random arrival orders."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from eval.disambiguation import dblp, medline
from eval.disambiguation.data import load, shared_data
from eval.disambiguation.run import ordered, replay
from profiles.disambiguation import DEFAULT_WEIGHTS, Weights


def _weights(path: str | None) -> Weights:
    if not path:
        return DEFAULT_WEIGHTS
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Weights.from_json(data.get("weights", data))


def main(argv: list[str] | None = None) -> int:
    """Run the harness; exit 2 when the data is absent."""
    parser = argparse.ArgumentParser(prog="python -m eval.disambiguation", description=__doc__)
    parser.add_argument("--shuffles", type=int, default=3, help="random arrival orders besides year order")
    parser.add_argument("--merge-every", type=int, default=200, help="works between merge passes")
    parser.add_argument("--weights", help="a weights JSON file instead of the committed one")
    parser.add_argument("--only", choices=("medline", "dblp"), help="one data set")
    parser.add_argument("--cache", default="/tmp/sightline-eval/data.pkl", help="parsed-data cache ('' for none)")
    args = parser.parse_args(argv)
    root = shared_data()
    if not (root / "medline_pairs_train.tar.gz").is_file():
        print(f"no sample data at {root}: skipped (set SIGHTLINE_SHARED_DATA)")
        return 2
    weights = _weights(args.weights)
    data_medline, data_dblp = load(root, Path(args.cache) if args.cache else None)
    orders = ["year", *(f"shuffle:{seed}" for seed in range(1, args.shuffles + 1))]
    if args.only != "dblp":
        labelled = medline.pairs(data_medline)
        print(
            f"MEDLINE: {len(data_medline.works)} articles ({len(data_medline.errors)} unreadable), "
            f"{len(labelled.pairs)} pairs scored ({labelled.malformed} malformed rows, {dict(labelled.skipped)})"
        )
        results = []
        for order in orders:
            outcome = replay(ordered(list(data_medline.works.values()), order), weights, args.merge_every)
            r = outcome.researcher
            s = medline.score(labelled.pairs, {p: r[p.first] == r[p.second] for p in labelled.pairs})
            results.append(s)
            print(
                f"  {order:10} P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f} (FP {s.fp}, FN {s.fn})  "
                f"{outcome.mentions} mentions, {outcome.merges} merges, {outcome.seconds:.1f}s "
                f"({outcome.seconds / outcome.mentions * 1e6:.0f} µs/mention)"
            )
        _summary("MEDLINE", [(s.precision, s.recall, s.f1) for s in results])
    if args.only != "medline":
        truth = dblp.truth(data_dblp)
        print(
            f"DBLP Jun Zhang: {len(truth.works)} works, {len(truth.person)} target authorships "
            f"({truth.editor_only} edited volumes left out, {truth.conflicting} record with two truths not scored)"
        )
        b3s = []
        for order in orders:
            outcome = replay(ordered(truth.works, order), weights, args.merge_every)
            b = dblp.b_cubed(outcome.researcher, truth.person)
            b3s.append(b)
            print(f"  {order:10} B3 P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f} ({b.clusters} clusters, 5 true)")
        _summary("DBLP", [(b.precision, b.recall, b.f1) for b in b3s])
    return 0


def _summary(name: str, rows: list[tuple[float, float, float]]) -> None:
    shuffled = rows[1:]
    if not shuffled:
        return
    p, r, f = (statistics.mean(x[i] for x in shuffled) for i in range(3))
    low = min(x[2] for x in shuffled)
    print(f"  {name} shuffles: mean P {p:.3f} R {r:.3f} F1 {f:.3f}, min F1 {low:.3f}")


if __name__ == "__main__":
    sys.exit(main())
