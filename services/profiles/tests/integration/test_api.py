"""The public API against a database the consumer filled from real Kafka: pages, redirects, errors, OpenAPI."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
import pytest_asyncio
from aiokafka import AIOKafkaProducer
from fastapi import FastAPI

from contracts import TRUST_CHANGED, TrustChangedV1, topic_name
from profiles.api import Researcher, create_app
from profiles.bootstrap import bootstrap
from profiles.settings import ProfilesSettings

from .support import BOOTSTRAP, Running, author, publish, sighting

pytestmark = pytest.mark.integration
ORCID = "0000-0002-1825-0097"


def paper(n: int, **ids: str) -> object:
    return sighting(
        "arxiv",
        f"Protein structure prediction with equivariant networks {n}",
        [author("Ana Lopez", affiliations=["Dept. of Biology, University of Oxford, UK"]), "Ben Ode", "Cai Wen"],
        seen=n,
        year=2020 + n,
        published=f"{2020 + n}-03-0{n + 1}",
        venue="Bioinformatics",
        keywords=["protein structure", "deep learning"],
        identifiers={"arxiv": f"2201.{10000 + n}", **ids},
    )


@pytest_asyncio.fixture(loop_scope="session")
async def client(settings: ProfilesSettings) -> AsyncIterator[tuple[httpx.AsyncClient, Running]]:
    await publish(settings.topic_prefix, [paper(0, doi="10.1000/p.0", pmid="123"), paper(1), paper(2)], partition=0)
    profiles = bootstrap(settings)
    app: FastAPI = create_app(profiles)
    async with app.router.lifespan_context(app):
        running = Running(profiles, settings.database_url.get_secret_value())
        await running.caught_up()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://profiles") as http:
            yield http, running


async def test_researcher_pages(client: tuple[httpx.AsyncClient, Running]) -> None:
    http, app = client
    found = (await http.get("/v1/researchers", params={"q": "ana lopez"})).json()
    assert [r["display_name"] for r in found["items"]] == ["Ana Lopez"]
    ana = found["items"][0]["id"]
    profile = (await http.get(f"/v1/researchers/{ana}")).json()
    assert Researcher.model_validate(profile).model_dump(mode="json") == profile
    assert profile["works_count"] == 3
    assert profile["close_collaborators_count"] == 2
    assert {c["display_name"] for c in profile["close_collaborators"]} == {"Ben Ode", "Cai Wen"}
    assert all(c["shared_works_count"] == 3 for c in profile["close_collaborators"])
    assert profile["followers_count"] == 0
    assert profile["trust"] == {"score": None, "band": None, "verification_level": None, "computed_at": None}
    assert profile["claimed"] is False
    assert profile["topics_count"] == len(profile["topics"])
    assert [i["name"] for i in profile["institutions"]] == ["University of Oxford"]

    first = (await http.get(f"/v1/researchers/{ana}/works", params={"limit": 2})).json()
    assert [w["published"] for w in first["items"]] == ["2022-03-03", "2021-03-02"]
    rest = (await http.get(f"/v1/researchers/{ana}/works", params={"limit": 2, "cursor": first["next_cursor"]})).json()
    assert [w["published"] for w in rest["items"]] == ["2020-03-01"]
    assert rest["next_cursor"] is None

    graph = (await http.get(f"/v1/researchers/{ana}/graph", params={"depth": 2})).json()
    types = {n["type"] for n in graph["nodes"]}
    assert {"researcher", "work", "institution"} <= types
    assert {e["type"] for e in graph["edges"]} >= {"authored", "coauthor", "affiliated"}

    collaborators = (await http.get(f"/v1/researchers/{ana}/collaborators")).json()
    assert len(collaborators["items"]) == 2
    del app


async def test_works_and_lookup(client: tuple[httpx.AsyncClient, Running]) -> None:
    http, _ = client
    by_doi = await http.get("/v1/works/lookup", params={"doi": "https://doi.org/10.1000/P.0"})
    assert by_doi.status_code == 200
    work = by_doi.json()
    assert (await http.get("/v1/works/lookup", params={"pmid": "123"})).json()["id"] == work["id"]
    assert (await http.get("/v1/works/lookup", params={"arxiv": "2201.10000v3"})).json()["id"] == work["id"]
    detail = (await http.get(f"/v1/works/{work['id']}")).json()
    assert [a["name"] for a in detail["authorships"]] == ["Ana Lopez", "Ben Ode", "Cai Wen"]
    first = detail["authorships"][0]
    assert first["researcher_id"].startswith("r_")
    assert 0 <= first["confidence"] <= 1
    assert first["reasons"]
    assert first["sources"] == {"arxiv": "Ana Lopez"}
    assert detail["provenance"]["sources"]["arxiv"]["sightings"] == 1


async def test_errors_are_problems(client: tuple[httpx.AsyncClient, Running]) -> None:
    http, _ = client
    for path in ("/v1/researchers/r_00000000000000000000", "/v1/works/nope", "/v1/researchers/x/works"):
        response = await http.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"
    for path, params in (
        ("/v1/researchers", {"orcid": "not-an-orcid"}),
        ("/v1/researchers", {"cursor": "garbage"}),
        ("/v1/researchers", {"limit": "0"}),
        ("/v1/works/lookup", {}),
        ("/v1/works/lookup", {"doi": "10.1/x", "pmid": "1"}),
    ):
        response = await http.get(path, params=params)
        assert response.status_code == 422, (path, params)
        assert response.headers["content-type"] == "application/problem+json"
    assert (await http.get("/v1/works/lookup", params={"doi": "10.9/none"})).status_code == 404
    spec = (await http.get("/openapi.json")).json()
    assert "/v1/researchers/{researcher_id}" in spec["paths"]


async def test_a_merged_researcher_answers_301(
    client: tuple[httpx.AsyncClient, Running], settings: ProfilesSettings
) -> None:
    http, app = client
    ana = (await http.get("/v1/researchers", params={"q": "ana"})).json()["items"][0]["id"]
    # The same paper seen again with Ana's ORCID: her id now derives from the ORCID, the old id redirects.
    again = paper(1)
    data = again.data.model_copy(  # type: ignore[attr-defined]
        update={
            "paper": again.data.paper.model_copy(  # type: ignore[attr-defined]
                update={"authors": [again.data.paper.authors[0].model_copy(update={"orcid": ORCID})]}  # type: ignore[attr-defined]
            )
        }
    )
    await publish(settings.topic_prefix, [again.model_copy(update={"data": data})])  # type: ignore[attr-defined]
    await app.caught_up()
    moved = await http.get(f"/v1/researchers/{ana}")
    assert moved.status_code == 301
    survivor = moved.headers["location"].rsplit("/", 1)[1]
    assert survivor != ana
    profile = (await http.get(f"/v1/researchers/{survivor}")).json()
    assert profile["orcid"] == ORCID
    assert profile["works_count"] == 3
    assert (await http.get(f"/v1/researchers/{ana}/works")).status_code == 301


def trust_changed(
    researcher_id: str, revision: int, score: int, band: str, level: str, minute: int | None = None
) -> TrustChangedV1:
    at = datetime(2026, 11, 23, 12, revision if minute is None else minute, tzinfo=UTC)
    data = {
        "researcher_id": researcher_id,
        "score": score,
        "band": band,
        "verification_level": level,
        "claimed": False,
        "policy_version": "p1",
        "revision": revision,
        "computed_at": at,
        "components": [{"name": "corroborated_works", "value": 3, "weight": 30, "points": float(score)}],
    }
    return TrustChangedV1.model_validate(
        {"event_id": uuid.uuid4(), "occurred_at": at, "ingested_at": at, "producer": "test", "data": data}
    )


async def test_profile_shows_the_newest_trust_snapshot(client: tuple[httpx.AsyncClient, Running]) -> None:
    http, app = client
    ana = (await http.get("/v1/researchers", params={"q": "ana lopez"})).json()["items"][0]["id"]
    # Revision 2 first, then a late revision 1 (and 2 again, redelivered): the newer snapshot wins.
    events = [trust_changed(ana, 2, 21, "Emerging", "L1"), trust_changed(ana, 1, 9, "New", "L0")]
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP)
    await producer.start()
    try:
        topic = topic_name(TRUST_CHANGED, app.profiles.settings.topic_prefix)
        for event in [*events, events[0]]:
            await producer.send_and_wait(topic, event.model_dump_json().encode(), key=ana.encode(), partition=0)
    finally:
        await producer.stop()
    await _consumed(app, topic, 2)
    profile = (await http.get(f"/v1/researchers/{ana}")).json()
    assert profile["trust"] == {
        "score": 21,
        "band": "Emerging",
        "verification_level": "L1",
        "computed_at": "2026-11-23T12:02:00+00:00",
    }
    assert profile["claimed"] is False
    assert Researcher.model_validate(profile).model_dump(mode="json") == profile
    # Trust rebuilt by replay numbers revisions from 1 again: a later snapshot wins whatever its revision.
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP)
    await producer.start()
    try:
        rebuilt = trust_changed(ana, 1, 23, "Emerging", "L1", minute=40)
        await producer.send_and_wait(topic, rebuilt.model_dump_json().encode(), key=ana.encode(), partition=0)
    finally:
        await producer.stop()
    await _consumed(app, topic, 3)
    assert (await http.get(f"/v1/researchers/{ana}")).json()["trust"]["score"] == 23


async def _consumed(app: Running, topic: str, count: int) -> None:
    for _ in range(100):
        if await app.scalar("SELECT count(*) FROM inbox WHERE topic = :t", t=topic) == count:
            return
        await asyncio.sleep(0.2)
