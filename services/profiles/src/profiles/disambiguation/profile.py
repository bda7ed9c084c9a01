"""A researcher's aggregated evidence: name variants, ORCIDs, co-authors, terms, venues, years, recent works."""

from __future__ import annotations

import base64
import heapq
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from profiles.disambiguation.features import MentionFeatures, features
from profiles.disambiguation.model import Mention
from profiles.names import ParsedName, block_keys, from_variant, is_full_key

SCHEMA = 1
# Caps keep a prolific researcher's stored profile at a few KB; the strongest (then the newest) entries stay.
CAPS = {"names": 16, "coauthors": 160, "affiliations": 60, "topics": 150, "subjects": 30, "venues": 30, "years": 60}
MAX_ORCIDS = 4
# Cannot-link memory: fingerprints of the most recent works (two slots of one work are never one researcher).
MAX_WORKS = 256


def _strongest(counts: Mapping[str, int], cap: int) -> dict[str, int]:
    """The `cap` highest counts; among equal counts the most recently added (later in insertion order) win."""
    if len(counts) <= cap:
        return dict(counts)
    ranked = heapq.nlargest(cap, enumerate(counts.items()), key=lambda e: (e[1][1], e[0]))
    return {term: count for _, (term, count) in sorted(ranked)}


def _add(counts: dict[str, int], terms: Iterable[str], cap: int) -> None:
    for term in terms:
        counts[term] = counts.get(term, 0) + 1
    if len(counts) > cap * 2:
        pruned = _strongest(counts, cap)
        counts.clear()
        counts.update(pruned)


def _summed(a: Mapping[str, int], b: Mapping[str, int], cap: int) -> dict[str, int]:
    total = dict(a)
    for term, count in b.items():
        total[term] = total.get(term, 0) + count
    return _strongest(total, cap)


@dataclass
class Profile:
    """Mutable evidence of one researcher; `absorb` changes it in place, `merged` returns a new one."""

    names: dict[str, int] = field(default_factory=dict)
    orcids: list[str] = field(default_factory=list)
    coauthors: dict[str, int] = field(default_factory=dict)
    affiliations: dict[str, int] = field(default_factory=dict)
    topics: dict[str, int] = field(default_factory=dict)
    subjects: dict[str, int] = field(default_factory=dict)
    venues: dict[str, int] = field(default_factory=dict)
    years: dict[str, int] = field(default_factory=dict)
    works: dict[int, None] = field(default_factory=dict)  # an ordered set: oldest first
    n_works: int = 0
    # Derived from the fields above and dropped whenever absorb changes them (assign reads them per candidate).
    _prefixes: set[str] | None = field(default=None, init=False, repr=False, compare=False)
    _span: tuple[int, int] | None = field(default=None, init=False, repr=False, compare=False)
    _name_matches: dict[str, tuple[float, float]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _keys: tuple[str, ...] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def empty(cls) -> Profile:
        """A researcher with no evidence yet."""
        return cls()

    def absorb(self, mention: Mention) -> Profile:
        """Add one mention's evidence in place; returns self."""
        return self.absorb_features(features(mention))

    def absorb_features(self, found: MentionFeatures) -> Profile:
        """Add already-parsed evidence in place; returns self."""
        self.n_works += 1
        if found.variant not in self.names:
            self._keys = None
        _add(self.names, (found.variant,), CAPS["names"])
        if found.orcid and found.orcid not in self.orcids and len(self.orcids) < MAX_ORCIDS:
            self.orcids.append(found.orcid)
        # A co-author is kept under the full key when the name was printed in full, else under the initial key.
        _add(self.coauthors, (full or initial for initial, full in found.coauthors), CAPS["coauthors"])
        self._prefixes, self._span = None, None
        self._name_matches.clear()
        _add(self.affiliations, found.affiliation, CAPS["affiliations"])
        _add(self.topics, found.topic, CAPS["topics"])
        _add(self.subjects, found.subjects, CAPS["subjects"])
        if found.venue:
            _add(self.venues, (found.venue,), CAPS["venues"])
        if found.year:
            _add(self.years, (str(found.year),), CAPS["years"])
        if found.work_hash not in self.works:
            self.works[found.work_hash] = None
            if len(self.works) > MAX_WORKS:
                del self.works[next(iter(self.works))]
        return self

    def merged(self, other: Profile) -> Profile:
        """One researcher's evidence from two; neither input changes."""
        works = list({**self.works, **other.works})
        return Profile(
            names=_summed(self.names, other.names, CAPS["names"]),
            orcids=list(dict.fromkeys(self.orcids + other.orcids))[:MAX_ORCIDS],
            coauthors=_summed(self.coauthors, other.coauthors, CAPS["coauthors"]),
            affiliations=_summed(self.affiliations, other.affiliations, CAPS["affiliations"]),
            topics=_summed(self.topics, other.topics, CAPS["topics"]),
            subjects=_summed(self.subjects, other.subjects, CAPS["subjects"]),
            venues=_summed(self.venues, other.venues, CAPS["venues"]),
            years=_summed(self.years, other.years, CAPS["years"]),
            works=dict.fromkeys(works[-MAX_WORKS:]),
            n_works=self.n_works + other.n_works,
        )

    def coauthor_initials(self) -> set[str]:
        """The initial keys of the co-authors known by full name ('wang|y' for 'wang|yong'), cached."""
        if self._prefixes is None:
            self._prefixes = {k[: k.find("|") + 2] for k in self.coauthors if is_full_key(k)}
        return self._prefixes

    def name_match(self, variant: str) -> tuple[float, float] | None:
        """A cached (full given name matches, both have a middle name) for a mention's name variant, if known."""
        return self._name_matches.get(variant)

    def remember_name_match(self, variant: str, match: tuple[float, float]) -> None:
        """Cache a name-match result until the profile absorbs another mention."""
        self._name_matches[variant] = match

    def parsed_names(self) -> list[ParsedName]:
        """Every name variant, most frequent first."""
        return [from_variant(v) for v in sorted(self.names, key=lambda v: -self.names[v])]

    def block_keys(self) -> tuple[str, ...]:
        """Every block key of every name variant, the most frequent variant's primary key first."""
        if self._keys is None:
            self._keys = tuple(dict.fromkeys(key for parsed in self.parsed_names() for key in block_keys(parsed)))
        return self._keys

    def year_range(self) -> tuple[int, int] | None:
        """The first and last year of the researcher's works, when any is known."""
        if not self.years:
            return None
        if self._span is None:
            years = [int(y) for y in self.years]
            self._span = min(years), max(years)
        return self._span

    def to_json(self) -> dict[str, Any]:
        """A compact, bounded JSON object (a few KB at most) for the service's JSONB column."""
        packed = b"".join(w.to_bytes(4, "big") for w in self.works)
        return {
            "v": SCHEMA,
            "n": self.n_works,
            "names": _strongest(self.names, CAPS["names"]),
            "orcids": self.orcids,
            "co": _strongest(self.coauthors, CAPS["coauthors"]),
            "aff": _strongest(self.affiliations, CAPS["affiliations"]),
            "topic": _strongest(self.topics, CAPS["topics"]),
            "subj": _strongest(self.subjects, CAPS["subjects"]),
            "venue": _strongest(self.venues, CAPS["venues"]),
            "years": _strongest(self.years, CAPS["years"]),
            "works": base64.b64encode(packed).decode("ascii"),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Profile:
        """The profile `to_json` stored."""
        if data.get("v") != SCHEMA:
            raise ValueError(f"unknown profile schema {data.get('v')!r}, expected {SCHEMA}")
        packed = base64.b64decode(data.get("works", ""))
        return cls(
            names=dict(data.get("names", {})),
            orcids=list(data.get("orcids", [])),
            coauthors=dict(data.get("co", {})),
            affiliations=dict(data.get("aff", {})),
            topics=dict(data.get("topic", {})),
            subjects=dict(data.get("subj", {})),
            venues=dict(data.get("venue", {})),
            years=dict(data.get("years", {})),
            works=dict.fromkeys(struct.unpack(f">{len(packed) // 4}I", packed)),
            n_works=int(data.get("n", 0)),
        )
