"""Identity of event models: the event type and schema version each pins, and the names derived from them."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel

from contracts.topics import ALL_TOPICS, TopicSpec


def event_identity(model: type[BaseModel]) -> tuple[str, int]:
    """The (event_type, schema_version) pair a model pins with its field defaults."""
    event_type = model.model_fields["event_type"].default
    version = model.model_fields["schema_version"].default
    if not isinstance(event_type, str) or isinstance(version, bool) or not isinstance(version, int):
        raise TypeError(f"{model.__name__} must pin event_type and schema_version with defaults")
    return event_type, version


def schema_name(model: type[BaseModel]) -> str:
    """The versioned name of a model's schema, e.g. 'paper.seen.v1'."""
    event_type, version = event_identity(model)
    return f"{event_type}.v{version}"


def event_models(topics: Iterable[TopicSpec] = ALL_TOPICS) -> list[type[BaseModel]]:
    """Every event model of the given topics, in topic then version order, each once."""
    return list(dict.fromkeys(model for topic in topics for model in topic.events))
