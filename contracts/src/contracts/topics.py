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

DEAD_LETTER_RETENTION = {"retention.ms": str(30 * 24 * 3600 * 1000), "cleanup.policy": "delete"}


def dead_letter(spec: TopicSpec) -> TopicSpec:
    """The `<topic>.dlq` topic where consumers park messages they can never process, with the error in headers."""
    return TopicSpec(
        name=f"{spec.name}.dlq",
        partitions=3,
        key=f"as on {spec.name}",
        events=(),
        description=(
            f"Messages of {spec.name} that a consumer could not process (unknown version, invalid payload): the "
            "original key, value and headers, plus dlq.error, dlq.consumer, dlq.topic, dlq.partition, dlq.offset."
        ),
        config=DEAD_LETTER_RETENTION,
    )


PAPER_SEEN_DLQ = dead_letter(PAPER_SEEN)

ALL_TOPICS: tuple[TopicSpec, ...] = (PAPER_SEEN, PAPER_SEEN_DLQ)


def topic_name(spec: TopicSpec, prefix: str = "") -> str:
    """The physical topic name: an optional deployment prefix (tests, shared clusters), then the name."""
    return f"{prefix}{spec.name}"
