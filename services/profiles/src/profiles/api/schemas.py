"""The response models of profiles' public API (the OpenAPI schema is generated from them)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class TopicCount(BaseModel):
    """A topic of a researcher and how many of their works have it."""

    topic_id: str
    name: str
    field: str | None
    works: int


class InstitutionCount(BaseModel):
    """An institution from the researcher's affiliations."""

    key: str
    name: str
    country: str | None
    kind: str | None
    works: int
    last_year: int | None


class Collaborator(BaseModel):
    """A close collaborator and the works they share."""

    researcher_id: str
    display_name: str
    orcid: str | None
    shared_works_count: int
    shared_work_ids: list[str]


class Trust(BaseModel):
    """The researcher's trust snapshot from the trust service (null until trust.changed arrives for them)."""

    score: int | None = Field(default=None, description="0-100; the components are on trust's API.")
    band: str | None = Field(default=None, description="New, Emerging, Established, Trusted or Highly trusted.")
    verification_level: str | None = Field(default=None, description="L0-L3 (see services/trust/README.md).")
    computed_at: str | None = None


class Researcher(BaseModel):
    """A researcher profile."""

    id: str
    display_name: str
    name_variants: list[str]
    orcid: str | None
    works_count: int
    topics_count: int
    topics: list[TopicCount]
    close_collaborators_count: int
    close_collaborators: list[Collaborator]
    close_collaborator_rule: str
    institutions: list[InstitutionCount]
    followers_count: int = Field(description="0 until the notify service exists.")
    trust: Trust
    claimed: bool


class ResearcherSummary(BaseModel):
    """A search hit."""

    id: str
    display_name: str
    orcid: str | None
    works_count: int
    name_variants: list[str]


class ResearcherPage(BaseModel):
    """One page of researchers; pass `next_cursor` as `cursor` for the next one (null at the end)."""

    items: list[ResearcherSummary]
    next_cursor: str | None


class WorkSummary(BaseModel):
    """A work in a researcher's list."""

    id: str
    title: str | None
    published: str | None
    year: int | None
    venue: str | None
    kind: str | None
    topic_ids: list[str]
    author_count: int
    position: int
    confidence: float


class WorkPage(BaseModel):
    """One page of works, newest first."""

    items: list[WorkSummary]
    next_cursor: str | None


class CollaboratorList(BaseModel):
    """Close collaborators of a researcher."""

    researcher_id: str
    rule: str
    items: list[Collaborator]


class Authorship(BaseModel):
    """One author slot of a work: the name as written, the researcher, how sure, why, and who printed it."""

    position: int
    name: str
    researcher_id: str
    researcher_name: str | None
    orcid: str | None
    confidence: float
    reasons: list[dict[str, Any]]
    affiliations: list[str]
    institutions: list[dict[str, Any]]
    sources: dict[str, str] = Field(description="source -> the name as that source printed it")


class Work(BaseModel):
    """A canonical work with its provenance."""

    id: str
    title: str | None
    abstract: str | None
    kind: str | None
    venue: str | None
    published: str | None
    year: int | None
    keywords: list[str]
    urls: dict[str, str]
    identifiers: dict[str, list[str]]
    topics: list[dict[str, Any]]
    authorships: list[Authorship]
    provenance: dict[str, Any] = Field(description="fields: source of each field; sources: when each source saw it")
    field_precedence: dict[str, str]
    first_seen_at: str
    last_seen_at: str
    sightings: int


class GraphNode(BaseModel):
    """A node of the research graph."""

    id: str
    type: str = Field(description="researcher, work, topic or institution")
    label: str | None
    weight: float


class GraphEdge(BaseModel):
    """A typed, weighted edge."""

    source: str
    target: str
    type: str = Field(description="authored, coauthor, about, affiliated")
    weight: float


class Graph(BaseModel):
    """The neighbourhood of a researcher."""

    center: str
    depth: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]
