"""Source reputation: a configured prior, moved by how often the source's works are corroborated by others."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from trust.domain.facts import SourceStats
from trust.policy import Policy


def family(source: str, policy: Policy) -> str:
    """The source family (a source that republishes another's records belongs to that one)."""
    return policy.source_families.get(source, source)


def reputation(source: str, stats: SourceStats | None, policy: Policy) -> float:
    """prior + spread * (2 * smoothed corroboration rate - 1), within 0..1; unknown sources start low."""
    prior = policy.source_priors.get(source, policy.unknown_source_prior)
    works, corroborated = (stats.works, stats.corroborated) if stats else (0, 0)
    k = policy.learned_pseudo_works
    rate = (corroborated + 0.5 * k) / (works + k)
    return round(min(1.0, max(0.0, prior + policy.learned_spread * (2 * rate - 1))), 4)


def reputations(stats: Mapping[str, SourceStats], policy: Policy) -> dict[str, float]:
    """Reputation of every configured or observed source."""
    names = sorted({*policy.source_priors, *stats})
    return {name: reputation(name, stats.get(name), policy) for name in names}


def contributions(sources: Iterable[str], policy: Policy) -> dict[str, SourceStats]:
    """What one work adds to each of its sources' stats: one work, corroborated when two families saw it."""
    seen = set(sources)
    corroborated = len({family(s, policy) for s in seen}) > 1
    return {s: SourceStats(1, int(corroborated)) for s in seen}


def standing(source: str, stats: SourceStats | None, policy: Policy) -> int:
    """What the rules read of a reputation: 1 reputable, -1 low, 0 in between."""
    value = reputation(source, stats, policy)
    if value >= policy.reputable_from:
        return 1
    return -1 if value < policy.low_reputation_below else 0


def shifted(before: Mapping[str, SourceStats], after: Mapping[str, SourceStats], policy: Policy) -> set[str]:
    """Sources whose standing changed: every researcher with a work they saw must be rescored."""
    return {s for s in {*before, *after} if standing(s, before.get(s), policy) != standing(s, after.get(s), policy)}
