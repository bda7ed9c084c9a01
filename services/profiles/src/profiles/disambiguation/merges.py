"""The periodic cluster-cluster pass inside one block: researchers that are one person, and which id survives."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

from profiles.disambiguation.features import AFFILIATION, SUBJECT, TOPIC, WORK, WORK_TERM
from profiles.disambiguation.model import CorpusStats, Merge, Reason
from profiles.disambiguation.profile import Profile
from profiles.disambiguation.scoring import (
    coauthor_weight,
    common_family,
    family_commonness,
    idf,
    points,
    required_probability,
    same_full_given,
    sigmoid,
    variants_compatible,
    venue_weight,
)
from profiles.disambiguation.weights import DEFAULT_WEIGHTS, FEATURES, Weights
from profiles.names import from_variant, is_full_key

# Inverted-index terms per profile when looking for pairs that share anything at all.
_INDEX_TOPICS = 40


def age_key(researcher_id: str) -> tuple[int, str]:
    """Ids sort by creation (a sequence, ULID or UUIDv7): shorter first, then lexicographically; older survives."""
    return len(researcher_id), researcher_id


def _names_fit(a: Profile, b: Profile) -> bool:
    return all(variants_compatible(x, y) for x in a.names for y in b.names)


def _can_link(a: Profile, b: Profile) -> bool:
    """No shared work; then an equal ORCID links whatever the names, a different one never does."""
    if a.works.keys() & b.works.keys():
        return False
    if a.orcids and b.orcids:
        return bool(set(a.orcids) & set(b.orcids))
    return _names_fit(a, b)


def _overlap(a: Mapping[str, int], b: Mapping[str, int], weight: Mapping[str, float], scale: float) -> float:
    """Shared information as assign measures it (summed idf / scale, at most 1), bounded by the square root of the
    share of the smaller term set it covers: large profiles share some vocabulary by chance."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    total = sum(weight[t] for t in small)
    shared = sum(weight[t] for t in small if t in large)
    return min(1.0, shared / scale, math.sqrt(shared / total)) if total > 0 else 0.0


def _shared_coauthors(a: Profile, b: Profile) -> list[tuple[str, float, int, int]]:
    """(key, credit share, times in the smaller profile, times in the larger) of each co-author both have.

    Equal keys count whole, an initials-only entry against a full name at `unconfirmed_coauthor`. Co-authors with
    either researcher's own name key are left out: a namesake or the same ambiguity again, not evidence.
    """
    small, large = (a, b) if len(a.coauthors) <= len(b.coauthors) else (b, a)
    own = set(a.block_keys()) | set(b.block_keys())
    shared = []
    for key, count in small.coauthors.items():
        initial = key[: key.find("|") + 2]
        if initial in own:
            continue
        if key in large.coauthors:
            shared.append((key, 1.0, count, large.coauthors[key]))
        elif not is_full_key(key) and key in large.coauthor_initials():
            shared.append((key, -1.0, count, 1))
        elif is_full_key(key) and initial in large.coauthors:
            shared.append((initial, -1.0, count, large.coauthors[initial]))
    return shared


def _coauthor_overlap(
    a: Profile, b: Profile, shared: list[tuple[str, float, int, int]], stats: CorpusStats, weights: Weights
) -> float:
    """Rarity-weighted shared co-authors, bounded by how much of the smaller profile's co-authorship they cover:
    two large profiles share a few common names by chance, two halves of one person a good part."""
    credit = covered = 0.0
    for key, whole, count, _ in shared:
        weight = coauthor_weight(key, stats, weights)
        credit += weight if whole > 0 else weight * weights.unconfirmed_coauthor
        covered += count
    if not credit:
        return 0.0
    small = a if len(a.coauthors) <= len(b.coauthors) else b
    share = min(1.0, covered / sum(small.coauthors.values()))
    return min(weights.coauthor_cap, credit, weights.coauthor_cap * math.sqrt(share))


def _namesake_once(shared: list[tuple[str, float, int, int]], stats: CorpusStats, weights: Weights) -> bool:
    """The co-authors in common are one name of a common family ('chen|wei'), met only once by one of the two:
    for a common name that may be a namesake of a namesake."""
    if len(shared) != 1:
        return False
    key, _, small_count, large_count = shared[0]
    return min(small_count, large_count) == 1 and common_family(key, stats, weights)


def _venue_overlap(a: Profile, b: Profile, stats: CorpusStats, weights: Weights) -> float:
    """The rarest shared venue's weight, bounded by the square root of the share of the smaller profile's works
    in shared venues: two prolific researchers of one field share a journal or two by chance."""
    shared = a.venues.keys() & b.venues.keys()
    if not shared:
        return 0.0
    small = a if sum(a.venues.values()) <= sum(b.venues.values()) else b
    share = sum(small.venues[v] for v in shared) / sum(small.venues.values())
    return min(max(venue_weight(v, stats, weights) for v in shared), math.sqrt(share))


def _share_full_given(a: Profile, b: Profile) -> bool:
    given_a = [from_variant(v).given for v in a.names]
    return any(same_full_given(x, from_variant(v).given) for v in b.names for x in given_a)


def pair_values(a: Profile, b: Profile, stats: CorpusStats, weights: Weights) -> tuple[float, ...]:
    """The FEATURES of two researchers, profile against profile."""
    mentions, works = max(1, stats.mentions), max(1, stats.frequency(WORK, WORK_TERM))
    co = _coauthor_overlap(a, b, _shared_coauthors(a, b), stats, weights)
    topic_idf = {t: idf(stats.frequency(TOPIC, t), works) for t in (a.topics.keys() | b.topics.keys())}
    aff_idf = {
        t: idf(stats.frequency(AFFILIATION, t), mentions) for t in (a.affiliations.keys() | b.affiliations.keys())
    }
    ra, rb = a.year_range(), b.year_range()
    gap = max(ra[0] - rb[1], rb[0] - ra[1], 0) if ra and rb else 0
    family = from_variant(max(a.names, key=lambda v: a.names[v])).family
    commonness = family_commonness(family, stats, weights)
    return (
        co,
        _overlap(a.topics, b.topics, topic_idf, weights.topic_information),
        _overlap(a.affiliations, b.affiliations, aff_idf, weights.affiliation_information),
        _venue_overlap(a, b, stats, weights),
        min(weights.year_gap_cap, max(0.0, gap - weights.year_free)),
        1.0 if _share_full_given(a, b) else 0.0,
        1.0 if _has_middle(a) and _has_middle(b) else 0.0,
        commonness,
        _subject_overlap(a, b, commonness, stats, weights),
    )


def _subject_overlap(a: Profile, b: Profile, commonness: float, stats: CorpusStats, weights: Weights) -> float:
    """Shared taxonomy topics as `subject_information` counts them: only for a name that is not common."""
    if commonness > weights.rare_family:
        return 0.0
    works = max(1, stats.frequency(WORK, WORK_TERM))
    subject_idf = {s: idf(stats.frequency(SUBJECT, s), works) for s in (a.subjects.keys() | b.subjects.keys())}
    return _overlap(a.subjects, b.subjects, subject_idf, weights.subject_information)


def _has_middle(profile: Profile) -> bool:
    return any(len(from_variant(v).given) > 1 for v in profile.names)


def _pairs(candidates: Sequence[tuple[str, Profile]], focus: Collection[str] | None) -> set[tuple[int, int]]:
    """Index pairs that share at least one co-author, venue, affiliation or strong topic term."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, (_, profile) in enumerate(candidates):
        strong = sorted(profile.topics, key=lambda t: -profile.topics[t])[:_INDEX_TOPICS]
        for term in (
            *(f"c:{k}" for k in profile.coauthors),
            *(f"v:{k}" for k in profile.venues),
            *(f"a:{k}" for k in profile.affiliations),
            *(f"t:{k}" for k in strong),
        ):
            index[term].append(i)
    wanted = None if focus is None else {i for i, (rid, _) in enumerate(candidates) if rid in focus}
    pairs: set[tuple[int, int]] = set()
    for members in index.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if wanted is None or i in wanted or j in wanted:
                    pairs.add((i, j))
    return pairs


def find_merges(
    candidates: Sequence[tuple[str, Profile]],
    stats: CorpusStats,
    weights: Weights = DEFAULT_WEIGHTS,
    focus: Collection[str] | None = None,
) -> list[Merge]:
    """Researchers of one block that are one person; each loser points at its group's final survivor.

    Stricter than assign (`weights.merge_probability`), with the same rules: every name variant of one must fit
    every variant of the other, no different ORCIDs, no shared work, at least two kinds of evidence. Pairs are
    taken best first and a group is re-checked as a whole before it grows. The survivor of a group is the oldest
    id by `age_key`, so public ids stay stable. `focus` limits the pass to pairs involving those ids (the
    researchers that changed since the last pass).
    """
    scored: list[tuple[float, int, int, tuple[float, ...]]] = []
    for i, j in _pairs(candidates, focus):
        a, b = candidates[i][1], candidates[j][1]
        if not _can_link(a, b):
            continue
        if set(a.orcids) & set(b.orcids):
            continue  # taken below with the other ORCID pairs
        score, parts, needed = _scored(a, b, stats, weights)
        if _passes(score, parts, needed, weights):
            scored.append((score, i, j, parts))
    for i, j in _orcid_pairs(candidates):
        scored.append((50.0, i, j, ()))
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    group = list(range(len(candidates)))
    merged = {i: profile for i, (_, profile) in enumerate(candidates)}

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    joined: dict[int, tuple[float, tuple[float, ...]]] = {}
    for pair_score, i, j, pair_parts in scored:
        ri, rj = root(i), root(j)
        if ri == rj or not _can_link(merged[ri], merged[rj]):
            continue
        score, parts = pair_score, pair_parts
        if (ri, rj) != (i, j) and parts:
            # A group is not chained through one strong pair: the grown groups must still match as wholes.
            score, parts, needed = _scored(merged[ri], merged[rj], stats, weights)
            if not _passes(score, parts, needed, weights):
                continue
        keep, drop = (ri, rj) if age_key(candidates[ri][0]) <= age_key(candidates[rj][0]) else (rj, ri)
        group[drop] = keep
        merged[keep] = merged[keep].merged(merged.pop(drop))
        joined[drop] = (score, parts)
    merges = []
    for loser, (score, parts) in sorted(joined.items()):
        survivor = root(loser)
        merges.append(Merge(candidates[survivor][0], candidates[loser][0], round(sigmoid(score), 4), _reasons(parts)))
    return merges


def _scored(
    a: Profile, b: Profile, stats: CorpusStats, weights: Weights
) -> tuple[float, tuple[float, ...], float | None]:
    values = pair_values(a, b, stats, weights)
    parts = points(values, weights)
    common = values[FEATURES.index("family_commonness")] > weights.rare_family
    namesake = common and _namesake_once(_shared_coauthors(a, b), stats, weights)
    return weights.bias + sum(parts), parts, required_probability(values, weights, merge=True, namesake=namesake)


def _passes(score: float, parts: tuple[float, ...], needed: float | None, weights: Weights) -> bool:
    """Merges fuse whole researchers: besides the bar, co-authors in common must be among the evidence."""
    social = parts[0] >= weights.coefficients["coauthors"] * weights.evidence_minimum["coauthors"]
    return needed is not None and social and sigmoid(score) >= needed


def _orcid_pairs(candidates: Sequence[tuple[str, Profile]]) -> list[tuple[int, int]]:
    holders: dict[str, list[int]] = defaultdict(list)
    for i, (_, profile) in enumerate(candidates):
        for orcid in profile.orcids:
            holders[orcid].append(i)
    return [(ids[0], j) for ids in holders.values() for j in ids[1:]]


_DETAILS = {
    "coauthors": "co-authors in common",
    "topic": "title/keyword words in common",
    "affiliation": "affiliation words in common",
    "venue": "a venue in common",
    "year_gap": "years of activity far apart",
    "full_name": "the same full given name",
    "middle_name": "both have a middle name or initial",
    "family_commonness": "how common the family name is",
    "subjects": "research topics in common",
}


def _reasons(parts: tuple[float, ...]) -> tuple[Reason, ...]:
    if not parts:
        return (Reason("orcid", "the same ORCID", 10.0),)
    return tuple(
        Reason(kind, _DETAILS[kind], round(p, 3)) for kind, p in zip(FEATURES, parts, strict=True) if abs(p) >= 0.01
    )
