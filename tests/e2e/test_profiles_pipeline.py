"""End to end: sightings posted to ingest's API end as one canonical work and its researchers in profiles.

Both services run as their own processes, started the way `make up` starts them, on a throwaway topic prefix and
throwaway databases.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from servicekit.testing import temporary_topics

from ..conftest import start_ingest, start_profiles

pytestmark = [pytest.mark.integration, pytest.mark.slow]
BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
KEY = "slk_e2e_profiles_key"
TITLE = "Attention Sinks in Streaming Language Models"
AUTHORS = [{"name": "Guangxuan Xiao"}, {"name": "Yuandong Tian"}, {"name": "Song Han"}]


@pytest.fixture
def prefix() -> Iterator[str]:
    with temporary_topics(BOOTSTRAP, "e2e-profiles") as value:
        yield value


def sightings() -> list[dict[str, object]]:
    def one(source: str, minute: int, ids: dict[str, str], **paper: object) -> dict[str, object]:
        return {
            "source": source,
            "source_url": f"https://{source}.example/{uuid.uuid4().hex[:8]}",
            "seen_at": f"2026-11-21T10:{minute:02d}:00Z",
            "paper": {"title": TITLE, "identifiers": ids, "authors": AUTHORS, **paper},
        }

    return [
        one("arxiv", 0, {"arxiv": "2309.17453v1"}, published="2023-09-29", kind="preprint"),
        one("arxiv", 1, {"arxiv": "2309.17453v4"}, published="2023-09-29", kind="preprint"),
        one("hf_daily_papers", 2, {"arxiv": "2309.17453"}),
        one("crossref", 3, {"doi": "10.5555/iclr.2024.sinks"}, published="2024-05", venue="ICLR", kind="proceedings"),
        one("pubmed", 4, {"pmid": "39999999", "doi": "10.5555/iclr.2024.sinks"}, published="2024"),
    ]


def test_sightings_posted_to_ingest_end_as_one_work_with_researchers(
    tmp_path: Path, ingest_database: str, profiles_database: str, prefix: str
) -> None:
    shared = {"KAFKA_BOOTSTRAP_SERVERS": BOOTSTRAP, "SIGHTLINE_TOPIC_PREFIX": prefix, "SIGHTLINE_LOG_JSON": "true"}
    ingest = start_ingest(
        {
            **shared,
            "INGEST_DATABASE_URL": ingest_database,
            "INGEST_DEV_CRAWLER_KEY": KEY,
            "INGEST_RELAY_POLL_INTERVAL": "0.2",
        },
        tmp_path / "ingest.log",
    )
    profiles = start_profiles(
        {
            **shared,
            "PROFILES_DATABASE_URL": profiles_database,
            "PROFILES_CONSUMER_GROUP": f"e2e-{uuid.uuid4().hex[:6]}",
        },
        tmp_path / "profiles.log",
    )
    try:
        posted = httpx.post(
            f"{ingest.url}/v1/sightings",
            json={"sightings": sightings()},
            headers={"Authorization": f"Bearer {KEY}"},
            timeout=30,
        )
        assert posted.status_code == 202, posted.text
        assert [r["status"] for r in posted.json()["results"]] == ["accepted"] * 5
        deadline = time.monotonic() + 60
        status: dict[str, object] = {}
        while time.monotonic() < deadline:
            status = httpx.get(f"{profiles.url}/v1/status", timeout=5).json()
            if status["caught_up"] and status["consumer"]["partitions"] and status["works"]:  # type: ignore[index]
                break
            time.sleep(0.5)
        assert status["caught_up"], status
        assert status["works"] == 1
        work = httpx.get(f"{profiles.url}/v1/works/lookup", params={"arxiv": "2309.17453"}, timeout=5).json()
        assert work["venue"] == "ICLR"
        assert set(work["provenance"]["sources"]) == {"arxiv", "hf_daily_papers", "crossref", "pubmed"}
        assert [a["name"] for a in work["authorships"]] == ["Guangxuan Xiao", "Yuandong Tian", "Song Han"]
        same = httpx.get(f"{profiles.url}/v1/works/lookup", params={"pmid": "39999999"}, timeout=5).json()
        assert same["id"] == work["id"]
        researcher = httpx.get(f"{profiles.url}/v1/researchers/{work['authorships'][2]['researcher_id']}", timeout=5)
        assert researcher.json()["works_count"] == 1
        assert researcher.json()["display_name"] == "Song Han"
    finally:
        profiles.stop()
        ingest.stop()
