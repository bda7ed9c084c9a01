"""A researcher's topics: the topics of their works, counted, with the union of the terms that explained them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from profiles.topics.classify import TopicHit


@dataclass(frozen=True)
class ResearcherTopic:
    """One topic of a researcher: in how many of their works it appears, the summed score, and why."""

    topic_id: str
    name: str
    field: str
    works: int
    score: float
    terms: tuple[str, ...]


def top_topics(work_topic_lists: Iterable[Sequence[TopicHit]], limit: int = 10) -> list[ResearcherTopic]:
    """The most frequent topics of the works (by works, summed score, id); terms by how many works used them."""
    works: Counter[str] = Counter()
    scores: dict[str, float] = {}
    terms: dict[str, Counter[str]] = {}
    first: dict[str, TopicHit] = {}
    for hits in work_topic_lists:
        for hit in {hit.topic_id: hit for hit in hits}.values():
            works[hit.topic_id] += 1
            scores[hit.topic_id] = scores.get(hit.topic_id, 0.0) + hit.score
            terms.setdefault(hit.topic_id, Counter()).update(hit.terms)
            first.setdefault(hit.topic_id, hit)
    ranked = sorted(works, key=lambda topic_id: (-works[topic_id], -scores[topic_id], topic_id))
    return [
        ResearcherTopic(
            topic_id=topic_id,
            name=first[topic_id].name,
            field=first[topic_id].field,
            works=works[topic_id],
            score=round(scores[topic_id], 2),
            terms=tuple(term for term, _ in sorted(terms[topic_id].items(), key=lambda item: (-item[1], item[0]))),
        )
        for topic_id in ranked[:limit]
    ]
