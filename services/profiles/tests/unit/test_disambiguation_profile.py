"""Profile: absorbing, merging, block keys, JSON round trip and a bounded stored size."""

from __future__ import annotations

import json

from profiles.disambiguation import Mention, Profile
from profiles.disambiguation.replay import make_mention as mention


def _mention(i: int) -> Mention:
    return mention(
        f"work-{i}",
        "Jun Zhang" if i % 3 else "J. Zhang",
        coauthors=[f"Coauthor{i % 400} Person{i % 37}", "Craig C. Douglas"],
        title=f"Study {i}: multigrid solvers for problem class {i * 7919 % 1000} with term{i}",
        venue=f"Venue {i % 90}",
        year=1990 + i % 35,
        affiliations=[f"Department {i % 70}, University of Kentucky, Lexington"],
        keywords=[f"keyword{i % 300}"],
        orcid="0000-0002-1825-0097" if i == 5 else None,
    )


def test_absorb_counts_evidence() -> None:
    profile = Profile.empty()
    for i in range(3):
        profile.absorb(_mention(i))
    assert profile.n_works == 3
    assert profile.coauthors["douglas|craig"] == 3
    assert profile.venues["venue"] == 3  # numbers are stripped from venues
    assert profile.year_range() == (1990, 1992)
    assert profile.block_keys() == ("zhang|j",)


def test_json_round_trip() -> None:
    profile = Profile.empty()
    for i in range(30):
        profile.absorb(_mention(i))
    restored = Profile.from_json(json.loads(json.dumps(profile.to_json())))
    assert restored.to_json() == profile.to_json()
    assert restored.works == profile.works
    assert restored.orcids == ["0000-0002-1825-0097"]


def test_prolific_profile_stays_a_few_kilobytes() -> None:
    profile = Profile.empty()
    for i in range(3000):
        profile.absorb(_mention(i))
    size = len(json.dumps(profile.to_json()))
    assert profile.n_works == 3000
    assert size < 12_000
    assert len(profile.works) == 256
    assert profile.coauthors["douglas|craig"] == 3000  # the strongest evidence survives the caps


def test_merged_sums_evidence_without_changing_inputs() -> None:
    a = Profile.empty().absorb(_mention(1))
    b = Profile.empty().absorb(_mention(2))
    both = a.merged(b)
    assert both.n_works == 2
    assert both.coauthors["douglas|craig"] == 2
    assert a.n_works == 1
    assert b.n_works == 1
    assert len(both.works) == 2
