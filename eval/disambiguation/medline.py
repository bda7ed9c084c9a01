"""The MEDLINE gold pairs: which author slot each row means, and pairwise precision/recall/F1 of a replay."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

from eval.disambiguation.data import Medline
from profiles.names import fold, parse_name

Slot = tuple[str, int]  # (work key, author position)


@dataclass(frozen=True)
class Pair:
    """One labelled row: two author slots and whether they are one person."""

    first: Slot
    second: Slot
    same: bool


@dataclass
class Pairs:
    """The usable pairs, and how many rows were malformed or could not be located."""

    pairs: list[Pair]
    malformed: int
    skipped: Counter[str]


def _slot(medline: Medline, pmid: str, last: str, initials: str, first: str) -> Slot | None:
    """The author slot the row means: the CSV surnames are damaged ('?', U+FFFD), so match loosely."""
    work = medline.works.get(pmid)
    if work is None:
        return None
    pattern = re.sub(r"[^a-z.]", "", fold(last).replace("?", ".").replace("\ufffd", "."))
    initial = "" if initials.strip() == "null" else fold(initials)[:1]
    first_name = re.sub(r"[^a-z]", "", fold(first.split(maxsplit=1)[0])) if first.strip() and first != "null" else ""
    found: list[tuple[int, int]] = []
    for i, author in enumerate(work.paper["authors"]):
        parsed = parse_name(author["name"], author.get("family_name"), author.get("given_name"))
        given = parsed.given
        if (given[0][0] if given else "") != initial:
            continue
        family = parsed.family
        if re.fullmatch(pattern, family) or difflib.SequenceMatcher(None, family, pattern).ratio() > 0.8:
            found.append((0 if first_name and given and given[0] == first_name else 1, i))
    return (work.key, min(found)[1]) if found else None


def pairs(medline: Medline) -> Pairs:
    """Parse the CSV (PMID1;Last;Initials;First;PMID2;Last;Initials;First;YES/NO) and locate both slots."""
    usable: list[Pair] = []
    malformed = 0
    skipped: Counter[str] = Counter()
    for line in medline.csv.splitlines()[1:]:
        f = line.split(";")
        if len(f) != 9 or f[8].strip() not in ("YES", "NO") or not f[0].strip().isdigit() or not f[4].strip().isdigit():
            malformed += 1
            continue
        p1, p2 = f[0].strip(), f[4].strip()
        if p1 not in medline.works or p2 not in medline.works:
            skipped["article unreadable"] += 1
            continue
        a, b = _slot(medline, p1, f[1], f[2], f[3]), _slot(medline, p2, f[5], f[6], f[7])
        if a is None or b is None:
            skipped["author not found"] += 1
            continue
        usable.append(Pair(a, b, f[8].strip() == "YES"))
    return Pairs(usable, malformed, skipped)


@dataclass(frozen=True)
class PairScore:
    """Pairwise confusion counts and the derived measures."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        """Share of predicted-same pairs that are the same person."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of same-person pairs predicted same."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(labelled: list[Pair], same: dict[Pair, bool]) -> PairScore:
    """Confusion counts of predictions (pair -> predicted same) against the labels."""
    tp = sum(1 for p in labelled if p.same and same[p])
    fp = sum(1 for p in labelled if not p.same and same[p])
    fn = sum(1 for p in labelled if p.same and not same[p])
    return PairScore(tp, fp, fn, len(labelled) - tp - fp - fn)
