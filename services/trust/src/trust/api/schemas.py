"""The API's response shapes (OpenAPI is generated from these)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class EvidenceOut(BaseModel):
    """What a number rests on (lists capped at the policy's evidence limit; `works_total` is the full count)."""

    work_ids: list[str]
    event_ids: list[str] = Field(description="paper.seen event ids of the works' sightings.")
    sources: list[str]
    works_total: int
    detail: str


class ComponentOut(BaseModel):
    """One signal of the score."""

    name: str
    value: float
    weight: float
    points: float
    evidence: EvidenceOut


class FlagOut(BaseModel):
    """An anomaly that lowers trust or needs review."""

    kind: str
    needs_review: bool
    points: float
    evidence: EvidenceOut


class VerificationOut(BaseModel):
    """The verification level, the rule that gave it and its evidence."""

    level: str
    rule: str
    evidence: EvidenceOut


class TrustOut(BaseModel):
    """A researcher's trust snapshot: the components' and flags' points add up to the score."""

    researcher_id: str
    score: int
    band: str
    verification: VerificationOut
    claimed: bool
    policy_version: str
    revision: int
    computed_at: datetime
    components: list[ComponentOut]
    flags: list[FlagOut]


class HistoryItem(BaseModel):
    """One changed snapshot and the policy that produced it."""

    revision: int
    score: int
    band: str
    verification_level: str
    claimed: bool
    policy_version: str
    computed_at: datetime
    components: list[dict[str, float | str]]
    flags: list[dict[str, float | str | bool]]


class HistoryPage(BaseModel):
    """Newest first; pass `next_cursor` back as `cursor` for the next page."""

    researcher_id: str
    items: list[HistoryItem]
    next_cursor: str | None


class SourceOut(BaseModel):
    """A source's reputation: its configured prior moved by how often others corroborate it."""

    source: str
    prior: float
    works: int
    corroborated_works: int
    corroboration_rate: float | None
    reputation: float
    reputable: bool
    low_reputation: bool


class SourceList(BaseModel):
    """Every configured or observed source."""

    policy_version: str
    items: list[SourceOut]
