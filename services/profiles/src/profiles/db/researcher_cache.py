"""Researchers as this process's committed batches left them, reused while their row's xmin is unchanged."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

from profiles.records import ResearcherState

# A few KB each: the researchers of the blocks a consumer meets most, not the whole corpus.
LIMIT = 50_000


class ResearcherCache:
    """id -> (xmin of the row, the state that row decodes to), least recently kept first.

    A batch takes its entries out (its changes never leak into the cache if it rolls back) and the batch's
    researchers come back only after its commit; a row another replica (or the API) wrote since has another xmin
    and is read again.
    """

    def __init__(self, limit: int = LIMIT) -> None:
        """An empty cache of at most `limit` researchers."""
        self._entries: dict[str, tuple[str, ResearcherState]] = {}
        self._limit = limit

    def versions(self, ids: Iterable[str]) -> tuple[list[str], list[str]]:
        """(ids, xmins) of the cached researchers among `ids`."""
        found = [(i, self._entries[i][0]) for i in ids if i in self._entries]
        return [i for i, _ in found], [x for _, x in found]

    def take(self, researcher_id: str, xmin: str) -> ResearcherState | None:
        """Remove and return the cached state of this row version, if cached."""
        entry = self._entries.pop(researcher_id, None)
        return entry[1] if entry is not None and entry[0] == xmin else None

    def keep(self, entries: Sequence[tuple[str, ResearcherState]]) -> None:
        """Cache committed states (xmin, state), dropping the least recently kept beyond the limit."""
        for xmin, state in entries:
            self._entries.pop(state.id, None)
            self._entries[state.id] = (xmin, state)
        excess = len(self._entries) - self._limit
        if excess > 0:
            for researcher_id in list(islice(self._entries, excess)):
                del self._entries[researcher_id]

    def __len__(self) -> int:
        """How many researchers are cached."""
        return len(self._entries)
