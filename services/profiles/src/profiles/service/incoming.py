"""A batch's input prepared (identifiers, title fingerprint, parsed names), its lock keys, its bookkeeping."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from contracts import PaperSeenV1, Sighting
from profiles.disambiguation import Reason
from profiles.domain import identifiers, title_print
from profiles.names import ParsedName, block_keys, parse_name
from profiles.records import WorkState

# The researcher of an author slot not assigned yet.
PENDING = ""


@dataclass(frozen=True)
class Publishing:
    """Where and as whom profiles publishes."""

    producer: str
    topic_prefix: str = ""


@dataclass
class Incoming:
    """One paper.seen event, prepared: identifiers, title fingerprint, author names parsed."""

    event: PaperSeenV1
    idents: list[str]
    print: str | None
    authors: list[tuple[int, Any, ParsedName]]  # (index in the sighting, contract Author, parsed name)

    @property
    def sighting(self) -> Sighting:
        """The sighting."""
        return self.event.data


@dataclass
class Attribution:
    """What one event did to its work, for its work.attributed event."""

    incoming: Incoming
    work: WorkState
    is_new_work: bool
    created: set[int] = field(default_factory=set)  # positions whose slot this event created
    merged: list[str] = field(default_factory=list)


@dataclass
class SplitRecord:
    """A work split off a researcher during the batch (its slot's ORCID is not the researcher's)."""

    researcher: str
    part: str
    work: str
    detail: str


@dataclass
class MergeRecord:
    """A researcher retired into another during the batch."""

    loser: str
    target: str
    rule: str
    confidence: float
    reasons: tuple[Reason, ...]


def prepare(event: PaperSeenV1) -> Incoming:
    """Identifiers, title fingerprint and parsed author names of one event (editors are not authors)."""
    s = event.data
    paper = s.paper
    authors = [
        (index, author, parse_name(author.name, author.family_name, author.given_name))
        for index, author in enumerate(paper.authors)
        if getattr(author, "role", None) != "editor"
    ]
    return Incoming(event, identifiers(s.work_key, paper.identifiers), title_print(paper.title), authors)


def lock_keys(batch: Sequence[Incoming]) -> set[str]:
    """Every key the batch must hold: identifiers, title fingerprints, name block keys, ORCIDs."""
    keys: set[str] = set()
    for item in batch:
        keys.update(f"id:{i}" for i in item.idents)
        if item.print:
            keys.add(f"title:{item.print}")
        for _, author, parsed in item.authors:
            keys.update(f"block:{k}" for k in block_keys(parsed))
            if author.orcid:
                keys.add(f"orcid:{author.orcid}")
    return keys


def utcnow() -> datetime:
    """Now, timezone-aware."""
    return datetime.now(UTC)
