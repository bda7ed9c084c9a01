"""Features of the labelled MEDLINE pairs (one mention against the other's one-work profile), for learning weights."""

from __future__ import annotations

from dataclasses import dataclass

from eval.disambiguation.data import Medline, mentions
from eval.disambiguation.medline import Pair
from profiles.disambiguation import Mention, Profile, Weights
from profiles.disambiguation.features import features
from profiles.disambiguation.memory_stats import MemoryStats
from profiles.disambiguation.scoring import feature_values, fits_every_variant, lone_namesake, weigh


@dataclass(frozen=True)
class PairRow:
    """One labelled pair's features (FEATURES order), or None when the rules already keep them apart."""

    pair: Pair
    values: tuple[float, ...] | None
    namesake: bool = False  # the only co-author in common may be a namesake (scoring.lone_namesake)


def corpus_stats(medline: Medline) -> tuple[MemoryStats, dict[tuple[str, int], Mention]]:
    """Stats over every mention of the corpus, and the mentions by slot."""
    stats = MemoryStats()
    by_slot: dict[tuple[str, int], Mention] = {}
    for work in medline.works.values():
        for mention in mentions(work):
            stats.add(mention)
            by_slot[(mention.work_id, mention.position)] = mention
    return stats, by_slot


def pair_rows(
    pairs: list[Pair], stats: MemoryStats, by_slot: dict[tuple[str, int], Mention], weights: Weights
) -> list[PairRow]:
    """Each pair's features, as assign would see the second mention against a researcher holding the first."""
    rows = []
    for pair in pairs:
        first, second = by_slot[pair.first], by_slot[pair.second]
        found = features(second)
        profile = Profile.empty().absorb(first)
        keys_meet = bool(set(found.keys) & set(profile.block_keys()))
        if not keys_meet or found.work_hash in profile.works or not fits_every_variant(found.variant, profile.names):
            rows.append(PairRow(pair, None))
            continue
        weighted = weigh(found, stats, weights)
        values = feature_values(weighted, profile, weights)
        rows.append(PairRow(pair, values, lone_namesake(weighted, profile, weights)))
    return rows
