"""Topics of one work from its title, abstract, keywords and venue, each hit explained by the terms that gave it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from profiles.topics.matcher import Matcher
from profiles.topics.taxonomy import STRONG, Topic, taxonomy

TITLE_WEIGHT = 2.0
KEYWORDS_WEIGHT = 2.0
ABSTRACT_WEIGHT = 1.0
VENUE_WEIGHT = 1.0
REPEAT_BONUS = 1.5  # a term said at least twice in the abstract is what the abstract is about
BROADER_SHARE = 0.5  # a topic passes half its score up to its broader topic
MIN_SCORE = 3.0
MIN_SHARE = 0.2  # a topic scoring under a fifth of the work's best topic is noise next to it
MAX_TOPICS = 5


@dataclass(frozen=True)
class TopicHit:
    """A topic of a work, its score, and the taxonomy terms that gave it (the explanation), strongest first."""

    topic_id: str
    name: str
    field: str
    score: float
    terms: tuple[str, ...]


# Per term index: its text, its (topic, weight) pairs, and the topics it names on its own (strong terms).
Postings = tuple[tuple[str, tuple[tuple[int, float], ...], tuple[int, ...]], ...]


@dataclass(frozen=True)
class _Compiled:
    topics: tuple[Topic, ...]
    id_rank: tuple[int, ...]  # per topic, its place in the order of topic ids
    terms: Matcher
    venues: Matcher
    term_postings: Postings
    venue_postings: Postings
    broader: tuple[int | None, ...]


def _postings(matcher: Matcher) -> Postings:
    return tuple(
        (
            term.text,
            tuple((posting.topic, posting.weight) for posting in term.postings),
            tuple(posting.topic for posting in term.postings if posting.weight >= STRONG),
        )
        for term in matcher.terms
    )


@cache
def _compiled() -> _Compiled:
    topics = taxonomy()
    index = {topic.topic_id: position for position, topic in enumerate(topics)}
    id_rank = {topic_id: rank for rank, topic_id in enumerate(sorted(index))}
    terms = Matcher((term, position, weight) for position, topic in enumerate(topics) for term, weight in topic.terms)
    venues = Matcher((venue, position, STRONG) for position, topic in enumerate(topics) for venue in topic.venues)
    broader = tuple(None if topic.broader is None else index[topic.broader] for topic in topics)
    return _Compiled(
        topics,
        tuple(id_rank[topic.topic_id] for topic in topics),
        terms,
        venues,
        _postings(terms),
        _postings(venues),
        broader,
    )


@lru_cache(maxsize=100_000)
def _short_text_terms(text: str, venue: bool) -> tuple[int, ...]:
    # Keywords and venues repeat across works: "Nature Communications", "COVID-19".
    compiled = _compiled()
    return tuple((compiled.venues if venue else compiled.terms).find(text))


def classify(
    title: str | None, abstract: str | None, keywords: Sequence[str], venue: str | None, limit: int = MAX_TOPICS
) -> list[TopicHit]:
    """The work's strongest topics (at most `limit`, each scoring at least MIN_SCORE), by score then topic id."""
    compiled = _compiled()
    # Term → the summed weight of the fields that name it. Every weight and share is a small binary fraction, so
    # sums are exact and the order of additions below cannot change a score.
    found = dict.fromkeys(compiled.terms.find(title), TITLE_WEIGHT) if title else {}
    for keyword in keywords:
        for term in dict.fromkeys(_short_text_terms(keyword, False)):
            found[term] = found.get(term, 0.0) + KEYWORDS_WEIGHT
    if abstract:
        said: dict[int, float] = {}
        for term in compiled.terms.find(abstract):
            said[term] = ABSTRACT_WEIGHT * REPEAT_BONUS if term in said else ABSTRACT_WEIGHT
        for term, weight in said.items():
            found[term] = found.get(term, 0.0) + weight
    points: dict[int, dict[str, float]] = {}  # topic → term → points
    strong: set[int] = set()  # the topics a strong term (or a venue hint) named
    _add(points, strong, compiled.term_postings, found)
    if venue:
        # Only venue hints: a venue's other words ("Proceedings of ..., Hangzhou, China") say little about the work.
        _add(points, strong, compiled.venue_postings, dict.fromkeys(_short_text_terms(venue, True), VENUE_WEIGHT))
    supported = _propagate(points, strong, compiled.broader)
    if not supported:
        return []
    scores = {topic: round(sum(points[topic].values()), 2) for topic in supported}
    # By score, then topic id (sorts are stable, also in reverse).
    ranked = sorted(sorted(supported, key=compiled.id_rank.__getitem__), key=scores.__getitem__, reverse=True)
    floor = max(MIN_SCORE, MIN_SHARE * scores[ranked[0]])
    topics = compiled.topics
    return [_hit(topics[topic], scores[topic], points[topic]) for topic in ranked[:limit] if scores[topic] >= floor]


def _add(points: dict[int, dict[str, float]], strong: set[int], postings: Postings, found: dict[int, float]) -> None:
    for term, factor in found.items():
        text, pairs, strong_topics = postings[term]
        for topic, weight in pairs:
            topic_points = points.get(topic)
            if topic_points is None:
                points[topic] = {text: weight * factor}
            else:
                topic_points[text] = topic_points.get(text, 0.0) + weight * factor
        strong.update(strong_topics)


def _propagate(points: dict[int, dict[str, float]], strong: set[int], broader: tuple[int | None, ...]) -> set[int]:
    """Pass half of each topic's points one level up; the topics with enough evidence to be shown."""
    # One generic word ("theory", "energy") is not a topic: a strong term, or two different terms, are needed.
    supported = {topic for topic, terms in points.items() if len(terms) > 1 or topic in strong}
    # Only the points the text itself gave pass up, so the result does not depend on order.
    passed: dict[int, dict[str, float]] = {}
    for topic in sorted(points):
        parent = broader[topic]
        if parent is not None and topic in supported:
            target = passed.setdefault(parent, {})
            for text, value in points[topic].items():
                target[text] = target.get(text, 0.0) + value * BROADER_SHARE
            supported.add(parent)
    for parent, passed_points in passed.items():
        target = points.setdefault(parent, {})
        for text, value in passed_points.items():
            target[text] = target.get(text, 0.0) + value
    return supported


def _hit(topic: Topic, score: float, points: dict[str, float]) -> TopicHit:
    # Strongest first, then by text.
    terms = tuple(sorted(sorted(points), key=points.__getitem__, reverse=True))
    return TopicHit(topic.topic_id, topic.name, topic.field, score, terms)
