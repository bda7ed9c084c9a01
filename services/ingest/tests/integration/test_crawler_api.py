"""The crawler API against real PostgreSQL and Kafka: outcomes per item, and exactly the right events in Kafka."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import httpx
import pytest

from contracts import PaperSeenV1
from ingest.bootstrap import Ingest
from ingest.service import register_crawler, revoke_crawler
from ingest.settings import IngestSettings
from servicekit.outbox import OutboxMessage
from servicekit.testing import KafkaRecord, wait_for_records

pytestmark = pytest.mark.integration


def sighting(marker: str, n: int, **extra: Any) -> dict[str, Any]:
    return {
        "source": "arxiv",
        "source_url": f"https://arxiv.org/abs/{marker}/{n}",
        "seen_at": "2026-11-21T10:00:00Z",
        "paper": {
            "title": f"Paper {n} of {marker}",
            "identifiers": {"arxiv": f"2203.{10000 + n}v1"} if n % 2 else {},
            "authors": [{"name": "Kaisheng Ma", "affiliations": ["Tsinghua University"]}],
        },
        **extra,
    }


def records_for(settings: IngestSettings, marker: str, at_least: int) -> list[KafkaRecord]:
    topic = f"{settings.topic_prefix}paper.seen"
    everything = wait_for_records(settings.kafka_bootstrap_servers, topic, at_least, timeout=30)
    return [r for r in everything if marker in str(r.value["data"]["source_url"])]  # type: ignore[index]


async def read_back(settings: IngestSettings, marker: str, expected: int) -> list[KafkaRecord]:
    # Wait for what we expect, then a little longer: an extra (duplicate) event must have time to show up.
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        records = await asyncio.to_thread(records_for, settings, marker, 0)
        if len(records) >= expected or asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.3)
    await asyncio.sleep(1.0)
    return await asyncio.to_thread(records_for, settings, marker, 0)


async def test_batch_of_good_duplicate_and_bad_items(client: httpx.AsyncClient, settings: IngestSettings) -> None:
    marker = uuid.uuid4().hex
    first = sighting(marker, 1, sighting_id=f"{marker}-1")
    second = sighting(marker, 2)
    same_id_other_content = sighting(marker, 3, sighting_id=f"{marker}-1")
    same_content_later = {**second, "seen_at": "2026-11-22T08:00:00Z"}
    bad = sighting(marker, 4)
    bad["paper"]["identifiers"] = {"doi": "not-a-doi"}
    third = sighting(marker, 5)
    batch = [first, second, same_id_other_content, same_content_later, bad, third]

    response = await client.post("/v1/sightings", json={"sightings": batch})

    assert response.status_code == 202
    body = response.json()
    assert [r["status"] for r in body["results"]] == [
        "accepted",
        "accepted",
        "duplicate",
        "duplicate",
        "rejected",
        "accepted",
    ]
    assert body["summary"] == {"accepted": 3, "duplicate": 2, "rejected": 1}
    results = body["results"]
    assert results[2]["event_id"] == results[0]["event_id"]
    assert "sighting_id" in results[2]["reason"]
    assert results[3]["event_id"] == results[1]["event_id"]
    assert results[4]["errors"][0]["field"] == "paper.identifiers.doi"
    assert results[0]["work_key"] == "arxiv:2203.10001"

    records = await read_back(settings, marker, 3)
    accepted = {results[i]["event_id"]: results[i]["work_key"] for i in (0, 1, 5)}
    assert sorted(r.value["event_id"] for r in records) == sorted(accepted)  # exactly these, once each
    for record in records:
        event = PaperSeenV1.model_validate(record.value)
        assert record.key == accepted[str(event.event_id)] == event.data.work_key
        assert record.headers["event_type"] == "paper.seen"
        assert record.headers["schema_version"] == "1"
        assert record.headers["traceparent"].startswith("00-")
        assert event.data.crawler.startswith("test-")

    again = await client.post("/v1/sightings", json={"sightings": batch})
    assert [r["status"] for r in again.json()["results"]] == ["duplicate"] * 4 + ["rejected", "duplicate"]
    assert len(await read_back(settings, marker, 3)) == 3


async def test_same_work_key_goes_to_the_same_partition(client: httpx.AsyncClient, settings: IngestSettings) -> None:
    marker = uuid.uuid4().hex
    sightings = []
    for version in (1, 2, 3):
        item = sighting(marker, version)
        item["paper"]["identifiers"] = {"arxiv": f"https://arxiv.org/abs/2401.54321v{version}"}
        sightings.append(item)
    response = await client.post("/v1/sightings", json=sightings)
    assert {r["work_key"] for r in response.json()["results"]} == {"arxiv:2401.54321"}
    records = await read_back(settings, marker, 3)
    assert len(records) == 3
    assert len({r.partition for r in records}) == 1
    assert sorted(r.value["data"]["paper"]["identifiers"]["arxiv_version"] for r in records) == [1, 2, 3]  # type: ignore[index]


async def test_ndjson_bad_line_does_not_sink_the_good_ones(client: httpx.AsyncClient) -> None:
    import json

    marker = uuid.uuid4().hex
    lines = [json.dumps(sighting(marker, 1)), "{not json", json.dumps(sighting(marker, 2)), ""]
    response = await client.post(
        "/v1/sightings", content="\n".join(lines).encode(), headers={"content-type": "application/x-ndjson"}
    )
    assert response.status_code == 202
    statuses = [r["status"] for r in response.json()["results"]]
    assert statuses == ["accepted", "rejected", "accepted"]
    assert "line 2" in response.json()["results"][1]["errors"][0]["message"]


async def test_single_sighting_answers(client: httpx.AsyncClient) -> None:
    marker = uuid.uuid4().hex
    ok = await client.post("/v1/sightings", json=sighting(marker, 1))
    assert ok.status_code == 202
    assert ok.json()["results"][0]["status"] == "accepted"
    bad = sighting(marker, 2)
    bad["paper"]["title"] = ""
    bad["paper"]["identifiers"] = {}
    invalid = await client.post("/v1/sightings", json=bad)
    assert invalid.status_code == 422
    assert invalid.headers["content-type"] == "application/problem+json"
    assert "title is required" in invalid.json()["detail"]


async def test_keys_are_checked_and_bound_to_sources(client: httpx.AsyncClient, ingest: Ingest, app: Any) -> None:
    marker = uuid.uuid4().hex
    assert (
        await client.post("/v1/sightings", json=sighting(marker, 1), headers={"Authorization": ""})
    ).status_code == 401
    wrong = await client.post("/v1/sightings", json=sighting(marker, 1), headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"].startswith("Bearer")

    name = f"arxiv-only-{marker[:6]}"
    key = await register_crawler(ingest.uow(), name, ["arxiv"])
    auth = {"Authorization": f"Bearer {key}"}
    other = {**sighting(marker, 2), "source": "openalex"}
    assert (await client.post("/v1/sightings", json=other, headers=auth)).status_code == 403
    mixed = await client.post("/v1/sightings", json=[sighting(marker, 3), other], headers=auth)
    assert [r["status"] for r in mixed.json()["results"]] == ["accepted", "rejected"]
    assert mixed.json()["results"][1]["errors"][0]["code"] == "forbidden_source"

    from datetime import UTC, datetime

    assert await revoke_crawler(ingest.uow(), name, datetime.now(UTC))
    assert (await client.post("/v1/sightings", json=sighting(marker, 4), headers=auth)).status_code == 401


async def test_limits_and_malformed_bodies(client: httpx.AsyncClient, settings: IngestSettings) -> None:
    marker = uuid.uuid4().hex
    too_many = [sighting(marker, n) for n in range(settings.max_batch + 1)]
    response = await client.post("/v1/sightings", json=too_many)
    assert response.status_code == 413
    assert "limit is 1000" in response.json()["detail"]
    huge = sighting(marker, 1)
    huge["paper"]["abstract"] = "x" * (settings.max_body_bytes + 1)
    assert (await client.post("/v1/sightings", json=huge)).status_code == 413
    malformed = await client.post("/v1/sightings", content=b'{"source": ', headers={"content-type": "application/json"})
    assert malformed.status_code == 400
    assert malformed.json()["title"] == "Malformed JSON"
    assert (await client.post("/v1/sightings", json={"sightings": []})).status_code == 422
    assert (await client.post("/v1/sightings", json={"sightings": {}})).status_code == 400
    form = await client.post("/v1/sightings", content=b"a=b", headers={"content-type": "text/plain"})
    assert form.status_code == 415


async def test_concurrent_identical_posts_are_accepted_once(client: httpx.AsyncClient) -> None:
    item = sighting(uuid.uuid4().hex, 1)
    responses = await asyncio.gather(*(client.post("/v1/sightings", json=item) for _ in range(8)))
    statuses = sorted(r.json()["results"][0]["status"] for r in responses)
    assert statuses == ["accepted"] + ["duplicate"] * 7
    assert len({r.json()["results"][0]["event_id"] for r in responses}) == 1


async def test_health_readiness_metrics_and_docs(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "kafka": "ok"}
    metrics = (await client.get("/metrics")).text
    for name in ("ingest_sightings_total", "outbox_depth", "outbox_publish_latency_seconds"):
        assert name in metrics
    spec = (await client.get("/openapi.json")).json()
    assert "SightingIn" in spec["components"]["schemas"]
    assert "/v1/sightings" in spec["paths"]


@pytest.mark.parametrize(
    ("publish_direct", "checks"),
    [(False, {"database": "ok"}), (True, {"database": "ok", "kafka": "ok"})],
    ids=["outbox-only API: its database", "publishing API: database and Kafka"],
)
async def test_an_api_process_without_the_relay_checks_what_it_uses(
    settings: IngestSettings, publish_direct: bool, checks: dict[str, str]
) -> None:
    from ingest.api import create_app
    from ingest.bootstrap import bootstrap

    api_only = bootstrap(settings.model_copy(update={"run_relay": False, "publish_direct": publish_direct}))
    app = create_app(api_only)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://ingest") as http:
            ready = await http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == checks


class DecliningPublisher:
    """Kafka failing for the request's own publish: every batch must go to the outbox instead."""

    def __init__(self) -> None:
        self.batches = 0

    async def publish(self, messages: Sequence[OutboxMessage]) -> bool:
        self.batches += 1
        return False


@pytest.mark.parametrize("direct", [None, DecliningPublisher()], ids=["outbox only", "direct publish failed"])
async def test_events_reach_kafka_through_the_outbox_when_not_published_in_the_request(
    settings: IngestSettings, direct: DecliningPublisher | None
) -> None:
    from ingest.api import create_app
    from ingest.bootstrap import bootstrap

    ingest = bootstrap(settings.model_copy(update={"publish_direct": False}))
    ingest.publishing = replace(ingest.publishing, direct=direct)
    key = await register_crawler(ingest.uow(), f"outbox-{uuid.uuid4().hex[:6]}", ["*"])
    marker = uuid.uuid4().hex
    batch = [sighting(marker, 1), sighting(marker, 2), sighting(marker, 1)]
    app = create_app(ingest)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": f"Bearer {key}"}
        async with httpx.AsyncClient(transport=transport, base_url="http://ingest", headers=headers) as http:
            results = (await http.post("/v1/sightings", json={"sightings": batch})).json()["results"]
            assert [r["status"] for r in results] == ["accepted", "accepted", "duplicate"]
            records = await read_back(settings, marker, 2)
    assert sorted(r.value["event_id"] for r in records) == sorted(r["event_id"] for r in results[:2])
    if direct is not None:
        assert direct.batches == 1
