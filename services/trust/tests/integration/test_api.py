"""The public API against a database the consumer filled from real Kafka: snapshot, history, sources, errors."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from trust.api import TrustOut, create_app
from trust.bootstrap import bootstrap
from trust.settings import TrustSettings

from .support import Running, arxiv_researcher, attributed, merged, publish, rid, seen, wid

pytestmark = pytest.mark.integration
MA, LIN, ZHOU = rid("Kaisheng Ma"), rid("Mingbao Lin"), rid("Aojun Zhou")


@pytest_asyncio.fixture(loop_scope="session")
async def client(settings: TrustSettings) -> AsyncIterator[tuple[httpx.AsyncClient, Running]]:
    await publish(settings.topic_prefix, arxiv_researcher(6))
    trust = bootstrap(settings)
    app: FastAPI = create_app(trust)
    async with app.router.lifespan_context(app):
        running = Running(trust, settings.database_url.get_secret_value())
        await running.caught_up()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://trust") as http:
            yield http, running


async def test_snapshot_components_evidence_and_history(client: tuple[httpx.AsyncClient, Running]) -> None:
    http, app = client
    answer = await http.get(f"/v1/researchers/{MA}/trust")
    assert answer.status_code == 200
    body = answer.json()
    assert TrustOut.model_validate(body).model_dump(mode="json") == body
    assert body["verification"]["level"] == "L1"
    assert body["claimed"] is False
    assert (
        round(sum(c["points"] for c in body["components"]) + sum(f["points"] for f in body["flags"])) == body["score"]
    )
    corroborated = next(c for c in body["components"] if c["name"] == "corroborated_works")
    assert corroborated["value"] == 6
    assert len(corroborated["evidence"]["work_ids"]) == 6
    assert len(corroborated["evidence"]["event_ids"]) == 6
    assert corroborated["evidence"]["sources"] == ["arxiv"]

    # One more arXiv paper makes a new revision; history pages newest first.
    paper = seen("arxiv", "One more paper", ["Kaisheng Ma"], minutes=99, year=2024, identifiers={"arxiv": "2301.00001"})
    await publish(app.trust.settings.topic_prefix, [paper, attributed(paper, wid(paper.data.work_key), [MA])])
    await app.caught_up()
    first = (await http.get(f"/v1/researchers/{MA}/trust/history", params={"limit": 1})).json()
    assert len(first["items"]) == 1
    newest = first["items"][0]["revision"]
    assert newest == (await http.get(f"/v1/researchers/{MA}/trust")).json()["revision"] >= 2
    rest = (await http.get(f"/v1/researchers/{MA}/trust/history", params={"cursor": first["next_cursor"]})).json()
    assert [i["revision"] for i in rest["items"]] == list(range(newest - 1, 0, -1))
    assert rest["next_cursor"] is None
    assert all(i["policy_version"] == body["policy_version"] for i in rest["items"])


async def test_sources_status_and_errors(client: tuple[httpx.AsyncClient, Running]) -> None:
    http, app = client
    sources = {s["source"]: s for s in (await http.get("/v1/sources")).json()["items"]}
    assert sources["arxiv"]["works"] == 6
    assert sources["arxiv"]["corroborated_works"] == 0
    assert sources["arxiv"]["reputation"] < sources["arxiv"]["prior"]
    assert sources["academia"]["low_reputation"] is True
    status = (await http.get("/v1/status")).json()
    assert status["caught_up"] is True
    assert len(status["consumer"]["topics"]) == 3

    missing = await http.get("/v1/researchers/r_00000000000000000000/trust")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert (await http.get("/v1/researchers/r_00000000000000000000/trust/history")).status_code == 404
    bad = await http.get(f"/v1/researchers/{MA}/trust/history", params={"cursor": "nonsense"})
    assert bad.status_code == 422

    await publish(app.trust.settings.topic_prefix, [merged(ZHOU, LIN)])
    await app.caught_up()
    moved = await http.get(f"/v1/researchers/{ZHOU}/trust", follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"] == f"/v1/researchers/{LIN}/trust"
    history = await http.get(f"/v1/researchers/{ZHOU}/trust/history?limit=5", follow_redirects=False)
    assert history.headers["location"] == f"/v1/researchers/{LIN}/trust/history?limit=5"
