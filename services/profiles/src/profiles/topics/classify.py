"""Topics of one work from its title, abstract, keywords and venue, each hit explained by the terms that gave it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

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
    venues = Matcher((venue, position, STRONG) for position, topic in enumerate(topics) for venue in topic.venues)
    broader = tuple(None if topic.broader is None else index[topic.broader] for topic in topics)
    return _Compiled(topics, terms, venues, broader)


def classify(
    title: str | None, abstract: str | None, keywords: Sequence[str], venue: str | None, limit: int = MAX_TOPICS
) -> list[TopicHit]:
    """The work's strongest topics (at most `limit`, each scoring at least MIN_SCORE), by score then topic id."""
    compiled = _compiled()
    evidence = _Evidence()
    if title:
        evidence.add(compiled.terms, compiled.terms.find(title), TITLE_WEIGHT, repeat=False)
    for keyword in keywords:
        evidence.add(compiled.terms, compiled.terms.find(keyword), KEYWORDS_WEIGHT, repeat=False)
    if abstract:
        evidence.add(compiled.terms, compiled.terms.find(abstract), ABSTRACT_WEIGHT, repeat=True)
    if venue:
        # Only venue hints: a venue's other words ("Proceedings of ..., Hangzhou, China") say little about the work.
        evidence.add(compiled.venues, compiled.venues.find(venue), VENUE_WEIGHT, repeat=False)
    supported = evidence.propagate(compiled.broader)
    if not supported:
        return []
    topics = compiled.topics
    scores = {topic: round(sum(evidence.points[topic].values()), 2) for topic in supported}
    ranked = sorted(supported, key=lambda topic: (-scores[topic], topics[topic].topic_id))
    floor = max(MIN_SCORE, MIN_SHARE * scores[ranked[0]])
    return [
        _hit(topics[topic], scores[topic], evidence.points[topic]) for topic in ranked[:limit] if scores[topic] >= floor
    ]


class _Evidence:
    """Points per topic and term, and which topics a strong term (or a venue hint) named."""

    def __init__(self) -> None:
        self.points: dict[int, dict[str, float]] = {}
        self.strong: set[int] = set()

    def add(self, matcher: Matcher, found: list[int], weight: float, repeat: bool) -> None:
        for term_index, count in Counter(found).items():
            term = matcher.terms[term_index]
            factor = weight * (REPEAT_BONUS if repeat and count > 1 else 1.0)
            for posting in term.postings:
                points = self.points.setdefault(posting.topic, {})
                points[term.text] = points.get(term.text, 0.0) + posting.weight * factor
                if posting.weight >= STRONG:
                    self.strong.add(posting.topic)

    def propagate(self, broader: tuple[int | None, ...]) -> set[int]:
        """Pass half of each topic's points one level up; the topics with enough evidence to be shown."""
        # One generic word ("theory", "energy") is not a topic: a strong term, or two different terms, are needed.
        supported = {topic for topic, points in self.points.items() if len(points) > 1 or topic in self.strong}
        # From a snapshot of the points the text itself gave, so the result does not depend on order.
        for topic, points in [(topic, dict(points)) for topic, points in sorted(self.points.items())]:
            parent = broader[topic]
            if parent is None or topic not in supported:
                continue
            target = self.points.setdefault(parent, {})
            for term, value in points.items():
                target[term] = target.get(term, 0.0) + value * BROADER_SHARE
            supported.add(parent)
        return supported


def _hit(topic: Topic, score: float, points: dict[str, float]) -> TopicHit:
    ordered = sorted(points.items(), key=lambda item: (-item[1], item[0]))
    return TopicHit(topic.topic_id, topic.name, topic.field, score, tuple(term for term, _ in ordered))
