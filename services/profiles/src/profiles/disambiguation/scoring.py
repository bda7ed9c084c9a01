"""Evidence between a mention and a researcher: rarity-weighted features, points in logit units, and reasons."""

from __future__ import annotations

import heapq
import math
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from profiles.disambiguation.features import (
    AFFILIATION,
    FAMILY,
    FULL,
    GIVENS,
    INITIALS,
    NAME,
    SUBJECT,
    TOPIC,
    VENUE,
    WORK,
    WORK_TERM,
    MentionFeatures,
)
from profiles.disambiguation.model import CorpusStats, Reason
from profiles.disambiguation.profile import Profile
from profiles.disambiguation.weights import FEATURES, Weights
from profiles.names import EAST_ASIAN_FAMILIES, compatible, from_variant, is_full_key

_COMMONNESS = FEATURES.index("family_commonness")
_COAUTHORS = FEATURES.index("coauthors")
_INDEX = {name: i for i, name in enumerate(FEATURES)}
# Observed kinds of evidence; title words and taxonomy topics come from the same text, so they are one kind.
KINDS = (("coauthors",), ("topic", "subjects"), ("affiliation",), ("venue",))


@dataclass(frozen=True, slots=True)
class WeightedMention:
    """A mention's evidence with corpus-rarity weights, computed once per assign and reused for every candidate."""

    found: MentionFeatures
    coauthors: tuple[tuple[str, float, str | None, float], ...]  # (initial key, its weight, full key, its weight)
    coauthor_keys: frozenset[str]  # every initial and full key above, to skip researchers that share none
    topic: dict[str, float]
    topic_total: float
    affiliation: dict[str, float]
    affiliation_total: float
    subjects: dict[str, float]
    venue: float
    commonness: float
    # For a common name, the co-author keys whose family name is common too (a 'chen|wei' may be another Wei Chen).
    namesakes: frozenset[str]


def idf(frequency: int, total: int) -> float:
    """Inverse document frequency, never negative."""
    return max(0.0, math.log((total + 1) / (frequency + 0.5)))


def coauthor_weight(key: str, stats: CorpusStats, weights: Weights) -> float:
    """How much one shared co-author key is worth in [0, 1]: a shared 'wang|y' little, a shared 'ceukelaire|w' 1."""
    frequency = stats.frequency(FULL, key) if is_full_key(key) else stats.frequency(NAME, key)
    raw = idf(frequency, max(stats.mentions, weights.coauthor_mentions_floor)) - weights.coauthor_idf_floor
    return min(1.0, max(0.0, raw / weights.coauthor_idf_span))


def coauthor_credit(
    coauthors: tuple[tuple[str, float, str | None, float], ...], profile: Profile, weights: Weights
) -> tuple[float, list[str]]:
    """Summed credit (capped) of the mention's co-authors that the researcher has, and which.

    Equal keys earn the key's weight. A full name against an initials-only entry, or initials against a full name
    ('Y. Wang' ~ 'Yong Wang'), earns the initial key's weight discounted: 'Yong Wang' and 'Yi Wang' differ.
    """
    keys = profile.coauthors
    credit, shared = 0.0, []
    for initial, w_initial, full, w_full in coauthors:
        if full and full in keys:
            credit += w_full
            shared.append(full)
        elif full is None and initial in keys:
            credit += w_initial
            shared.append(initial)
        elif w_initial > 0 and (initial in keys if full else initial in profile.coauthor_initials()):
            credit += w_initial * weights.unconfirmed_coauthor
            shared.append(initial)
    return min(weights.coauthor_cap, credit), shared


def venue_weight(venue: str, stats: CorpusStats, weights: Weights) -> float:
    """How much a shared venue is worth in [0, 1], by how few works appeared there."""
    works = max(1, stats.frequency(WORK, WORK_TERM))
    raw = (idf(stats.frequency(VENUE, venue), works) - weights.venue_idf_floor) / weights.venue_idf_span
    return min(1.0, max(0.0, raw))


def family_commonness(family: str, stats: CorpusStats, weights: Weights) -> float:
    """How many people share the family name: ln(1 + scale * its share of the corpus's distinct (family, given
    name) pairs), capped ('Wang' is the cap). People are counted by distinct first given names (or distinct
    initials, whichever is more), not by mentions: one prolific author's papers do not make a rare name common.

    Namesakes with one given name (five Jun Zhangs) count as one; for an East Asian family name, shared by
    millions and by many namesakes, each mention counts as a person up to `weights.east_asian_people`, which a
    large corpus outgrows.
    """
    people = max(stats.frequency(GIVENS, family), stats.frequency(INITIALS, family))
    if family in EAST_ASIAN_FAMILIES:
        people = max(people, min(stats.frequency(FAMILY, family), weights.east_asian_people))
    names = max(
        stats.frequency(GIVENS, WORK_TERM), stats.frequency(INITIALS, WORK_TERM), weights.commonness_names_floor
    )
    return min(weights.commonness_cap, math.log1p(weights.commonness_scale * people / names))


def weigh(found: MentionFeatures, stats: CorpusStats, weights: Weights) -> WeightedMention:
    """Attach rarity weights from the corpus stats to a mention's evidence."""
    mentions = max(1, stats.mentions)
    works = max(1, stats.frequency(WORK, WORK_TERM))
    coauthors = tuple(
        (
            initial,
            coauthor_weight(initial, stats, weights),
            full,
            coauthor_weight(full, stats, weights) if full else 0.0,
        )
        for initial, full in found.coauthors
    )
    topic = {t: idf(stats.frequency(TOPIC, t), works) for t in found.topic}
    affiliation = {t: idf(stats.frequency(AFFILIATION, t), mentions) for t in found.affiliation}
    subjects = {s: idf(stats.frequency(SUBJECT, s), works) for s in found.subjects}
    commonness = family_commonness(found.parsed.family, stats, weights)
    return WeightedMention(
        found=found,
        coauthors=coauthors,
        coauthor_keys=frozenset(k for initial, _, full, _ in coauthors for k in (initial, full) if k),
        topic=topic,
        topic_total=sum(topic.values()),
        affiliation=affiliation,
        affiliation_total=sum(affiliation.values()),
        subjects=subjects,
        venue=venue_weight(found.venue, stats, weights) if found.venue else 0.0,
        commonness=commonness,
        namesakes=frozenset(
            key
            for initial, full in found.coauthors
            if commonness > weights.rare_family and common_family(initial, stats, weights)
            for key in (initial, full)
            if key
        ),
    )


def common_family(key: str, stats: CorpusStats, weights: Weights) -> bool:
    """The family name of a co-author's key ('chen|wei') is common, by the same people-based measure as the
    mention's own family name."""
    return family_commonness(key[: key.find("|")], stats, weights) > weights.rare_family


def lone_namesake(mention: WeightedMention, profile: Profile, weights: Weights) -> bool:
    """For a common name, the only co-author in common has a common family name: a namesake co-author ('Wei Chen')
    of a namesake ('Jun Zhang') is too likely, even when each Jun Zhang has met his Wei Chen many times."""
    if not mention.namesakes:
        return False
    shared = set(coauthor_credit(mention.coauthors, profile, weights)[1])
    return len(shared) == 1 and shared <= mention.namesakes


@lru_cache(maxsize=262_144)
def variants_compatible(a: str, b: str) -> bool:
    """Two stored name variants are compatible (cached: blocks compare the same few variants again and again)."""
    return compatible(from_variant(a), from_variant(b))


def fits_every_variant(variant: str, names: Iterable[str]) -> bool:
    """A name must agree with every variant of a researcher, so 'K Ma' cannot bridge 'Kaisheng' and 'Kaiming'."""
    return all(variants_compatible(variant, other) for other in names)


def _coverage(weighted: Mapping[str, float], total: float, terms: Mapping[str, int]) -> float:
    if total <= 0:
        return 0.0
    return sum(w for t, w in weighted.items() if t in terms) / total


def _shared_information(weighted: Mapping[str, float], terms: Mapping[str, int], scale: float) -> float:
    """The rarity (idf) of the shared terms, summed, in units of `scale` and capped at 1: two rare shared words
    say as much in a long title as in a short one."""
    if not weighted or not terms:
        return 0.0
    # Summed in the mention's word order, not a set's: a set's order follows the hash seed, and a float sum its
    # order, so a replay in another process could otherwise land on the other side of a join bar.
    return min(1.0, sum(weight for term, weight in weighted.items() if term in terms) / scale)


def subject_information(
    subjects: Mapping[str, float], profile_subjects: Mapping[str, int], commonness: float, weights: Weights
) -> float:
    """Shared taxonomy topics, for a name that is not common: a field holds many Zhangs, rarely two Dodeys."""
    if commonness > weights.rare_family:
        return 0.0
    return _shared_information(subjects, profile_subjects, weights.subject_information)


def _topic_information(mention: WeightedMention, profile: Profile, weights: Weights) -> float:
    """Shared topic information; when the venue itself matches, its name words are not counted twice."""
    found = mention.found
    if found.venue and found.venue in profile.venues and found.venue_words:
        kept = {t: w for t, w in mention.topic.items() if t not in found.venue_words}
        return _shared_information(kept, profile.topics, weights.topic_information)
    return _shared_information(mention.topic, profile.topics, weights.topic_information)


def _year_gap(year: int | None, profile: Profile, weights: Weights) -> float:
    if year is None or not profile.years:
        return 0.0
    span = profile.year_range()
    assert span is not None
    gap = max(span[0] - year, year - span[1], 0)
    return min(weights.year_gap_cap, max(0.0, gap - weights.year_free))


def same_full_given(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Both spell the first given name in full and alike ('Guang-yu' ~ 'Guangyu', 'John A.' ~ 'John Albert')."""
    if not a or not b or len(a[0]) < 2 or len(b[0]) < 2:
        return False
    return a[0] == b[0] or "".join(p for p in a if len(p) > 1) == "".join(p for p in b if len(p) > 1)


def _name_match(found: MentionFeatures, profile: Profile) -> tuple[float, float]:
    """(the researcher has the mention's full given name, both have a second given name or initial)."""
    cached = profile.name_match(found.variant)
    if cached is not None:
        return cached
    given = found.parsed.given
    variants = [from_variant(v).given for v in profile.names]
    full = 1.0 if any(same_full_given(given, g) for g in variants) else 0.0
    middle = 1.0 if len(given) > 1 and any(len(g) > 1 for g in variants) else 0.0
    profile.remember_name_match(found.variant, (full, middle))
    return full, middle


def feature_values(mention: WeightedMention, profile: Profile, weights: Weights) -> tuple[float, ...]:
    """The features in FEATURES order, before weighting."""
    found = mention.found
    full, middle = _name_match(found, profile)
    return (
        coauthor_credit(mention.coauthors, profile, weights)[0],
        _topic_information(mention, profile, weights),
        _shared_information(mention.affiliation, profile.affiliations, weights.affiliation_information),
        mention.venue if found.venue and found.venue in profile.venues else 0.0,
        _year_gap(found.year, profile, weights),
        full,
        middle,
        mention.commonness,
        subject_information(mention.subjects, profile.subjects, mention.commonness, weights),
    )


def score(mention: WeightedMention, profile: Profile, weights: Weights) -> float:
    """bias + sum(coefficient * feature), computed without building the feature tuple (assign's hot loop)."""
    c = weights.coefficient_tuple
    found = mention.found
    total = weights.bias + c[7] * mention.commonness
    if mention.coauthors and not (
        mention.coauthor_keys.isdisjoint(profile.coauthors)
        and mention.coauthor_keys.isdisjoint(profile.coauthor_initials())
    ):
        total += c[0] * coauthor_credit(mention.coauthors, profile, weights)[0]
    total += c[1] * _topic_information(mention, profile, weights)
    if mention.affiliation:
        total += c[2] * _shared_information(mention.affiliation, profile.affiliations, weights.affiliation_information)
    if mention.subjects:
        total += c[8] * subject_information(mention.subjects, profile.subjects, mention.commonness, weights)
    if found.venue and found.venue in profile.venues:
        total += c[3] * mention.venue
    if found.year is not None and profile.years:
        total += c[4] * _year_gap(found.year, profile, weights)
    full, middle = _name_match(found, profile)
    return total + c[5] * full + c[6] * middle


def points(values: tuple[float, ...], weights: Weights) -> tuple[float, ...]:
    """Each feature's contribution to the score in logit units."""
    return tuple(map(operator.mul, weights.coefficient_tuple, values))


def observed_kinds(values: tuple[float, ...], weights: Weights) -> int:
    """How many observed kinds of evidence (co-authors, topic words or subjects, affiliation, venue) reach their
    minimum."""
    minimum = weights.evidence_minimum
    return sum(1 for kind in KINDS if any(values[_INDEX[f]] >= minimum[f] for f in kind if f in minimum))


def evidence_kinds(values: tuple[float, ...], weights: Weights) -> int:
    """The observed kinds of evidence, and an uncommon family name as one more kind."""
    return observed_kinds(values, weights) + (1 if values[_COMMONNESS] <= weights.rare_family else 0)


def common_without_coauthors(values: tuple[float, ...], weights: Weights) -> bool:
    """A common family name with no co-authors in common: a field and a venue hold many Jun Zhangs."""
    return values[_COMMONNESS] > weights.rare_family and values[_COAUTHORS] < weights.evidence_minimum["coauthors"]


def required_probability(
    values: tuple[float, ...], weights: Weights, merge: bool = False, namesake: bool = False
) -> float | None:
    """The probability a join (or merge) needs given its kinds of evidence; None when the evidence cannot join.

    A common family name needs co-authors in common. Two observed kinds may carry a decision at the lower
    observed-evidence bar; when the name's rarity is one of the two kinds, the plain (higher) bar applies.
    `namesake`: the co-authors in common are one name of a common family (`lone_namesake`; for a merge, one met
    only once): that is no co-author evidence for a join, and a merge (two profiles' evidence) needs
    `namesake_probability`.
    """
    if common_without_coauthors(values, weights) or (namesake and not merge):
        return None
    plain = weights.merge_probability if merge else weights.join_probability
    observed_bar = weights.observed_merge_probability if merge else weights.observed_join_probability
    if observed_kinds(values, weights) >= weights.min_evidence_kinds:
        needed = plain if observed_bar is None else observed_bar
    elif evidence_kinds(values, weights) >= weights.min_evidence_kinds:
        needed = plain
    else:
        return None
    return max(needed, weights.namesake_probability) if namesake else needed


def sigmoid(x: float) -> float:
    """The logistic function, safe for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _shared(weighted: Mapping[str, float], terms: Mapping[str, int], limit: int = 5) -> str:
    shared = weighted.keys() & terms.keys()
    strongest = heapq.nsmallest(limit, shared, key=lambda term: (-weighted[term], term))
    more = f" (+{len(shared) - limit} more)" if len(shared) > limit else ""
    return ", ".join(strongest) + more


def explain(
    mention: WeightedMention, profile: Profile, parts: tuple[float, ...], weights: Weights
) -> tuple[Reason, ...]:
    """Human-readable reasons for every feature that gave or took points."""
    found = mention.found
    details: dict[str, Callable[[], str]] = {
        "coauthors": lambda: (
            "shared co-authors: " + ", ".join(coauthor_credit(mention.coauthors, profile, weights)[1][:5])
        ),
        "topic": lambda: "title/keyword words in common: " + _shared(mention.topic, profile.topics),
        "affiliation": lambda: "affiliation words in common: " + _shared(mention.affiliation, profile.affiliations),
        "venue": lambda: f"published in the same venue: {found.venue}",
        "year_gap": lambda: f"{found.year} is far from the researcher's years {profile.year_range()}",
        "full_name": lambda: f"same full given name: {found.parsed.given[0] if found.parsed.given else ''}",
        "middle_name": lambda: "both have a middle name or initial",
        "family_commonness": lambda: f"how common the family name '{found.parsed.family}' is",
        "subjects": lambda: "research topics in common: " + _shared(mention.subjects, profile.subjects),
    }
    return tuple(
        Reason(kind, details[kind](), round(p, 3)) for kind, p in zip(FEATURES, parts, strict=True) if abs(p) >= 0.01
    )
