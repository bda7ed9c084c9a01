"""find_merges(): split researchers of one person are merged into the oldest id; the cannot-links hold."""

from __future__ import annotations

from typing import Any

from profiles.disambiguation import Mention, Profile, age_key, find_merges
from profiles.disambiguation.memory_stats import MemoryStats
from profiles.disambiguation.replay import make_mention as mention


def _profile(*mentions: Mention) -> Profile:
    profile = Profile.empty()
    for m in mentions:
        profile.absorb(m)
    return profile


def _paper(work: str, name: str = "Jun Zhang", **kw: Any) -> Mention:
    return mention(
        work,
        name,
        coauthors=kw.pop("coauthors", ["Craig C. Douglas", "Gundolf Haase"]),
        title=kw.pop("title", "Parallel multigrid smoothing on cache-based machines"),
        venue=kw.pop("venue", "Parallel Computing"),
        **kw,
    )


def test_one_person_split_in_three_is_merged_into_the_oldest_id() -> None:
    stats = MemoryStats()
    candidates = [
        ("r10", _profile(_paper("w1"), _paper("w2"))),
        ("r9", _profile(_paper("w3"))),
        ("r11", _profile(_paper("w4", name="J. Zhang"))),
    ]
    merges = find_merges(candidates, stats)
    assert {(m.survivor_id, m.loser_id) for m in merges} == {("r9", "r10"), ("r9", "r11")}
    assert all(0.5 < m.confidence <= 1 and m.reasons for m in merges)


def test_namesakes_are_not_merged() -> None:
    stats = MemoryStats()
    other = mention(
        "w9", "Jun Zhang", coauthors=["Li Na"], title="Amyloid protein folding kinetics", venue="J Mol Biol"
    )
    assert find_merges([("r1", _profile(_paper("w1"))), ("r2", _profile(other))], stats) == []


def test_merge_respects_cannot_links() -> None:
    stats = MemoryStats()
    same_work = [("r1", _profile(_paper("w1"))), ("r2", _profile(_paper("w1", position=2)))]
    assert find_merges(same_work, stats) == []
    orcids = [
        ("r1", _profile(_paper("w1", orcid="0000-0002-1825-0097"))),
        ("r2", _profile(_paper("w2", orcid="0000-0001-5109-3700"))),
    ]
    assert find_merges(orcids, stats) == []
    names = [
        ("r1", _profile(_paper("w1", name="Kaisheng Ma"))),
        ("r2", _profile(_paper("w2", name="Kaiming Ma"))),
        ("r3", _profile(_paper("w3", name="K Ma"))),
    ]
    merges = find_merges(names, stats)
    # K Ma may join one of them, never both: the group would hold two incompatible full names.
    assert len(merges) <= 1
    assert not any({m.survivor_id, m.loser_id} == {"r1", "r2"} for m in merges)


def test_same_orcid_merges() -> None:
    stats = MemoryStats()
    orcid = "0000-0002-1825-0097"
    candidates = [
        ("r1", _profile(_paper("w1", orcid=orcid))),
        ("r2", _profile(mention("w2", "Jun Zhang", title="Other", orcid=orcid))),
    ]
    merges = find_merges(candidates, stats)
    assert [(m.survivor_id, m.loser_id, m.confidence) for m in merges] == [("r1", "r2", 1.0)]


def test_focus_limits_the_pass() -> None:
    stats = MemoryStats()
    candidates = [("r1", _profile(_paper("w1"))), ("r2", _profile(_paper("w2"))), ("r3", _profile(_paper("w3")))]
    merges = find_merges(candidates, stats, focus={"r3"})
    assert {m.loser_id for m in merges} == {"r3"} or {m.loser_id for m in merges} <= {"r2", "r3"}
    assert all("r3" in (m.survivor_id, m.loser_id) or m.loser_id == "r2" for m in merges)


def test_age_key_orders_sequence_ids_numerically() -> None:
    assert sorted(["r10", "r9", "r100"], key=age_key) == ["r9", "r10", "r100"]


def test_topic_and_venue_alone_never_merge_researchers() -> None:
    stats = MemoryStats()
    a = _profile(_paper("w1", coauthors=["Ann Smith"]), _paper("w2", coauthors=["Bob Jones"]))
    b = _profile(_paper("w3", coauthors=["Carl Young"]), _paper("w4", coauthors=["Dora Black"]))
    assert find_merges([("r1", a), ("r2", b)], stats) == []
