"""A researcher's snapshot: components and flags whose points add up to the score, band, level, and its digest."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from trust.domain.components import Component, components
from trust.domain.evidence import view
from trust.domain.facts import ResearcherFacts
from trust.domain.flags import flags
from trust.domain.verification import Verification, verify
from trust.policy import Policy


@dataclass(frozen=True)
class Snapshot:
    """The trust of one researcher under one policy (computed_at and revision are the writer's business)."""

    researcher_id: str
    score: int
    band: str
    verification: Verification
    claimed: bool
    components: tuple[Component, ...]
    flags: tuple[dict[str, Any], ...]
    policy_version: str

    @property
    def digest(self) -> str:
        """What 'changed' means: score, band, level, claim, each component's value and points, each flag, policy."""
        basis = [
            self.score,
            self.band,
            self.verification.level,
            self.claimed,
            self.policy_version,
            [(c.name, c.value, c.points) for c in self.components],
            [(f["kind"], f["points"], f["evidence"]["work_ids"]) for f in self.flags],
        ]
        return hashlib.sha256(orjson.dumps(basis)).hexdigest()[:32]


def band(score: int, policy: Policy) -> str:
    """The first band whose upper bound the score does not exceed."""
    return next(name for name, upper in policy.bands if score <= upper)


def snapshot(facts: ResearcherFacts, reputation: Mapping[str, float], policy: Policy) -> Snapshot:
    """Score one researcher: points of every component, minus the flags' penalties (never below zero)."""
    works = [view(w, reputation, policy) for w in sorted(facts.works, key=lambda w: w.work_id)]
    parts = components(facts, works, policy)
    available = sum(c.points for c in parts)
    raised = []
    for flag in flags(works, reputation, policy):
        taken = round(min(flag.penalty, available), 1)
        available -= taken
        raised.append(flag.document(-taken if taken else 0.0))
    score = max(0, min(100, round(available)))
    return Snapshot(
        researcher_id=facts.researcher_id,
        score=score,
        band=band(score, policy),
        verification=verify(works, facts.claim, policy),
        claimed=facts.claim is not None,
        components=tuple(parts),
        flags=tuple(raised),
        policy_version=policy.version,
    )
