"""assign(): variants of one person join, namesakes stay apart, ORCID rules, initials, CJK order, big teams."""

from __future__ import annotations

from typing import Any

from profiles.disambiguation import Decision, Mention, Profile, assign
from profiles.disambiguation.memory_stats import MemoryStats
from profiles.disambiguation.replay import Replay
from profiles.disambiguation.replay import make_mention as mention

ORCID_A = "0000-0002-1825-0097"
ORCID_B = "0000-0001-5109-3700"


def add(replay: Replay, mention: Mention) -> str:
    return replay.add_work([mention])[0]


def _multigrid(work: str, name: str = "Jun Zhang", **kw: Any) -> Mention:
    return mention(
        work,
        name,
        coauthors=kw.pop("coauthors", ["Craig C. Douglas", "Hui Wang"]),
        title=kw.pop("title", "Multigrid preconditioners for sparse linear systems"),
        venue=kw.pop("venue", "SIAM J. Sci. Comput."),
        **kw,
    )


def test_name_variants_of_one_person_join() -> None:
    replay = Replay()
    # A corpus of other works, so that the shared words and venue are rare rather than in every work seen.
    replay.count(
        [mention(f"bg{i}", f"Ada Other{i}", title=f"Unrelated work {i}", venue=f"Venue {i}") for i in range(40)]
    )
    first = add(
        replay,
        mention(
            "w1",
            "Wim De Ceukelaire",
            coauthors=["Bart Criel", "Ann Peeters"],
            title="Community health insurance in Rwanda",
            venue="Health Policy and Planning",
            year=2008,
        ),
    )
    second = add(
        replay,
        mention(
            "w2",
            "DeCeukelaire W",
            coauthors=["Criel B", "Macq J"],
            title="Health insurance coverage and equity in Rwanda",
            venue="Health Policy and Planning",
            year=2011,
        ),
    )
    assert first == second
    decision = replay.decisions[-1]
    assert decision.researcher_id == first
    assert 0.5 < decision.confidence <= 1
    assert {r.kind for r in decision.reasons} >= {"coauthors", "topic"}
    assert all(r.detail for r in decision.reasons)


def test_two_people_with_one_name_stay_apart() -> None:
    replay = Replay()
    a = add(replay, _multigrid("w1"))
    b = add(
        replay,
        mention(
            "w2",
            "Jun Zhang",
            coauthors=["Xiaoli Li", "Yong Chen"],
            title="Protein folding kinetics of amyloid fibrils",
            venue="Journal of Molecular Biology",
        ),
    )
    assert a != b
    assert replay.decisions[-1].researcher_id is None
    assert replay.decisions[-1].reasons[0].kind == "new"


def test_one_kind_of_evidence_is_not_enough() -> None:
    replay = Replay()
    a = add(replay, _multigrid("w1"))
    # Same title words, nothing else: one kind of evidence (the name is common: an East Asian family name).
    for i in range(40):
        replay.stats.add(mention(f"x{i}", "Jun Zhang", title="Unrelated"))
    b = add(
        replay,
        mention(
            "w2",
            "Jun Zhang",
            coauthors=["Li Na"],
            title="Multigrid preconditioners for sparse linear systems",
            venue="Other Venue",
        ),
    )
    assert a != b


def test_orcid_equal_is_a_hard_link_and_different_never_joins() -> None:
    stats = MemoryStats()
    holder = Profile.empty().absorb(_multigrid("w1", orcid=ORCID_A))
    unrelated = mention("w2", "J. Zhang", title="Something else entirely", orcid=ORCID_A)
    decision = assign(unrelated, [("r1", holder)], stats)
    assert decision.researcher_id == "r1"
    assert decision.confidence == 1.0
    assert decision.reasons[0].kind == "orcid"
    twin = _multigrid("w3", orcid=ORCID_B)
    assert assign(twin, [("r1", holder)], stats).researcher_id is None


def test_one_work_never_has_two_slots_of_one_researcher() -> None:
    stats = MemoryStats()
    m1 = _multigrid("w1")
    profile = Profile.empty().absorb(m1)
    other_slot = _multigrid("w1", position=1)
    assert assign(other_slot, [("r1", profile)], stats).researcher_id is None


def test_initials_cannot_bridge_two_full_names() -> None:
    stats = MemoryStats()
    profile = Profile.empty().absorb(_multigrid("w1", name="Kaisheng Ma"))
    profile.absorb(_multigrid("w2", name="K Ma"))
    other = _multigrid("w3", name="Kaiming Ma")
    assert assign(other, [("r1", profile)], stats).researcher_id is None
    initials = _multigrid("w4", name="K. Ma")
    assert assign(initials, [("r1", profile)], stats).researcher_id == "r1"


def _background(replay: Replay) -> Replay:
    """Other works, so that shared words and venues are rare: 'Zhang' is common and needs two observed kinds."""
    replay.count(
        [mention(f"bg{i}", f"Ada Other{i}", title=f"Unrelated work {i}", venue=f"Venue {i}") for i in range(40)]
    )
    return replay


def test_initials_only_mentions_join_with_enough_evidence() -> None:
    replay = _background(Replay())
    a = add(replay, _multigrid("w1", name="Jun Zhang"))
    b = add(replay, _multigrid("w2", name="J. Zhang"))
    assert a == b


def test_chinese_name_in_family_first_order_finds_the_researcher() -> None:
    replay = _background(Replay())
    a = add(replay, _multigrid("w1", name="Jun Zhang"))
    b = add(replay, _multigrid("w2", name="Zhang Jun"))
    assert a == b


def test_cjk_script_names_block_on_characters() -> None:
    replay = Replay()
    a = add(replay, _multigrid("w1", name="张军", coauthors=["王辉", "李娜"]))
    b = add(replay, _multigrid("w2", name="张军", coauthors=["王辉", "刘洋"]))
    c = add(replay, _multigrid("w3", name="张伟", coauthors=["王辉", "李娜"]))
    assert a == b
    assert c != a


def test_huge_collaborations_give_no_coauthor_credit() -> None:
    team = [f"Physicist{i} Member{i}" for i in range(2000)]
    replay = Replay()
    a = add(replay, mention("w1", "T Adams", coauthors=team, title="Search for a heavy resonance", venue="Phys Lett B"))
    b = add(replay, mention("w2", "T Adams", coauthors=team, title="Measurement of a cross section", venue="JHEP"))
    assert a != b
    assert all(r.kind != "coauthors" for r in replay.decisions[-1].reasons)


def test_small_teams_give_coauthor_credit() -> None:
    replay = Replay()
    add(replay, mention("w1", "T Adams", coauthors=["Q Xylander", "R Yablonski"], title="Search for heavy resonances"))
    add(replay, mention("w2", "T Adams", coauthors=["Q Xylander", "R Yablonski"], title="Heavy resonances at LHC"))
    assert replay.decisions[-1].researcher_id is not None
    assert any(r.kind == "coauthors" and r.points > 0 for r in replay.decisions[-1].reasons)


class _Crowded:
    """Stats of 100,000 mentions and names in which the family name 'kowalczyk' has a given share of the distinct
    (family, given name) pairs and all else is rare."""

    def __init__(self, family_share: float) -> None:
        self.share = family_share

    @property
    def mentions(self) -> int:
        return 100_000

    def frequency(self, kind: str, term: str) -> int:
        if kind in ("givens", "initials"):
            return 100_000 if term == "*" else int(self.share * 100_000) if term == "kowalczyk" else 1
        return 10_000 if kind == "work" else 1


def test_a_common_family_name_needs_more_evidence_than_a_rare_one() -> None:
    topic_only = _multigrid("w2", name="Jun Kowalczyk", coauthors=["Li Na"], venue="Other Venue")
    earlier = Profile.empty().absorb(_multigrid("w1", name="Jun Kowalczyk"))
    rare = assign(topic_only, [("r1", earlier)], _Crowded(0.0))
    common = assign(topic_only, [("r1", earlier)], _Crowded(0.05))
    assert rare.researcher_id == "r1"
    assert common.researcher_id is None
    assert common.reasons[0].kind == "new"
    assert any(r.kind == "family_commonness" and r.points < rare_points(rare) for r in common.reasons)


def rare_points(decision: Decision) -> float:
    return next((r.points for r in decision.reasons if r.kind == "family_commonness"), 0.0)
