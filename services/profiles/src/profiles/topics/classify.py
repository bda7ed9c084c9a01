"""Topics of one work from its title, abstract, keywords and venue, each hit explained by the terms that gave it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from profiles.topics.matcher import Matcher
from profiles.topics.taxonomy import Topic, taxonomy

TITLE_WEIGHT = 2.0
KEYWORDS_WEIGHT = 2.0
ABSTRACT_WEIGHT = 1.0
VENUE_WEIGHT = 1.0
REPEAT_BONUS = 1.5  # a term said at least twice in the abstract is what the abstract is about
BROADER_SHARE = 0.5  # a topic passes half its score up to its broader topic
MIN_SCORE = 3.0
MAX_TOPICS = 5


@dataclass(frozen=True)
class TopicHit:
    """A topic of a work, its score, and the taxonomy terms that gave it (the explanation), strongest first."""

    topic_id: str
    name: str
    field: str
    score: float
    terms: tuple[str, ...]


@dataclass(frozen=True)
class _Compiled:
    topics: tuple[Topic, ...]
    terms: Matcher
    venues: Matcher
    broader: tuple[int | None, ...]


@cache
def _compiled() -> _Compiled:
    topics = taxonomy()
    index = {topic.topic_id: position for position, topic in enumerate(topics)}
    terms = Matcher((term, position, weight) for position, topic in enumerate(topics) for term, weight in topic.terms)
    venues = Matcher((venue, position, 3.0) for position, topic in enumerate(topics) for venue in topic.venues)
    broader = tuple(None if topic.broader is None else index[topic.broader] for topic in topics)
    return _Compiled(topics, terms, venues, broader)


def classify(
    title: str | None, abstract: str | None, keywords: Sequence[str], venue: str | None, limit: int = MAX_TOPICS
) -> list[TopicHit]:
    """The work's strongest topics (at most `limit`, each scoring at least MIN_SCORE), by score then topic id."""
    compiled = _compiled()
    # scores[topic][term text] = points that term gave the topic
    scores: dict[int, dict[str, float]] = {}
    if title:
        _add(scores, compiled.terms, compiled.terms.find(title), TITLE_WEIGHT, repeat=False)
    for keyword in keywords:
        _add(scores, compiled.terms, compiled.terms.find(keyword), KEYWORDS_WEIGHT, repeat=False)
    if abstract:
        _add(scores, compiled.terms, compiled.terms.find(abstract), ABSTRACT_WEIGHT, repeat=True)
    if venue:
        _add(scores, compiled.terms, compiled.terms.find(venue), VENUE_WEIGHT, repeat=False)
        _add(scores, compiled.venues, compiled.venues.find(venue), VENUE_WEIGHT, repeat=False)
    _propagate(scores, compiled.broader)
    hits = [_hit(compiled.topics[topic], points) for topic, points in scores.items()]
    hits = [hit for hit in hits if hit.score >= MIN_SCORE]
    hits.sort(key=lambda hit: (-hit.score, hit.topic_id))
    return hits[:limit]


def _add(scores: dict[int, dict[str, float]], matcher: Matcher, found: list[int], weight: float, repeat: bool) -> None:
    for term_index, count in Counter(found).items():
        term = matcher.terms[term_index]
        factor = weight * (REPEAT_BONUS if repeat and count > 1 else 1.0)
        for posting in term.postings:
            points = scores.setdefault(posting.topic, {})
            points[term.text] = points.get(term.text, 0.0) + posting.weight * factor


def _propagate(scores: dict[int, dict[str, float]], broader: tuple[int | None, ...]) -> None:
    # One level up, from the points the text itself gave (a snapshot, so the result does not depend on order).
    for topic, points in [(topic, dict(points)) for topic, points in sorted(scores.items())]:
        parent = broader[topic]
        if parent is None:
            continue
        target = scores.setdefault(parent, {})
        for term, value in points.items():
            target[term] = target.get(term, 0.0) + value * BROADER_SHARE


def _hit(topic: Topic, points: dict[str, float]) -> TopicHit:
    ordered = sorted(points.items(), key=lambda item: (-item[1], item[0]))
    return TopicHit(
        topic_id=topic.topic_id,
        name=topic.name,
        field=topic.field,
        score=round(sum(points.values()), 2),
        terms=tuple(term for term, _ in ordered),
    )
