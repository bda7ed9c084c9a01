"""Place one mention: join the best-scoring compatible researcher, or start a new one (precision first)."""

from __future__ import annotations

from collections.abc import Sequence

from profiles.disambiguation.features import features
from profiles.disambiguation.model import CorpusStats, Decision, Mention, Reason
from profiles.disambiguation.profile import Profile
from profiles.disambiguation.scoring import (
    WeightedMention,
    common_without_coauthors,
    evidence_kinds,
    explain,
    feature_values,
    fits_every_variant,
    lone_namesake,
    points,
    required_probability,
    score,
    sigmoid,
    weigh,
)
from profiles.disambiguation.weights import DEFAULT_WEIGHTS, Weights


def assign(
    mention: Mention,
    candidates: Sequence[tuple[str, Profile]],
    stats: CorpusStats,
    weights: Weights = DEFAULT_WEIGHTS,
) -> Decision:
    """The researcher the mention belongs to (None: a new one), with a confidence in [0, 1] and the reasons.

    Rules, in order: an equal ORCID joins; a researcher with another ORCID, with this work already, or with a
    name variant incompatible with the mention's name is never joined; otherwise the best score joins when its
    probability reaches `weights.join_probability` and it rests on at least two independent kinds of evidence.
    """
    found = features(mention)
    if found.orcid:
        for researcher_id, profile in candidates:
            if found.orcid in profile.orcids:
                return Decision(researcher_id, 1.0, (Reason("orcid", f"same ORCID {found.orcid}", 10.0),))
    weighted: WeightedMention | None = None
    best: tuple[float, str, Profile] | None = None
    for researcher_id, profile in candidates:
        if found.work_hash in profile.works or (found.orcid and profile.orcids):
            continue
        if not fits_every_variant(found.variant, profile.names):
            continue
        weighted = weighted or weigh(found, stats, weights)
        total = score(weighted, profile, weights)
        if best is None or total > best[0]:
            best = (total, researcher_id, profile)
    if best is None or weighted is None:
        return Decision(None, 1.0, (Reason("new", "no compatible researcher under this name", 0.0),))
    total, researcher_id, profile = best
    values = feature_values(weighted, profile, weights)
    parts = points(values, weights)
    probability = sigmoid(total)
    reasons = explain(weighted, profile, parts, weights)
    namesake = lone_namesake(weighted, profile, weights)
    needed = required_probability(values, weights, namesake=namesake)
    if needed is not None and probability >= needed:
        return Decision(researcher_id, round(probability, 4), reasons)
    why = f"best candidate {researcher_id} has probability {probability:.2f} " + _short_of(
        values, needed, namesake, weights
    )
    return Decision(None, round(1.0 - probability, 4), (Reason("new", why, 0.0), *reasons))


def _short_of(values: tuple[float, ...], needed: float | None, namesake: bool, weights: Weights) -> str:
    """What the best candidate's evidence lacked, for the reasons of a new researcher."""
    kinds = f"from {evidence_kinds(values, weights)} kind(s) of evidence "
    if needed is not None:
        return kinds + f"(needs {needed:.2f})"
    if namesake:
        return kinds + "(its only co-author in common may be a namesake, and a common name needs co-authors in common)"
    if common_without_coauthors(values, weights):
        return kinds + "(a common name needs co-authors in common)"
    return kinds + f"(needs {weights.min_evidence_kinds} kinds)"
