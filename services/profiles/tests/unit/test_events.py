"""The outgoing event dicts (built without the models, for speed) validate against the contract models."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from contracts import (
    RESEARCHER_CHANGES,
    WORK_ATTRIBUTED,
    ResearcherMergedV1,
    ResearcherSplitV1,
    ResearcherUpdatedV1,
    WorkAttributedV1,
)
from profiles.disambiguation import Reason
from profiles.events import attributed_author, envelope, event_id, merge_data, message, split_data

NOW = datetime(2025, 3, 1, 12, 30, tzinfo=UTC)
R1, R2 = "r_" + "a" * 20, "r_" + "b" * 20


def test_work_attributed_validates_and_round_trips() -> None:
    authors = [
        attributed_author(0, "Ana Lopez", R1, new=True, confidence=1.3),
        attributed_author(1, "B" * 600, R2, new=False, confidence=0.42),
    ]
    data = {
        "work_id": "w_" + "c" * 20,
        "work_key": "doi:10.1/x",
        "source": "crossref",
        "is_new_work": True,
        "merged_work_ids": [],
        "title": "A title",
        "year": 2024,
        "published": "2024-05",
        "topic_ids": ["ml.nlp"],
        "authors": authors,
    }
    event = envelope(
        "work.attributed", event_id("work.attributed", "x"), data, occurred_at=NOW, ingested_at=NOW, producer="profiles"
    )
    sent = message(WORK_ATTRIBUTED, "p", data["work_id"], event)
    model = WorkAttributedV1.model_validate_json(sent.value)
    assert model.data.authors[0].confidence == 1.0
    assert len(model.data.authors[1].name) == 500
    assert orjson.loads(model.model_dump_json()) == orjson.loads(sent.value) | {
        "occurred_at": "2025-03-01T12:30:00Z",
        "ingested_at": "2025-03-01T12:30:00Z",
    }
    assert sent.headers["event_type"] == "work.attributed"
    assert sent.headers["schema_version"] == "1"
    assert sent.topic.endswith(WORK_ATTRIBUTED.name)


def test_researcher_events_validate() -> None:
    merged = merge_data(
        R1, R2, "merge_pass", confidence=0.9, reasons=[Reason("coauthors", "x" * 3000, 2.5)], moved=["w_2", "w_1"]
    )
    event = envelope("researcher.merged", event_id("m"), merged, occurred_at=NOW, ingested_at=NOW, producer="profiles")
    model = ResearcherMergedV1.model_validate_json(message(RESEARCHER_CHANGES, "", R1, event).value)
    assert model.data.moved_work_ids == ["w_1", "w_2"]
    assert len(model.data.reasons[0].detail) == 2000
    state = {
        "researcher_id": R1,
        "display_name": "Ana Lopez",
        "name_variants": ["Ana Lopez"],
        "orcid": "0000-0002-1825-0097",
        "works_count": 3,
        "added_work_ids": ["w_1"],
    }
    updated = envelope("researcher.updated", event_id("u"), state, occurred_at=NOW, ingested_at=NOW, producer="p")
    assert (
        ResearcherUpdatedV1.model_validate_json(message(RESEARCHER_CHANGES, "", R1, updated).value).data.works_count
        == 3
    )


def test_researcher_split_validates() -> None:
    data = split_data(R1, {R2: {"w_2", "w_1"}}, ["ORCID b (learned later)", "ORCID b (learned later)"])
    event = envelope("researcher.split", event_id("s"), data, occurred_at=NOW, ingested_at=NOW, producer="profiles")
    model = ResearcherSplitV1.model_validate_json(message(RESEARCHER_CHANGES, "", R1, event).value)
    assert [(p.researcher_id, p.work_ids) for p in model.data.parts] == [(R2, ["w_1", "w_2"])]
    assert [r.detail for r in model.data.reasons] == ["ORCID b (learned later)"]
