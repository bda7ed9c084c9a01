"""trust.changed as trust writes it: valid for the contract model and the committed JSON Schema, stable ids."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from contracts import TrustChangedV1
from contracts.schemas import SCHEMA_DIR
from trust.domain import ResearcherFacts, reputations, snapshot
from trust.policy import POLICY
from trust.service.events import Publishing, trust_changed
from trust.service.scoring import stored

from .builders import seen, work

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
SCHEMA = json.loads((SCHEMA_DIR / "trust.changed.v1.json").read_text(encoding="utf-8"))


def message(head: tuple[int, str] | None = None) -> tuple[bytes, bytes | None, str]:
    facts = ResearcherFacts("r_0123456789abcdef0123", (work(1, seen("arxiv", 1, arxiv="2201.10001")),))
    row = stored(snapshot(facts, reputations({}, POLICY), POLICY), head, NOW)
    out = trust_changed(row, Publishing(producer="trust/test", topic_prefix="x."), NOW)
    return out.value, out.key, out.topic


def test_event_is_valid_for_the_model_and_the_schema() -> None:
    value, key, topic = message()
    event = TrustChangedV1.model_validate_json(value)
    assert (topic, key) == ("x.trust.changed", b"r_0123456789abcdef0123")
    assert event.data.revision == 1
    assert event.data.verification_level == "L1"
    assert round(sum(c.points for c in event.data.components)) == event.data.score
    errors = list(Draft202012Validator(SCHEMA).iter_errors(json.loads(value)))
    assert errors == []


def test_event_id_follows_revision_and_digest() -> None:
    first = TrustChangedV1.model_validate_json(message()[0])
    again = TrustChangedV1.model_validate_json(message()[0])
    assert first.event_id == again.event_id
    later = TrustChangedV1.model_validate_json(message((1, "an older digest"))[0])
    assert later.data.revision == 2
    assert later.event_id != first.event_id
