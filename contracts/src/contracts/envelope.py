"""The envelope every Sightline event travels in: identity, type, version, timing and producer."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class ContractModel(BaseModel):
    """Base of every contract model: immutable, and tolerant of fields added later within a version."""

    # Consumers ignore unknown fields so that additive changes within a major version never break them.
    model_config = ConfigDict(frozen=True, extra="ignore")


class Envelope(ContractModel):
    """Fields common to every event; subclasses pin `event_type`, `schema_version` and `data`."""

    event_id: UUID = Field(description="Unique id of this event; consumers deduplicate on it.")
    event_type: str = Field(description="Dotted past-tense name of the fact, e.g. 'paper.seen'.")
    schema_version: int = Field(ge=1, description="Major version of the payload schema.")
    occurred_at: AwareDatetime = Field(description="When the fact happened in the world.")
    ingested_at: AwareDatetime = Field(description="When Sightline accepted the fact.")
    producer: str = Field(min_length=1, max_length=100, description="Service and version that produced it.")
