"""With Kafka down, ingest keeps accepting into its outbox; when Kafka returns every event arrives exactly once."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from servicekit.testing import private_broker, read_topic, wait_for_records
from servicekit.topics import ensure_topics

from ..conftest import start_ingest

pytestmark = [pytest.mark.integration, pytest.mark.slow]
KEY = "slk_e2e_outage_key"


def batch(tag: str, count: int) -> list[dict[str, object]]:
    return [
        {
            "source": "arxiv",
            "source_url": f"https://arxiv.org/abs/{tag}/{n}",
            "seen_at": "2026-11-21T10:00:00Z",
            "paper": {"title": f"{tag} paper {n}", "authors": [{"name": "Mingbao Lin"}], "published": "2024"},
        }
        for n in range(count)
    ]


def post(url: str, items: list[dict[str, object]]) -> list[str]:
    response = httpx.post(
        f"{url}/v1/sightings",
        json={"sightings": items},
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=30,
    )
    assert response.status_code == 202, response.text
    results = response.json()["results"]
    assert all(r["status"] == "accepted" for r in results), results
    return [r["event_id"] for r in results]


def test_broker_outage_loses_and_duplicates_nothing(tmp_path: Path, ingest_database: str) -> None:
    with private_broker(tmp_path / "kafka") as broker:
        asyncio.run(ensure_topics(broker.bootstrap))
        env = {
            "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
            "INGEST_DATABASE_URL": ingest_database,
            "INGEST_DEV_CRAWLER_KEY": KEY,
            "INGEST_RELAY_POLL_INTERVAL": "0.2",
        }
        ingest = start_ingest(env, tmp_path / "ingest.log")
        try:
            before = post(ingest.url, batch("before", 20))
            assert len(wait_for_records(broker.bootstrap, "paper.seen", 20)) == 20

            broker.stop()
            during = post(ingest.url, batch("during", 30))  # accepted into the outbox while Kafka is down
            ready = httpx.get(f"{ingest.url}/readyz", timeout=10)
            assert ready.status_code == 503
            assert ready.json()["checks"]["kafka"] == "unavailable"
            time.sleep(2)
            metrics = httpx.get(f"{ingest.url}/metrics", timeout=5).text
            assert 'outbox_depth{service="ingest"} 30.0' in metrics

            broker.start()
            wait_for_records(broker.bootstrap, "paper.seen", 50, timeout=90)
            time.sleep(2)  # room for a duplicate to show up, if the relay were to send one
            records = read_topic(broker.bootstrap, "paper.seen")
            event_ids = [r.value["event_id"] for r in records]
            assert sorted(event_ids) == sorted(before + during), "every accepted sighting exactly once"
        finally:
            assert ingest.stopped_gracefully(), ingest.log.read_text()[-3000:]
