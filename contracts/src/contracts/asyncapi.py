"""The AsyncAPI 3.0 document of the Sightline topics, generated from their TopicSpecs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib.metadata import version
from typing import Any

from pydantic import BaseModel

from contracts.events import event_identity, schema_name
from contracts.topics import TopicSpec

ASYNCAPI_VERSION = "3.0.0"
KAFKA_BINDING_VERSION = "0.5.0"
PAYLOAD_FORMAT = "application/schema+json;version=draft-2020-12"
INFO_DESCRIPTION = (
    "Events the Sightline services exchange over Kafka. Each payload schema is the JSON Schema file beside "
    "this document; a deployment may prefix every topic name (contracts.topics.topic_name)."
)


def asyncapi_document(topics: Sequence[TopicSpec]) -> dict[str, Any]:
    """AsyncAPI 3.0: a channel per topic, a message per event model, and a send and a receive operation."""
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "Sightline events",
            "version": version("sightline-contracts"),
            "description": INFO_DESCRIPTION,
        },
        "defaultContentType": "application/json",
        "channels": {topic.name: _channel(topic) for topic in topics},
        "operations": {key: value for topic in topics for key, value in _operations(topic).items()},
        "components": {
            "messages": {schema_name(model): _message(model, topic) for topic in topics for model in topic.events}
        },
    }


def _pointer(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _channel(topic: TopicSpec) -> dict[str, Any]:
    kafka: dict[str, Any] = {
        "topic": topic.name,
        "partitions": topic.partitions,
        "bindingVersion": KAFKA_BINDING_VERSION,
    }
    if topic.config:
        kafka["topicConfiguration"] = _topic_configuration(topic.config)
    return {
        "address": topic.name,
        "title": topic.name,
        "description": f"{topic.description} Key: {topic.key}. Partitions: {topic.partitions}.",
        "messages": {
            schema_name(model): {"$ref": f"#/components/messages/{_pointer(schema_name(model))}"}
            for model in topic.events
        },
        "bindings": {"kafka": kafka},
    }


def _topic_configuration(config: Mapping[str, str]) -> dict[str, Any]:
    """Kafka's string-valued topic configs in the binding's types: integers and a cleanup.policy list."""
    typed: dict[str, Any] = {}
    for name, value in config.items():
        if name == "cleanup.policy":
            typed[name] = value.split(",")
        elif value.removeprefix("-").isdigit():
            typed[name] = int(value)
        else:
            typed[name] = value
    return typed


def _operations(topic: TopicSpec) -> dict[str, Any]:
    channel = _pointer(topic.name)
    messages = [{"$ref": f"#/channels/{channel}/messages/{_pointer(schema_name(model))}"} for model in topic.events]
    summaries = {"send": "Producers publish to", "receive": "Consumers read from"}
    return {
        f"{topic.name}.{action}": {
            "action": action,
            "channel": {"$ref": f"#/channels/{channel}"},
            "messages": messages,
            "summary": f"{summary} {topic.name}, keyed by {topic.key}.",
        }
        for action, summary in summaries.items()
    }


def _message(model: type[BaseModel], topic: TopicSpec) -> dict[str, Any]:
    event_type, schema_version = event_identity(model)
    summary = (model.__doc__ or event_type).strip().splitlines()[0]
    return {
        "name": event_type,
        "title": f"{event_type} v{schema_version}",
        "summary": summary,
        "contentType": "application/json",
        "payload": {"schemaFormat": PAYLOAD_FORMAT, "schema": {"$ref": f"{schema_name(model)}.json"}},
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": topic.key},
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }
