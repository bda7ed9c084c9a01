"""Evidence behind a component or a flag, and the work-level facts several rules share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from trust.domain.facts import SightingFacts, WorkFacts
from trust.domain.reputation import family
from trust.policy import Policy

ARXIV_DATACITE = "10.48550/"
REVIEWED_KINDS = frozenset({"article", "proceedings", "chapter", "book"})


@dataclass(frozen=True)
class Evidence:
    """What a number rests on: work ids, paper.seen event ids, sources (each list capped, totals kept)."""

    work_ids: tuple[str, ...] = ()
    event_ids: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    detail: str = ""
    works_total: int = 0

    def document(self) -> dict[str, Any]:
        """The JSON form (API and database)."""
        return {
            "work_ids": list(self.work_ids),
            "event_ids": list(self.event_ids),
            "sources": list(self.sources),
            "works_total": self.works_total,
            "detail": self.detail,
        }


def evidence(works: Iterable[WorkFacts], policy: Policy, detail: str = "", sources: Iterable[str] = ()) -> Evidence:
    """Evidence of a set of works: their ids, their sightings' event ids and sources (sorted, capped)."""
    chosen = sorted(works, key=lambda w: w.work_id)
    limit = policy.evidence_limit
    events = sorted({s.event_id for w in chosen for s in w.sightings})
    seen = sorted(
        {*sources, *(src for w in chosen for src in w.sources), *(s.source for w in chosen for s in w.sightings)}
    )
    return Evidence(
        work_ids=tuple(w.work_id for w in chosen[:limit]),
        event_ids=tuple(events[:limit]),
        sources=tuple(seen),
        detail=detail,
        works_total=len(chosen),
    )


@dataclass(frozen=True)
class WorkView:
    """A work with the per-work judgements the components and flags share."""

    work: WorkFacts
    sources: frozenset[str]
    families: frozenset[str]
    identified: bool
    reputable: bool
    reviewed: bool
    first_seen: Any = field(default=None)

    @property
    def corroborated(self) -> bool:
        """A registered identifier (DOI, arXiv id, PMID) or a reputable source confirms the work."""
        return self.identified or self.reputable


def view(work: WorkFacts, reputation: Mapping[str, float], policy: Policy) -> WorkView:
    """Judge one work."""
    sources = frozenset({*work.sources, *(s.source for s in work.sightings)})
    reputable = any(reputation.get(s, policy.unknown_source_prior) >= policy.reputable_from for s in sources)
    identified = any(s.doi or s.arxiv or s.pmid for s in work.sightings)
    first = min((s.seen_at for s in work.sightings), default=None)
    return WorkView(
        work=work,
        sources=sources,
        families=frozenset(family(s, policy) for s in sources),
        identified=identified,
        reputable=reputable,
        reviewed=any(reviewed(s) for s in work.sightings),
        first_seen=first,
    )


def reviewed(sighting: SightingFacts) -> bool:
    """A peer-reviewed record: a PubMed id, or a journal/proceedings/book kind with a venue or a publisher's DOI."""
    if sighting.pmid:
        return True
    if sighting.kind not in REVIEWED_KINDS:
        return False
    publisher_doi = sighting.doi is not None and not sighting.doi.startswith(ARXIV_DATACITE)
    return bool(sighting.venue) or publisher_doi


def slot_orcids(work: WorkFacts) -> set[str]:
    """ORCIDs the sightings print on the researcher's slot (matched by surname)."""
    return {
        orcid
        for s in work.sightings
        for surname, orcid in zip(s.surnames, s.orcids, strict=False)
        if orcid and surname == work.surname
    }


def slot_affiliations(work: WorkFacts) -> set[str]:
    """Affiliation strings the sightings print on the researcher's slot."""
    return {
        text
        for s in work.sightings
        for surname, texts in zip(s.surnames, s.affiliations, strict=False)
        if surname == work.surname
        for text in texts
    }
