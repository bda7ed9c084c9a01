"""The scoring weights and thresholds, read from the committed weights.json (see eval/disambiguation/learn.py)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from functools import cached_property
from importlib import resources
from typing import Any

FEATURES = (
    "coauthors",
    "topic",
    "affiliation",
    "venue",
    "year_gap",
    "full_name",
    "middle_name",
    "family_commonness",
    "subjects",
)
"""The features of a mention against a researcher (or of two researchers), each weighted by one coefficient."""


@dataclass(frozen=True)
class Weights:
    """A linear score in logit units: probability = sigmoid(bias + sum(coefficient * feature)).

    A mention joins when the probability reaches `join_probability` (two researchers merge at `merge_probability`)
    and at least `min_evidence_kinds` independent kinds of evidence each reach their `evidence_minimum` (feature
    value, not points: a kind counts by what was seen, whatever its learned coefficient).
    """

    bias: float
    coefficients: dict[str, float]
    join_probability: float
    merge_probability: float
    # When two observed kinds (co-authors, topic, affiliation, venue) carry the decision without the name's
    # rarity, a lower bar may apply; None: the same as above.
    observed_join_probability: float | None = None
    observed_merge_probability: float | None = None
    # A merge of a common name whose only co-author in common has a common family name and was met once (maybe a
    # namesake's namesake: 'Wei Chen' beside 'Jun Zhang') needs this probability; set by hand. Such a co-author
    # carries no join at all.
    namesake_probability: float = 0.9
    # Scales that turn raw counts into features; fixed by hand, not learned.
    coauthor_cap: float = 3.0
    coauthor_idf_floor: float = 2.0
    coauthor_idf_span: float = 6.0
    # Co-author rarity is judged as if at least this many mentions were counted: a cold corpus knows no names.
    coauthor_mentions_floor: int = 5_000
    # A co-author matched on 'wang|y' although the full name 'Yong Wang' was printed may be another Y. Wang.
    unconfirmed_coauthor: float = 0.5
    # A shared venue counts by rarity: (idf - floor) / span, clipped to [0, 1] (a shared 'CoRR' says little).
    venue_idf_floor: float = 1.5
    venue_idf_span: float = 3.0
    # Shared title/keyword words: their summed idf, in these units, capped at 1 (about two rare words).
    topic_information: float = 12.0
    affiliation_information: float = 12.0
    # Shared taxonomy topics (the classifier's, a few per work): their summed idf in these units, capped at 1.
    subject_information: float = 8.0
    year_free: float = 5.0
    year_gap_cap: float = 30.0
    # Family-name commonness is ln(1 + scale * its share of the corpus's distinct (family, given name) pairs), capped:
    # 'as common as Wang' is the worst case. People, not mentions: see scoring.family_commonness. The scale is the
    # old per-mention one (10^5); the floor is the old 100,000 mentions in names, at the 2.1 mentions per distinct
    # (family, given name) of the MEDLINE training corpus (62,635 / 29,524), so an average family scores as before
    # and a cold corpus gives ln(1 + 2 * given names).
    commonness_scale: float = 100_000.0
    commonness_cap: float = 3.0
    # ... with the share taken of at least this many names: in a cold corpus every name would look common.
    commonness_names_floor: int = 50_000
    # An East Asian family name (names.EAST_ASIAN_FAMILIES) counts each of its mentions as a person, up to this
    # many: a small corpus sees five Jun Zhangs as one given name. 10 reaches the cap below 50,000 names
    # (ln(1 + 2 * 10) > 3); from the 4th mention the name is common (before: from the 7th mention of any name).
    east_asian_people: int = 10
    # A family name at most this common counts as a kind of evidence (the name's specificity), and only then do
    # shared taxonomy topics count.
    rare_family: float = 2.0
    evidence_minimum: dict[str, float] = field(
        # One not-too-common co-author; about three idf units of shared words (or two of shared taxonomy topics);
        # a venue that is not a catch-all.
        default_factory=lambda: {"coauthors": 0.3, "topic": 0.25, "subjects": 0.25, "affiliation": 0.25, "venue": 0.3}
    )
    min_evidence_kinds: int = 2

    def __post_init__(self) -> None:
        """Refuse settings where a name alone could reach the join threshold."""
        if not 0.5 <= self.join_probability < 1 or not self.join_probability <= self.merge_probability < 1:
            raise ValueError("need 0.5 <= join_probability <= merge_probability < 1")
        if self.min_evidence_kinds < 2:
            raise ValueError("min_evidence_kinds must be at least 2: one kind of evidence alone never joins")
        for observed, plain in (
            (self.observed_join_probability, self.join_probability),
            (self.observed_merge_probability, self.merge_probability),
        ):
            if observed is not None and not 0.5 <= observed <= plain:
                raise ValueError("an observed-evidence threshold must lie between 0.5 and the plain one")
        if set(self.coefficients) != set(FEATURES):
            raise ValueError(f"coefficients must name exactly the features {FEATURES}")

    @cached_property
    def coefficient_tuple(self) -> tuple[float, ...]:
        """The coefficients in FEATURES order."""
        return tuple(self.coefficients[f] for f in FEATURES)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Weights:
        """Weights from a JSON object with this class's field names (unknown keys are refused)."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown weight names: {sorted(unknown)}")
        return cls(**{**data, "coefficients": dict(data["coefficients"])})

    def to_json(self) -> dict[str, Any]:
        """The weights as a JSON object."""
        return asdict(self)


def load_default() -> Weights:
    """The committed weights (profiles/disambiguation/weights.json)."""
    text = resources.files("profiles.disambiguation").joinpath("weights.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return Weights.from_json(data["weights"])


DEFAULT_WEIGHTS = load_default()
