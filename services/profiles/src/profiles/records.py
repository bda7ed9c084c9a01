"""The in-memory state one consumer batch works on: works, authorships and researchers as loaded, then changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from profiles.disambiguation import Profile
from profiles.domain import Origin

# Profile.block_keys parses every name variant, in the order of their frequency, each time it is asked: the keys are
# a function of that order alone, so they are remembered by it (a researcher's keys are read several times a batch).
_BLOCK_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}
_BLOCK_KEYS_MAX = 200_000

FIELDS = ("title", "abstract", "kind", "venue", "published", "year", "keywords", "urls")


@dataclass
class AuthorshipState:
    """One author slot of a canonical work and its researcher."""

    work_id: str
    position: int
    name: str
    family_name: str | None
    given_name: str | None
    orcid: str | None
    affiliations: list[str]
    institutions: list[dict[str, Any]]
    researcher_id: str
    confidence: float
    reasons: list[dict[str, Any]]
    sources: dict[str, str]
    origin: Origin
    assigned_at: datetime | None = None


@dataclass
class WorkState:
    """A canonical work (or a tombstone) with its authorships by position."""

    id: str
    founding_key: str
    founding_seen_at: datetime
    fields: dict[str, Any]
    identifiers: dict[str, list[str]]
    topics: list[dict[str, Any]]
    provenance: dict[str, Any]
    first_seen_at: datetime
    last_seen_at: datetime
    sightings: int
    merged_into: str | None = None
    authorships: dict[int, AuthorshipState] = field(default_factory=dict)
    is_new: bool = False
    dirty: bool = False

    @property
    def founding(self) -> tuple[datetime, str]:
        """What the id derives from: the earliest (seen_at, key)."""
        return (self.founding_seen_at, self.founding_key)

    @property
    def topic_ids(self) -> list[str]:
        """The ids of the work's topics, strongest first."""
        return [str(t["topic_id"]) for t in self.topics]


@dataclass
class ResearcherState:
    """A researcher (or a tombstone): its evidence profile, ORCID, names and counts."""

    id: str
    orcid: str | None
    profile: Profile
    names: dict[str, int]
    works_count: int
    origin: Origin
    merged_into: str | None = None
    claimed: bool = False
    created_at: datetime | None = None
    is_new: bool = False
    dirty: bool = False
    added_work_ids: list[str] = field(default_factory=list)
    stored_block_keys: tuple[str, ...] = ()


def profile_block_keys(profile: Profile) -> tuple[str, ...]:
    """`profile.block_keys()`, remembered by the frequency order of the profile's name variants."""
    names = profile.names
    order = tuple(sorted(names, key=lambda v: -names[v]))
    found = _BLOCK_KEYS.get(order)
    if found is None:
        if len(_BLOCK_KEYS) >= _BLOCK_KEYS_MAX:
            _BLOCK_KEYS.clear()
        found = _BLOCK_KEYS[order] = tuple(profile.block_keys())
    return found
