"""Topics of works from a hand-written taxonomy, explained by the terms that gave them; a researcher's top topics."""

from profiles.topics.classify import MAX_TOPICS, MIN_SCORE, TopicHit, classify
from profiles.topics.researcher import ResearcherTopic, top_topics
from profiles.topics.taxonomy import Topic, taxonomy

__all__ = ["MAX_TOPICS", "MIN_SCORE", "ResearcherTopic", "Topic", "TopicHit", "classify", "taxonomy", "top_topics"]
