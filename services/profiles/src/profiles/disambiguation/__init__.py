"""Author disambiguation: pure functions that place each authorship with a researcher, explained."""

from profiles.disambiguation.assign import assign
from profiles.disambiguation.features import distinct_terms, mention_terms
from profiles.disambiguation.merges import age_key, find_merges
from profiles.disambiguation.model import CorpusStats, Decision, Mention, Merge, Reason
from profiles.disambiguation.profile import Profile
from profiles.disambiguation.weights import DEFAULT_WEIGHTS, Weights

__all__ = [
    "DEFAULT_WEIGHTS",
    "CorpusStats",
    "Decision",
    "Mention",
    "Merge",
    "Profile",
    "Reason",
    "Weights",
    "age_key",
    "assign",
    "distinct_terms",
    "find_merges",
    "mention_terms",
]
