"""Print MEDLINE pairwise and DBLP Jun Zhang B-cubed quality for year order, random and service-like orders."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from eval.disambiguation import dblp, medline
from eval.disambiguation.batches import replay_batches, service_batches
from eval.disambiguation.data import Work, load, shared_data
from eval.disambiguation.dump import Recorder, Slot, open_dump
from eval.disambiguation.run import Outcome, ordered, replay
from profiles.disambiguation import DEFAULT_WEIGHTS, Weights


def _weights(path: str | None) -> Weights:
    if not path:
        return DEFAULT_WEIGHTS
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Weights.from_json(data.get("weights", data))


def _describer(works: Sequence[Work], labelled: set[Slot], person: dict[Slot, str]) -> Callable[[Slot], str]:
    by_key = {w.key: w for w in works}

    def describe(slot: Slot) -> str:
        if slot not in labelled:
            return ""
        paper = by_key[slot[0]].paper
        who = f"person {person[slot]}: " if slot in person else ""
        name = paper["authors"][slot[1]]["name"]
        return f"{who}{name} @ {slot[0]}#{slot[1]} ({paper.get('year')}) {(paper.get('title') or '')[:70]}"

    return describe


class Runner:
    """Replays one data set in each order, with an optional dump of wrong joins and merges."""

    def __init__(self, args: argparse.Namespace, weights: Weights, dump: IO[str] | None) -> None:
        """Orders: year, `--shuffles` random ones, `--service-orders` service-like batch sequences."""
        self.args, self.weights, self.dump = args, weights, dump
        self.orders = [
            "year",
            *(f"shuffle:{seed}" for seed in range(1, args.shuffles + 1)),
            *(f"service:{seed}" for seed in range(1, args.service_orders + 1)),
        ]

    def run(self, name: str, works: Sequence[Work], order: str, recorder: Recorder | None) -> Outcome:
        """One replay; service orders start from the import order (the works as given)."""
        if order.startswith("service:"):
            return replay_batches(service_batches(works, int(order.split(":")[1])), self.weights, recorder)
        return replay(ordered(works, order), self.weights, self.args.merge_every, recorder)

    def recorder(
        self, name: str, order: str, different: Callable[[Slot, Slot], bool], describe: Callable[[Slot], str]
    ) -> Recorder | None:
        """A recorder writing to the dump, when there is one."""
        return Recorder(self.dump, name, order, different, describe) if self.dump else None


def main(argv: list[str] | None = None) -> int:
    """Run the harness; exit 2 when the data is absent."""
    parser = argparse.ArgumentParser(prog="python -m eval.disambiguation", description=__doc__)
    parser.add_argument("--shuffles", type=int, default=3, help="random arrival orders besides year order")
    parser.add_argument("--service-orders", type=int, default=0, help="service-like batch sequences (batches.py)")
    parser.add_argument("--merge-every", type=int, default=200, help="works between merge passes")
    parser.add_argument("--weights", help="a weights JSON file instead of the committed one")
    parser.add_argument("--only", choices=("medline", "dblp"), help="one data set")
    parser.add_argument("--dump", help="write each wrong join or merge here (JSON lines)")
    parser.add_argument("--cache", default="/tmp/sightline-eval/data.pkl", help="parsed-data cache ('' for none)")
    args = parser.parse_args(argv)
    root = shared_data()
    if not (root / "medline_pairs_train.tar.gz").is_file():
        print(f"no sample data at {root}: skipped (set SIGHTLINE_SHARED_DATA)")
        return 2
    data_medline, data_dblp = load(root, Path(args.cache) if args.cache else None)
    dump = open_dump(args.dump)
    runner = Runner(args, _weights(args.weights), dump)
    if args.only != "dblp":
        labelled = medline.pairs(data_medline)
        print(
            f"MEDLINE: {len(data_medline.works)} articles ({len(data_medline.errors)} unreadable), "
            f"{len(labelled.pairs)} pairs scored ({labelled.malformed} malformed rows, {dict(labelled.skipped)})"
        )
        works = list(data_medline.works.values())
        apart = {frozenset((p.first, p.second)) for p in labelled.pairs if not p.same}
        slots = {s for p in labelled.pairs for s in (p.first, p.second)}
        describe = _describer(works, slots, {})
        results = []
        for order in runner.orders:
            recorder = runner.recorder("medline", order, lambda a, b: frozenset((a, b)) in apart, describe)
            outcome = runner.run("medline", works, order, recorder)
            r = outcome.researcher
            s = medline.score(labelled.pairs, {p: r[p.first] == r[p.second] for p in labelled.pairs})
            results.append((order, (s.precision, s.recall, s.f1)))
            print(
                f"  {order:10} P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f} (FP {s.fp}, FN {s.fn})  "
                f"{outcome.mentions} mentions, {outcome.merges} merges, {outcome.seconds:.1f}s "
                f"({outcome.seconds / outcome.mentions * 1e6:.0f} µs/mention)"
            )
        _summary("MEDLINE", results)
    if args.only != "medline":
        truth = dblp.truth(data_dblp)
        print(
            f"DBLP Jun Zhang: {len(truth.works)} works, {len(truth.person)} target authorships "
            f"({truth.editor_only} edited volumes left out, {truth.conflicting} record with two truths not scored)"
        )
        person = truth.person
        describe = _describer(truth.works, set(person), person)
        b3s = []
        for order in runner.orders:
            recorder = runner.recorder("dblp", order, lambda a, b: person[a] != person[b], describe)
            outcome = runner.run("dblp", truth.works, order, recorder)
            b = dblp.b_cubed(outcome.researcher, person)
            b3s.append((order, (b.precision, b.recall, b.f1)))
            print(f"  {order:10} B3 P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f} ({b.clusters} clusters, 5 true)")
        _summary("DBLP", b3s)
    if dump:
        dump.close()
    return 0


def _summary(name: str, rows: list[tuple[str, tuple[float, float, float]]]) -> None:
    for kind in ("shuffle", "service"):
        chosen = [x for order, x in rows if order.startswith(kind)]
        if not chosen:
            continue
        p, r, f = (statistics.mean(x[i] for x in chosen) for i in range(3))
        worst = min(chosen, key=lambda x: x[2])
        print(
            f"  {name} {kind} orders ({len(chosen)}): mean P {p:.3f} R {r:.3f} F1 {f:.3f}; "
            f"worst F1 {worst[2]:.3f} (P {worst[0]:.3f}, R {worst[1]:.3f}); min P {min(x[0] for x in chosen):.3f}"
        )


if __name__ == "__main__":
    sys.exit(main())
