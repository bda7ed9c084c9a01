"""Sightline event contracts: the shared language of the services, and nothing else (imports no service)."""

from contracts.envelope import ContractModel, Envelope
from contracts.keys import work_key
from contracts.paper_seen import Author, Identifiers, Paper, PaperSeenV1, Sighting, WorkKind
from contracts.topics import ALL_TOPICS, PAPER_SEEN, TopicSpec, topic_name

__all__ = [
    "ALL_TOPICS",
    "PAPER_SEEN",
    "Author",
    "ContractModel",
    "Envelope",
    "Identifiers",
    "Paper",
    "PaperSeenV1",
    "Sighting",
    "TopicSpec",
    "WorkKind",
    "topic_name",
    "work_key",
]
