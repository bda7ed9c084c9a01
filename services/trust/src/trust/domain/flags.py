"""Anomalies that lower trust or need review, each with the evidence that raised it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from trust.domain.evidence import Evidence, WorkView, evidence
from trust.policy import Policy


@dataclass(frozen=True)
class Flag:
    """One anomaly; `penalty` is what the policy takes off (the snapshot may take less, never below zero)."""

    kind: str
    needs_review: bool
    penalty: float
    evidence: Evidence

    def document(self, points: float) -> dict[str, Any]:
        """The JSON form, with the points actually taken off."""
        return {
            "kind": self.kind,
            "needs_review": self.needs_review,
            "points": points,
            "evidence": self.evidence.document(),
        }


def flags(works: Sequence[WorkView], reputation: Mapping[str, float], policy: Policy) -> list[Flag]:
    """Every flag the works raise, in a fixed order."""
    found = [
        burst(works, reputation, policy),
        single_source_coauthors(works, reputation, policy),
        off_topic(works, policy),
        contradictions(works, policy),
    ]
    return [f for f in found if f is not None]


def _low(source: str, reputation: Mapping[str, float], policy: Policy) -> bool:
    return reputation.get(source, policy.unknown_source_prior) < policy.low_reputation_below


def burst(works: Sequence[WorkView], reputation: Mapping[str, float], policy: Policy) -> Flag | None:
    """At least `burst_min_works` uncorroborated works first seen by one low-reputation source within the window."""
    window = timedelta(days=policy.burst_window_days)
    by_source: dict[str, list[WorkView]] = {}
    for v in works:
        if len(v.sources) == 1 and not v.corroborated and v.first_seen is not None:
            (source,) = v.sources
            if _low(source, reputation, policy):
                by_source.setdefault(source, []).append(v)
    for source, listed in sorted(by_source.items()):
        listed.sort(key=lambda v: (v.first_seen, v.work.work_id))
        start = 0
        for end, v in enumerate(listed):
            while v.first_seen - listed[start].first_seen > window:
                start += 1
            if end - start + 1 >= policy.burst_min_works:
                inside = [x.work for x in listed[start : end + 1]]
                detail = f"{len(inside)} uncorroborated works from {source} within {policy.burst_window_days} days"
                return Flag("burst_low_reputation_source", True, policy.burst_penalty, evidence(inside, policy, detail))
    return None


def single_source_coauthors(works: Sequence[WorkView], reputation: Mapping[str, float], policy: Policy) -> Flag | None:
    """Most co-authors (at least a few) appear only on works one source that is not reputable saw."""
    sources: dict[str, set[str]] = {}
    for v in works:
        for coauthor in v.work.coauthors:
            sources.setdefault(coauthor, set()).update(v.sources)
    lonely = {
        c
        for c, seen in sources.items()
        if len(seen) == 1 and reputation.get(next(iter(seen)), policy.unknown_source_prior) < policy.reputable_from
    }
    if len(lonely) < policy.single_source_min_coauthors or 2 * len(lonely) < len(sources):
        return None
    involved = [v.work for v in works if lonely & set(v.work.coauthors)]
    detail = f"{len(lonely)} of {len(sources)} co-authors appear only in one source: " + ", ".join(sorted(lonely)[:20])
    return Flag("single_source_coauthors", True, policy.single_source_penalty, evidence(involved, policy, detail))


def off_topic(works: Sequence[WorkView], policy: Policy) -> Flag | None:
    """Works none of whose topics is a core topic (one on at least `core_topic_share` of the topic-bearing works)."""
    topical = [v for v in works if v.work.topic_ids]
    if len(topical) < policy.off_topic_min_works:
        return None
    counts = Counter(t for v in topical for t in set(v.work.topic_ids))
    core = {t for t, n in counts.items() if n >= policy.core_topic_share * len(topical)}
    outside = [v.work for v in topical if not core & set(v.work.topic_ids)]
    if not outside:
        return None
    penalty = min(policy.off_topic_max_penalty, policy.off_topic_penalty_per_work * len(outside))
    detail = f"{len(outside)} works outside the core topics " + ", ".join(sorted(core))
    return Flag("off_topic_works", True, penalty, evidence(outside, policy, detail))


def contradictions(works: Sequence[WorkView], policy: Policy) -> Flag | None:
    """Sightings of one DOI whose author lists share less than half of the shorter one's surnames."""
    clashing = []
    for v in works:
        by_doi: dict[str, list[tuple[str, ...]]] = {}
        for s in v.work.sightings:
            if s.doi and s.surnames:
                by_doi.setdefault(s.doi, []).append(s.surnames)
        for lists in by_doi.values():
            if any(_disagree(a, b) for i, a in enumerate(lists) for b in lists[i + 1 :]):
                clashing.append(v.work)
                break
    if not clashing:
        return None
    detail = f"{len(clashing)} works whose sightings of one DOI list different authors"
    return Flag("contradicting_sightings", True, policy.contradiction_penalty, evidence(clashing, policy, detail))


def _disagree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    shared = len(set(a) & set(b))
    return 2 * shared < min(len(set(a)), len(set(b)))
