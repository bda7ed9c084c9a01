"""Evidence between a mention and a researcher: rarity-weighted features, points in logit units, and reasons."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from profiles.disambiguation.features import AFFILIATION, FULL, NAME, TOPIC, VENUE, WORK, WORK_TERM, MentionFeatures
from profiles.disambiguation.model import CorpusStats, Reason
from profiles.disambiguation.profile import Profile
from profiles.disambiguation.weights import Weights
from profiles.names import compatible, from_variant, is_full_key

FEATURES = ("coauthors", "topic", "affiliation", "venue", "year_gap", "full_name", "name_rarity")
# Which features are independent kinds of evidence for the two-kinds rule (a year gap only ever subtracts).
EVIDENCE_KINDS = {"coauthors": "coauthors", "topic": "topic", "affiliation": "affiliation", "venue": "venue"}
NAME_KIND = "name"


@dataclass(frozen=True, slots=True)
class WeightedMention:
    """A mention's evidence with corpus-rarity weights, computed once per assign and reused for every candidate."""

    found: MentionFeatures
    coauthors: tuple[tuple[str, float, str | None, float], ...]  # (initial key, its weight, full key, its weight)
    topic: dict[str, float]
    topic_total: float
    affiliation: dict[str, float]
    affiliation_total: float
    venue: float
    rarity: float


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


def name_rarity(found: MentionFeatures, stats: CorpusStats, weights: Weights) -> float:
    """How specific the name is: log(reference / mentions of the full name, or of the key for initials)."""
    if found.full_key:
        frequency = stats.frequency(FULL, found.full_key)
    elif found.keys:
        frequency = stats.frequency(NAME, found.keys[0])
    else:
        return 0.0
    return max(0.0, math.log(weights.rarity_reference / max(1, frequency)))


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
    return WeightedMention(
        found=found,
        coauthors=coauthors,
        topic=topic,
        topic_total=sum(topic.values()),
        affiliation=affiliation,
        affiliation_total=sum(affiliation.values()),
        venue=venue_weight(found.venue, stats, weights) if found.venue else 0.0,
        rarity=name_rarity(found, stats, weights),
    )


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


def _year_gap(year: int | None, profile: Profile, weights: Weights) -> float:
    if year is None or not profile.years:
        return 0.0
    span = profile.year_range()
    assert span is not None
    gap = max(span[0] - year, year - span[1], 0)
    return max(0.0, gap - weights.year_free)


def _has_full_name(found: MentionFeatures, profile: Profile) -> float:
    given = found.parsed.given
    if not given or len(given[0]) < 2:
        return 0.0
    first = given[0]
    return 1.0 if any(first in from_variant(v).given[:1] for v in profile.names) else 0.0


def feature_values(mention: WeightedMention, profile: Profile, weights: Weights) -> tuple[float, ...]:
    """The features in FEATURES order, before weighting."""
    found = mention.found
    return (
        coauthor_credit(mention.coauthors, profile, weights)[0],
        _coverage(mention.topic, mention.topic_total, profile.topics),
        _coverage(mention.affiliation, mention.affiliation_total, profile.affiliations),
        mention.venue if found.venue and found.venue in profile.venues else 0.0,
        _year_gap(found.year, profile, weights),
        _has_full_name(found, profile),
        mention.rarity,
    )


def points(values: tuple[float, ...], weights: Weights) -> tuple[float, ...]:
    """Each feature's contribution to the score in logit units (the year gap subtracts)."""
    w = weights
    coefficients = (w.coauthors, w.topic, w.affiliation, w.venue, -w.year_gap, w.full_name, w.name_rarity)
    return tuple(c * v for c, v in zip(coefficients, values, strict=True))


def evidence_kinds(parts: tuple[float, ...], weights: Weights) -> int:
    """How many independent kinds of evidence gave at least the minimum points (the name counts as one kind)."""
    kinds = sum(
        1
        for name, p in zip(FEATURES, parts, strict=True)
        if name in EVIDENCE_KINDS and p >= weights.evidence_min_points
    )
    name_points = parts[FEATURES.index("full_name")] + parts[FEATURES.index("name_rarity")]
    return kinds + (1 if name_points >= weights.evidence_min_points * 2 else 0)


def sigmoid(x: float) -> float:
    """The logistic function, safe for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _shared(weighted: Mapping[str, float], terms: Mapping[str, int], limit: int = 5) -> str:
    shared = sorted((t for t in weighted if t in terms), key=lambda t: -weighted[t])
    return ", ".join(shared[:limit]) + (f" (+{len(shared) - limit} more)" if len(shared) > limit else "")


def explain(
    mention: WeightedMention, profile: Profile, parts: tuple[float, ...], weights: Weights
) -> tuple[Reason, ...]:
    """Human-readable reasons for every feature that gave or took points."""
    found = mention.found
    details = {
        "coauthors": lambda: (
            "shared co-authors: " + ", ".join(coauthor_credit(mention.coauthors, profile, weights)[1][:5])
        ),
        "topic": lambda: "title/keyword words in common: " + _shared(mention.topic, profile.topics),
        "affiliation": lambda: "affiliation words in common: " + _shared(mention.affiliation, profile.affiliations),
        "venue": lambda: f"published in the same venue: {found.venue}",
        "year_gap": lambda: f"{found.year} is far from the researcher's years {profile.year_range()}",
        "full_name": lambda: f"same full given name: {found.parsed.given[0] if found.parsed.given else ''}",
        "name_rarity": lambda: f"uncommon name ({found.full_key or (found.keys[0] if found.keys else '')})",
    }
    return tuple(
        Reason(kind, details[kind](), round(p, 3)) for kind, p in zip(FEATURES, parts, strict=True) if abs(p) >= 0.01
    )
