"""Hand-written paper.seen events stay valid for both the pydantic model and the committed JSON Schema.

The files in golden/ are frozen history: never edit one, only add new ones. An old golden that stops
validating means old events on the topic would stop validating too.
"""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from contracts import PaperSeenV1
from contracts.schemas import SCHEMA_DIR

GOLDEN = sorted((Path(__file__).parent / "golden").glob("paper.seen.v1.*.json"))
SCHEMA: dict[str, Any] = json.loads((SCHEMA_DIR / "paper.seen.v1.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


def load(path: Path) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return event


def schema_errors(event: dict[str, Any]) -> list[str]:
    return [f"{error.json_path}: {error.message}" for error in VALIDATOR.iter_errors(event)]


def test_committed_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(SCHEMA)


def test_golden_examples_exist() -> None:
    assert len(GOLDEN) >= 3


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_golden_event_validates_with_pydantic(path: Path) -> None:
    event = PaperSeenV1.model_validate_json(path.read_bytes())
    assert (event.event_type, event.schema_version) == ("paper.seen", 1)


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_golden_event_validates_with_json_schema(path: Path) -> None:
    assert schema_errors(load(path)) == []


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_model_output_validates_with_json_schema(path: Path) -> None:
    """What a producer serialises must pass the schema that non-Python consumers validate with."""
    event = PaperSeenV1.model_validate_json(path.read_bytes())
    assert schema_errors(json.loads(event.model_dump_json())) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("work_key", "not a key"), ("source", "Hugging Face"), ("seen_at", None)],
)
def test_broken_event_fails_both_validators(field: str, value: object) -> None:
    event = copy.deepcopy(load(GOLDEN[0]))
    event["data"][field] = value
    assert schema_errors(event) != []
    with pytest.raises(ValueError, match=field):
        PaperSeenV1.model_validate(event)


def test_routing_fields_are_required_on_the_wire() -> None:
    event = load(GOLDEN[0])
    del event["event_type"]
    assert schema_errors(event) == ["$: 'event_type' is a required property"]
