"""The service's assignment loop in memory (stats, block index, assign, absorb, merges): for tests and the harness."""

from __future__ import annotations

from collections.abc import Sequence

from profiles.disambiguation.assign import assign
from profiles.disambiguation.features import features
from profiles.disambiguation.memory_stats import MemoryStats
from profiles.disambiguation.merges import find_merges
from profiles.disambiguation.model import Decision, Mention, Merge
from profiles.disambiguation.profile import Profile
from profiles.disambiguation.weights import DEFAULT_WEIGHTS, Weights


def make_mention(
    work_id: str,
    name: str,
    *,
    position: int = 0,
    family_name: str | None = None,
    given_name: str | None = None,
    orcid: str | None = None,
    affiliations: Sequence[str] = (),
    coauthors: Sequence[str] = (),
    author_count: int | None = None,
    title: str | None = None,
    keywords: Sequence[str] = (),
    topics: Sequence[str] = (),
    venue: str | None = None,
    year: int | None = None,
    source: str = "test",
) -> Mention:
    """A Mention with defaults for what is not given (author_count: the co-authors plus this one)."""
    return Mention(
        work_id=work_id,
        position=position,
        name=name,
        family_name=family_name,
        given_name=given_name,
        orcid=orcid,
        affiliations=tuple(affiliations),
        coauthors=tuple(coauthors),
        author_count=author_count if author_count is not None else len(coauthors) + 1,
        title=title,
        keywords=tuple(keywords),
        topics=tuple(topics),
        venue=venue,
        year=year,
        source=source,
    )


class Replay:
    """Researchers built mention by mention exactly as the service does, with ids r1, r2, ... in creation order."""

    def __init__(self, weights: Weights = DEFAULT_WEIGHTS) -> None:
        """No researchers yet."""
        self.weights = weights
        self.stats = MemoryStats()
        self.profiles: dict[str, Profile] = {}
        self.index: dict[str, list[str]] = {}
        self.orcids: dict[str, str] = {}
        self.retired: dict[str, str] = {}
        self.decisions: list[Decision] = []
        self._created = 0

    def count(self, mentions: Sequence[Mention]) -> None:
        """Count a work's mentions in the corpus stats (the service does this before assigning them)."""
        for mention in mentions:
            self.stats.add(mention)

    def candidates(self, mention: Mention) -> list[tuple[str, Profile]]:
        """Researchers under the mention's block keys, and the ORCID holder wherever it is indexed."""
        found = features(mention)
        ids = dict.fromkeys(rid for key in found.keys for rid in self.index.get(key, ()))
        if found.orcid and found.orcid in self.orcids:
            ids[self.resolve(self.orcids[found.orcid])] = None
        return [(rid, self.profiles[rid]) for rid in ids]

    def add_work(self, mentions: Sequence[Mention]) -> list[str]:
        """Count, then assign and absorb, every mention of one work in slot order; their researcher ids."""
        self.count(mentions)
        return [self.add(mention) for mention in mentions]

    def add(self, mention: Mention) -> str:
        """Assign and absorb one (already counted) mention; returns its researcher id."""
        decision = assign(mention, self.candidates(mention), self.stats, self.weights)
        self.decisions.append(decision)
        if decision.researcher_id is None:
            self._created += 1
            researcher = f"r{self._created}"
            self.profiles[researcher] = Profile.empty()
        else:
            researcher = decision.researcher_id
        profile = self.profiles[researcher].absorb(mention)
        self._index(researcher, profile)
        return researcher

    def merge_block(self, key: str, focus: set[str] | None = None) -> list[Merge]:
        """Run the merge pass over one block and apply its merges."""
        candidates = [(rid, self.profiles[rid]) for rid in self.index.get(key, ())]
        merges = find_merges(candidates, self.stats, self.weights, focus=focus)
        for merge in merges:
            survivor = self.resolve(merge.survivor_id)
            loser = self.profiles.pop(merge.loser_id)
            self.profiles[survivor] = self.profiles[survivor].merged(loser)
            self.retired[merge.loser_id] = survivor
            for ids in self.index.values():
                if merge.loser_id in ids:
                    ids.remove(merge.loser_id)
            self._index(survivor, self.profiles[survivor])
        return merges

    def merge_all(self) -> int:
        """The merge pass over every block; how many researchers were retired."""
        return sum(len(self.merge_block(key)) for key in list(self.index) if len(self.index[key]) > 1)

    def resolve(self, researcher: str) -> str:
        """The surviving id of a researcher, following merges."""
        while researcher in self.retired:
            researcher = self.retired[researcher]
        return researcher

    def _index(self, researcher: str, profile: Profile) -> None:
        for key in profile.block_keys():
            ids = self.index.setdefault(key, [])
            if researcher not in ids:
                ids.append(researcher)
        for orcid in profile.orcids:
            self.orcids.setdefault(orcid, researcher)
