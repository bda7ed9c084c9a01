"""trust.changed v1: trust recomputed a researcher's snapshot and it differs from the one published before."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from contracts.envelope import ContractModel, Envelope
from contracts.work_attributed import RESEARCHER_ID_PATTERN

Band = Literal["New", "Emerging", "Established", "Trusted", "Highly trusted"]
VerificationLevel = Literal["L0", "L1", "L2", "L3"]


class TrustComponent(ContractModel):
    """One signal of the score: its measured value, its weight in the policy and the points it gave."""

    name: str = Field(min_length=1, max_length=100, description="e.g. corroborated_works, orcid, tenure.")
    value: float = Field(description="The measured signal (a count, a share, years, 0/1).")
    weight: float = Field(ge=0, description="The most points the policy gives this signal.")
    points: float = Field(description="Points given; the components' points add up to the score.")


class TrustFlag(ContractModel):
    """An anomaly that lowers trust or needs review."""

    kind: str = Field(min_length=1, max_length=100, description="e.g. burst_low_reputation_source.")
    needs_review: bool = Field(description="True when a person should look at it.")
    points: float = Field(le=0, description="Points it took off the score (0 or negative).")


class TrustSnapshot(ContractModel):
    """A researcher's trust now (the API has the evidence behind every point)."""

    researcher_id: str = Field(pattern=RESEARCHER_ID_PATTERN, description="The researcher (the Kafka key).")
    score: int = Field(ge=0, le=100)
    band: Band
    verification_level: VerificationLevel
    claimed: bool
    policy_version: str = Field(min_length=1, max_length=100, description="The scoring policy that produced it.")
    revision: int = Field(ge=1, description="Counts the researcher's changed snapshots, 1 for the first.")
    computed_at: AwareDatetime
    components: list[TrustComponent] = Field(default_factory=list)
    flags: list[TrustFlag] = Field(default_factory=list)


class TrustChangedV1(Envelope):
    """trust.changed, schema version 1: published only when a snapshot actually changed."""

    event_type: Literal["trust.changed"] = "trust.changed"
    schema_version: Literal[1] = 1
    data: TrustSnapshot
