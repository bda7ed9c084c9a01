"""The topic taxonomy: topics with field, broader topic, weighted terms and venue hints, read from taxonomy.toml."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from profiles.topics.text import singular, words

STRONG = 3.0  # a term that names the topic unambiguously: enough on its own, even in an abstract
NORMAL = 2.0  # a term typical of the topic: enough in a title, or twice in an abstract
WEAK = 1.0  # a supporting term: never enough alone
_TIERS = (("strong", STRONG), ("terms", NORMAL), ("weak", WEAK))
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Topic:
    """One topic: a stable slug, what the product shows, and what text gives it away."""

    topic_id: str
    name: str
    field: str
    broader: str | None
    terms: tuple[tuple[str, float], ...]
    venues: tuple[str, ...]


def parse_taxonomy(document: dict[str, Any]) -> tuple[Topic, ...]:
    """The topics of a parsed taxonomy document, validated; raises ValueError naming the faulty topic."""
    topics = tuple(_parse_topic(raw) for raw in document.get("topic", []))
    ids = [topic.topic_id for topic in topics]
    duplicates = sorted({topic_id for topic_id in ids if ids.count(topic_id) > 1})
    if duplicates:
        raise ValueError(f"taxonomy: duplicate topic ids {duplicates}")
    known = set(ids)
    for topic in topics:
        if topic.broader is not None and topic.broader not in known:
            raise ValueError(f"taxonomy: topic {topic.topic_id} names an unknown broader topic {topic.broader}")
    return topics


def _parse_topic(raw: dict[str, Any]) -> Topic:
    topic_id = str(raw.get("id", ""))
    if not _SLUG.match(topic_id):
        raise ValueError(f"taxonomy: topic id {topic_id!r} is not a slug")
    terms: list[tuple[str, float]] = []
    for key, weight in _TIERS:
        terms.extend((str(term), weight) for term in raw.get(key, []))
    if not terms:
        raise ValueError(f"taxonomy: topic {topic_id} has no terms")
    keys = [(tuple(singular(word) for word in words(term)), term.upper() == term) for term, _ in terms]
    repeated = sorted({term for (term, _), key in zip(terms, keys, strict=True) if keys.count(key) > 1})
    if repeated:
        raise ValueError(f"taxonomy: topic {topic_id} lists {repeated}: one term spelled twice (case, plural, hyphen)")
    broader = raw.get("broader")
    return Topic(
        topic_id=topic_id,
        name=str(raw["name"]),
        field=str(raw["field"]),
        broader=None if broader is None else str(broader),
        terms=tuple(terms),
        venues=tuple(str(venue) for venue in raw.get("venues", [])),
    )


@cache
def taxonomy() -> tuple[Topic, ...]:
    """The committed taxonomy, read once from the package data."""
    text = resources.files("profiles.topics").joinpath("taxonomy.toml").read_text(encoding="utf-8")
    return parse_taxonomy(tomllib.loads(text))
