"""The in-memory state of one batch: loaded and changed works, researchers, indexes, and the corpus statistics."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from profiles.db.repository import TOTAL
from profiles.domain import title_print
from profiles.records import AuthorshipState, ResearcherState, WorkState
from profiles.service.incoming import Attribution, Incoming, MergeRecord, SplitRecord


class Stats:
    """CorpusStats over the stored counts plus this batch's own mentions (one dict lookup per question)."""

    def __init__(self, stored: dict[tuple[str, str], int]) -> None:
        """Start from the stored counts of the terms this batch asks about."""
        self._counts = dict(stored)
        self.added: dict[tuple[str, str], int] = {}

    @property
    def mentions(self) -> int:
        """Mentions counted so far."""
        return self._counts.get(TOTAL, 0)

    def frequency(self, kind: str, term: str) -> int:
        """In how many mentions the term occurred."""
        return self._counts.get((kind, term), 0)

    def count(
        self, terms: Iterable[tuple[str, str]], distinct: Iterable[tuple[tuple[str, str], tuple[str, str]]] = ()
    ) -> None:
        """Count one mention's terms, and each `distinct_terms` pair's term when its marker is new (the markers are
        among the terms, and loaded: the batch holds their block locks, so replicas never both count one first)."""
        firsts = [counted for marker, counted in distinct if not self._counts.get(marker)]
        for key in (*firsts, *terms, TOTAL):
            self.added[key] = self.added.get(key, 0) + 1
            self._counts[key] = self._counts.get(key, 0) + 1


@dataclass
class BatchState:
    """Everything one batch reads and changes, shared by its phases."""

    now: datetime
    works: dict[str, WorkState] = field(default_factory=dict)
    ident_map: dict[str, str] = field(default_factory=dict)  # identifier -> work id
    ident_dirty: dict[str, str] = field(default_factory=dict)  # identifiers to (re)write
    work_moves: dict[str, str] = field(default_factory=dict)  # retired work id -> its survivor
    titles: dict[str, set[str]] = field(default_factory=dict)  # title fingerprint -> live work ids
    researchers: dict[str, ResearcherState] = field(default_factory=dict)
    blocks: dict[str, set[str]] = field(default_factory=dict)  # block key -> researcher ids
    orcids: dict[str, str] = field(default_factory=dict)  # ORCID -> live researcher id
    moves: dict[str, str] = field(default_factory=dict)  # retired researcher id -> its survivor
    merges: list[MergeRecord] = field(default_factory=list)
    splits: list[SplitRecord] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    pending: list[tuple[WorkState, AuthorshipState, Incoming]] = field(default_factory=list)
    orcid_updates: list[AuthorshipState] = field(default_factory=list)
    reassigned: set[tuple[str, int]] = field(default_factory=set)  # (work id, position) given to an ORCID holder
    touched_blocks: set[str] = field(default_factory=set)
    founded_blocks: set[str] = field(default_factory=set)
    stats: Stats = field(default_factory=lambda: Stats({}))

    def work(self, work_id: str) -> WorkState:
        """The live work an id resolves to (following merges)."""
        work = self.works[work_id]
        while work.merged_into is not None:
            work = self.works[work.merged_into]
        return work

    def researcher(self, researcher_id: str) -> ResearcherState:
        """The live researcher an id resolves to (following merges)."""
        found = self.researchers[researcher_id]
        while found.merged_into is not None:
            found = self.researchers[found.merged_into]
        return found

    def index_title(self, work: WorkState) -> None:
        """Index a live work under its title fingerprint (title matching)."""
        printed = title_print(work.fields.get("title"))
        if printed:
            self.titles.setdefault(printed, set()).add(work.id)
