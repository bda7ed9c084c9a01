"""work.attributed v1: profiles placed a sighting on its canonical work and each author slot with a researcher."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from contracts.envelope import ContractModel, Envelope
from contracts.paper_seen import PUBLISHED_PATTERN, WORK_KEY_PATTERN

WORK_ID_PATTERN = r"^w_[0-9a-f]{20}$"
RESEARCHER_ID_PATTERN = r"^r_[0-9a-f]{20}$"


class AttributedAuthor(ContractModel):
    """One author slot of the canonical work and the researcher it is attributed to."""

    position: int = Field(ge=0, description="0-based author position on the canonical work.")
    name: str = Field(min_length=1, max_length=500, description="The name as written on the work.")
    researcher_id: str = Field(pattern=RESEARCHER_ID_PATTERN, description="The researcher of this slot now.")
    new_for_researcher: bool = Field(
        description="True when this event first attributed the work to this researcher (notify: a new paper)."
    )
    confidence: float = Field(ge=0, le=1, description="How sure the attribution is (1 for an ORCID link).")


class WorkAttribution(ContractModel):
    """The canonical work a sighting landed on, with its authors' researchers."""

    work_id: str = Field(pattern=WORK_ID_PATTERN, description="Stable canonical work id (also the Kafka key).")
    work_key: str = Field(pattern=WORK_KEY_PATTERN, description="The work key of the sighting that was applied.")
    source: str = Field(min_length=1, max_length=40, description="The source of that sighting (arxiv, ...).")
    is_new_work: bool = Field(description="True when the sighting created the canonical work.")
    merged_work_ids: list[str] = Field(
        default_factory=list, description="Works retired into this one by this sighting (now redirects)."
    )
    title: str | None = Field(default=None, max_length=2000)
    year: int | None = Field(default=None, ge=1000, le=9999)
    published: str | None = Field(default=None, pattern=PUBLISHED_PATTERN)
    topic_ids: list[str] = Field(default_factory=list, description="Topics of the work (profiles' taxonomy).")
    authors: list[AttributedAuthor] = Field(
        default_factory=list, description="Every author slot of the canonical work (editors excluded)."
    )


class WorkAttributedV1(Envelope):
    """work.attributed, schema version 1."""

    event_type: Literal["work.attributed"] = "work.attributed"
    schema_version: Literal[1] = 1
    data: WorkAttribution
