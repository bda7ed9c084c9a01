"""Researcher lifecycle events of the profiles service: updated, merged and split (topic researcher.changes)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from contracts.envelope import ContractModel, Envelope
from contracts.paper_seen import ORCID_PATTERN
from contracts.work_attributed import RESEARCHER_ID_PATTERN


class Evidence(ContractModel):
    """One piece of evidence behind a decision, with the points it gave."""

    kind: str = Field(min_length=1, max_length=100)
    detail: str = Field(max_length=2000)
    points: float


class ResearcherState(ContractModel):
    """What a researcher profile holds now (a summary; the API has the rest)."""

    researcher_id: str = Field(pattern=RESEARCHER_ID_PATTERN, description="Stable researcher id (the Kafka key).")
    display_name: str = Field(min_length=1, max_length=500)
    name_variants: list[str] = Field(default_factory=list, description="Every name the works print.")
    orcid: str | None = Field(default=None, pattern=ORCID_PATTERN)
    works_count: int = Field(ge=0)
    added_work_ids: list[str] = Field(
        default_factory=list, description="Works attributed to the researcher by this change."
    )


class ResearcherUpdatedV1(Envelope):
    """researcher.updated, schema version 1: a researcher was created or its profile changed."""

    event_type: Literal["researcher.updated"] = "researcher.updated"
    schema_version: Literal[1] = 1
    data: ResearcherState


class ResearcherMerge(ContractModel):
    """A researcher retired into another: the loser id now redirects to the survivor."""

    loser_id: str = Field(pattern=RESEARCHER_ID_PATTERN, description="The retired id (the Kafka key).")
    survivor_id: str = Field(pattern=RESEARCHER_ID_PATTERN)
    rule: Literal["merge_pass", "orcid", "earlier_evidence", "work_merge"] = Field(
        description=(
            "Why: the periodic merge pass found one person; an ORCID linked them; earlier evidence changed which "
            "id the profile derives (ids follow the earliest authorship); or two works merged and left the loser "
            "without authorships."
        )
    )
    confidence: float = Field(ge=0, le=1)
    reasons: list[Evidence] = Field(default_factory=list)
    moved_work_ids: list[str] = Field(default_factory=list, description="Works that moved to the survivor.")


class ResearcherMergedV1(Envelope):
    """researcher.merged, schema version 1: followers and scores of the loser belong to the survivor now."""

    event_type: Literal["researcher.merged"] = "researcher.merged"
    schema_version: Literal[1] = 1
    data: ResearcherMerge


class SplitPart(ContractModel):
    """One researcher a split produced, with the works it took."""

    researcher_id: str = Field(pattern=RESEARCHER_ID_PATTERN)
    work_ids: list[str] = Field(default_factory=list)


class ResearcherSplit(ContractModel):
    """A researcher found to hold other people's works: each part (a new or existing researcher) takes some."""

    researcher_id: str = Field(
        pattern=RESEARCHER_ID_PATTERN, description="The researcher split (the Kafka key); it keeps its other works."
    )
    parts: list[SplitPart] = Field(min_length=1)
    reasons: list[Evidence] = Field(default_factory=list)


class ResearcherSplitV1(Envelope):
    """researcher.split, schema version 1."""

    event_type: Literal["researcher.split"] = "researcher.split"
    schema_version: Literal[1] = 1
    data: ResearcherSplit
