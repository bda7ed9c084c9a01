"""Ingest's business rules, free of IO: turn a posted item into a normalised sighting or a rejection."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, Literal, NamedTuple
from uuid import UUID

import orjson
from pydantic import ValidationError

from contracts import PaperSeenV1, Sighting, work_key
from ingest import normalise as n
from ingest.incoming import SIGHTING_SHAPE, FieldError, Problems, normalise_sighting, shape_errors

ALL_SOURCES = "*"
_INDEX = re.compile(r"\.\d+(?=\.|$)")
EVENT_TYPE = PaperSeenV1.model_fields["event_type"].default
SCHEMA_VERSION = PaperSeenV1.model_fields["schema_version"].default


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
class Rejected:
    """An item that will not be published, with every reason found."""

    errors: tuple[FieldError, ...]
    status: Literal["rejected"] = "rejected"


class _Keyed(NamedTuple):
    """A paper's identifiers as plain data, for the work key (cheaper than the contract model)."""

    doi: str | None
    arxiv: str | None
    arxiv_version: int | None
    pmid: str | None
    openalex: str | None
    dblp: str | None
    s2: str | None


@dataclass(frozen=True)
class Prepared:
    """A valid, normalised sighting ready to be deduplicated and published: the contract's fields as plain data."""

    data: dict[str, Any]
    paper_json: bytes
    warnings: tuple[str, ...] = field(default=())

    @property
    def content_hash(self) -> bytes:
        """Digest of everything the sighting says about the paper: equal content from one URL is a duplicate."""
        return hashlib.sha256(self.paper_json).digest()

    @property
    def work_key(self) -> str:
        """The work key, also the Kafka message key."""
        return str(self.data["work_key"])

    @cached_property
    def sighting(self) -> Sighting:
        """The same sighting as the contract model (for callers that want attributes; the hot path never does)."""
        return Sighting.model_validate(self.data)


def prepare(raw: object, crawler: Crawler, now: datetime) -> Prepared | Rejected:
    """Validate and normalise one posted item; never raises for bad input."""
    if isinstance(raw, MalformedItem):
        return Rejected((FieldError("", "json_invalid", raw.reason),))
    if not isinstance(raw, dict):
        return Rejected((FieldError("", "type", "each sighting must be a JSON object"),))
    try:
        shaped = SIGHTING_SHAPE.validate_python(raw)
    except ValidationError as exc:
        return Rejected(tuple(shape_errors(exc)))
    problems = Problems()
    data = normalise_sighting(shaped, now, problems)
    if problems.errors:
        return Rejected(tuple(problems.errors))
    if not crawler.may_post(data["source"]):
        return Rejected((FieldError("source", "forbidden_source", _forbidden(crawler, data["source"])),))
    try:
        paper = _paper(data["paper"], problems.warnings)
    except ValueError as exc:
        return Rejected((FieldError("paper", "value_error", str(exc)),))
    authors = paper["authors"]
    key = work_key(
        _Keyed(**paper["identifiers"]), paper["title"], paper["year"], authors[0]["name"] if authors else None
    )
    # Field order is the contract's, so the JSON below is what the contract model would serialise.
    sighting = {
        "sighting_id": data["sighting_id"],
        "source": data["source"],
        "source_url": data["source_url"],
        "seen_at": data["seen_at"] or now,
        "crawler": crawler.name,
        "work_key": key,
        "paper": paper,
    }
    # Serialised once: the bytes are both hashed (the duplicate test) and spliced into the event unchanged.
    return Prepared(sighting, orjson.dumps(paper), tuple(problems.warnings))


def event_json(prepared: Prepared, event_id: UUID, ingested_at: datetime, producer: str) -> bytes:
    """The paper.seen v1 event for an accepted sighting, serialised; it occurred when the crawler saw the paper."""
    return orjson.dumps(
        {
            "event_id": event_id,
            "event_type": EVENT_TYPE,
            "schema_version": SCHEMA_VERSION,
            "occurred_at": prepared.data["seen_at"],
            "ingested_at": ingested_at,
            "producer": producer,
            "data": {**prepared.data, "paper": orjson.Fragment(prepared.paper_json)},
        },
        option=orjson.OPT_UTC_Z,
    )


def _paper(incoming: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    identifiers = _identifiers(incoming["identifiers"], warnings)
    keyed = identifiers["doi"] or identifiers["arxiv"] or identifiers["pmid"] or identifiers["openalex"]
    if not incoming["title"] and not keyed:
        raise ValueError("a title is required when the sighting has no DOI, arXiv, PubMed or OpenAlex id")
    authors = incoming["authors"]
    author_count = incoming["author_count"]
    if author_count is not None and author_count < len(authors):
        warnings.append(f"author_count {author_count} is less than the {len(authors)} authors listed; corrected")
        author_count = len(authors)
    published = incoming["published"]
    return {
        "title": incoming["title"],
        "abstract": incoming["abstract"],
        "kind": incoming["kind"],
        "published": published,
        "year": int(published[:4]) if published else None,
        "venue": incoming["venue"],
        "identifiers": identifiers,
        "authors": authors,
        "author_count": author_count if author_count is not None else (len(authors) or None),
        "keywords": incoming["keywords"],
        "urls": incoming["urls"],
        "comments": incoming["comments"],
    }


def _identifiers(ids: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    arxiv, doi = ids["arxiv"], ids["doi"]
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
    return {**ids, "doi": doi, "arxiv": arxiv}


# A UUID's version is bits 76-79 of its integer (8 here) and its variant bits 62-63 (binary 10, RFC 9562).
_UUID_V8_BITS = (0x8 << 76) | (0x2 << 62)
_UUID_KEPT_BITS = ((1 << 128) - 1) ^ ((0xF << 76) | (0x3 << 62))


def event_id_for(source: str, source_url: str, content_hash: bytes) -> UUID:
    """The event id of a sighting: fixed by what makes it unique, so a retried publish repeats the same id.

    A name-based UUID (RFC 9562 version 8: BLAKE2b of the name, as uuid5 is SHA-1 of it, at a third of the cost).
    """
    digest = hashlib.blake2b(f"{source}\n{source_url}\n".encode() + content_hash, digest_size=16).digest()
    return UUID(int=int.from_bytes(digest) & _UUID_KEPT_BITS | _UUID_V8_BITS)


def field_family(field_path: str) -> str:
    """A field path without list indexes ('paper.authors.3.name' -> 'paper.authors.name'), for metrics."""
    return _INDEX.sub("", field_path)


def _forbidden(crawler: Crawler, source: str) -> str:
    allowed = ", ".join(sorted(crawler.sources)) or "none"
    return f"this crawler key may not post source {source!r} (allowed: {allowed})"
