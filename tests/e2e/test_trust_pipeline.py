"""End to end: sightings posted to ingest flow through profiles into trust, and trust's snapshot back into profiles.

The three services run as their own processes, started the way `make up` starts them, on a throwaway topic prefix
and throwaway databases.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from servicekit.testing import ServiceProcess, start_service, temporary_database, temporary_topics

from ..conftest import start_ingest, start_profiles
from .test_profiles_pipeline import KEY, sightings

pytestmark = [pytest.mark.integration, pytest.mark.slow]
BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
TRUST_MAINTENANCE_URL = os.environ.get(
    "TRUST_TEST_DATABASE_URL", "postgresql+asyncpg://trust:trust@127.0.0.1:5432/trust_test"
)

AUTHOR = "Maja Lindqvist-Okafor"
COAUTHORS = ["Tomasz Wrzesniewski", "Aiyana Redcloud", "Benedikt Szabo-Ferreira", "Oluwaseun Achterberg"]


@pytest.fixture
def prefix() -> Iterator[str]:
    with temporary_topics(BOOTSTRAP, "e2e-trust") as value:
        yield value


@pytest.fixture
def trust_database() -> Iterator[str]:
    with temporary_database(TRUST_MAINTENANCE_URL) as url:
        yield url


def wait_for(probe: Any, seconds: float = 90) -> Any:
    """Call `probe` until it returns something truthy (or time runs out); returns its last answer."""
    deadline = time.monotonic() + seconds
    answer = probe()
    while not answer and time.monotonic() < deadline:
        time.sleep(0.5)
        answer = probe()
    return answer


@dataclass
class Stack:
    """Ingest, profiles and trust running as their own processes on the test's databases and topics."""

    ingest: ServiceProcess
    profiles: ServiceProcess
    trust: ServiceProcess


@pytest.fixture
def stack(
    tmp_path: Path, ingest_database: str, profiles_database: str, trust_database: str, prefix: str
) -> Iterator[Stack]:
    shared = {"KAFKA_BOOTSTRAP_SERVERS": BOOTSTRAP, "SIGHTLINE_TOPIC_PREFIX": prefix, "SIGHTLINE_LOG_JSON": "true"}
    run = uuid.uuid4().hex[:6]
    ingest = start_ingest(
        {**shared, "INGEST_DATABASE_URL": ingest_database, "INGEST_DEV_CRAWLER_KEY": KEY},
        tmp_path / "ingest.log",
    )
    profiles = start_profiles(
        {**shared, "PROFILES_DATABASE_URL": profiles_database, "PROFILES_CONSUMER_GROUP": f"e2e-profiles-{run}"},
        tmp_path / "profiles.log",
    )
    trust = start_service(
        "trust",
        {
            **shared,
            "TRUST_DATABASE_URL": trust_database,
            "TRUST_CONSUMER_GROUP": f"e2e-trust-{run}",
            "TRUST_RELAY_POLL_INTERVAL": "0.2",
        },
        tmp_path / "trust.log",
        ready="/readyz",
    )
    try:
        yield Stack(ingest, profiles, trust)
    finally:
        trust.stop()
        profiles.stop()
        ingest.stop()


def test_sightings_end_as_a_trust_snapshot_shown_on_the_profile(stack: Stack) -> None:
    ingest, profiles, trust = stack.ingest, stack.profiles, stack.trust
    posted = httpx.post(
        f"{ingest.url}/v1/sightings",
        json={"sightings": sightings()},
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=30,
    )
    assert posted.status_code == 202, posted.text
    sources = {"arxiv", "hf_daily_papers", "crossref", "pubmed"}

    def merged_work() -> dict[str, Any] | None:
        found = httpx.get(f"{profiles.url}/v1/works/lookup", params={"pmid": "39999999"}, timeout=5)
        if found.status_code != 200:
            return None
        body: dict[str, Any] = found.json()
        return body if set(body["provenance"]["sources"]) == sources else None

    work = wait_for(merged_work)
    assert work, "profiles never held the work with all four sources"
    song_han = work["authorships"][2]["researcher_id"]

    def settled() -> dict[str, Any] | None:
        status = httpx.get(f"{trust.url}/v1/status", timeout=5).json()
        snapshot = httpx.get(f"{trust.url}/v1/researchers/{song_han}/trust", timeout=5)
        if not status["caught_up"] or snapshot.status_code != 200:
            return None
        body: dict[str, Any] = snapshot.json()
        parts = {c["name"]: c for c in body["components"]}
        return body if parts["independent_sources"]["value"] == 1.0 else None

    snapshot = wait_for(settled)
    assert snapshot, "trust never scored the researcher with every source"
    parts = {c["name"]: c for c in snapshot["components"]}
    assert snapshot["verification"]["level"] == "L1"
    assert parts["corroborated_works"]["value"] == 1
    assert parts["peer_reviewed_venues"]["value"] == 1
    assert set(parts["corroborated_works"]["evidence"]["sources"]) == sources
    assert len(parts["corroborated_works"]["evidence"]["event_ids"]) == 5

    def shown() -> dict[str, Any] | None:
        page: dict[str, Any] = httpx.get(f"{profiles.url}/v1/researchers/{song_han}", timeout=5).json()
        return page if page["trust"]["score"] == snapshot["score"] else None

    page = wait_for(shown)
    assert page, "profiles never showed trust's snapshot"
    assert page["trust"]["band"] == snapshot["band"]
    assert page["trust"]["verification_level"] == "L1"
    assert page["claimed"] is False


def preprints() -> list[dict[str, object]]:
    """The seed pages' researcher: fifteen arXiv-only preprints over two years with a handful of co-authors."""
    topics = ["sparse attention", "streaming transformers", "token pruning", "long-context decoding"]
    return [
        {
            "source": "arxiv",
            "source_url": f"https://arxiv.org/abs/2501.{10000 + n}",
            "seen_at": f"2026-{1 + n % 9:02d}-{10 + n:02d}T09:00:00Z",
            "paper": {
                "title": f"Study {n} of {topics[n % 4]} for efficient language model inference",
                "identifiers": {"arxiv": f"25{n % 9 + 1:02d}.{10000 + n}"},
                "authors": [{"name": AUTHOR}, {"name": COAUTHORS[n % 4]}, {"name": COAUTHORS[(n + 1) % 4]}],
                "published": f"{2025 + n // 8}-{1 + n % 9:02d}-01",
                "kind": "preprint",
                "abstract": f"We study {topics[n % 4]} in transformer language models and report experiment {n}.",
            },
        }
        for n in range(15)
    ]


def test_the_seed_pages_researcher_is_emerging_at_l1_on_the_profile_page(stack: Stack) -> None:
    """Fifteen arXiv-only preprints, a handful of co-authors, unclaimed: one researcher, "Emerging", L1."""
    ingest, profiles, trust = stack.ingest, stack.profiles, stack.trust
    posted = httpx.post(
        f"{ingest.url}/v1/sightings",
        json={"sightings": preprints()},
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=30,
    )
    assert posted.status_code == 202, posted.text
    assert [r["status"] for r in posted.json()["results"]] == ["accepted"] * 15

    def everything_applied() -> bool:
        trust_status = httpx.get(f"{trust.url}/v1/status", timeout=5).json()
        profiles_status = httpx.get(f"{profiles.url}/v1/status", timeout=5).json()
        return bool(trust_status["caught_up"] and trust_status["snapshots"] and profiles_status["caught_up"])

    def found() -> list[dict[str, Any]]:
        page = httpx.get(f"{profiles.url}/v1/researchers", params={"q": AUTHOR}, timeout=5).json()
        return [r for r in page["items"] if r["display_name"] == AUTHOR]

    assert wait_for(lambda: everything_applied() and sum(r["works_count"] for r in found()) == 15)
    assert [r["works_count"] for r in found()] == [15], "one person, one researcher"
    researcher = found()[0]["id"]
    snapshot = httpx.get(f"{trust.url}/v1/researchers/{researcher}/trust", timeout=5).json()
    assert (snapshot["band"], snapshot["verification"]["level"], snapshot["claimed"]) == ("Emerging", "L1", False)
    points = sum(c["points"] for c in snapshot["components"]) + sum(f["points"] for f in snapshot["flags"])
    assert abs(points - snapshot["score"]) <= 0.5, snapshot
    page = wait_for(
        lambda: (
            (p := httpx.get(f"{profiles.url}/v1/researchers/{researcher}", timeout=5).json())["trust"]
            and p["trust"]["score"] == snapshot["score"]
            and p
        )
    )
    assert page, "profiles never showed trust's snapshot"
    assert (page["trust"]["band"], page["trust"]["verification_level"], page["claimed"]) == (
        "Emerging",
        "L1",
        False,
    )
