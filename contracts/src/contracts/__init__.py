"""Sightline event contracts: the shared language of the services, and nothing else (imports no service)."""

from contracts.envelope import ContractModel, Envelope
from contracts.keys import work_key
from contracts.paper_seen import Author, AuthorRole, Identifiers, Paper, PaperSeenV1, Sighting, WorkKind
from contracts.researcher_events import (
    Evidence,
    ResearcherMerge,
    ResearcherMergedV1,
    ResearcherSplit,
    ResearcherSplitV1,
    ResearcherState,
    ResearcherUpdatedV1,
    SplitPart,
)
from contracts.topics import (
    ALL_TOPICS,
    PAPER_SEEN,
    RESEARCHER_CHANGES,
    TRUST_CHANGED,
    WORK_ATTRIBUTED,
    TopicSpec,
    topic_name,
)
from contracts.trust_changed import TrustChangedV1, TrustComponent, TrustFlag, TrustSnapshot
from contracts.work_attributed import AttributedAuthor, WorkAttributedV1, WorkAttribution

__all__ = [
    "ALL_TOPICS",
    "PAPER_SEEN",
    "RESEARCHER_CHANGES",
    "TRUST_CHANGED",
    "WORK_ATTRIBUTED",
    "AttributedAuthor",
    "Author",
    "AuthorRole",
    "ContractModel",
    "Envelope",
    "Evidence",
    "Identifiers",
    "Paper",
    "PaperSeenV1",
    "ResearcherMerge",
    "ResearcherMergedV1",
    "ResearcherSplit",
    "ResearcherSplitV1",
    "ResearcherState",
    "ResearcherUpdatedV1",
    "Sighting",
    "SplitPart",
    "TopicSpec",
    "TrustChangedV1",
    "TrustComponent",
    "TrustFlag",
    "TrustSnapshot",
    "WorkAttributedV1",
    "WorkAttribution",
    "WorkKind",
    "topic_name",
    "work_key",
]
