"""Outgoing events as plain dicts serialised by orjson (the contract models validate them in the unit tests)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson

from contracts import TopicSpec, topic_name
from profiles.disambiguation import Reason
from servicekit.outbox import OutboxMessage

EVENT_NAMESPACE = uuid.UUID("6f1d2c1e-2b7e-4c55-9a40-3f4f5d8c9b10")


def event_id(*parts: str) -> uuid.UUID:
    """Event ids derived from what caused them, so a replay produces the same ids (consumers deduplicate)."""
    return uuid.uuid5(EVENT_NAMESPACE, "|".join(parts))


def envelope(
    kind: str, identity: uuid.UUID, data: dict[str, Any], *, occurred_at: datetime, ingested_at: datetime, producer: str
) -> dict[str, Any]:
    """The contract envelope (schema version 1) around `data`."""
    return {
        "event_id": identity,
        "event_type": kind,
        "schema_version": 1,
        "occurred_at": occurred_at,
        "ingested_at": ingested_at,
        "producer": producer,
        "data": data,
    }


def attributed_author(position: int, name: str, researcher_id: str, new: bool, confidence: float) -> dict[str, Any]:
    """One `AttributedAuthor`."""
    return {
        "position": position,
        "name": name[:500],
        "researcher_id": researcher_id,
        "new_for_researcher": new,
        "confidence": min(1.0, max(0.0, confidence)),
    }


def merge_data(
    loser: str, survivor: str, rule: str, *, confidence: float, reasons: Sequence[Reason], moved: Sequence[str]
) -> dict[str, Any]:
    """One `ResearcherMerge`."""
    return {
        "loser_id": loser,
        "survivor_id": survivor,
        "rule": rule,
        "confidence": min(1.0, max(0.0, confidence)),
        "reasons": [{"kind": r.kind, "detail": r.detail[:2000], "points": r.points} for r in reasons],
        "moved_work_ids": sorted(moved),
    }


def split_data(researcher_id: str, parts: dict[str, set[str]], details: Sequence[str]) -> dict[str, Any]:
    """One `ResearcherSplit`: the researcher that was split and, per new part, the works it took."""
    return {
        "researcher_id": researcher_id,
        "parts": [{"researcher_id": part, "work_ids": sorted(works)} for part, works in sorted(parts.items())],
        "reasons": [{"kind": "orcid", "detail": detail[:2000], "points": 1.0} for detail in sorted(set(details))],
    }


def message(spec: TopicSpec, prefix: str, key: str, event: dict[str, Any]) -> OutboxMessage:
    """The outbox row of one event dict."""
    return OutboxMessage(
        topic=topic_name(spec, prefix),
        key=key.encode(),
        value=orjson.dumps(event),
        headers={
            "event_id": str(event["event_id"]),
            "event_type": event["event_type"],
            "schema_version": str(event["schema_version"]),
            "content-type": "application/json",
        },
    )
