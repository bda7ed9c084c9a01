"""End to end: sightings posted to ingest flow through profiles into trust, and trust's snapshot back into profiles.

The three services run as their own processes, started the way `make up` starts them, on a throwaway topic prefix
and throwaway databases.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from servicekit.testing import start_service, temporary_database, temporary_topics

from ..conftest import start_ingest, start_profiles
from .test_profiles_pipeline import KEY, sightings

pytestmark = [pytest.mark.integration, pytest.mark.slow]
BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
TRUST_MAINTENANCE_URL = os.environ.get(
    "TRUST_TEST_DATABASE_URL", "postgresql+asyncpg://trust:trust@127.0.0.1:5432/trust_test"
)


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


def test_sightings_end_as_a_trust_snapshot_shown_on_the_profile(
    tmp_path: Path, ingest_database: str, profiles_database: str, trust_database: str, prefix: str
) -> None:
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
    finally:
        trust.stop()
        profiles.stop()
        ingest.stop()
