"""Topic names, partition counts and retention: the one list every producer, consumer and deployment reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel

from contracts.paper_seen import PaperSeenV1
from contracts.researcher_events import ResearcherMergedV1, ResearcherSplitV1, ResearcherUpdatedV1
from contracts.trust_changed import TrustChangedV1
from contracts.work_attributed import WorkAttributedV1


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

# Profiles' output. Kept forever too: trust and notify rebuild their state by replaying them from the start.
WORK_ATTRIBUTED = TopicSpec(
    name="work.attributed",
    partitions=12,
    key="canonical work id (w_...), so every attribution of one work stays in order",
    events=(WorkAttributedV1,),
    description=(
        "Profiles applied a sighting: its canonical work and the researcher of each author slot, with whether the "
        "work is new for that researcher (notify announces it, trust counts it)."
    ),
    config=KEEP_FOREVER,
)

# One topic for every researcher lifecycle event, keyed by researcher id: a consumer sees a researcher's updates
# and its retirement (merged, split) in the order they happened.
RESEARCHER_CHANGES = TopicSpec(
    name="researcher.changes",
    partitions=12,
    key="researcher id (r_...): the updated researcher, the merge loser, or the split (retired) researcher",
    events=(ResearcherUpdatedV1, ResearcherMergedV1, ResearcherSplitV1),
    description=(
        "Researcher profiles created or changed, merged (the loser id redirects to the survivor) and split "
        "(the old id is retired, new ids take its works)."
    ),
    config=KEEP_FOREVER,
)

# Trust's output, kept forever like the others: profiles (and later notify) rebuild by replaying it.
TRUST_CHANGED = TopicSpec(
    name="trust.changed",
    partitions=12,
    key="researcher id (r_...), so every snapshot of one researcher stays in order",
    events=(TrustChangedV1,),
    description=(
        "Trust recomputed a researcher's snapshot (score, band, verification level, claim state, components, "
        "flags) and it differs from the last one published; the newest (computed_at, then revision) is current: "
        "a trust rebuilt by replay numbers revisions from 1 again."
    ),
    config=KEEP_FOREVER,
)

WORK_ATTRIBUTED_DLQ = dead_letter(WORK_ATTRIBUTED)
RESEARCHER_CHANGES_DLQ = dead_letter(RESEARCHER_CHANGES)
TRUST_CHANGED_DLQ = dead_letter(TRUST_CHANGED)

ALL_TOPICS: tuple[TopicSpec, ...] = (
    PAPER_SEEN,
    PAPER_SEEN_DLQ,
    WORK_ATTRIBUTED,
    WORK_ATTRIBUTED_DLQ,
    RESEARCHER_CHANGES,
    RESEARCHER_CHANGES_DLQ,
    TRUST_CHANGED,
    TRUST_CHANGED_DLQ,
)


def topic_name(spec: TopicSpec, prefix: str = "") -> str:
    """The physical topic name: an optional deployment prefix (tests, shared clusters), then the name."""
    return f"{prefix}{spec.name}"
