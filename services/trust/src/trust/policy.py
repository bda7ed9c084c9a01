"""The versioned scoring policy: every weight, threshold and reputation prior trust scores with, in one place.

Changing anything here means changing VERSION: on start-up trust sees a stored version that differs and recomputes
every snapshot (history keeps which policy produced which score).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

VERSION = "2026-11-23.1"

# Upper bounds of each band (inclusive), in order: a score lands in the first band whose bound it does not exceed.
BANDS: tuple[tuple[str, int], ...] = (
    ("New", 14),
    ("Emerging", 34),
    ("Established", 59),
    ("Trusted", 79),
    ("Highly trusted", 100),
)

# The most points each component gives; they add up to 100.
WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "corroborated_works": 30.0,
        "independent_sources": 15.0,
        "peer_reviewed_venues": 15.0,
        "orcid": 8.0,
        "trusted_collaborators": 10.0,
        "account_claim": 7.0,
        "followers": 5.0,
        "tenure": 10.0,
    }
)

# What each source is believed to be worth before any corroboration is counted (0..1).
SOURCE_PRIORS: Mapping[str, float] = MappingProxyType(
    {
        "crossref": 0.95,
        "pubmed": 0.95,
        "dblp": 0.85,
        "arxiv": 0.8,
        "openalex": 0.8,
        "semantic_scholar": 0.75,
        "hf_daily_papers": 0.6,
        "academia": 0.3,
    }
)

# Sources that republish another's records are one family: they do not corroborate each other.
SOURCE_FAMILIES: Mapping[str, str] = MappingProxyType({"hf_daily_papers": "arxiv"})


@dataclass(frozen=True)
class Policy:
    """One version of the scoring rules (the module constants by default; tests build variants)."""

    version: str = VERSION
    bands: tuple[tuple[str, int], ...] = BANDS
    weights: Mapping[str, float] = field(default_factory=lambda: WEIGHTS)
    source_priors: Mapping[str, float] = field(default_factory=lambda: SOURCE_PRIORS)
    source_families: Mapping[str, str] = field(default_factory=lambda: SOURCE_FAMILIES)
    unknown_source_prior: float = 0.4
    # Learned reputation: the prior moves by at most this much up or down with the source's corroboration rate,
    # smoothed by this many pseudo-works at a neutral rate of one half.
    learned_spread: float = 0.15
    learned_pseudo_works: float = 20.0
    reputable_from: float = 0.6
    low_reputation_below: float = 0.4
    # Saturating components: points = weight * value / (value + half); half the weight at `half`.
    corroborated_half: float = 15.0
    peer_reviewed_half: float = 5.0
    collaborators_half: float = 8.0
    followers_half: float = 20.0
    tenure_full_years: float = 10.0
    # A co-author counts as trusted with at least this many works carrying a registered identifier.
    trusted_coauthor_min_works: int = 3
    # Flags: (points taken off, ...) and what triggers them.
    burst_min_works: int = 5
    burst_window_days: int = 7
    burst_penalty: float = 5.0
    single_source_min_coauthors: int = 3
    single_source_penalty: float = 3.0
    off_topic_min_works: int = 5
    core_topic_share: float = 0.25
    off_topic_penalty_per_work: float = 1.0
    off_topic_max_penalty: float = 4.0
    contradiction_penalty: float = 4.0
    # Evidence lists are capped (with the full count beside them): snapshot rows stay small enough to rewrite per batch.
    evidence_limit: int = 20


POLICY = Policy()
