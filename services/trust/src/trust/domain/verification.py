"""Verification levels L0-L3: how firmly the public record is tied to a real, identified person."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trust.domain.evidence import Evidence, WorkView, evidence, slot_affiliations, slot_orcids
from trust.domain.facts import Claim
from trust.policy import Policy


@dataclass(frozen=True)
class Verification:
    """The level and the evidence that reached it."""

    level: str
    rule: str
    evidence: Evidence


def verify(works: Sequence[WorkView], claim: Claim | None, policy: Policy) -> Verification:
    """L3: a claim backed by the record's ORCID or an affiliation naming the claimant's email domain; L2: a claim;
    L1: a work corroborated by a registered identifier (DOI, arXiv id, PMID) or a reputable source; else L0.
    """
    if claim is not None:
        orcid_works = [v.work for v in works if claim.orcid and claim.orcid in slot_orcids(v.work)]
        if orcid_works:
            return Verification("L3", "claim ORCID matches the record", evidence(orcid_works, policy))
        domain = (claim.email_domain or "").lower()
        domain_works = [v.work for v in works if domain and any(domain in a.lower() for a in slot_affiliations(v.work))]
        if domain_works:
            return Verification("L3", f"claim email domain {domain} in an affiliation", evidence(domain_works, policy))
        return Verification("L2", "claimed by a signed-in person", Evidence(detail="claim without strong evidence"))
    corroborated = [v.work for v in works if v.corroborated]
    if corroborated:
        return Verification("L1", "corroborated by a reputable source", evidence(corroborated, policy))
    rule = "seen only in low-reputation sources" if works else "no works"
    return Verification("L0", rule, evidence((v.work for v in works), policy))
