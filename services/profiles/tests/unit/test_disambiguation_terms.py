"""mention_terms: what the service counts; per-work terms come from slot 0 only, names per mention."""

from __future__ import annotations

from profiles.disambiguation import mention_terms
from profiles.disambiguation.memory_stats import MemoryStats
from profiles.disambiguation.replay import make_mention


def _slot(position: int, name: str) -> list[tuple[str, str]]:
    return mention_terms(
        make_mention(
            "w1",
            name,
            position=position,
            coauthors=["Someone Else"],
            title="Multigrid preconditioners",
            venue="SIAM J. Sci. Comput. 12",
            affiliations=["Department of Mathematics, University of Kentucky"],
        )
    )


def test_first_slot_carries_the_work_terms() -> None:
    first = _slot(0, "Jun Zhang")
    assert ("name", "zhang|j") in first
    assert ("family", "zhang") in first
    assert ("full", "zhang|jun") in first
    assert ("work", "*") in first
    assert ("topic", "multigrid") in first
    assert ("venue", "siam sci comput") in first
    assert ("aff", "kentucky") in first
    assert ("aff", "university") not in first


def test_other_slots_count_only_their_own_terms() -> None:
    second = _slot(1, "C. C. Douglas")
    assert {kind for kind, _ in second} == {"name", "family", "aff"}
    assert ("name", "douglas|c") in second


def test_memory_stats_counts_mentions() -> None:
    stats = MemoryStats()
    stats.add(make_mention("w1", "Jun Zhang", title="Multigrid"))
    stats.add(make_mention("w2", "Jun Zhang", title="Multigrid", position=1))
    assert stats.mentions == 2
    assert stats.frequency("name", "zhang|j") == 2
    assert stats.frequency("topic", "multigrid") == 1
    assert stats.frequency("topic", "absent") == 0
