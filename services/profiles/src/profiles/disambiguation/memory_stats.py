"""CorpusStats kept in memory: for tests, the offline quality harness, and anything that replays events."""

from __future__ import annotations

from collections import Counter

from profiles.disambiguation.features import distinct_terms, mention_terms
from profiles.disambiguation.model import Mention


class MemoryStats:
    """Counts `mention_terms` of every mention added, and `distinct_terms` once; satisfies the CorpusStats protocol."""

    def __init__(self) -> None:
        """Empty counts."""
        self._counts: Counter[tuple[str, str]] = Counter()
        self._mentions = 0

    @property
    def mentions(self) -> int:
        """How many mentions were counted."""
        return self._mentions

    def frequency(self, kind: str, term: str) -> int:
        """In how many mentions the term of this kind occurred."""
        return self._counts.get((kind, term), 0)

    def add(self, mention: Mention) -> None:
        """Count one mention's terms."""
        self._mentions += 1
        self._counts.update([counted for marker, counted in distinct_terms(mention) if not self._counts[marker]])
        self._counts.update(mention_terms(mention))
