"""Database faults: dropped connections answer 503 (never 500), the retry succeeds, and no sighting is doubled."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

pytestmark = pytest.mark.integration


async def drop_other_connections(database_url: str) -> int:
    """Kill every other session on the database, as a PostgreSQL restart would."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            killed = await connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
            return int(killed.scalar_one())
    finally:
        await engine.dispose()


async def test_lost_connections_answer_503_then_recover(client: httpx.AsyncClient, database_url: str) -> None:
    marker = uuid.uuid4().hex
    sighting = {
        "source": "arxiv",
        "source_url": f"https://arxiv.org/abs/{marker}",
        "paper": {"title": f"Resilient paper {marker}", "authors": [{"name": "Mingbao Lin"}]},
    }
    warm = await client.post("/v1/sightings", json={**sighting, "source_url": sighting["source_url"] + "/warm"})
    assert warm.status_code == 202
    assert await drop_other_connections(database_url) >= 1

    statuses = []
    for _ in range(5):
        response = await client.post("/v1/sightings", json=sighting)
        statuses.append(response.status_code)
        if response.status_code == 202:
            break
        assert response.status_code == 503, response.text
        assert response.headers["retry-after"] == "1"
        assert response.headers["content-type"] == "application/problem+json"
    assert statuses[-1] == 202, statuses
    first = response.json()["results"][0]
    assert first["status"] in {"accepted", "duplicate"}
    again = (await client.post("/v1/sightings", json=sighting)).json()["results"][0]
    assert again["status"] == "duplicate"
    assert again["event_id"] == first["event_id"], "one event, whatever the retries"
