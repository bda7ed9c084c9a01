"""Namesake co-authors: for a common name, a lone co-author of a common family is not evidence enough."""

from __future__ import annotations

from typing import Any

from profiles.disambiguation import DEFAULT_WEIGHTS, Mention, Profile, assign, find_merges
from profiles.disambiguation.replay import make_mention
from profiles.disambiguation.scoring import common_family, required_probability
from profiles.disambiguation.weights import FEATURES


class FixedStats:
    """Corpus counts of a large corpus where Zhang and Chen are common family names and Honavar is rare."""

    def __init__(self, mentions: int = 1_000_000, **families: int) -> None:
        self._mentions = mentions
        self.counts = {("family", name): count for name, count in families.items()}

    @property
    def mentions(self) -> int:
        return self._mentions

    def frequency(self, kind: str, term: str) -> int:
        return self.counts.get((kind, term), 0)


STATS = FixedStats(zhang=20_000, chen=15_000, honavar=3, dodey=2)


def _paper(work: str, coauthors: list[str], name: str = "Jun Zhang", **kw: Any) -> Mention:
    title = kw.pop("title", "Ant colony scheduling for multimode projects")
    return make_mention(work, name, position=1, coauthors=coauthors, title=title, year=2010, **kw)


def _researcher(*mentions: Mention) -> list[tuple[str, Profile]]:
    profile = Profile.empty()
    for mention in mentions:
        profile.absorb(mention)
    return [("r1", profile)]


def test_a_namesake_coauthor_of_a_common_family_does_not_carry_a_join() -> None:
    candidates = _researcher(_paper("w1", ["Wei Chen"], title="Wyner model scheduling of multimode cellular projects"))
    decision = assign(_paper("w2", ["Wei Chen"]), candidates, STATS)
    assert decision.researcher_id is None
    assert "namesake" in decision.reasons[0].detail


def test_a_shared_rare_coauthor_carries_the_same_join() -> None:
    candidates = _researcher(
        _paper("w1", ["Vasant Honavar"], title="Wyner model scheduling of multimode cellular projects")
    )
    assert assign(_paper("w2", ["Vasant Honavar"]), candidates, STATS).researcher_id == "r1"


def test_a_namesake_coauthor_met_many_times_still_does_not_carry_a_join() -> None:
    title = "Wyner model scheduling of multimode cellular projects"
    candidates = _researcher(*(_paper(f"w{i}", ["Wei Chen"], title=title) for i in range(3, 8)))
    assert assign(_paper("w2", ["Wei Chen"]), candidates, STATS).researcher_id is None


def test_two_coauthors_of_common_families_carry_the_join() -> None:
    title = "Wyner model scheduling of multimode cellular projects"
    candidates = _researcher(_paper("w1", ["Wei Chen", "Li Wang"], title=title))
    assert assign(_paper("w2", ["Wei Chen", "Li Wang"]), candidates, STATS).researcher_id == "r1"


def test_an_uncommon_name_keeps_its_lone_coauthor_evidence() -> None:
    title = "Wyner model scheduling of multimode cellular projects"
    candidates = _researcher(_paper("w1", ["Wei Chen"], name="Pierre Dodey", title=title))
    assert assign(_paper("w2", ["Wei Chen"], name="Pierre Dodey"), candidates, STATS).researcher_id == "r1"


def test_a_common_name_needs_coauthors_in_common() -> None:
    venue, title = "Congress on Evolutionary Computation", "Ant colony scheduling for multimode projects"
    candidates = _researcher(_paper("w1", ["Ann Lee"], venue=venue, title=title))
    decision = assign(_paper("w2", ["Bo Kim"], venue=venue, title=title), candidates, STATS)
    assert decision.researcher_id is None
    assert "needs co-authors" in decision.reasons[0].detail


def test_a_merge_resting_on_a_namesake_met_once_needs_the_namesake_bar() -> None:
    values = dict.fromkeys(FEATURES, 0.0)
    values.update(coauthors=1.0, topic=1.0, family_commonness=3.0)
    row = tuple(values.values())
    assert required_probability(row, DEFAULT_WEIGHTS, merge=True) == DEFAULT_WEIGHTS.merge_probability
    assert required_probability(row, DEFAULT_WEIGHTS, merge=True, namesake=True) == 0.9
    assert required_probability(row, DEFAULT_WEIGHTS, namesake=True) is None
    for coauthor, merged in (("Wei Chen", 0), ("Vasant Honavar", 1)):
        one = _researcher(_paper("w1", [coauthor], venue="Swarm Intelligence"))
        other = Profile.empty().absorb(_paper("w2", [coauthor], venue="Swarm Intelligence"))
        assert len(find_merges([*one, ("r2", other)], STATS)) == merged


def test_a_coauthor_family_is_judged_by_the_mentions_own_people_based_measure() -> None:
    # An East Asian family counts its mentions as people up to the prior: common from its 4th mention, however cold
    # the corpus; one mention is not yet enough.
    assert common_family("chen|wei", FixedStats(mentions=50, chen=4), DEFAULT_WEIGHTS)
    assert not common_family("chen|wei", FixedStats(mentions=50, chen=1), DEFAULT_WEIGHTS)
    assert not common_family("honavar|vasant", STATS, DEFAULT_WEIGHTS)
    assert common_family("chen|wei", STATS, DEFAULT_WEIGHTS)
