"""family_commonness counts the people who share a family name (distinct given names), not its mentions."""

from __future__ import annotations

from itertools import combinations

from profiles.disambiguation.memory_stats import MemoryStats
from profiles.disambiguation.model import Mention
from profiles.disambiguation.replay import Replay, make_mention
from profiles.disambiguation.scoring import family_commonness
from profiles.disambiguation.weights import DEFAULT_WEIGHTS

AUTHOR = "Maja Lindqvist-Okafor"
COAUTHORS = ("Tiberiu Vasquez-Haldane", "Ingrid Fjeldstad", "Oluwaseun Brannigan", "Priya Thorvaldsen")
# One topic word per preprint, never repeated: titles alike only in common words ('neural learning models').
WORDS = ["graphs", "kernels", "flows", "bandits", "transport", "diffusion", "sampling", "ranking", "pruning"]
WORDS += ["attention", "quantiles", "causal", "shapes", "tokens", "priors"]
# Forty different given names.
GIVEN = [a + b for a in ("Ka", "Lo", "Mi", "Nu", "Pe") for b in ("dra", "bel", "tin", "ran", "sha", "vo", "mir", "zel")]


def _preprints(author: str, count: int = 15) -> list[list[Mention]]:
    """arXiv preprints of one author, each with 2 of the same 4 rare-named co-authors, titles alike in common words
    only: the co-authors are the one observed kind of evidence, the name's rarity must be the second."""
    pairs = list(combinations(COAUTHORS, 2))
    works = []
    for i in range(count):
        authors = [author, *pairs[i % len(pairs)]]
        works.append(
            [
                make_mention(
                    f"arxiv:2501.{i:05d}",
                    name,
                    position=position,
                    coauthors=[other for other in authors if other != name],
                    title=f"Neural learning models for {WORDS[i]}",
                    year=2025,
                    source="arxiv",
                )
                for position, name in enumerate(authors)
            ]
        )
    return works


def _corpus() -> Replay:
    """A replay whose corpus already holds 100 other works with the same common title words."""
    replay = Replay()
    replay.count([make_mention(f"bg{i}", f"Ann Other{i}", title=f"Neural learning models {i}") for i in range(100)])
    return replay


def test_a_prolific_author_with_a_rare_name_stays_one_researcher() -> None:
    # The end-to-end failure: counted by mentions, 'lindqvistokafor' looked as common as Wang after a few papers,
    # so the co-authors alone (one kind) no longer sufficed, and 15 preprints gave 10 researchers.
    replay = _corpus()
    ids = [replay.add_work(work)[0] for work in _preprints(AUTHOR)]
    assert ids == ["r1"] * 15
    assert replay.merge_all() == 0
    own = [d for d in replay.decisions if any(r.detail.endswith("'lindqvistokafor' is") for r in d.reasons)]
    assert len(own) == 14
    assert all(d.researcher_id == "r1" for d in own)
    assert family_commonness("lindqvistokafor", replay.stats, DEFAULT_WEIGHTS) <= DEFAULT_WEIGHTS.rare_family
    # The same events in the same order give the same ids and decisions.
    again = _corpus()
    assert [again.add_work(work)[0] for work in _preprints(AUTHOR)] == ids
    assert again.decisions == replay.decisions


def test_a_common_family_name_still_needs_a_second_kind_of_evidence() -> None:
    # 'Okafor' shared by 40 people (different given names): the same co-authors alone must not join.
    replay = _corpus()
    replay.count([make_mention(f"okafor{i}", f"{name} Okafor") for i, name in enumerate(GIVEN)])
    assert family_commonness("okafor", replay.stats, DEFAULT_WEIGHTS) > DEFAULT_WEIGHTS.rare_family
    ids = [replay.add_work(work)[0] for work in _preprints("Maja Okafor", 4)]
    assert len(set(ids)) == 4
    refused = replay.decisions[-3]
    assert refused.researcher_id is None
    assert refused.reasons[0].kind == "new"
    assert "1 kind(s) of evidence (needs 2 kinds)" in refused.reasons[0].detail


def test_given_names_are_counted_once_per_family_and_name() -> None:
    stats = MemoryStats()
    for work, name in enumerate(["Maja Lindqvist", "Maja Lindqvist", "M. Lindqvist", "Erik Lindqvist", "E Lindqvist"]):
        stats.add(make_mention(f"w{work}", name))
    assert stats.frequency("family", "lindqvist") == 5  # mentions
    assert stats.frequency("givens", "lindqvist") == 2  # maja, erik
    assert stats.frequency("initials", "lindqvist") == 2  # m, e
    assert stats.frequency("givens", "*") == 2
    assert stats.frequency("initials", "*") == 2
    stats.add(make_mention("w9", "Maja Okafor"))
    assert stats.frequency("givens", "*") == 3
    assert stats.frequency("givens", "okafor") == 1


def test_many_mentions_of_one_name_are_not_commonness() -> None:
    prolific, crowded = MemoryStats(), MemoryStats()
    for i in range(40):
        prolific.add(make_mention(f"p{i}", "Maja Lindqvist"))
        crowded.add(make_mention(f"c{i}", f"{GIVEN[i]} Lindqvist"))
    assert family_commonness("lindqvist", prolific, DEFAULT_WEIGHTS) < 1.2
    assert family_commonness("lindqvist", crowded, DEFAULT_WEIGHTS) == DEFAULT_WEIGHTS.commonness_cap


def test_an_east_asian_family_counts_its_mentions_as_people_up_to_a_limit() -> None:
    # Five Jun Zhangs share one given name: for such a family each mention may be another person (up to 10).
    zhang, lindqvist = MemoryStats(), MemoryStats()
    for i in range(3):
        zhang.add(make_mention(f"z{i}", "Jun Zhang"))
    assert family_commonness("zhang", zhang, DEFAULT_WEIGHTS) <= DEFAULT_WEIGHTS.rare_family
    zhang.add(make_mention("z3", "Jun Zhang"))
    assert family_commonness("zhang", zhang, DEFAULT_WEIGHTS) > DEFAULT_WEIGHTS.rare_family
    for i in range(20):
        zhang.add(make_mention(f"zz{i}", "Jun Zhang"))
        lindqvist.add(make_mention(f"l{i}", "Jun Lindqvist"))
    assert family_commonness("zhang", zhang, DEFAULT_WEIGHTS) == DEFAULT_WEIGHTS.commonness_cap
    assert family_commonness("lindqvist", lindqvist, DEFAULT_WEIGHTS) < 1.2
