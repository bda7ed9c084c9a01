"""breaking_changes fires on every breaking rule, stays quiet on additive changes, and history holds."""

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from contracts import PaperSeenV1
from contracts.compat import breaking_changes
from contracts.schemas import SCHEMA_DIR, event_schema, snapshots

Schema = dict[str, Any]
CURRENT: Schema = event_schema(PaperSeenV1)


def mutated(change: Callable[[Schema], object]) -> Schema:
    schema = copy.deepcopy(CURRENT)
    change(schema)
    return schema


def props(schema: Schema, model: str) -> Schema:
    result: Schema = schema["$defs"][model]["properties"]
    return result


def non_null(node: Schema) -> Schema:
    """The non-null branch of pydantic's `anyOf: [X, {type: null}]`, or the node itself."""
    branches = [b for b in node.get("anyOf", [node]) if b.get("type") != "null"]
    assert len(branches) == 1
    branch: Schema = branches[0]
    return branch


def test_history_exists() -> None:
    assert snapshots(SCHEMA_DIR, "paper.seen.v1"), "run `make schemas` to write the first snapshot"


@pytest.mark.parametrize("snapshot", snapshots(SCHEMA_DIR, "paper.seen.v1"), ids=lambda p: p.name)
def test_current_schema_is_compatible_with_history(snapshot: Any) -> None:
    old = json.loads(snapshot.read_text(encoding="utf-8"))
    assert breaking_changes(old, CURRENT) == []


def test_identical_schemas_are_compatible() -> None:
    assert breaking_changes(CURRENT, copy.deepcopy(CURRENT)) == []


def test_removed_property_breaks() -> None:
    new = mutated(lambda s: props(s, "Identifiers").pop("doi"))
    assert breaking_changes(CURRENT, new) == ["data.paper.identifiers.doi: property removed"]


def test_new_required_property_breaks() -> None:
    def change(s: Schema) -> None:
        props(s, "Sighting")["region"] = {"type": "string"}
        s["$defs"]["Sighting"]["required"].append("region")

    assert breaking_changes(CURRENT, mutated(change)) == ["data.region: new required property"]


def test_optional_property_made_required_breaks() -> None:
    new = mutated(lambda s: s["$defs"]["Sighting"]["required"].append("sighting_id"))
    assert breaking_changes(CURRENT, new) == ["data.sighting_id: now required"]


def test_required_property_made_optional_breaks() -> None:
    new = mutated(lambda s: s["$defs"]["Sighting"]["required"].remove("crawler"))
    assert breaking_changes(CURRENT, new) == ["data.crawler: no longer required"]


def test_type_change_breaks() -> None:
    def change(s: Schema) -> None:
        props(s, "Author")["name"] = {"type": "integer"}

    assert breaking_changes(CURRENT, mutated(change)) == [
        "data.paper.authors[].name: type changed from string to integer"
    ]


def test_enum_value_removed_breaks() -> None:
    values = CURRENT["$defs"]["WorkKind"]["enum"]
    new = mutated(lambda s: s["$defs"]["WorkKind"]["enum"].remove("thesis"))
    assert "thesis" in values
    assert breaking_changes(CURRENT, new) == ["data.paper.kind: enum value 'thesis' removed"]


def test_lowered_max_length_breaks() -> None:
    old_max = props(CURRENT, "Author")["name"]["maxLength"]
    new = mutated(lambda s: props(s, "Author")["name"].update(maxLength=old_max // 5))
    assert breaking_changes(CURRENT, new) == [
        f"data.paper.authors[].name: maxLength lowered {old_max} -> {old_max // 5}"
    ]


def test_changed_pattern_breaks() -> None:
    new = mutated(lambda s: non_null(props(s, "Identifiers")["doi"]).update(pattern="^10\\.[0-9]{4}/.+$"))
    reasons = breaking_changes(CURRENT, new)
    assert len(reasons) == 1
    assert reasons[0].startswith("data.paper.identifiers.doi: pattern changed from ")


def test_raised_minimum_breaks() -> None:
    new = mutated(lambda s: non_null(props(s, "Paper")["author_count"]).update(minimum=1))
    assert breaking_changes(CURRENT, new) == ["data.paper.author_count: minimum raised 0 -> 1"]


def test_null_no_longer_allowed_breaks() -> None:
    def change(s: Schema) -> None:
        props(s, "Paper")["abstract"] = non_null(props(s, "Paper")["abstract"])

    assert breaking_changes(CURRENT, mutated(change)) == ["data.paper.abstract: null no longer allowed"]


def test_additional_properties_false_breaks() -> None:
    new = mutated(lambda s: s["$defs"]["Sighting"].update(additionalProperties=False))
    assert breaking_changes(CURRENT, new) == ["data: additionalProperties now false"]


def test_const_change_breaks() -> None:
    new = mutated(lambda s: s["properties"]["schema_version"].update(const=2))
    assert breaking_changes(CURRENT, new) == ["schema_version: const changed from 1 to 2"]


def test_dict_value_type_change_breaks() -> None:
    new = mutated(lambda s: props(s, "Paper")["urls"]["additionalProperties"].update(type="integer"))
    assert breaking_changes(CURRENT, new) == ["data.paper.urls.*: type changed from string to integer"]


def test_array_item_change_breaks() -> None:
    new = mutated(lambda s: props(s, "Paper")["keywords"]["items"].update(maxLength=10))
    assert breaking_changes(CURRENT, new) == ["data.paper.keywords[]: maxLength lowered 2000 -> 10"]


def test_additive_and_widening_changes_are_compatible() -> None:
    def change(s: Schema) -> None:
        props(s, "Paper")["language"] = {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}
        s["$defs"]["Funding"] = {"type": "object", "properties": {"funder": {"type": "string"}}}
        props(s, "Sighting")["funding"] = {"type": "array", "items": {"$ref": "#/$defs/Funding"}}
        s["$defs"]["WorkKind"]["enum"].append("review")
        props(s, "Author")["name"]["maxLength"] *= 2
        props(s, "Author")["name"].pop("minLength")
        non_null(props(s, "Paper")["author_count"]).pop("minimum")
        non_null(props(s, "Identifiers")["pmid"]).pop("pattern")
        props(s, "Sighting")["crawler"] = {"anyOf": [props(s, "Sighting")["crawler"], {"type": "null"}]}
        non_null(props(s, "Paper")["year"])["type"] = "number"
        s["description"] = "reworded"

    assert breaking_changes(CURRENT, mutated(change)) == []


def test_rules_apply_in_both_directions_of_a_swap() -> None:
    """Removing a property one way is adding an optional one the other way: only one direction breaks."""
    smaller = mutated(lambda s: props(s, "Paper").pop("comments"))
    assert breaking_changes(CURRENT, smaller) == ["data.paper.comments: property removed"]
    assert breaking_changes(smaller, CURRENT) == []


def test_recursive_schemas_terminate_and_still_compare() -> None:
    def tree(child_type: str) -> Schema:
        return {
            "$ref": "#/$defs/Node",
            "$defs": {
                "Node": {
                    "type": "object",
                    "properties": {
                        "label": {"type": child_type},
                        "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
                    },
                }
            },
        }

    assert breaking_changes(tree("string"), tree("string")) == []
    assert breaking_changes(tree("string"), tree("integer")) == ["label: type changed from string to integer"]


def test_non_local_ref_is_rejected() -> None:
    with pytest.raises(ValueError, match="only local"):
        breaking_changes({"$ref": "https://example.org/other.json"}, {"type": "object"})
