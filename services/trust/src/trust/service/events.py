"""Outgoing trust.changed events as outbox rows (ids derive from the researcher, revision and digest)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import orjson

from contracts import TRUST_CHANGED, topic_name
from servicekit.outbox import OutboxMessage
from trust.db.snapshots import StoredSnapshot

EVENT_NAMESPACE = uuid.UUID("b8a3f0f2-6c1d-4a8e-9d57-2f4c7e0a1b93")


@dataclass(frozen=True)
class Publishing:
    """Who produces trust's events and under which topic prefix."""

    producer: str
    topic_prefix: str = ""


def trust_changed(snapshot: StoredSnapshot, publishing: Publishing, now: datetime) -> OutboxMessage:
    """The trust.changed event of a changed snapshot (a replay derives the same event id)."""
    identity = uuid.uuid5(EVENT_NAMESPACE, f"{snapshot.researcher_id}|{snapshot.revision}|{snapshot.digest}")
    event = {
        "event_id": identity,
        "event_type": "trust.changed",
        "schema_version": 1,
        "occurred_at": snapshot.computed_at,
        "ingested_at": now,
        "producer": publishing.producer,
        "data": {
            "researcher_id": snapshot.researcher_id,
            "score": snapshot.score,
            "band": snapshot.band,
            "verification_level": snapshot.verification_level,
            "claimed": snapshot.claimed,
            "policy_version": snapshot.policy_version,
            "revision": snapshot.revision,
            "computed_at": snapshot.computed_at,
            "components": [
                {"name": c["name"], "value": c["value"], "weight": c["weight"], "points": c["points"]}
                for c in snapshot.components
            ],
            "flags": [
                {"kind": f["kind"], "needs_review": f["needs_review"], "points": f["points"]} for f in snapshot.flags
            ],
        },
    }
    return OutboxMessage(
        topic=topic_name(TRUST_CHANGED, publishing.topic_prefix),
        key=snapshot.researcher_id.encode(),
        value=orjson.dumps(event),
        headers={
            "event_id": str(identity),
            "event_type": "trust.changed",
            "schema_version": "1",
            "content-type": "application/json",
        },
    )
