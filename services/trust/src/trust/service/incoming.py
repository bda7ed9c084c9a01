"""Incoming events reduced to what trust keeps: sighting rows and the work keys that carry an identifier."""

from __future__ import annotations

from contracts import PaperSeenV1
from contracts.keys import surname
from trust.db.repository import SightingRow

IDENTIFIED_KEYS = ("doi:", "arxiv:", "pmid:")


def sighting_row(event: PaperSeenV1) -> SightingRow:
    """The stored form of one paper.seen (authors as [surname, ORCID, affiliations]; editors are not authors)."""
    s = event.data
    paper = s.paper
    ids = paper.identifiers
    authors = [[surname(a.name), a.orcid, list(a.affiliations)] for a in paper.authors if a.role is None]
    return SightingRow(
        event_id=str(event.event_id),
        work_key=s.work_key,
        source=s.source,
        seen_at=s.seen_at,
        doi=ids.doi,
        arxiv=ids.arxiv,
        pmid=ids.pmid,
        kind=paper.kind.value if paper.kind else None,
        venue=paper.venue,
        authors=authors,
    )


def identified(work_key: str) -> bool:
    """A work key made from a registered identifier (DOI, arXiv id, PMID), not from a title or OpenAlex id."""
    return work_key.startswith(IDENTIFIED_KEYS)
