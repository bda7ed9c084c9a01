"""paper.seen v1: a crawler saw a paper somewhere; the sighting as ingest normalised it."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from contracts.envelope import ContractModel, Envelope

DOI_PATTERN = r"^10\.[0-9]{4,9}/\S+$"
ARXIV_PATTERN = r"^([0-9]{4}\.[0-9]{4,5}|[a-z]+(-[a-z]+)*(\.[A-Z]{2})?/[0-9]{7})$"
ORCID_PATTERN = r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"
PMID_PATTERN = r"^[1-9][0-9]{0,9}$"
OPENALEX_WORK_PATTERN = r"^W[0-9]{1,12}$"
SOURCE_PATTERN = r"^[a-z][a-z0-9_]{1,39}$"
PUBLISHED_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
# [0-9], not \d: pydantic's regex engine and Python's `re` match any Unicode digit with \d, JSON Schema
# (ECMA-262) validators only 0-9, and a key like "pmid:1٢٣" would split one work in two.
WORK_KEY_PATTERN = r"^(doi|arxiv|pmid|openalex|title):\S+$"

ShortText = Annotated[str, Field(min_length=1, max_length=2000)]


class WorkKind(StrEnum):
    """What kind of scholarly work the source says it saw."""

    PREPRINT = "preprint"
    ARTICLE = "article"
    PROCEEDINGS = "proceedings"
    BOOK = "book"
    CHAPTER = "chapter"
    THESIS = "thesis"
    DATASET = "dataset"
    OTHER = "other"


class AuthorRole(StrEnum):
    """What a listed person did for the work, when it is not authorship."""

    EDITOR = "editor"


class Identifiers(ContractModel):
    """Normalised identifiers of the work; any subset may be present."""

    doi: str | None = Field(default=None, pattern=DOI_PATTERN, description="Lower-cased, no resolver prefix.")
    arxiv: str | None = Field(default=None, pattern=ARXIV_PATTERN, description="arXiv id without version.")
    arxiv_version: int | None = Field(default=None, ge=1, description="The arXiv version seen (2 for v2).")
    pmid: str | None = Field(default=None, pattern=PMID_PATTERN, description="PubMed id.")
    openalex: str | None = Field(default=None, pattern=OPENALEX_WORK_PATTERN, description="OpenAlex work id.")
    dblp: str | None = Field(default=None, min_length=3, max_length=300, description="DBLP record key.")
    s2: str | None = Field(default=None, min_length=1, max_length=100, description="Semantic Scholar paper id.")


class Author(ContractModel):
    """One author slot, in the order the source lists them."""

    name: str = Field(min_length=1, max_length=500, description="The name as the source printed it, cleaned.")
    family_name: str | None = Field(
        default=None, min_length=1, max_length=300, description="Family name, when the source structures names."
    )
    given_name: str | None = Field(
        default=None, min_length=1, max_length=300, description="Given names or initials, when structured."
    )
    orcid: str | None = Field(default=None, pattern=ORCID_PATTERN, description="Checksum-verified ORCID iD.")
    affiliations: list[ShortText] = Field(default_factory=list, description="Affiliation strings, cleaned.")
    # Left out of the JSON when absent, so sightings without it serialise (and hash) as before the field existed.
    role: AuthorRole | None = Field(
        default=None,
        exclude_if=lambda role: role is None,
        description="'editor' when the person edited the work (e.g. a proceedings volume); absent for an author.",
    )


class Paper(ContractModel):
    """What the source says about the paper, normalised."""

    title: str | None = Field(
        default=None,
        min_length=1,
        max_length=2000,
        description="None only when an identifier names the work.",
    )
    abstract: str | None = Field(default=None, max_length=100_000)
    kind: WorkKind | None = Field(default=None, description="None when the source does not say.")
    published: str | None = Field(
        default=None, pattern=PUBLISHED_PATTERN, description="Publication date, as precise as known."
    )
    year: int | None = Field(default=None, ge=1000, le=9999, description="Year of `published`.")
    venue: str | None = Field(default=None, max_length=2000)
    identifiers: Identifiers = Field(default_factory=Identifiers)
    authors: list[Author] = Field(default_factory=list, description="Empty when only a count is known.")
    author_count: int | None = Field(default=None, ge=0, description="At least len(authors) when known.")
    keywords: list[ShortText] = Field(default_factory=list)
    urls: dict[str, str] = Field(default_factory=dict, description="Links by role: pdf, code, html, ...")
    comments: str | None = Field(default=None, max_length=10_000)


class Sighting(ContractModel):
    """One observation of a paper by one crawler at one place and time."""

    sighting_id: str | None = Field(default=None, max_length=200, description="The crawler's idempotency key.")
    source: str = Field(pattern=SOURCE_PATTERN, description="Where the paper was seen: arxiv, openalex, ...")
    source_url: str = Field(min_length=1, max_length=2000)
    seen_at: AwareDatetime
    crawler: str = Field(min_length=1, max_length=100, description="Name of the crawler key that posted it.")
    work_key: str = Field(pattern=WORK_KEY_PATTERN, description="Also the Kafka message key.")
    paper: Paper


class PaperSeenV1(Envelope):
    """paper.seen, schema version 1."""

    event_type: Literal["paper.seen"] = "paper.seen"
    schema_version: Literal[1] = 1
    data: Sighting
