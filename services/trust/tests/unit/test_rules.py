"""The scoring rules without IO: calibration, components adding up, bands, verification levels, flags, reputation."""

from __future__ import annotations

import dataclasses

import pytest

from trust.domain import Claim, ResearcherFacts, SourceStats, band, contributions, reputations, shifted, snapshot
from trust.domain.reputation import reputation
from trust.policy import POLICY

from .builders import seen, work

COAUTHORS = ("r_lin", "r_zhou", "r_chen", "r_wang")


def arxiv_only(count: int = 15) -> ResearcherFacts:
    """The seed page's researcher: ~15 arXiv preprints 2020-2022, four co-authors, no followers, unclaimed."""
    works = tuple(
        work(
            n,
            seen("arxiv", n, days=n * 20, arxiv=f"2201.{10000 + n}", kind="preprint"),
            year=2020 + n % 3,
            coauthors=(COAUTHORS[n % 4], COAUTHORS[(n + 1) % 4]),
        )
        for n in range(count)
    )
    return ResearcherFacts("r_ma", works, coauthor_identified_works=dict.fromkeys(COAUTHORS, 7))


def rep(stats: dict[str, SourceStats] | None = None) -> dict[str, float]:
    return reputations(stats or {}, POLICY)


def test_calibration_arxiv_only_unclaimed_researcher_is_emerging_at_l1() -> None:
    snap = snapshot(arxiv_only(), rep({"arxiv": SourceStats(5000, 0)}), POLICY)
    assert snap.band == "Emerging"
    assert 15 <= snap.score <= 34
    assert snap.verification.level == "L1"
    assert snap.claimed is False
    assert snap.flags == ()


def test_points_add_up_to_the_score_and_stay_within_weights() -> None:
    snap = snapshot(arxiv_only(), rep(), POLICY)
    assert round(sum(c.points for c in snap.components)) == snap.score
    for c in snap.components:
        assert 0 <= c.points <= c.weight == POLICY.weights[c.name]
    assert sum(POLICY.weights.values()) == 100
    corroborated = next(c for c in snap.components if c.name == "corroborated_works")
    assert corroborated.value == 15
    assert corroborated.evidence.works_total == 15
    assert "e-arxiv-0" in corroborated.evidence.event_ids


def test_more_independent_and_reviewed_evidence_raises_the_score() -> None:
    base = arxiv_only()
    richer = dataclasses.replace(
        base,
        works=tuple(
            dataclasses.replace(
                w, sightings=(*w.sightings, seen("crossref", i, doi=f"10.1109/x.{i}", kind="article", venue="TPAMI"))
            )
            for i, w in enumerate(base.works)
        ),
    )
    low, high = snapshot(base, rep(), POLICY), snapshot(richer, rep(), POLICY)
    assert high.score > low.score
    by_name = {c.name: c for c in high.components}
    assert by_name["independent_sources"].value == 1.0
    assert by_name["peer_reviewed_venues"].value == 15


def test_bands() -> None:
    assert [band(s, POLICY) for s in (0, 14, 15, 34, 35, 59, 60, 79, 80, 100)] == [
        "New", "New", "Emerging", "Emerging", "Established", "Established", "Trusted", "Trusted",
        "Highly trusted", "Highly trusted",
    ]  # fmt: skip


def test_level_0_when_only_low_reputation_sources_saw_the_works() -> None:
    facts = ResearcherFacts("r_x", (work(1, seen("academia", 1)), work(2, seen("academia", 2))))
    snap = snapshot(facts, rep(), POLICY)
    assert snap.verification.level == "L0"
    assert snapshot(ResearcherFacts("r_y"), rep(), POLICY).verification.level == "L0"


def test_level_2_for_a_claim_and_3_when_the_orcid_or_email_domain_backs_it() -> None:
    orcid = "0000-0002-1825-0097"
    facts = ResearcherFacts(
        "r_ma",
        (
            work(
                1,
                seen(
                    "crossref",
                    1,
                    doi="10.1/a",
                    orcids=(orcid, None, None),
                    affiliations=(("Tsinghua University, ma@tsinghua.edu.cn",), (), ()),
                ),
            ),
        ),
    )
    claimed = dataclasses.replace(facts, claim=Claim())
    assert snapshot(claimed, rep(), POLICY).verification.level == "L2"
    assert snapshot(claimed, rep(), POLICY).claimed is True
    assert snapshot(dataclasses.replace(facts, claim=Claim(orcid=orcid)), rep(), POLICY).verification.level == "L3"
    by_mail = dataclasses.replace(facts, claim=Claim(email_domain="tsinghua.edu.cn"))
    assert snapshot(by_mail, rep(), POLICY).verification.level == "L3"
    other = dataclasses.replace(facts, claim=Claim(orcid="0000-0001-5109-3700", email_domain="mit.edu"))
    assert snapshot(other, rep(), POLICY).verification.level == "L2"
    orcid_points = next(c for c in snapshot(facts, rep(), POLICY).components if c.name == "orcid")
    assert orcid_points.points == POLICY.weights["orcid"]


def test_burst_from_a_low_reputation_source_is_flagged_and_lowers_the_score() -> None:
    known = {"r_lin": 5, "r_zhou": 5}
    burst = tuple(work(n, seen("academia", n, days=n % 3), year=2015 + n) for n in range(6))
    spread = tuple(work(n, seen("academia", n, days=n * 30), year=2015 + n) for n in range(6))
    flagged = snapshot(ResearcherFacts("r_x", burst, known), rep(), POLICY)
    calm = snapshot(ResearcherFacts("r_x", spread, known), rep(), POLICY)
    kinds = [f["kind"] for f in flagged.flags]
    assert "burst_low_reputation_source" in kinds
    assert "burst_low_reputation_source" not in [f["kind"] for f in calm.flags]
    flag = next(f for f in flagged.flags if f["kind"] == "burst_low_reputation_source")
    assert flag["points"] == -POLICY.burst_penalty
    assert flagged.score == calm.score - POLICY.burst_penalty
    assert len(flag["evidence"]["work_ids"]) >= POLICY.burst_min_works
    assert round(sum(c.points for c in flagged.components) + sum(f["points"] for f in flagged.flags)) == flagged.score


def test_co_authors_seen_only_in_one_unreputable_source_are_flagged() -> None:
    works = tuple(work(n, seen("academia", n, days=n * 30), coauthors=(f"r_c{n}",)) for n in range(4))
    kinds = [f["kind"] for f in snapshot(ResearcherFacts("r_x", works), rep(), POLICY).flags]
    assert "single_source_coauthors" in kinds
    arxiv = tuple(work(n, seen("arxiv", n, arxiv=f"2201.{10000 + n}"), coauthors=(f"r_c{n}",)) for n in range(4))
    assert snapshot(ResearcherFacts("r_x", arxiv), rep(), POLICY).flags == ()


def test_works_far_outside_the_researchers_topics_are_flagged() -> None:
    works = [work(n, seen("arxiv", n, arxiv=f"2201.{10000 + n}"), topics=("cv", "ml")) for n in range(6)]
    works.append(work(9, seen("arxiv", 9, arxiv="2201.10009"), topics=("oncology",)))
    snap = snapshot(ResearcherFacts("r_x", tuple(works)), rep(), POLICY)
    (flag,) = snap.flags
    assert flag["kind"] == "off_topic_works"
    assert flag["evidence"]["work_ids"] == ["w_009"]


def test_sightings_of_one_doi_with_different_authors_are_flagged() -> None:
    clash = work(1, seen("crossref", 1, doi="10.1/a"), seen("academia", 2, doi="10.1/a", surnames=("smith", "jones")))
    agree = work(2, seen("crossref", 3, doi="10.1/b"), seen("openalex", 4, doi="10.1/b", surnames=("ma", "lin")))
    snap = snapshot(ResearcherFacts("r_x", (clash, agree)), rep(), POLICY)
    (flag,) = snap.flags
    assert flag["kind"] == "contradicting_sightings"
    assert flag["evidence"]["work_ids"] == ["w_001"]
    assert sorted(flag["evidence"]["event_ids"]) == ["e-academia-2", "e-crossref-1"]


def test_reputation_is_learned_from_corroboration_within_the_spread() -> None:
    prior = POLICY.source_priors["academia"]
    assert reputation("academia", None, POLICY) == prior
    assert reputation("academia", SourceStats(1000, 1000), POLICY) == pytest.approx(
        prior + POLICY.learned_spread, abs=0.01
    )
    assert reputation("academia", SourceStats(1000, 0), POLICY) == pytest.approx(
        prior - POLICY.learned_spread, abs=0.01
    )
    assert reputation("brand_new_source", None, POLICY) == POLICY.unknown_source_prior
    # hf_daily_papers republishes arXiv: together they do not corroborate a work.
    assert contributions(["arxiv", "hf_daily_papers"], POLICY) == {
        "arxiv": SourceStats(1, 0),
        "hf_daily_papers": SourceStats(1, 0),
    }
    assert contributions(["arxiv", "crossref"], POLICY)["arxiv"] == SourceStats(1, 1)


def test_same_facts_give_the_same_snapshot_and_digest() -> None:
    one, two = snapshot(arxiv_only(), rep(), POLICY), snapshot(arxiv_only(), rep(), POLICY)
    assert one == two
    assert one.digest == two.digest
    other_policy = dataclasses.replace(POLICY, version="other")
    assert snapshot(arxiv_only(), rep(), other_policy).digest != one.digest


def test_a_source_crossing_a_threshold_is_reported_as_shifted() -> None:
    quiet = {"academia": SourceStats(10, 0), "arxiv": SourceStats(10, 0)}
    assert shifted(quiet, {"academia": SourceStats(11, 0), "arxiv": SourceStats(5000, 0)}, POLICY) == set()
    # academia corroborated almost always climbs out of 'low'; a new hf_daily_papers work drops it below reputable.
    assert shifted(quiet, {**quiet, "academia": SourceStats(1000, 1000)}, POLICY) == {"academia"}
    assert shifted({}, {"hf_daily_papers": SourceStats(1, 0)}, POLICY) == {"hf_daily_papers"}
