"""The score's components: one pure function per signal, each with its value, weight, points and evidence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from trust.domain.evidence import Evidence, WorkView, evidence, slot_orcids
from trust.domain.facts import ResearcherFacts
from trust.policy import Policy


@dataclass(frozen=True)
class Component:
    """One signal: what was measured, the most it can give, what it gave, and why."""

    name: str
    value: float
    weight: float
    points: float
    evidence: Evidence

    def document(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "name": self.name,
            "value": self.value,
            "weight": self.weight,
            "points": self.points,
            "evidence": self.evidence.document(),
        }


def saturating(value: float, half: float, weight: float) -> float:
    """weight * value / (value + half): half the weight at `half`, never more than the weight."""
    return weight * value / (value + half) if value > 0 else 0.0


def trusted_crossed(
    before: Mapping[str, int], after: Mapping[str, int], researchers: Iterable[str], policy: Policy
) -> set[str]:
    """Researchers whose standing as a trusted co-author (identified works >= the policy's minimum) changed."""
    line = policy.trusted_coauthor_min_works
    return {r for r in researchers if (before.get(r, 0) >= line) != (after.get(r, 0) >= line)}


def _component(name: str, value: float, points: float, policy: Policy, proof: Evidence) -> Component:
    return Component(name, round(value, 3), policy.weights[name], round(points, 1), proof)


def components(facts: ResearcherFacts, works: Sequence[WorkView], policy: Policy) -> list[Component]:
    """Every component, in the policy's order."""
    w = policy.weights
    corroborated = [v for v in works if v.corroborated]
    independent = [v for v in works if len(v.families) > 1]
    reviewed = [v for v in works if v.reviewed]
    orcid_works = [v for v in works if slot_orcids(v.work)]
    trusted = sorted(c for c, n in facts.coauthor_identified_works.items() if n >= policy.trusted_coauthor_min_works)
    years = [v.work.year for v in works if v.work.year is not None]
    tenure = float(max(years) - min(years)) if years else 0.0
    share = len(independent) / len(works) if works else 0.0
    orcids = sorted({o for v in orcid_works for o in slot_orcids(v.work)})
    claim = facts.claim
    return [
        _component(
            "corroborated_works",
            len(corroborated),
            saturating(len(corroborated), policy.corroborated_half, w["corroborated_works"]),
            policy,
            evidence(
                (v.work for v in corroborated), policy, "works with a DOI, arXiv id or PMID or a reputable source"
            ),
        ),
        _component(
            "independent_sources",
            share,
            share * w["independent_sources"],
            policy,
            evidence((v.work for v in independent), policy, "share of works seen by two or more source families"),
        ),
        _component(
            "peer_reviewed_venues",
            len(reviewed),
            saturating(len(reviewed), policy.peer_reviewed_half, w["peer_reviewed_venues"]),
            policy,
            evidence((v.work for v in reviewed), policy, "journal, proceedings or book records, or PubMed"),
        ),
        _component(
            "orcid",
            1.0 if orcids else 0.0,
            w["orcid"] if orcids else 0.0,
            policy,
            evidence((v.work for v in orcid_works), policy, "ORCID iDs printed on the slot: " + ", ".join(orcids)),
        ),
        _component(
            "trusted_collaborators",
            len(trusted),
            saturating(len(trusted), policy.collaborators_half, w["trusted_collaborators"]),
            policy,
            Evidence(
                detail=f"co-authors with >= {policy.trusted_coauthor_min_works} identified works: "
                + ", ".join(trusted[: policy.evidence_limit])
            ),
        ),
        _component(
            "account_claim",
            1.0 if claim else 0.0,
            w["account_claim"] if claim else 0.0,
            policy,
            Evidence(detail="claimed by a signed-in person" if claim else "unclaimed"),
        ),
        _component(
            "followers",
            facts.followers,
            saturating(facts.followers, policy.followers_half, w["followers"]),
            policy,
            Evidence(detail=f"{facts.followers} followers"),
        ),
        _component(
            "tenure",
            tenure,
            w["tenure"] * min(tenure, policy.tenure_full_years) / policy.tenure_full_years,
            policy,
            evidence(
                (v.work for v in works if v.work.year in (min(years), max(years))) if years else (),
                policy,
                f"years from the first to the latest work ({min(years)}-{max(years)})" if years else "no years",
            ),
        ),
    ]
