"""What trust knows about a researcher when it scores: works, their sightings, co-authors, claim and followers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class SightingFacts:
    """One paper.seen of a work, as much of it as the rules read."""

    event_id: str
    source: str
    seen_at: datetime
    doi: str | None = None
    arxiv: str | None = None
    pmid: str | None = None
    kind: str | None = None
    venue: str | None = None
    # Folded surnames in the source's order, with each author's ORCID and affiliations at the same index.
    surnames: tuple[str, ...] = ()
    orcids: tuple[str | None, ...] = ()
    affiliations: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class WorkFacts:
    """A work attributed to the researcher: the slot it holds, the other slots' researchers, every sighting."""

    work_id: str
    name: str
    surname: str
    year: int | None = None
    topic_ids: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    coauthors: tuple[str, ...] = ()
    sightings: tuple[SightingFacts, ...] = ()


@dataclass(frozen=True)
class Claim:
    """A signed-in person claimed the researcher (no claim events exist yet: the rules are ready for them)."""

    orcid: str | None = None
    email_domain: str | None = None


@dataclass(frozen=True)
class ResearcherFacts:
    """Everything one researcher's snapshot is computed from."""

    researcher_id: str
    works: tuple[WorkFacts, ...] = ()
    # Co-author id -> how many of their works carry a registered identifier (DOI, arXiv id, PMID).
    coauthor_identified_works: Mapping[str, int] = field(default_factory=dict)
    claim: Claim | None = None
    followers: int = 0


@dataclass(frozen=True)
class SourceStats:
    """How many works a source saw, and how many of those another source family saw too."""

    works: int = 0
    corroborated: int = 0
