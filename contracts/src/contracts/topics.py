"""Topic names, partition counts and retention: the one list every producer, consumer and deployment reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel

from contracts.paper_seen import PaperSeenV1


@dataclass(frozen=True)
class TopicSpec:
    """A Kafka topic as the contract defines it; replication is a deployment choice, not a contract."""

    name: str
    partitions: int
    key: str
    events: tuple[type[BaseModel], ...]
    description: str
    config: Mapping[str, str] = field(default_factory=dict)


# Keep every sighting forever (no size or time limit) and never compact: the key is the work key, so
# compaction would keep only the last sighting of each paper and services could not rebuild from the log.
KEEP_FOREVER = {"retention.ms": "-1", "retention.bytes": "-1", "cleanup.policy": "delete"}

PAPER_SEEN = TopicSpec(
    name="paper.seen",
    partitions=12,
    key="work key (see contracts.keys.work_key)",
    events=(PaperSeenV1,),
    description="Every sighting of a paper that ingest accepted, normalised; the log services rebuild from.",
    config=KEEP_FOREVER,
)

ALL_TOPICS: tuple[TopicSpec, ...] = (PAPER_SEEN,)


def topic_name(spec: TopicSpec, prefix: str = "") -> str:
    """The physical topic name: an optional deployment prefix (tests, shared clusters), then the name."""
    return f"{prefix}{spec.name}"
