"""The crawler HTTP API: POST /v1/sightings, plus health, readiness and metrics."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer
from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from opentelemetry import trace
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

from ingest.bootstrap import Ingest
from ingest.domain import Crawler, MalformedItem, Rejected, field_family
from ingest.incoming import SIGHTING_SHAPE
from ingest.metrics import BATCH_SIZE, REJECTIONS, REQUESTS, SIGHTINGS
from ingest.service import Accepted, ItemResult, accept_sightings, register_crawler
from servicekit.health import health_router, readiness_checks
from servicekit.problems import install_unavailable_handler, problem
from servicekit.runtime import tune_gc
from servicekit.telemetry import current_trace_headers

DEV_CRAWLER = "local-dev"
tracer = trace.get_tracer("ingest")


class BodyError(Exception):
    """A request body that cannot be taken at all (too big, not JSON, wrong media type)."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        """Carry the HTTP status and the problem text."""
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


def create_app(ingest: Ingest) -> FastAPI:
    """The ingest ASGI application; the relay runs beside it unless disabled."""

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        tune_gc()
        if ingest.settings.dev_crawler_key is not None:
            key = ingest.settings.dev_crawler_key.get_secret_value()
            await register_crawler(ingest.uow(), DEV_CRAWLER, ["*"], key=key)
        if ingest.publisher is not None:
            await ingest.publisher.start()
        relay_task = asyncio.create_task(ingest.relay.run()) if ingest.settings.run_relay else None
        try:
            yield
        finally:
            ingest.relay.stop()
            if ingest.publisher is not None:
                await ingest.publisher.close()
            if relay_task is not None:
                # A batch Kafka has not acknowledged within the grace period is handed back: its rows stay
                # in the outbox (the transaction rolls back) and the next process publishes them.
                with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                    await asyncio.wait_for(relay_task, timeout=ingest.settings.shutdown_grace_seconds)
            await ingest.engine.dispose()

    app = FastAPI(
        title="Sightline ingest",
        version="0.1.0",
        summary="Crawlers post paper sightings; accepted ones are published as paper.seen events.",
        lifespan=lifespan,
    )

    app.include_router(health_router(readiness_checks(ingest.engine, _kafka_producer(ingest))))
    install_unavailable_handler(app)

    @app.post(
        "/v1/sightings",
        status_code=202,
        summary="Report sightings of papers",
        description=(
            'One sighting, or `{"sightings": [...]}` / a JSON array with up to the batch limit, or NDJSON '
            "(`application/x-ndjson`). Answers 202 with one result per item, in order: accepted, duplicate or "
            "rejected with field-level reasons. A single sighting that is rejected answers 422 (403 for a source "
            "the key may not post)."
        ),
        openapi_extra={"requestBody": _REQUEST_BODY},
        responses={401: {"description": "Missing or unknown crawler key"}, 413: {"description": "Too large"}},
    )
    async def post_sightings(request: Request) -> Response:
        response = await _post_sightings(ingest, request)
        REQUESTS.labels(str(response.status_code)).inc()
        return response

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
            schema.setdefault("components", {}).setdefault("schemas", {}).update(_INPUT_SCHEMAS)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz,metrics")
    return app


def _kafka_producer(ingest: Ingest) -> Callable[[], AIOKafkaProducer | None] | None:
    """The producer readiness checks Kafka with: none for an API process that neither publishes nor relays."""
    relay, publisher = ingest.relay, ingest.publisher
    if publisher is not None:
        return lambda: publisher.producer
    return (lambda: relay.producer) if ingest.settings.run_relay else None


async def _post_sightings(ingest: Ingest, request: Request) -> Response:
    crawler = await _crawler(ingest, request)
    if not isinstance(crawler, Crawler):
        return crawler
    try:
        items, single = _parse(await _read_body(request, ingest.settings.max_body_bytes), request)
    except BodyError as exc:
        return problem(exc.status, exc.title, exc.detail)
    if len(items) > ingest.settings.max_batch:
        limit = ingest.settings.max_batch
        return problem(413, "Batch too large", f"{len(items)} sightings in one request; the limit is {limit}")
    if not items:
        return problem(422, "Empty batch", "the request holds no sightings")
    BATCH_SIZE.observe(len(items))
    with tracer.start_as_current_span("ingest.accept_sightings") as span:
        span.set_attribute("sightline.batch_size", len(items))
        now = datetime.now(UTC)
        results = await accept_sightings(
            ingest.uow(),
            crawler=crawler,
            items=items,
            now=now,
            publishing=ingest.publishing,
            trace_headers=current_trace_headers(),
        )
    _count(results, items)
    body: dict[str, Any] = {
        "summary": _summary(results),
        "results": [_result_json(i, r) for i, r in enumerate(results)],
    }
    if single and isinstance(results[0], Rejected):
        forbidden = any(e.code == "forbidden_source" for e in results[0].errors)
        status = 403 if forbidden else 422
        title = "Source not allowed for this key" if forbidden else "Invalid sighting"
        detail = "; ".join(f"{e.field}: {e.message}" for e in results[0].errors)
        return problem(status, title, detail, summary=body["summary"], results=body["results"])
    return Response(orjson.dumps(body), status_code=202, media_type="application/json")


async def _crawler(ingest: Ingest, request: Request) -> Crawler | Response:
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="sightline-ingest"'}
    if scheme.lower() != "bearer" or not key.strip():
        return problem(401, "Crawler key required", "send 'Authorization: Bearer <crawler key>'", challenge)
    crawler = await ingest.crawler_for(key.strip())
    if crawler is None:
        return problem(401, "Unknown crawler key", "the key is not known or was revoked", challenge)
    return crawler


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BodyError(413, "Body too large", f"the body has {declared} bytes; the limit is {limit}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyError(413, "Body too large", f"the body exceeds the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _parse(body: bytes, request: Request) -> tuple[list[object], bool]:
    """The items of the body and whether it was a single sighting."""
    media = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if media in {"application/x-ndjson", "application/jsonl", "application/json-seq"}:
        items: list[object] = []
        for number, line in enumerate(body.splitlines(), start=1):
            if line.strip():
                try:
                    items.append(orjson.loads(line))
                except orjson.JSONDecodeError as exc:
                    items.append(MalformedItem(f"line {number} is not JSON: {exc}"))
        return items, False
    if media not in {"application/json", ""} and not media.endswith("+json"):
        raise BodyError(415, "Unsupported media type", "send application/json or application/x-ndjson")
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise BodyError(400, "Malformed JSON", f"the body is not valid JSON: {exc}") from exc
    if isinstance(document, list):
        return document, False
    if isinstance(document, dict) and "sightings" in document and "paper" not in document:
        batch = document["sightings"]
        if not isinstance(batch, list) or len(document) != 1:
            raise BodyError(400, "Malformed batch", 'a batch is {"sightings": [ ... ]} and nothing else')
        return batch, False
    if isinstance(document, dict):
        return [document], True
    raise BodyError(400, "Malformed body", 'send one sighting object, {"sightings": [...]}, or a JSON array')


def _result_json(index: int, result: ItemResult) -> dict[str, Any]:
    out: dict[str, Any] = {"index": index, "status": result.status}
    if isinstance(result, Rejected):
        out["errors"] = [{"field": e.field, "code": e.code, "message": e.message} for e in result.errors]
        return out
    out["event_id"] = str(result.event_id) if result.event_id else None
    out["work_key"] = result.work_key
    if isinstance(result, Accepted):
        if result.warnings:
            out["warnings"] = list(result.warnings)
    else:
        out["reason"] = result.reason
    return out


def _summary(results: list[ItemResult]) -> dict[str, int]:
    summary = {"accepted": 0, "duplicate": 0, "rejected": 0}
    for result in results:
        summary[result.status] += 1
    return summary


def _count(results: list[ItemResult], items: list[object]) -> None:
    # Tallied first: one labelled increment per (status, source) instead of one per item.
    by_label: Counter[tuple[str, str]] = Counter()
    for item, result in zip(items, results, strict=True):
        source = item.get("source") if isinstance(item, dict) else None
        label = source if isinstance(source, str) and source.isidentifier() and len(source) <= 40 else "invalid"
        by_label[result.status, label.lower()] += 1
        if isinstance(result, Rejected):
            for error in result.errors:
                REJECTIONS.labels(field_family(error.field), error.code).inc()
    for (status, source), count in by_label.items():
        SIGHTINGS.labels(status, source).inc(count)


def _input_schemas() -> dict[str, Any]:
    sighting = SIGHTING_SHAPE.json_schema(ref_template="#/components/schemas/{model}")
    defs: dict[str, Any] = sighting.pop("$defs", {})
    return {"SightingIn": sighting, **defs}


_INPUT_SCHEMAS = _input_schemas()
_ONE = {"$ref": "#/components/schemas/SightingIn"}
_REQUEST_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [
                    _ONE,
                    {
                        "type": "object",
                        "properties": {"sightings": {"type": "array", "items": _ONE}},
                        "required": ["sightings"],
                    },
                    {"type": "array", "items": _ONE},
                ]
            }
        },
        "application/x-ndjson": {"schema": _ONE},
    },
}
