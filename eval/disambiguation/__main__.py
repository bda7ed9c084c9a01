"""Print MEDLINE pairwise and DBLP Jun Zhang B-cubed quality for year order, random and service-like orders."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from eval.disambiguation import dblp, medline
from eval.disambiguation.batches import replay_batches, service_batches
from eval.disambiguation.data import Dblp, Medline, Work, load, shared_data
from eval.disambiguation.dump import Recorder, Slot, open_dump
from eval.disambiguation.run import Outcome, ordered, replay
from profiles.disambiguation import DEFAULT_WEIGHTS, Weights

Scores = tuple[float, float, float]


def _weights(path: str | None) -> Weights:
    if not path:
        return DEFAULT_WEIGHTS
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Weights.from_json(data.get("weights", data))


@dataclass
class DataSet:
    """One data set: its works in import order, how to score a replay, and its truth for the dump."""

    name: str
    works: list[Work]
    score: Callable[[dict[Slot, str]], tuple[Scores, str]]
    different: Callable[[Slot, Slot], bool]
    describe: Callable[[Slot], str]


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


def _medline(data: Medline) -> DataSet:
    labelled = medline.pairs(data)
    print(
        f"MEDLINE: {len(data.works)} articles ({len(data.errors)} unreadable), "
        f"{len(labelled.pairs)} pairs scored ({labelled.malformed} malformed rows, {dict(labelled.skipped)})"
    )
    works = list(data.works.values())
    apart = {frozenset((p.first, p.second)) for p in labelled.pairs if not p.same}

    def score(r: dict[Slot, str]) -> tuple[Scores, str]:
        s = medline.score(labelled.pairs, {p: r[p.first] == r[p.second] for p in labelled.pairs})
        text = f"P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f} (FP {s.fp}, FN {s.fn})"
        return (s.precision, s.recall, s.f1), text

    slots = {s for p in labelled.pairs for s in (p.first, p.second)}
    return DataSet("MEDLINE", works, score, lambda a, b: frozenset((a, b)) in apart, _describer(works, slots, {}))


def _dblp(data: Dblp) -> DataSet:
    truth = dblp.truth(data)
    print(
        f"DBLP Jun Zhang: {len(truth.works)} works, {len(truth.person)} target authorships "
        f"({truth.editor_only} edited volumes left out, {truth.conflicting} record with two truths not scored)"
    )
    person = truth.person

    def score(r: dict[Slot, str]) -> tuple[Scores, str]:
        b = dblp.b_cubed(r, person)
        return (
            b.precision,
            b.recall,
            b.f1,
        ), f"B3 P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f} ({b.clusters} clusters)"

    describe = _describer(truth.works, set(person), person)
    return DataSet("DBLP", truth.works, score, lambda a, b: person[a] != person[b], describe)


class Runner:
    """Replays the data sets in each order and prints their scores, with an optional dump of wrong decisions."""

    def __init__(self, args: argparse.Namespace, weights: Weights, dump: IO[str] | None) -> None:
        """Orders: year and `--shuffles` random ones per data set, `--service-orders` over the data sets at once."""
        self.args, self.weights, self.dump = args, weights, dump
        self.results: dict[str, list[tuple[str, Scores]]] = {}

    def each(self, data: DataSet) -> None:
        """Year order and the random orders of one data set, replayed alone."""
        for order in ["year", *(f"shuffle:{seed}" for seed in range(1, self.args.shuffles + 1))]:
            recorder = self._recorder([data], order)
            outcome = replay(ordered(data.works, order), self.weights, self.args.merge_every, recorder)
            self._report([data], order, outcome)

    def service(self, sets: list[DataSet]) -> None:
        """Service-like orders of the data sets imported one after the other into one corpus, as
        `make eval-disambiguation` does; each replay scores every data set."""
        for seed in range(1, self.args.service_orders + 1):
            order = f"service:{seed}"
            batches = service_batches([d.works for d in sets], seed)
            self._report(sets, order, replay_batches(batches, self.weights, self._recorder(sets, order)))

    def _recorder(self, sets: list[DataSet], order: str) -> Recorder | None:
        if not self.dump:
            return None
        name = "+".join(d.name for d in sets)
        return Recorder(
            self.dump,
            name,
            order,
            lambda a, b: any(d.describe(a) and d.describe(b) and d.different(a, b) for d in sets),
            lambda slot: next((text for d in sets if (text := d.describe(slot))), ""),
        )

    def _report(self, sets: list[DataSet], order: str, outcome: Outcome) -> None:
        for data in sets:
            scores, text = data.score(outcome.researcher)
            self.results.setdefault(data.name, []).append((order, scores))
            print(
                f"  {data.name:7} {order:10} {text}  {outcome.mentions} mentions, {outcome.merges} merges, "
                f"{outcome.seconds:.1f}s"
            )

    def summary(self) -> None:
        """Mean and worst per data set and kind of order."""
        for name, rows in self.results.items():
            for kind in ("shuffle", "service"):
                chosen = [x for order, x in rows if order.startswith(kind)]
                if not chosen:
                    continue
                p, r, f = (statistics.mean(x[i] for x in chosen) for i in range(3))
                worst = min(chosen, key=lambda x: x[2])
                print(
                    f"  {name} {kind} orders ({len(chosen)}): mean P {p:.3f} R {r:.3f} F1 {f:.3f}; worst F1 "
                    f"{worst[2]:.3f} (P {worst[0]:.3f}, R {worst[1]:.3f}); min P {min(x[0] for x in chosen):.3f}"
                )


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
    sets = [
        *([_medline(data_medline)] if args.only != "dblp" else []),
        *([_dblp(data_dblp)] if args.only != "medline" else []),
    ]
    for data in sets:
        runner.each(data)
    runner.service(sets)
    runner.summary()
    if dump:
        dump.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
