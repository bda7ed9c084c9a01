"""The importer's HTTP client: retries 429/5xx and network faults, splits on 413, stops on refusals."""

import httpx
import orjson
import pytest

from ingest.importer.client import ImportAbortedError, IngestClient


def accepted(request: httpx.Request) -> httpx.Response:
    items = orjson.loads(request.content)["sightings"]
    return httpx.Response(202, json={"results": [{"status": "accepted"} for _ in items]})


def client_with(handler) -> IngestClient:  # type: ignore[no-untyped-def]
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://ingest")
    return IngestClient(http, base_delay=0.001, max_delay=0.01)


async def test_retries_429_and_5xx_then_succeeds() -> None:
    answers = iter([429, 503, 202])

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        return accepted(request) if status == 202 else httpx.Response(status, headers={"Retry-After": "0"})

    client = client_with(handler)
    assert len(await client.post([{"a": 1}, {"b": 2}])) == 2
    assert client.retries == 2


async def test_network_errors_are_retried() -> None:
    calls = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 1:
            raise httpx.ConnectError("refused")
        return accepted(request)

    assert len(await client_with(handler).post([{"a": 1}])) == 1


async def test_too_large_batches_are_split_in_order() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        items = orjson.loads(request.content)["sightings"]
        if len(items) > 2:
            return httpx.Response(413, json={"detail": "too large"})
        return httpx.Response(202, json={"results": [{"status": "accepted", "n": i["n"]} for i in items]})

    results = await client_with(handler).post([{"n": n} for n in range(7)])
    assert [r["n"] for r in results] == list(range(7))


@pytest.mark.parametrize("status", [400, 401, 403, 422])
async def test_refusals_stop_the_import(status: int) -> None:
    client = client_with(lambda request: httpx.Response(status, json={"detail": "no"}))
    with pytest.raises(ImportAbortedError, match=str(status)):
        await client.post([{"a": 1}])


async def test_gives_up_after_max_attempts() -> None:
    client = client_with(lambda request: httpx.Response(503))
    client.max_attempts = 3
    with pytest.raises(ImportAbortedError, match="giving up after 3 attempts"):
        await client.post([{"a": 1}])
