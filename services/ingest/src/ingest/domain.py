"""Ingest's business rules, free of IO: turn a posted item into a normalised sighting or a rejection."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import ValidationError

from contracts import Identifiers, Paper, PaperSeenV1, Sighting, work_key
from ingest import normalise as n
from ingest.incoming import IdentifiersIn, PaperIn, SightingIn

ALL_SOURCES = "*"
_INDEX = re.compile(r"\.\d+(?=\.|$)")


@dataclass(frozen=True)
class Crawler:
    """An authenticated crawler: its name and the sources it may post for ('*' for any)."""

    id: UUID
    name: str
    sources: frozenset[str]

    def may_post(self, source: str) -> bool:
        """True when this crawler's key is bound to the source."""
        return ALL_SOURCES in self.sources or source in self.sources


@dataclass(frozen=True)
class MalformedItem:
    """An item that was not even JSON (one bad line of an NDJSON body)."""

    reason: str


@dataclass(frozen=True)
class FieldError:
    """One reason an item was refused, pointing at the field."""

    field: str
    code: str
    message: str


@dataclass(frozen=True)
class Rejected:
    """An item that will not be published, with every reason found."""

    errors: tuple[FieldError, ...]
    status: Literal["rejected"] = "rejected"


@dataclass(frozen=True)
class Prepared:
    """A valid, normalised sighting ready to be deduplicated and published."""

    sighting: Sighting
    content_hash: bytes
    warnings: tuple[str, ...] = field(default=())


def prepare(raw: object, crawler: Crawler, now: datetime) -> Prepared | Rejected:
    """Validate and normalise one posted item; never raises for bad input."""
    if isinstance(raw, MalformedItem):
        return Rejected((FieldError("", "json_invalid", raw.reason),))
    if not isinstance(raw, dict):
        return Rejected((FieldError("", "type", "each sighting must be a JSON object"),))
    context: dict[str, object] = {"now": now, "warnings": []}
    try:
        incoming = SightingIn.model_validate(raw, context=context)
    except ValidationError as exc:
        return Rejected(tuple(_field_errors(exc)))
    if not crawler.may_post(incoming.source):
        return Rejected((FieldError("source", "forbidden_source", _forbidden(crawler, incoming.source)),))
    warnings = [str(w) for w in context["warnings"]] if isinstance(context["warnings"], list) else []
    try:
        paper = _paper(incoming.paper, warnings)
    except ValueError as exc:
        return Rejected((FieldError("paper", "value_error", str(exc)),))
    authors = paper["authors"]
    ids = Identifiers.model_construct(**paper["identifiers"])
    key = work_key(ids, paper["title"], paper["year"], authors[0]["name"] if authors else None)
    try:
        # One validation of the whole contract model: cheaper than building nested models one by one, and a
        # last guard that nothing leaves ingest that the published schema would refuse.
        sighting = Sighting.model_validate(
            {
                "sighting_id": incoming.sighting_id,
                "source": incoming.source,
                "source_url": incoming.source_url,
                "seen_at": incoming.seen_at or now,
                "crawler": crawler.name,
                "work_key": key,
                "paper": paper,
            }
        )
    except ValidationError as exc:
        return Rejected(tuple(_field_errors(exc)))
    return Prepared(sighting, content_hash(sighting.paper), tuple(warnings))


def content_hash(paper: Paper) -> bytes:
    """Digest of everything the sighting says about the paper: equal content from one URL is a duplicate."""
    return hashlib.sha256(paper.model_dump_json().encode()).digest()


def build_event(sighting: Sighting, event_id: UUID, ingested_at: datetime, producer: str) -> PaperSeenV1:
    """The paper.seen v1 event for an accepted sighting; it occurred when the crawler saw the paper."""
    return PaperSeenV1(
        event_id=event_id,
        occurred_at=sighting.seen_at,
        ingested_at=ingested_at,
        producer=producer,
        data=sighting,
    )


def _paper(incoming: PaperIn, warnings: list[str]) -> dict[str, Any]:
    identifiers = _identifiers(incoming.identifiers, warnings)
    keyed = identifiers["doi"] or identifiers["arxiv"] or identifiers["pmid"] or identifiers["openalex"]
    if not incoming.title and not keyed:
        raise ValueError("a title is required when the sighting has no DOI, arXiv, PubMed or OpenAlex id")
    authors = [
        {
            "name": a.name,
            "family_name": a.family_name,
            "given_name": a.given_name,
            "orcid": a.orcid,
            "affiliations": a.affiliations,
        }
        for a in incoming.authors
    ]
    author_count = incoming.author_count
    if author_count is not None and author_count < len(authors):
        warnings.append(f"author_count {author_count} is less than the {len(authors)} authors listed; corrected")
        author_count = len(authors)
    return {
        "title": incoming.title,
        "abstract": incoming.abstract,
        "kind": incoming.kind,
        "published": incoming.published,
        "year": int(incoming.published[:4]) if incoming.published else None,
        "venue": incoming.venue,
        "identifiers": identifiers,
        "authors": authors,
        "author_count": author_count if author_count is not None else (len(authors) or None),
        "keywords": incoming.keywords,
        "urls": incoming.urls,
        "comments": incoming.comments,
    }


def _identifiers(incoming: IdentifiersIn, warnings: list[str]) -> dict[str, Any]:
    arxiv, version = n.normalise_arxiv(incoming.arxiv) if incoming.arxiv else (None, None)
    doi = incoming.doi
    if doi and (from_doi := n.arxiv_from_doi(doi)):
        # arXiv's DataCite DOI names the preprint itself: key it as the arXiv id so every sighting agrees.
        try:
            doi_arxiv, _ = n.normalise_arxiv(from_doi)
        except ValueError:
            doi_arxiv = None
        if doi_arxiv and arxiv and doi_arxiv != arxiv:
            warnings.append(f"arXiv DOI {doi} disagrees with arXiv id {arxiv}; kept the arXiv id")
        arxiv = arxiv or doi_arxiv
        doi = None if doi_arxiv else doi
    return {
        "doi": doi,
        "arxiv": arxiv,
        "arxiv_version": version,
        "pmid": incoming.pmid,
        "openalex": incoming.openalex,
        "dblp": incoming.dblp,
        "s2": incoming.s2,
    }


def _field_errors(exc: ValidationError) -> list[FieldError]:
    errors = []
    for error in exc.errors(include_url=False, include_input=False):
        loc = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        errors.append(FieldError(loc, error["type"], message))
    return errors


def field_family(field_path: str) -> str:
    """A field path without list indexes ('paper.authors.3.name' -> 'paper.authors.name'), for metrics."""
    return _INDEX.sub("", field_path)


def _forbidden(crawler: Crawler, source: str) -> str:
    allowed = ", ".join(sorted(crawler.sources)) or "none"
    return f"this crawler key may not post source {source!r} (allowed: {allowed})"
