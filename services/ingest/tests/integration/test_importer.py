"""The importer against the real ingest (PostgreSQL + Kafka): real files in, interruption and resume, rejects out."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from fastapi import FastAPI

from ingest.adapters.registry import adapter
from ingest.importer.checkpoint import InputIdentity
from ingest.importer.client import ImportAbortedError, IngestClient
from ingest.importer.progress import Progress
from ingest.importer.run import Options, Summary, import_input
from servicekit.testing import shared_data

pytestmark = pytest.mark.integration
SHARED = shared_data()
ARXIV = SHARED / "arxiv_snapshot_sample" / "arxiv-metadata-oai-snapshot.head.jsonl"


class FailingAfter(IngestClient):
    """A client whose connection 'dies' after some batches, like a killed importer."""

    def __init__(self, http: httpx.AsyncClient, batches: int) -> None:
        super().__init__(http)
        self.left = batches

    async def post(self, sightings: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if self.left == 0:
            raise ImportAbortedError("connection lost (simulated)")
        self.left -= 1
        return await super().post(sightings)


async def run_import(
    path: Path, fmt: str, client: IngestClient, options: Options, rejects: io.StringIO, source: str
) -> Summary:
    with path.open("rb") as stream:
        return await import_input(
            str(path),
            stream,
            identity=InputIdentity.of(path, fmt, source),
            adapter=adapter(fmt),
            source=source,
            seen_at=datetime.now(UTC),
            options=options,
            client=client,
            rejects=rejects,
            progress=Progress(path.name, path.stat().st_size, out=io.StringIO()),
        )


def http_for(app: FastAPI, key: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://ingest", headers={"Authorization": f"Bearer {key}"}
    )


async def test_interrupted_import_resumes_without_resending(app: FastAPI, crawler_key: str, tmp_path: Path) -> None:
    assert ARXIV.exists(), f"shared data missing: {ARXIV}"
    # A private copy so this test's checkpoint and duplicates are its own, with a unique source name.
    data = tmp_path / "arxiv.jsonl"
    data.write_bytes(ARXIV.read_bytes())
    source = f"arxiv_{uuid.uuid4().hex[:8]}"
    options = Options(batch=40, state_dir=tmp_path / "state", in_flight=1)
    rejects = io.StringIO()
    async with http_for(app, crawler_key) as http:
        with pytest.raises(ImportAbortedError):
            await run_import(data, "arxiv-json", FailingAfter(http, 2), options, rejects, source)
        assert list((tmp_path / "state").iterdir()), "a checkpoint was saved"

        resumed = await run_import(data, "arxiv-json", IngestClient(http), options, rejects, source)

    assert resumed.resumed == 80
    assert resumed.accepted == 120  # only what was not acknowledged before: nothing re-sent
    assert resumed.duplicate == 0
    assert not list((tmp_path / "state").iterdir()), "a finished import forgets its checkpoint"
    assert rejects.getvalue() == ""


async def test_reimport_is_all_duplicates_and_rejects_are_reported(
    app: FastAPI, crawler_key: str, tmp_path: Path
) -> None:
    good = {"source_url": "https://example.org/p/1", "paper": {"title": "A real paper", "authors": [{"name": "A B"}]}}
    lines = [
        orjson.dumps({**good, "sighting_id": uuid.uuid4().hex}).decode(),
        "{broken json",
        orjson.dumps({"source_url": "https://example.org/p/2", "paper": {"identifiers": {"doi": "nope"}}}).decode(),
        orjson.dumps({**good, "source_url": f"https://example.org/{uuid.uuid4().hex}"}).decode(),
    ]
    data = tmp_path / "mixed.jsonl"
    data.write_text("\n".join(lines) + "\n")
    source = f"test_{uuid.uuid4().hex[:8]}"
    rejects = io.StringIO()
    async with http_for(app, crawler_key) as http:
        first = await run_import(data, "sightings", IngestClient(http), Options(state_dir=tmp_path), rejects, source)
        again = await run_import(data, "sightings", IngestClient(http), Options(state_dir=tmp_path), rejects, source)
    assert (first.accepted, first.duplicate, sum(first.rejected.values())) == (2, 0, 2)
    assert (again.accepted, again.duplicate) == (0, 2)
    report = [orjson.loads(line) for line in rejects.getvalue().splitlines()]
    assert [r["position"] for r in report[:2]] == ["line 2", "line 3"]
    assert "not JSON" in report[0]["reason"]
    assert "paper.identifiers.doi" in report[1]["reason"]
    assert report[1]["raw"].startswith("{")
    assert set(first.rejected) == {"adapter: not JSON", "ingest: paper.identifiers.doi (value_error)"}
