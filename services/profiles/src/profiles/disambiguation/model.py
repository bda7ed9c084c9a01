"""The engine's vocabulary: an authorship to place, the researchers it may join, and the explained decision."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Mention:
    """One author slot of one canonical work, with everything the engine may use as evidence."""

    work_id: str
    position: int
    name: str
    family_name: str | None
    given_name: str | None
    orcid: str | None
    affiliations: tuple[str, ...]
    coauthors: tuple[str, ...]
    author_count: int
    title: str | None
    keywords: tuple[str, ...]
    topics: tuple[str, ...]
    venue: str | None
    year: int | None
    source: str


@dataclass(frozen=True)
class Reason:
    """One piece of evidence for (or against) a decision, with the points it gave."""

    kind: str
    detail: str
    points: float


@dataclass(frozen=True)
class Decision:
    """Where a mention goes: an existing researcher, or None for a new one; with confidence in [0, 1] and why."""

    researcher_id: str | None
    confidence: float
    reasons: tuple[Reason, ...] = field(default=())


@dataclass(frozen=True)
class Merge:
    """Two researchers found to be one person: the loser is retired into the survivor."""

    survivor_id: str
    loser_id: str
    confidence: float
    reasons: tuple[Reason, ...] = field(default=())


class CorpusStats(Protocol):
    """How common a term is across every mention seen so far (the service keeps the counts)."""

    @property
    def mentions(self) -> int:
        """How many mentions were counted."""
        ...

    def frequency(self, kind: str, term: str) -> int:
        """In how many mentions the term of this kind occurred."""
        ...


def stats_terms(terms: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Distinct (kind, term) pairs in first-seen order: what the service counts for one mention."""
    return list(dict.fromkeys(terms))
