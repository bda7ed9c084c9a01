"""The DBLP Jun Zhangs: which authorships count (no editors, one truth per record) and B-cubed scores."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from eval.disambiguation.data import Dblp, Work
from profiles.names import parse_name

# DBLP prints one of the five people under an alias in one record; the files are the truth, not the name.
NAMES = frozenset({"Jun Zhang", "Joe Zhang"})

Slot = tuple[str, int]


@dataclass
class Truth:
    """Distinct works in file order, the person of each target authorship, and what was left out and why."""

    works: list[Work]
    person: dict[Slot, str]
    editor_only: int
    conflicting: int


def truth(dblp: Dblp) -> Truth:
    """Authorships named Jun Zhang (or the alias) in works that are not edited volumes, one per record."""
    works: dict[str, Work] = {}
    people: dict[Slot, set[str]] = defaultdict(set)
    editor_only = 0
    for who, work in dblp.entries:
        if work.edited_volume:
            editor_only += 1
            continue
        works.setdefault(work.key, work)
        for i, author in enumerate(work.paper["authors"]):
            if author["name"] in NAMES and parse_name(author["name"]).family == "zhang":
                people[(work.key, i)].add(who)
    # A record in two people's files (conf/cis/2004) has no single truth: it is replayed but not scored.
    person = {slot: next(iter(p)) for slot, p in people.items() if len(p) == 1}
    return Truth(list(works.values()), person, editor_only, sum(1 for p in people.values() if len(p) > 1))


@dataclass(frozen=True)
class B3:
    """B-cubed precision, recall and F1, and the number of predicted clusters."""

    precision: float
    recall: float
    clusters: int

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def b_cubed(predicted: dict[Slot, str], person: dict[Slot, str]) -> B3:
    """B-cubed over the target authorships."""
    by_cluster: dict[str, set[Slot]] = defaultdict(set)
    by_person: dict[str, set[Slot]] = defaultdict(set)
    for slot, who in person.items():
        by_cluster[predicted[slot]].add(slot)
        by_person[who].add(slot)
    precision = recall = 0.0
    for slot, who in person.items():
        both = len(by_cluster[predicted[slot]] & by_person[who])
        precision += both / len(by_cluster[predicted[slot]])
        recall += both / len(by_person[who])
    n = len(person)
    return B3(precision / n, recall / n, len(by_cluster))
