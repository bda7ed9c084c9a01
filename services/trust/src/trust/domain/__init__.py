"""Trust's rules, free of IO: reputation, components, flags, verification and the snapshot they make."""

from trust.domain.components import trusted_crossed
from trust.domain.facts import Claim, ResearcherFacts, SightingFacts, SourceStats, WorkFacts
from trust.domain.reputation import contributions, reputations, shifted
from trust.domain.snapshot import Snapshot, band, snapshot

__all__ = [
    "Claim",
    "ResearcherFacts",
    "SightingFacts",
    "Snapshot",
    "SourceStats",
    "WorkFacts",
    "band",
    "contributions",
    "reputations",
    "shifted",
    "snapshot",
    "trusted_crossed",
]
