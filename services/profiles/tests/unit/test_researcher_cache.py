"""The researcher cache: entries valid only at their row's xmin, least recently kept dropped first; JSONB key order."""

from __future__ import annotations

from datetime import UTC, datetime

from profiles.db.repository import _jsonb_order
from profiles.db.researcher_cache import ResearcherCache
from profiles.disambiguation import Profile
from profiles.domain import Origin
from profiles.records import ResearcherState


def _state(researcher_id: str) -> ResearcherState:
    origin = Origin(datetime(2024, 1, 1, tzinfo=UTC), "key", 0)
    return ResearcherState(
        id=researcher_id, orcid=None, profile=Profile.empty(), names={}, works_count=1, origin=origin
    )


def test_an_entry_is_taken_once_and_only_at_its_xmin() -> None:
    cache = ResearcherCache()
    kept = _state("r_a")
    cache.keep([("100", kept), ("101", _state("r_b"))])
    assert cache.versions(["r_a", "r_b", "r_c"]) == (["r_a", "r_b"], ["100", "101"])
    assert cache.take("r_a", "100") is kept
    assert cache.take("r_a", "100") is None  # a batch took it out: back only after its commit
    assert cache.take("r_b", "999") is None  # another writer changed the row: the stale entry is dropped
    assert len(cache) == 0


def test_the_least_recently_kept_are_dropped_beyond_the_limit() -> None:
    cache = ResearcherCache(limit=2)
    cache.keep([("1", _state("r_a")), ("1", _state("r_b"))])
    cache.keep([("2", _state("r_a")), ("1", _state("r_c"))])
    assert cache.versions(["r_a", "r_b", "r_c"]) == (["r_a", "r_c"], ["2", "1"])


def test_jsonb_key_order_is_by_length_in_bytes_then_bytewise() -> None:
    ordered = _jsonb_order({"bb": 1, "é": 2, "ab": 3, "a": 4, "ba": 5})
    assert list(ordered) == ["a", "ab", "ba", "bb", "é"]
    assert ordered == {"a": 4, "ab": 3, "ba": 5, "bb": 1, "é": 2}
    assert list(_jsonb_order({"ü": 1, "y": 2, "zz": 3})) == ["y", "zz", "ü"]  # "ü" is two bytes, after "zz"
